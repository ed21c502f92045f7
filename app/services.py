"""Use cases: the one place where the checklist engine and the record store meet.

The desktop app, the command line and the reports call these; every change of data goes through one
method here, which saves it, re-evaluates the checklist and returns what changed. Nothing here imports
Qt, reportlab or SQL.

Importing this module does not import the checklist catalog (app.catalog, with pydantic, lark and
ruamel): that costs about a fifth of a second, so `Workspace.catalog` loads it on first use (from any
thread; a second caller waits for the first) and the desktop app warms it up after its window is shown.
The checklist engine (app.domain) is likewise imported by the functions that use it, so opening a
workspace and listing cases need neither.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import paths
from app.store import Store, open_store

if TYPE_CHECKING:  # imported where first needed (see the module docstring)
    from app.catalog import Catalog
    from app.domain.case_facts import CaseFacts
    from app.domain.engine import Answer, Evaluation
    from app.domain.language import Nudge
    from app.domain.model import Checklist, HowKnown

CURRENT_USER_FILE = "current-user.json"
CHECKLISTS_DIR = Path(__file__).resolve().parent.parent / "checklists"
EDITABLE_STATUSES = frozenset({"draft", "returned"})
ROLES = ("practitioner", "supervisor", "trainer")


class ServiceError(Exception):
    """A request the current state does not allow; the message says what to do instead."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.user_message = message
        self.problems = problems or []


def case_facts_from_record(case: Mapping[str, Any]) -> CaseFacts:
    """The engine's view of a stored case (dates, mobility, plan, household)."""
    from app.domain.case_facts import CaseFacts, HouseholdMember

    household = []
    for index, member in enumerate(case.get("household") or []):
        household.append(HouseholdMember(
            id=str(member.get("id") or f"m{index + 1}"),
            name=member.get("name") or "",
            relationship=member.get("relationship") or "other_adult",
            date_of_birth=_date(member.get("date_of_birth")),
            lives_with_child=bool(member.get("lives_with_child", True)),
            notes=member.get("notes") or "",
        ))
    return CaseFacts(
        date_of_birth=_date(case.get("date_of_birth")),
        expected_delivery_date=_date(case.get("expected_delivery_date")),
        mobility=case.get("mobility") or None,
        plan=case.get("plan") or None,
        household=tuple(household),
    )


def _read_json(path: Path | None) -> dict | None:
    if path is None or not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # an unreadable remembered user just means asking again
    return data if isinstance(data, dict) else None


def _write_json(path: Path | None, data: dict) -> None:
    if path is None:
        return
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, path)


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    from app.domain.case_facts import iso_date

    return iso_date(str(value))


