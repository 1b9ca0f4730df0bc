"""Turns one flow file's YAML into a `Flow`, recording a finding for every key it cannot accept."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import yaml

from bot.engine.flow import Flow, Pos
from bot.flows import yamlpos as y
from bot.flows.findings import Findings, did_you_mean
from bot.flows.schema import (
    DEFAULT_EXPIRE,
    FIELDS,
    FLOW_KEYS,
    FLOW_KINDS,
    FLOW_REQUIRED,
    ONLINE,
    REQUIRED_HINTS,
    SLUG,
    duration_seconds,
)
from bot.flows.steps import StepParser


def flow_version(source: str) -> str:
    """The version of a flow: a short hash of its source text."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def parse_flow(path: str, source: str) -> tuple[Flow | None, Findings]:
    """Parse one flow file; the flow is None when an error makes it unusable."""
    flow, findings = read_flow(path, source)
    return (None if findings.has_errors else flow), findings


def read_flow(path: str, source: str) -> tuple[Flow | None, Findings]:
    """Parse one flow file as far as it goes: the flow may be incomplete when there are errors.

    The folder linter uses such a flow only to know its id, milestones and calls, so that an
    error in one file is reported once, not again in every file that links to it.
    """
    findings = Findings(path)
    try:
        root = y.compose(source)
    except y.YamlSyntaxError as exc:
        findings.error(exc.pos, exc.message)
        return None, findings
    if root is None or not y.is_mapping(root):
        findings.error(
            Pos(1, 1), "a flow file is a mapping with the keys id, title, kind and steps"
        )
        return None, findings
    return _FlowBuilder(path, source, root, findings).build(), findings


