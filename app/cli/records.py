"""The record verbs: `seed-demo`, `runs` and `check`. Headless; never imports Qt or SQL.

`seed-demo` fills a records database with fictional families a West Midlands service meets, written in
their own spelling and script, and runs of the real checklists (app.catalog) in every status, with answers
chosen from what each checklist shows and flags worked out by the real engine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.catalog import load_catalog
from app.domain.case_facts import CaseFacts, HouseholdMember
from app.domain.engine import evaluate
from app.domain.model import AnswerType, Checklist
from app.store import Store, StoreError, open_store

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
DEMO_PREFIX = "DEMO-"
LOADED_BY = "seed-demo"

# Fictional families: (given names female, given names male, surname female, surname male).
# Names in a non-Latin script carry a transliteration so every colleague can read them aloud.
FAMILIES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "English": (("Amelia", "Isla", "Poppy", "Chloe", "Lily", "Jade"), ("Oliver", "Harry", "Jack", "Alfie", "Reece", "Tyler"),
                (("Smith", "Smith"), ("Jones", "Jones"), ("Walker", "Walker"), ("Hughes", "Hughes"), ("Bennett", "Bennett"))),
    "Polish": (("Zofia", "Małgorzata", "Wiktoria", "Agnieszka", "Zuzanna"), ("Łukasz", "Jakub", "Szymon", "Michał", "Paweł"),
               (("Wiśniewska", "Wiśniewski"), ("Kowalczyk", "Kowalczyk"), ("Wójcik", "Wójcik"), ("Zielińska", "Zieliński"))),
    "Romanian": (("Ioana", "Elena", "Bianca", "Ștefania", "Mădălina"), ("Andrei", "Mihai", "Ștefan", "Răzvan", "Ionuț"),
                 (("Ștefănescu", "Ștefănescu"), ("Popescu", "Popescu"), ("Dumitrescu", "Dumitrescu"), ("Țurcanu", "Țurcanu"))),
    "Lithuanian": (("Gabija", "Austėja", "Rūta", "Emilija", "Ugnė"), ("Jonas", "Lukas", "Matas", "Dovydas", "Kęstutis"),
                   (("Žemaitytė", "Žemaitis"), ("Kazlauskaitė", "Kazlauskas"), ("Petrauskaitė", "Petrauskas"))),
    "Urdu": (("عائشہ (Ayesha)", "زینب (Zainab)", "مریم (Maryam)", "حنا (Hina)", "سعدیہ (Sadia)"),
             ("محمد (Muhammad)", "حمزہ (Hamza)", "عمران (Imran)", "بلال (Bilal)", "عثمان (Usman)"),
             (("خان (Khan)", "خان (Khan)"), ("حسین (Hussain)", "حسین (Hussain)"), ("اقبال (Iqbal)", "اقبال (Iqbal)"))),
    "Punjabi": (("ਹਰਪ੍ਰੀਤ (Harpreet)", "ਜਸਪ੍ਰੀਤ (Jaspreet)", "ਮਨਦੀਪ (Mandeep)", "ਸਿਮਰਨ (Simran)"),
                ("ਗੁਰਪ੍ਰੀਤ (Gurpreet)", "ਅਮਨਦੀਪ (Amandeep)", "ਹਰਜੀਤ (Harjit)", "ਜਸਵਿੰਦਰ (Jaswinder)"),
                (("ਕੌਰ (Kaur)", "ਸਿੰਘ (Singh)"), ("ਸੰਧੂ (Sandhu)", "ਸੰਧੂ (Sandhu)"), ("ਗਿੱਲ (Gill)", "ਗਿੱਲ (Gill)"))),
    "Somali": (("Hodan", "Ayaan", "Faadumo", "Hibaaq", "Sahra"), ("Cabdullahi", "Axmed", "Maxamed", "Yuusuf", "Xasan"),
               (("Cabdi", "Cabdi"), ("Warsame", "Warsame"), ("Maxamuud", "Maxamuud"), ("Cali", "Cali"))),
    "Arabic": (("فاطمة (Fatima)", "مريم (Maryam)", "نور (Nour)", "ليلى (Layla)"), ("يوسف (Yusuf)", "عمر (Omar)", "علي (Ali)", "خالد (Khalid)"),
               (("حسن (Hassan)", "حسن (Hassan)"), ("العلي (Al-Ali)", "العلي (Al-Ali)"), ("صالح (Saleh)", "صالح (Saleh)"))),
    "Bengali": (("আয়েশা (Ayesha)", "তাসলিমা (Taslima)", "নুসরাত (Nusrat)", "শাহানা (Shahana)"),
                ("রহিম (Rahim)", "ফাহিম (Fahim)", "সাকিব (Sakib)", "তানভীর (Tanvir)"),
                (("বেগম (Begum)", "আহমেদ (Ahmed)"), ("রহমান (Rahman)", "রহমান (Rahman)"), ("মিয়া (Miah)", "মিয়া (Miah)"))),
    "Ukrainian": (("Олена (Olena)", "Софія (Sofiia)", "Анна (Anna)", "Ірина (Iryna)"), ("Андрій (Andrii)", "Максим (Maksym)", "Олександр (Oleksandr)", "Дмитро (Dmytro)"),
                  (("Коваленко (Kovalenko)", "Коваленко (Kovalenko)"), ("Шевченко (Shevchenko)", "Шевченко (Shevchenko)"), ("Бондаренко (Bondarenko)", "Бондаренко (Bondarenko)"))),
    "Greek": (("Μαρία (Maria)", "Ελένη (Eleni)", "Κατερίνα (Katerina)", "Σοφία (Sofia)"), ("Νίκος (Nikos)", "Γιώργος (Giorgos)", "Κώστας (Kostas)", "Δημήτρης (Dimitris)"),
              (("Παπαδοπούλου (Papadopoulou)", "Παπαδόπουλος (Papadopoulos)"), ("Γεωργίου (Georgiou)", "Γεωργίου (Georgiou)"))),
}
# Rough weights, so the mix looks like a Black Country caseload rather than an even spread.
FAMILY_WEIGHTS = {"English": 30, "Polish": 10, "Romanian": 8, "Lithuanian": 4, "Urdu": 10, "Punjabi": 10, "Somali": 6,
                  "Arabic": 6, "Bengali": 6, "Ukrainian": 5, "Greek": 2}

PROFILES = [
    ("Hannah Morris", "practitioner", "Sandwell 0-19 North"), ("Gurpreet Sandhu", "practitioner", "Sandwell 0-19 North"),
    ("Agnieszka Nowak", "practitioner", "Wolverhampton Health Visiting East"),
    ("Abdi Warsame", "practitioner", "Wolverhampton Health Visiting East"),
    ("Sarah Ahmed", "practitioner", "Dudley Children's Social Care"), ("Ioana Popescu", "practitioner", "Dudley Children's Social Care"),
    ("Tom Bennett", "practitioner", "Walsall Early Help"), ("Emma Price", "practitioner", "Walsall Early Help"),
    ("Rachel Evans", "supervisor", "Sandwell 0-19 North"), ("Imran Hussain", "supervisor", "Wolverhampton Health Visiting East"),
    ("Olena Kovalenko", "supervisor", "Dudley Children's Social Care"), ("Margaret Hughes", "trainer", "Workforce Development"),
]
PRACTITIONERS = [name for name, role, _ in PROFILES if role == "practitioner"]
SUPERVISORS = [name for name, role, _ in PROFILES if role == "supervisor"]

TEXTS = (
    "Seen at home with mother; baby settled and feeding well during the visit.",
    "Father not present; mother says he works nights. Visit arranged for a time he can attend.",
    "Discussed with the GP by phone today; no previous concerns recorded at the practice.",
    "Small bluish mark, about 1 cm, on the left upper arm; mother could not say how it happened.",
    "Two missed appointments in three months; rebooked and letter sent in the family's first language.",
    "Interpreter used (Polish); mother understood the plan and asked for written information.",
    "Home conditions seen: clean, food in the fridge, safe sleeping space with a cot and no loose bedding.",
    "Partner moved in last month; details and date of birth requested for checks.",
    "Mother describes low mood since birth; perinatal mental health referral discussed and agreed.",
    "Nursery report good attendance and no concerns about care or presentation.",
)
NOTES = ("Confirmed with health visiting records.", "Mother's account; not yet checked with other agencies.",
         "Interpreter present.", "Seen during joint visit with social worker.", "Will review at next contact.")
REPORTERS = ("mother", "father", "GP", "midwife", "nursery", "grandmother")
ACTIONS_TAKEN = ("Referred to MASH by phone; referral reference recorded.", "Discussed with my supervisor the same day.",
                 "Same-day paediatric assessment arranged with the hospital.", "Information shared with the GP and midwife.",
                 "Strategy discussion requested from children's social care.", "Visit booked to see the father.")
RETURN_REASONS = ("Please record who else lives in the household and whether they were seen.",
                  "The explanation for the mark needs describing in the parent's own words.",
                  "Say what the referral was and when it was made.")
SIGN_OFF_COMMENTS = ("Agreed; actions proportionate.", "Discussed in supervision; plan agreed.", "")


@dataclass(frozen=True)
class Template:
    """A kind of case: age, mobility, plan and who lives in the household (member ids m1, m2, ...)."""

    name: str
    birth_offset_days: int | None  # days before today the child was born; None = unborn
    due_in_days: int | None
    mobility: str | None
    plan: str
    household: tuple[tuple[str, bool], ...]  # (relationship, lives with child)

    def facts(self, today: dt.date) -> CaseFacts:
        """CaseFacts for this template as of `today`, household ids m1.. in order."""
        members = tuple(HouseholdMember(f"m{i}", f"Person {i}", rel, lives_with_child=lives)
                        for i, (rel, lives) in enumerate(self.household, start=1))
        return CaseFacts(
            date_of_birth=None if self.birth_offset_days is None else today - dt.timedelta(days=self.birth_offset_days),
            expected_delivery_date=None if self.due_in_days is None else today + dt.timedelta(days=self.due_in_days),
            mobility=self.mobility, plan=self.plan, household=members)


AGES = (("baby", 70, None, "rolls"), ("infant", 270, None, "crawls"), ("toddler", 900, None, "walks"),
        ("unborn", None, 70, None))
HOUSEHOLDS = ((("mother", True), ("father", True)),
              (("mother", True), ("partner", True), ("other_child", True)),
              (("mother", True), ("father", False), ("male_carer", True), ("sibling", True), ("grandparent", False)))
PLANS = ("none", "early_help", "child_in_need", "child_protection", "looked_after")
TEMPLATES = tuple(Template(f"{age}-{h}", born, due, mobility, PLANS[(a * 3 + h) % len(PLANS)], household)
                  for a, (age, born, due, mobility) in enumerate(AGES) for h, household in enumerate(HOUSEHOLDS))
STATUS_WEIGHTS = {"draft": 30, "submitted": 20, "returned": 10, "signed_off": 40}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the seed-demo, runs and check verbs."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: given after the verb it wins; not given, the top-level value stands.
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="folder for the local records")
    common.add_argument("--training", action="store_true", default=argparse.SUPPRESS, help="use the training workspace")

    seed = subparsers.add_parser("seed-demo", parents=[common],
                                 help="fill the records with fictional demo cases and checklist runs")
    seed.add_argument("--cases", type=_positive, default=50, help="how many fictional cases (default 50)")
    seed.add_argument("--runs", type=_positive, help="how many runs in all (default: 3 per case)")
    seed.add_argument("--seed", type=int, default=2026, help="random seed, for the same data every time")
    seed.add_argument("--checklists", metavar="FOLDER", help="checklists folder (default: the shipped one)")
    seed.set_defaults(func=run_seed)

    runs = subparsers.add_parser("runs", parents=[common], help="list checklist runs, most recently changed first")
    runs.add_argument("--status", choices=tuple(STATUS_WEIGHTS), help="only runs in this status")
    runs.add_argument("--checklist", metavar="ID", help="only runs of this checklist")
    runs.add_argument("--limit", type=_positive, default=50, help="how many (default 50)")
    runs.add_argument("--json", action="store_true", help="print JSON instead of a table")
    runs.set_defaults(func=run_runs)

    check = subparsers.add_parser("check", parents=[common],
                                  help="check the records file, its audit trail and its backups; exit 1 if anything is wrong")
    check.set_defaults(func=run_check)


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _open(args: argparse.Namespace) -> Store:
    return open_store(getattr(args, "data_dir", None), training=bool(getattr(args, "training", False)))


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


# ---------------------------------------------------------------------------------------------- runs

def _local(stamp: str | None) -> str:
    if not stamp:
        return ""
    return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def run_runs(args: argparse.Namespace) -> int:
    """Print runs: id, case reference, child's name, checklist, status, practitioner, last change."""
    try:
        with _open(args) as store:
            rows = store.list_runs(status=args.status, checklist_id=args.checklist, limit=args.limit)
    except StoreError as exc:
        return _fail(exc.user_message)
    records = [{"id": r["id"], "case_reference": r["case_reference"], "child_name": r["child_name"],
                "checklist_id": r["checklist_id"], "checklist_version": r["checklist_version"], "status": r["status"],
                "practitioner": r["practitioner"], "updated_at": r["updated_at"]} for r in rows]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    if not records:
        print("No checklist runs" + (f" with status {args.status}" if args.status else "") + ".")
        return 0
    header = ("ID", "CASE", "CHILD", "CHECKLIST", "STATUS", "PRACTITIONER", "LAST CHANGE")
    table = [header] + [(str(r["id"]), r["case_reference"], r["child_name"], f"{r['checklist_id']} v{r['checklist_version']}",
                         r["status"].replace("_", " "), r["practitioner"], _local(r["updated_at"])) for r in records]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


