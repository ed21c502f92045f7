"""Assembling printable documents from stored runs, and the `report` command that writes them."""
from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import files
from app.cli import main as cli_main
from app.cli import reports
from app.documents import case_document, run_document
from app.services import Workspace
from app.store import NotFound


@pytest.fixture()
def workspace(tmp_path):
    ws = Workspace.open(data_dir=tmp_path / "data")
    ws.save_profile("Ruth Adeyemi", "practitioner", "Health Visiting North")
    yield ws
    ws.close()


def _bruised_baby(ws: Workspace, reference: str = "CASE-7") -> int:
    case_id = ws.create_case({"reference": reference, "child_name": "Zofia Łęcka", "date_of_birth": "2026-01-10",
                              "mobility": "rolls"})
    run_id = ws.start_run(case_id, "non-mobile-bruising")
    session = ws.open_run(run_id)
    session.record_answer("unwell", "no")
    session.record_answer("mobility", "rolls", note="Rolled twice at the visit", how_known="seen")
    session.record_answer("mark_kind", ["bruise", "swelling"], how_known="reported", reported_by="the mother")
    session.record_flag_response("nim_mark_same_day", action_taken="Phoned MASH", by_whom="Ruth Adeyemi",
                                 by_when="2026-03-03")
    return run_id


def test_run_document_shows_answers_in_words_flags_and_skipped_sections(workspace):
    run_id = _bruised_baby(workspace)
    doc = run_document(workspace.store, workspace.catalog, run_id)
    assert (doc.case_reference, doc.child_name, doc.checklist_id) == ("CASE-7", "Zofia Łęcka", "non-mobile-bruising")
    assert doc.practitioner_team == "Health Visiting North"
    assert doc.status == "Draft: not yet submitted" and doc.submitted_at is None
    answers = {a.prompt_id: a for s in doc.sections for a in s.answers}
    assert answers["mobility"].answer_text == "Rolls over only"
    assert answers["mobility"].how_known_label == "Seen by me" and answers["mobility"].note == "Rolled twice at the visit"
    assert answers["mark_kind"].answer_text == "Bruise, Swelling"
    assert answers["mark_kind"].how_known_label == "Reported by the mother"
    assert answers["seen_how"].answer_text == ""  # shown, not yet answered
    assert "explanation_text" not in answers  # hidden until an explanation is given
    flag = next(f for f in doc.flags if f.flag_id == "nim_mark_same_day")
    assert flag.severity == "urgent" and flag.response.action_taken == "Phoned MASH"
    assert flag.response.by_when.isoformat() == "2026-03-03"
    assert {s.id for s in doc.sources} >= set(flag.sources)
    assert len(doc.audit_fingerprint) == 16


def test_a_mobile_child_gets_the_not_mobile_section_named_as_skipped(workspace):
    case_id = workspace.create_case({"reference": "CASE-8", "child_name": "Ion Popescu", "date_of_birth": "2024-05-01",
                                     "mobility": "walks"})
    run_id = workspace.start_run(case_id, "non-mobile-bruising")
    workspace.open_run(run_id).record_answer("mobility", "walks")
    doc = run_document(workspace.store, workspace.catalog, run_id)
    skipped = [s for s in doc.sections if not s.shown]
    assert [s.skipped_because for s in skipped] == ["the child is independently mobile"]
    assert skipped[0].answers == ()


def test_a_run_prints_from_its_own_snapshot_when_the_checklist_is_no_longer_shipped(workspace):
    run_id = _bruised_baby(workspace)
    catalog = copy.copy(workspace.catalog)
    catalog.checklists = {}  # as if the checklist file had been withdrawn
    doc = run_document(workspace.store, catalog, run_id)
    assert doc.checklist_title == workspace.catalog.checklists["non-mobile-bruising"].title
    assert any(a.prompt_id == "mobility" for s in doc.sections for a in s.answers)


def test_unknown_run_and_case_raise_not_found(workspace):
    with pytest.raises(NotFound):
        run_document(workspace.store, workspace.catalog, 999)
    with pytest.raises(NotFound, match="NOPE"):
        case_document(workspace.store, workspace.catalog, "NOPE")


def test_case_document_holds_every_run_and_their_flags(workspace):
    first = _bruised_baby(workspace)
    case_id = workspace.store.get_run(first)["case_id"]
    second = workspace.start_run(case_id, "non-mobile-bruising")
    workspace.open_run(second).record_answer("mobility", "not_rolling")
    doc = case_document(workspace.store, workspace.catalog, "CASE-7")
    assert len(doc.runs) == 2
    assert all(f.checklist_title for f in doc.cumulative_flags)
    assert len(doc.cumulative_flags) == sum(len(r.flags) for r in doc.runs)


def _report(data_dir: Path, *args: str) -> int:
    return cli_main(["--data-dir", str(data_dir), "report", *args])


