"""A scheduled broadcast goes at its time; one due in the quiet hours waits for the morning."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.broadcasts.audience import Audience
from tests.broadcasts.helpers import MORNING, broadcast, seed
from tests.channels.drivers import TelegramDriver, wait_until

CHATS = range(3001, 3006)


@pytest.fixture
async def tg(tmp_path: Path) -> AsyncIterator[TelegramDriver]:
    async with TelegramDriver(tmp_path / "d.db") as running:
        await seed(running.app, CHATS)
        yield running


def reached(tg: TelegramDriver) -> int:
    return sum(1 for chat in CHATS if tg.fake.texts(chat))


async def test_a_scheduled_broadcast_goes_at_its_time_not_before(tg: TelegramDriver) -> None:
    at = MORNING + timedelta(hours=2)
    await broadcast(tg.app, "Họp lúc 11 giờ.", Audience(), now=MORNING, send_at=at)
    tick = tg.app.broadcasts.sending.tick
    await tick(at - timedelta(minutes=1))
    await tg.drain()
    assert reached(tg) == 0
    assert tg.query("SELECT status FROM broadcasts") == [("scheduled",)]
    await tick(at)
    await wait_until(lambda: reached(tg) == len(CHATS))
    await tg.drain()
    await tick(at + timedelta(seconds=5))
    assert tg.query("SELECT status FROM broadcasts") == [("done",)]
    assert tg.query("SELECT state, COUNT(*) FROM broadcast_recipients GROUP BY state") == [
        ("sent", len(CHATS))
    ]


async def test_one_due_in_the_quiet_hours_waits_for_the_morning(tg: TelegramDriver) -> None:
    evening = MORNING.replace(hour=21, minute=30)
    await broadcast(tg.app, "Mai cúp điện.", Audience(), now=evening)  # "now", at 21:30
    tick = tg.app.broadcasts.sending.tick
    for hour in (22, 23):
        await tick(evening.replace(hour=hour))
    await tick(evening.replace(hour=6, minute=29) + timedelta(days=1))
    await tg.drain()
    assert reached(tg) == 0
    assert tg.query("SELECT COUNT(*) FROM outbox WHERE bulk = 1") == [(0,)]
    await tick(evening.replace(hour=6, minute=30) + timedelta(days=1))
    await wait_until(lambda: reached(tg) == len(CHATS))