# --------------------------------------------------------------------------------------------- check

def run_check(args: argparse.Namespace) -> int:
    """Integrity, audit chain and backups; prints what was checked and exits 1 naming any problem."""
    try:
        store = _open(args)
    except StoreError as exc:
        return _fail(exc.user_message)
    problems: list[str] = []
    with store:
        print(f"Records file: {store.path} (schema version {store.schema_version()})")
        found = store.integrity_check()
        if found:
            problems.append(f"The records file failed its integrity check: {'; '.join(found)}.")
        else:
            print("Integrity check: ok")
        chain = store.verify_audit()
        (print(f"Audit trail: {chain.user_message}") if chain.ok else problems.append(chain.user_message))
        taken = store.backups()
        if store.backup_problem:
            problems.append(f"Today's backup failed: {store.backup_problem}")
        if not taken:
            problems.append(f"There are no backups of {store.path}.")
        else:
            latest = taken[0]
            age = dt.datetime.now() - latest["taken_at"]
            print(f"Backups: {len(taken)} kept, latest {latest['path']} ({latest['taken_at']:%Y-%m-%d %H:%M})")
            if age > dt.timedelta(days=7):
                problems.append(f"The latest backup is {age.days} days old ({latest['path']}).")
    for problem in problems:
        print(f"Problem: {problem}", file=sys.stderr)
    if problems:
        return 1
    print("Everything checked is fine.")
    return 0


