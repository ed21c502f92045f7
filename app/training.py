"""Trainer mode: running a scenario from `checklists/scenarios/` with a group, in the training workspace.

A scenario session makes a fresh fictional case from the scenario's facts (ages and pregnancy counted
from today), starts a run of the scenario's checklist on it, and moves the case on as the trainer steps
through the stages. When the group finishes a stage, the flags their answers raise are noted; the debrief
compares them with the flags the scenario expected. Running the scenario again makes a new case and run;
old ones stay in the training database.

The session's progress (stage reached, flags raised at each finished stage, finished or not) is saved in the
training database every time it changes, so a session interrupted by the app closing can be picked up again:
`unfinished(workspace)` lists those sessions and `ScenarioSession.resume(workspace, run_id)` rebuilds one.

Everything here refuses to work on the real records: scenarios run only in a training Workspace.
Nothing here imports Qt, reportlab or SQL.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.domain.debrief import Debrief, build_debrief
from app.services import RunSession, ServiceError, Workspace

if TYPE_CHECKING:  # the catalog is loaded by the workspace when first needed, not when this is imported
    from app.catalog.scenarios import Scenario, Stage
    from app.domain.model import Checklist, FlagRule

MAX_SESSIONS_PER_SCENARIO = 9_999
CASE_DATE_FIELDS = ("date_of_birth", "expected_delivery_date", "mobility", "plan")


class TrainingError(ServiceError):
    """A training request that cannot be done; the message says what to do instead."""


def require_training(workspace: Workspace) -> None:
    """Refuse unless `workspace` is the training workspace, so fictional cases never reach real records."""
    if not getattr(workspace, "training", False):
        raise TrainingError("Training scenarios run only in the training workspace, so fictional cases never mix "
                            "with real records. Switch to the training workspace (or start the app with "
                            "--training) and try again.")


def scenarios(workspace: Workspace) -> list[Scenario]:
    """The scenarios that loaded without problems, by title."""
    return sorted(workspace.catalog.scenarios.values(), key=lambda s: s.title.casefold())


def scenario(workspace: Workspace, scenario_id: str) -> Scenario:
    """One scenario by id; TrainingError naming the known ones if there is no such scenario."""
    found = workspace.catalog.scenarios.get(scenario_id)
    if found is None:
        known = ", ".join(sorted(workspace.catalog.scenarios)) or "none loaded"
        raise TrainingError(f"There is no training scenario '{scenario_id}'. Scenarios available: {known}. "
                            f"Run `python main.py validate` to see any scenario files with problems.")
    return found


def times_run(workspace: Workspace, item: Scenario) -> int:
    """How many training cases this scenario has made in this workspace."""
    return workspace.store.count_cases(search=f"{item.reference}-")


def _free_reference(workspace: Workspace, item: Scenario) -> str:
    for number in range(1, MAX_SESSIONS_PER_SCENARIO + 1):
        reference = f"{item.reference}-{number:02d}"
        if workspace.store.find_case(reference) is None:
            return reference
    raise TrainingError(f"The training workspace already holds {MAX_SESSIONS_PER_SCENARIO} runs of "
                        f"'{item.title}'. Start a fresh training workspace to run it again.")


class ScenarioSession:
    """One run-through of a scenario: its fictional case, its checklist run and the stage the group is on."""

    def __init__(self, workspace: Workspace, item: Scenario, case_id: int, run_id: int):
        require_training(workspace)
        self.workspace = workspace
        self.scenario = item
        self.case_id = case_id
        self.run_id = run_id
        self.stage_index = 0
        self.raised_at_stage: dict[int, tuple[str, ...]] = {}
        self.finished = False
        self.resumed = False   # True when rebuilt from saved progress after the app was closed

    # ------------------------------------------------------------------ starting
    @classmethod
    def start(cls, workspace: Workspace, scenario_id: str) -> "ScenarioSession":
        """Make a fresh training case from the scenario and start its checklist; the session is at stage 1."""
        require_training(workspace)
        item = scenario(workspace, scenario_id)
        if item.checklist not in workspace.catalog.checklists:
            raise TrainingError(f"The scenario '{item.title}' uses the checklist '{item.checklist}', which did not "
                                f"load. Run `python main.py validate` to see why.")
        reference = _free_reference(workspace, item)
        case_id = workspace.create_case(item.case_record(0, workspace.today(), reference))
        run_id = workspace.start_run(case_id, item.checklist)
        session = cls(workspace, item, case_id, run_id)
        session._save(0, {}, False)
        return session

    @classmethod
    def resume(cls, workspace: Workspace, run_id: int) -> "ScenarioSession":
        """Pick up a session from its saved progress: at the stage reached, with the flags noted at the stages
        finished before. The case is put back as it stands at that stage, counted from today (as when the stage
        was first shown). TrainingError, saying what to do, when the scenario has changed or gone since."""
        require_training(workspace)
        progress = workspace.store.get_scenario_progress(run_id)
        if progress is None:
            raise TrainingError("This checklist run has no saved scenario progress, so there is nothing to "
                                "continue. Choose a scenario to start it afresh.")
        run = workspace.store.get_run(run_id)
        item = _resumable(workspace, progress, run)
        session = cls(workspace, item, run["case_id"], run_id)
        session.stage_index = progress["stage_index"]
        session.raised_at_stage = {index: tuple(flags) for index, flags in progress["raised_at_stage"].items()}
        session.finished = progress["finished"]
        session.resumed = True
        session._set_case_for_stage(session.stage_index)
        return session

    def _progress(self, stage_index: int, raised_at_stage: Mapping[int, tuple[str, ...]],
                  finished: bool) -> dict[str, Any]:
        return {"scenario_id": self.scenario.id, "stage_ids": [stage.id for stage in self.scenario.stages],
                "stage_index": stage_index, "finished": finished,
                "raised_at_stage": {index: list(flags) for index, flags in raised_at_stage.items()}}

    def _save(self, stage_index: int, raised_at_stage: dict[int, tuple[str, ...]], finished: bool) -> None:
        """Save the progress whole, then take it on here; if the store refuses, the session stays as it was."""
        self.workspace.store.save_scenario_progress(self.run_id,
                                                    self._progress(stage_index, raised_at_stage, finished))
        self.stage_index, self.raised_at_stage, self.finished = stage_index, raised_at_stage, finished

    def _set_case_for_stage(self, stage_index: int) -> None:
        record = self.scenario.case_record(stage_index, self.workspace.today(), self.reference)
        self.workspace.update_case(self.case_id, {key: record[key] for key in CASE_DATE_FIELDS})

    def reset(self) -> "ScenarioSession":
        """Run the scenario again from stage 1, on a new case; this session's case and run stay as they are."""
        return ScenarioSession.start(self.workspace, self.scenario.id)

    # ------------------------------------------------------------------ where the group is
    @property
    def stage(self) -> Stage:
        return self.scenario.stages[self.stage_index]

    @property
    def stage_count(self) -> int:
        return len(self.scenario.stages)

    @property
    def is_last_stage(self) -> bool:
        return self.stage_index == self.stage_count - 1

    @property
    def reference(self) -> str:
        return self.workspace.store.get_case(self.case_id)["reference"]

    def open_run(self) -> RunSession:
        """The checklist run as it stands, with the case as it is at the current stage."""
        return self.workspace.open_run(self.run_id)

    @property
    def checklist(self) -> Checklist:
        return self.open_run().checklist

    def raised_now(self) -> tuple[str, ...]:
        """The flag ids the group's answers raise at this moment, most severe first."""
        return tuple(flag.id for flag in self.open_run().evaluation.flags)

    def _noted(self) -> dict[int, tuple[str, ...]]:
        """The flags noted so far, with this stage's flags as they stand now."""
        return {**self.raised_at_stage, self.stage_index: self.raised_now()}

    def go_to(self, stage_index: int) -> Stage:
        """Finish the current stage (noting the flags raised) and move the case on to `stage_index`.

        The progress is saved first; the case is moved on after it. Were the app to stop between the two,
        resuming puts the case back as it stands at the saved stage."""
        if not 0 <= stage_index < self.stage_count:
            raise TrainingError(f"This scenario has stages 1 to {self.stage_count}; there is no stage "
                                f"{stage_index + 1}.")
        self._save(stage_index, self._noted(), self.finished)
        self._set_case_for_stage(stage_index)
        return self.stage

    def next_stage(self) -> Stage:
        if self.is_last_stage:
            raise TrainingError("This is the last stage: finish the scenario to see the debrief.")
        return self.go_to(self.stage_index + 1)

    def previous_stage(self) -> Stage:
        if self.stage_index == 0:
            raise TrainingError("This is the first stage.")
        return self.go_to(self.stage_index - 1)

    def finish(self) -> Debrief:
        """Note the flags for the current stage, save the session as finished and return the debrief."""
        self._save(self.stage_index, self._noted(), True)
        return self.debrief()

    # ------------------------------------------------------------------ the debrief
    def debrief(self) -> Debrief:
        """Expected against raised flags for every stage the group has finished."""
        return build_debrief([(s.title, s.expected_flags) for s in self.scenario.stages], self.raised_at_stage)

    def flag_rules(self) -> Mapping[str, FlagRule]:
        """The run's checklist flags by id (message, action, severity and sources for the debrief)."""
        return {rule.id: rule for rule in self.checklist.flags}


