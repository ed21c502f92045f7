"""Every kind of definition error is reported with its file and line, and the broken file is left out."""
import shutil
from pathlib import Path

import pytest

from app.catalog import load_catalog

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
BASE = (FIXTURES / "mini-bruising.yaml").read_text(encoding="utf-8")
MARK = " #!"

# (name, [(text in the fixture, replacement; "#!" marks the line the problem must be reported on)], fragments)
CASES = [
    ("unknown key", [("        type: yes_no_unknown\n        required: true",
                      "        type: yes_no_unknown\n        requried: true #!")],
     ["Unknown key 'requried'", "Did you mean 'required'?", "Allowed keys: id, ask, why"]),
    ("unknown top-level key", [("purpose: A test checklist.", "purpose: A test checklist.\npurpos: again #!")],
     ["Unknown key 'purpos' in the checklist"]),
    ("wrong answer type", [("type: date", "type: datetime #!")],
     ["Unknown answer type 'datetime'", "Did you mean 'date'?", "Use one of: yes_no_unknown"]),
    ("wrong severity", [("severity: info", "severity: fyi #!")], ["Unknown severity 'fyi'"]),
    ("version not a number", [("version: 2", "version: two #!")], ["'version'", "whole number"]),
    ("bad checklist id", [("id: mini-bruising", "id: Mini_Bruising #!")], ["not a valid id", "lower case"]),
    ("bad section id", [("  - id: appointments", "  - id: Appointments #!")],
     ["'Appointments' is not a valid id", "digits, underscores or hyphens"]),
    ("bad flag id", [("  - id: wnb_pattern", "  - id: \"wnb pattern\" #!")],
     ["'wnb pattern' is not a valid id", "digits, underscores or hyphens"]),
    ("missing required field", [("      - id: seen_on", "      - id: seen_on #!"), ("        why: Delay matters.\n", "")],
     ["Prompt 'seen_on' in section 'mark' is missing the required key 'why'"]),
    ("missing flag field", [("    action: Follow the Was Not Brought procedure.\n", ""),
                            ("  - id: wnb_pattern", "  - id: wnb_pattern #!")],
     ["Flag 'wnb_pattern' is missing the required key 'action'"]),
    ("duplicate prompt id", [("      - id: seen_on", "      - id: sites #!")],
     ["Duplicate prompt id 'sites'", "prompt 'sites' in section 'mark' already uses it"]),
    ("duplicate section id", [("  - id: appointments", "  - id: mark #!")], ["Duplicate section id 'mark'"]),
    ("duplicate flag id", [("  - id: wnb_pattern", "  - id: nim_mark #!")], ["Duplicate flag id 'nim_mark'"]),
    ("keyword as prompt id", [("      - id: seen_on", "      - id: count #!")], ["'count' cannot be a prompt id"]),
    ("options on a non-choice type", [("        type: date\n", "        type: date\n        options: "
                                       "[{value: a, label: A}, {value: b, label: B}] #!\n")],
     ["'options' is only for single_choice and multi_choice", "prompt 'seen_on'"]),
    ("choice without options", [("      - id: seen_on", "      - id: seen_on #!"), ("type: date", "type: multi_choice")],
     ["is multi_choice so it needs 'options'"]),
    ("roles on a non-person prompt", [("        unit: appointments", "        unit: appointments\n        roles: [father] #!")],
     ["'roles' is only for person prompts"]),
    ("min above max", [("        min: 0", "        min: 60 #!")], ["min (60) is larger than max (50)"]),
    ("unknown role", [("roles: [mother, father, partner, male_carer]", "roles: [mother, uncle] #!")],
     ["Unknown role 'uncle'"]),
    ("condition names an unknown prompt", [("when: answered(explanation)", "when: answered(explaination) #!")],
     ["names 'explaination', which is not a prompt", "Did you mean 'explanation'?"]),
    ("condition names a later prompt", [("when: selected(sites) >= 1", "when: selected(sites) >= 1 and answered(who_explained) #!")],
     ["refers to 'who_explained', which comes later"]),
    ("condition names the prompt itself", [("when: answered(explanation)", "when: answered(who_explained) #!")],
     ["refers to the prompt itself"]),
    ("section condition names a prompt in the section", [("when: mark_seen == 'yes'\n    skipped", "when: answered(sites) #!\n    skipped")],
     ["refers to 'sites', which comes later"]),
    ("impossible choice value", [("when: mobility in ['not_rolling', 'rolls'] and mark_seen == 'yes'",
                                  "when: mobility == 'flies' #!")],
     ["'flies' is not a possible answer to 'mobility'", "Possible answers: not_rolling, rolls, crawls"]),
    ("yes_no_unknown compared with maybe", [("when: mark_seen == 'yes'\n    skipped", "when: mark_seen == 'maybe' #!\n    skipped")],
     ["'maybe' is not a possible answer to 'mark_seen'", "Possible answers: yes, no, unknown"]),
    ("impossible value in a list", [("when: mobility in ['not_rolling', 'rolls'] and mark_seen == 'yes'",
                                  "when: mobility in ['not_rolling', 'rols'] #!")],
     ["'rols' is not a possible answer to 'mobility'", "Did you mean 'rolls'?"]),
    ("has on a non-multi prompt", [("when: sites has_any ['ear', 'neck', 'torso']", "when: mobility has 'rolls' #!")],
     ["'has' works only on a multiple-choice prompt"]),
    ("impossible multi value", [("when: sites has_any ['ear', 'neck', 'torso']", "when: sites has_any ['ear', 'knee'] #!")],
     ["'knee' is not a possible answer to 'sites'"]),
    ("text prompt compared", [("when: answered(explanation)", "when: explanation == 'fell' #!")],
     ["is free text", "answered(explanation)"]),
    ("prompt on its own", [("when: answered(explanation)", "when: explanation #!")], ["on its own is not a condition"]),
    ("date compared with a non-date", [("when: missed >= settings.wnb_pattern_count", "when: seen_on > '31/01/2026' #!")],
     ["'seen_on' is a date"]),
    ("order comparison on a choice", [("when: mark_seen == 'yes'\n    skipped", "when: mark_seen > 'no' #!\n    skipped")],
     ["can only be compared with == or !="]),
    ("unknown case fact", [("case.age_months < 12", "case.age_month < 12 #!")],
     ["'case.age_month', which is not a case fact", "Did you mean 'age_months'?"]),
    ("impossible case value", [("case.age_months < 12", "case.mobility == 'flies' #!")],
     ["'flies' is not a possible answer to case.mobility"]),
    ("unknown setting in a condition", [("settings.wnb_pattern_count", "settings.wnb_patern_count #!")],
     ["Unknown setting 'wnb_patern_count'", "Did you mean 'wnb_pattern_count'?"]),
    ("unknown setting placeholder", [("Discuss with {settings.safeguarding_lead}.", "Discuss with {settings.safeguarding_leed}. #!")],
     ["uses {settings.safeguarding_leed}", "Did you mean 'safeguarding_lead'?"]),
    ("misspelt derived placeholder", [("on {settings.mash_phone} today.", "on {settings.mash_phone_and_out_of_hour} today. #!")],
     ["uses {settings.mash_phone_and_out_of_hour}", "Did you mean 'mash_phone_and_out_of_hours'?"]),
    ("derived wording in a condition", [("when: missed >= settings.wnb_pattern_count",
                                         "when: settings.mash_phone_and_out_of_hours == 'x' #!")],
     ["'mash_phone_and_out_of_hours' is not a setting of its own", "only be written as {settings.mash_phone_and_out_of_hours}"]),
    ("condition syntax error", [("when: answered(explanation)", "when: answered(explanation) and #!")],
     ["cannot be read", "ends too soon: expected a value after 'and'"]),
    ("section when without skipped_because", [("    skipped_because: the baby is 1 or older\n", ""),
                                              ("    when: case.age_months < 12", "    when: case.age_months < 12 #!")],
     ["also needs 'skipped_because'"]),
    ("unknown source id", [("        sources: [test-guidance]", "        sources: [test-guidanse] #!")],
     ["cites source 'test-guidanse', which is not in sources.yaml", "Did you mean 'test-guidance'?"]),
    ("empty sources", [("        sources: [test-guidance]", "        sources: [] #!")], ["needs at least 1 item"]),
    ("text where a list belongs", [("audience: [health visitors]", "audience: health visitors #!")],
     ["'audience' in the checklist must be a list"]),
    ("bad YAML", [("    title: About the baby", "    title: About: the baby #!")], ["not valid YAML", "mapping values"]),
    ("duplicate YAML key", [("    title: The mark", "    title: The mark\n    title: The mark again #!")],
     ["The key 'title' appears twice"]),
    ("file name does not match id", [("id: mini-bruising", "id: mini-marks #!")],
     ["The file name should match the id", "mini-marks.yaml"]),
]


