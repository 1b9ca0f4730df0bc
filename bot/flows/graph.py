"""The paths through a flow: where each step can go, what is reachable, what can end."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.engine.flow import Flow, Option, Pos, Step, is_flow_target

ENDING_TARGETS = frozenset({"end", "menu"})
STAYING_TARGETS = frozenset({"help", "back"})


@dataclass(frozen=True)
class Edge:
    """A way out of a step: to a step id, a reserved word, `flow:ID`, or None (off the end).

    `answered` is false for an ask's `on_fail`: that way out is taken without an answer.
    """

    target: str | None
    pos: Pos
    answered: bool = True


def edges(flow: Flow, step: Step, *, written: bool = False) -> Iterator[Edge]:
    """Every way out of a step, as the bot follows them, with where each was written.

    A step with `end` leaves by its option's own target when one is picked, else ends; with
    `written`, a `next` that `end` overrides is given too (so that a mistyped one is reported).
    """
    if step.kind == "branch":
        yield from (Edge(arm.target, arm.pos) for arm in step.branches)
        return
    default = _default_edge(flow, step)
    if written and step.end is not None and step.next is not None:
        yield Edge(step.next, step.positions.get("next", step.pos))
    if step.end is not None and not step.waits:
        yield default
        return
    options = step.options
    if not options or (step.kind == "ask" and step.input != "choice"):
        yield default
    for option in options:
        yield Edge(option.target, target_pos(step, option)) if option.target else default
    if step.kind == "ask":
        yield Edge(step.on_fail, step.positions.get("on_fail", step.pos), answered=False)


def _default_edge(flow: Flow, step: Step) -> Edge:
    """Where a step goes when no option names a target: its `end`, else what follows it."""
    if step.end is not None:
        target = "end" if step.end == "completed" else "menu"
        return Edge(target, step.positions.get("end", step.pos))
    return Edge(flow.after(step), step.positions.get("next", step.pos))


def target_key(option_pos: Pos) -> str:
    """The key of `Step.positions` that says where the target of the option at `option_pos` is."""
    return f"go@{option_pos.line}:{option_pos.col}"


def target_pos(step: Step, option: Option) -> Pos:
    """Where an option's target was written (the option itself when unknown)."""
    return step.positions.get(target_key(option.pos), option.pos)


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
