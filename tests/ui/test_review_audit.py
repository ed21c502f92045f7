"""The audit trail view: who changed what, when, old -> new; verified against its hash chain, with a clear
warning (on the record and on the audit tab) when the chain was altered outside the app."""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from app.ui.review.audit_view import AFTER, BEFORE, WHAT, WHO
from test_review_flow import make_page, open_row, submitted_run  # noqa: F401  (fixtures come with them)
from test_review_flow import clock, review_catalog, review_ws  # noqa: F401


def texts(model, column):
    """A column in full, as a screen reader hears it (long cells are shortened on screen)."""
    return [model.index(row, column).data(Qt.ItemDataRole.AccessibleTextRole) for row in range(model.rowCount())]


def test_the_audit_tab_lists_changes_and_says_the_chain_is_intact(qtbot, qtmodeltester, review_ws):
    run_id = submitted_run(review_ws)
    page = make_page(qtbot, review_ws)
    open_row(qtbot, page, "WV-0001")
    review = page.review
    assert not review.tamper_banner.isVisible()
    qtbot.mouseClick(review.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=review.tabs.tabBar().tabRect(1).center())
    qtbot.waitUntil(lambda: review.tabs.currentIndex() == 1)
    audit = review.audit_view
    qtmodeltester.check(audit.model)
    rows = review_ws.store.audit_trail(run_id=run_id)
    assert audit.model.rowCount() == len(rows)
    assert review.tabs.tabText(1) == f"Audit trail ({len(rows)})"
    assert audit.banner.property("ok") == "true"
    assert f"all {len(rows)} entries" in audit.banner_label.text()

    what = texts(audit.model, WHAT)
    assert what[0] == "Checklist started"
    unwell = review_ws.catalog.checklists["non-mobile-bruising"].prompt("unwell").ask
    assert f"Answer: {unwell}" in what
    status_rows = [i for i, w in enumerate(what) if w == "Status"]
    assert [texts(audit.model, BEFORE)[i] for i in status_rows] == ["In progress"]
    assert [texts(audit.model, AFTER)[i] for i in status_rows] == ["Waiting for review"]
    assert set(texts(audit.model, WHO)) == {"Amina Patel"}


def test_a_tampered_chain_shows_a_clear_warning_and_marks_the_entry(qtbot, qtmodeltester, review_ws):
    run_id = submitted_run(review_ws)
    rows = review_ws.store.audit_trail(run_id=run_id)
    target = next(r for r in rows if r["entity"] == "answer" and r["field"] == "value")

    # someone edits the file behind the app's back: drops the append-only guard and rewrites an answer
    conn = sqlite3.connect(review_ws.store.path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET new_value = ? WHERE id = ?", ('"yes"', target["id"]))
    conn.commit()
    conn.close()

    page = make_page(qtbot, review_ws)
    open_row(qtbot, page, "WV-0001")
    review = page.review
    assert review.tamper_banner.isVisible()
    assert "does not verify" in review.tamper_label.text()
    assert review.tabs.tabText(1).endswith("— warning")
    assert not review.sign_off_button.isEnabled() and review.return_button.isEnabled()
    assert "cannot be signed off" in review.decision_banner.text()

    qtbot.mouseClick(review.tamper_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.tabs.currentIndex() == 1)
    audit = review.audit_view
    qtmodeltester.check(audit.model)
    assert audit.banner.property("ok") == "false"
    words = audit.banner_label.text()
    assert words.startswith("Warning: this checklist's audit trail does not verify.")
    assert f"entry {target['id']}" in words and "content was edited" in words
    row = audit.model.row_of(target["id"])
    marked = audit.model.index(row, WHAT)
    assert marked.data(Qt.ItemDataRole.BackgroundRole).name() == "#fbeae9"
    assert "does not match its fingerprint" in marked.data(Qt.ItemDataRole.ToolTipRole)
    others = [r for r in range(audit.model.rowCount()) if r != row]
    assert all(audit.model.index(r, WHAT).data(Qt.ItemDataRole.BackgroundRole) is None for r in others)


def test_a_removed_entry_is_caught_too(qtbot, review_ws):
    run_id = submitted_run(review_ws)
    rows = review_ws.store.audit_trail(run_id=run_id)
    conn = sqlite3.connect(review_ws.store.path)
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE id = ?", (rows[2]["id"],))
    conn.commit()
    conn.close()
    page = make_page(qtbot, review_ws)
    open_row(qtbot, page, "WV-0001")
    assert page.review.tamper_banner.isVisible()
    assert "removed or inserted" in page.review.audit_view.banner_label.text()