class Workspace:
    """One database (real records or the training workspace) with the shipped checklists.

    `catalog` may be given (tests inject one); otherwise it is read from `checklists_dir` (default: the
    shipped checklists) the first time `.catalog` is used.
    """

    def __init__(self, store: Store, catalog: Catalog | None = None, *, training: bool = False,
                 data_dir: Path | None = None, today: Callable[[], dt.date] = dt.date.today,
                 checklists_dir: str | os.PathLike[str] | None = None):
        self.store = store
        self._catalog = catalog
        self._catalog_lock = threading.Lock()
        self.checklists_dir = Path(checklists_dir or CHECKLISTS_DIR)
        self.training = training
        self.data_dir = data_dir
        self.today = today
        self._profile: dict | None = None

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None, training: bool = False,
             checklists_dir: str | os.PathLike[str] | None = None, *, check_integrity: str = "now",
             **kwargs: Any) -> "Workspace":
        """Open (creating on first use) the records in `data_dir`; the checklists are read on first use of
        `.catalog`. `check_integrity="background"` or "when_started" defers the store's full integrity check
        (see app.store.open_store; the desktop app uses "when_started"). Raises a StoreError subclass with `.user_message`
        when the records cannot be opened."""
        folder = paths.resolve_data_dir(data_dir)
        store = open_store(folder, training=training, check_integrity=check_integrity)
        return cls(store, training=training, data_dir=folder, checklists_dir=checklists_dir, **kwargs)

    @property
    def catalog(self) -> Catalog:
        """The checklists, settings, sources, vague language and scenarios (app.catalog.Catalog).

        Loaded on first use; thread-safe: a caller arriving while another thread loads it waits for that load
        rather than reading the files again."""
        catalog = self._catalog
        if catalog is None:
            with self._catalog_lock:
                catalog = self._catalog
                if catalog is None:
                    from app.catalog import load_catalog  # pydantic, lark, ruamel: kept off start-up

                    catalog = self._catalog = load_catalog(self.checklists_dir)
        return catalog

    @property
    def catalog_loaded(self) -> bool:
        """Whether `.catalog` is ready without reading any file (the window warms it up after showing)."""
        return self._catalog is not None

    def close(self) -> None:
        """Close the database (a backup is taken by the store where due)."""
        self.store.close()

    # ------------------------------------------------------------------ the person using the app
    def _user_file(self) -> Path | None:
        return None if self.data_dir is None else Path(self.data_dir) / CURRENT_USER_FILE

    @property
    def profile(self) -> dict | None:
        """The person using the app on this machine, or None before the first-run questions."""
        if self._profile is None:
            remembered = _read_json(self._user_file())
            if remembered and remembered.get("name"):
                found = self.store.get_profile(remembered["name"])
                if found is None and remembered.get("role") in ROLES:
                    # the same person opening the other workspace (training or real) for the first time
                    found = self.store.save_profile({"name": remembered["name"], "role": remembered["role"],
                                                     "team": remembered.get("team") or ""})
                self._profile = found
        return self._profile

    def save_profile(self, name: str, role: str, team: str) -> dict:
        """Remember who is using the app. Name and role are needed; the team may be blank."""
        name, team = (name or "").strip(), (team or "").strip()
        problems = []
        if not name:
            problems.append("Enter your name, as it should appear on records and reviews.")
        if role not in ROLES:
            problems.append(f"Choose a role: {', '.join(ROLES)}.")
        if problems:
            raise ServiceError(" ".join(problems), problems)
        existing = self.store.get_profile(name)
        data = {"name": name, "role": role, "team": team}
        if existing:
            data["id"] = existing["id"]
        self._profile = self.store.save_profile(data, by=name)
        _write_json(self._user_file(), {"name": name, "role": role, "team": team})
        return self._profile

    @property
    def user_name(self) -> str:
        return (self.profile or {}).get("name") or "Unknown user"

    # ------------------------------------------------------------------ cases
    def create_case(self, data: Mapping[str, Any]) -> int:
        """Create a case; returns its id. StoreError (InvalidRecord, DuplicateCase) says what is wrong."""
        self._check_case_dates(data)
        return self.store.create_case(dict(data), by=self.user_name)

    def update_case(self, case_id: int, data: Mapping[str, Any]) -> None:
        """Change a case's details, household or agencies."""
        self._check_case_dates(data)
        self.store.update_case(case_id, dict(data), by=self.user_name)

    @staticmethod
    def _check_case_dates(data: Mapping[str, Any]) -> None:
        for key, label in (("date_of_birth", "Date of birth"), ("expected_delivery_date", "Expected delivery date")):
            value = data.get(key)
            if value not in (None, "") and _date(value) is None:
                raise ServiceError(f"{label} must be a date written YYYY-MM-DD, e.g. 2026-01-31.")

    def case_facts(self, case_id: int) -> CaseFacts:
        """The facts the checklist conditions read for this case."""
        return case_facts_from_record(self.store.get_case(case_id))

    def case_flags(self, case_id: int) -> list[dict]:
        """Every flag raised across all of the case's runs, oldest first (the cumulative risk view)."""
        return self.store.case_flags(case_id)

    # ------------------------------------------------------------------ runs
    def checklist(self, checklist_id: str) -> Checklist:
        try:
            return self.catalog.checklists[checklist_id]
        except KeyError:
            known = ", ".join(sorted(self.catalog.checklists)) or "none loaded"
            raise ServiceError(f"There is no checklist '{checklist_id}'. Checklists available: {known}.") from None

    def start_run(self, case_id: int, checklist_id: str) -> int:
        """Start a checklist for a case; the checklist as it is today is stored with the run."""
        checklist = self.checklist(checklist_id)
        self.store.get_case(case_id)  # NotFound with a clear message if the case has gone
        return self.store.start_run(case_id, checklist.id, checklist.version, checklist.snapshot,
                                    practitioner=self.user_name)

    def open_run(self, run_id: int) -> "RunSession":
        """Load a run with its answers, ready to continue or to read."""
        return RunSession(self, run_id)


