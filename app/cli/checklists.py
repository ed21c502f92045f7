"""The checklist verbs: `validate`, `checklists` and `evaluate`. Never imports Qt."""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import sys
from pathlib import Path

from app.catalog import Catalog, load_catalog
from app.domain.case_facts import CaseFacts, CaseFactsError, parse_date
from app.domain.engine import Answer, AnswerError, coerce_answer, evaluate
from app.domain.model import Checklist, HowKnown

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "checklists"


class InputError(Exception):
    """Bad input to `evaluate`; the message is shown as it is."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the validate, checklists and evaluate verbs."""
    validate = subparsers.add_parser("validate", help="check checklist files and name the file and line of each problem")
    validate.add_argument("paths", nargs="*", metavar="PATH",
                          help="checklists folders or checklist files (default: the checklists folder)")
    validate.set_defaults(func=run_validate)

    listing = subparsers.add_parser("checklists", help="list the checklists with their versions")
    listing.add_argument("--checklists", metavar="FOLDER", help="checklists folder (default: the shipped one)")
    listing.set_defaults(func=run_list)

    evaluate_ = subparsers.add_parser("evaluate", help="show the prompts, flags and gaps for a set of answers, as JSON")
    evaluate_.add_argument("checklist_id", metavar="CHECKLIST_ID")
    evaluate_.add_argument("answers_file", metavar="ANSWERS.json",
                           help='JSON {"case": {...}, "answers": {...}, "today": "YYYY-MM-DD"}; - reads standard input')
    evaluate_.add_argument("--checklists", metavar="FOLDER", help="checklists folder (default: the shipped one)")
    evaluate_.set_defaults(func=run_evaluate)


def _folder(args: argparse.Namespace) -> Path:
    return Path(args.checklists) if getattr(args, "checklists", None) else DEFAULT_FOLDER


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem as file:line: message; exit 1 if there are any."""
    paths = [Path(p) for p in args.paths] or [DEFAULT_FOLDER]
    problems, count, scenarios = [], 0, 0
    for path in paths:
        catalog = load_catalog(path)
        problems += catalog.problems
        count += len(catalog.checklists)
        scenarios += len(catalog.scenarios)
    for problem in dict.fromkeys(problems):
        print(problem)
    loaded = f"{count} checklist{'' if count == 1 else 's'}"
    if scenarios:
        loaded += f" and {scenarios} training scenario{'' if scenarios == 1 else 's'}"
    if problems:
        print(f"{loaded} loaded, {len(problems)} problem{'s' if len(problems) != 1 else ''}", file=sys.stderr)
        return 1
    print(f"{loaded}, no problems")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print a table of id, version and title."""
    catalog = load_catalog(_folder(args))
    rows = [(c.id, str(c.version), c.title) for c in sorted(catalog.checklists.values(), key=lambda c: c.id)]
    width = max([len("id")] + [len(r[0]) for r in rows])
    print(f"{'id'.ljust(width)}  version  title")
    for ident, version, title in rows:
        print(f"{ident.ljust(width)}  {version.ljust(7)}  {title}")
    if catalog.problems:
        print(f"{len(catalog.problems)} problem(s) in the checklist files; run `python main.py validate`.",
              file=sys.stderr)
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    """Evaluate answers from a JSON file and print the result as JSON; bad input exits 2."""
    try:
        catalog = load_catalog(_folder(args))
        checklist = _checklist(catalog, args.checklist_id)
        document = _read_json(args.answers_file)
        facts, answers, today = _parse_input(checklist, document)
    except InputError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    result = evaluate(checklist, answers, facts, catalog.settings, today)
    print(json.dumps({
        "checklist": checklist.id,
        "version": checklist.version,
        "today": today.isoformat(),
        "sections": [{"id": s.section.id, "shown": s.shown, "skipped_because": s.skipped_because}
                     for s in result.sections],
        "visible_prompts": [p.id for p in result.visible_prompts],
        "flags": [{"id": f.id, "severity": f.severity.value, "message": f.message, "action": f.action,
                   "sources": list(f.sources)} for f in result.flags],
        "missing_required": [p.id for p in result.missing_required],
        "hidden_answered": [p.id for p in result.hidden_answered],
    }, indent=2, ensure_ascii=False))
    return 0


def _checklist(catalog: Catalog, checklist_id: str) -> Checklist:
    if checklist_id in catalog.checklists:
        return catalog.checklists[checklist_id]
    broken = [p for p in catalog.problems if Path(p.file).stem == checklist_id]
    if broken:
        raise InputError(f"checklist '{checklist_id}' has problems and was not loaded; "
                         f"run `python main.py validate` to see them.")
    known = sorted(catalog.checklists)
    close = difflib.get_close_matches(checklist_id, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise InputError(f"unknown checklist '{checklist_id}'.{hint} Known checklists: {', '.join(known) or 'none'}.")


def _read_json(name: str) -> object:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {name}: {getattr(exc, 'strerror', None) or exc}.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from None


def _parse_input(checklist: Checklist, document: object) -> tuple[CaseFacts, dict[str, object], dt.date]:
    if not isinstance(document, dict):
        raise InputError('the JSON must be an object: {"case": {...}, "answers": {...}, "today": "YYYY-MM-DD"}.')
    unknown = sorted(set(document) - {"case", "answers", "today"})
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(unknown)}; use case, answers and today.")
    try:
        facts = CaseFacts.from_dict(document.get("case") or {})
    except CaseFactsError as exc:
        raise InputError(f"case: {exc}") from None
    try:
        today = parse_date("today", document.get("today")) or dt.date.today()
    except CaseFactsError as exc:
        raise InputError(str(exc)) from None
    raw_answers = document.get("answers") or {}
    if not isinstance(raw_answers, dict):
        raise InputError("answers must be an object mapping prompt ids to answers.")
    answers: dict[str, object] = {}
    errors: list[str] = []
    for prompt_id, raw in raw_answers.items():
        if not checklist.has_prompt(prompt_id):
            close = difflib.get_close_matches(prompt_id, [p.id for p in checklist.prompts()], n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            errors.append(f"'{prompt_id}' is not a prompt in {checklist.id}.{hint}")
            continue
        try:
            answers[prompt_id] = _answer(checklist, prompt_id, raw, facts)
        except AnswerError as exc:
            errors.append(f"answer to '{prompt_id}': {exc}")
    if errors:
        raise InputError("\n  ".join(["the answers have problems:"] + errors))
    return facts, answers, today


def _answer(checklist: Checklist, prompt_id: str, raw: object, facts: CaseFacts) -> Answer:
    """An answer given either as the value itself or as {"value", "note", "how_known", "reported_by"}."""
    note, how_known, reported_by = "", None, ""
    if isinstance(raw, dict):
        extra = sorted(set(raw) - {"value", "note", "how_known", "reported_by"})
        if extra or "value" not in raw:
            raise AnswerError('give the value itself, or {"value": ..., "note": ..., "how_known": ..., '
                              '"reported_by": ...}' + (f"; unknown key(s): {', '.join(extra)}" if extra else ""))
        note, reported_by = str(raw.get("note") or ""), str(raw.get("reported_by") or "")
        if raw.get("how_known") is not None:
            try:
                how_known = HowKnown(raw["how_known"])
            except ValueError:
                raise AnswerError(f"how_known must be one of: {', '.join(h.value for h in HowKnown)}.") from None
        raw = raw["value"]
    value = coerce_answer(checklist.prompt(prompt_id), raw, facts)
    return Answer(value, note, how_known, reported_by)
