"""Walks a resident through a flow by the shortest way to its end, answering as a person would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.engine.flow import Flow, Option, Step
from bot.engine.menu import group_of
from bot.engine.texts import MENU_GROUPS
from bot.engine.types import Inbound
from bot.flows.graph import edges
from tests.engine.chat import Chat

SAMPLE_ANSWERS = {
    "text": "Nguyễn Văn An",
    "number": "3",
    "phone": "0912 345 678",
    "cccd": "008203001234",
}
FAR = 10**6


def distances(flow: Flow) -> dict[str, int]:
    """For each step, how many steps remain on the shortest way to completing the flow."""
    dist = {s.id: FAR for s in flow.steps}
    for _ in flow.steps:
        for step in flow.steps:
            dist[step.id] = min(dist[step.id], _best(flow, step, dist))
    return dist


def _best(flow: Flow, step: Step, dist: dict[str, int]) -> int:
    if step.end == "completed":
        return 0
    costs = [_cost(e.target, dist) for e in edges(flow, step)]
    return 1 + min(costs, default=FAR)


def _cost(target: str | None, dist: dict[str, int]) -> int:
    if target is None or target == "end":
        return 0
    return dist.get(target, FAR)


def walk_to_end(chat: Chat, limit: int = 300, typing: Callable[[str], str] | None = None) -> None:
    """Answer every question of the current run until no run is left; with `typing`, type
    each chosen button's label (as `typing` turns it) instead of tapping it."""
    for _ in range(limit):
        run = chat.state.run
        if run is None:
            return
        flow = chat.flows.version(run.top.flow_id, run.top.version)
        assert flow is not None
        answer = answer_for(chat, flow, flow.step(run.top.step_id))
        if typing is not None and answer.kind == "button":
            answer = Inbound("text", text=typing(_label_of(chat, answer.payload)))
        chat.send(answer)
    raise AssertionError(f"still in a flow after {limit} answers: {chat.said()}")


def _label_of(chat: Chat, payload: str) -> str:
    return next(b.label for m in chat.last for b in m.buttons if b.payload == payload)


def answer_for(chat: Chat, flow: Flow, step: Step) -> Inbound:
    """What a resident would answer at this step, by the shortest way to the end."""
    if step.options:
        return _tap(chat, flow, step)
    if step.kind == "ask" and step.input == "yes_no":
        return Inbound("text", text="có")
    if step.kind == "ask" and step.input == "date":
        day = chat.now.date() - timedelta(days=10)
        return Inbound("text", text=day.strftime("%d/%m/%Y"))
    if step.kind == "ask" and step.input == "photo":
        return Inbound("file", file_ref="photo-1")
    return Inbound("text", text=SAMPLE_ANSWERS[step.input])


def _tap(chat: Chat, flow: Flow, step: Step) -> Inbound:
    dist = distances(flow)
    best = min(
        enumerate(step.options, start=1), key=lambda pair: _option_cost(flow, step, pair[1], dist)
    )
    buttons = [b for m in chat.last for b in m.buttons]
    return Inbound("button", payload=buttons[best[0] - 1].payload)


def _option_cost(flow: Flow, step: Step, option: Option, dist: dict[str, int]) -> int:
    target = option.target or flow.after(step)
    if target in ("help", "menu", "back") or (target or "").startswith("flow:"):
        return FAR
    return _cost(target, dist)


def open_from_menu(chat: Chat, flow: Flow) -> None:
    """Start a flow from the main menu as a resident would: its button, or its group's first."""
    if flow.title not in chat.labels():
        group = group_of(flow)
        assert group is not None, f"{flow.id} is neither on the menu nor in a group"
        chat.tap(MENU_GROUPS[group])
    chat.tap(flow.title)
