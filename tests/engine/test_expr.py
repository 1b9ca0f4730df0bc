"""Tests for the branch-condition expression language."""

import pickle
import unicodedata
from datetime import date, datetime

import pytest

from bot.engine.expr import Expr, ExprError, compile_expr, evaluate

TODAY = date(2025, 3, 15)

TRUTH_TABLE: list[tuple[str, dict[str, object], bool]] = [
    # bare names (YAML `if: married_before`) and truthiness
    ("married_before", {"married_before": True}, True),
    ("married_before", {"married_before": False}, False),
    ("married_before", {}, False),
    ("married_before", {"married_before": None}, False),
    ("not married_before", {}, True),
    ("x", {"x": ""}, False),
    ("x", {"x": 0}, False),
    ("x", {"x": "Có"}, True),
    ("  x", {"x": 1}, True),
    ("true", {}, True),
    ("false", {}, False),
    ("True", {}, True),
    ("False", {}, False),
    ("today", {}, True),
    # numbers and chained comparisons
    ("1 < 2 < 3", {}, True),
    ("1 < 3 < 2", {}, False),
    ("0 <= n < 10", {"n": 0}, True),
    ("0 <= n < 10", {"n": 10}, False),
    ("3 > n >= 1", {"n": 1}, True),
    ("1 == n == 1.0", {"n": 1}, True),
    ("n != 2", {"n": 3}, True),
    ("n == 2.5", {"n": 2.5}, True),
    ("n > 1.5", {"n": 2}, True),
    ("n > -1", {"n": 0}, True),
    ("n <= -1.5", {"n": -2}, True),
    # strings
    ("purpose == 'Đăng ký kết hôn'", {"purpose": "Đăng ký kết hôn"}, True),
    ('purpose == "Việc khác"', {"purpose": "Việc khác"}, True),
    ("purpose == 'Việc khác'", {"purpose": unicodedata.normalize("NFD", "Việc khác")}, True),
    (unicodedata.normalize("NFD", "p == 'Việc khác'"), {"p": "Việc khác"}, True),
    ("x == 'abc'", {"x": "ABC"}, False),
    ("x < 'b'", {"x": "a"}, True),
    # in / not in
    ("purpose in ['a', 'b']", {"purpose": "b"}, True),
    ("purpose in ['a', 'b']", {"purpose": "c"}, False),
    ("purpose not in ['a', 'b']", {"purpose": "c"}, True),
    ("purpose not in ['a', 'b']", {"purpose": "a"}, False),
    ("purpose in ['Việc khác']", {"purpose": unicodedata.normalize("NFD", "Việc khác")}, True),
    ("n in [1, 2]", {"n": 2}, True),
    ("n in [-1, 2.5]", {"n": -1}, True),
    ("n in ['1', '2']", {"n": 1}, False),
    ("x in []", {"x": 1}, False),
    ("flag in [true]", {"flag": True}, True),
    ("flag in [1]", {"flag": True}, False),
    ("0 < n in [1, 2]", {"n": 1}, True),
    # missing variables and None
    ("x == 'a'", {}, False),
    ("x != 'a'", {}, True),
    ("x < 5", {}, False),
    ("x >= 5", {}, False),
    ("x in ['a']", {}, False),
    ("x not in ['a']", {}, True),
    ("x == y", {}, False),
    ("x != y", {}, True),
    ("x == 1", {"x": None}, False),
    # incompatible types
    ("x < 5", {"x": "abc"}, False),
    ("x == 5", {"x": "5"}, False),
    ("x != 5", {"x": "5"}, True),
    ("x > 'a'", {"x": 3}, False),
    ("x == 1", {"x": True}, False),
    ("x == true", {"x": True}, True),
    ("x == false", {"x": False}, True),
    ("x == 1", {"x": [1]}, False),
    # dates and ISO strings
    ("today == '2025-03-15'", {}, True),
    ("'2025-03-15' == today", {}, True),
    ("d < today", {"d": "2025-03-14"}, True),
    ("d < today", {"d": "2025-03-15"}, False),
    ("d == today", {"d": date(2025, 3, 15)}, True),
    ("d == today", {"d": datetime(2025, 3, 15, 10, 30)}, True),
    ("d >= '2025-03-01'", {"d": date(2025, 3, 15)}, True),
    ("d > '2025-03-01'", {"d": "2025-03-15"}, True),
    ("today > '2025-13-01'", {}, False),
    ("today != 'soon'", {}, True),
    ("today > 5", {}, False),
    ("today > d", {}, False),
    # age() around a birthday (today is 2025-03-15)
    ("age(birth) >= 18", {"birth": "2007-03-15"}, True),
    ("age(birth) >= 18", {"birth": "2007-03-16"}, False),
    ("age(birth) == 17", {"birth": "2007-03-16"}, True),
    ("age(birth) == 18", {"birth": date(2007, 3, 14)}, True),
    ("age(birth) == 0", {"birth": "2025-03-15"}, True),
    ("age(today) == 0", {}, True),
    ("age('1960-01-01') >= 60", {}, True),
    ("age(birth) >= 0", {}, False),
    ("age(birth) < 200", {}, False),
    ("age(birth) != 18", {}, True),
    ("age(birth) < 200", {"birth": "15/03/2007"}, False),
    ("age(birth) < 200", {"birth": "2007-02-30"}, False),
    ("age(birth) < 200", {"birth": 2007}, False),
    ("age(birth)", {"birth": "2025-03-15"}, False),
    # days_since()
    ("days_since(sent) > 7", {"sent": "2025-03-07"}, True),
    ("days_since(sent) > 7", {"sent": "2025-03-08"}, False),
    ("days_since(sent) == -5", {"sent": "2025-03-20"}, True),
    ("days_since(sent) >= 0", {"sent": "nope"}, False),
    ("days_since(sent) >= 0", {"sent": True}, False),
    ("days_since(sent) >= 0", {}, False),
    # and / or / not, precedence, parentheses
    ("a and b", {"a": True, "b": False}, False),
    ("a or b", {"a": False, "b": True}, True),
    ("not (a or b)", {}, True),
    ("true or false and false", {}, True),
    ("(true or false) and false", {}, False),
    ("not a and b", {"a": False, "b": True}, True),
    ("(nickname or name) == 'Lan'", {"name": "Lan"}, True),
    (
        "married_before and\n  age(birth) >= 18",
        {"married_before": True, "birth": "2000-01-01"},
        True,
    ),
]


