"""Which variables a flow saves, reads, and has surely saved when each step is reached."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.engine.flow import BUILTIN_VARIABLES, Flow, Pos, Step
from bot.flows.graph import predecessors, reachable

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(text: str) -> list[str]:
    """The `{name}` placeholders in a text, in order."""
    return PLACEHOLDER.findall(text)


def saved_by(step: Step) -> set[str]:
    """The variables a step saves."""
    names = {name for name, _ in step.set}
    if step.save:
        names.add(step.save)
    return names


def all_saved(flow: Flow) -> set[str]:
    """Every variable some step of the flow saves."""
    return set().union(*(saved_by(s) for s in flow.steps)) if flow.steps else set()


def reads(step: Step) -> Iterator[tuple[str, Pos, str]]:
    """(name, where, how) for each variable a step reads; how is 'placeholder' or 'condition'."""
    texts = [(step.text, step.positions.get(step.kind, step.pos))]
    texts += [(o.label, o.pos) for o in step.options]
    for text, pos in texts:
        for name in placeholders(text):
            yield name, pos, "placeholder"
    for arm in step.branches:
        if arm.condition is not None:
            for name in sorted(arm.condition.names):
                yield name, arm.if_pos, "condition"


def defined_on_entry(flow: Flow) -> dict[str, set[str]]:
    """For each reachable step, the variables saved before it on every path to it."""
    live = reachable(flow)
    preds = predecessors(flow)
    universe = all_saved(flow) | BUILTIN_VARIABLES
    entry = {sid: set(universe) for sid in live}
    if flow.steps:
        entry[flow.steps[0].id] = set(BUILTIN_VARIABLES)
    changed = True
    while changed:
        changed = False
        for step in flow.steps[1:]:
            if step.id not in live:
                continue
            ins = [entry[p] | saved_by(flow.step(p)) for p in preds[step.id] if p in live]
            new = set.intersection(*ins) if ins else set(BUILTIN_VARIABLES)
            if new != entry[step.id]:
                entry[step.id] = new
                changed = True
    return entry
