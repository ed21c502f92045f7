"""Record exchange between computers: bundles out of one data folder and into another."""
import datetime as dt
import json
import os

import pytest

from app.cli import main as cli_main
from app.services import Workspace
from app.store import BundleRefused, StoreError
from app.store import exchange

TODAY = dt.date.today()
PRACTITIONER = ("Amina Patel", "practitioner", "Health visiting North")
SUPERVISOR = ("Jo Okafor", "supervisor", "Health visiting North")


def open_ws(folder, who=PRACTITIONER, training=False):
    ws = Workspace.open(folder, training=training)
    ws.save_profile(*who)
    return ws


@pytest.fixture
def laptop_a(tmp_path):
    ws = open_ws(tmp_path / "a")
    yield ws
    ws.close()


@pytest.fixture
def laptop_b(tmp_path):
    ws = open_ws(tmp_path / "b", SUPERVISOR)
    yield ws
    ws.close()


def bruising_run(ws, reference="WV-0001"):
    case_id = ws.store.find_case(reference)["id"] if ws.store.find_case(reference) else ws.create_case({
        "reference": reference, "child_name": "Baby Kowalczyk",
        "date_of_birth": (TODAY - dt.timedelta(weeks=8)).isoformat(), "mobility": "not_rolling",
        "household": [{"id": "m1", "name": "Kasia Nowak", "relationship": "mother"},
                      {"id": "m2", "name": "Tomasz Nowak", "relationship": "father"}],
        "agencies": [{"name": "GP", "role": "Dr Shah", "contact": "01902 555 0101"}],
    })
    run_id = ws.start_run(case_id, "non-mobile-bruising")
    session = ws.open_run(run_id)
    for prompt, value in (("unwell", "no"), ("mobility", "not_rolling"), ("mark_kind", ["bruise"]),
                          ("seen_how", "seen"), ("documented_medical", "no")):
        session.record_answer(prompt, value, note=f"Note on {prompt}", how_known="seen")
    session.record_flag_response("nim_mark_same_day", action_taken="Phoned the MASH; referral made",
                                 by_whom="Amina Patel", by_when=TODAY.isoformat())
    return run_id


def submitted_run(ws, reference="WV-0001"):
    """A bruising run answered in full and submitted for review."""
    run_id = bruising_run(ws, reference)
    session = ws.open_run(run_id)
    for prompt in [p.id for p in session.evaluation.missing_required]:
        session.record_answer(prompt, _any_value(session.checklist.prompt(prompt), session))
    for flag in session.evaluation.flags:
        if flag.id not in session.flag_responses:
            session.record_flag_response(flag.id, action_taken="Discussed with the safeguarding lead",
                                         by_whom="Amina Patel")
    session.submit()
    return run_id


def _any_value(prompt, session):
    kind = str(prompt.type)
    if prompt.options:
        return prompt.options[0].value if kind != "multi_choice" else [prompt.options[0].value]
    if kind == "yes_no_unknown":
        return "no"
    if kind == "number":
        return prompt.min or 0
    if kind == "date":
        return TODAY.isoformat()
    if kind == "person":
        return session.facts.household[0].id
    return "Recorded in the notes of the visit"


def snapshot_of(ws, run_id):
    """Everything recorded on a run, without this computer's ids."""
    store = ws.store
    run = store.get_run(run_id)
    flags = [{k: f[k] for k in ("flag_id", "severity", "message", "action", "raised_at", "cleared_at")} | {
        "response": f["response"]} for f in store.list_flags(run_id, include_cleared=True)]
    return {
        "run": {k: run[k] for k in ("checklist_id", "checklist_version", "status", "practitioner", "version",
                                    "created_at", "updated_at", "submitted_at", "signed_off_at", "signed_off_by",
                                    "case_reference", "child_name", "snapshot", "case_snapshot", "flag_rank")},
        "answers": store.get_answers(run_id),
        "flags": flags,
        "responses": store.flag_responses(run_id),
        "reviews": [{k: r[k] for k in ("supervisor", "decision", "comment", "at")} for r in store.list_reviews(run_id)],
        "audit": [{k: a[k] for k in ("at", "who", "entity", "entity_id", "field", "old_value", "new_value")}
                  for a in store.audit_trail(run_id=run_id)],
    }