class RunSession:
    """One checklist run being filled in or read. All changes are saved the moment they are made."""

    def __init__(self, workspace: Workspace, run_id: int):
        from app.domain.engine import Answer
        from app.domain.model import Checklist, HowKnown

        self.workspace = workspace
        self.store = workspace.store
        self.run_id = run_id
        self.run = self.store.get_run(run_id)
        self.checklist = Checklist.from_snapshot(self.run["snapshot"])
        self.case = self.store.get_case(self.run["case_id"])
        self.facts = case_facts_from_record(self.case)
        self.answers: dict[str, Answer] = {}  # value None: not answered yet, only a note or how it is known
        for prompt_id, stored in self.store.get_answers(run_id).items():
            how = stored.get("how_known")
            self.answers[prompt_id] = Answer(stored.get("value"), stored.get("note") or "",
                                             HowKnown(how) if how else None, stored.get("reported_by") or "")
        self.flag_responses: dict[str, dict] = self.store.flag_responses(run_id)
        self.evaluation = self._evaluate()

    @property
    def sources(self):
        return self.workspace.catalog.sources

    @property
    def editable(self) -> bool:
        """True while the practitioner can still change answers (draft, or returned by a supervisor)."""
        return self.run["status"] in EDITABLE_STATUSES

    def _evaluate(self) -> Evaluation:
        from app.domain.engine import evaluate

        return evaluate(self.checklist, self.answers, self.facts, self.workspace.catalog.settings,
                        self.workspace.today())

    def _require_editable(self) -> None:
        if not self.editable:
            raise ServiceError(f"This checklist is {self.run['status'].replace('_', ' ')} and can no longer be "
                               "changed here." + (" Start an amendment to correct it."
                                                   if self.run["status"] == "signed_off" else ""))

    def _after_change(self) -> Evaluation:
        self.evaluation = self._evaluate()
        raised = [{"flag_id": f.id, "severity": str(f.severity), "message": f.message, "action": f.action}
                  for f in self.evaluation.flags]
        self.store.sync_flags(self.run_id, raised, by=self.workspace.user_name)
        self.run = self.store.get_run(self.run_id)
        return self.evaluation

    def record_answer(self, prompt_id: str, raw_value: object, note: str | None = None,
                      how_known: str | HowKnown | None = None, reported_by: str | None = None) -> Evaluation:
        """Save one answer durably and re-evaluate. A value that does not fit raises AnswerError and
        nothing is saved. `note`, `how_known` and `reported_by` left as None keep what was there."""
        from app.domain.engine import Answer, AnswerError, coerce_answer
        from app.domain.model import HowKnown

        self._require_editable()
        try:
            prompt = self.checklist.prompt(prompt_id)
        except KeyError:
            raise AnswerError(f"This checklist has no question '{prompt_id}'.") from None
        value = coerce_answer(prompt, raw_value, self.facts)
        previous = self.answers.get(prompt_id)
        note = (previous.note if previous else "") if note is None else note
        reported_by = (previous.reported_by if previous else "") if reported_by is None else reported_by
        if how_known is None:
            how = previous.how_known if previous else None
        else:
            how = HowKnown(how_known) if how_known else None
        self.store.save_answer(self.run_id, prompt_id, value, note=note, how_known=str(how) if how else None,
                               reported_by=reported_by, by=self.workspace.user_name)
        self.answers[prompt_id] = Answer(value, note, how, reported_by)
        return self._after_change()

    def record_note(self, prompt_id: str, note: str | None = None, how_known: str | HowKnown | None = None,
                    reported_by: str | None = None) -> None:
        """Save a note, how it is known and who reported it durably, keeping the answer's value as it is
        (None on a question not answered yet, which stays unanswered). Arguments left as None keep what was
        there; "" empties them. A question left with no value and nothing noted has its row removed."""
        from app.domain.engine import Answer, AnswerError
        from app.domain.model import HowKnown

        self._require_editable()
        if not self.checklist.has_prompt(prompt_id):
            raise AnswerError(f"This checklist has no question '{prompt_id}'.")
        previous = self.answers.get(prompt_id)
        value = previous.value if previous else None
        note = (previous.note if previous else "") if note is None else note.strip()
        reported_by = (previous.reported_by if previous else "") if reported_by is None else reported_by.strip()
        if how_known is None:
            how = previous.how_known if previous else None
        else:
            how = HowKnown(how_known) if how_known else None
        if previous is not None and (previous.note, previous.how_known, previous.reported_by) == (note, how,
                                                                                                   reported_by):
            return
        if value is None and not note and how is None and not reported_by:
            if previous is not None:  # nothing left to keep on an unanswered question
                self.store.save_answer(self.run_id, prompt_id, None, by=self.workspace.user_name)
                del self.answers[prompt_id]
            return
        self.store.save_answer(self.run_id, prompt_id, value, note=note, how_known=str(how) if how else None,
                               reported_by=reported_by, by=self.workspace.user_name)
        self.answers[prompt_id] = Answer(value, note, how, reported_by)
        self.run = self.store.get_run(self.run_id)

    def clear_answer(self, prompt_id: str) -> Evaluation:
        """Remove an answer's value (the audit trail keeps what it was). A note, how it is known or who
        reported it stays, saved against the now unanswered question: clearing never throws a note away."""
        from app.domain.engine import Answer

        self._require_editable()
        previous = self.answers.get(prompt_id)
        if previous is not None and previous.value is not None:
            self.store.clear_answer(self.run_id, prompt_id, by=self.workspace.user_name)
            if previous.note or previous.how_known is not None or previous.reported_by:
                self.answers[prompt_id] = Answer(None, previous.note, previous.how_known, previous.reported_by)
            else:
                del self.answers[prompt_id]
        return self._after_change()

    def nudges(self, text: str) -> list[Nudge]:
        """Vague phrases in a free-text answer, with what to write instead (a nudge, never a block)."""
        return self.workspace.catalog.vague.check(text)

    def record_flag_response(self, flag_id: str, action_taken: str = "", by_whom: str = "", by_when: str = "",
                             reason_not_acting: str = "") -> dict:
        """Record what was done about a flag (what, by whom, by when), or why nothing was done."""
        self._require_editable()
        action_taken, by_whom = action_taken.strip(), by_whom.strip()
        by_when, reason_not_acting = by_when.strip(), reason_not_acting.strip()
        if not any(f.id == flag_id for f in self.evaluation.flags):
            raise ServiceError("That flag is no longer raised by the answers, so it needs no response.")
        if not action_taken and not reason_not_acting:
            raise ServiceError("Say what was done about this flag, or why no action is being taken.")
        if action_taken and not by_whom:
            raise ServiceError("Say who took, or will take, the action.")
        if by_when and _date(by_when) is None:
            raise ServiceError("'By when' must be a date written YYYY-MM-DD, e.g. 2026-01-31.")
        response = {"action_taken": action_taken, "by_whom": by_whom, "by_when": by_when,
                    "reason_not_acting": reason_not_acting}
        self.store.save_flag_response(self.run_id, flag_id, by=self.workspace.user_name, **response)
        self.flag_responses[flag_id] = response
        return response

    def set_position(self, section_index: int) -> None:
        """Remember the step the practitioner is on, so reopening returns there."""
        if self.editable and self.run.get("position") != section_index:
            self.store.set_position(self.run_id, section_index)
            self.run["position"] = section_index

    def unfinished(self) -> list[str]:
        """What stops the run being submitted: required questions unanswered, flags without a response."""
        problems = [f"Required question not answered: {p.ask}" for p in self.evaluation.missing_required]
        problems += [f"No response recorded for the flag: {f.message}"
                     for f in self.evaluation.flags if f.id not in self.flag_responses]
        return problems

    def submit(self) -> None:
        """Send the run for supervisor review. ServiceError lists anything still to do."""
        self._require_editable()
        problems = self.unfinished()
        if problems:
            raise ServiceError("This checklist cannot be submitted yet: " + "; ".join(problems) + ".", problems)
        self.store.submit(self.run_id, by=self.workspace.user_name)
        self.run = self.store.get_run(self.run_id)