# ---------------------------------------------------------------------------------------------- resuming

@dataclass(frozen=True)
class UnfinishedSession:
    """A scenario session that was not finished, as the chooser offers it to be continued.

    `problem` is None when it can be continued; otherwise it says why not and what to do instead."""

    run_id: int
    scenario_id: str
    title: str
    reference: str
    stage_index: int
    stage_count: int
    last_used: str          # when last changed (a stage change or an answer): a stored UTC timestamp
    problem: str | None = None


def _resumable(workspace: Workspace, progress: Mapping[str, Any], run: Mapping[str, Any]) -> Scenario:
    """The scenario a saved session can continue with; TrainingError if it changed or went since."""
    reference = run.get("case_reference") or "this case"
    stays = f"The answers given so far stay in the training records under case {reference}"
    kept = f"{stays}; start the scenario afresh to run it again."
    found = workspace.catalog.scenarios.get(progress["scenario_id"])
    if found is None:
        raise TrainingError(f"The scenario '{progress['scenario_id']}' is no longer among the training scenarios "
                            "(its file was removed, renamed or now has problems: run `python main.py validate` "
                            f"to see them), so this session cannot be continued. {stays}.")
    if run.get("status") == "signed_off":
        raise TrainingError(f"The checklist of this session of '{found.title}' has been signed off, so the session "
                            f"cannot be continued. {kept}")
    then, now = list(progress["stage_ids"]), [stage.id for stage in found.stages]
    if then != now:
        count = (f"it had {len(then)} stages and now has {len(now)}" if len(then) != len(now)
                 else "its stages have been changed")
        raise TrainingError(f"The scenario '{found.title}' has changed since this session started ({count}), so "
                            f"the stages already finished would no longer match the debrief. {kept}")
    if run.get("checklist_id") != found.checklist:
        raise TrainingError(f"The scenario '{found.title}' now uses a different checklist from the one this "
                            f"session was started with, so it cannot be continued. {kept}")
    return found


def unfinished(workspace: Workspace, limit: int = 50) -> list[UnfinishedSession]:
    """Scenario sessions in this training workspace that were not finished, most recently used first (none
    outside the training workspace). Each says whether it can still be continued."""
    if not getattr(workspace, "training", False):
        return []
    found: list[UnfinishedSession] = []
    for row in workspace.store.list_unfinished_scenarios(limit=limit):
        item = workspace.catalog.scenarios.get(row["scenario_id"])
        problem = None
        try:
            _resumable(workspace, row, row)
        except TrainingError as exc:
            problem = exc.user_message
        found.append(UnfinishedSession(
            run_id=row["run_id"], scenario_id=row["scenario_id"], title=item.title if item else row["scenario_id"],
            reference=row["case_reference"], stage_index=row["stage_index"], stage_count=row["stage_count"],
            last_used=row["updated_at"], problem=problem))
    return found
