"""Assurance figures for the safeguarding partnership: is the learning from reviews being applied?

The Baby L review asks the partnership to "seek assurance" (recommendations 2, 3 and 7); the dashboard,
the CSV and the board PDF answer those questions with counts from the checklists practitioners complete:

    figures = assurance_figures(workspace, date_from, date_to, team=None)   # -> AssuranceFigures
    check_period(date_from, date_to)       # AssuranceError for a period that cannot be counted (no reading)
    figures_csv(figures) -> str;  write_csv(figures, path)                  # whole file or nothing

Figures only. Every number is a count over "the period's runs": checklists started between the two
dates (inclusive), by practitioners of the chosen team, latest version of each (an amendment replaces
the version it amends). Nothing here carries a child's name, a case reference, a practitioner's name
or any answer text; answers are counted only for choice prompts, whose values are codes.

The prompts and flags counted (ids from checklists/*.yaml):
    pre-birth-early-help   prompt `early_help` (was an early help or pre-birth assessment considered)
    fathers-and-male-carers  prompts `man_seen`, `childhood`, `checks_made` (seen alone; history; checks)
    non-mobile-bruising    flag `nim_mark_same_day` and its response (action recorded; on the same day)
    was-not-brought        every flag it raises, and whether each has a response
    all checklists         the most frequent open flags; actions overdue
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import files

NO_RESPONSE_DAYS = 7
TOP_FLAGS = 10
MARKING = "OFFICIAL-SENSITIVE"

EARLY_HELP = ("pre-birth-early-help", "early_help")
EARLY_HELP_CONSIDERED = ("early_help_under_way", "prebirth_under_way", "considered_not_needed")
FATHERS = ("fathers-and-male-carers", "man_seen", "childhood", "checks_made")
BRUISING = ("non-mobile-bruising", "nim_mark_same_day")
WAS_NOT_BROUGHT = "was-not-brought"
LEARNING = {
    "early_help": ("baby-l-rec-2", "baby-l-1.1", "baby-l-1.2"),
    "fathers": ("baby-l-1.15", "telford-cspr10-fathers", "myth-invisible-men-2021"),
    "bruising": ("panel-bruising-2022", "local-nim-protocol"),
    "was_not_brought": ("sandwell-wnb", "rcgp-was-not-brought"),
}
STATUS_WORDS = {"draft": "In progress", "submitted": "Awaiting review", "returned": "Returned for changes",
                "signed_off": "Signed off"}


@dataclass(frozen=True)
class Measure:
    """One count, optionally out of a total (for a percentage)."""

    label: str
    value: int
    of: int | None = None

    @property
    def percent(self) -> int | None:
        """The value as a whole percentage of `of`, or None when there is no total (or it is 0)."""
        return None if not self.of else round(100 * self.value / self.of)

    @property
    def text(self) -> str:
        """'12 of 20 (60%)', or '12' when there is no total."""
        if self.of is None:
            return str(self.value)
        return f"{self.value} of {self.of}" + ("" if self.percent is None else f" ({self.percent}%)")


@dataclass(frozen=True)
class Question:
    """A question the partnership asks, with its headline figure and the breakdown behind it."""

    key: str
    title: str
    learning: str
    headline: Measure
    breakdown: tuple[Measure, ...]
    counted: str


@dataclass(frozen=True)
class FlagCount:
    """How often one flag was raised (open) on the period's runs, and how many have a response."""

    checklist: str
    flag: str
    severity: str
    raised: int
    responded: int


@dataclass(frozen=True)
class AssuranceFigures:
    """Everything the dashboard, CSV and PDF show. Counts and labels only."""

    date_from: dt.date
    date_to: dt.date
    team: str | None
    generated_at: dt.datetime
    training: bool
    partnership: str
    no_response_days: int
    runs: Measure
    by_checklist: tuple[Measure, ...]
    by_status: tuple[Measure, ...]
    questions: tuple[Question, ...]
    top_flags: tuple[FlagCount, ...] = field(default_factory=tuple)

    @property
    def period_text(self) -> str:
        """'1 April 2026 to 30 June 2026'."""
        return f"{_day(self.date_from)} to {_day(self.date_to)}"

    @property
    def team_text(self) -> str:
        """The team chosen, or 'All teams'."""
        return self.team or "All teams"

    def question(self, key: str) -> Question:
        """The question with this key (early_help, fathers, bruising, was_not_brought, overdue)."""
        return next(q for q in self.questions if q.key == key)


