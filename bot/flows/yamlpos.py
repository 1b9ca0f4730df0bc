"""YAML loading that keeps source positions, so every finding can name its line and column."""

from __future__ import annotations

from typing import Any, TypeGuard

import yaml

from bot.engine.flow import Pos


class YamlSyntaxError(Exception):
    """The text is not valid YAML; `pos` is where the parser gave up."""

    def __init__(self, message: str, pos: Pos) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


_QUOTES_HINT = (
    "a text in quotes ends at the next quote of the same kind: put it in the other kind of "
    "quotes ('Bấm \"Đăng nhập\"'), or write it on the lines after '|'"
)
_COLON_HINT = "a text with ': ' in it must be put in quotes, or written on the lines after '|'"
_START_HINT = "a text that starts with {start} must be put in quotes"
_INDENT_HINT = "check the indentation: keys of one step line up under its 'id'"


def compose(text: str) -> yaml.Node | None:
    """Parse YAML text into a node tree with marks; raise YamlSyntaxError on bad syntax."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from exc


_NEVER_CLOSED = {
    "while scanning a quoted scalar": "the quote that opens here is never closed",
    "while parsing a flow mapping": "the '{' that opens here is never closed",
    "while parsing a flow sequence": "the '[' that opens here is never closed",
}


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> YamlSyntaxError:
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    unclosed = _NEVER_CLOSED.get(exc.context or "")
    if unclosed and exc.context_mark and ("end of stream" in problem or "end>" in problem):
        problem, mark = unclosed, exc.context_mark
    at = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)
    lines = text.splitlines()
    line = lines[at.line - 1] if 0 < at.line <= len(lines) else ""
    hint = _syntax_hint(problem, line, at.col)
    return YamlSyntaxError(f"YAML syntax: {problem}" + (f"; {hint}" if hint else ""), at)


def _syntax_hint(problem: str, line: str, col: int) -> str:
    """A plain-words fix for the usual mistakes behind a parser message."""
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if problem.startswith("mapping values are not allowed"):
        return _COLON_HINT if ": " in line[: col - 1] else _INDENT_HINT
    start = _value_start(line)
    if start in ('"', "'") and "<scalar>" in problem:
        return _QUOTES_HINT
    if start in ("{", "[", "@", "`", "%", "*", "&", "!"):
        return _START_HINT.format(start=start)
    if "<block" in problem:
        return _INDENT_HINT
    return ""


def _value_start(line: str) -> str:
    """The first character of the value written on a `key: value` or `- value` line."""
    rest = line.strip()
    while rest.startswith("- "):
        rest = rest[2:].lstrip()
    if ": " in rest:
        rest = rest.split(": ", 1)[1].lstrip()
    return rest[:1]


def pos(node: yaml.Node) -> Pos:
    """The 1-based position where a node starts."""
    return Pos(node.start_mark.line + 1, node.start_mark.column + 1)


def value(node: yaml.Node) -> Any:
    """The Python value of a node, as YAML's safe loader would build it."""
    loader = yaml.SafeLoader("")
    return loader.construct_object(node, deep=True)


def text(node: yaml.Node) -> str | None:
    """A scalar node's text exactly as written (no yes/no to bool), None for other nodes."""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return None


def items(node: yaml.MappingNode) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """A mapping's (key text, key node, value node) triples in file order."""
    return [(str(k.value), k, v) for k, v in node.value]


def is_mapping(node: yaml.Node) -> TypeGuard[yaml.MappingNode]:
    """Whether the node is a mapping."""
    return isinstance(node, yaml.MappingNode)


def is_sequence(node: yaml.Node) -> TypeGuard[yaml.SequenceNode]:
    """Whether the node is a sequence."""
    return isinstance(node, yaml.SequenceNode)


def is_null(node: yaml.Node) -> bool:
    """Whether the node is an empty value (`key:` with nothing after it)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def char_pos(node: yaml.Node, index: int) -> Pos:
    """Where the `index`-th character of a scalar's value was written, even in a block scalar.

    Walks the value and the source text side by side (indentation, quotes and folded line
    breaks are in the source only); falls back to the node's start when it cannot tell.
    """
    buffer = getattr(node.start_mark, "buffer", None)
    value = text(node)
    if not isinstance(buffer, str) or not value or index < 0:
        return pos(node)
    start = node.start_mark.index + (1 if getattr(node, "style", None) in ("'", '"') else 0)
    if getattr(node, "style", None) in ("|", ">"):
        start = buffer.find("\n", start) + 1
    beyond = max(index - (len(value) - 1), 0)
    at = _align(buffer, start, node.end_mark.index, value[: index + 1 - beyond])
    if at is None:
        return pos(node)
    line = buffer.count("\n", 0, at) + 1
    col = at - buffer.rfind("\n", 0, at)
    return Pos(line, col + beyond)


def _align(buffer: str, start: int, end: int, chars: str) -> int | None:
    """The source index of the last of `chars`, matched in order from `start`."""
    at = start - 1
    for ch in chars:
        at += 1
        while at < end and not _same(buffer[at], ch):
            at += 1
        if at >= end:
            return None
    return at


def _same(source: str, char: str) -> bool:
    return source == char or (source.isspace() and char.isspace())
