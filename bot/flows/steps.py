"""Reads the steps of a flow file: each step's kind, keys, options, branches and actions."""

from __future__ import annotations

from typing import Any

import yaml

from bot.engine.expr import ExprError, compile_expr
from bot.engine.flow import MEDIA_KINDS, RESERVED_TARGETS, Branch, Media, Option, Step
from bot.flows import yamlpos as y
from bot.flows.findings import Findings, did_you_mean
from bot.flows.schema import (
    ACTION_KEYS,
    ALL_STEP_KEYS,
    END_VALUES,
    KIND_KEYS,
    STEP_KEYS_BY_KIND,
    STEP_SLUG,
)
from bot.flows.values import StepValues


class StepParser:
    """Parses the `steps:` list of one flow."""

    def __init__(self, findings: Findings) -> None:
        self.f = findings
        self.seen: set[str] = set()

    def parse_all(self, node: yaml.Node) -> list[Step]:
        """Every well-formed step of the list, in order."""
        if not y.is_sequence(node) or not node.value:
            self.f.error(y.pos(node), "'steps' must be a list of at least one step")
            return []
        steps = [self.parse(item) for item in node.value]
        return [s for s in steps if s is not None]

    def parse(self, node: yaml.Node) -> Step | None:
        """One step, or None when it is too broken to use."""
        if not y.is_mapping(node):
            self.f.error(y.pos(node), "a step must be a mapping with an 'id' and what it does")
            return None
        nodes = self._keys(node)
        step_id = self._step_id(node, nodes)
        if step_id is None:
            return None
        kind = self._kind(step_id, node, nodes)
        self._check_kind_keys(step_id, kind, nodes)
        values = StepValues(self.f, step_id, nodes)
        return Step(
            id=step_id,
            kind=kind,
            pos=y.pos(node),
            text=values.text(kind),
            media=self._media(nodes),
            buttons=self._options(step_id, nodes.get("buttons")),
            input=values.input_type(),
            choices=self._options(step_id, nodes.get("choices")),
            save=values.variable("save"),
            minimum=values.raw("min"),
            maximum=values.raw("max"),
            retries=values.positive_int("retries", 3),
            on_fail=values.target("on_fail") or "help",
            sensitive=values.boolean("sensitive"),
            branches=self._branches(step_id, nodes.get("branch")),
            next=values.target("next"),
            milestone=values.slug("milestone"),
            handoff=values.string("handoff"),
            goto=values.slug("goto"),
            set=values.assignments(),
            end=values.one_of("end", END_VALUES),
            positions={k: y.pos(n) for k, n in nodes.items()},
        )

    def _keys(self, node: yaml.MappingNode) -> dict[str, yaml.Node]:
        nodes: dict[str, yaml.Node] = {}
        for key, key_node, value_node in y.items(node):
            if key in nodes:
                self.f.error(y.pos(key_node), f"duplicate key '{key}' in a step")
            elif key not in ALL_STEP_KEYS:
                self.f.error(y.pos(key_node), self._unknown(node, key))
            else:
                nodes[key] = value_node
        return nodes

    def _unknown(self, node: yaml.MappingNode, key: str) -> str:
        step_id = next((y.text(v) for k, _, v in y.items(node) if k == "id"), None)
        where = f"step '{step_id}': " if step_id else ""
        return f"{where}unknown key '{key}'{did_you_mean(key, ALL_STEP_KEYS)}"

    def _step_id(self, node: yaml.Node, nodes: dict[str, yaml.Node]) -> str | None:
        id_node = nodes.get("id")
        step_id = y.text(id_node) if id_node is not None else None
        if id_node is None or not step_id:
            self.f.error(y.pos(node), "a step needs an 'id'")
            return None
        if not STEP_SLUG.fullmatch(step_id) or step_id in RESERVED_TARGETS:
            self.f.error(y.pos(id_node), self._bad_id(step_id))
            return None
        if step_id in self.seen:
            self.f.error(y.pos(id_node), f"duplicate step id '{step_id}'")
            return None
        self.seen.add(step_id)
        return step_id

    @staticmethod
    def _bad_id(step_id: str) -> str:
        if step_id in RESERVED_TARGETS:
            return f"step id '{step_id}' is a reserved word; choose another id"
        return (
            f"step id '{step_id}' is not a slug "
            f"(lowercase letters, digits and _, starting with a letter)"
        )

    def _kind(self, step_id: str, node: yaml.Node, nodes: dict[str, yaml.Node]) -> str:
        kinds = [k for k in KIND_KEYS if k in nodes]
        if len(kinds) > 1:
            both = " and ".join(f"'{k}'" for k in kinds)
            self.f.error(y.pos(node), f"step '{step_id}' has {both}; a step does one thing")
        if kinds:
            return kinds[0]
        if not any(k in nodes for k in ACTION_KEYS):
            self.f.error(
                y.pos(node),
                f"step '{step_id}' does nothing: give it say, ask or branch, "
                f"or an action (milestone, handoff, goto, set, end)",
            )
        return "action"

    def _check_kind_keys(self, step_id: str, kind: str, nodes: dict[str, yaml.Node]) -> None:
        allowed = STEP_KEYS_BY_KIND[kind]
        for key, node in nodes.items():
            if key not in allowed and key not in KIND_KEYS:
                self.f.error(
                    y.pos(node), f"step '{step_id}': '{key}' does not belong in a {kind} step"
                )

    def _media(self, nodes: dict[str, yaml.Node]) -> tuple[Media, ...]:
        found = []
        for kind in MEDIA_KINDS:
            node = nodes.get(kind)
            path = y.text(node) if node is not None else None
            if node is not None and path:
                found.append(Media(kind, path, y.pos(node)))
        return tuple(found)

    def _options(self, step_id: str, node: yaml.Node | None) -> tuple[Option, ...]:
        if node is None:
            return ()
        if not y.is_sequence(node):
            self.f.error(y.pos(node), f"step '{step_id}': buttons and choices must be a list")
            return ()
        options = (self._option(step_id, item) for item in node.value)
        return tuple(o for o in options if o is not None)

    def _option(self, step_id: str, node: yaml.Node) -> Option | None:
        label = y.text(node)
        if label is not None:
            return Option(label=label, pos=y.pos(node))
        if not y.is_mapping(node):
            self.f.error(y.pos(node), f"step '{step_id}': an option is a label or 'Label: target'")
            return None
        pairs = {k: v for k, _, v in y.items(node)}
        if "label" in pairs:
            return self._long_option(step_id, node, pairs)
        if len(pairs) != 1:
            self.f.error(
                y.pos(node),
                f"step '{step_id}': write one option per line, as 'Label: target' "
                f"or {{label: ..., go: ..., value: ...}}",
            )
            return None
        ((label, target),) = pairs.items()
        return Option(label=label, target=y.text(target), pos=y.pos(node))

    def _long_option(
        self, step_id: str, node: yaml.Node, pairs: dict[str, yaml.Node]
    ) -> Option | None:
        unknown = [k for k in pairs if k not in ("label", "go", "value")]
        for key in unknown:
            hint = did_you_mean(key, ("label", "go", "value"))
            self.f.error(y.pos(pairs[key]), f"step '{step_id}': unknown option key '{key}'{hint}")
        go = pairs.get("go")
        value: Any = y.value(pairs["value"]) if "value" in pairs else None
        target = y.text(go) if go is not None else None
        return Option(
            label=y.text(pairs["label"]) or "", target=target, value=value, pos=y.pos(node)
        )

    def _branches(self, step_id: str, node: yaml.Node | None) -> tuple[Branch, ...]:
        if node is None:
            return ()
        if not y.is_sequence(node) or not node.value:
            self.f.error(y.pos(node), f"step '{step_id}': 'branch' must be a list of if/go arms")
            return ()
        arms = [self._arm(step_id, item) for item in node.value]
        found = tuple(a for a in arms if a is not None)
        if not found or found[-1].condition is not None:
            self.f.error(
                y.pos(node), f"step '{step_id}': a branch must end with an 'else: TARGET' arm"
            )
        return found

    def _arm(self, step_id: str, node: yaml.Node) -> Branch | None:
        pairs = {k: v for k, _, v in y.items(node)} if y.is_mapping(node) else {}
        if set(pairs) == {"else"}:
            return Branch(None, y.text(pairs["else"]) or "", y.pos(pairs["else"]))
        if set(pairs) != {"if", "go"}:
            self.f.error(
                y.pos(node), f"step '{step_id}': a branch arm is {{if: CONDITION, go: TARGET}}"
            )
            return None
        cond = pairs["if"]
        source = y.text(cond) or ""
        try:
            expr = compile_expr(source)
        except ExprError as exc:
            quoted = 1 if getattr(cond, "style", None) in ("'", '"') else 0
            at = y.pos(cond)
            self.f.error(
                type(at)(at.line, at.col + quoted + exc.col - 1),
                f"step '{step_id}': condition '{source}': {exc.message}",
            )
            return None
        return Branch(expr, y.text(pairs["go"]) or "", y.pos(pairs["go"]), y.pos(cond))
