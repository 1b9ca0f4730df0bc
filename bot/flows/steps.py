"""Reads the steps of a flow file: each step's kind, keys, options, branches and actions."""

from __future__ import annotations

import re
from typing import Any

import yaml

from bot.engine.expr import ExprError, compile_expr
from bot.engine.flow import (
    DATE_EVENTS,
    MEANINGS,
    MEDIA_KINDS,
    RESERVED_TARGETS,
    Branch,
    Media,
    Option,
    Pos,
    Step,
)
from bot.flows import yamlpos as y
from bot.flows.findings import Findings, did_you_mean
from bot.flows.graph import target_key
from bot.flows.schema import (
    ACTION_KEYS,
    ALL_STEP_KEYS,
    END_VALUES,
    KIND_KEYS,
    STEP_KEYS_BY_KIND,
    STEP_SLUG,
)
from bot.flows.values import StepValues
from bot.flows.variables import PLACEHOLDER, read_key

RESERVED_STEP_IDS = RESERVED_TARGETS | {"title"}
OPTION_KEYS = ("label", "go", "value", "means")


class StepParser:
    """Parses the `steps:` list of one flow."""

    def __init__(self, findings: Findings) -> None:
        self.f = findings
        self.seen: dict[str, Pos] = {}

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
        if sum(k in nodes for k in KIND_KEYS) <= 1:
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
            event=values.one_of("event", DATE_EVENTS),
            birth_date=values.slug("birth_date"),
            branches=self._branches(step_id, nodes.get("branch")),
            next=values.target("next"),
            milestone=values.slug("milestone"),
            handoff=values.handoff("handoff"),
            goto=values.slug("goto"),
            set=values.assignments(),
            end=values.one_of("end", END_VALUES),
            positions=_positions(nodes),
        )

    def _keys(self, node: yaml.MappingNode) -> dict[str, yaml.Node]:
        nodes: dict[str, yaml.Node] = {}
        for key, key_node, value_node in y.items(node):
            if key in nodes:
                message = f"duplicate key '{key}' (a step has each key once; keep one)"
                self.f.error(y.pos(key_node), _where(node) + message)
            elif key not in ALL_STEP_KEYS:
                hint = did_you_mean(key, ALL_STEP_KEYS)
                self.f.error(y.pos(key_node), f"{_where(node)}unknown key '{key}'{hint}")
            else:
                nodes[key] = value_node
        return nodes

    def _step_id(self, node: yaml.Node, nodes: dict[str, yaml.Node]) -> str | None:
        id_node = nodes.get("id")
        step_id = y.text(id_node) if id_node is not None else None
        if id_node is None or not step_id:
            self.f.error(y.pos(node), "a step needs an 'id', e.g. '- id: intro'")
            return None
        if not STEP_SLUG.fullmatch(step_id) or step_id in RESERVED_STEP_IDS:
            self.f.error(y.pos(id_node), self._bad_id(step_id))
            return None
        if step_id in self.seen:
            self.f.error(
                y.pos(id_node),
                f"duplicate step id '{step_id}': line {self.seen[step_id].line} has it too "
                f"(give this step another id)",
            )
            return None
        self.seen[step_id] = y.pos(id_node)
        return step_id

    @staticmethod
    def _bad_id(step_id: str) -> str:
        if step_id == "title":
            return "step id 'title' is kept for the flow's title in translations; choose another id"
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
            self.f.error(
                y.pos(nodes[kinds[1]]),
                f"step '{step_id}' has {both}; a step does one thing: make one step for each",
            )
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
                owners = [k for k in STEP_KEYS_BY_KIND if key in STEP_KEYS_BY_KIND[k]]
                self.f.error(
                    y.pos(node),
                    f"step '{step_id}': '{key}' belongs in {_a(_either(owners))} step, "
                    f"not in {_a(kind)} step",
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
        unknown = [k for k in pairs if k not in OPTION_KEYS]
        for key in unknown:
            hint = did_you_mean(key, OPTION_KEYS)
            self.f.error(y.pos(pairs[key]), f"step '{step_id}': unknown option key '{key}'{hint}")
        go = pairs.get("go")
        value: Any = y.value(pairs["value"]) if "value" in pairs else None
        target = y.text(go) if go is not None else None
        label = y.text(pairs["label"]) or ""
        means = self._means(step_id, pairs.get("means"))
        return Option(label=label, target=target, value=value, pos=y.pos(node), means=means)

    def _means(self, step_id: str, node: yaml.Node | None) -> str | None:
        """An option's `means: yes` or `means: no`; an error for anything else."""
        if node is None:
            return None
        means = y.text(node)
        if means not in MEANINGS:
            self.f.error(
                y.pos(node),
                f"step '{step_id}': 'means' is '{means}'; write 'means: yes' on the affirmative "
                f"option and 'means: no' on the negative one",
            )
            return None
        return means

    def _branches(self, step_id: str, node: yaml.Node | None) -> tuple[Branch, ...]:
        if node is None:
            return ()
        if not y.is_sequence(node) or not node.value:
            self.f.error(y.pos(node), f"step '{step_id}': 'branch' must be a list of if/go arms")
            return ()
        arms = [self._arm(step_id, item) for item in node.value]
        found = tuple(a for a in arms if a is not None)
        for arm, item in zip(arms[:-1], node.value, strict=False):
            if arm is not None and arm.condition is None:
                self.f.error(
                    y.pos(item),
                    f"step '{step_id}': 'else' must be the last arm; the arms after it are "
                    f"never tried",
                )
        if not found or found[-1].condition is not None:
            self.f.error(
                y.pos(node.value[-1]),
                f"step '{step_id}': a branch must end with an 'else: TARGET' arm",
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
            self.f.error(
                y.char_pos(cond, exc.col - 1),
                f"step '{step_id}': condition '{' '.join(source.split())}': {_expr_message(exc)}",
            )
            return None
        return Branch(expr, y.text(pairs["go"]) or "", y.pos(pairs["go"]), y.pos(cond))


def _where(node: yaml.MappingNode) -> str:
    """`step 'ID': ` for a step mapping whose id is readable, else ''."""
    step_id = next((y.text(v) for k, _, v in y.items(node) if k == "id"), None)
    return f"step '{step_id}': " if step_id else ""


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


_EXPR_HINTS = {
    "attribute access is not allowed": (
        "write the saved name alone; for a date, use age(name) or days_since(name)"
    ),
}
_AT_COLUMN = re.compile(r" at column \d+")
_NAME = re.compile(r"'[^']*'|\"[^\"]*\"|([A-Za-z_][A-Za-z0-9_]*)")  # names, not in strings


def _expr_message(exc: ExprError) -> str:
    """The expression's message, without its own column (the finding has the file's)."""
    message = _AT_COLUMN.sub("", exc.message, count=1)
    hint = _EXPR_HINTS.get(message)
    return f"{message} ({hint})" if hint else message


def _positions(nodes: dict[str, yaml.Node]) -> dict[str, Pos]:
    """Where each key's value, each option's target and each variable read was written."""
    found = {k: y.pos(n) for k, n in nodes.items()}
    for key in ("buttons", "choices"):
        items = nodes.get(key)
        for item in items.value if items is not None and y.is_sequence(items) else []:
            target = _option_target(item)
            if target is not None:
                found[target_key(y.pos(item))] = y.pos(target)
    return {**found, **_read_positions(nodes)}


def _option_target(node: yaml.Node) -> yaml.Node | None:
    """The node naming an option's target: the value of `Label: target`, or `go:`."""
    if not y.is_mapping(node):
        return None
    pairs = {k: v for k, _, v in y.items(node)}
    return pairs.get("go") if "label" in pairs else next(iter(pairs.values()), None)


def _read_positions(nodes: dict[str, yaml.Node]) -> dict[str, Pos]:
    """Where each variable a step reads was first written (see `variables.read_key`)."""
    found: dict[str, Pos] = {}
    for kind in ("say", "ask"):
        _note_reads(found, kind, nodes.get(kind), PLACEHOLDER)
    arms = nodes.get("branch")
    if arms is not None and y.is_sequence(arms):
        for index, arm in enumerate(arms.value):
            pairs = {k: v for k, _, v in y.items(arm)} if y.is_mapping(arm) else {}
            _note_reads(found, f"branch.{index}", pairs.get("if"), _NAME)
    return found


def _note_reads(
    found: dict[str, Pos], where: str, node: yaml.Node | None, pattern: re.Pattern[str]
) -> None:
    text = y.text(node) if node is not None else None
    if node is None or text is None:
        return
    for match in pattern.finditer(text):
        if match.group(1):
            found.setdefault(read_key(where, match.group(1)), y.char_pos(node, match.start()))


def _either(kinds: list[str]) -> str:
    """'say', 'say or action', 'say, ask or action'."""
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