def make_folder(tmp_path: Path, text: str, name: str = "mini-bruising.yaml") -> Path:
    for support in ("settings.yaml", "sources.yaml", "vague-language.yaml"):
        shutil.copy(FIXTURES / support, tmp_path / support)
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def apply(edits):
    text = BASE
    for old, new in edits:
        assert text.count(old) == 1, f"fixture text {old!r} must appear exactly once"
        text = text.replace(old, new)
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if line.endswith(MARK)]
    assert len(lines) == 1
    return text, lines[0]


def test_the_base_fixture_has_no_problems(tmp_path):
    catalog = load_catalog(make_folder(tmp_path, BASE))
    assert catalog.problems == [] and list(catalog.checklists) == ["mini-bruising"]


@pytest.mark.parametrize("name, edits, fragments", CASES, ids=[c[0] for c in CASES])
def test_definition_error_is_reported_with_file_and_line(tmp_path, name, edits, fragments):
    text, line = apply(edits)
    folder = make_folder(tmp_path, text)
    (folder / "other.yaml").write_text(BASE.replace("id: mini-bruising", "id: other"), encoding="utf-8")
    catalog = load_catalog(folder)
    matching = [p for p in catalog.problems if all(f in p.message for f in fragments)]
    assert matching, f"no problem containing {fragments}; got {[str(p) for p in catalog.problems]}"
    problem = matching[0]
    assert Path(problem.file).name == "mini-bruising.yaml"
    assert problem.line == line, str(problem)
    assert "mini-bruising" not in catalog.checklists  # the broken file is left out...
    assert "other" in catalog.checklists  # ...and the others still load
    assert {Path(p.file).name for p in catalog.problems} == {"mini-bruising.yaml"}
    assert "Input should" not in problem.message and "pydantic" not in problem.message