class AssuranceError(ValueError):
    """A period or team that cannot be counted; the message says what to change."""


def check_period(date_from: dt.date, date_to: dt.date, no_response_days: int = NO_RESPONSE_DAYS) -> None:
    """Raise AssuranceError, saying what to change, for a period or allowance that cannot be counted.

    Quick and reads nothing, so the dashboard can explain a wrong period at once, before counting."""
    if date_to < date_from:
        raise AssuranceError("The period ends before it starts: choose an end date on or after the start date.")
    if no_response_days < 0:
        raise AssuranceError("The number of days allowed for a response cannot be negative.")


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _options(workspace: Any, checklist_id: str, prompt_id: str) -> list[tuple[str, str]]:
    """(value, label) of a choice prompt, from the shipped checklist."""
    checklist = workspace.catalog.checklists.get(checklist_id)
    if checklist is None:
        return []
    return [(o.value, o.label) for o in checklist.prompt(prompt_id).options]


def _title(workspace: Any, checklist_id: str) -> str:
    checklist = workspace.catalog.checklists.get(checklist_id)
    return checklist.title if checklist else checklist_id.replace("-", " ").capitalize()


def _learning(workspace: Any, key: str) -> str:
    """The titles of the review learning and guidance behind a question, from the shipped sources."""
    sources = workspace.catalog.sources
    return "; ".join(sources[i].title for i in LEARNING[key] if i in sources)


def _flag_text(workspace: Any, checklist_id: str, flag_id: str) -> str:
    checklist = workspace.catalog.checklists.get(checklist_id)
    rule = next((f for f in checklist.flags if f.id == flag_id), None) if checklist else None
    return rule.message if rule else flag_id.replace("_", " ").capitalize()


def assurance_figures(workspace: Any, date_from: dt.date, date_to: dt.date, team: str | None = None, *,
                      no_response_days: int = NO_RESPONSE_DAYS, today: dt.date | None = None,
                      now: dt.datetime | None = None) -> AssuranceFigures:
    """The figures for checklists started from `date_from` to `date_to` (both included) by `team`
    (None for all teams). Raises AssuranceError for a period that ends before it starts.

    Reads the records only (several aggregate queries, each under the store's lock) and the catalog, so it
    may run on a worker thread; with 100,000 runs it takes up to about a second (bench/bench_assurance.py)."""
    check_period(date_from, date_to, no_response_days)
    team = (team or "").strip() or None
    store = workspace.store
    today = today or workspace.today()
    since, until = date_from, date_to + dt.timedelta(days=1)
    window = (since, until, team)

    per_checklist: Counter[str] = Counter()
    per_status: Counter[str] = Counter()
    for row in store.assurance_runs(*window):
        per_checklist[row["checklist_id"]] += row["runs"]
        per_status[row["status"]] += row["runs"]
    total = sum(per_checklist.values())
    checklist_ids = sorted(set(workspace.catalog.checklists) | set(per_checklist),
                           key=lambda c: _title(workspace, c))
    by_checklist = tuple(Measure(_title(workspace, c), per_checklist[c], total) for c in checklist_ids)
    by_status = tuple(Measure(word, per_status[s], total) for s, word in STATUS_WORDS.items())

    flags = store.assurance_flags(*window)
    questions = (
        _early_help(workspace, store, window, per_checklist),
        _fathers(workspace, store, window, per_checklist),
        _bruising(workspace, flags, per_checklist),
        _was_not_brought(workspace, flags, per_checklist),
        _overdue(store, window, today, no_response_days),
    )
    top = tuple(FlagCount(_title(workspace, f["checklist_id"]), _flag_text(workspace, f["checklist_id"], f["flag_id"]),
                          f["severity"], f["raised"], f["responded"]) for f in flags[:TOP_FLAGS])
    settings = workspace.catalog.settings
    return AssuranceFigures(
        date_from=date_from, date_to=date_to, team=team,
        generated_at=now or dt.datetime.now().astimezone(), training=bool(workspace.training),
        partnership=str(settings.get("partnership_name") or ""), no_response_days=no_response_days,
        runs=Measure("Checklists started", total), by_checklist=by_checklist, by_status=by_status,
        questions=questions, top_flags=top)


