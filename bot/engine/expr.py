"""The safe expression language of flow `branch` conditions: validate with an AST walk, evaluate."""

from __future__ import annotations

import ast
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeAlias

Value: TypeAlias = bool | int | float | str | date | None

FUNCTIONS = frozenset({"age", "days_since"})
_BOOL_NAMES = {"true": True, "false": False}
_TODAY = "today"
_MAX_DEPTH = 100
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CALLABLE = "only age() and days_since() can be called"
_LIST_PLACE = "a list can only come last, after 'in' or 'not in'"
_LIST_ITEMS = "a list can hold only fixed values: numbers, 'strings', true, false"

_COMPARE_OPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_OPERATORS: dict[type[ast.AST], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.UAdd: "+",
    ast.USub: "-",
    ast.Invert: "~",
}
_REJECTED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts (x[...]) are not allowed",
    ast.Slice: "slices are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.IfExp: "'... if ... else ...' is not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.Tuple: "tuples are not allowed; for 'in' write a list: ['a', 'b']",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
}


class ExprError(Exception):
    """A condition that does not parse or uses something outside the language."""

    def __init__(self, message: str, col: int) -> None:
        super().__init__(message, col)
        self.message = message
        self.col = col  # 1-based, in characters, within the expression's source

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class _Const:
    value: Value


@dataclass(frozen=True)
class _Var:
    name: str


@dataclass(frozen=True)
class _Today:
    pass


@dataclass(frozen=True)
class _List:
    items: tuple[Value, ...]


@dataclass(frozen=True)
class _Not:
    operand: _Node


@dataclass(frozen=True)
class _BoolOp:
    is_and: bool
    operands: tuple[_Node, ...]


@dataclass(frozen=True)
class _Compare:
    left: _Node
    ops: tuple[str, ...]
    rights: tuple[_Node, ...]


@dataclass(frozen=True)
class _Call:
    func: str
    arg: _Node


_Node: TypeAlias = _Const | _Var | _Today | _List | _Not | _BoolOp | _Compare | _Call


@dataclass(frozen=True)
class Expr:
    """A validated condition: its source, the variable names it reads, and its tree."""

    source: str
    names: frozenset[str]
    _tree: _Node = field(repr=False)


def compile_expr(source: str) -> Expr:
    """Parse and validate a condition; raise ExprError naming the first problem and its column."""
    # Line breaks (from a YAML block scalar) become spaces: the columns stay the same.
    text = source.replace("\r", " ").replace("\n", " ")
    body = text.lstrip()
    shift = len(text) - len(body)
    if not body.strip():
        raise ExprError("the condition is empty", 1)
    tree = _parse(body, shift)
    builder = _Builder(body, shift)
    node = builder.build(tree.body, 0)
    return Expr(source, frozenset(builder.names), node)


def _parse(body: str, shift: int) -> ast.Expression:
    try:
        return ast.parse(body, mode="eval")
    except (SyntaxError, ValueError) as err:  # ValueError: null bytes, on some Pythons
        offset = getattr(err, "offset", None) or 0
        if getattr(err, "lineno", 1) != 1:
            offset = 0
        if offset <= 0:
            offset = body.find("\x00") + 1 or len(body) + 1
        col = shift + min(offset, len(body) + 1)
        message = f"the condition does not parse at column {col}{_syntax_hint(body, offset)}"
        raise ExprError(message, col) from None
    except (MemoryError, RecursionError):
        raise ExprError("the condition is nested too deeply", shift + 1) from None


def _syntax_hint(body: str, offset: int) -> str:
    around = body[max(offset - 2, 0) : offset + 1]
    if body[offset - 1 : offset] == "=" and "==" not in around:
        return " (to compare, write == instead of =)"
    if "&&" in around or "||" in around:
        return " (write 'and' / 'or' instead of && / ||)"
    return ""


