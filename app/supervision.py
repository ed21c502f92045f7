"""Use cases for supervisors: the review queue, reading a run, commenting, signing off, returning and
amending, the audit trail and the signs of a rushed run.

Every decision goes through one method here, which checks the person using the app may make it and
records it in the store under their name (the store adds the time and the audit rows). Nothing here
imports Qt or SQL.

    sv = Supervision(workspace)
    sv.count_queue(QueueFilter(team="Health visiting North")); sv.list_queue(filter, "flag_rank asc", 200, 0)
    review = sv.open_review(run_id)        # RunReview: run, session, flags, reviews, rushed signs, versions
    sv.comment(run_id, text); sv.sign_off(run_id, comment=""); sv.return_run(run_id, reasons)
    new_run_id = sv.amend(run_id)          # a new draft version; the signed-off one is kept unchanged
    sv.audit(run_id)                       # AuditReport: rows (oldest first) and the hash-chain check
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.domain.model import Checklist, Severity
from app.domain.rushed import RushedSign, TimedAnswer, rushed_signs
from app.services import RunSession, ServiceError, Workspace
from app.store import AuditCheck, Store

QUEUE_STATUS = "submitted"
STATUS_WORDS: dict[str, str] = {
    "submitted": "Waiting for review",
    "returned": "Returned to practitioner",
    "signed_off": "Signed off",
    "draft": "In progress",
}
# What the queue can be sorted by (store column names).
SORTABLE = ("flag_rank", "checklist_id", "practitioner", "status", "updated_at", "created_at")
MAX_TEXT = 10_000
TAMPERED = ("This checklist's audit trail does not verify, so it cannot be signed off until information "
            "governance have checked the record. You can still return it or add a comment.")


@dataclass(frozen=True)
class QueueFilter:
    """What the review queue shows. `status` None means every status; dates are local days, inclusive."""

    status: str | None = QUEUE_STATUS
    practitioner: str | None = None
    team: str | None = None
    checklist_id: str | None = None
    min_severity: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def with_changes(self, **changes: Any) -> "QueueFilter":
        """A copy with some fields changed (blank text counts as no filter)."""
        cleaned = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in changes.items()}
        return replace(self, **cleaned)

    def store_args(self) -> dict[str, Any]:
        """The keyword arguments for Store.list_runs / count_runs."""
        if self.since and self.until and self.until < self.since:
            raise ServiceError("The 'to' date is before the 'from' date. Choose a 'to' date on or after "
                               f"{self.since.day} {self.since:%B %Y}.")
        return {
            "status": self.status,
            "practitioner": self.practitioner,
            "team": self.team,
            "checklist_id": self.checklist_id,
            "min_severity": self.min_severity,
            "since": _local_midnight(self.since) if self.since else None,
            "until": _local_midnight(self.until + dt.timedelta(days=1)) if self.until else None,
        }


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min).astimezone()


@dataclass(frozen=True)
class FilterChoices:
    """What the queue filters read from the store offer: (value, words) pairs and names. The checklists
    come from `Supervision.checklist_choices()`, which reads the checklist files."""

    statuses: list[tuple[str, str]]
    practitioners: list[str]
    teams: list[str]
    severities: list[tuple[str, str]]


@dataclass
class AuditReport:
    """A run's audit rows (oldest first) and whether its hash chain verifies."""

    rows: list[dict[str, Any]]
    check: AuditCheck

    @property
    def ok(self) -> bool:
        return self.check.ok


@dataclass
class RunReview:
    """Everything a supervisor reads about one run, and what they may do with it now."""

    run: dict[str, Any]
    session: RunSession
    flags: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    rushed: list[RushedSign]
    versions: list[dict[str, Any]] = field(default_factory=list)
    can_sign_off: bool = False
    can_return: bool = False
    can_amend: bool = False
    why_not: str = ""

    @property
    def checklist(self) -> Checklist:
        return self.session.checklist


def latest_return(store: Store, run_id: int) -> dict[str, Any] | None:
    """The supervisor's most recent 'returned' review of a run ({supervisor, comment, at}), or None.
    For the practitioner's own list: the reasons a run came back."""
    returned = [r for r in store.list_reviews(run_id) if r["decision"] == "returned"]
    return returned[-1] if returned else None