# ----------------------------------------------------------------------------------------- seed-demo

class Demo:
    """Builds fictional cases and runs. Answer sets are worked out once per checklist and kind of case with the
    real engine, then shared across runs, which keeps 100,000 runs fast."""

    def __init__(self, checklists: dict[str, Checklist], settings: Any, rng: random.Random, today: dt.date,
                 now: dt.datetime) -> None:
        self.rng, self.today, self.now = rng, today, now
        self.snapshots = {c.id: c.snapshot for c in checklists.values()}
        self.versions = {c.id: c.version for c in checklists.values()}
        self.sections = {c.id: len(c.sections) for c in checklists.values()}
        self.eligible: dict[str, list[str]] = {}
        self.pool: dict[tuple[str, str], list[tuple[dict, list[dict]]]] = {}
        for template in TEMPLATES:
            unborn = template.birth_offset_days is None
            fits = [c for c in checklists.values() if str(c.subject) == "either" or (str(c.subject) == "unborn") == unborn]
            self.eligible[template.name] = [c.id for c in fits]
            facts = template.facts(today)
            for checklist in fits:
                self.pool[(checklist.id, template.name)] = [
                    self._answer_set(checklist, facts, settings) for _ in range(24)]

    def _value(self, prompt: Any, facts: CaseFacts) -> Any:
        rng = self.rng
        kind = prompt.type
        if kind is AnswerType.YES_NO_UNKNOWN:
            return rng.choices(("yes", "no", "unknown"), (20, 68, 12))[0]
        if kind is AnswerType.SINGLE_CHOICE:
            return rng.choice(prompt.option_values())
        if kind is AnswerType.MULTI_CHOICE:
            values = prompt.option_values()
            return rng.sample(values, rng.randint(1, min(3, len(values))))
        if kind is AnswerType.NUMBER:
            low = int(prompt.min) if prompt.min is not None else 0
            high = int(prompt.max) if prompt.max is not None else low + 12
            return rng.randint(low, max(low, min(high, low + 40)))
        if kind is AnswerType.DATE:
            return (self.today - dt.timedelta(days=rng.randint(0, 90))).isoformat()
        if kind is AnswerType.PERSON:
            fitting = [m.id for m in facts.household if not prompt.roles or m.relationship in prompt.roles]
            return rng.choice(fitting) if fitting else None
        return rng.choice(TEXTS)

    def _answer_set(self, checklist: Checklist, facts: CaseFacts, settings: Any) -> tuple[dict, list[dict]]:
        rng = self.rng
        values: dict[str, Any] = {}
        passed: set[str] = set()  # optional prompts this practitioner left blank
        for _ in range(8):  # a prompt may appear once an earlier one is answered
            shown = evaluate(checklist, values, facts, settings, self.today).visible_prompts
            todo = [p for p in shown if p.id not in values and p.id not in passed]
            if not todo:
                break
            for prompt in todo:
                value = self._value(prompt, facts)
                if value is None or (not prompt.required and rng.random() < 0.1):
                    passed.add(prompt.id)
                else:
                    values[prompt.id] = value
        flags = [{"flag_id": f.id, "severity": str(f.severity), "message": f.message, "action": f.action}
                 for f in evaluate(checklist, values, facts, settings, self.today).flags]
        answers = {}
        for prompt_id, value in values.items():
            how = rng.choices(("seen", "reported", "judgement", None), (45, 30, 15, 10))[0]
            answers[prompt_id] = {"value": value, "how_known": how,
                                  "reported_by": rng.choice(REPORTERS) if how == "reported" else "",
                                  "note": rng.choice(NOTES) if rng.random() < 0.2 else ""}
        return answers, flags

    def _name(self, culture: str, female: bool, surname_pair: tuple[str, str]) -> str:
        women, men, _ = FAMILIES[culture]
        return f"{self.rng.choice(women if female else men)} {surname_pair[0] if female else surname_pair[1]}"

    def case(self, number: int) -> tuple[dict, Template]:
        """One fictional case and the kind of case it is."""
        rng = self.rng
        template = rng.choice(TEMPLATES)
        culture = rng.choices(tuple(FAMILY_WEIGHTS), tuple(FAMILY_WEIGHTS.values()))[0]
        surnames = rng.choice(FAMILIES[culture][2])
        other_culture = rng.choices(tuple(FAMILY_WEIGHTS), tuple(FAMILY_WEIGHTS.values()))[0]
        household = []
        for i, (relationship, lives) in enumerate(template.household, start=1):
            female = relationship in ("mother", "grandparent") or (relationship in ("sibling", "other_child") and rng.random() < 0.5)
            if relationship in ("partner", "male_carer"):  # often from another family
                name = self._name(other_culture, False, rng.choice(FAMILIES[other_culture][2]))
            else:
                name = self._name(culture, female, surnames)
            born = None
            if relationship == "mother":
                born = (self.today - dt.timedelta(days=rng.randint(19 * 365, 40 * 365))).isoformat()
            household.append({"id": f"m{i}", "name": name, "relationship": relationship, "date_of_birth": born,
                              "lives_with_child": lives})
        facts = template.facts(self.today)
        if template.birth_offset_days is None:
            child = f"Unborn baby of {household[0]['name']}"  # every template lists the mother first
        else:
            child = self._name(culture, rng.random() < 0.5, surnames)
        agencies = [{"name": "GP practice", "role": "GP", "contact": f"0121 496 0{rng.randint(100, 999)}"},
                    {"name": "Health visiting", "role": "Health visitor", "contact": f"0121 496 0{rng.randint(100, 999)}"}]
        if template.plan in ("child_in_need", "child_protection", "looked_after"):
            agencies.append({"name": "Children's social care", "role": "Allocated social worker",
                             "contact": f"0121 496 0{rng.randint(100, 999)}"})
        stamp = (self.now - dt.timedelta(days=rng.randint(200, 700))).isoformat(timespec="microseconds")
        return {"reference": f"{DEMO_PREFIX}{number:06d}", "child_name": child,
                "date_of_birth": facts.date_of_birth, "expected_delivery_date": facts.expected_delivery_date,
                "mobility": template.mobility, "plan": template.plan, "household": household, "agencies": agencies,
                "created_at": stamp, "updated_at": stamp}, template

    def run(self, reference: str, template: Template) -> dict:
        """One run of a checklist that suits the case, in a random status, with plausible answers."""
        rng = self.rng
        checklist_id = rng.choice(self.eligible[template.name])
        answers, flags = rng.choice(self.pool[(checklist_id, template.name)])
        status = rng.choices(tuple(STATUS_WEIGHTS), tuple(STATUS_WEIGHTS.values()))[0]
        practitioner = rng.choice(PRACTITIONERS)
        created = self.now - dt.timedelta(minutes=rng.randint(60, 540 * 24 * 60))
        room = int((self.now - created).total_seconds() // 60)
        updated = created + dt.timedelta(minutes=rng.randint(min(5, room), min(room, 20 * 24 * 60)))
        iso = lambda moment: moment.isoformat(timespec="microseconds")  # noqa: E731
        run = {"case_reference": reference, "checklist_id": checklist_id, "version": self.versions[checklist_id],
               "snapshot": self.snapshots[checklist_id], "practitioner": practitioner, "status": status,
               "position": rng.randrange(self.sections[checklist_id]) if status == "draft" else 0,
               "created_at": iso(created), "updated_at": iso(updated), "answers": answers,
               "flags": [dict(f, raised_at=iso(created)) for f in flags], "responses": {}, "reviews": []}
        if status == "draft":
            return run
        run["submitted_at"] = iso(updated)
        by_when = (updated.date() + dt.timedelta(days=rng.randint(0, 5))).isoformat()
        for flag in flags:
            if rng.random() < 0.85:
                run["responses"][flag["flag_id"]] = {"action_taken": rng.choice(ACTIONS_TAKEN), "by_whom": practitioner,
                                                     "by_when": by_when}
            else:
                run["responses"][flag["flag_id"]] = {"reason_not_acting": "Already in hand: the allocated social "
                                                     "worker took this action the same day (confirmed by phone)."}
        supervisor = rng.choice(SUPERVISORS)
        if status == "returned":
            run["reviews"].append({"supervisor": supervisor, "decision": "returned", "comment": rng.choice(RETURN_REASONS),
                                   "at": iso(updated)})
        elif status == "signed_off":
            run.update(signed_off_at=iso(updated), signed_off_by=supervisor)
            run["reviews"].append({"supervisor": supervisor, "decision": "signed_off",
                                   "comment": rng.choice(SIGN_OFF_COMMENTS), "at": iso(updated)})
        return run


def run_seed(args: argparse.Namespace) -> int:
    """Add fictional cases and runs in every status; refuses a database holding anything but demo cases."""
    started = time.perf_counter()
    catalog = load_catalog(Path(args.checklists) if args.checklists else CHECKLISTS)
    if not catalog.checklists:
        return _fail("No checklists could be loaded, so there is nothing to seed runs of. "
                     "Run `python main.py validate` to see why.")
    try:
        store = _open(args)
    except StoreError as exc:
        return _fail(exc.user_message)
    with store:
        total = store.count_cases()
        demo = store.count_cases(search=DEMO_PREFIX.lower())
        if total != demo:
            return _fail(f"{store.path} already holds real (non-demo) cases, so fictional cases will not be added "
                         "to it. Use --training, or --data-dir with an empty folder.")
        rng = random.Random(args.seed + total)
        now = dt.datetime.now(dt.timezone.utc)
        demo_data = Demo(catalog.checklists, catalog.settings, rng, dt.date.today(), now)
        try:
            for name, role, team in PROFILES:
                if store.get_profile(name) is None:
                    store.save_profile({"name": name, "role": role, "team": team}, by=LOADED_BY)
            cases = [demo_data.case(total + i + 1) for i in range(args.cases)]
            run_count = args.runs or 3 * args.cases

            def runs() -> Iterator[dict]:
                for i in range(run_count):
                    # every case gets a run before any gets a second
                    case, template = cases[i % len(cases)] if i < len(cases) else rng.choice(cases)
                    yield demo_data.run(case["reference"], template)

            loaded_cases, loaded_runs = store.seed((c for c, _ in cases), runs(), by=LOADED_BY)
            amended = _amend_some(store, rng)
        except StoreError as exc:
            return _fail(exc.user_message)
        print(f"Added {loaded_cases} fictional cases and {loaded_runs + amended} checklist runs "
              f"({amended} amendments) to {store.path} in {time.perf_counter() - started:.1f} s.")
    return 0


def _amend_some(store: Store, rng: random.Random) -> int:
    """Amend a few signed-off runs through the normal path, so demo data has amendment chains too."""
    signed = store.list_runs(status="signed_off", limit=400)
    chosen = rng.sample(signed, min(len(signed) // 20, 20))
    for run in chosen:
        if store.get_run(run["id"])["amended_by_run_id"] is None:
            store.amend(run["id"], by=run["practitioner"])
    return len(chosen)
