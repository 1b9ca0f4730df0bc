"""A commune with residents on one messenger and staff on the other, and a clock tests move."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import open_app
from bot.config import Staff
from tests.channels.drivers import TelegramAndZalo, TelegramDriver, ZaloBotDriver, wait_until
from tests.channels.telegram_harness import said

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
STAFF = (  # key in the test, name, role, phone, villages
    ("tien", "Ma Văn Tiến", "propagandist", "0977000103", ("na_khau",)),
    ("hung", "Lò Văn Hùng", "propagandist", None, ("na_khau",)),
    ("lua", "Hoàng Thị Lụa", "propagandist", "0868000104", ("ban_cay",)),
    ("thanh", "Nông Văn Thành", "official", "0912000101", ()),
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=ZONE)

    def __call__(self) -> datetime:
        return self.now


class Commune(TelegramAndZalo):
    """Residents on one messenger, the staff of STAFF on the other."""

    def __init__(self, db: Path, staff_on: str) -> None:
        super().__init__(db)
        self.clock = Clock()
        self.staff = self.zalo if staff_on == "zalo" else self.telegram
        self.residents: TelegramDriver | ZaloBotDriver = (
            self.telegram if staff_on == "zalo" else self.zalo
        )
        members = tuple(
            Staff(name, role, phone, villages, {self.staff.channel_name: str(self.staff.id(key))})
            for key, name, role, phone, villages in STAFF
        )
        self.telegram.config = replace(self.telegram.config, staff=members)

    async def _open(self) -> None:
        app = await open_app(self.telegram.config, self.clock)
        for driver in (self.telegram, self.zalo):
            driver._app = app
            driver._channel = driver._make_channel(app)
            await driver._channel.start()

    async def tick(self) -> None:
        """The timed jobs run once, and what they queued is sent."""
        await self.telegram.app.ticker.tick()
        await self.telegram.drain()
        await self.zalo.drain()

    async def staff_says(self, key: str, text: str) -> list[str]:
        """A staff member types."""
        return await self.staff.send_text(key, text)

    async def staff_taps(self, key: str, label: str) -> list[str]:
        """A staff member taps the button with this label on the last message that has it (on
        the Zalo Bot Platform: types its number)."""
        if isinstance(self.staff, ZaloBotDriver):
            listed = [t for t in self.staff.texts(key) if re.search(r"^1\. ", t, re.M)]
            found = re.search(rf"^(\d+)\. {re.escape(label)}$", listed[-1], re.M)
            if found is None:  # a typed number answers only the last list shown
                raise AssertionError(f"no option {label!r} in the last list shown to {key}")
            return await self.staff.send_text(key, found.group(1))
        return await self._telegram_tap(self.staff, key, label)

    async def forged_tap(self, key: str, payload: str) -> list[str]:
        """A button press the bot never offered (Telegram), or its words typed (Zalo)."""
        if isinstance(self.staff, ZaloBotDriver):
            _, name, arg = payload.split(":")
            return await self.staff.send_text(key, f"/{name} {arg.split('.')[0]}")
        driver = self.staff
        chat = driver.id(key)
        before = len(driver.fake.sent(chat))
        driver.fake.push_callback(chat, payload, 1)
        await self._settled(driver, chat, before)
        return said(driver.fake.sent(chat)[before:])

    @staticmethod
    async def _settled(driver: TelegramDriver, chat: int, before: int) -> None:
        await driver.fake.wait_for(
            lambda f: len(f.sent(chat)) > before and not driver._channel.worker.pending, 20.0
        )

    async def _telegram_tap(self, driver: TelegramDriver, key: str, label: str) -> list[str]:
        chat = driver.id(key)
        for call in reversed(driver.fake.sent(chat)):
            rows: Any = (call.params.get("reply_markup") or {}).get("inline_keyboard") or []
            for button in (b for row in rows for b in row):
                if button["text"] == label:
                    before = len(driver.fake.sent(chat))
                    message_id = int(call.result["message_id"])
                    driver.fake.push_callback(chat, button["callback_data"], message_id)
                    await self._settled(driver, chat, before)
                    return said(driver.fake.sent(chat)[before:])
        raise AssertionError(f"no button {label!r} shown to {key}")

    def heard(self, key: str) -> list[str]:
        """Everything a staff member was sent."""
        return self.staff.texts(key)

    async def hears(self, key: str, part: str) -> None:
        """Wait until a staff member was sent a text containing `part`."""
        await wait_until(lambda: any(part in t for t in self.staff.texts(key)))
