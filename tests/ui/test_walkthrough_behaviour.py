"""The walk-through's promises, one at a time, through what a practitioner does and sees."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea, QApplication, QCalendarWidget, QLabel, QRadioButton, QScrollBar, QStackedWidget, QWidget,
)

from app.store.errors import StoreFull
from app.ui.walkthrough import WalkthroughView
from walkthrough_helpers import (  # noqa: F401  (fixtures)
    Practitioner, data_dir, days_ago, open_workspace, show_view, start, workspace,
)


def _ancestors(widget):
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


def test_opens_at_step_one_with_progress_and_required_words(qtbot, workspace):
    run_id = start(workspace, "pre-birth-early-help")
    view = show_view(qtbot, workspace.open_run(run_id))
    assert view.step_label.text() == "Step 1 of 5"
    assert view.section_title.text() == "The pregnancy"
    card = view.cards["booking_week"]
    assert card.required_tag.text() == "Required"
    assert card.question.font().bold()
    assert view.step_list.item(0).text().endswith("0 of 2 answered")
    assert not view.back_button.isEnabled()
    assert view.flags.summary.text().startswith("No flags raised so far")


def test_language_nudge_appears_as_you_type_and_never_blocks_saving(qtbot, workspace):
    run_id = start(workspace, "fathers-and-male-carers", date_of_birth=days_ago(70))
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    person.answer("man_seen", "declined")
    box = person.card("not_seen_reason").editor.edit
    person.type_into(box, "Home was chaotic and he was ", leave=False)
    nudge = person.card("not_seen_reason").nudge
    qtbot.waitUntil(nudge.isVisible)
    assert "‘chaotic’ can make a concern sound smaller than it is." in nudge.text()
    assert "Describe what happened and when" in nudge.text()
    qtbot.keyClicks(box, "engaging well today")
    assert "‘engaging well’" in nudge.text()
    person.key(Qt.Key.Key_Tab, box)
    qtbot.waitUntil(lambda: "not_seen_reason" in view.session.answers)
    assert view.session.answers["not_seen_reason"].value == "Home was chaotic and he was engaging well today"
    assert view.status.text().startswith("Saved ")
    # Rewriting it specifically takes the nudge away.
    box.selectAll()
    person.type_into(box, "Two visits offered; he left by the back door both times.", leave=False)
    qtbot.waitUntil(lambda: not nudge.isVisible())


def test_text_is_saved_after_a_short_pause_without_leaving_the_box(qtbot, workspace):
    run_id = start(workspace, "was-not-brought", date_of_birth=days_ago(400))
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    box = person.card("reason").editor.edit
    person.type_into(box, "Mother said the bus did not come", leave=False)
    assert box.hasFocus()
    qtbot.waitUntil(lambda: "reason" in view.session.answers, timeout=3000)
    assert box.hasFocus()
    assert workspace.open_run(run_id).answers["reason"].value == "Mother said the bus did not come"


def test_urgent_flag_for_an_8_week_old_with_a_bruise_is_shown_at_once_without_taking_focus(qtbot, workspace):
    run_id = start(workspace, "non-mobile-bruising", date_of_birth=days_ago(56))
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    person.answer("unwell", "no")
    person.answer("mobility", "rolls")
    assert "nim_mark_same_day" not in view.flags.cards
    bruise = person.card("mark_kind").editor.boxes["bruise"]
    person.click(bruise)
    qtbot.waitUntil(lambda: "nim_mark_same_day" in view.flags.cards)
    no = bruise
    card = view.flags.cards["nim_mark_same_day"]
    assert card.isVisible()
    assert card.band.text() == "URGENT — act today"
    settings = workspace.catalog.settings
    assert settings["mash_phone"] in card.action.text()
    assert "paediatric" in card.action.text()
    # Announced and highlighted, but the practitioner's focus stays where they are working.
    assert QApplication.focusWidget() is no
    assert view.urgent_banner.isVisible()
    assert "URGENT — act today" in view.urgent_text.text()
    assert "Urgent flag raised" in view.flags.accessibleDescription()
    assert card.property("fresh") is True
    # Responding is available straight away, from the banner, still on step 1.
    assert view.current == 0
    person.click(view.urgent_go)
    qtbot.waitUntil(lambda: card.form is not None and card.form.action_taken.hasFocus())
    qtbot.keyClicks(card.form.action_taken, "Referred to the MASH by phone; same-day paediatric slot booked for 14:00.")
    person.type_into(card.form.by_whom, "Priya Shah, health visitor", leave=False)
    person.click(card.form.when_today)
    person.click(card.form.save)
    qtbot.waitUntil(lambda: "Response recorded" in card.status.text())
    assert "Referred to the MASH by phone" in card.status.text()
    assert "By: Priya Shah, health visitor" in card.status.text()
    assert not view.urgent_banner.isVisible()
    stored = workspace.open_run(run_id).flag_responses["nim_mark_same_day"]
    assert stored["by_whom"] == "Priya Shah, health visitor"


def test_flag_response_needs_what_was_done_or_why_not(qtbot, workspace):
    run_id = start(workspace, "was-not-brought", date_of_birth=days_ago(400))
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    person.answer("depends_on_adult", "yes")
    qtbot.waitUntil(lambda: "record_as_wnb" in view.flags.cards)
    card = view.flags.cards["record_as_wnb"]
    assert card.band.text() == "For information"
    person.click(card.record)
    person.click(card.form.save)
    assert card.form.error.isVisible()
    assert card.form.error.text() == "Write what was done or arranged, or why you are not taking this action."
    qtbot.keyClicks(card.form.action_taken, "Recorded as Was Not Brought in the health record.")
    person.click(card.form.save)
    assert card.form.error.text() == "Say who took, or will take, the action (name and role)."
    assert card.form.action_taken.toPlainText() == "Recorded as Was Not Brought in the health record."
    person.type_into(card.form.by_whom, "Priya Shah", leave=False)
    person.key(Qt.Key.Key_Return, card.form.by_whom)   # Enter in the form saves the response
    qtbot.waitUntil(lambda: "Response recorded" in card.status.text())
    assert view.session.flag_responses["record_as_wnb"]["action_taken"].startswith("Recorded as Was Not Brought")
    assert view.current == 0  # Enter in the flags panel did not move the step on
    # It can be changed later: the form opens with what was recorded.
    person.click(card.record)
    assert card.record.text() == "Change response"
    assert card.form.by_whom.text() == "Priya Shah"


def test_required_questions_are_named_on_finish_and_each_link_goes_to_its_question(qtbot, workspace):
    run_id = start(workspace, "was-not-brought", date_of_birth=days_ago(400))
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    person.walk({"appointment_type": "gp", "depends_on_adult": "no", "what_happened": "cancelled_rebooked",
                 "impact": "little", "child_unseen": "no", "other_concerns": ["none_known"], "moved_area": "no"})
    assert view.section_title.text() == "Check and submit"
    names = [b.text() for b in view.summary.problem_buttons]
    assert names == ["Answer: " + view.checklist.prompt("missed_12m").ask]
    assert not view.summary.submit.isEnabled()
    assert QApplication.focusWidget() is view.summary.problem_buttons[0]
    person.click(view.summary.problem_buttons[0])
    qtbot.waitUntil(lambda: person.card("missed_12m").editor.edit.hasFocus())
    assert view.section_title.text() == view.sections[1].title
    qtbot.keyClicks(person.card("missed_12m").editor.edit, "1")
    person.key(Qt.Key.Key_Return)           # Enter saves the number and moves on
    qtbot.waitUntil(lambda: "missed_12m" in view.session.answers)
    assert view.session.answers["missed_12m"].value == 1
    # Straight back to the end with the step list.
    rect = view.step_list.visualItemRect(view.step_list.item(view.summary_index))
    qtbot.mouseClick(view.step_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: view.section_title.text() == "Check and submit")
    assert not view.summary.problem_buttons
    assert view.summary.submit.isEnabled()


def test_store_error_shows_the_message_and_keeps_what_was_typed(qtbot, workspace, monkeypatch):
    run_id = start(workspace, "was-not-brought", date_of_birth=days_ago(400))
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    message = ("There is no room left to save to records.db: the disk is full. Nothing was saved from this "
               "attempt. Free some space (or ask IT support) and try again.")

    def disk_full(*args, **kwargs):
        raise StoreFull(message)

    monkeypatch.setattr(workspace.store, "save_answer", disk_full)
    card = person.card("reason")
    typed = "Mother said she had no bus fare; she asked for a home visit instead."
    person.type_into(card.editor.edit, typed)
    qtbot.waitUntil(card.error.isVisible)
    assert message in card.error.text()
    assert "What you typed is still here." in card.error.text()
    assert card.editor.edit.toPlainText() == typed
    assert view.status.text() == message
    assert "reason" not in view.session.answers
    # Closing is refused rather than losing the text.
    assert view.close_walkthrough() is False
    assert "Not closed" in view.status.text()
    # Space is freed: the next save attempt (leaving the box again) saves it.
    monkeypatch.undo()
    person.click(card.editor.edit)
    person.key(Qt.Key.Key_Tab, card.editor.edit)
    qtbot.waitUntil(lambda: "reason" in view.session.answers)
    assert not card.error.isVisible()
    assert view.status.text().startswith("Saved ")
    assert workspace.open_run(run_id).answers["reason"].value == typed


def test_bad_number_gets_a_specific_message_and_the_typing_is_kept(qtbot, workspace):
    run_id = start(workspace, "pre-birth-early-help")
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    person.answer("booking_week", "about 12")
    card = person.card("booking_week")
    qtbot.waitUntil(card.error.isVisible)
    assert card.error.text() == "Expected a number — got 'about 12'."
    assert card.editor.edit.text() == "about 12"
    person.answer("booking_week", "50")
    qtbot.waitUntil(lambda: card.editor.edit.text() == "50" and not card.editor.edit.hasFocus())
    assert card.error.text() == "The answer must be at most 42 weeks — got 50."
    person.answer("booking_week", "12")
    qtbot.waitUntil(lambda: not card.error.isVisible())
    assert view.session.answers["booking_week"].value == 12
    # Emptying the box clears the answer.
    person.answer("booking_week", "")
    qtbot.waitUntil(lambda: "booking_week" not in view.session.answers)


def test_quit_and_resume_keeps_every_answer_and_the_step(qtbot, data_dir):
    ws = open_workspace(data_dir)
    run_id = start(ws, "fathers-and-male-carers", date_of_birth=days_ago(70))
    view = show_view(qtbot, ws.open_run(run_id))
    person = Practitioner(qtbot, view)
    plan = {"all_men_recorded": "no", "man": "f1", "man_role": "stays", "man_seen": "seen_alone",
            "childhood": ["neglected", "inconsistent"], "risks": ["none_known"], "previous_children": "unknown"}
    for prompt_id in person.unanswered_on_step(plan):
        person.answer(prompt_id, plan[prompt_id])
    person.how_known("man_seen", "seen")
    person.how_known("all_men_recorded", "reported", by="Jade Morris (mother)")
    person.note("man_role", "Stays three nights a week")
    person.next_by_enter()
    for prompt_id in person.unanswered_on_step(plan):
        person.answer(prompt_id, plan[prompt_id])
    person.next_by_enter()
    assert view.step_label.text() == "Step 3 of 5"
    card = person.card("checks_made")
    person.answer("checks_made", ["police"])
    person.type_into(person.card("checks_found").editor.edit, "Police: no record found", leave=False)
    # Closing straight away, mid-typing, still keeps it.
    with qtbot.waitSignal(view.closed):
        person.click(view.close_button)
    view.close()
    ws.close()

    ws2 = open_workspace(data_dir)
    try:
        again = show_view(qtbot, ws2.open_run(run_id))
        assert again.step_label.text() == "Step 3 of 5"
        assert again.section_title.text() == again.sections[2].title
        assert again.cards["checks_made"].editor.value() == ["police"]
        assert again.cards["checks_found"].editor.text() == "Police: no record found"
        stored = ws2.open_run(run_id).answers
        for prompt_id, value in plan.items():
            assert stored[prompt_id].value == value, prompt_id
        assert stored["man_seen"].how_known == "seen"
        assert stored["all_men_recorded"].reported_by == "Jade Morris (mother)"
        assert stored["man_role"].note == "Stays three nights a week"
        # Earlier steps show exactly what was stored.
        person2 = Practitioner(qtbot, again)
        person2.click(again.back_button)
        person2.click(again.back_button)
        assert again.current == 0
        assert again.cards["man"].editor.combo.currentText() == "Ryan Cole (father)"
        assert again.cards["man_seen"].editor.buttons["seen_alone"].isChecked()
        assert again.cards["man_seen"].known_buttons["seen"].isChecked()
        assert again.cards["all_men_recorded"].reported_by.text() == "Jade Morris (mother)"
        assert again.cards["man_role"].note.text() == "Stays three nights a week"
        assert card is not again.cards["checks_made"]
    finally:
        ws2.close()


def test_keyboard_only_steps_and_position_is_stored(qtbot, workspace):
    run_id = start(workspace, "pre-birth-early-help")
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    first = person.card("booking_week").editor.edit
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    person.key(Qt.Key.Key_PageDown, first, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.current == 1)
    assert view.step_label.text() == "Step 2 of 5"
    assert workspace.open_run(run_id).run["position"] == 1
    # Focus lands on the first answer of the new step, so typing can carry on.
    assert QApplication.focusWidget() is person.card("triggers").editor.boxes["previous_nai"]
    person.key(Qt.Key.Key_Right, None, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: view.current == 2)
    person.key(Qt.Key.Key_Left, None, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: view.current == 1)
    person.key(Qt.Key.Key_PageUp, None, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.current == 0)
    # Yes / No / Not known by keyboard: Tab to the group, arrows choose.
    concealed = person.card("concealed").editor
    concealed.buttons["yes"].setFocus()
    person.key(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.session.answers.get("concealed") is not None)
    person.key(Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: view.session.answers["concealed"].value == "no")
    assert isinstance(QApplication.focusWidget(), QRadioButton)


def test_focus_stays_sensible_when_a_question_disappears(qtbot, workspace):
    run_id = start(workspace, "fathers-and-male-carers", date_of_birth=days_ago(70))
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    person.answer("man_seen", "declined")
    reason = person.card("not_seen_reason")
    assert reason.isVisible()
    seen = person.card("man_seen").editor.buttons
    seen["declined"].setFocus()
    person.key(Qt.Key.Key_Up)   # arrows choose 'not seen' (reason still shown) ...
    person.key(Qt.Key.Key_Up)   # ... then 'seen with the mother', which hides the reason
    qtbot.waitUntil(lambda: not reason.isVisible())
    focused = QApplication.focusWidget()
    assert focused is not None and focused.isVisible()
    assert focused is seen["seen_with_mother"]
    # Clearing an answer puts focus back on the question, and the reason stays hidden.
    person.click(person.card("man_seen").clear_button)
    qtbot.waitUntil(lambda: "man_seen" not in view.session.answers)
    assert QApplication.focusWidget().isVisible()


def test_why_this_matters_shows_the_reason_and_its_sources(qtbot, workspace):
    run_id = start(workspace, "pre-birth-early-help")
    view = show_view(qtbot, workspace.open_run(run_id))
    person = Practitioner(qtbot, view)
    card = person.card("concealed")
    assert card.why_box is None
    card.why_button.setFocus()
    person.key(Qt.Key.Key_Space, card.why_button)
    qtbot.waitUntil(lambda: card.why_box is not None and card.why_box.isVisible())
    text = card.why_box.text()
    assert "Concealment and denial are referral triggers" in text
    assert workspace.catalog.sources["baby-l-1.6.5"].title in text
    person.key(Qt.Key.Key_Space, card.why_button)
    assert not card.why_box.isVisible()


def test_every_control_has_an_accessible_name_and_fonts_follow_the_system(qtbot, workspace):
    run_id = start(workspace, "non-mobile-bruising", date_of_birth=days_ago(56))
    view = show_view(qtbot, workspace.open_run(run_id))
    for index in view.shown_steps():
        view.go_to_step(index, focus=False)
    view.go_to_step(view.summary_index, focus=False)
    inner = (QAbstractScrollArea, QStackedWidget, QScrollBar, QCalendarWidget)
    focusable = [w for w in view.findChildren(QWidget)
                 if w.focusPolicy() != Qt.FocusPolicy.NoFocus and not isinstance(w, (QLabel, *inner))
                 and not any(isinstance(a, QCalendarWidget) for a in _ancestors(w))
                 and type(w).__name__ != "QWidget"]
    assert len(focusable) > 40
    unnamed = [w for w in focusable if not w.accessibleName()]
    assert unnamed == [], [(type(w).__name__, getattr(w, "text", lambda: "")()) for w in unnamed]
    base = QApplication.font().pointSizeF()
    view.setFont(QApplication.font())
    assert view.cards["unwell"].question.font().pointSizeF() == pytest.approx(base * 1.1)


def test_read_only_when_the_run_is_submitted(qtbot, workspace):
    run_id = start(workspace, "was-not-brought", date_of_birth=days_ago(400))
    session = workspace.open_run(run_id)
    session.record_answer("depends_on_adult", "yes")
    session.record_flag_response("record_as_wnb", action_taken="Recorded as WNB", by_whom="Priya Shah")
    workspace.store.submit(run_id, by="Priya Shah")
    view = WalkthroughView(workspace.open_run(run_id))
    qtbot.addWidget(view)
    view.show()
    assert view.read_only_banner.isVisible()
    assert "submitted" in view.read_only_banner.text()
    buttons = view.cards["depends_on_adult"].editor.buttons
    assert buttons["yes"].isChecked() and not buttons["yes"].isEnabled()
    assert view.cards["reason"].editor.edit.isReadOnly()
    flag = view.flags.cards["record_as_wnb"]
    assert not flag.record.isVisible()
    assert "Recorded as WNB" in flag.status.text()
    view.go_to_step(view.summary_index)
    assert view.section_title.text() == "Summary"
    assert view.summary.submit is None and not view.summary.problem_buttons


def test_a_note_before_the_answer_is_saved_at_once_and_clearing_the_answer_keeps_it(qtbot, data_dir):
    ws = open_workspace(data_dir)
    run_id = start(ws, "fathers-and-male-carers", date_of_birth=days_ago(70))
    view = show_view(qtbot, ws.open_run(run_id))
    person = Practitioner(qtbot, view)
    first = view.step_list.item(0).text()
    person.how_known("all_men_recorded", "reported", by="Jade Morris (mother)")
    person.note("all_men_recorded", "Mother unsure whether the lodger counts")
    assert view.status.text().startswith("Saved ")
    # Typing a note without leaving the box is saved after the same short pause as a text answer.
    box = person.card("man").note
    person.type_into(box, "Asked for his date of birth", leave=False)
    qtbot.waitUntil(lambda: "man" in ws.store.get_answers(run_id), timeout=3000)
    stored = ws.store.get_answers(run_id)
    assert stored["all_men_recorded"]["value"] is None
    assert stored["all_men_recorded"]["note"] == "Mother unsure whether the lodger counts"
    assert stored["all_men_recorded"]["reported_by"] == "Jade Morris (mother)"
    assert stored["man"] == {**stored["man"], "value": None, "note": "Asked for his date of birth"}
    assert view.step_list.item(0).text() == first  # a note is not an answer
    assert not person.card("all_men_recorded").clear_button.isVisible()
    assert not [label for label in person.card("all_men_recorded").findChildren(QLabel)
                if "saved once the question is answered" in label.text()]
    with qtbot.waitSignal(view.closed):
        person.click(view.close_button)
    view.close()
    ws.close()

    ws2 = open_workspace(data_dir)
    try:
        again = show_view(qtbot, ws2.open_run(run_id))
        person2 = Practitioner(qtbot, again)
        card = again.cards["all_men_recorded"]
        assert card.note.text() == "Mother unsure whether the lodger counts"
        assert card.known_buttons["reported"].isChecked()
        assert card.reported_by.text() == "Jade Morris (mother)"
        assert again.cards["man"].note.text() == "Asked for his date of birth"
        assert card.editor.value() is None and not card.clear_button.isVisible()
        assert again.step_list.item(0).text() == first
        # Answer, then clear: the note stays, on screen and in the records.
        person2.answer("all_men_recorded", "no")
        assert ws2.store.get_answers(run_id)["all_men_recorded"]["value"] == "no"
        person2.click(card.clear_button)
        assert card.editor.value() is None
        assert card.note.text() == "Mother unsure whether the lodger counts"
        kept = ws2.store.get_answers(run_id)["all_men_recorded"]
        assert kept["value"] is None and kept["note"] == "Mother unsure whether the lodger counts"
        assert kept["how_known"] == "reported"
        assert again.session.answers["all_men_recorded"].value is None
    finally:
        ws2.close()
