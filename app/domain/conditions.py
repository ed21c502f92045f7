"""The `when:` expression language (docs/checklist-format.md, "Conditions").

Text is parsed once with a LALR grammar into a small tree, then compiled into plain Python
closures. Nothing is ever passed to eval. A comparison that involves an unanswered or hidden
prompt (or an unknown case fact) is false."""
from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr | or_expr "or" and_expr -> or_
?and_expr: not_expr | and_expr "and" not_expr -> and_
?not_expr: NOT not_expr -> not_ | test
?test: operand
     | operand COMPARE operand -> compare
     | operand HAS operand -> has
     | operand HAS_ANY operand -> has_any
     | operand IN operand -> in_
?operand: NAME -> name
     | NAME "." NAME -> dotted
     | STRING -> string
     | NUMBER -> number
     | TRUE -> true
     | FALSE -> false
     | "[" [operand ("," operand)*] "]" -> list_
     | ANSWERED "(" NAME ")" -> answered
     | SELECTED "(" NAME ")" -> selected
     | COUNT "(" or_expr ("," or_expr)* ")" -> count
     | "(" or_expr ")"
NOT: "not"
HAS: "has"
HAS_ANY: "has_any"
IN: "in"
TRUE: "true"
FALSE: "false"
ANSWERED: "answered"
SELECTED: "selected"
COUNT: "count"
COMPARE: "==" | "!=" | "<=" | ">=" | "<" | ">"
NAME: /[a-z][a-z0-9_]*/
STRING: /'[^'\n]*'/ | /"[^"\n]*"/
NUMBER: /-?[0-9]+(\.[0-9]+)?/
%ignore /[ \t\r\n]+/
"""

KEYWORDS = frozenset({"and", "or", "not", "has", "has_any", "in", "true", "false", "answered", "selected", "count"})
SCOPES = ("case", "settings")


class _Missing:
    """An unanswered or hidden prompt, or a fact that is not known."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()


class ConditionSyntaxError(ValueError):
    """A condition that cannot be read; `line` and `column` count from 1 within the condition."""

    def __init__(self, message: str, line: int, column: int):
        self.reason = message
        self.line = line
        self.column = column
        super().__init__(f"{message} (line {line}, column {column} of the condition)")


# ---------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Node:
    line: int = field(default=1, kw_only=True, compare=False)
    column: int = field(default=1, kw_only=True, compare=False)


@dataclass(frozen=True)
class Name(Node):
    """A prompt id."""
    id: str


@dataclass(frozen=True)
class Scoped(Node):
    """`case.x` or `settings.x`, or an unknown `scope.x` that validation reports."""
    scope: str
    name: str


@dataclass(frozen=True)
class Literal(Node):
    value: str | int | float | bool


