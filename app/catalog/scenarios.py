"""Training scenarios: fictional cases, told in stages, that a trainer walks a group through.

Each file in `checklists/scenarios/` holds one scenario. It names the checklist the group fills in,
the case facts (ages and pregnancy given as offsets from the day of the session, so a scenario never
goes out of date), and stages: what is revealed, points to discuss, and the flags the checklist
should raise once that stage's information is taken into account. `flags:` says why each expected
flag matters, with the sources it comes from.

`load_scenarios(folder, catalog)` reads every file and checks it against the loaded checklists and
sources; each problem is a `Problem(file, line, message)` and a file with problems is left out.
"""
from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.catalog.problems import Problem
from app.catalog.yaml_source import Located, YamlProblem, read_yaml
from app.domain.case_facts import MALE_CARERS, MOBILITY, PLANS, PREGNANCY_DAYS, RELATIONSHIPS

if TYPE_CHECKING:
    from app.catalog.loader import Catalog

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
STAGE_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
PERSON_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
REFERENCE_PATTERN = re.compile(r"^TRN-[A-Z0-9]+(-[A-Z0-9]+)*$")
REFERENCE_PREFIX = "TRN-"
OFFSETS = ("pregnancy_weeks", "age_weeks", "age_months")
OFFSET_LIMITS = {"pregnancy_weeks": (4, 42), "age_weeks": (0, 520), "age_months": (0, 216)}
# a few days into the week (or month), so a session that runs past midnight keeps the same ages
SLACK_DAYS = 3

SCENARIO_KEYS = ("id", "title", "checklist", "summary", "case", "stages", "flags")
CASE_KEYS = ("reference", "child_name") + OFFSETS + ("mobility", "plan", "household")
PERSON_KEYS = ("id", "name", "relationship", "age_years", "lives_with_child", "notes")
STAGE_KEYS = ("id", "title", "case", "revealed", "discussion", "expected_flags", "why_it_matters", "sources")
STAGE_CASE_KEYS = OFFSETS + ("mobility", "plan")
NOTE_KEYS = ("why_it_matters", "sources")


# ---------------------------------------------------------------------------------------------- model

@dataclass(frozen=True)
class Person:
    """A fictional member of the scenario household."""

    id: str
    name: str
    relationship: str
    age_years: int | None = None
    lives_with_child: bool = True
    notes: str = ""


@dataclass(frozen=True)
class CaseMoment:
    """What the case looks like at one point in the scenario: one age or pregnancy offset, mobility, plan."""

    offset: str                   # one of OFFSETS
    amount: int
    mobility: str | None = None
    plan: str = "none"

    def dates(self, today: dt.date) -> dict[str, str | None]:
        """date_of_birth and expected_delivery_date for a case seen on `today`."""
        if self.offset == "pregnancy_weeks":
            due = today + dt.timedelta(days=PREGNANCY_DAYS - 7 * self.amount - SLACK_DAYS)
            return {"date_of_birth": None, "expected_delivery_date": due.isoformat()}
        if self.offset == "age_weeks":
            born = today - dt.timedelta(days=7 * self.amount + SLACK_DAYS)
        else:
            born = _months_before(today, self.amount) - dt.timedelta(days=SLACK_DAYS)
        return {"date_of_birth": born.isoformat(), "expected_delivery_date": None}

    def describe(self) -> str:
        """Plain words, e.g. '20 weeks pregnant' or '10 weeks old'."""
        unit = {"pregnancy_weeks": "week", "age_weeks": "week", "age_months": "month"}[self.offset]
        words = f"{self.amount} {unit}{'' if self.amount == 1 else 's'}"
        return f"{words} pregnant" if self.offset == "pregnancy_weeks" else f"{words} old"


@dataclass(frozen=True)
class Stage:
    """One step of a scenario: what the group learns, what to discuss and what should be flagged."""

    id: str
    title: str
    revealed: str
    discussion: tuple[str, ...]
    expected_flags: tuple[str, ...]
    why_it_matters: str
    sources: tuple[str, ...]
    case: Mapping[str, Any] = field(default_factory=dict)   # changes to the case from this stage on