@pytest.mark.parametrize(("source", "variables", "expected"), TRUTH_TABLE)
def test_evaluate(source: str, variables: dict[str, object], expected: bool) -> None:
    assert evaluate(compile_expr(source), variables, TODAY) is expected


FUNCTION_TABLE: list[tuple[str, object, date, int]] = [
    ("age", "2007-03-15", date(2025, 3, 14), 17),
    ("age", "2007-03-15", date(2025, 3, 15), 18),
    ("age", "2007-03-15", date(2025, 3, 16), 18),
    ("age", date(2007, 12, 31), date(2025, 1, 1), 17),
    ("age", "2000-02-29", date(2025, 2, 28), 24),
    ("age", "2000-02-29", date(2025, 3, 1), 25),
    ("age", "2000-02-29", date(2024, 2, 29), 24),
    ("days_since", "2025-03-01", date(2025, 3, 15), 14),
    ("days_since", "2025-03-15", date(2025, 3, 15), 0),
    ("days_since", "2024-12-31", date(2025, 1, 1), 1),
    ("days_since", datetime(2025, 3, 1, 23, 59), date(2025, 3, 15), 14),
    ("days_since", "2025-03-01", datetime(2025, 3, 15, 8, 0), 14),
]


@pytest.mark.parametrize(("function", "value", "today", "expected"), FUNCTION_TABLE)
def test_functions(function: str, value: object, today: date, expected: int) -> None:
    assert evaluate(compile_expr(f"{function}(v) == {expected}"), {"v": value}, today) is True


NAMES_TABLE: list[tuple[str, set[str]]] = [
    ("married_before", {"married_before"}),
    ("age(birth) >= 18 and today > d", {"birth", "d"}),
    ("true or false or True or False or today", set()),
    ("x in ['a', true] or not (y == 'b')", {"x", "y"}),
    ("days_since(sent) > limit", {"sent", "limit"}),
    ("age == 3", {"age"}),
    ("a < b < a", {"a", "b"}),
]


@pytest.mark.parametrize(("source", "names"), NAMES_TABLE)
def test_names(source: str, names: set[str]) -> None:
    assert compile_expr(source).names == frozenset(names)


