"""The resident state survives the trip to JSON and back, every field of it."""

from __future__ import annotations

import dataclasses
import json

from bot.engine.types import Frame, Prompt, Run, State
from bot.store.codec import dump_state, load_state


def _full_state() -> State:
    frames = [
        Frame("birth", "v1", "intro", {"born": "2026-11-01", "ok": True}, ["a"], 2, False),
        Frame("portal_login", "v2", "ask", {"n": 3}, [], 0, True),
    ]
    run = Run(frames, 4, "paused", "2026-11-29T09:00:00+07:00", "2026-12-01", "2026-12-09")
    return State(
        stage="ready",
        lang="en",
        consent=True,
        name="Bàn Thị Huấn",
        address="chị",
        village_id="na_khau",
        household_code="482913",
        milestones={"portal_login", "vneid_account"},
        prompt=Prompt(7, [("Có", "yes"), ("Không", "no")], ("yes", "no")),
        run=run,
        runs_started=4,
        pending={"return_stage": "ready"},
    )


def test_a_full_state_comes_back_equal() -> None:
    state = _full_state()
    assert load_state(dump_state(state)) == state


def test_every_field_of_every_state_class_is_written() -> None:
    data = json.loads(dump_state(_full_state()))
    assert set(data) == {f.name for f in dataclasses.fields(State)}
    assert set(data["run"]) == {f.name for f in dataclasses.fields(Run)}
    assert set(data["run"]["frames"][0]) == {f.name for f in dataclasses.fields(Frame)}
    assert set(data["prompt"]) == {f.name for f in dataclasses.fields(Prompt)}


def test_no_text_is_a_new_resident() -> None:
    assert load_state(None) == State() and load_state("{}") == State()
