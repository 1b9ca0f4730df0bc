"""One app with a clock the test moves, serving Telegram and the Zalo Bot Platform at once,
each against its local fake; and the `danvan` command as a subprocess."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import open_app
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.channel import ZaloChannel, ZaloSettings
from bot.config import Config
from tests.channels.telegram_harness import TEST_LIMITS, Harness, settings_for
from tests.channels.test_zalo import FAST, Zalo
from tests.conftest import ROOT, config_for
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_server import FakeZalo

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DANVAN = Path(sys.executable).parent / "danvan"


@dataclass
class Clock:
    """The time the bot reads, from now (the command line stamps invitations with the real
    time); tests move it."""

    now: datetime = field(default_factory=lambda: datetime.now(ZONE))

    def __call__(self) -> datetime:
        return self.now

    def move(self, hours: float) -> None:
        self.now += timedelta(hours=hours)


@dataclass
class Both:
    """Telegram and Zalo on one app, and its clock."""

    tg: Harness
    zalo: Zalo
    clock: Clock
    config: Config


@asynccontextmanager
async def both_channels(db: Path, clock: Clock) -> AsyncIterator[Both]:
    """The app with both channels polling their fakes, until the block ends."""
    config = config_for(db)
    with FakeTelegram() as tg_fake, FakeZalo() as zalo_fake:
        app = await open_app(config, clock)
        tg = TelegramChannel(app, settings_for(tg_fake), TEST_LIMITS)
        settings = ZaloSettings(token=zalo_fake.token, api_url=zalo_fake.base_url, poll_wait=1)
        zalo = ZaloChannel(app, settings, FAST)
        await tg.start()
        await zalo.start()
        try:
            yield Both(Harness(tg_fake, app, tg), Zalo(zalo_fake, app, zalo), clock, config)
        finally:
            await zalo.stop()
            await tg.stop()
            await app.close()


def danvan(config: Config, *args: str) -> subprocess.CompletedProcess[str]:
    """`danvan <args>` on this test's database, as an operator runs it."""
    common = ["--config", str(ROOT / "danvan.yaml"), "--db", str(config.db_path)]
    common += ["--flows", str(config.flows_dir)]
    command = [str(DANVAN), *args, *common]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