def _early_help(workspace: Any, store: Any, window: tuple, per_checklist: Counter[str]) -> Question:
    checklist_id, prompt_id = EARLY_HELP
    runs = per_checklist[checklist_id]
    counts: Counter[Any] = Counter()
    for row in store.assurance_answers(checklist_id, [prompt_id], *window):
        counts[row["answers"][prompt_id]] += row["runs"]
    considered = sum(counts[v] for v in EARLY_HELP_CONSIDERED)
    breakdown = [Measure(label, counts[value], runs) for value, label in _options(workspace, checklist_id, prompt_id)]
    breakdown.append(Measure("Not answered yet", counts[None], runs))
    return Question(
        "early_help", "Was an early help or pre-birth assessment considered?",
        _learning(workspace, "early_help"),
        Measure("Pre-birth checklists where an assessment was considered", considered, runs), tuple(breakdown),
        "Pre-birth and early help checklists started in the period, by the answer to 'Has an early help "
        "assessment or a pre-birth assessment been considered for this family?'. Considered means under way, "
        "complete, or considered and not needed with the reason recorded.")


def _fathers(workspace: Any, store: Any, window: tuple, per_checklist: Counter[str]) -> Question:
    checklist_id, seen, childhood, checks = FATHERS
    runs = per_checklist[checklist_id]
    by_seen: Counter[Any] = Counter()
    assessed = seen_and_assessed = 0
    for row in store.assurance_answers(checklist_id, [seen, childhood, checks], *window):
        answers, n = row["answers"], row["runs"]
        by_seen[answers[seen]] += n
        history = answers[childhood] or []
        made = answers[checks] or []
        if history and "not_asked" not in history and made and "none_yet" not in made:
            assessed += n
            if answers[seen] == "seen_alone":
                seen_and_assessed += n
    breakdown = [Measure(label, by_seen[value], runs) for value, label in _options(workspace, checklist_id, seen)]
    breakdown.append(Measure("Not answered yet", by_seen[None], runs))
    breakdown.append(Measure("His own history asked and agency checks made", assessed, runs))
    return Question(
        "fathers", "Were fathers and male carers seen and assessed?",
        _learning(workspace, "fathers"),
        Measure("Seen on his own and assessed", seen_and_assessed, runs), tuple(breakdown),
        "Fathers and male carers checklists started in the period. Assessed means his childhood history was "
        "asked about and at least one agency check was made.")


def _bruising(workspace: Any, flags: list[dict], per_checklist: Counter[str]) -> Question:
    checklist_id, flag_id = BRUISING
    runs = per_checklist[checklist_id]
    row = next((f for f in flags if f["checklist_id"] == checklist_id and f["flag_id"] == flag_id), None)
    raised = row["raised"] if row else 0
    action = row["with_action"] if row else 0
    same_day = row["action_same_day"] if row else 0
    reason = row["reason_only"] if row else 0
    silent = raised - (row["responded"] if row else 0)
    return Question(
        "bruising", "Was bruising in a non-mobile baby referred the same day?",
        _learning(workspace, "bruising"),
        Measure("Same-day action recorded", same_day, raised),
        (Measure("Bruising checklists started", runs),
         Measure("Same-day referral flag raised", raised, runs),
         Measure("Action recorded", action, raised),
         Measure("Action recorded on the day the flag was raised", same_day, raised),
         Measure("Reason for not acting recorded instead", reason, raised),
         Measure("No response yet", silent, raised)),
        "Non-mobile bruising checklists started in the period where the same-day referral flag is raised; "
        "'same day' compares the date of the recorded action with the date the flag was raised.")