class _Builder:
    """Walks Python's AST, refusing anything outside the language, into the private tree."""

    def __init__(self, body: str, shift: int) -> None:
        self._bytes = body.encode()
        self._shift = shift
        self.names: set[str] = set()

    def error(self, message: str, node: ast.AST) -> ExprError:
        offset = getattr(node, "col_offset", 0)
        chars = len(self._bytes[:offset].decode(errors="ignore"))
        return ExprError(message, self._shift + chars + 1)

    def build(self, node: ast.expr, depth: int) -> _Node:
        if depth > _MAX_DEPTH:
            raise self.error("the condition is nested too deeply", node)
        if isinstance(node, ast.BoolOp):
            operands = tuple(self.build(value, depth + 1) for value in node.values)
            return _BoolOp(isinstance(node.op, ast.And), operands)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node, depth)
        if isinstance(node, ast.Compare):
            return self._compare(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Constant):
            return _Const(self._constant(node))
        if isinstance(node, ast.List):
            raise self.error(_LIST_PLACE, node)
        raise self._rejection(node)

    def _rejection(self, node: ast.AST) -> ExprError:
        if isinstance(node, ast.BinOp):
            return self.error(f"arithmetic ('{_OPERATORS[type(node.op)]}') is not allowed", node)
        message = _REJECTED.get(type(node), f"'{type(node).__name__}' is not allowed")
        return self.error(message, node)

    def _constant(self, node: ast.Constant) -> Value:
        value = node.value
        if isinstance(value, bool | int | float):
            return value
        if isinstance(value, str):
            return unicodedata.normalize("NFC", value)
        if value is None:
            raise self.error("None is not allowed; test the variable itself: x, or not x", node)
        if isinstance(value, bytes):
            raise self.error("bytes literals are not allowed", node)
        if isinstance(value, complex):
            raise self.error("complex numbers are not allowed", node)
        if value is Ellipsis:
            raise self.error("'...' is not allowed", node)
        raise self.error(f"the value {value!r} is not allowed", node)

    def _unary(self, node: ast.UnaryOp, depth: int) -> _Node:
        if isinstance(node.op, ast.Not):
            return _Not(self.build(node.operand, depth + 1))
        negative = _negative_number(node)
        if negative is not None:
            return _Const(negative)
        raise self.error(f"arithmetic ('{_OPERATORS[type(node.op)]}') is not allowed", node)

    def _compare(self, node: ast.Compare, depth: int) -> _Compare:
        ops: list[str] = []
        rights: list[_Node] = []
        for index, (op, right) in enumerate(zip(node.ops, node.comparators, strict=True)):
            if index > 0 and isinstance(node.comparators[index - 1], ast.List):
                raise self.error(_LIST_PLACE, node.comparators[index - 1])
            name = _COMPARE_OPS.get(type(op))
            if name is None:
                raise self.error("'is' is not allowed; use == or !=", node)
            ops.append(name)
            if name in ("in", "not in"):
                rights.append(self._list(right))
            else:
                rights.append(self.build(right, depth + 1))
        return _Compare(self.build(node.left, depth + 1), tuple(ops), tuple(rights))

    def _list(self, node: ast.expr) -> _List:
        if isinstance(node, ast.Tuple | ast.Set):
            raise self.error("write the values after 'in' as a list: ['a', 'b']", node)
        if not isinstance(node, ast.List):
            raise self.error("'in' needs a list of values, like: x in ['a', 'b']", node)
        return _List(tuple(self._list_item(item) for item in node.elts))

    def _list_item(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name) and node.id in _BOOL_NAMES:
            return _BOOL_NAMES[node.id]
        negative = _negative_number(node)
        if negative is None:
            raise self.error(_LIST_ITEMS, node)
        return negative

    def _call(self, node: ast.Call, depth: int) -> _Call:
        if not isinstance(node.func, ast.Name):
            raise self.error(_CALLABLE, node)
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.error(f"unknown function '{name}': {_CALLABLE}", node)
        args = node.args
        if len(args) != 1 or node.keywords or isinstance(args[0], ast.Starred):
            raise self.error(f"{name}() takes exactly one argument", node)
        return _Call(name, self.build(args[0], depth + 1))

    def _name(self, node: ast.Name) -> _Node:
        if node.id in _BOOL_NAMES:
            return _Const(_BOOL_NAMES[node.id])
        if node.id == _TODAY:
            return _Today()
        self.names.add(node.id)
        return _Var(node.id)


def _negative_number(node: ast.expr) -> int | float | None:
    """The value of a negative number literal such as -3 (not arithmetic), else None."""
    if not (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)):
        return None
    operand = node.operand
    if not isinstance(operand, ast.Constant) or isinstance(operand.value, bool):
        return None
    if isinstance(operand.value, int | float):
        return -operand.value
    return None


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


def _eval(node: _Node, env: _Env) -> object:
    match node:
        case _Const(value):
            return value
        case _Var(name):
            return _load(env.variables.get(name))
        case _Today():
            return env.today
        case _List(items):
            return items
        case _Not(operand):
            return not _eval(operand, env)
        case _BoolOp():
            return _bool_op(node, env)
        case _Compare():
            return _compare_chain(node, env)
        case _Call(func, arg):
            return _FUNCTIONS[func](_eval(arg, env), env.today)
    raise AssertionError(f"unexpected node {node!r}")


def _load(value: object) -> object:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, datetime):
        return value.date()
    return value


def _bool_op(node: _BoolOp, env: _Env) -> object:
    """Python's `and`/`or`: the first operand that settles the result, else the last one."""
    result: object = None
    for operand in node.operands:
        result = _eval(operand, env)
        if bool(result) != node.is_and:
            return result
    return result


def _compare_chain(node: _Compare, env: _Env) -> bool:
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
