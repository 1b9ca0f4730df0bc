"""The ticker runs every job with the time now; one failing job does not stop the others."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import pytest

from bot.ticker import Ticker

NOON = datetime(2026, 12, 2, 12, 0)


async def test_every_job_runs_with_the_clock_and_a_failure_is_logged_without_data(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[tuple[str, datetime]] = []

    async def failing(now: datetime) -> None:
        raise ValueError("resident Nguyễn Văn A, 0912345678")

    async def counting(now: datetime) -> None:
        seen.append(("counting", now))

    ticker = Ticker(lambda: NOON)
    ticker.add("failing", failing)
    ticker.add("counting", counting)
    with caplog.at_level(logging.ERROR):
        await ticker.tick()
    assert seen == [("counting", NOON)]
    assert "failing failed (ValueError)" in caplog.text
    assert "0912345678" not in caplog.text


async def test_started_it_ticks_until_stopped() -> None:
    ticks = asyncio.Event()
    count = 0

    async def job(now: datetime) -> None:
        nonlocal count
        count += 1
        if count == 3:
            ticks.set()

    ticker = Ticker(lambda: NOON, every=0.01)
    ticker.add("job", job)
    ticker.start()
    await asyncio.wait_for(ticks.wait(), 10)
    await ticker.stop()
    stopped_at = count
    await asyncio.sleep(0.05)
    assert count == stopped_at >= 3
