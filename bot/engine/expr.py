"""The safe expression language of flow `branch` conditions: parse and validate with an AST walk."""

from __future__ import annotations

import ast
import unicodedata

from bot.engine.expr_eval import (
    FUNCTIONS,
    BoolOp,
    Call,
    Compare,
    Const,
    Expr,
    Items,
    Node,
    Not,
    Today,
    Value,
    Var,
    evaluate,
)

__all__ = ["FUNCTIONS", "Expr", "ExprError", "compile_expr", "evaluate"]

_BOOL_NAMES = {"true": True, "false": False}
_TODAY = "today"
_MAX_DEPTH = 100
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
    """Walks Python's AST, refusing anything outside the language, into an expr_eval tree."""

    def __init__(self, body: str, shift: int) -> None:
        self._bytes = body.encode()
        self._shift = shift
        self.names: set[str] = set()

    def error(self, message: str, node: ast.AST) -> ExprError:
        offset = getattr(node, "col_offset", 0)
        chars = len(self._bytes[:offset].decode(errors="ignore"))
        return ExprError(message, self._shift + chars + 1)

    def build(self, node: ast.expr, depth: int) -> Node:
        if depth > _MAX_DEPTH:
            raise self.error("the condition is nested too deeply", node)
        if isinstance(node, ast.BoolOp):
            operands = tuple(self.build(value, depth + 1) for value in node.values)
            return BoolOp(isinstance(node.op, ast.And), operands)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node, depth)
        if isinstance(node, ast.Compare):
            return self._compare(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.Constant):
            return Const(self._constant(node))
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

    def _unary(self, node: ast.UnaryOp, depth: int) -> Node:
        if isinstance(node.op, ast.Not):
            return Not(self.build(node.operand, depth + 1))
        negative = _negative_number(node)
        if negative is not None:
            return Const(negative)
        raise self.error(f"arithmetic ('{_OPERATORS[type(node.op)]}') is not allowed", node)

    def _compare(self, node: ast.Compare, depth: int) -> Compare:
        ops: list[str] = []
        rights: list[Node] = []
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
        return Compare(self.build(node.left, depth + 1), tuple(ops), tuple(rights))

    def _list(self, node: ast.expr) -> Items:
        if isinstance(node, ast.Tuple | ast.Set):
            raise self.error("write the values after 'in' as a list: ['a', 'b']", node)
        if not isinstance(node, ast.List):
            raise self.error("'in' needs a list of values, like: x in ['a', 'b']", node)
        return Items(tuple(self._list_item(item) for item in node.elts))

    def _list_item(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name) and node.id in _BOOL_NAMES:
            return _BOOL_NAMES[node.id]
        negative = _negative_number(node)
        if negative is None:
            raise self.error(_LIST_ITEMS, node)
        return negative

    def _call(self, node: ast.Call, depth: int) -> Call:
        if not isinstance(node.func, ast.Name):
            raise self.error(_CALLABLE, node)
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.error(f"unknown function '{name}': {_CALLABLE}", node)
        args = node.args
        if len(args) != 1 or node.keywords or isinstance(args[0], ast.Starred):
            raise self.error(f"{name}() takes exactly one argument", node)
        return Call(name, self.build(args[0], depth + 1))

    def _name(self, node: ast.Name) -> Node:
        if node.id in _BOOL_NAMES:
            return Const(_BOOL_NAMES[node.id])
        if node.id == _TODAY:
            return Today()
        self.names.add(node.id)
        return Var(node.id)


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