@dataclass(frozen=True)
class ListOf(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Compare(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Has(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class HasAny(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class In(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class And(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Or(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Answered(Node):
    prompt: str


@dataclass(frozen=True)
class Selected(Node):
    prompt: str


@dataclass(frozen=True)
class Count(Node):
    items: tuple[Node, ...]


def _pos(token: Token) -> dict[str, int]:
    return {"line": token.line or 1, "column": token.column or 1}


@v_args(inline=True)
class _ToTree(Transformer):
    def name(self, tok):
        return Name(str(tok), **_pos(tok))

    def dotted(self, scope, name):
        return Scoped(str(scope), str(name), **_pos(scope))

    def string(self, tok):
        return Literal(str(tok)[1:-1], **_pos(tok))

    def number(self, tok):
        text = str(tok)
        return Literal(float(text) if "." in text else int(text), **_pos(tok))

    def true(self, tok):
        return Literal(True, **_pos(tok))

    def false(self, tok):
        return Literal(False, **_pos(tok))

    def list_(self, *items):
        items = tuple(i for i in items if i is not None)
        first = items[0] if items else None
        return ListOf(items, line=first.line if first else 1, column=first.column if first else 1)

    def compare(self, left, op, right):
        return Compare(str(op), left, right, **_pos(op))

    def has(self, left, op, right):
        return Has(left, right, **_pos(op))

    def has_any(self, left, op, right):
        return HasAny(left, right, **_pos(op))

    def in_(self, left, op, right):
        return In(left, right, **_pos(op))

    def not_(self, op, operand):
        return Not(operand, **_pos(op))

    def and_(self, left, right):
        return And(left, right, line=left.line, column=left.column)

    def or_(self, left, right):
        return Or(left, right, line=left.line, column=left.column)

    def answered(self, fn, tok):
        return Answered(str(tok), **_pos(fn))

    def selected(self, fn, tok):
        return Selected(str(tok), **_pos(fn))

    def count(self, fn, *items):
        return Count(tuple(items), **_pos(fn))


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", lexer="basic", maybe_placeholders=True)


# ---------------------------------------------------------------- readable parse errors

_WORDS = {
    "NAME": "a prompt id", "STRING": "a quoted value", "NUMBER": "a number", "LSQB": "'['", "RSQB": "']'",
    "LPAR": "'('", "RPAR": "')'", "COMMA": "','", "DOT": "'.'", "COMPARE": "a comparison such as '=='",
    "AND": "'and'", "OR": "'or'", "NOT": "'not'", "HAS": "'has'", "HAS_ANY": "'has_any'", "IN": "'in'",
}
_VALUE_STARTS = {"NAME", "STRING", "NUMBER", "LSQB", "LPAR", "TRUE", "FALSE", "ANSWERED", "SELECTED", "COUNT", "NOT"}


def _previous_token(text: str, line: int, column: int) -> Token | None:
    previous = None
    try:
        for tok in _parser().lex(text):
            if (tok.line, tok.column) >= (line, column):
                break
            previous = tok
    except UnexpectedInput:
        pass
    return previous


def _end_position(text: str) -> tuple[int, int]:
    lines = text.rstrip().split("\n") or [""]
    return len(lines), len(lines[-1]) + 1


def _explain(text: str, exc: UnexpectedInput) -> ConditionSyntaxError:
    if isinstance(exc, UnexpectedCharacters):
        char = text[exc.pos_in_stream] if 0 <= exc.pos_in_stream < len(text) else "?"
        hint = ""
        if char in "'\"":
            hint = ": a quoted value is not closed on the same line"
        elif char.isupper():
            hint = ": ids and keywords are written in lower case"
        elif char == "_":
            hint = ": ids start with a letter"
        elif char == "=":
            hint = ": to compare, write '=='"
        return ConditionSyntaxError(f"unexpected character {char!r}{hint}", exc.line, exc.column)
    token = getattr(exc, "token", None)
    at_end = isinstance(exc, UnexpectedEOF) or (token is not None and token.type == "$END")
    if at_end:
        line, column = _end_position(text)
    else:
        line, column = exc.line, exc.column
    if not text.strip():
        return ConditionSyntaxError("the condition is empty", 1, 1)
    previous = _previous_token(text, line, column)
    expected = set(getattr(exc, "expected", ()) or ())
    after = f" after {str(previous)!r}" if previous is not None else " at the start"
    wants_value = bool(expected & _VALUE_STARTS) and not expected - _VALUE_STARTS
    if at_end:
        if wants_value:
            what = "a value"
        elif "RPAR" in expected:
            what = "')' to close a bracket"
        elif "RSQB" in expected:
            what = "']' to close a list"
        else:
            what = "more"
        return ConditionSyntaxError(f"the condition ends too soon: expected {what}{after}", line, column)
    found = str(token) if token is not None else "?"
    if wants_value:
        return ConditionSyntaxError(f"expected a value{after}, not {found!r}", line, column)
    hint = ""
    if token is not None and token.type == "LPAR" and previous is not None and previous.type == "NAME":
        hint = ": only answered(), selected() and count() can be called"
    elif token is not None and token.type in _VALUE_STARTS and previous is not None:
        hint = ": join conditions with 'and' or 'or', or compare with '=='"
    return ConditionSyntaxError(f"unexpected {found!r}{after}{hint}", line, column)


# ---------------------------------------------------------------- compiling

Values = Mapping[str, object]
Fn = Callable[[Values, Values, Values], object]


def _compile(node: Node) -> Fn:
    match node:
        case Literal(value=value):
            return lambda a, c, s: value
        case ListOf(items=items):
            parts = tuple(_compile(i) for i in items)
            return lambda a, c, s: tuple(p(a, c, s) for p in parts)
        case Name(id=pid):
            return lambda a, c, s: a.get(pid, MISSING)
        case Scoped(scope="case", name=key):
            return lambda a, c, s: _known(c.get(key))
        case Scoped(scope="settings", name=key):
            return lambda a, c, s: _known(s.get(key))
        case Scoped():
            return lambda a, c, s: MISSING
        case Compare(op=op, left=left, right=right):
            return _compare(_OPS[op], _compile(left), _compile(right))
        case Has(left=left, right=right):
            lf, rf = _compile(left), _compile(right)
            return lambda a, c, s: _has(lf(a, c, s), rf(a, c, s))
        case HasAny(left=left, right=right):
            lf, rf = _compile(left), _compile(right)
            return lambda a, c, s: _has_any(lf(a, c, s), rf(a, c, s))
        case In(left=left, right=right):
            lf, rf = _compile(left), _compile(right)
            return lambda a, c, s: _in(lf(a, c, s), rf(a, c, s))
        case Not(operand=operand):
            f = _compile(operand)
            return lambda a, c, s: not _truth(f(a, c, s))
        case And(left=left, right=right):
            lf, rf = _compile(left), _compile(right)
            return lambda a, c, s: _truth(lf(a, c, s)) and _truth(rf(a, c, s))
        case Or(left=left, right=right):
            lf, rf = _compile(left), _compile(right)
            return lambda a, c, s: _truth(lf(a, c, s)) or _truth(rf(a, c, s))
        case Answered(prompt=pid):
            return lambda a, c, s: a.get(pid, MISSING) is not MISSING
        case Selected(prompt=pid):
            return lambda a, c, s: _selected(a.get(pid, MISSING))
        case Count(items=items):
            parts = tuple(_compile(i) for i in items)
            return lambda a, c, s: sum(1 for p in parts if _truth(p(a, c, s)))
    raise TypeError(f"cannot compile {type(node).__name__}")


_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _known(value: object) -> object:
    return MISSING if value is None else value


def _truth(value: object) -> bool:
    return value is True


def _comparable(left: object, right: object) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool)
    if isinstance(left, (int, float)):
        return isinstance(right, (int, float))
    return isinstance(left, str) and isinstance(right, str)


def _compare(op: Callable[[object, object], bool], lf: Fn, rf: Fn) -> Fn:
    def run(a: Values, c: Values, s: Values) -> bool:
        left, right = lf(a, c, s), rf(a, c, s)
        if left is MISSING or right is MISSING or not _comparable(left, right):
            return False
        return op(left, right)

    return run


def _has(left: object, right: object) -> bool:
    return isinstance(left, (list, tuple)) and right is not MISSING and right in left


def _has_any(left: object, right: object) -> bool:
    return isinstance(left, (list, tuple)) and isinstance(right, tuple) and any(r in left for r in right)


def _in(left: object, right: object) -> bool:
    return left is not MISSING and isinstance(right, tuple) and left in right


def _selected(value: object) -> object:
    return len(value) if isinstance(value, (list, tuple)) else MISSING


# ---------------------------------------------------------------- the public face


@dataclass(frozen=True)
class References:
    """The names a condition reads, each in order of first use."""

    prompts: tuple[str, ...]
    case: tuple[str, ...]
    settings: tuple[str, ...]
    unknown_scopes: tuple[str, ...]


def walk(node: Node):
    """Every node of the tree, parents before children."""
    yield node
    for value in vars(node).values():
        if isinstance(value, Node):
            yield from walk(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Node):
                    yield from walk(item)


@dataclass(frozen=True)
class Condition:
    """A parsed condition. Call `holds(answers, case, settings)` to evaluate it."""

    text: str
    tree: Node = field(repr=False)
    _fn: Fn = field(repr=False, compare=False)

    def holds(self, answers: Values, case: Values, settings: Values) -> bool:
        """True when the condition holds. `answers` maps visible, answered prompt ids to values
        (a person answer as the member's relationship); `case` is `CaseFacts.names(today)`."""
        return _truth(self._fn(answers, case, settings))

    def references(self) -> References:
        """The prompt ids, case facts and settings this condition names."""
        prompts: dict[str, None] = {}
        case: dict[str, None] = {}
        settings: dict[str, None] = {}
        unknown: dict[str, None] = {}
        for node in walk(self.tree):
            if isinstance(node, Name):
                prompts[node.id] = None
            elif isinstance(node, (Answered, Selected)):
                prompts[node.prompt] = None
            elif isinstance(node, Scoped):
                target = {"case": case, "settings": settings}.get(node.scope, unknown)
                target[node.name if target is not unknown else f"{node.scope}.{node.name}"] = None
        return References(tuple(prompts), tuple(case), tuple(settings), tuple(unknown))


def parse_condition(text: str) -> Condition:
    """Parse condition text; raises ConditionSyntaxError with a readable message and position."""
    if not isinstance(text, str):
        raise ConditionSyntaxError(f"a condition must be text, not {type(text).__name__}", 1, 1)
    if not text.strip():
        raise ConditionSyntaxError("the condition is empty", 1, 1)
    try:
        tree = _ToTree().transform(_parser().parse(text))
    except UnexpectedInput as exc:
        raise _explain(text, exc) from None
    return Condition(text, tree, _compile(tree))