def only_run(ws):
    runs = ws.store.list_runs(limit=100)
    assert len(runs) == 1
    return runs[0]["id"]


# -- the round trip ------------------------------------------------------------------------------------------

def test_round_trip_carries_every_answer_flag_review_and_audit_row_and_the_audit_verifies(laptop_a, laptop_b, tmp_path):
    plain = bruising_run(laptop_a)
    reviewed = submitted_run(laptop_a, "WV-0002")
    laptop_a.store.add_review_comment(reviewed, "Jo Okafor", "Good, clear rationale for the referral.")
    bundle = tmp_path / "for-jo.spcbundle"
    done = laptop_a.store.export_bundle([plain, reviewed], bundle, "real", by="Amina Patel")
    assert done["runs"] == 2 and bundle.exists()

    result = laptop_b.store.import_bundle(bundle, "real", by="Jo Okafor")
    assert len(result.added) == 2 and not result.updated and not result.unchanged
    assert result.summary.startswith("2 checklists added")
    by_reference = {laptop_b.store.get_run(r)["case_reference"]: r for r in result.added}
    for original, reference in ((plain, "WV-0001"), (reviewed, "WV-0002")):
        copy = by_reference[reference]
        assert snapshot_of(laptop_b, copy) == snapshot_of(laptop_a, original)
        assert laptop_b.store.verify_audit(copy).ok
    assert laptop_b.store.verify_audit().ok
    case = laptop_b.store.find_case("WV-0001")
    assert [m["name"] for m in case["household"]] == ["Kasia Nowak", "Tomasz Nowak"]
    assert case["agencies"][0]["contact"] == "01902 555 0101"
    assert laptop_b.store.get_profile("Amina Patel")["team"] == "Health visiting North"
    # the import itself is on record, without changing any run's history
    imported = laptop_b.store.audit_trail(entity="exchange", entity_id=result.sha256[:16])
    assert [row["field"] for row in imported] == ["imported"]
    assert imported[0]["who"] == "Jo Okafor"
    exported = laptop_a.store.audit_trail(entity="exchange", entity_id=done["sha256"][:16])
    assert [row["field"] for row in exported] == ["exported"]


def test_a_signed_off_run_arrives_signed_off_and_frozen(laptop_a, laptop_b, tmp_path):
    run_id = submitted_run(laptop_a)
    laptop_a.store.sign_off(run_id, "Jo Okafor", "Agreed")
    laptop_a.store.export_bundle([run_id], tmp_path / "b.spcbundle", "real", by="Amina Patel")
    copy = laptop_b.store.import_bundle(tmp_path / "b.spcbundle", "real", by="Jo Okafor").added[0]
    assert laptop_b.store.get_run(copy)["status"] == "signed_off"
    assert snapshot_of(laptop_b, copy) == snapshot_of(laptop_a, run_id)
    with pytest.raises(StoreError):
        laptop_b.store.save_answer(copy, "unwell", "yes", by="Jo Okafor")


def test_an_amendment_travels_with_its_link_to_the_version_it_amends(laptop_a, laptop_b, tmp_path):
    first = submitted_run(laptop_a)
    laptop_a.store.sign_off(first, "Jo Okafor")
    second = laptop_a.store.amend(first, by="Amina Patel")
    laptop_a.store.export_bundle([second, first], tmp_path / "b.spcbundle", "real", by="Amina Patel")
    result = laptop_b.store.import_bundle(tmp_path / "b.spcbundle", "real", by="Jo Okafor")
    older, newer = sorted(result.added)
    assert laptop_b.store.get_run(newer)["amends_run_id"] == older
    assert laptop_b.store.get_run(older)["amended_by_run_id"] == newer
    assert laptop_b.store.verify_audit().ok


