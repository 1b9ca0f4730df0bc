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


def compose(text: str) -> yaml.Node | None:
    """Parse YAML text into a node tree with marks; raise YamlSyntaxError on bad syntax."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(f"YAML syntax: {problem}", pos) from exc


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