@dataclass(frozen=True)
class FlagNote:
    """Why an expected flag matters, with the learning it comes from."""

    flag_id: str
    why_it_matters: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    """A fictional case for training, in stages. Offsets are from the day the session is run."""

    id: str
    title: str
    checklist: str
    summary: str
    reference: str
    child_name: str
    start: CaseMoment
    household: tuple[Person, ...]
    stages: tuple[Stage, ...]
    flag_notes: Mapping[str, FlagNote]
    file: str = ""

    def moment(self, stage_index: int) -> CaseMoment:
        """The case as it stands at stage `stage_index` (each stage's changes carry forward)."""
        if not 0 <= stage_index < len(self.stages):
            raise IndexError(f"Scenario '{self.id}' has stages 1 to {len(self.stages)}; there is no stage "
                             f"{stage_index + 1}.")
        values: dict[str, Any] = {"offset": self.start.offset, "amount": self.start.amount,
                                  "mobility": self.start.mobility, "plan": self.start.plan}
        for stage in self.stages[: stage_index + 1]:
            for key, value in stage.case.items():
                if key in OFFSETS:
                    values["offset"], values["amount"] = key, value
                else:
                    values[key] = value
        return CaseMoment(**values)

    def case_record(self, stage_index: int, today: dt.date, reference: str) -> dict[str, Any]:
        """The data `Workspace.create_case`/`update_case` take, for the case at `stage_index` on `today`."""
        moment = self.moment(stage_index)
        household = []
        for person in self.household:
            born = None if person.age_years is None else _years_before(today, person.age_years)
            household.append({"id": person.id, "name": person.name, "relationship": person.relationship,
                              "date_of_birth": born.isoformat() if born else None,
                              "lives_with_child": person.lives_with_child, "notes": person.notes})
        return {"reference": reference, "child_name": self.child_name, **moment.dates(today),
                "mobility": moment.mobility, "plan": moment.plan, "household": household}

    def note(self, flag_id: str) -> FlagNote | None:
        return self.flag_notes.get(flag_id)

    @property
    def expected_flag_ids(self) -> tuple[str, ...]:
        """Every flag expected at any stage, in the order first expected."""
        return tuple(dict.fromkeys(f for stage in self.stages for f in stage.expected_flags))