def test_checklist_id_used_by_two_files(tmp_path):
    folder = make_folder(tmp_path, BASE)
    (folder / "copy.yaml").write_text(BASE, encoding="utf-8")
    catalog = load_catalog(folder)
    messages = {Path(p.file).name: (p.line, p.message) for p in catalog.problems}
    assert messages["copy.yaml"] == (2, "Checklist id 'mini-bruising' is also used by mini-bruising.yaml. "
                                        "Each checklist needs its own id; change one of them.")
    assert "also used by copy.yaml" in messages["mini-bruising.yaml"][1]
    assert catalog.checklists == {}


def test_a_file_that_is_not_utf8_or_not_a_mapping(tmp_path):
    folder = make_folder(tmp_path, BASE)
    (folder / "latin.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    (folder / "list.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    catalog = load_catalog(folder)
    found = {Path(p.file).name: p.message for p in catalog.problems}
    assert "not UTF-8" in found["latin.yaml"]
    assert "must hold keys such as id, title and sections" in found["list.yaml"]
    assert "must hold keys such as id, title and sections" in found["empty.yaml"]
    assert list(catalog.checklists) == ["mini-bruising"]


@pytest.mark.parametrize("file, text, line, fragment", [
    ("settings.yaml", "wnb_pattern_count: 2\nmash_phon: '1'\n", 2, "Unknown setting 'mash_phon'. Did you mean 'mash_phone'?"),
    ("settings.yaml", "wnb_pattern_count: two\n", 1, "must be a whole number"),
    ("settings.yaml", "mash_phone: 999\n", 1, "must be some text"),
    ("settings.yaml", "wnb_pattern_count: 2\nmash_phone_and_out_of_hours: '0121'\n", 2,
     "'mash_phone_and_out_of_hours' is not a setting of its own: it is worked out from mash_phone and out_of_hours_phone"),
    ("settings.yaml", "a: [1\n", 2, "not valid YAML"),
    ("sources.yaml", "test-review:\n  title: T\n  document: D\n  summary: S\n  sumary: S\n", 5,
     "Unknown key 'sumary' in source 'test-review'. Did you mean 'summary'?"),
    ("sources.yaml", "test-review:\n  title: T\n  document: D\n", 1, "missing the required key 'summary'"),
    ("vague-language.yaml", "phrases:\n  - phrase: messy\n    ask_insted: Say what.\n", 3, "Unknown key 'ask_insted'"),
    ("vague-language.yaml", "phrases:\n  - {phrase: messy, ask_instead: A}\n  - {phrase: Messy, ask_instead: B}\n", 3,
     "listed twice"),
])
def test_support_file_errors(tmp_path, file, text, line, fragment):
    folder = make_folder(tmp_path, BASE)
    (folder / file).write_text(text, encoding="utf-8")
    catalog = load_catalog(folder)
    matching = [p for p in catalog.problems if fragment in p.message and Path(p.file).name == file]
    assert matching, [str(p) for p in catalog.problems]
    assert matching[0].line == line


def test_derived_placeholder_loads_and_reads_from_the_settings_file(tmp_path):
    text = BASE.replace("on {settings.mash_phone} today.", "on {settings.mash_phone_and_out_of_hours} today.")
    folder = make_folder(tmp_path, text)
    with open(folder / "settings.yaml", "a", encoding="utf-8") as settings:
        settings.write("mash_phone: 01234 111111\nout_of_hours_phone: 01234 222222\n")
    catalog = load_catalog(folder)
    assert catalog.problems == []
    action = next(f.action for f in catalog.checklists["mini-bruising"].flags if f.id == "nim_mark")
    assert catalog.settings.format(action) == "Refer to the Test MASH on 01234 111111 (out of hours 01234 222222) today."


def test_good_settings_still_apply_beside_a_bad_one(tmp_path):
    folder = make_folder(tmp_path, BASE)
    (folder / "settings.yaml").write_text("wnb_pattern_count: 5\nnope: 1\n", encoding="utf-8")
    catalog = load_catalog(folder)
    assert catalog.settings.wnb_pattern_count == 5
    assert len(catalog.problems) == 1


def test_missing_folder_and_missing_sources(tmp_path):
    missing = load_catalog(tmp_path / "nowhere")
    assert [p.message for p in missing.problems] == ["No such file or folder."]
    (tmp_path / "mini-bruising.yaml").write_text(BASE, encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert [Path(p.file).name for p in catalog.problems] == ["sources.yaml"]
    assert "mini-bruising" in catalog.checklists


def test_loading_one_file_uses_the_support_files_beside_it(tmp_path):
    folder = make_folder(tmp_path, BASE)
    catalog = load_catalog(folder / "mini-bruising.yaml")
    assert list(catalog.checklists) == ["mini-bruising"] and catalog.settings.mash_name == "the Test MASH"


def test_problem_prints_as_file_line_message():
    from app.catalog import Problem
    assert str(Problem("a.yaml", 3, "Bad.")) == "a.yaml:3: Bad."
    assert str(Problem("a.yaml", None, "Bad.")) == "a.yaml: Bad."

