"""`danvan run` killed (SIGKILL) in the middle of a 1,000-resident broadcast and started again:
every resident gets the message exactly once, and the report says so."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from bot.app import open_app
from bot.broadcasts.audience import Audience
from bot.config import load_config
from tests.broadcasts.helpers import broadcast, seed
from tests.channels.process import rows, start_run
from tests.conftest import BASIC_FLOWS, ROOT
from tests.fakes.telegram_server import FakeTelegram

CHATS = range(10_001, 11_001)
NEWS = "Thứ Sáu công an xã làm VNeID mức 2 tại nhà văn hoá."
BULK_SENT = "SELECT COUNT(*) FROM outbox WHERE bulk = 1 AND sent_at IS NOT NULL"


def always_open(tmp: Path) -> Path:
    """danvan.yaml without quiet hours, so the test runs at any hour."""
    text = (ROOT / "danvan.yaml").read_text(encoding="utf-8")
    quiet = 'quiet_hours: {start: "21:00", end: "06:30"}'
    assert quiet in text  # the sample's quiet hours, which hold broadcasts too
    config = tmp / "danvan.yaml"
    open_ = 'quiet_hours: {start: "00:00", end: "00:00"}'
    config.write_text(text.replace(quiet, open_), encoding="utf-8")
    return config


def news(fake: FakeTelegram) -> dict[int, int]:
    counts: dict[int, int] = {}
    for call in fake.sent():
        if NEWS in (call.text or ""):
            counts[int(call.chat_id)] = counts.get(int(call.chat_id), 0) + 1
    return counts


async def test_killed_mid_broadcast_a_restart_sends_every_message_exactly_once(
    tmp_path: Path,
) -> None:
    db, config_path = tmp_path / "d.db", always_open(tmp_path)
    app = await open_app(load_config(config_path, env={}, db=db, flows=BASIC_FLOWS))
    await seed(app, CHATS)
    await broadcast(app, NEWS, Audience(villages=("na_khau",)), now=app.conversation.clock())
    await app.close()
    with FakeTelegram() as fake:
        env = {"TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_API_URL": fake.base_url.removesuffix("/bot")}  # fmt: skip
        extra = ["--config", str(config_path)]
        proc = await start_run(db, env, extra)
        await fake.wait_for(lambda f: len(news(f)) >= 300, timeout=120)
        fake.fail_with_5xx(n=1_000_000, method="*")  # nothing more gets through
        await fake.wait_for(lambda f: rows(db, BULK_SENT) == [(len(news(f)),)], timeout=30)
        proc.kill()
        await proc.wait()
        assert 300 <= len(news(fake)) < len(CHATS)
        fake.clear_faults()
        proc = await start_run(db, env, extra)
        await fake.wait_for(lambda f: len(news(f)) == len(CHATS), timeout=180)
        done = "SELECT status FROM broadcasts"
        await fake.wait_for(lambda f: rows(db, done) == [("done",)], timeout=30)
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=30) == 0
    assert set(news(fake).values()) == {1}
    states = "SELECT state, COUNT(*) FROM broadcast_recipients GROUP BY state"
    assert rows(db, states) == [("sent", len(CHATS))]