def _months_before(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _years_before(day: dt.date, years: int) -> dt.date:
    return _months_before(day, 12 * years)


# ---------------------------------------------------------------------------------------------- reading

class _Checker:
    """Collects problems for one file, each at the line of the key or item it is about."""

    def __init__(self, file: Path, located: Located):
        self.file = str(file)
        self.located = located
        self.problems: list[Problem] = []

    def add(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.file, self.located.line(path), message))

    def block(self, node: object, path: tuple, what: str, keys: tuple[str, ...], required: tuple[str, ...]) -> dict:
        if not isinstance(node, dict):
            self.add(path, f"{_cap(what)} must be a block of 'key: value' lines ({', '.join(required)}).")
            return {}
        for key in node:
            if key not in keys:
                close = difflib.get_close_matches(str(key), keys, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                self.add(path + (key,), f"Unknown key '{key}' in {what}.{hint} Allowed keys: {', '.join(keys)}.")
        for key in required:
            if node.get(key) in (None, "", [], {}):
                self.add(path, f"{_cap(what)} is missing the required key '{key}'.")
        return node

    def text(self, node: dict, path: tuple, key: str, what: str) -> str:
        value = node.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(path + (key,), f"'{key}' in {what} must be some text.")
            return ""
        return " ".join(value.split())

    def text_list(self, node: dict, path: tuple, key: str, what: str) -> tuple[str, ...]:
        value = node.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not value:
            self.add(path + (key,), f"'{key}' in {what} must be a list with at least one entry.")
            return ()
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add(path + (key, index), f"Entry {index + 1} of '{key}' in {what} must be some text.")
            else:
                items.append(" ".join(item.split()))
        return tuple(items)

    def whole(self, node: dict, path: tuple, key: str, what: str) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path + (key,), f"'{key}' in {what} must be a whole number, e.g. {key}: 8.")
            return None
        low, high = OFFSET_LIMITS.get(key, (0, 120))
        if not low <= value <= high:
            self.add(path + (key,), f"'{key}' in {what} must be between {low} and {high}; it is {value}.")
            return None
        return value

    def choice(self, node: dict, path: tuple, key: str, what: str, allowed: tuple[str, ...]) -> str | None:
        value = node.get(key)
        if value is None:
            return None
        if value not in allowed:
            close = difflib.get_close_matches(str(value), allowed, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            self.add(path + (key,), f"'{value}' is not a {key.replace('_', ' ')} in {what}.{hint} "
                                    f"Use one of: {', '.join(allowed)}.")
            return None
        return value

    def sources(self, node: dict, path: tuple, what: str, known: frozenset[str] | None) -> tuple[str, ...]:
        ids = self.text_list(node, path, "sources", what)
        if known is None:
            return ids
        for index, source_id in enumerate(ids):
            if source_id not in known:
                close = difflib.get_close_matches(source_id, sorted(known), n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                self.add(path + ("sources", index), f"{_cap(what)} cites the source '{source_id}', which is not in "
                                                    f"sources.yaml.{hint}")
        return ids


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _offset(checker: _Checker, node: dict, path: tuple, what: str, required: bool) -> tuple[str, int] | None:
    given = [key for key in OFFSETS if key in node]
    if len(given) > 1:
        checker.add(path + (given[1],), f"Give only one of {', '.join(OFFSETS)} in {what}; it has "
                                        f"{' and '.join(given)}.")
        return None
    if not given:
        if required:
            checker.add(path, f"{_cap(what)} needs the child's age or the pregnancy, as an offset from the day of "
                              f"the session: age_weeks, age_months or pregnancy_weeks (e.g. pregnancy_weeks: 20).")
        return None
    amount = checker.whole(node, path, given[0], what)
    return None if amount is None else (given[0], amount)


def _household(checker: _Checker, node: object, path: tuple) -> tuple[Person, ...]:
    if not isinstance(node, list) or not node:
        checker.add(path, "The household must be a list of people, each with id, name and relationship.")
        return ()
    people: list[Person] = []
    seen: set[str] = set()
    for index, entry in enumerate(node):
        where = path + (index,)
        what = f"household person {index + 1}"
        data = checker.block(entry, where, what, PERSON_KEYS, ("id", "name", "relationship"))
        if not data:
            continue
        person_id = data.get("id")
        if isinstance(person_id, str) and not PERSON_ID_PATTERN.match(person_id):
            checker.add(where + ("id",), f"The id '{person_id}' of {what} must be lower case letters, digits or "
                                         f"underscores, starting with a letter, e.g. father.")
        elif isinstance(person_id, str) and person_id in seen:
            checker.add(where + ("id",), f"The id '{person_id}' is used by more than one person in the household.")
        seen.add(str(person_id))
        name = checker.text(data, where, "name", what)
        relationship = checker.choice(data, where, "relationship", what, RELATIONSHIPS)
        age = data.get("age_years")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 110):
            checker.add(where + ("age_years",), f"'age_years' of {what} must be a whole number of years, 0 to 110.")
            age = None
        lives = data.get("lives_with_child", True)
        if not isinstance(lives, bool):
            checker.add(where + ("lives_with_child",), f"'lives_with_child' of {what} must be true or false.")
            lives = True
        notes = checker.text(data, where, "notes", what)
        if isinstance(person_id, str) and name and relationship:
            people.append(Person(person_id, name, relationship, age, lives, notes))
    if people and len(people) == len(node) and not any(p.relationship in MALE_CARERS for p in people):
        checker.add(path, "Name the baby's father, or the man caring for the baby, in the household "
                          "(relationship father, partner or male_carer), even if he is rarely seen: the reviews "
                          "found men are too often invisible to services.")
    return tuple(people)


def _moment_changes(checker: _Checker, node: object, path: tuple, what: str, start_offset: str | None) -> dict:
    data = checker.block(node, path, f"the case changes at {what}", STAGE_CASE_KEYS, ())
    changes: dict[str, Any] = {}
    offset = _offset(checker, data, path, f"the case changes at {what}", required=False)
    if offset is not None:
        kind, amount = offset
        if start_offset is not None and (kind == "pregnancy_weeks") != (start_offset == "pregnancy_weeks"):
            checker.add(path + (kind,), f"{_cap(what)} uses {kind} but the scenario's case uses {start_offset}: "
                                        f"a stage cannot change an unborn baby into a born child or back.")
        else:
            changes[kind] = amount
    for key, allowed in (("mobility", MOBILITY), ("plan", PLANS)):
        value = checker.choice(data, path, key, f"the case changes at {what}", allowed)
        if value is not None:
            changes[key] = value
    return changes


def read_scenario(file: Path, catalog: "Catalog", source_ids: frozenset[str] | None) -> tuple[Scenario | None,
                                                                                               list[Problem]]:
    """Read and check one scenario file against the loaded checklists and sources."""
    try:
        located = read_yaml(file)
    except YamlProblem as exc:
        return None, [Problem(str(file), exc.line, exc.message)]
    checker = _Checker(file, located)
    top = checker.block(located.data, (), "the scenario", SCENARIO_KEYS,
                        ("id", "title", "checklist", "summary", "case", "stages", "flags"))
    if not top:
        return None, checker.problems

    scenario_id = top.get("id")
    if isinstance(scenario_id, str) and not ID_PATTERN.match(scenario_id):
        checker.add(("id",), f"The scenario id '{scenario_id}' must be lower case letters, digits and single "
                             f"hyphens, e.g. bruised-baby-anxious-parents.")
    elif isinstance(scenario_id, str) and file.stem != scenario_id:
        checker.add(("id",), f"The file name should match the id: rename the file to {scenario_id}.yaml or change "
                             f"the id to '{file.stem}'.")
    title = checker.text(top, (), "title", "the scenario")
    summary = checker.text(top, (), "summary", "the scenario")

    checklist = None
    checklist_id = top.get("checklist")
    if checklist_id is not None:
        checklist = catalog.checklists.get(checklist_id) if isinstance(checklist_id, str) else None
        if checklist is None:
            broken = isinstance(checklist_id, str) and any(Path(p.file).stem == checklist_id for p in catalog.problems)
            if broken:
                checker.add(("checklist",), f"The checklist '{checklist_id}' has problems and was not loaded, so this "
                                            f"scenario cannot be checked; fix the checklist first.")
            else:
                close = difflib.get_close_matches(str(checklist_id), sorted(catalog.checklists), n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                checker.add(("checklist",), f"There is no checklist '{checklist_id}'.{hint} Checklists: "
                                            f"{', '.join(sorted(catalog.checklists)) or 'none loaded'}.")

    # the case
    case = checker.block(top.get("case"), ("case",), "the scenario's case", CASE_KEYS,
                         ("reference", "child_name", "household")) if "case" in top else {}
    reference = checker.text(case, ("case",), "reference", "the scenario's case")
    if reference and not REFERENCE_PATTERN.match(reference):
        checker.add(("case", "reference"), f"The reference '{reference}' must start with {REFERENCE_PREFIX} and use "
                                           f"capital letters, digits and hyphens (e.g. TRN-BRUISE), so a training "
                                           f"case can never be mistaken for a real one.")
        reference = ""
    child_name = checker.text(case, ("case",), "child_name", "the scenario's case")
    offset = _offset(checker, case, ("case",), "the scenario's case", required=bool(case))
    mobility = checker.choice(case, ("case",), "mobility", "the scenario's case", MOBILITY)
    plan = checker.choice(case, ("case",), "plan", "the scenario's case", PLANS) or "none"
    household = _household(checker, case.get("household"), ("case", "household")) if "household" in case else ()
    if checklist is not None and offset is not None:
        unborn = offset[0] == "pregnancy_weeks"
        if checklist.subject == "unborn" and not unborn:
            checker.add(("case", offset[0]), f"The checklist '{checklist.id}' is for an unborn baby: give the case "
                                             f"pregnancy_weeks instead of {offset[0]}.")
        if checklist.subject == "child" and unborn:
            checker.add(("case", "pregnancy_weeks"), f"The checklist '{checklist.id}' is for a child who has been "
                                                     f"born: give the case age_weeks or age_months.")

    # the flag notes
    notes: dict[str, FlagNote] = {}
    flag_ids = {rule.id for rule in checklist.flags} if checklist is not None else None
    raw_notes = top.get("flags")
    if raw_notes is not None and not isinstance(raw_notes, dict):
        checker.add(("flags",), "'flags' must map each expected flag id to its why_it_matters and sources.")
        raw_notes = {}
    for flag_id, entry in (raw_notes or {}).items():
        where = ("flags", flag_id)
        what = f"the note on flag '{flag_id}'"
        if flag_ids is not None and flag_id not in flag_ids:
            checker.add(where, _unknown_flag(flag_id, checklist_id, flag_ids))
        data = checker.block(entry, where, what, NOTE_KEYS, NOTE_KEYS)
        if data:
            notes[flag_id] = FlagNote(flag_id, checker.text(data, where, "why_it_matters", what),
                                      checker.sources(data, where, what, source_ids))

    # the stages
    stages: list[Stage] = []
    raw_stages = top.get("stages")
    if raw_stages is not None and (not isinstance(raw_stages, list) or len(raw_stages) < 2):
        checker.add(("stages",), "'stages' must be a list of at least two stages, each with id, title, revealed, "
                                 "discussion, expected_flags, why_it_matters and sources.")
        raw_stages = []
    stage_ids: set[str] = set()
    expected_anywhere: set[str] = set()
    for index, entry in enumerate(raw_stages or []):
        where = ("stages", index)
        stage_id = entry.get("id") if isinstance(entry, dict) else None
        what = f"stage '{stage_id}'" if isinstance(stage_id, str) and stage_id else f"stage {index + 1}"
        data = checker.block(entry, where, what, STAGE_KEYS,
                             ("id", "title", "revealed", "discussion", "why_it_matters", "sources"))
        if not data:
            continue
        if isinstance(stage_id, str) and not STAGE_ID_PATTERN.match(stage_id):
            checker.add(where + ("id",), f"The id '{stage_id}' of {what} must be lower case letters, digits or "
                                         f"underscores, starting with a letter, e.g. booking.")
        elif isinstance(stage_id, str) and stage_id in stage_ids:
            checker.add(where + ("id",), f"The stage id '{stage_id}' is used by more than one stage.")
        stage_ids.add(str(stage_id))
        changes = _moment_changes(checker, data["case"], where + ("case",), what,
                                  offset[0] if offset else None) if "case" in data else {}
        expected = data.get("expected_flags")
        if "expected_flags" not in data:
            checker.add(where, f"{_cap(what)} is missing the required key 'expected_flags' (write "
                               f"'expected_flags: []' when nothing should be flagged yet).")
            expected = []
        elif not isinstance(expected, list):
            checker.add(where + ("expected_flags",), f"'expected_flags' in {what} must be a list of flag ids from "
                                                     f"the checklist, e.g. [nim_mark_same_day].")
            expected = []
        flags: list[str] = []
        for flag_index, flag_id in enumerate(expected):
            at = where + ("expected_flags", flag_index)
            if not isinstance(flag_id, str):
                checker.add(at, f"Entry {flag_index + 1} of 'expected_flags' in {what} must be a flag id.")
                continue
            if flag_id in flags:
                checker.add(at, f"The flag '{flag_id}' is listed twice in {what}.")
                continue
            if flag_ids is not None and flag_id not in flag_ids:
                checker.add(at, _unknown_flag(flag_id, checklist_id, flag_ids))
            elif flag_id not in notes and isinstance(raw_notes, dict) and flag_id not in raw_notes:
                checker.add(at, f"The flag '{flag_id}' is expected in {what} but 'flags:' does not say why it "
                                f"matters; add '{flag_id}:' with why_it_matters and sources under 'flags:'.")
            flags.append(flag_id)
            expected_anywhere.add(flag_id)
        stages.append(Stage(
            id=str(stage_id), title=checker.text(data, where, "title", what),
            revealed=checker.text(data, where, "revealed", what),
            discussion=checker.text_list(data, where, "discussion", what),
            expected_flags=tuple(flags), why_it_matters=checker.text(data, where, "why_it_matters", what),
            sources=checker.sources(data, where, what, source_ids), case=changes))
    for flag_id in notes:
        if flag_id not in expected_anywhere and (flag_ids is None or flag_id in flag_ids):
            checker.add(("flags", flag_id), f"The note on flag '{flag_id}' is for a flag no stage expects; add it "
                                            f"to a stage's expected_flags or remove the note.")

    if checker.problems:
        return None, checker.problems
    start = CaseMoment(offset[0], offset[1], mobility, plan)
    return Scenario(id=scenario_id, title=title, checklist=checklist_id, summary=summary, reference=reference,
                    child_name=child_name, start=start, household=household, stages=tuple(stages),
                    flag_notes=notes, file=str(file)), []


def _unknown_flag(flag_id: str, checklist_id: object, flag_ids: set[str]) -> str:
    close = difflib.get_close_matches(flag_id, sorted(flag_ids), n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return (f"The checklist '{checklist_id}' has no flag '{flag_id}'.{hint} Its flags: "
            f"{', '.join(sorted(flag_ids))}.")


def load_scenarios(folder: Path, catalog: "Catalog") -> tuple[dict[str, Scenario], list[Problem]]:
    """Every scenario in `folder` (checklists/scenarios), checked against `catalog`'s checklists and
    sources. A file with problems is left out and its problems returned; a missing folder is no scenarios."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}, []
    source_ids = frozenset(catalog.sources) if catalog.sources else None
    scenarios: dict[str, Scenario] = {}
    problems: list[Problem] = []
    for file in sorted(f for f in folder.glob("*.yaml") if f.is_file()):
        scenario, found = read_scenario(file, catalog, source_ids)
        problems += found
        if scenario is None:
            continue
        if scenario.id in scenarios:
            problems.append(Problem(str(file), 1, f"The scenario id '{scenario.id}' is also used by "
                                                  f"{Path(scenarios[scenario.id].file).name}; change one of them."))
            continue
        scenarios[scenario.id] = scenario
    return scenarios, problems