def answer_timings(store: Store, run_id: int, checklist: Checklist, visible: set[str] | None = None,
                   stored: Mapping[str, Mapping[str, Any]] | None = None) -> list[TimedAnswer]:
    """When each answered prompt was first answered, from the run's audit trail.

    An amendment starts with copies of the earlier version's answers, all written at the moment it was
    created; those keep the time they were first given (copied with the answer), so copying never looks
    like answering.
    """
    stored = store.get_answers(run_id) if stored is None else stored
    trail = store.audit_trail(run_id=run_id)
    copied_at = next((row["at"] for row in trail if row["entity"] == "run" and row["field"] == "created"
                      and isinstance(row["new_value"], dict) and row["new_value"].get("amends_run_id")), None)
    first: dict[str, str] = {}
    for row in trail:
        if row["entity"] != "answer" or row["field"] != "value" or row["new_value"] is None:
            continue
        if copied_at is not None and row["at"] == copied_at:
            continue
        prompt_id = row["entity_id"].split("/", 1)[-1]
        first.setdefault(prompt_id, row["at"])
    rows = []
    for prompt_id, answer in stored.items():
        if answer.get("value") is None or not checklist.has_prompt(prompt_id):
            continue  # a note on a question not answered yet is not an answer given
        prompt = checklist.prompt(prompt_id)
        required = prompt.required and (visible is None or prompt_id in visible)
        rows.append(TimedAnswer(prompt_id, first.get(prompt_id) or answer["answered_at"], answer["value"], required,
                                str(prompt.type)))
    return rows


