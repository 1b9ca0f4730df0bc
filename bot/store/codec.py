"""The engine's per-resident state, to and from the JSON kept in the residents table.

Written out field by field rather than with `dataclasses.asdict`, which deep-copies the whole
state and was the largest cost of a message; tests/store/test_codec.py checks that every field
of every state class is written and read back.
"""

from __future__ import annotations

import json
from typing import Any

from bot.engine.types import Frame, Prompt, Run, State

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


def dump_state(state: State) -> str:
    """The state as compact JSON."""
    run = state.run
    return _dumps(
        {
            "stage": state.stage,
            "lang": state.lang,
            "consent": state.consent,
            "name": state.name,
            "address": state.address,
            "village_id": state.village_id,
            "household_code": state.household_code,
            "milestones": sorted(state.milestones),
            "prompt": _prompt(state.prompt),
            "run": None if run is None else _run(run),
            "runs_started": state.runs_started,
            "pending": state.pending,
            "seen_at": state.seen_at,
        }
    )


def _prompt(prompt: Prompt) -> dict[str, Any]:
    yes_no = None if prompt.yes_no is None else list(prompt.yes_no)
    return {"seq": prompt.seq, "options": prompt.options, "yes_no": yes_no}


def _run(run: Run) -> dict[str, Any]:
    return {
        "frames": [_frame(f) for f in run.frames],
        "number": run.number,
        "status": run.status,
        "started_at": run.started_at,
        "remind_at": run.remind_at,
        "expire_at": run.expire_at,
    }


def _frame(frame: Frame) -> dict[str, Any]:
    return {
        "flow_id": frame.flow_id,
        "version": frame.version,
        "step_id": frame.step_id,
        "vars": frame.vars,
        "history": frame.history,
        "retries": frame.retries,
        "entered": frame.entered,
    }


def load_state(text: str | None) -> State:
    """The state from its JSON; a new resident's state when there is none."""
    if not text or text == "{}":
        return State()
    data: dict[str, Any] = json.loads(text)
    run = data.pop("run", None)
    prompt = data.pop("prompt", None) or {}
    state = State(**data)
    state.milestones = set(data.get("milestones", ()))
    options = [(label, key) for label, key in prompt.get("options", [])]
    yes_no = prompt.get("yes_no")
    marked = (str(yes_no[0]), str(yes_no[1])) if yes_no else None
    state.prompt = Prompt(prompt.get("seq", 0), options, marked)
    state.run = _load_run(run) if run else None
    return state


def _load_run(data: dict[str, Any]) -> Run:
    frames = [Frame(**frame) for frame in data.pop("frames")]
    return Run(frames=frames, **data)
