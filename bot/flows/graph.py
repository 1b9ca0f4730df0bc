"""The paths through a flow: where each step can go, what is reachable, what can end."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.engine.flow import Flow, Pos, Step, is_flow_target

ENDING_TARGETS = frozenset({"end", "menu"})
STAYING_TARGETS = frozenset({"help", "back"})


@dataclass(frozen=True)
class Edge:
    """A way out of a step: to a step id, a reserved word, `flow:ID`, or None (off the end)."""

    target: str | None
    pos: Pos


def edges(flow: Flow, step: Step) -> Iterator[Edge]:
    """Every way out of a step, as written, with where it was written."""
    if step.end is not None:
        return
    if step.kind == "branch":
        yield from (Edge(arm.target, arm.pos) for arm in step.branches)
        return
    default = Edge(flow.after(step), step.positions.get("next", step.pos))
    options = step.options
    if not options or (step.kind == "ask" and step.input != "choice"):
        yield default
    for option in options:
        yield Edge(option.target, option.pos) if option.target else default
    if step.kind == "ask":
        yield Edge(step.on_fail, step.positions.get("on_fail", step.pos))


def is_ending(target: str | None) -> bool:
    """Whether going to this target ends the flow."""
    return target is None or target in ENDING_TARGETS or is_flow_target(target)


def next_steps(flow: Flow, step: Step) -> set[str]:
    """The ids of the steps this step can lead to."""
    return {e.target for e in edges(flow, step) if e.target is not None and flow.has_step(e.target)}


def reachable(flow: Flow) -> set[str]:
    """Ids of the steps some path from the first step reaches."""
    if not flow.steps:
        return set()
    seen = {flow.steps[0].id}
    todo = [flow.steps[0]]
    while todo:
        for target in next_steps(flow, todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(flow.step(target))
    return seen


def can_end(flow: Flow) -> set[str]:
    """Ids of the steps from which some path ends the flow."""
    done = {s.id for s in flow.steps if s.end is not None or _ends_directly(flow, s)}
    changed = True
    while changed:
        changed = False
        for step in flow.steps:
            if step.id not in done and next_steps(flow, step) & done:
                done.add(step.id)
                changed = True
    return done


def _ends_directly(flow: Flow, step: Step) -> bool:
    return any(is_ending(e.target) for e in edges(flow, step))


def predecessors(flow: Flow) -> dict[str, set[str]]:
    """For each step id, the ids of the steps that lead to it."""
    preds: dict[str, set[str]] = {s.id: set() for s in flow.steps}
    for step in flow.steps:
        for target in next_steps(flow, step):
            preds[target].add(step.id)
    return preds
