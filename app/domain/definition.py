"""Building a Checklist from the plain dict in a checklist file, with every problem found.

Problems are `Issue`s located by path (keys and list indexes) so the catalog can point at the
file and line; `Checklist.from_snapshot` uses the same checks."""
from __future__ import annotations

import copy
import dataclasses
import difflib
from collections.abc import Collection, Mapping
from typing import Any

from pydantic import ValidationError

from app.domain.condition_checks import ConditionChecker
from app.domain.conditions import KEYWORDS, SCOPES, Condition, ConditionSyntaxError, parse_condition
from app.domain.errors import Issue
from app.domain.model import AnswerType, Checklist, FlagRule, Option, Prompt, Section, Severity
from app.domain.settings import unknown_placeholder_message, unknown_placeholders
from app.domain.spec import KEYS, REQUIRED, ChecklistSpec, PromptSpec

Path = tuple[str | int, ...]
_TEXT_FIELDS = ("title", "purpose", "intro", "skipped_because", "ask", "why", "message", "action", "label", "unit")


_STEPS = {("checklist", "sections"): "section", ("section", "prompts"): "prompt",
          ("prompt", "options"): "option", ("checklist", "flags"): "flag"}


def _owner(path: Path) -> tuple[str, Path]:
    """The kind of node (checklist, section, prompt, option, flag) a path falls in, and its path."""
    kind, owner, i = "checklist", (), 0
    while i + 1 < len(path):
        step = _STEPS.get((kind, path[i])) if isinstance(path[i], str) else None
        if step is None or not isinstance(path[i + 1], int):
            break
        kind, owner, i = step, path[: i + 2], i + 2
    return kind, owner


def _get(data: object, path: Path) -> object:
    for step in path:
        if isinstance(data, Mapping) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def describe(data: object, path: Path) -> str:
    """Plain words for the node at `path`, e.g. "prompt 'mobility' in section 'age'"."""
    kind, owner = _owner(path)
    if kind == "checklist":
        return "the checklist"
    node = _get(data, owner)
    name = node.get("id") if isinstance(node, Mapping) else None
    if kind == "option":
        value = node.get("value") if isinstance(node, Mapping) else None
        label = f"option '{value}'" if isinstance(value, str) else f"option {owner[-1] + 1}"
        return f"{label} of {describe(data, owner[:-2])}"
    label = f"{kind} '{name}'" if isinstance(name, str) and name else f"{kind} {owner[-1] + 1}"
    if kind == "prompt":
        return f"{label} in {describe(data, owner[:-2])}"
    return label


