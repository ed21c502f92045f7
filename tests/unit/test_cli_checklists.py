"""The checklist verbs, run as a user would: `python main.py validate|checklists|evaluate`."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "catalog"


def cli(*args, stdin=None):
    return subprocess.run([sys.executable, "main.py", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=60)


def answers_file(tmp_path, document):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document) if not isinstance(document, str) else document, encoding="utf-8")
    return path


CASE = {"date_of_birth": "2026-01-10", "mobility": "rolls",
        "household": [{"id": "f1", "name": "Sam", "relationship": "father"}]}


def test_validate_the_shipped_checklists():
    result = cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "5 checklists and 4 training scenarios, no problems"


def test_validate_a_fixture_folder_and_a_single_file():
    result = cli("validate", FIXTURES, FIXTURES / "mini-bruising.yaml")
    assert (result.returncode, result.stdout) == (0, "2 checklists, no problems\n")


def test_validate_prints_file_line_message_and_exits_1(tmp_path):
    for support in ("settings.yaml", "sources.yaml", "vague-language.yaml"):
        shutil.copy(FIXTURES / support, tmp_path / support)
    text = (FIXTURES / "mini-bruising.yaml").read_text(encoding="utf-8").replace("type: date", "type: datetime")
    (tmp_path / "mini-bruising.yaml").write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "type: datetime" in l)
    result = cli("validate", tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{tmp_path / 'mini-bruising.yaml'}:{line}: Unknown answer type 'datetime'")
    assert "1 problem" in result.stderr


def test_validate_a_missing_path_exits_1(tmp_path):
    result = cli("validate", tmp_path / "nowhere")
    assert result.returncode == 1 and "No such file or folder" in result.stdout


def test_checklists_lists_id_version_and_title():
    result = cli("checklists", "--checklists", FIXTURES)
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["id             version  title", "mini-bruising  2        Marks on a baby (test)"]


def test_evaluate_prints_prompts_flags_and_gaps(tmp_path):
    document = {"case": CASE, "today": "2026-03-01",
                "answers": {"mobility": "rolls", "mark_seen": {"value": "yes", "how_known": "seen", "note": "left ear"},
                            "sites": ["ear"], "explanation": "Fell", "who_explained": "f1"}}
    result = cli("evaluate", "mini-bruising", answers_file(tmp_path, document), "--checklists", FIXTURES)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["checklist"] == "mini-bruising" and output["today"] == "2026-03-01"
    assert output["visible_prompts"] == ["mobility", "mark_seen", "sites", "seen_on", "explanation", "who_explained",
                                         "missed"]
    assert [f["id"] for f in output["flags"]] == ["nim_mark", "ten4_site", "several"]
    urgent = output["flags"][0]
    assert urgent == {"id": "nim_mark", "severity": "urgent",
                      "message": "A baby who is not independently mobile has a mark.",
                      "action": "Refer to the Test MASH on 0121 569 3100 today.", "sources": ["test-review"]}
    assert output["missing_required"] == []
    assert "left ear" not in result.stdout and "Fell" not in result.stdout  # answer text is never echoed


def test_evaluate_reads_standard_input():
    document = json.dumps({"case": CASE, "answers": {}, "today": "2026-03-01"})
    result = cli("evaluate", "mini-bruising", "-", "--checklists", FIXTURES, stdin=document)
    assert result.returncode == 0
    assert json.loads(result.stdout)["missing_required"] == ["mobility", "mark_seen"]


@pytest.mark.parametrize("checklist, document, message", [
    ("mini-brusing", {"answers": {}}, "unknown checklist 'mini-brusing'. Did you mean 'mini-bruising'?"),
    ("mini-bruising", {"answers": {"mobilty": "rolls"}}, "'mobilty' is not a prompt in mini-bruising. Did you mean 'mobility'?"),
    ("mini-bruising", {"answers": {"mark_seen": "maybe"}}, "Expected one of: yes, no, unknown — got 'maybe'"),
    ("mini-bruising", {"answers": {"seen_on": "31/01/2026"}}, "Expected a date written YYYY-MM-DD"),
    ("mini-bruising", {"answers": {"missed": 99}}, "must be at most 50 appointments"),
    ("mini-bruising", {"answers": {"who_explained": "x9"}}, "'x9' is not in this case's household"),
    ("mini-bruising", {"answers": {"mark_seen": {"value": "yes", "how_known": "guess"}}}, "how_known must be one of"),
    ("mini-bruising", "{not json", "is not valid JSON: Expecting property name enclosed in double quotes at line 1"),
    ("mini-bruising", "[1, 2]", "the JSON must be an object"),
    ("mini-bruising", {"answer": {}}, "unknown key(s) answer"),
    ("mini-bruising", {"case": {"mobility": "flies"}}, "case: Unknown mobility 'flies'"),
    ("mini-bruising", {"today": "tomorrow"}, "today must be a date written YYYY-MM-DD"),
])
def test_evaluate_bad_input_exits_2_with_a_clear_message(tmp_path, checklist, document, message):
    result = cli("evaluate", checklist, answers_file(tmp_path, document), "--checklists", FIXTURES)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert ("case:" in result.stderr) == ("case" in document)
    assert "Traceback" not in result.stderr


def test_evaluate_missing_answers_file_exits_2(tmp_path):
    result = cli("evaluate", "mini-bruising", tmp_path / "none.json", "--checklists", FIXTURES)
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_evaluate_a_checklist_whose_file_has_problems(tmp_path):
    for support in ("settings.yaml", "sources.yaml", "vague-language.yaml"):
        shutil.copy(FIXTURES / support, tmp_path / support)
    (tmp_path / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    result = cli("evaluate", "broken", answers_file(tmp_path, {}), "--checklists", tmp_path)
    assert result.returncode == 2 and "has problems and was not loaded" in result.stderr
