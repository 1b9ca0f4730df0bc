"""A database that cannot write (a real SQLITE_FULL) while messages stream in: nothing is confirmed
or lost meanwhile, nothing is applied twice, and the bot goes on by itself once it can write."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.channels.telegram_harness import Harness, running
from tests.conftest import config_for
from tests.fakes.telegram_server import FakeTelegram

CONSENT = "Bà con có đồng ý không?"
BEFORE, DURING = range(2000, 2010), range(3000, 3030)
FULL = "the database cannot write (database or disk is full)"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


async def _fill_disk(tg: Harness) -> None:
    """Let the bot's own connection grow the file no further: SQLite then refuses with
    SQLITE_FULL exactly as on a full disk."""
    async with tg.app.db.conn.execute("PRAGMA page_count") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    await tg.app.db.conn.execute(f"PRAGMA max_page_count = {row[0]}")


async def _free_disk(tg: Harness) -> None:
    await tg.app.db.conn.execute("PRAGMA max_page_count = 1073741823")


def _welcomed(fake: FakeTelegram, chat: int) -> int:
    return sum(CONSENT in t for t in fake.texts(chat))


async def test_a_full_disk_holds_every_message_until_it_can_write_and_loses_none(
    fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running(fake, config_for(tmp_path / "d.db")) as tg:
        for chat in BEFORE:
            await tg.command(chat, "start")
        await _fill_disk(tg)
        pushed = [fake.push_command(chat, "start") for chat in DURING]
        await fake.wait_for(lambda f: FULL in caplog.text, timeout=30)
        held = {u["update_id"] for u in fake.pending_updates()}  # Telegram would redeliver
        waiting = {u for u, chat in zip(pushed, DURING, strict=True) if not _welcomed(fake, chat)}
        assert waiting and waiting <= held
        await _free_disk(tg)
        await fake.wait_for(lambda f: all(_welcomed(f, c) == 1 for c in DURING), timeout=60)
        await fake.wait_for(lambda f: not f.pending_updates(), timeout=30)
        assert [_welcomed(fake, chat) for chat in [*BEFORE, *DURING]] == [1] * 40
        seen = tg.query("SELECT count(*) FROM inbound_seen")
        assert seen == [(len(BEFORE) + len(DURING),)]
        assert tg.query("SELECT count(*) FROM residents") == seen
        assert tg.query("SELECT count(*) FROM failed_inbound") == [(0,)]
    lines = [r.getMessage() for r in caplog.records if r.name == "danvan.store"]
    assert sum(FULL in line for line in lines) == 1
    assert sum("the database writes again" in line for line in lines) == 1
