"""Checks that a parsed condition makes sense for the checklist it is in: names exist, prompts
come earlier, and every compared value is one the prompt can actually hold."""
from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.domain.case_facts import CASE_NAMES, RELATIONSHIPS, iso_date
from app.domain.conditions import (
    And, Answered, Compare, Condition, Count, Has, HasAny, In, ListOf, Literal, Name, Node, Not, Or, Scoped,
    Selected,
)
from app.domain.model import AnswerType, Prompt
from app.domain.settings import DECLARED, unknown_setting_message


@dataclass(frozen=True)
class Kind:
    """What an operand holds: 'bool', 'number', 'date', 'text', 'choice', 'multi', 'string' or 'list'."""

    kind: str
    label: str                       # how to name it in a message
    values: tuple[str, ...] = ()     # for choice and multi: the possible values
    literal: object = None           # for literals: the value itself
    items: tuple[Kind, ...] = ()     # for lists


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


class ConditionChecker:
    """Checks conditions against the prompts of one checklist."""

    def __init__(self, prompts: Mapping[str, Prompt]):
        self.prompts = prompts
        self.order = {pid: i for i, pid in enumerate(prompts)}

    def check(self, condition: Condition, before: str | None, where: str, in_section: bool = False) -> list[str]:
        """Problems with `condition`, which may name prompts that come before prompt `before`
        (all prompts when None). `where` names the condition's owner in messages; `in_section` says
        the condition is a section's, and `before` is the section's first prompt."""
        problems: list[str] = []
        refs = condition.references()
        limit = self.order.get(before, len(self.order)) if before is not None else len(self.order)
        for pid in refs.prompts:
            if pid not in self.prompts:
                problems.append(f"The condition of {where} names '{pid}', which is not a prompt in this "
                                f"checklist.{_suggest(pid, list(self.prompts))}")
            elif in_section and self.order[pid] >= limit:
                problems.append(f"The condition of {where} refers to '{pid}', which comes later: a section's "
                                f"condition may only refer to prompts in earlier sections.")
            elif pid == before:
                problems.append(f"The condition of {where} refers to the prompt itself ('{pid}'); "
                                f"a prompt can only depend on earlier prompts.")
            elif self.order[pid] >= limit:
                problems.append(f"The condition of {where} refers to '{pid}', which comes later in the "
                                f"checklist. Conditions may only refer to earlier prompts: move '{pid}' up "
                                f"or change the condition.")
        for name in refs.case:
            if name not in CASE_NAMES:
                problems.append(f"The condition of {where} names 'case.{name}', which is not a case fact."
                                f"{_suggest(name, list(CASE_NAMES))} Case facts: {', '.join(CASE_NAMES)}.")
        for name in refs.settings:
            if name not in DECLARED:
                problems.append(f"The condition of {where}: {unknown_setting_message(name)}")
        for scoped in refs.unknown_scopes:
            problems.append(f"The condition of {where} names '{scoped}': only case.<fact> and "
                            f"settings.<name> have a dot.")
        if problems:
            return problems
        messages: list[str] = []
        self._boolean(condition.tree, messages.append)
        return [f"The condition of {where}: {m}" for m in dict.fromkeys(messages)]

    # ------------------------------------------------------------ kinds of operands

    def kind(self, node: Node) -> Kind:
        match node:
            case Name(id=pid):
                return self._prompt_kind(self.prompts[pid])
            case Scoped(scope="case", name=name):
                spec = CASE_NAMES[name]
                if isinstance(spec, tuple):
                    return Kind("choice", f"case.{name}", spec)
                return Kind(spec, f"case.{name}")
            case Scoped(scope="settings", name=name):
                return Kind("number" if DECLARED[name].type is int else "string", f"settings.{name}")
            case Literal(value=value):
                if isinstance(value, bool):
                    return Kind("bool", str(value).lower(), literal=value)
                if isinstance(value, (int, float)):
                    return Kind("number", str(value), literal=value)
                return Kind("string", repr(value), literal=value)
            case ListOf(items=items):
                return Kind("list", "a list", items=tuple(self.kind(i) for i in items))
            case Selected() | Count():
                return Kind("number", "a count")
        return Kind("bool", "a condition")

    @staticmethod
    def _prompt_kind(prompt: Prompt) -> Kind:
        label = f"'{prompt.id}'"
        match prompt.type:
            case AnswerType.YES_NO_UNKNOWN | AnswerType.SINGLE_CHOICE:
                return Kind("choice", label, prompt.option_values())
            case AnswerType.MULTI_CHOICE:
                return Kind("multi", label, prompt.option_values())
            case AnswerType.PERSON:
                return Kind("choice", label, prompt.roles or RELATIONSHIPS)
            case AnswerType.NUMBER:
                return Kind("number", label)
            case AnswerType.DATE:
                return Kind("date", label)
        return Kind("text", label)

    # ------------------------------------------------------------ checks

    def _boolean(self, node: Node, report: Callable[[str], None]) -> None:
        """`node` stands where true/false is needed."""
        match node:
            case And(left=left, right=right) | Or(left=left, right=right):
                self._boolean(left, report)
                self._boolean(right, report)
            case Not(operand=operand):
                self._boolean(operand, report)
            case Count(items=items):
                report("count(...) gives a number; compare it, e.g. count(...) >= 2.")
                for item in items:
                    self._boolean(item, report)
            case Answered():
                pass
            case Compare():
                self._compare(node, report)
            case Has(left=left, right=right):
                self._has(left, [right], "has", report)
            case HasAny(left=left, right=right):
                if not isinstance(right, ListOf):
                    report("has_any needs a list in square brackets, e.g. sites has_any ['ear', 'neck'].")
                else:
                    self._has(left, list(right.items), "has_any", report)
            case In(left=left, right=right):
                self._in(left, right, report)
            case Selected(prompt=pid):
                report(f"selected({pid}) gives a number; compare it, e.g. selected({pid}) >= 1.")
            case Name(id=pid):
                report(f"'{pid}' on its own is not a condition: write, for example, {pid} == 'yes' or answered({pid}).")
            case _:
                kind = self.kind(node)
                if kind.kind != "bool":
                    report(f"{kind.label} on its own is not a condition: compare it with something.")
        for item in _count_items(node):
            self._boolean(item, report)

    def _has(self, left: Node, values: list[Node], word: str, report: Callable[[str], None]) -> None:
        kind = self.kind(left)
        if kind.kind != "multi":
            report(f"'{word}' works only on a multiple-choice prompt, but {kind.label} is not one; "
                   f"use == or in instead.")
            return
        for value in values:
            self._value_of(kind, self.kind(value), report)

    def _in(self, left: Node, right: Node, report: Callable[[str], None]) -> None:
        kind = self.kind(left)
        if kind.kind == "multi":
            report(f"{kind.label} allows several answers: use has_any [...] instead of in.")
            return
        if not isinstance(right, ListOf):
            report("'in' needs a list in square brackets, e.g. mobility in ['not_rolling', 'rolls'].")
            return
        for item in right.items:
            self._comparable("==", kind, self.kind(item), report)

    def _compare(self, node: Compare, report: Callable[[str], None]) -> None:
        left, right = self.kind(node.left), self.kind(node.right)
        if left.literal is not None and right.literal is not None:
            report(f"{left.label} {node.op} {right.label} compares two fixed values.")
            return
        if left.literal is not None:  # keep the prompt or fact on the left for the messages
            left, right = right, left
        self._comparable(node.op, left, right, report)

    def _comparable(self, op: str, left: Kind, right: Kind, report: Callable[[str], None]) -> None:
        for kind in (left, right):
            if kind.kind == "multi":
                report(f"{kind.label} allows several answers: use {kind.label.strip(chr(39))} has 'value' or "
                       f"has_any [...] instead of {op}.")
                return
            if kind.kind == "text":
                report(f"{kind.label} is free text and cannot be compared; use answered({kind.label.strip(chr(39))}).")
                return
            if kind.kind == "list":
                report(f"a list can only follow 'in' or 'has_any', not {op}.")
                return
            if kind.label == "a condition":
                report(f"a condition cannot be compared with {op}; combine conditions with 'and' or 'or'.")
                return
        if left.kind == "choice":
            if op not in ("==", "!="):
                report(f"{left.label} is a choice, so it can only be compared with == or != (not {op}).")
            elif right.kind == "choice":
                pass
            else:
                self._value_of(left, right, report)
        elif left.kind == "number":
            if right.kind != "number":
                report(f"{left.label} is a number but is compared with {right.label}.")
        elif left.kind == "date":
            if right.kind == "date":
                return
            if right.kind != "string" or not isinstance(right.literal, str) or iso_date(right.literal) is None:
                report(f"{left.label} is a date: compare it with a date written 'YYYY-MM-DD', not {right.label}.")
        elif left.kind == "bool":
            if right.kind != "bool":
                report(f"{left.label} is true or false but is compared with {right.label}.")
            elif op not in ("==", "!="):
                report(f"{left.label} is true or false, so use == or != (not {op}).")
        elif left.kind == "string" and right.kind not in ("string", "choice"):
            report(f"{left.label} is text but is compared with {right.label}.")

    @staticmethod
    def _value_of(kind: Kind, value: Kind, report: Callable[[str], None]) -> None:
        if value.kind != "string" or not isinstance(value.literal, str):
            report(f"{kind.label} is compared with {value.label}; write one of its values in quotes: "
                   f"{', '.join(kind.values)}.")
        elif value.literal not in kind.values:
            hint = _suggest(value.literal, list(kind.values))
            report(f"{value.label} is not a possible answer to {kind.label}.{hint} "
                   f"Possible answers: {', '.join(kind.values)}.")


def _count_items(node: Node) -> tuple[Node, ...]:
    """Boolean arguments of count() found inside comparisons, e.g. count(a == 'yes') >= 2."""
    if isinstance(node, Compare):
        return tuple(item for side in (node.left, node.right) if isinstance(side, Count) for item in side.items)
    return ()
