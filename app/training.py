"""Trainer mode: running a scenario from `checklists/scenarios/` with a group, in the training workspace.

A scenario session makes a fresh fictional case from the scenario's facts (ages and pregnancy counted
from today), starts a run of the scenario's checklist on it, and moves the case on as the trainer steps
through the stages. When the group finishes a stage, the flags their answers raise are noted; the debrief
compares them with the flags the scenario expected. Running the scenario again makes a new case and run;
old ones stay in the training database.

Everything here refuses to work on the real records: scenarios run only in a training Workspace.
Nothing here imports Qt, reportlab or SQL.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

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
        return cls(workspace, item, case_id, run_id)

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

    def _note_stage(self) -> None:
        self.raised_at_stage[self.stage_index] = self.raised_now()

    def go_to(self, stage_index: int) -> Stage:
        """Finish the current stage (noting the flags raised) and move the case on to `stage_index`."""
        if not 0 <= stage_index < self.stage_count:
            raise TrainingError(f"This scenario has stages 1 to {self.stage_count}; there is no stage "
                                f"{stage_index + 1}.")
        self._note_stage()
        self.stage_index = stage_index
        record = self.scenario.case_record(stage_index, self.workspace.today(), self.reference)
        self.workspace.update_case(self.case_id, {key: record[key] for key in CASE_DATE_FIELDS})
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
        """Note the flags for the current stage and return the debrief."""
        self._note_stage()
        self.finished = True
        return self.debrief()

    # ------------------------------------------------------------------ the debrief
    def debrief(self) -> Debrief:
        """Expected against raised flags for every stage the group has finished."""
        return build_debrief([(s.title, s.expected_flags) for s in self.scenario.stages], self.raised_at_stage)

    def flag_rules(self) -> Mapping[str, FlagRule]:
        """The run's checklist flags by id (message, action, severity and sources for the debrief)."""
        return {rule.id: rule for rule in self.checklist.flags}
