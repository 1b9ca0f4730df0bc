"""Which variables a flow saves, reads, and has surely saved when each step is reached."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator

from bot.engine.flow import BUILTIN_VARIABLES, Flow, Pos, Step
from bot.flows.graph import Edge, edges, reachable

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(text: str) -> list[str]:
    """The `{name}` placeholders in a text, in order."""
    return PLACEHOLDER.findall(text)


def read_key(where: str, name: str) -> str:
    """The key of `Step.positions` that says where `name` is first read in `where`.

    `where` is `say` or `ask` (a placeholder in the text) or `branch.N` (a name in the
    condition of the N-th arm); the parser records these next to the keys' own positions.
    """
    return f"{where}{{{name}}}"


def saved_by(step: Step) -> set[str]:
    """The variables a step saves."""
    names = {name for name, _ in step.set}
    if step.save:
        names.add(step.save)
    return names


def saved_leaving(step: Step, edge: Edge) -> set[str]:
    """The variables a step has saved when the flow leaves it by `edge`.

    Leaving an ask by `on_fail` means the answer was never accepted, so it was not saved.
    """
    return saved_by(step) if edge.answered else {name for name, _ in step.set}


def all_saved(flow: Flow) -> set[str]:
    """Every variable some step of the flow saves."""
    return set().union(*(saved_by(s) for s in flow.steps)) if flow.steps else set()


def reads(step: Step) -> Iterator[tuple[str, Pos, str]]:
    """(name, where, how) for each variable a step reads; how is 'placeholder', 'condition'
    or 'birth_date' (the saved date a cccd answer must agree with).

    A name read twice in one text or condition is given once, where it is first read.
    """
    text_pos = step.positions.get(step.kind, step.pos)
    for name in dict.fromkeys(placeholders(step.text)):
        yield name, step.positions.get(read_key(step.kind, name), text_pos), "placeholder"
    for option in step.options:
        for name in dict.fromkeys(placeholders(option.label)):
            yield name, option.pos, "placeholder"
    if step.birth_date is not None:
        yield step.birth_date, step.positions.get("birth_date", step.pos), "birth_date"
    for index, arm in enumerate(step.branches):
        if arm.condition is not None:
            for name in sorted(arm.condition.names):
                at = step.positions.get(read_key(f"branch.{index}", name), arm.if_pos)
                yield name, at, "condition"


def defined_on_entry(flow: Flow) -> dict[str, set[str]]:
    """For each reachable step, the variables saved before it on every path to it."""
    live = reachable(flow)
    incoming = _incoming(flow, live)
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
            ins = [entry[p] | saved for p, saved in incoming[step.id]]
            new = set.intersection(*ins) if ins else set(BUILTIN_VARIABLES)
            if new != entry[step.id]:
                entry[step.id] = new
                changed = True
    return entry


def _incoming(flow: Flow, live: set[str]) -> dict[str, list[tuple[str, set[str]]]]:
    """For each reachable step: (a step leading to it, what that step saved on the way)."""
    found: dict[str, list[tuple[str, set[str]]]] = {sid: [] for sid in live}
    for step in flow.steps:
        if step.id not in live:
            continue
        for edge in edges(flow, step):
            if edge.target in found:
                found[edge.target].append((step.id, saved_leaving(step, edge)))
    return found


def unsaved_path(flow: Flow, name: str, goal: str) -> list[str]:
    """A shortest path of step ids from the first step to `goal` on which `name` is not saved."""
    first = flow.steps[0].id
    back: dict[str, str | None] = {first: None}
    todo = deque([first])
    while todo and goal not in back:
        step = flow.step(todo.popleft())
        for edge in edges(flow, step):
            target = edge.target
            if target is None or target in back or not flow.has_step(target):
                continue
            if name not in saved_leaving(step, edge):
                back[target] = step.id
                todo.append(target)
    path: list[str] = []
    at: str | None = goal if goal in back else None
    while at is not None:
        path.append(at)
        at = back[at]
    return path[::-1] or [goal]
