"""Trainer mode, as a trainer uses it: choose a scenario, step through every stage entering the group's
answers into the checklist, read the debrief, run it again — with the TRAINING banner showing, and the
real records left exactly as they were."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app import paths
from app.ui import theme
from app.ui.marking import TRAINING_TEXT
from app.ui.training import TrainingPage
from app.ui.training.debrief_view import BEYOND_NOTE
from walkthrough_helpers import Practitioner

SCENARIO = "bruise-anxious-parents"
# What the trainer does in the checklist at each stage (multi-choice lists are the boxes ticked then).
STAGE_ACTIONS = [
    {"unwell": "no", "mobility": "not_rolling", "mark_kind": ["bruise"], "seen_how": "seen",
     "documented_medical": "no", "mark_description": "Blue-grey bruise, 1 cm, front of the left upper arm.",
     "referral_made": "no", "paediatric_arranged": "no", "sites": ["other"], "explanation_given": "unsure",
     "other_injuries": "no", "carers": ["mother", "father"], "siblings": "no"},
    {"referral_made": "yes", "paediatric_arranged": "yes", "explanation_given": "changed", "other_injuries": "yes"},
    {"carers": ["other_man"]},
]


def seen(label: QLabel) -> str:
    """The words a person reads in a label (rich text without its markup)."""
    if label.textFormat() == Qt.TextFormat.RichText:
        return QTextDocumentFragment.fromHtml(label.text()).toPlainText().replace("\xa0", " ")
    return label.text()


def texts(widget: QWidget) -> str:
    """Every piece of text a person can see in `widget`."""
    return "\n".join(seen(label) for label in widget.findChildren(QLabel) if label.isVisible())


def fingerprint(data_dir: Path) -> dict[str, str]:
    """Hashes of the real database and its write-ahead log (the -shm file is only a shared-memory index)."""
    records = paths.database_path(data_dir, training=False)
    files = [records, records.with_name(records.name + "-wal")]
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.exists()}


@pytest.fixture
def page(qtbot, make_ws):
    ws = make_ws(training=True, cases=False)
    widget = TrainingPage(ws)
    qtbot.addWidget(widget)
    widget.resize(1600, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), f"{widget!r} cannot be clicked"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def start(qtbot, page: TrainingPage, scenario_id: str = SCENARIO):
    click(qtbot, page.chooser.cards[scenario_id].start_button)
    qtbot.waitUntil(lambda: page.presenter is not None and page.presenter.isVisible())
    return page.presenter


def answer_stage(qtbot, presenter, actions: dict[str, object]) -> None:
    """Go to each step of the checklist that asks one of `actions`, by clicking it, and answer there."""
    view = presenter.walkthrough
    qtbot.waitUntil(lambda: view.isVisible())
    driver = Practitioner(qtbot, view)
    for index, section in enumerate(view.sections):
        if not any(p.id in actions for p in section.prompts):
            continue
        item = view.step_list.item(index)
        qtbot.mouseClick(view.step_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.step_list.visualItemRect(item).center())
        qtbot.waitUntil(lambda i=index: view.current == i)
        for prompt_id in driver.unanswered_on_step(actions):
            driver.answer(prompt_id, actions[prompt_id])


def test_a_scenario_runs_through_every_stage_to_the_debrief_and_again(qtbot, page, make_ws, tmp_path):
    real = make_ws(training=False)  # the real records in the same data folder, with cases in them
    data_dir = tmp_path / "data"
    real_before = fingerprint(data_dir)
    real_cases = real.store.count_cases()

    # the banner is on the window
    assert page.marking.isVisible() and page.marking.training_label.isVisible()
    assert page.marking.training_label.text() == TRAINING_TEXT

    presenter = start(qtbot, page)
    scenario = presenter.scenario
    assert presenter.stage_title.text() == scenario.stages[0].title
    assert "Lily Reeve · 10 weeks old" in presenter.case_line.text()
    assert scenario.stages[0].revealed in presenter.revealed.text()
    assert presenter.next_button.text() == "Next stage" and not presenter.previous_button.isEnabled()

    for number, actions in enumerate(STAGE_ACTIONS):
        stage = scenario.stages[number]
        assert presenter.stage_kicker.text() == f"STAGE {number + 1} OF {len(scenario.stages)}"
        assert presenter.stage_title.text() == stage.title
        answer_stage(qtbot, presenter, actions)
        driver = Practitioner(qtbot, presenter.walkthrough)
        qtbot.waitUntil(lambda s=stage, d=driver: sorted(d.flag_ids()) == sorted(s.expected_flags))
        last = number == len(STAGE_ACTIONS) - 1
        assert presenter.next_button.text() == ("Finish and debrief" if last else "Next stage")
        click(qtbot, presenter.next_button)
        if not last:
            qtbot.waitUntil(lambda n=number: presenter.stage_title.text() == scenario.stages[n + 1].title)

    qtbot.waitUntil(lambda: page.debrief_view is not None and page.debrief_view.isVisible())
    debrief = page.debrief_view
    shown = texts(debrief)
    assert "The group's answers raised exactly the flags expected at every stage." in shown
    assert texts(debrief.tiles["matched"]).startswith("9\nof 9 expected flags raised")
    assert texts(debrief.tiles["missed"]).startswith("0\n")
    assert texts(debrief.tiles["beyond"]).startswith("0\n")
    for stage in scenario.stages:
        assert f"Stage {scenario.stages.index(stage) + 1}: {stage.title}" in shown
    assert not debrief.missed_cards and not debrief.beyond_cards
    assert page.marking.isVisible()

    # run it again: stage 1 on a new case; the finished run stays in the training records
    first_run = page.session.run_id
    click(qtbot, debrief.again_button)
    qtbot.waitUntil(lambda: page.presenter is not None and page.presenter.isVisible()
                    and page.session.run_id != first_run)
    assert page.presenter.stage_kicker.text() == "STAGE 1 OF 3"
    assert page.presenter.kicker.text().endswith("TRN-BRUISE-02")
    assert page.workspace.store.get_answers(first_run)["carers"]["value"] == ["mother", "father", "other_man"]
    assert page.workspace.store.get_answers(page.session.run_id) == {}

    # the real workspace is untouched: same file contents, same cases, no training case
    assert fingerprint(data_dir) == real_before
    assert real.store.count_cases() == real_cases
    assert real.store.find_case("TRN-BRUISE-01") is None


def test_the_debrief_shows_what_was_missed_and_beyond_with_why_and_sources(qtbot, page):
    presenter = start(qtbot, page)
    # the group accepts the car seat explanation as fitting, then moves on without adding anything
    actions = dict(STAGE_ACTIONS[0], explanation_given="fits")
    answer_stage(qtbot, presenter, actions)
    for _ in range(len(presenter.scenario.stages)):
        click(qtbot, presenter.next_button)
    qtbot.waitUntil(lambda: page.debrief_view is not None and page.debrief_view.isVisible())
    debrief = page.debrief_view
    assert "raised 3 of the 9 flags expected" in texts(debrief)
    assert texts(debrief.tiles["missed"]).startswith("3\n")
    assert texts(debrief.tiles["beyond"]).startswith("1\n")

    missed = texts(debrief.missed_cards["ten4_positive"])
    note = presenter.scenario.note("ten4_positive")
    assert "Expected at: Stages 1, 2 and 3" in missed
    assert f"Why it matters: {note.why_it_matters}" in missed
    assert "TEN-4-FACESp bruising rule" in missed and "NICE CG89, Child maltreatment" in missed
    assert "Expected at: Stage 3: Two days later, at the strategy discussion" in texts(debrief.missed_cards["carers_unknown"])

    beyond = texts(debrief.beyond_cards["explanation_no_substitute"])
    assert "An explanation that seems to fit does not replace the paediatric assessment" in beyond
    assert "Raised at: Stages 1, 2 and 3" in beyond and BEYOND_NOTE in beyond
    assert "What the checklist asks:" in beyond and "Local protocols for marks on non-mobile babies" in beyond

    click(qtbot, debrief.back_button)
    qtbot.waitUntil(lambda: page.presenter.isVisible() and page.debrief_view is None)
    assert page.presenter.stage_kicker.text() == "STAGE 3 OF 3"


def test_presenter_text_is_large_and_scaled_from_the_system_font(qtbot, page):
    presenter = start(qtbot, page)
    base = theme.base_point_size()
    assert presenter.revealed.font().pointSizeF() == pytest.approx(base * 1.5 * 0.8, abs=0.05)
    assert presenter.stage_title.font().pointSizeF() > 1.6 * base
    before = presenter.stage_title.font().pointSizeF()
    click(qtbot, presenter.larger_button)
    assert presenter.stage_title.font().pointSizeF() == pytest.approx(before * 1.75 / 1.5, abs=0.05)
    for _ in range(10):
        if presenter.smaller_button.isEnabled():
            click(qtbot, presenter.smaller_button)
    assert not presenter.smaller_button.isEnabled()
    assert presenter.revealed.font().pointSizeF() == pytest.approx(base * 0.8, abs=0.05)


def test_trainer_notes_and_layouts(qtbot, page):
    presenter = start(qtbot, page)
    assert not presenter.notes.isVisible()
    click(qtbot, presenter.notes_button)
    qtbot.waitUntil(presenter.notes.isVisible)
    notes = texts(presenter.notes)
    assert "A baby or child who is not independently mobile has a bruise or mark" in notes
    assert "Why this stage matters" in notes
    click(qtbot, presenter.layout_buttons["stage"])
    qtbot.waitUntil(lambda: not presenter.checklist_holder.isVisible())
    assert presenter.stage_side.isVisible()
    click(qtbot, presenter.layout_buttons["checklist"])
    qtbot.waitUntil(lambda: presenter.checklist_holder.isVisible() and not presenter.stage_side.isVisible())
    click(qtbot, presenter.layout_buttons["both"])
    qtbot.waitUntil(lambda: presenter.checklist_holder.isVisible() and presenter.stage_side.isVisible())


def test_leaving_a_scenario_keeps_it_and_the_chooser_counts_it(qtbot, page):
    presenter = start(qtbot, page)
    answer_stage(qtbot, presenter, {"unwell": "no"})
    click(qtbot, presenter.leave_button)
    qtbot.waitUntil(lambda: page.presenter is None and page.chooser.isVisible())
    assert "run 1 time in this workspace" in page.chooser.cards[SCENARIO].meta.text()
    assert page.workspace.store.find_case("TRN-BRUISE-01") is not None


def test_outside_training_scenarios_cannot_start_and_the_switch_is_offered(qtbot, make_ws):
    ws = make_ws(training=False, cases=False)
    widget = TrainingPage(ws)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.chooser.not_training.isVisible()
    assert "Scenarios run only in the training workspace" in texts(widget.chooser.not_training)
    assert all(not card.start_button.isEnabled() for card in widget.chooser.cards.values())
    assert not widget.marking.training_label.isVisible()
    with qtbot.waitSignal(widget.switch_requested, timeout=2000):
        click(qtbot, widget.chooser.switch_button)
    assert ws.store.count_cases() == 0


def test_inside_another_window_the_page_leaves_the_banner_to_that_window(qtbot, make_ws):
    ws = make_ws(training=True, cases=False)
    holder = QWidget()
    qtbot.addWidget(holder)
    widget = TrainingPage(ws, holder)
    holder.resize(1200, 800)
    holder.show()
    qtbot.waitExposed(holder)
    assert widget.isVisible() and not widget.marking.isVisible()
    QApplication.processEvents()


def test_an_answer_still_being_typed_is_saved_before_the_stage_moves_on(qtbot, page):
    presenter = start(qtbot, page)
    view = presenter.walkthrough
    driver = Practitioner(qtbot, view)
    driver.type_into(driver.card("mark_description").editor.edit, "Bruise on the left upper arm", leave=False)
    click(qtbot, presenter.next_button)
    qtbot.waitUntil(lambda: presenter.stage_kicker.text() == "STAGE 2 OF 3")
    stored = page.workspace.store.get_answers(page.session.run_id)
    assert stored["mark_description"]["value"] == "Bruise on the left upper arm"


# ---------------------------------------------------------------------------------------------- the switch

def trainer_window(qtbot, make_ws, ui_settings, training: bool = False):
    from app.ui.main_window import MainWindow

    ws = make_ws(profile=False, cases=not training, training=training)
    if ws.profile is None:
        ws.save_profile("Alex Trainer", "trainer", "Safeguarding training team")
    window = MainWindow(ws, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_trainer_switches_from_real_records_to_the_training_page(qtbot, make_ws, ui_settings, tmp_path):
    from app.ui.main_window import TRAINING

    window = trainer_window(qtbot, make_ws, ui_settings)
    real_before = fingerprint(tmp_path / "data")
    assert not window.marking.training_label.isVisible()
    item = window.nav_items[TRAINING]
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=window.nav.visualItemRect(item).center())
    qtbot.waitUntil(lambda: window.current_page_key() == TRAINING)
    page = window.page(TRAINING)
    qtbot.waitUntil(lambda: page.chooser is not None and page.chooser.not_training.isVisible())
    assert not page.marking.isVisible()  # the window's own bar is the banner here

    click(qtbot, page.chooser.switch_button)
    qtbot.waitUntil(lambda: getattr(window, "switched_to", None) is not None and window.switched_to.isVisible())
    training = window.switched_to
    qtbot.addWidget(training)
    assert not window.isVisible()
    assert training.ws.training and training.windowTitle().endswith("TRAINING")
    assert training.marking.training_label.isVisible() and training.marking.training_label.text() == TRAINING_TEXT
    assert training.current_page_key() == TRAINING
    chooser = training.page(TRAINING).chooser
    qtbot.waitUntil(lambda: chooser is not None and chooser.isVisible())
    assert not chooser.not_training.isVisible()
    assert all(card.start_button.isEnabled() for card in chooser.cards.values())
    assert training.ws.store.count_cases() == 0  # nothing real shows in training
    assert fingerprint(tmp_path / "data") == real_before


def test_the_training_window_switches_back_to_the_real_records(qtbot, make_ws, ui_settings):
    window = trainer_window(qtbot, make_ws, ui_settings, training=True)
    assert window.switch_action.text() == "Switch to &real records"
    window.switch_action.trigger()
    qtbot.waitUntil(lambda: getattr(window, "switched_to", None) is not None and window.switched_to.isVisible())
    real = window.switched_to
    qtbot.addWidget(real)
    assert not real.ws.training and not real.marking.training_label.isVisible()
    assert real.switch_action.text() == "Switch to &training workspace"
    assert real.ws.profile["role"] == "trainer"


# ---------------------------------------------------------------------------------------------- after a restart

def open_page(qtbot, ws) -> TrainingPage:
    widget = TrainingPage(ws)
    qtbot.addWidget(widget)
    widget.resize(1600, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_answers(qtbot, presenter, prompt_ids) -> dict[str, object]:
    """Go to each step of the checklist holding one of `prompt_ids`, by clicking it, and read the answers
    shown there."""
    view = presenter.walkthrough
    qtbot.waitUntil(view.isVisible)
    found: dict[str, object] = {}
    for index, section in enumerate(view.sections):
        if not any(p.id in prompt_ids for p in section.prompts):
            continue
        item = view.step_list.item(index)
        qtbot.mouseClick(view.step_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.step_list.visualItemRect(item).center())
        qtbot.waitUntil(lambda i=index: view.current == i)
        for prompt in section.prompts:
            card = view.cards.get(prompt.id)
            if prompt.id in prompt_ids and card is not None and card.isVisible():
                found[prompt.id] = card.editor.value()
    return found


def test_a_session_interrupted_by_closing_the_app_is_continued_by_keyboard(qtbot, page, make_ws):
    presenter = start(qtbot, page)
    scenario = presenter.scenario
    answer_stage(qtbot, presenter, STAGE_ACTIONS[0])
    click(qtbot, presenter.next_button)
    qtbot.waitUntil(lambda: presenter.stage_kicker.text() == "STAGE 2 OF 3")
    before_restart = {"referral_made": "yes", "paediatric_arranged": "yes"}
    answer_stage(qtbot, presenter, before_restart)
    run_id = page.session.run_id

    # the laptop is closed: the window goes, then the workspace
    first_ws = page.workspace
    page.close()
    first_ws.close()

    ws = make_ws(training=True, cases=False)  # the app started again on the same data folder
    again = open_page(qtbot, ws)
    assert again.marking.isVisible() and again.marking.training_label.text() == TRAINING_TEXT
    chooser = again.chooser
    qtbot.waitUntil(chooser.isVisible)
    assert list(chooser.continue_cards) == [run_id]
    card = chooser.continue_cards[run_id]
    shown = texts(card)
    assert f"Continue: {scenario.title} — stage 2 of 3" in shown
    assert "Case TRN-BRUISE-01 · last used " in shown
    assert card.continue_button.accessibleName() == (f"Continue the scenario: {scenario.title}, stage 2 of 3, "
                                                      "case TRN-BRUISE-01")
    assert card.accessibleName().startswith("Unfinished session: ")
    assert "Unfinished sessions" in texts(chooser) and "Start a scenario" in texts(chooser)
    assert all(c.start_button.isEnabled() for c in chooser.cards.values())  # starting afresh is still there

    # the most recent session's Continue has the keyboard focus: the trainer presses Enter
    again.activateWindow()
    qtbot.waitUntil(card.continue_button.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: again.presenter is not None and again.presenter.isVisible())
    presenter = again.presenter
    assert again.session.resumed and again.session.run_id == run_id
    assert presenter.stage_kicker.text() == "STAGE 2 OF 3"
    assert presenter.stage_title.text() == scenario.stages[1].title
    assert presenter.kicker.text() == "TRAINING SCENARIO · CASE TRN-BRUISE-01"
    assert presenter.previous_button.isEnabled()
    view = presenter.walkthrough
    qtbot.waitUntil(view.isVisible)
    assert shown_answers(qtbot, presenter, {**STAGE_ACTIONS[0], **before_restart}) == {**STAGE_ACTIONS[0],
                                                                                       **before_restart}
    driver = Practitioner(qtbot, view)
    expected_now = {"nim_mark_same_day", "ten4_positive"}  # with the referral made, until the group says more
    qtbot.waitUntil(lambda: expected_now <= set(driver.flag_ids()))

    answer_stage(qtbot, presenter, {"explanation_given": "changed", "other_injuries": "yes"})
    click(qtbot, presenter.next_button)
    qtbot.waitUntil(lambda: presenter.stage_kicker.text() == "STAGE 3 OF 3")
    answer_stage(qtbot, presenter, STAGE_ACTIONS[2])
    click(qtbot, presenter.next_button)
    qtbot.waitUntil(lambda: again.debrief_view is not None and again.debrief_view.isVisible())
    debrief = again.debrief_view
    shown = texts(debrief)
    # stage 1 was finished before the restart, and its flags count in the debrief
    assert "The group's answers raised exactly the flags expected at every stage." in shown
    assert texts(debrief.tiles["matched"]).startswith("9\nof 9 expected flags raised")
    stage_one = next(w for w in debrief.findChildren(QWidget, "stageResult")
                     if texts(w).startswith(f"Stage 1: {scenario.stages[0].title}"))
    assert texts(stage_one).count("Raised as expected") == 2
    assert "Not reached" not in shown
    assert ws.store.list_unfinished_scenarios() == []

    click(qtbot, debrief.another_button)
    qtbot.waitUntil(lambda: again.chooser is not None and again.chooser.isVisible())
    assert again.chooser.continue_cards == {}  # finished: nothing left to continue


def test_leaving_a_scenario_offers_it_to_continue_and_starting_afresh_still_works(qtbot, page):
    presenter = start(qtbot, page)
    answer_stage(qtbot, presenter, {"unwell": "no"})
    click(qtbot, presenter.leave_button)
    qtbot.waitUntil(lambda: page.presenter is None and page.chooser.isVisible())
    [card] = page.chooser.continue_cards.values()
    assert "stage 1 of 3" in card.title.text()
    click(qtbot, card.continue_button)
    qtbot.waitUntil(lambda: page.presenter is not None and page.presenter.isVisible())
    assert shown_answers(qtbot, page.presenter, {"unwell"}) == {"unwell": "no"}
    click(qtbot, page.presenter.leave_button)
    qtbot.waitUntil(lambda: page.presenter is None and page.chooser.isVisible())
    presenter = start(qtbot, page)  # afresh: a new case at stage 1, the unfinished one still offered
    assert presenter.kicker.text().endswith("TRN-BRUISE-02") and presenter.stage_kicker.text() == "STAGE 1 OF 3"
    click(qtbot, presenter.leave_button)
    qtbot.waitUntil(lambda: page.presenter is None and page.chooser.isVisible())
    assert len(page.chooser.continue_cards) == 2


def test_a_session_that_can_no_longer_continue_says_why(qtbot, page, monkeypatch):
    presenter = start(qtbot, page)
    run_id = page.session.run_id
    click(qtbot, presenter.leave_button)
    qtbot.waitUntil(lambda: page.presenter is None and page.chooser.isVisible())
    monkeypatch.delitem(page.workspace.catalog.scenarios, SCENARIO)  # its file was removed since
    page.choose_another()
    card = page.chooser.continue_cards[run_id]
    assert not card.continue_button.isEnabled()
    assert card.problem.isVisible() and "no longer among the training scenarios" in card.problem.text()
    assert "TRN-BRUISE-01" in card.problem.text()


def test_the_real_workspace_never_offers_training_sessions(qtbot, page, make_ws):
    start(qtbot, page)  # an unfinished session in the training workspace of the same data folder
    ws = make_ws(training=False, cases=False)
    real = open_page(qtbot, ws)
    assert real.chooser.continue_cards == {} and real.chooser.continue_heading is None
    assert "Continue" not in texts(real.chooser) and "Unfinished" not in texts(real.chooser)
    assert ws.store.list_unfinished_scenarios() == []
