"""The real python-telegram-bot Application, our channel and store, against a fake Bot API."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Any

from bot.app import App, open_app
from bot.channels.http import HttpEndpoint
from bot.channels.ratelimit import Limits
from bot.channels.telegram.channel import TelegramChannel, TelegramSettings
from bot.config import Config
from bot.run import start_webhook
from tests.fakes.telegram_server import Call, FakeTelegram

# Telegram's real per-chat pace (about one message a second) would make every exchange of a
# test wait; the limits themselves are measured by bench/telegram.py.
TEST_LIMITS = Limits(overall_rate=1000, overall_burst=100, chat_rate=100, chat_burst=100)


class Harness:
    """A running channel and what residents see of it."""

    def __init__(self, fake: FakeTelegram, app: App, channel: TelegramChannel) -> None:
        self.fake = fake
        self.app = app
        self.channel = channel

    async def settle(self, chat: int, before: int, timeout: float = 15.0) -> None:
        """Wait until the chat got a reply to what was pushed, and nothing is left to send."""

        def done(fake: FakeTelegram) -> bool:
            queue = self.channel.application.update_queue
            return (
                len(fake.sent(chat)) > before and queue.empty() and not self.channel.worker.pending
            )

        await self.fake.wait_for(done, timeout)

    async def text(self, chat: int, text: str) -> list[str]:
        """The resident types; returns the texts of the replies."""
        before = len(self.fake.sent(chat))
        self.fake.push_text(chat, text)
        await self.settle(chat, before)
        return said(self.fake.sent(chat)[before:])

    async def command(self, chat: int, command: str, payload: str = "") -> list[str]:
        """The resident sends a /command (with a deep-link payload for /start)."""
        before = len(self.fake.sent(chat))
        self.fake.push_command(chat, command, payload)
        await self.settle(chat, before)
        return said(self.fake.sent(chat)[before:])

    async def tap(self, chat: int, label: str) -> list[str]:
        """The resident taps the inline button with this label in the last keyboard shown."""
        return await self.press(chat, self.button(chat, label))

    async def press(self, chat: int, data: str) -> list[str]:
        """The resident taps a button carrying `data` (old or new)."""
        before = len(self.fake.sent(chat))
        self.fake.push_callback(chat, data)
        await self.settle(chat, before)
        return said(self.fake.sent(chat)[before:])

    def button(self, chat: int, label: str) -> str:
        """The callback data of the button with this label in the last inline keyboard."""
        for row in self.keyboard(chat):
            for button in row:
                if button["text"] == label:
                    return str(button["callback_data"])
        raise AssertionError(f"no button {label!r} in {self.keyboard(chat)}")

    def keyboard(self, chat: int) -> list[list[dict[str, Any]]]:
        """The rows of the last inline keyboard sent to the chat."""
        for call in reversed(self.fake.sent(chat)):
            markup = call.params.get("reply_markup") or {}
            if "inline_keyboard" in markup:
                return list(markup["inline_keyboard"])
        return []

    def last(self, chat: int) -> Call:
        """The last message sent to the chat."""
        return self.fake.sent(chat)[-1]

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """Read the database file as a report would."""
        with closing(sqlite3.connect(self.app.config.db_path)) as conn:
            return conn.execute(sql, params).fetchall()

    async def onboard(self, chat: int, village: str = "Nà Khau") -> None:
        """Start, consent, name, village, new household."""
        await self.command(chat, "start")
        await self.tap(chat, "Đồng ý")
        await self.text(chat, "Lan")
        await self.text(chat, "bác")
        await self.tap(chat, village)
        await self.tap(chat, "Hộ mới")


def said(calls: list[Call]) -> list[str]:
    """The texts of the messages sent; edits that only take old buttons off are left out."""
    return [c.text or "" for c in calls if c.method != "editMessageReplyMarkup"]


def settings_for(fake: FakeTelegram) -> TelegramSettings:
    """Settings that point python-telegram-bot at the fake server."""
    root = fake.base_url.removesuffix("/bot")
    return TelegramSettings(token=fake.token, api_root=root, poll_timeout=1)


@asynccontextmanager
async def running(fake: FakeTelegram, config: Config) -> AsyncIterator[Harness]:
    """The app and the Telegram channel, polling the fake, until the block ends."""
    app = await open_app(config)
    channel = TelegramChannel(app, settings_for(fake), TEST_LIMITS)
    await channel.start()
    try:
        yield Harness(fake, app, channel)
    finally:
        await channel.stop()
        await app.close()


def db_path(harness: Harness) -> Path:
    """The database file of a harness."""
    return harness.app.config.db_path


async def post_update(
    port: int, body: bytes, secret: str | None, path: str = "/hook"
) -> int | None:
    """POST an update as Telegram does; the status, or None when the server gave none."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    header = f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n" if secret is not None else ""
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{header}\r\n"
    writer.write(head.encode() + body)
    await writer.drain()
    line = (await reader.readline()).split()
    writer.close()
    return int(line[1]) if len(line) > 1 else None


def start_update(update_id: int, chat: int) -> bytes:
    """The body of an update: /start in a private chat."""
    message = {
        "message_id": 1, "date": 0, "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "chat": {"id": chat, "type": "private"},
        "from": {"id": chat, "is_bot": False, "first_name": "Lan"},
    }  # fmt: skip
    return json.dumps({"update_id": update_id, "message": message}).encode()


@asynccontextmanager
async def webhook_running(
    fake: FakeTelegram, config: Config
) -> AsyncIterator[tuple[App, HttpEndpoint, str]]:
    """The app and the Telegram channel in webhook mode on a local endpoint: (app, endpoint,
    the secret Telegram was given); stopped and closed after."""
    app = await open_app(config)
    channel = TelegramChannel(app, settings_for(fake))
    await channel.start(polling=False)
    server = HttpEndpoint("127.0.0.1", 0)
    await server.start()
    try:
        yield app, server, await start_webhook(channel, "https://bot.example/hook", server)
    finally:
        await server.stop()
        await channel.stop()
        await app.close()
