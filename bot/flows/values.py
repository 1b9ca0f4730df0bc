"""Typed reads of a step's scalar keys, each recording a finding when the value is not allowed."""

from __future__ import annotations

from typing import Any

import yaml

from bot.engine.flow import BUILTIN_VARIABLES, INPUT_TYPES
from bot.flows import yamlpos as y
from bot.flows.findings import Findings, did_you_mean
from bot.flows.schema import SLUG


class StepValues:
    """Reads one step's keys with the step's id in every message."""

    def __init__(self, findings: Findings, step_id: str, nodes: dict[str, yaml.Node]) -> None:
        self.f = findings
        self.step_id = step_id
        self.nodes = nodes

    def _error(self, node: yaml.Node, message: str) -> None:
        self.f.error(y.pos(node), f"step '{self.step_id}': {message}")

    def string(self, key: str) -> str | None:
        """A non-empty text value."""
        node = self.nodes.get(key)
        if node is None:
            return None
        text = y.text(node)
        if y.is_mapping(node) and node.flow_style:
            self._error(
                node, f"'{key}' must be a text; a text that starts with {{ must be put in quotes"
            )
            return None
        if not text or not text.strip():
            self._error(node, f"'{key}' must be a non-empty text")
            return None
        return text

    def text(self, kind: str) -> str:
        """The message of a say or ask step."""
        return (self.string(kind) or "") if kind in ("say", "ask") else ""

    def input_type(self) -> str:
        """The `input` of an ask step (default `text`)."""
        value = self.one_of("input", INPUT_TYPES)
        return value or "text"

    def one_of(self, key: str, allowed: tuple[str, ...]) -> str | None:
        """A value from a fixed set."""
        text = self.string(key)
        if text is not None and text not in allowed:
            hint = did_you_mean(text, allowed)
            self._error(
                self.nodes[key],
                f"'{key}' is '{text}'; expected one of: {', '.join(allowed)}{hint}",
            )
            return None
        return text

    def slug(self, key: str) -> str | None:
        """A flow id or milestone name."""
        text = self.string(key)
        if text is not None and not SLUG.fullmatch(text):
            self._error(
                self.nodes[key],
                f"'{key}' is '{text}'; expected a slug of lowercase letters, digits and _",
            )
            return None
        return text

    def variable(self, key: str) -> str | None:
        """A variable name to save into."""
        name = self.slug(key)
        if name in BUILTIN_VARIABLES:
            self._error(self.nodes[key], f"'{name}' is a built-in name; save into another name")
            return None
        return name

    def target(self, key: str) -> str | None:
        """A step id or reserved target (checked against the flow later)."""
        return self.string(key)

    def raw(self, key: str) -> Any:
        """The YAML value as written (min and max are checked against the input type later)."""
        node = self.nodes.get(key)
        return None if node is None else y.value(node)

    def positive_int(self, key: str, default: int) -> int:
        """A whole number of at least 1."""
        node = self.nodes.get(key)
        if node is None:
            return default
        value = y.value(node)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self._error(node, f"'{key}' is '{y.text(node)}'; expected a whole number of at least 1")
            return default
        return value

    def boolean(self, key: str) -> bool:
        """true or false (default false)."""
        node = self.nodes.get(key)
        if node is None:
            return False
        value = y.value(node)
        if not isinstance(value, bool):
            self._error(node, f"'{key}' is '{y.text(node)}'; expected true or false")
            return False
        return value

    def handoff(self, key: str) -> str | None:
        """`true` (a person takes over here), `false` (nothing), or a short reason text."""
        node = self.nodes.get(key)
        if node is not None and isinstance(y.value(node), bool):
            return "handoff" if y.value(node) else None
        return self.string(key)

    def assignments(self) -> tuple[tuple[str, Any], ...]:
        """The `set:` mapping of variable names to values."""
        node = self.nodes.get("set")
        if node is None:
            return ()
        if not y.is_mapping(node):
            self._error(node, "'set' must be a mapping of names to values, e.g. {paid: true}")
            return ()
        found = []
        for name, key_node, value_node in y.items(node):
            if not SLUG.fullmatch(name) or name in BUILTIN_VARIABLES:
                self._error(key_node, f"cannot set '{name}'; use a slug that is not a built-in")
                continue
            found.append((name, y.value(value_node)))
        return tuple(found)
