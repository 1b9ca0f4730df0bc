"""Migration 4 on a file of the schema before it: residents left at the old name list."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from bot.engine.types import Prompt, State
from bot.store.codec import dump_state, load_state
from bot.store.db import Database
from bot.store.schema import MIGRATIONS

NAMES = [("Bàn Thị Huấn", "m:1"), ("Tôi là người mới", "new")]


def _file_at_version_3(path: Path, states: list[State]) -> None:
    with closing(sqlite3.connect(path)) as conn:
        for script in MIGRATIONS[:3]:
            conn.executescript(script)
        conn.execute("PRAGMA user_version = 3")
        for rid, state in enumerate(states, 1):
            conn.execute(
                "INSERT INTO residents (id, created_at, updated_at, state) VALUES (?, '', '', ?)",
                (rid, dump_state(state)),
            )
        conn.commit()


async def test_no_state_keeps_the_names_of_a_household_s_members(tmp_path: Path) -> None:
    listed = State(stage="link", prompt=Prompt(4, NAMES))
    listed.pending["link"] = {"code": "482913", "members": [[1, "Bàn Thị Huấn"]]}
    chosen = State(stage="link_confirm", prompt=Prompt(5, [("Đúng, là tôi", "yes")]))
    chosen.pending["link"] = {"code": "482913", "chosen": [1, "Bàn Thị Huấn"]}
    ready = State(stage="ready", name="Lan", prompt=Prompt(2, [("Thử nghiệm", "f:sample")]))
    _file_at_version_3(tmp_path / "d.db", [listed, chosen, ready])
    db = await Database.open(tmp_path / "d.db")
    rows = await db.all("SELECT state FROM residents ORDER BY id")
    await db.close()
    states = [load_state(str(r[0])) for r in rows]
    assert [s.stage for s in states] == ["household", "household", "ready"]
    assert all("Huấn" not in str(r[0]) for r in rows[:2])
    assert states[0].prompt.seq == 4 and states[0].pending == {} == states[1].pending
    assert states[2].prompt.options == [("Thử nghiệm", "f:sample")] and states[2].name == "Lan"
