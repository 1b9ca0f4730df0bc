"""A database that cannot write (a real SQLITE_FULL) while messages stream in: nothing is confirmed
or lost meanwhile, nothing is applied twice, and the bot goes on by itself once it can write."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bot.app import App, open_app
from bot.channels.ratelimit import Limits
from bot.channels.zalo.channel import ZaloChannel, ZaloSettings
from tests.channels.telegram_harness import (
    post_update,
    running,
    start_update,
    webhook_running,
)
from tests.conftest import config_for
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_server import FakeZalo

CONSENT = "Bà con có đồng ý không?"
BEFORE, DURING = range(2000, 2010), range(3000, 3030)
FULL = "the database cannot write (database or disk is full)"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


async def _fill_disk(app: App) -> None:
    """Let the bot's own connection grow the file no further: SQLite then refuses with
    SQLITE_FULL exactly as on a full disk."""
    async with app.db.conn.execute("PRAGMA page_count") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    await app.db.conn.execute(f"PRAGMA max_page_count = {row[0]}")


async def _free_disk(app: App) -> None:
    await app.db.conn.execute("PRAGMA max_page_count = 1073741823")


def _welcomed(fake: FakeTelegram, chat: int) -> int:
    return sum(CONSENT in t for t in fake.texts(chat))


async def test_a_full_disk_holds_every_message_until_it_can_write_and_loses_none(
    fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running(fake, config_for(tmp_path / "d.db")) as tg:
        for chat in BEFORE:
            await tg.command(chat, "start")
        await _fill_disk(tg.app)
        pushed = [fake.push_command(chat, "start") for chat in DURING]
        await fake.wait_for(lambda f: FULL in caplog.text, timeout=30)
        held = {u["update_id"] for u in fake.pending_updates()}  # Telegram would redeliver
        waiting = {u for u, chat in zip(pushed, DURING, strict=True) if not _welcomed(fake, chat)}
        assert waiting and waiting <= held
        await _free_disk(tg.app)
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


FAST = Limits(overall_rate=1000, overall_burst=100, chat_rate=100, chat_burst=100)


def _zalo_welcomed(fake: FakeZalo, user: str) -> int:
    return sum(CONSENT in t for t in fake.texts(user))


async def test_zalo_polling_holds_the_event_it_fetched_and_asks_for_no_other(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    users = [f"u{n:04d}" for n in range(40)]
    with FakeZalo() as fake:
        app = await open_app(config_for(tmp_path / "d.db"))
        settings = ZaloSettings(token=fake.token, api_url=fake.base_url, poll_wait=1)
        channel = ZaloChannel(app, settings, FAST)
        await channel.start()
        try:
            for user in users[:10]:
                fake.push_text(user, "Xin chào")
            await fake.wait_for(lambda f: all(_zalo_welcomed(f, u) for u in users[:10]), 30)
            await _fill_disk(app)
            for user in users[10:]:
                fake.push_text(user, "Xin chào")
            await fake.wait_for(lambda f: FULL in caplog.text, timeout=30)
            waiting = [u for u in users[10:] if not _zalo_welcomed(fake, u)]
            assert len(fake.pending()) == len(waiting) - 1  # one fetched and held, no more
            await _free_disk(app)
            await fake.wait_for(lambda f: all(_zalo_welcomed(f, u) == 1 for u in users), 60)
            assert not fake.pending()
        finally:
            await channel.stop()
            await app.close()
    with closing(sqlite3.connect(tmp_path / "d.db")) as conn:
        assert conn.execute("SELECT count(*) FROM inbound_seen").fetchone() == (len(users),)


async def test_a_webhook_is_refused_while_the_store_cannot_write_and_taken_after(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    async with webhook_running(fake, config_for(tmp_path / "d.db")) as (app, server, secret):
        for chat in BEFORE:
            assert await post_update(server.bound_port, start_update(chat, chat), secret) == 200
        await _fill_disk(app)
        refused = [await post_update(server.bound_port, start_update(c, c), secret) for c in DURING]
        assert refused[-1] != 200  # the store may have had room for a few, not for all
        await _free_disk(app)
        for chat, status in zip(DURING, refused, strict=True):  # Telegram delivers them again
            if status != 200:
                assert await post_update(server.bound_port, start_update(chat, chat), secret) == 200
        await fake.wait_for(lambda f: all(_welcomed(f, c) == 1 for c in [*BEFORE, *DURING]), 30)