class Supervision:
    """The supervisor's use cases on one workspace, acting as the workspace's current profile."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.store = workspace.store

    # ------------------------------------------------------------------ who is acting
    @property
    def name(self) -> str:
        return self.workspace.user_name

    @property
    def is_supervisor(self) -> bool:
        return (self.workspace.profile or {}).get("role") == "supervisor"

    def _require_supervisor(self, doing: str) -> str:
        profile = self.workspace.profile
        if not profile:
            raise ServiceError(f"Say who you are (your name and role) before you {doing}.")
        if profile.get("role") != "supervisor":
            raise ServiceError(f"Only a supervisor can {doing}. Your profile says you are a "
                               f"{profile.get('role', 'practitioner')}; change it in your profile if that is wrong.")
        return profile["name"]

    def _require_not_own(self, run: Mapping[str, Any], doing: str) -> None:
        if run["practitioner"] == self.name:
            raise ServiceError(f"You completed this checklist yourself, so another supervisor needs to {doing}.")

    # ------------------------------------------------------------------ the queue
    def filter_choices(self) -> FilterChoices:
        """What the queue's filters offer, from the profiles (quick: the checklist files are not read)."""
        profiles = self.store.list_profiles()
        return FilterChoices(
            statuses=[(s, STATUS_WORDS[s]) for s in ("submitted", "returned", "signed_off", "draft")],
            practitioners=sorted({p["name"] for p in profiles if p["role"] != "trainer"}, key=str.casefold),
            teams=sorted({p["team"] for p in profiles if p["team"]}, key=str.casefold),
            severities=[(str(s), s.label) for s in Severity],
        )

    def checklist_choices(self) -> list[tuple[str, str]]:
        """(id, title) of every loaded checklist, by title (reads the checklist files on first use)."""
        return sorted(((c.id, c.title) for c in self.workspace.catalog.checklists.values()),
                      key=lambda pair: pair[1].casefold())

    def count_queue(self, queue: QueueFilter) -> int:
        """How many runs match the filter."""
        return self.store.count_runs(**queue.store_args())

    def list_queue(self, queue: QueueFilter, order_by: str = "updated_at asc", limit: int = 200,
                   offset: int = 0) -> list[dict[str, Any]]:
        """A page of runs matching the filter (see Store.list_runs for the fields of each)."""
        return self.store.list_runs(**queue.store_args(), order_by=order_by, limit=limit, offset=offset)

    # ------------------------------------------------------------------ reading a run
    def open_review(self, run_id: int) -> RunReview:
        """A run, read-only, with its flags and responses, supervision history, rushed signs and versions."""
        session = self.workspace.open_run(run_id)
        run = session.run
        review = RunReview(
            run=run,
            session=session,
            flags=self.store.list_flags(run_id),
            reviews=self.store.list_reviews(run_id),
            rushed=self.rushed(run_id, session),
            versions=self.versions(run_id),
        )
        review.why_not = self._why_not(run)
        if not review.why_not and run["status"] == "submitted" and not self.store.verify_audit(run_id).ok:
            review.why_not = TAMPERED
        deciding = review.why_not in ("", TAMPERED)
        review.can_return = deciding and run["status"] == "submitted"
        review.can_sign_off = review.can_return and not review.why_not
        review.can_amend = (run["status"] == "signed_off" and run.get("amended_by_run_id") is None
                            and (self.is_supervisor or run["practitioner"] == self.name))
        return review

    def _why_not(self, run: Mapping[str, Any]) -> str:
        """Why the person cannot sign off or return this run now ('' when they can)."""
        if not self.is_supervisor:
            return "Only a supervisor can sign off or return a checklist."
        if run["status"] != "submitted":
            return {
                "draft": "This checklist has not been submitted for review yet.",
                "returned": "This checklist is back with the practitioner; it can be reviewed again once resubmitted.",
                "signed_off": f"This checklist was signed off by {run.get('signed_off_by') or 'a supervisor'}.",
            }.get(run["status"], "")
        if run["practitioner"] == self.name:
            return "You completed this checklist yourself, so another supervisor needs to review it."
        return ""

    def rushed(self, run_id: int, session: RunSession | None = None) -> list[RushedSign]:
        """Signs that the run was rushed, from its audit timings and answers."""
        session = session or self.workspace.open_run(run_id)
        visible = {p.id for p in session.evaluation.visible_prompts}
        stored = self.store.get_answers(run_id)
        return rushed_signs(answer_timings(self.store, run_id, session.checklist, visible, stored))

    def versions(self, run_id: int) -> list[dict[str, Any]]:
        """Every version of this run, oldest first: {id, version, status, signed_off_by, signed_off_at,
        updated_at}. A run that was never amended has one."""
        def brief(run: Mapping[str, Any]) -> dict[str, Any]:
            return {k: run.get(k) for k in ("id", "version", "status", "signed_off_by", "signed_off_at", "updated_at",
                                            "amends_run_id", "amended_by_run_id")}

        current = self.store.get_run(run_id)
        chain = [brief(current)]
        seen = {current["id"]}
        older = current.get("amends_run_id")
        while older is not None and older not in seen:
            run = self.store.get_run(older)
            chain.insert(0, brief(run))
            seen.add(older)
            older = run.get("amends_run_id")
        newer = current.get("amended_by_run_id")
        while newer is not None and newer not in seen:
            run = self.store.get_run(newer)
            chain.append(brief(run))
            seen.add(newer)
            newer = run.get("amended_by_run_id")
        return chain

    def audit(self, run_id: int) -> AuditReport:
        """The run's audit rows, oldest first, and the check of its hash chain."""
        return AuditReport(self.store.audit_trail(run_id=run_id), self.store.verify_audit(run_id))

    # ------------------------------------------------------------------ decisions
    @staticmethod
    def _text(label: str, text: str, required: bool = True) -> str:
        text = (text or "").strip()
        if required and not text:
            raise ServiceError(f"Write the {label} first.")
        if len(text) > MAX_TEXT:
            raise ServiceError(f"The {label} is {len(text):,} characters long; keep it under {MAX_TEXT:,}.")
        return text

    def comment(self, run_id: int, text: str) -> int:
        """Add a supervision comment to a run in any status; returns its id."""
        name = self._require_supervisor("add a supervision comment")
        text = self._text("comment", text)
        return self.store.add_review_comment(run_id, name, text)

    def sign_off(self, run_id: int, comment: str = "") -> None:
        """Sign off a submitted run under your name; from then on it cannot be changed, only amended."""
        name = self._require_supervisor("sign off a checklist")
        run = self.store.get_run(run_id)
        self._require_not_own(run, "sign it off")
        if not self.store.verify_audit(run_id).ok:
            raise ServiceError(TAMPERED)
        self.store.sign_off(run_id, name, self._text("comment", comment, required=False))

    def return_run(self, run_id: int, reasons: str) -> None:
        """Return a submitted run to the practitioner with your reasons, which they see in their list."""
        name = self._require_supervisor("return a checklist")
        reasons = self._text("reasons for returning it (what the practitioner needs to do)", reasons)
        run = self.store.get_run(run_id)
        self._require_not_own(run, "return it")
        self.store.return_run(run_id, name, reasons)

    def amend(self, run_id: int) -> int:
        """Start an amendment of a signed-off run: a new draft version linked to it; the signed-off version
        stays exactly as it was. Returns the new run's id."""
        run = self.store.get_run(run_id)
        if not self.is_supervisor and run["practitioner"] != self.name:
            raise ServiceError("Only a supervisor, or the practitioner who completed it, can amend a signed-off "
                               "checklist.")
        if run["status"] != "signed_off":
            raise ServiceError("Only a signed-off checklist needs an amendment; this one can be changed directly "
                               "by returning it.")
        return self.store.amend(run_id, self.name)

