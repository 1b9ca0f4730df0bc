"""The tree of a compiled `branch` condition and its evaluation, with date and None semantics."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeAlias

Value: TypeAlias = bool | int | float | str | date | None

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Const:
    """A fixed value: a number, a string, true or false."""

    value: Value


@dataclass(frozen=True)
class Var:
    """A variable of the conversation, read by name."""

    name: str


@dataclass(frozen=True)
class Today:
    """The date of today."""


@dataclass(frozen=True)
class Items:
    """The fixed values of a list, after 'in' or 'not in'."""

    items: tuple[Value, ...]


@dataclass(frozen=True)
class Not:
    """`not operand`."""

    operand: Node


@dataclass(frozen=True)
class BoolOp:
    """`a and b ...` or `a or b ...`."""

    is_and: bool
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Compare:
    """A comparison chain: `left op right op right ...`."""

    left: Node
    ops: tuple[str, ...]
    rights: tuple[Node, ...]


@dataclass(frozen=True)
class Call:
    """A call of age() or days_since() on one argument."""

    func: str
    arg: Node


Node: TypeAlias = Const | Var | Today | Items | Not | BoolOp | Compare | Call


@dataclass(frozen=True)
class Expr:
    """A validated condition: its source, the variable names it reads, and its tree."""

    source: str
    names: frozenset[str]
    _tree: Node = field(repr=False)


@dataclass(frozen=True)
class _Env:
    variables: Mapping[str, object]
    today: date


def evaluate(expr: Expr, variables: Mapping[str, object], today: date) -> bool:
    """The truth of the condition; a missing variable is None. Never raises on odd values.

    Comparisons with None, or between incompatible types, are false (so != is true). A date
    compared with an ISO-date string compares as dates. Strings compare NFC-normalised and
    case-sensitively; true/false compare only with booleans.
    """
    if isinstance(today, datetime):
        today = today.date()
    return bool(_eval(expr._tree, _Env(variables, today)))


def _eval(node: Node, env: _Env) -> object:
    match node:
        case Const(value):
            return value
        case Var(name):
            return _load(env.variables.get(name))
        case Today():
            return env.today
        case Items(items):
            return items
        case Not(operand):
            return not _eval(operand, env)
        case BoolOp():
            return _bool_op(node, env)
        case Compare():
            return _compare_chain(node, env)
        case Call(func, arg):
            return _FUNCTIONS[func](_eval(arg, env), env.today)
    raise AssertionError(f"unexpected node {node!r}")


def _load(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, datetime):
        return value.date()
    return value


def _bool_op(node: BoolOp, env: _Env) -> object:
    """Python's `and`/`or`: the first operand that settles the result, else the last one."""
    result: object = None
    for operand in node.operands:
        result = _eval(operand, env)
        if bool(result) != node.is_and:
            return result
    return result


def _compare_chain(node: Compare, env: _Env) -> bool:
    left = _eval(node.left, env)
    for op, right_node in zip(node.ops, node.rights, strict=True):
        right = _eval(right_node, env)
        if not _compare(op, left, right):
            return False
        left = right
    return True


def _compare(op: str, left: object, right: object) -> bool:
    if op == "in":
        return _contains(left, right)
    if op == "not in":
        return not _contains(left, right)
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    pair = _comparable(left, right)
    return pair is not None and _ORDER[op](*pair)


def _contains(value: object, items: object) -> bool:
    return isinstance(items, tuple) and any(_equal(value, item) for item in items)


def _equal(left: object, right: object) -> bool:
    pair = _comparable(left, right)
    return pair is not None and bool(pair[0] == pair[1])


def _comparable(left: object, right: object) -> tuple[object, object] | None:
    """The two values made comparable (ISO string beside a date → date), or None if they aren't."""
    if isinstance(left, date) and isinstance(right, str):
        right = _to_date(right)
    elif isinstance(right, date) and isinstance(left, str):
        left = _to_date(left)
    kind = _kind(left)
    if kind is None or kind != _kind(right):
        return None
    return left, right


def _kind(value: object) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "str"
    if isinstance(value, date):
        return "date"
    return None


def _to_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _age(value: object, today: date) -> int | None:
    """Whole years from the date to today; None for a missing or unreadable date."""
    born = _to_date(value)
    if born is None:
        return None
    before_birthday = (today.month, today.day) < (born.month, born.day)
    return today.year - born.year - int(before_birthday)


def _days_since(value: object, today: date) -> int | None:
    """Whole days from the date to today; None for a missing or unreadable date."""
    since = _to_date(value)
    return None if since is None else (today - since).days


_FUNCTIONS: dict[str, Callable[[object, date], int | None]] = {
    "age": _age,
    "days_since": _days_since,
}
FUNCTIONS = frozenset(_FUNCTIONS)
