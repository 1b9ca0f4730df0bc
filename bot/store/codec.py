"""The engine's per-resident state, to and from the JSON kept in the residents table."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from bot.engine.types import Frame, Prompt, Run, State


def dump_state(state: State) -> str:
    """The state as compact JSON."""
    data = asdict(state)
    data["milestones"] = sorted(state.milestones)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def load_state(text: str | None) -> State:
    """The state from its JSON; a new resident's state when there is none."""
    if not text or text == "{}":
        return State()
    data: dict[str, Any] = json.loads(text)
    run = data.pop("run", None)
    prompt = data.pop("prompt", None) or {}
    state = State(**data)
    state.milestones = set(data.get("milestones", ()))
    state.prompt = Prompt(prompt.get("seq", 0), [tuple(o) for o in prompt.get("options", [])])
    state.run = _load_run(run) if run else None
    return state


def _load_run(data: dict[str, Any]) -> Run:
    frames = [Frame(**frame) for frame in data.pop("frames")]
    return Run(frames=frames, **data)