def test_notes_on_unanswered_questions_travel_and_are_copied_into_an_amendment(laptop_a, laptop_b, tmp_path):
    first = submitted_run(laptop_a)
    laptop_a.store.return_run(first, "Jo Okafor", "Say what the GP said")
    session = laptop_a.open_run(first)
    session.record_note("siblings", note="GP to call back on Monday")  # an optional question left unanswered
    session.clear_answer("seen_how")  # the answer goes, its note stays
    session.record_answer("seen_how", "seen")
    session.submit()
    laptop_a.store.sign_off(first, "Jo Okafor")
    second = laptop_a.store.amend(first, by="Amina Patel")
    copied = laptop_a.store.get_answers(second)
    assert copied["siblings"]["value"] is None and copied["siblings"]["note"] == "GP to call back on Monday"
    assert laptop_a.store.verify_audit(second).ok
    laptop_a.store.export_bundle([first, second], tmp_path / "b.spcbundle", "real", by="Amina Patel")
    result = laptop_b.store.import_bundle(tmp_path / "b.spcbundle", "real", by="Jo Okafor")
    older, newer = sorted(result.added)
    assert snapshot_of(laptop_b, older) == snapshot_of(laptop_a, first)
    assert snapshot_of(laptop_b, newer) == snapshot_of(laptop_a, second)
    assert laptop_b.store.verify_audit().ok


# -- refusing damaged and altered bundles --------------------------------------------------------------------

def exported(ws, tmp_path, name="b.spcbundle"):
    path = tmp_path / name
    ws.store.export_bundle([r["id"] for r in ws.store.list_runs(limit=100)], path, "real", by="Amina Patel")
    return path


def test_changing_one_byte_of_an_answer_is_refused_and_nothing_is_imported(laptop_a, laptop_b, tmp_path):
    bruising_run(laptop_a)
    path = exported(laptop_a, tmp_path)
    data = path.read_bytes()
    at = data.index(b"Note on documented_medical")
    path.write_bytes(data[:at] + b"M" + data[at + 1:])  # 'Note' -> 'Mote'
    with pytest.raises(BundleRefused, match="has been changed since it was exported") as refused:
        laptop_b.store.import_bundle(path, "real", by="Jo Okafor")
    assert "Nothing was imported" in refused.value.user_message
    assert laptop_b.store.count_runs() == 0 and laptop_b.store.count_cases() == 0


def test_a_truncated_bundle_is_refused(laptop_a, laptop_b, tmp_path):
    bruising_run(laptop_a)
    path = exported(laptop_a, tmp_path)
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 3, 10):
        path.write_bytes(data[:cut])
        with pytest.raises(BundleRefused, match="incomplete or damaged"):
            laptop_b.store.import_bundle(path, "real", by="Jo Okafor")
    assert laptop_b.store.count_runs() == 0


def reseal(path, change):
    """Change the payload and write a fresh fingerprint, as a deliberate forger would."""
    payload = json.loads(path.read_text(encoding="utf-8"))["payload"]
    change(payload)
    path.write_bytes(exchange.seal(payload)[0])


def test_an_answer_changed_with_a_fresh_fingerprint_is_caught_by_the_run_history(laptop_a, laptop_b, tmp_path):
    bruising_run(laptop_a)
    path = exported(laptop_a, tmp_path)

    def flip(payload):
        answer = next(a for a in payload["runs"][0]["answers"] if a["prompt_id"] == "documented_medical")
        answer["value"] = json.dumps("yes")

    reseal(path, flip)
    with pytest.raises(BundleRefused, match="do not match its own history"):
        laptop_b.store.import_bundle(path, "real", by="Jo Okafor")
    assert laptop_b.store.count_runs() == 0


def test_a_history_entry_edited_or_removed_with_a_fresh_fingerprint_breaks_the_chain(laptop_a, laptop_b, tmp_path):
    bruising_run(laptop_a)
    bruising_run(laptop_a, "WV-0002")
    path = exported(laptop_a, tmp_path)
    original = path.read_bytes()

    def edit(payload):
        payload["runs"][1]["audit"][2]["who"] = "Someone Else"

    reseal(path, edit)
    with pytest.raises(BundleRefused, match=r"checklist 2 .* does not match its fingerprint"):
        laptop_b.store.import_bundle(path, "real", by="Jo Okafor")

    path.write_bytes(original)
    reseal(path, lambda payload: payload["runs"][0]["audit"].pop(3))
    with pytest.raises(BundleRefused, match="does not follow on from the entry before it"):
        laptop_b.store.import_bundle(path, "real", by="Jo Okafor")
    assert laptop_b.store.count_runs() == 0  # the good first run was not imported on its own either


