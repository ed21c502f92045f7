"""The record verbs end to end: seed-demo, runs and check (headless, through app.cli.main)."""
from __future__ import annotations

import json
import sqlite3
import unicodedata

import pytest

from app.cli import main
from app.store import open_store


def _runs_json(capsys, *args):
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def seeded(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "seed-demo", "--cases", "40", "--seed", "3"]) == 0
    assert "Added 40 fictional cases" in capsys.readouterr().out
    return tmp_path


def test_seed_demo_makes_runs_of_real_checklists_in_every_status(seeded):
    with open_store(seeded) as store:
        assert store.count_cases() == 40
        assert {s: store.count_runs(status=s) > 0 for s in ("draft", "submitted", "returned", "signed_off")} == \
            dict.fromkeys(("draft", "submitted", "returned", "signed_off"), True)
        from app.catalog import load_catalog
        shipped = load_catalog("checklists").checklists
        listed = store.list_runs(limit=500)
        assert {r["checklist_id"] for r in listed} <= shipped.keys()
        run = store.get_run(listed[0]["id"])
        assert run["snapshot"] == shipped[run["checklist_id"]].snapshot
        assert store.get_answers(run["id"]), "seeded runs carry answers"
        signed = store.list_runs(status="signed_off", limit=1)[0]
        assert [r["decision"] for r in store.list_reviews(signed["id"])][-1] == "signed_off"
        assert store.verify_audit().ok and store.integrity_check() == []


def test_seeded_names_use_their_own_scripts(seeded):
    with open_store(seeded) as store:
        names = " ".join(m["name"] for c in store.list_cases(limit=40) for m in store.get_case(c["id"])["household"])
    scripts = {unicodedata.name(ch).split()[0] for ch in names if ch.isalpha()}
    assert "LATIN" in scripts and len(scripts) >= 3, scripts


def test_seed_demo_refuses_a_database_with_real_cases(tmp_path, capsys):
    with open_store(tmp_path) as store:
        store.create_case({"reference": "REAL-1", "child_name": "A"}, by="Jo")
    assert main(["seed-demo", "--data-dir", str(tmp_path), "--cases", "2"]) == 1
    assert "already holds real (non-demo) cases" in capsys.readouterr().err
    with open_store(tmp_path) as store:
        assert store.count_cases() == 1


def test_training_flag_seeds_the_training_file_only(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "--training", "seed-demo", "--cases", "3"]) == 0
    assert (tmp_path / "training.db").exists() and not (tmp_path / "records.db").exists()


def test_runs_lists_filters_and_prints_json(seeded, capsys):
    every = _runs_json(capsys, "runs", "--data-dir", str(seeded), "--limit", "500")
    with open_store(seeded) as store:
        assert len(every) == store.count_runs() >= 120  # 3 per case, plus any amendments
    stamps = [r["updated_at"] for r in every]
    assert stamps == sorted(stamps, reverse=True)
    returned = _runs_json(capsys, "--data-dir", str(seeded), "runs", "--status", "returned")
    assert returned and {r["status"] for r in returned} == {"returned"}
    assert set(returned[0]) == {"id", "case_reference", "child_name", "checklist_id", "checklist_version", "status",
                                "practitioner", "updated_at"}
    capsys.readouterr()
    assert main(["--data-dir", str(seeded), "runs", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "CASE", "CHILD", "CHECKLIST", "STATUS", "PRACTITIONER", "LAST", "CHANGE"]
    assert len(lines) == 4 and str(every[0]["id"]) == lines[1].split()[0]


def test_check_passes_then_fails_on_a_tampered_audit_row(seeded, capsys):
    capsys.readouterr()
    assert main(["--data-dir", str(seeded), "check"]) == 0
    out = capsys.readouterr().out
    assert "Integrity check: ok" in out and "Backups: 1 kept" in out
    raw = sqlite3.connect(seeded / "records.db")
    raw.execute("DROP TRIGGER audit_no_update")
    raw.execute("UPDATE audit SET who = 'someone else' WHERE id = 5")
    raw.commit()
    raw.close()
    assert main(["--data-dir", str(seeded), "check"]) == 1
    assert "entry 5 does not match its fingerprint" in capsys.readouterr().err


def test_check_on_a_damaged_file_names_it_and_exits_1(tmp_path, capsys):
    (tmp_path / "records.db").write_bytes(b"\x00" * 8192)
    assert main(["check", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path / "records.db") in err and "has not been changed" in err
    assert (tmp_path / "records.db").read_bytes() == b"\x00" * 8192


def test_bad_numbers_are_refused_by_the_parser(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["seed-demo", "--data-dir", str(tmp_path), "--cases", "0"])
    assert "must be 1 or more" in capsys.readouterr().err