def _suggest(word: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


_ID_RULES = {
    "checklist": "lower case letters, digits and single hyphens, e.g. non-mobile-bruising",
    "prompt": "a lower case letter, then lower case letters, digits or underscores, e.g. mark_seen",
    "option": "lower case letters, digits or underscores, e.g. not_rolling",
    "section": "a lower case letter, then lower case letters, digits, underscores or hyphens, e.g. mobility",
    "flag": "a lower case letter, then lower case letters, digits, underscores or hyphens, e.g. nim_mark_same_day",
}


def _translate(data: object, error: Mapping[str, Any]) -> Issue:
    """A pydantic error as an Issue a checklist author can act on."""
    path: Path = tuple(error["loc"])
    kind_, where, value = error["type"], describe(data, path), error.get("input")
    key = path[-1] if path else None
    kind, _ = _owner(path)
    if kind_ == "extra_forbidden":
        allowed = KEYS[kind]
        return Issue(path, f"Unknown key '{key}' in {where}.{_suggest(str(key), allowed)} "
                           f"Allowed keys: {', '.join(allowed)}.", on_key=True)
    if kind_ == "missing":
        return Issue(path[:-1], f"{where[0].upper()}{where[1:]} is missing the required key '{key}'. "
                                f"Required keys: {', '.join(REQUIRED[kind])}.", on_key=bool(path[:-1]))
    if kind_ == "literal_error":
        expected = [e.strip().strip("'") for e in error["ctx"]["expected"].replace(" or ", ", ").split(",")]
        field = path[-2] if isinstance(key, int) else key
        what = {"type": "answer type", "severity": "severity", "subject": "subject", "roles": "role"}.get(field, field)
        return Issue(path, f"Unknown {what} {value!r} in {where}.{_suggest(str(value), expected)} "
                           f"Use one of: {', '.join(expected)}.")
    if kind_ == "string_pattern_mismatch":
        rule = _ID_RULES["option" if key == "value" else kind] if key in ("id", "value") else "the pattern"
        return Issue(path, f"'{value}' is not a valid {key} for {where}: use {rule}.")
    field = key if isinstance(key, str) else (f"{path[-2]} item {key + 1}" if len(path) > 1 else "item")
    messages = {
        "string_type": f"'{field}' in {where} must be text, not {value!r}. Put quotes round it if needed.",
        "string_too_short": f"'{field}' in {where} must not be empty.",
        "int_type": f"'{field}' in {where} must be a whole number, like 1, not {value!r}.",
        "float_type": f"'{field}' in {where} must be a number, not {value!r}.",
        "bool_type": f"'{field}' in {where} must be true or false, not {value!r}.",
        "list_type": f"'{field}' in {where} must be a list, e.g. [a, b] or lines starting '- '.",
        "model_type": f"{where[0].upper()}{where[1:]} must be a set of keys and values, not {value!r}.",
        "model_attributes_type": f"{where[0].upper()}{where[1:]} must be a set of keys and values, not {value!r}.",
        "dict_type": f"{where[0].upper()}{where[1:]} must be a set of keys and values, not {value!r}.",
        "too_short": f"'{field}' in {where} needs at least {error.get('ctx', {}).get('min_length', 1)} item(s).",
        "greater_than_equal": f"'{field}' in {where} must be at least {error.get('ctx', {}).get('ge')}.",
    }
    if kind_ in ("model_type", "model_attributes_type", "dict_type") and not path:
        return Issue(path, f"A checklist file must hold keys such as id, title and sections, not {type(value).__name__}.")
    return Issue(path, messages.get(kind_, f"'{field}' in {where}: {error['msg']}."))


def _parse(text: str | None, path: Path, where: str, issues: list[Issue]) -> Condition | None:
    if text is None:
        return None
    try:
        return parse_condition(text)
    except ConditionSyntaxError as exc:
        issues.append(Issue(path, f"The condition of {where} cannot be read: {exc}. The condition is: {text.strip()}"))
        return None


class _Builder:
    def __init__(self, data: Mapping[str, Any], spec: ChecklistSpec, source_ids: Collection[str] | None):
        self.data, self.spec, self.source_ids = data, spec, source_ids
        self.issues: list[Issue] = []
        self.prompt_specs: dict[str, PromptSpec] = {}
        for section in spec.sections:
            for prompt in section.prompts:
                self.prompt_specs.setdefault(prompt.id, prompt)

    def add(self, path: Path, message: str, on_key: bool = False) -> None:
        self.issues.append(Issue(path, message, on_key))

    def build(self) -> Checklist | None:
        self._duplicates()
        self._texts()
        for si, section in enumerate(self.spec.sections):
            self._prompts_of(si, section)
        checker = ConditionChecker(self.prompts_by_order())
        sections = tuple(self._section(si, s, checker) for si, s in enumerate(self.spec.sections))
        flags = tuple(self._flag(fi, f, checker) for fi, f in enumerate(self.spec.flags))
        if self.issues:
            return None
        spec = self.spec
        return Checklist(spec.id, spec.version, spec.title, spec.purpose, tuple(spec.audience), spec.subject,
                         sections, flags, copy.deepcopy(dict(self.data)))

    def prompts_by_order(self) -> dict[str, Prompt]:
        return {pid: self._prompt_shell(p) for pid, p in self.prompt_specs.items()}

    @staticmethod
    def _prompt_shell(p: PromptSpec) -> Prompt:
        return Prompt(p.id, p.ask, p.why, AnswerType(p.type),
                      tuple(Option(o.value, o.label) for o in p.options or ()), p.required, p.when,
                      tuple(p.sources), p.min, p.max, p.unit, tuple(p.roles or ()))

    def _duplicates(self) -> None:
        seen: dict[tuple[str, str], Path] = {}
        items: list[tuple[str, str, Path]] = []
        for si, s in enumerate(self.spec.sections):
            items.append(("section", s.id, ("sections", si, "id")))
            for pi, p in enumerate(s.prompts):
                items.append(("prompt", p.id, ("sections", si, "prompts", pi, "id")))
        for fi, f in enumerate(self.spec.flags):
            items.append(("flag", f.id, ("flags", fi, "id")))
        for kind, ident, path in items:
            first = seen.setdefault((kind, ident), path)
            if first is not path:
                self.add(path, f"Duplicate {kind} id '{ident}': {describe(self.data, first)} already uses it. "
                               f"Each {kind} id must be unique within the checklist.")
            if kind == "prompt" and (ident in KEYWORDS or ident in SCOPES):
                self.add(path, f"'{ident}' cannot be a prompt id because conditions use it as a word; "
                               f"choose another id.")

    def _texts(self) -> None:
        def visit(node: object, path: Path) -> None:
            if isinstance(node, Mapping):
                for key, value in node.items():
                    if key in _TEXT_FIELDS and isinstance(value, str):
                        for name in unknown_placeholders(value):
                            self.add(path + (key,), f"'{key}' in {describe(self.data, path + (key,))} uses "
                                                    f"{{settings.{name}}}: {unknown_placeholder_message(name)}")
                    else:
                        visit(value, path + (key,))
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    visit(value, path + (i,))
        visit(self.data, ())

    def _sources(self, sources: list[str], path: Path, where: str) -> None:
        for i, source in enumerate(sources):
            if self.source_ids is not None and source not in self.source_ids:
                self.add(path + ("sources", i), f"{where[0].upper()}{where[1:]} cites source '{source}', which is "
                                                f"not in sources.yaml.{_suggest(source, self.source_ids)} Add it "
                                                f"to checklists/sources.yaml or fix the id.")
            if sources.index(source) != i:
                self.add(path + ("sources", i), f"{where[0].upper()}{where[1:]} lists source '{source}' twice.")

    def _prompts_of(self, si: int, section: Any) -> None:
        for pi, p in enumerate(section.prompts):
            path = ("sections", si, "prompts", pi)
            where = describe(self.data, path)
            t = AnswerType(p.type)
            if t.has_options and p.options is None:
                self.add(path, f"{where[0].upper()}{where[1:]} is {t.value} so it needs 'options' "
                               f"(a list of {{value, label}}).", on_key=True)
            if not t.has_options and p.options is not None:
                self.add(path + ("options",), f"'options' is only for single_choice and multi_choice; "
                                              f"{where} is {t.value}. Remove 'options' or change the type.",
                         on_key=True)
            for key in ("min", "max", "unit"):
                if getattr(p, key) is not None and t is not AnswerType.NUMBER:
                    self.add(path + (key,), f"'{key}' is only for number prompts; {where} is {t.value}.", on_key=True)
            if p.roles is not None and t is not AnswerType.PERSON:
                self.add(path + ("roles",), f"'roles' is only for person prompts; {where} is {t.value}.", on_key=True)
            if p.min is not None and p.max is not None and p.min > p.max:
                self.add(path + ("min",), f"In {where}, min ({p.min:g}) is larger than max ({p.max:g}).")
            values = [o.value for o in p.options or ()]
            for oi, value in enumerate(values):
                if values.index(value) != oi:
                    self.add(path + ("options", oi, "value"), f"Option value '{value}' appears twice in {where}.")
            self._sources(p.sources, path, where)

    def _section(self, si: int, s: Any, checker: ConditionChecker) -> Section:
        path = ("sections", si)
        where = describe(self.data, path)
        if s.when is not None and s.skipped_because is None:
            self.add(path + ("when",), f"{where[0].upper()}{where[1:]} has 'when' so it also needs "
                                       f"'skipped_because': the reason shown on the PDF when it is skipped.",
                     on_key=True)
        if s.skipped_because is not None and s.when is None:
            self.add(path + ("skipped_because",), f"{where[0].upper()}{where[1:]} has 'skipped_because' but no "
                                                  f"'when'; add the condition or remove the reason.", on_key=True)
        condition = _parse(s.when, path + ("when",), where, self.issues)
        if condition is not None:
            first = s.prompts[0].id
            for message in checker.check(condition, first, where, in_section=True):
                self.add(path + ("when",), message)
        prompts = []
        for pi, p in enumerate(s.prompts):
            ppath = path + ("prompts", pi)
            pwhere = describe(self.data, ppath)
            pcond = _parse(p.when, ppath + ("when",), pwhere, self.issues)
            if pcond is not None:
                for message in checker.check(pcond, p.id, pwhere):
                    self.add(ppath + ("when",), message)
            shell = self._prompt_shell(p)
            prompts.append(dataclasses.replace(shell, when=pcond))
        return Section(s.id, s.title, tuple(prompts), s.intro, s.when, s.skipped_because, condition)

    def _flag(self, fi: int, f: Any, checker: ConditionChecker) -> FlagRule:
        path = ("flags", fi)
        where = describe(self.data, path)
        condition = _parse(f.when, path + ("when",), where, self.issues)
        if condition is not None:
            for message in checker.check(condition, None, where):
                self.add(path + ("when",), message)
        self._sources(f.sources, path, where)
        return FlagRule(f.id, Severity(f.severity), f.when, f.message, f.action, tuple(f.sources), condition)


def build_checklist(data: object, source_ids: Collection[str] | None = None) -> tuple[Checklist | None, list[Issue]]:
    """Build a checklist from plain data (as read from YAML or a stored snapshot).

    Returns the checklist, or None with the list of problems. `source_ids`, when given, are the
    ids in sources.yaml that prompts and flags may cite."""
    if not isinstance(data, Mapping):
        return None, [Issue((), f"A checklist must hold keys such as id, title and sections, not "
                                f"{type(data).__name__}.")]
    try:
        spec = ChecklistSpec.model_validate(dict(data))
    except ValidationError as exc:
        issues = [_translate(data, error) for error in exc.errors(include_url=False)]
        return None, list(dict.fromkeys(issues))
    builder = _Builder(data, spec, source_ids)
    checklist = builder.build()
    return checklist, builder.issues