def test_something_that_is_not_a_bundle_is_refused_plainly(laptop_b, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    with pytest.raises(BundleRefused, match="is not a Safeguarding Practice Checklists bundle"):
        laptop_b.store.import_bundle(path, "real", by="Jo Okafor")
    with pytest.raises(BundleRefused, match="There is no bundle file"):
        laptop_b.store.import_bundle(tmp_path / "missing.spcbundle", "real", by="Jo Okafor")


# -- duplicates and newer versions ---------------------------------------------------------------------------

def test_importing_the_same_bundle_twice_skips_the_run_with_a_note(laptop_a, laptop_b, tmp_path):
    bruising_run(laptop_a)
    path = exported(laptop_a, tmp_path)
    first = laptop_b.store.import_bundle(path, "real", by="Jo Okafor")
    rows = len(laptop_b.store.audit_trail(run_id=first.added[0]))
    again = laptop_b.store.import_bundle(path, "real", by="Jo Okafor")
    assert again.added == [] and again.unchanged == first.added
    assert "is already here and unchanged, so it was skipped" in again.notes[0]
    assert laptop_b.store.count_runs() == 1 and laptop_b.store.count_cases() == 1
    assert len(laptop_b.store.audit_trail(run_id=first.added[0])) == rows
    # and a bundle of it going back to where it was made is a duplicate there too
    back = tmp_path / "back.spcbundle"
    laptop_b.store.export_bundle(first.added, back, "real", by="Jo Okafor")
    assert laptop_a.store.import_bundle(back, "real", by="Amina Patel").unchanged == [only_run(laptop_a)]


def test_a_newer_local_version_is_kept_and_reported(laptop_a, laptop_b, tmp_path):
    bruising_run(laptop_a)
    old_bundle = exported(laptop_a, tmp_path, "old.spcbundle")
    copy = laptop_b.store.import_bundle(old_bundle, "real", by="Jo Okafor").added[0]
    session = laptop_b.open_run(copy)
    session.record_answer("seen_how", "reported", note="Mother showed me a photo")
    before = snapshot_of(laptop_b, copy)

    result = laptop_b.store.import_bundle(old_bundle, "real", by="Jo Okafor")
    assert result.kept_local == [copy] and not result.updated
    assert "was kept as it is here: the copy here is newer" in result.notes[0]
    assert snapshot_of(laptop_b, copy) == before
    assert laptop_b.store.get_answers(copy)["seen_how"]["value"] == "reported"


def test_a_newer_bundle_brings_the_local_copy_up_to_date(laptop_a, laptop_b, tmp_path):
    """The supervisor's laptop signs off; the practitioner's laptop takes the signed-off version back."""
    run_id = submitted_run(laptop_a)
    to_jo = exported(laptop_a, tmp_path, "to-jo.spcbundle")
    copy = laptop_b.store.import_bundle(to_jo, "real", by="Jo Okafor").added[0]
    laptop_b.store.sign_off(copy, "Jo Okafor", "Referral made the same day; well recorded.")
    back = tmp_path / "back.spcbundle"
    laptop_b.store.export_bundle([copy], back, "real", by="Jo Okafor")

    result = laptop_a.store.import_bundle(back, "real", by="Amina Patel")
    assert result.updated == [run_id] and not result.added
    assert "was brought up to date from the bundle" in result.notes[0]
    assert laptop_a.store.get_run(run_id)["status"] == "signed_off"
    assert [r["comment"] for r in laptop_a.store.list_reviews(run_id)] == ["Referral made the same day; well recorded."]
    assert snapshot_of(laptop_a, run_id) == snapshot_of(laptop_b, copy)
    assert laptop_a.store.verify_audit().ok and laptop_a.store.verify_audit(run_id).ok
    # the older bundle no longer changes anything: the signed-off copy here is newer
    stale = laptop_a.store.import_bundle(to_jo, "real", by="Amina Patel")
    assert stale.kept_local == [run_id] and laptop_a.store.get_run(run_id)["status"] == "signed_off"


def test_a_run_changed_on_both_computers_keeps_the_local_copy(laptop_a, laptop_b, tmp_path):
    run_id = bruising_run(laptop_a)
    copy = laptop_b.store.import_bundle(exported(laptop_a, tmp_path, "1.spcbundle"), "real", by="Jo Okafor").added[0]
    laptop_b.open_run(copy).record_answer("seen_how", "reported")
    laptop_a.open_run(run_id).record_answer("mark_description", "Small blue bruise, left forearm")
    result = laptop_b.store.import_bundle(exported(laptop_a, tmp_path, "2.spcbundle"), "real", by="Jo Okafor")
    assert result.kept_local == [copy]
    assert "changed both here and on the computer that made the bundle" in result.notes[0]
    assert "mark_description" not in laptop_b.store.get_answers(copy)


# -- training never mixes with real records ------------------------------------------------------------------

def test_export_from_training_is_refused(tmp_path):
    training = open_ws(tmp_path / "t", training=True)
    run_id = bruising_run(training)
    with pytest.raises(BundleRefused, match="cannot be exported from the training workspace"):
        training.store.export_bundle([run_id], tmp_path / "t.spcbundle", "training", by="Amina Patel")
    assert not (tmp_path / "t.spcbundle").exists()
    training.close()


def test_a_bundle_only_goes_into_its_own_kind_of_workspace(laptop_a, tmp_path):
    bruising_run(laptop_a)
    path = exported(laptop_a, tmp_path)
    training = open_ws(tmp_path / "b", training=True)
    with pytest.raises(BundleRefused, match="cannot be imported into the training workspace"):
        training.store.import_bundle(path, "training", by="Amina Patel")
    assert training.store.count_runs() == 0
    training.close()
    reseal(path, lambda payload: payload.update(workspace="training"))
    real = open_ws(tmp_path / "c")
    with pytest.raises(BundleRefused, match="training workspace; it cannot be imported into real records"):
        real.store.import_bundle(path, "real", by="Amina Patel")
    real.close()


# -- the file is written whole or not at all -----------------------------------------------------------------

def test_a_refused_export_leaves_an_existing_file_untouched_and_no_partial_file(laptop_a, tmp_path):
    run_id = bruising_run(laptop_a)
    path = tmp_path / "out.spcbundle"
    path.write_bytes(b"yesterday's bundle")
    with pytest.raises(BundleRefused, match="no checklist run with id 999"):
        laptop_a.store.export_bundle([run_id, 999], path, "real", by="Amina Patel")
    assert path.read_bytes() == b"yesterday's bundle"
    assert sorted(os.listdir(tmp_path)) == ["a", "out.spcbundle"]
    with pytest.raises(StoreError, match="could not be written"):
        laptop_a.store.export_bundle([run_id], tmp_path / "no-such-folder" / "x.spcbundle", "real", by="Amina Patel")


# -- the command line ----------------------------------------------------------------------------------------

def test_command_line_export_and_import(laptop_a, tmp_path, capsys):
    run_id = bruising_run(laptop_a)
    laptop_a.close()
    bundle = tmp_path / "cli.spcbundle"
    assert cli_main(["--data-dir", str(tmp_path / "a"), "export", "--run", str(run_id), "--out", str(bundle)]) == 0
    out = capsys.readouterr().out
    assert "Exported 1 checklist run to" in out and "Fingerprint (SHA-256):" in out
    target = tmp_path / "cli-b"
    assert cli_main(["--data-dir", str(target), "import", str(bundle)]) == 0
    assert capsys.readouterr().out.startswith("1 checklist added")
    assert cli_main(["--data-dir", str(target), "import", str(bundle)]) == 0
    assert "already here and unchanged" in capsys.readouterr().out
    bundle.write_bytes(bundle.read_bytes()[:-40])
    assert cli_main(["--data-dir", str(target), "import", str(bundle)]) == 1
    assert "incomplete or damaged" in capsys.readouterr().err
    assert cli_main(["--data-dir", str(target), "--training", "export", "--run", "1", "--out",
                     str(tmp_path / "t.spcbundle")]) == 1
    assert "cannot be exported from the training workspace" in capsys.readouterr().err
    assert not (tmp_path / "t.spcbundle").exists()
    assert cli_main(["--data-dir", str(target), "--training", "import", str(tmp_path / "nothing")]) == 1