def _was_not_brought(workspace: Any, flags: list[dict], per_checklist: Counter[str]) -> Question:
    mine = [f for f in flags if f["checklist_id"] == WAS_NOT_BROUGHT]
    raised = sum(f["raised"] for f in mine)
    responded = sum(f["responded"] for f in mine)
    action = sum(f["with_action"] for f in mine)
    return Question(
        "was_not_brought", "Was a child who was not brought followed up?",
        _learning(workspace, "was_not_brought"),
        Measure("Flags followed up", responded, raised),
        (Measure("Was Not Brought checklists started", per_checklist[WAS_NOT_BROUGHT]),
         Measure("Flags raised", raised),
         Measure("Action recorded", action, raised),
         Measure("Reason for not acting recorded", responded - action, raised),
         Measure("No response yet", raised - responded, raised)),
        "Flags raised by Was Not Brought checklists started in the period, and whether each has a recorded "
        "action or a reason for not acting.")


def _overdue(store: Any, window: tuple, today: dt.date, days: int) -> Question:
    before = today - dt.timedelta(days=days)
    found = store.assurance_overdue(today, before, *window)
    total = found["by_when_passed"] + found["no_response"]
    return Question(
        "overdue", "Are agreed actions overdue?",
        "Every flag needs an action (who, by when) or a reason for not acting",
        Measure("Actions overdue", total),
        (Measure("'By when' date has passed", found["by_when_passed"]),
         Measure(f"Flag with no response after {days} days", found["no_response"])),
        f"On checklists not yet signed off: actions whose 'by when' date is before {_day(today)}, and flags "
        f"raised more than {days} days ago with no response recorded.")


# -- CSV -----------------------------------------------------------------------------------------------------

CSV_HEADER = ("Section", "Measure", "Count", "Out of", "Percent")


def csv_rows(figures: AssuranceFigures) -> list[tuple[str, str, str, str, str]]:
    """The figures as rows (header first): the same numbers as the dashboard and the PDF."""
    def row(section: str, m: Measure) -> tuple[str, str, str, str, str]:
        return (section, m.label, str(m.value), "" if m.of is None else str(m.of),
                "" if m.percent is None else str(m.percent))

    rows: list[tuple[str, str, str, str, str]] = [CSV_HEADER]
    about = [("Protective marking", MARKING), ("Period", figures.period_text), ("Team", figures.team_text),
             ("Produced", figures.generated_at.strftime("%Y-%m-%d %H:%M"))]
    if figures.training:
        about.append(("Workspace", "TRAINING: fictional data"))
    rows += [("About", label, value, "", "") for label, value in about]
    rows.append(row("Checklists", figures.runs))
    rows += [row("Checklists by type", m) for m in figures.by_checklist]
    rows += [row("Checklists by status", m) for m in figures.by_status]
    for question in figures.questions:
        rows.append(row(question.title, question.headline))
        rows += [row(question.title, m) for m in question.breakdown]
    for flag in figures.top_flags:
        rows.append(("Most frequent flags", f"{flag.checklist}: {flag.flag}", str(flag.raised), "", ""))
    return rows


def figures_csv(figures: AssuranceFigures) -> str:
    """The figures as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(csv_rows(figures))
    return buffer.getvalue()


def write_file(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` whole or not at all (app.files); returns the path."""
    return files.write_whole(path, data)


def write_csv(figures: AssuranceFigures, path: str | os.PathLike[str]) -> Path:
    """Save the CSV (UTF-8 with a byte order mark, so spreadsheet programs read it correctly)."""
    return write_file(path, figures_csv(figures).encode("utf-8-sig"))


def all_text(figures: AssuranceFigures) -> Iterable[str]:
    """Every piece of text the figures carry (for checking nothing identifying slipped in)."""
    for row in csv_rows(figures):
        yield from row
    for question in figures.questions:
        yield question.counted
        yield question.learning