def test_cli_writes_a_run_and_a_case_pdf(workspace, tmp_path, capsys):
    run_id = _bruised_baby(workspace)
    out = tmp_path / "run.pdf"
    assert _report(workspace.data_dir, "--run", str(run_id), "--out", str(out)) == 0
    text = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "CASE-7" in text and "Zofia Łęcka" in text
    stdout = capsys.readouterr().out
    assert f"run {run_id}" in stdout and "Zofia" not in stdout  # no recorded text on the console
    case_out = tmp_path / "case.pdf"
    assert _report(workspace.data_dir, "--case", "CASE-7", "--out", str(case_out)) == 0
    assert "Flags across all checklists" in PdfReader(io.BytesIO(case_out.read_bytes())).pages[0].extract_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_cli_unknown_run_or_case_exits_3_and_writes_nothing(workspace, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert _report(workspace.data_dir, "--run", "404", "--out", str(out)) == reports.EXIT_NOT_FOUND
    assert "no checklist run with id 404" in capsys.readouterr().err
    assert _report(workspace.data_dir, "--case", "NOPE", "--out", str(out)) == reports.EXIT_NOT_FOUND
    assert not out.exists()


def test_cli_unwritable_targets_exit_4_with_the_reason(workspace, tmp_path, capsys):
    run_id = _bruised_baby(workspace)
    missing = tmp_path / "no-such-folder" / "r.pdf"
    assert _report(workspace.data_dir, "--run", str(run_id), "--out", str(missing)) == reports.EXIT_CANNOT_WRITE
    assert "does not exist" in capsys.readouterr().err
    assert _report(workspace.data_dir, "--run", str(run_id), "--out", str(tmp_path)) == reports.EXIT_CANNOT_WRITE
    assert "is a folder" in capsys.readouterr().err


def test_cli_folder_refusing_new_files_exits_4(workspace, tmp_path, monkeypatch, capsys):
    run_id = _bruised_baby(workspace)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    code = _report(workspace.data_dir, "--run", str(run_id), "--out", str(tmp_path / "r.pdf"))
    assert code == reports.EXIT_CANNOT_WRITE
    assert f"Cannot write {tmp_path / 'r.pdf'}: Permission denied" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_failed_write_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old report")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(reports.CannotWrite, match="No space left on device"):
        reports.write_whole(target, b"%PDF new")
    assert target.read_bytes() == b"old report"
    assert list(tmp_path.iterdir()) == [target]


def test_write_whole_replaces_an_existing_file(tmp_path):
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old")
    reports.write_whole(target, b"%PDF new")
    assert target.read_bytes() == b"%PDF new"


def test_a_note_on_an_unanswered_question_prints_as_not_answered_with_the_note(workspace):
    from app.report import build_run_pdf

    run_id = _bruised_baby(workspace, reference="CASE-8")
    workspace.open_run(run_id).record_note("seen_how", note="Mother showed a photo; seeing it tomorrow",
                                           how_known="reported", reported_by="the mother")
    doc = run_document(workspace.store, workspace.catalog, run_id)
    line = next(a for s in doc.sections for a in s.answers if a.prompt_id == "seen_how")
    assert line.answer_text == ""
    assert line.note == "Mother showed a photo; seeing it tomorrow"
    assert line.how_known_label == "Reported by the mother"
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(build_run_pdf(doc))).pages)
    question = next(p.ask for p in workspace.catalog.checklists["non-mobile-bruising"].prompts() if p.id == "seen_how")
    after = text[text.index(" ".join(question.split())):]
    assert after.split(" Note: ")[0].endswith("Not answered How known: Reported by the mother")
    assert "Note: Mother showed a photo; seeing it tomorrow" in text
    assert "None" not in text.replace("None of these", "")


def test_a_cjk_name_in_a_case_and_a_run_still_makes_both_pdfs_with_the_mark(workspace, tmp_path, capsys,
                                                                           shipped_fonts_only):
    case_id = workspace.create_case({"reference": "CASE-CJK", "child_name": "王小明", "date_of_birth": "2026-01-10",
                                     "mobility": "rolls"})
    run_id = workspace.start_run(case_id, "non-mobile-bruising")
    workspace.open_run(run_id).record_answer("mobility", "rolls", note="Grandmother 李秀英 was there", how_known="seen")
    out, case_out = tmp_path / "run.pdf", tmp_path / "case.pdf"
    assert _report(workspace.data_dir, "--run", str(run_id), "--out", str(out)) == 0
    assert _report(workspace.data_dir, "--case", "CASE-CJK", "--out", str(case_out)) == 0
    for pdf in (out, case_out):
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
        assert "[characters not shown: U+738B U+5C0F U+660E]" in text  # the child's name
        assert "Note: Grandmother [characters not shown: U+674E U+79C0 U+82F1] was there" in text
        assert "Some recorded text cannot be shown in this PDF" in text
        assert "U+738B CJK UNIFIED IDEOGRAPH-738B" in text
    captured = capsys.readouterr()
    assert captured.err.count("6 different characters in this record are in a script that no font") == 2
    assert "王" not in captured.err + captured.out and "U+738B" not in captured.err  # nothing recorded on the console


def test_an_arabic_household_name_keeps_the_apps_wording_left_to_right(workspace):
    from app.domain.model import Prompt
    from app.documents import answer_text

    case_id = workspace.create_case({"reference": "CASE-AR", "child_name": "Baby", "date_of_birth": "2026-01-10",
                                     "household": [{"name": "فاطمة", "relationship": "mother"},
                                                   {"name": "Dean Moss", "relationship": "father"}]})
    facts = workspace.case_facts(case_id)
    prompt = next(p for p in workspace.catalog.checklists["fathers-and-male-carers"].prompts() if p.id == "man")
    assert isinstance(prompt, Prompt)
    mother, father = facts.household
    assert answer_text(prompt, mother.id, facts) == "\u2068فاطمة\u2069 (mother)"  # isolated: invisible marks
    assert answer_text(prompt, father.id, facts) == "Dean Moss (father)"  # nothing added where not needed
