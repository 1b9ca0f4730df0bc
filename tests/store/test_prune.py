"""Pruning: sent messages and old dedupe keys go on a schedule; unsent messages and recent keys
stay. The app's clock is set by the test; nothing waits on real time."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import open_app
from bot.engine.types import Inbound
from bot.store.outbox import mark_sent
from tests.conftest import config_for

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


class SetClock:
    """A clock the test sets."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


async def test_the_app_prunes_old_sent_messages_and_old_keys_when_it_starts(
    tmp_path: Path,
) -> None:
    db = tmp_path / "d.db"
    clock = SetClock(T0 - timedelta(days=3))
    app = await open_app(config_for(db), clock)
    old = await app.conversation.handle("test", "lan", Inbound("start"), "old-key")
    await mark_sent(app.db, old[0].id, clock().isoformat())  # old[1] is never sent
    clock.now = T0 - timedelta(hours=1)
    new = await app.conversation.handle("test", "binh", Inbound("start"), "new-key")
    await mark_sent(app.db, new[0].id, clock().isoformat())
    await app.close()

    app = await open_app(config_for(db), SetClock(T0))
    await app.pruner.pruned.wait()
    await app.close()
    kept = [old[1].id, new[0].id, new[1].id]
    assert [r[0] for r in rows(db, "SELECT id FROM outbox ORDER BY id")] == kept
    assert rows(db, "SELECT key FROM inbound_seen") == [("new-key",)]


async def test_a_pruned_key_no_longer_hides_a_new_message_with_the_same_id(
    tmp_path: Path,
) -> None:
    clock = SetClock(T0 - timedelta(days=8))
    app = await open_app(config_for(tmp_path / "d.db"), clock)
    await app.conversation.handle("telegram", "lan", Inbound("start"), "u42")
    clock.now = T0  # a week without updates: Telegram may pick update id 42 again
    pruned = await app.pruner.prune_now()
    again = await app.conversation.handle("telegram", "lan", Inbound("text", text="menu"), "u42")
    await app.close()
    assert pruned is not None and pruned.seen == 1
    assert again