class _FlowBuilder:
    """Reads the flow-level keys of one file."""

    def __init__(self, path: str, source: str, root: yaml.MappingNode, findings: Findings):
        self.path = path
        self.source = source
        self.root = root
        self.f = findings
        self.nodes: dict[str, yaml.Node] = {}

    def build(self) -> Flow | None:
        self._collect_keys()
        missing = [k for k in FLOW_REQUIRED if k not in self.nodes]
        for key in missing:
            self.f.error(y.pos(self.root), f"missing required key '{key}': {self._add(key)}")
        if missing:
            return None
        steps = StepParser(self.f).parse_all(self.nodes["steps"])
        return Flow(
            id=self._flow_id(),
            title=self._string("title") or "",
            kind=self._choice("kind", FLOW_KINDS) or "info",
            steps=tuple(steps),
            version=flow_version(self.source),
            path=self.path,
            procedure=self._string("procedure"),
            field=self._choice("field", FIELDS),
            online=self._online(),
            requires=self._names("requires"),
            milestone=self._slug("milestone"),
            remind_after=self._duration("remind_after"),
            expire_after=self._duration("expire_after") or DEFAULT_EXPIRE,
            menu=self._bool("menu", True),
            sources=self._sources(),
            checked=self._checked(),
            positions=self._positions(),
        )

    def _positions(self) -> dict[str, Pos]:
        """Where each key's value was written, and each `requires` item as `requires.NAME`."""
        found = {k: y.pos(n) for k, n in self.nodes.items()}
        requires = self.nodes.get("requires")
        if requires is not None and y.is_sequence(requires):
            for item in requires.value:
                found.setdefault(f"requires.{y.text(item)}", y.pos(item))
        return found

    def _add(self, key: str) -> str:
        if key == "id":
            return f"add 'id: {PurePath(self.path).stem}' (the file's name without .yaml)"
        return REQUIRED_HINTS[key]

    def _collect_keys(self) -> None:
        for key, key_node, value_node in y.items(self.root):
            if key in self.nodes:
                self.f.error(y.pos(key_node), f"duplicate key '{key}' (keep one)")
            elif key not in FLOW_KEYS:
                hint = did_you_mean(key, FLOW_KEYS)
                self.f.error(y.pos(key_node), f"unknown key '{key}'{hint}")
            else:
                self.nodes[key] = value_node

    def _flow_id(self) -> str:
        flow_id = self._slug("id") or ""
        stem = PurePath(self.path).stem
        if flow_id and flow_id != stem:
            self.f.error(
                y.pos(self.nodes["id"]),
                f"flow id '{flow_id}' differs from the file name '{stem}.yaml' "
                f"(make them match: 'id: {stem}', or rename the file to '{flow_id}.yaml')",
            )
        return flow_id

    def _string(self, key: str) -> str | None:
        node = self.nodes.get(key)
        if node is None:
            return None
        text = y.text(node)
        if not text:
            self.f.error(y.pos(node), f"'{key}' must be a non-empty text")
            return None
        return text

    def _choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        text = self._string(key)
        if text is not None and text not in allowed:
            node = self.nodes[key]
            options = ", ".join(allowed)
            hint = did_you_mean(text, allowed)
            self.f.error(y.pos(node), f"'{key}' is '{text}'; expected one of: {options}{hint}")
            return None
        return text

    def _online(self) -> str | None:
        online = self._choice("online", ONLINE)
        kind = y.text(self.nodes["kind"])
        if kind == "application" and "online" not in self.nodes:
            self.f.error(
                y.pos(self.nodes["kind"]),
                "an application flow needs 'online': add 'online: full' (toàn trình) "
                "or 'online: partial' (một phần)",
            )
        return online

    def _slug(self, key: str) -> str | None:
        text = self._string(key)
        if text is not None and not SLUG.fullmatch(text):
            self.f.error(
                y.pos(self.nodes[key]),
                f"'{key}' is '{text}'; expected a slug of lowercase letters, digits and _ "
                f"(2-40 characters, starting with a letter)",
            )
            return None
        return text

    def _names(self, key: str) -> tuple[str, ...]:
        node = self.nodes.get(key)
        if node is None:
            return ()
        if not y.is_sequence(node):
            self.f.error(y.pos(node), f"'{key}' must be a list, e.g. [portal_login]")
            return ()
        return tuple(t for t in (y.text(n) for n in node.value) if t)

    def _duration(self, key: str) -> int | None:
        text = self._string(key)
        if text is None:
            return None
        seconds = duration_seconds(text)
        if seconds is None or seconds == 0:
            self.f.error(
                y.pos(self.nodes[key]),
                f"'{key}' is '{text}'; expected a duration such as 30m, 6h or 2d",
            )
        return seconds

    def _bool(self, key: str, default: bool) -> bool:
        node = self.nodes.get(key)
        if node is None:
            return default
        parsed: Any = y.value(node)
        if not isinstance(parsed, bool):
            self.f.error(y.pos(node), f"'{key}' is '{y.text(node)}'; expected true or false")
            return default
        return parsed

    def _sources(self) -> tuple[str, ...]:
        node = self.nodes.get("sources")
        if node is None:
            return ()
        items = node.value if y.is_sequence(node) else None
        texts = [y.text(n) for n in items or ()]
        if not items or not all(texts):
            self.f.error(
                y.pos(node),
                "'sources' must be a list of texts, each a document and article, e.g. "
                '["Luật Hộ tịch 2014, điều 16", "Nghị định 07/2025/NĐ-CP"]',
            )
            return ()
        return tuple(t for t in texts if t)

    def _checked(self) -> date | None:
        node = self.nodes.get("checked")
        if node is None:
            return None
        try:
            parsed: Any = y.value(node)
        except (yaml.YAMLError, ValueError):
            parsed = None
        if isinstance(parsed, date) and not isinstance(parsed, datetime):
            return parsed
        self.f.error(
            y.pos(node),
            f"'checked' is '{y.text(node) or '...'}'; expected the date the flow was last "
            f"checked, written 2026-12-01",
        )
        return None