ERROR_TABLE: list[tuple[str, str, int]] = [
    # calls
    ("__import__('os')", "unknown function '__import__'", 1),
    ("len(x)", "unknown function 'len'", 1),
    ("x > 1 and len(x) > 1", "only age() and days_since() can be called", 11),
    ("x.upper() == 'A'", "only age() and days_since() can be called", 1),
    ("(lambda: 1)()", "only age() and days_since() can be called", 1),
    ("age()", "age() takes exactly one argument", 1),
    ("age(a, b)", "age() takes exactly one argument", 1),
    ("days_since(x=1)", "days_since() takes exactly one argument", 1),
    ("age(*x)", "age() takes exactly one argument", 1),
    ("age(x.y)", "attribute access is not allowed", 5),
    # other constructs
    ("x.y", "attribute access is not allowed", 1),
    ("a and x.y", "attribute access is not allowed", 7),
    ("x[0]", "subscripts (x[...]) are not allowed", 1),
    ("1+1", "arithmetic ('+') is not allowed", 1),
    ("n * 2 > 3", "arithmetic ('*') is not allowed", 1),
    ("n % 2 == 0", "arithmetic ('%') is not allowed", 1),
    ("-n > 3", "arithmetic ('-') is not allowed", 1),
    ("~n", "arithmetic ('~') is not allowed", 1),
    ("-True", "arithmetic ('-') is not allowed", 1),
    ("lambda: 1", "lambda is not allowed", 1),
    ("f'{x}' == 'a'", "f-strings are not allowed", 1),
    ("(y := 1)", "assignment (:=) is not allowed", 2),
    ("a if b else c", "'... if ... else ...' is not allowed", 1),
    ("{'a': 1}", "dictionaries are not allowed", 1),
    ("{'a'}", "sets are not allowed", 1),
    ("x, y", "tuples are not allowed", 1),
    ("[x for x in y]", "comprehensions are not allowed", 1),
    ("await x", "await is not allowed", 1),
    ("x is None", "'is' is not allowed; use == or !=", 1),
    ("x is not y", "'is' is not allowed; use == or !=", 1),
    ("x == None", "None is not allowed", 6),
    ("x == b'a'", "bytes literals are not allowed", 6),
    ("x == 1j", "complex numbers are not allowed", 6),
    ("x == ...", "'...' is not allowed", 6),
    # lists
    ("x in {'a'}", "write the values after 'in' as a list", 6),
    ("x in ('a', 'b')", "write the values after 'in' as a list", 6),
    ("x in y", "'in' needs a list of values", 6),
    ("x in 'abc'", "'in' needs a list of values", 6),
    ("x == ['a']", "a list can only come last, after 'in' or 'not in'", 6),
    ("['a']", "a list can only come last, after 'in' or 'not in'", 1),
    ("['a'] in ['a']", "a list can only come last, after 'in' or 'not in'", 1),
    ("x in [1] == y", "a list can only come last, after 'in' or 'not in'", 6),
    ("x in [y]", "a list can hold only fixed values", 7),
    ("x in [today]", "a list can hold only fixed values", 7),
    ("x in [1+1]", "a list can hold only fixed values", 7),
    ("x in [None]", "None is not allowed", 7),
    # syntax errors, with the position
    ("x == 'a' ==", "the condition does not parse at column 12", 12),
    ("x ==", "the condition does not parse at column 5", 5),
    ("(a", "the condition does not parse at column 1", 1),
    ("x == 'a", "the condition does not parse at column 6", 6),
    ("x = 1", "the condition does not parse at column 3 (to compare, write == instead of =)", 3),
    ("a && b", "(write 'and' / 'or' instead of && / ||)", 4),
    ("a\x00", "the condition does not parse at column 2", 2),
    ("", "the condition is empty", 1),
    ("  \n ", "the condition is empty", 1),
    # columns: leading spaces, line breaks, multi-byte characters, nesting
    ("  1+1", "arithmetic ('+') is not allowed", 3),
    ("a and\nx.y", "attribute access is not allowed", 7),
    ("'điện' == x.y", "attribute access is not allowed", 11),
    ("not " * 200 + "x", "the condition is nested too deeply", 405),
]


@pytest.mark.parametrize(("source", "message", "col"), ERROR_TABLE)
def test_rejected(source: str, message: str, col: int) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(source)
    assert message in info.value.message
    assert info.value.col == col


def test_error_attributes() -> None:
    with pytest.raises(ExprError) as info:
        compile_expr("x.y")
    error = info.value
    assert (error.message, error.col, str(error)) == (
        "attribute access is not allowed",
        1,
        "attribute access is not allowed",
    )
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.col) == (error.message, error.col)


def test_expr_is_a_frozen_value() -> None:
    expr = compile_expr("age(birth) >= 18")
    assert isinstance(expr, Expr)
    assert expr.source == "age(birth) >= 18"
    assert expr == compile_expr("age(birth) >= 18")
    assert hash(expr) == hash(compile_expr("age(birth) >= 18"))
    with pytest.raises(AttributeError):
        expr.source = "true"  # type: ignore[misc]


def test_source_is_kept_verbatim() -> None:
    assert compile_expr("  a and\n b").source == "  a and\n b"
