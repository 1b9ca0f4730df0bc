"""One way to talk to the bot on every channel, for scenarios that must hold on all of them.

Each driver is an async context manager that starts a fake messenger, the app on a database file
and the real channel (with relaxed rate limits), and plays a resident: `start`, `send_text`,
`choose` (a button tap, or on the Zalo Bot Platform the option's number typed), duplicated and
stale events, faults, and a restart on the same database file. Residents are named by the test
("lan"); each driver gives them ids of its messenger's shape.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import sqlite3
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar, Protocol, Self

from telegram import Update

import bot.channels.zalo.sender as zalo_sender
import bot.channels.zalo_oa.sender as oa_sender
from bot.app import App, open_app
from bot.channels.ratelimit import Limits
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.channel import ZaloChannel, ZaloSettings
from bot.channels.zalo_oa.channel import ZaloOAChannel, ZaloOASettings
from bot.config import Config
from bot.engine.types import State
from bot.store.codec import load_state
from tests.channels.telegram_harness import said, settings_for
from tests.conftest import BASIC_FLOWS, config_for
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_oa_server import FakeZaloOA
from tests.fakes.zalo_server import FakeZalo

FAST = Limits(overall_rate=1000, overall_burst=100, chat_rate=100, chat_burst=100)
MEDIA_URL = "http://127.0.0.1:9/media"
QUOTA_PAUSE = 0.2  # instead of five minutes after a quota answer on Zalo
TIMEOUT = 20.0  # a guard against hanging, never a measure


class Driver(Protocol):
    """What a scenario may do with a resident on one channel."""

    name: ClassVar[str]
    channel_name: ClassVar[str]  # as in the identities table
    stale_taps: ClassVar[bool]  # False: options are typed numbers, read as the current answer
    config: Config

    async def __aenter__(self) -> Driver: ...
    async def __aexit__(self, *exc_info: object) -> None: ...
    async def start(self, user: str) -> list[str]:
        """First contact; the texts of the replies."""

    async def send_text(self, user: str, text: str, wait: bool = True) -> list[str]:
        """The resident types; the replies once settled ([] without `wait`)."""

    async def send_sticker(self, user: str) -> list[str]:
        """The resident sends a sticker (none on the terminal); returns the texts answered."""

    async def send_voice(self, user: str) -> list[str]:
        """The resident sends a voice message; returns the texts answered."""

    async def choose(self, user: str, n: int) -> list[str]:
        """The n-th option (1-based) of the last prompt: tapped, or its number typed."""

    async def redeliver_last(self, user: str) -> None:
        """The messenger delivers the resident's last event again, exactly as before."""

    async def deliver_stale_tap(self, user: str, prompt_back: int = 1) -> list[str]:
        """The first option of the prompt `prompt_back` prompts before the current one (on the
        Zalo Bot Platform its number typed, which can only answer the current question)."""

    def fail_429(self, n: int) -> None: ...
    def fail_5xx(self, n: int) -> None: ...
    def clear_faults(self) -> None: ...
    def refused(self) -> int:
        """How many sends were answered with a fault so far."""

    async def restart(self) -> None:
        """Stop the channel and app cleanly and open them again on the same database file."""

    async def drain(self) -> None:
        """Wait until nothing is queued or being sent."""

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]: ...
    def state(self, user: str) -> State: ...
    def texts(self, user: str) -> list[str]: ...


class _Running:
    """Entering starts the fakes and the app; leaving stops them; a restart keeps the file."""

    _stack: ExitStack

    def _prepare(self, stack: ExitStack) -> None:
        raise NotImplementedError

    async def _open(self) -> None:
        raise NotImplementedError

    async def _close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        self._prepare(self._stack)
        try:
            await self._open()
        except BaseException:
            self._stack.close()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            await self._close()
        finally:
            self._stack.close()

    async def restart(self) -> None:
        """Stop the channels and the app, and open them again on the same database file."""
        await self._close()
        await self._open()


class _Base(_Running):
    """The app, the channel and its restart; what is the same on every channel."""

    name: ClassVar[str]
    channel_name: ClassVar[str]
    stale_taps: ClassVar[bool] = True
    patched: ClassVar[tuple[ModuleType, ...]] = ()
    fake: Any  # the messenger's fake server

    def __init__(self, db: Path, flows: Path = BASIC_FLOWS) -> None:
        self.config = config_for(db, flows)
        self._users: dict[str, int] = {}
        self._stack = ExitStack()
        self._app: App | None = None
        self._channel: Any = None

    @property
    def app(self) -> App:
        assert self._app is not None, "not running"
        return self._app

    def _prepare(self, stack: ExitStack) -> None:
        self._enter(stack)
        for module in self.patched:
            stack.enter_context(_patched(module, "QUOTA_PAUSE", QUOTA_PAUSE))

    async def _open(self) -> None:
        self._app = await open_app(self.config)
        self._channel = self._make_channel(self._app)
        await self._channel.start()

    async def _close(self) -> None:
        if self._channel is not None:
            await self._channel.stop()
            self._channel = None
        if self._app is not None:
            await self._app.close()
            self._app = None

    async def drain(self) -> None:
        await asyncio.wait_for(self._channel.worker.drained(), TIMEOUT)

    def id(self, user: str) -> Any:
        """The resident's id on this messenger."""
        return self._id_of(self._users.setdefault(user, len(self._users) + 1))

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with contextlib.closing(sqlite3.connect(self.config.db_path)) as conn:
            return conn.execute(sql, params).fetchall()

    def state(self, user: str) -> State:
        rows = self.query(
            "SELECT r.state FROM residents r JOIN identities i ON i.resident_id = r.id"
            " WHERE i.channel = ? AND i.external_id = ?",
            (self.channel_name, str(self.id(user))),
        )
        assert len(rows) == 1, rows
        return load_state(str(rows[0][0]))

    def fail_5xx(self, n: int) -> None:
        self.fake.fail_with_5xx(n=n, method="*")

    def clear_faults(self) -> None:
        self.fake.clear_faults()

    def refused(self) -> int:
        return sum(1 for c in self.fake.calls if c.status in (429, 502))

    def texts(self, user: str) -> list[str]:
        return self.fake.texts(self.id(user))

    def _id_of(self, number: int) -> Any:
        raise NotImplementedError

    def _enter(self, stack: ExitStack) -> None:
        raise NotImplementedError

    def _make_channel(self, app: App) -> Any:
        raise NotImplementedError


class TelegramDriver(_Base):
    """python-telegram-bot's Application polling FakeTelegram; choices are inline buttons."""

    name = "telegram"
    channel_name = "telegram"

    def __init__(self, db: Path, flows: Path = BASIC_FLOWS) -> None:
        super().__init__(db, flows)
        self.fake = FakeTelegram()
        self._last: dict[int, dict[str, Any]] = {}

    def _id_of(self, number: int) -> int:
        return 1000 + number

    def _enter(self, stack: ExitStack) -> None:
        stack.enter_context(self.fake)

    def _make_channel(self, app: App) -> TelegramChannel:
        return TelegramChannel(app, settings_for(self.fake), FAST)

    async def start(self, user: str) -> list[str]:
        return await self._push(user, lambda chat: self.fake.push_command(chat, "start"))

    async def send_text(self, user: str, text: str, wait: bool = True) -> list[str]:
        return await self._push(user, lambda chat: self.fake.push_text(chat, text), wait)

    async def choose(self, user: str, n: int) -> list[str]:
        return await self._tap(user, self._keyboards(self.id(user))[-1], n)

    async def send_sticker(self, user: str) -> list[str]:
        return await self._push(user, self.fake.push_sticker)

    async def send_voice(self, user: str) -> list[str]:
        return await self._push(user, self.fake.push_voice)

    async def deliver_stale_tap(self, user: str, prompt_back: int = 1) -> list[str]:
        chat = self.id(user)
        keyboards = self._keyboards(chat)
        current = self._markup(self.fake.sent(chat)[-1]) is not None
        return await self._tap(user, keyboards[-prompt_back - int(current)], 1)

    async def redeliver_last(self, user: str) -> None:
        """As Telegram sends an update again (to the webhook, or after a crash before the poll
        confirmed it): straight to the Application, since the fake, like Telegram, never hands
        out an update a later poll confirmed."""
        application = self._channel.application
        update = Update.de_json(copy.deepcopy(self._last[self.id(user)]), application.bot)
        assert update is not None
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
        await self.drain()

    def fail_429(self, n: int) -> None:
        self.fake.fail_with_429(n=n, retry_after=1, method="*")

    async def _tap(self, user: str, keyboard: tuple[int, list[str]], n: int) -> list[str]:
        message_id, payloads = keyboard
        push = lambda chat: self.fake.push_callback(chat, payloads[n - 1], message_id)  # noqa: E731
        return await self._push(user, push)

    def _keyboards(self, chat: int) -> list[tuple[int, list[str]]]:
        """(message id, callback data) of each inline keyboard sent to the chat, in order."""
        found = []
        for call in self.fake.sent(chat):
            rows = self._markup(call)
            if rows is not None:
                data = [str(b["callback_data"]) for row in rows for b in row]
                found.append((int(call.result["message_id"]), data))
        return found

    @staticmethod
    def _markup(call: Any) -> list[list[dict[str, Any]]] | None:
        return (call.params.get("reply_markup") or {}).get("inline_keyboard")

    async def _push(self, user: str, push: Callable[[int], int], wait: bool = True) -> list[str]:
        chat = self.id(user)
        before = len(self.fake.sent(chat))
        update_id = push(chat)
        # Still queued: the fake drops an update only when a later poll confirms it.
        self._last[chat] = next(
            u for u in self.fake.pending_updates() if u["update_id"] == update_id
        )
        if not wait:
            return []
        await self.fake.wait_for(
            lambda f: len(f.sent(chat)) > before and not self._channel.worker.pending, TIMEOUT
        )
        return said(self.fake.sent(chat)[before:])


class ZaloBotDriver(_Base):
    """ZaloChannel polling FakeZalo; no buttons on this platform: options are typed numbers."""

    name = "zalo_bot"
    channel_name = "zalo"
    stale_taps = False
    patched = (zalo_sender,)

    def __init__(self, db: Path, flows: Path = BASIC_FLOWS) -> None:
        super().__init__(db, flows)
        self.fake = FakeZalo()
        self._last: dict[str, dict[str, Any]] = {}
        self._typed: dict[str, list[int]] = {}  # the option counts of the prompts answered

    def _id_of(self, number: int) -> str:
        return f"6ede9afa5b1eb240{number:04x}"

    def _enter(self, stack: ExitStack) -> None:
        stack.enter_context(self.fake)

    def _make_channel(self, app: App) -> ZaloChannel:
        settings = ZaloSettings(
            token=self.fake.token, api_url=self.fake.base_url, media_url=MEDIA_URL, poll_wait=1
        )
        return ZaloChannel(app, settings, FAST)

    async def start(self, user: str) -> list[str]:
        return await self.send_text(user, "Xin chào")

    async def send_text(self, user: str, text: str, wait: bool = True) -> list[str]:
        return await self._send(user, lambda chat: self.fake.push_text(chat, text), wait)

    async def send_sticker(self, user: str) -> list[str]:
        return await self._send(user, self.fake.push_sticker)

    async def send_voice(self, user: str) -> list[str]:
        return await self._send(user, self.fake.push_voice)

    async def _send(
        self, user: str, push: Callable[[str], dict[str, Any]], wait: bool = True
    ) -> list[str]:
        chat = self.id(user)
        before = len(self.fake.sent(chat))
        self._last[chat] = push(chat)
        if not wait:
            return []
        await self.fake.wait_for(
            lambda f: (
                len(f.sent(chat)) > before and not f.pending() and not self._channel.worker.pending
            ),
            TIMEOUT,
        )
        return self.fake.texts(chat)[before:]

    async def choose(self, user: str, n: int) -> list[str]:
        return await self.send_text(user, str(n))

    async def deliver_stale_tap(self, user: str, prompt_back: int = 1) -> list[str]:
        """A number meant for an earlier question: typed numbers carry no question, so it can
        only be read against the current one."""
        return await self.send_text(user, "1")

    async def redeliver_last(self, user: str) -> None:
        """The platform hands the same event out again (one poller: handled before the next)."""
        self.fake.push_raw(self._last[self.id(user)])
        await self.fake.wait_for(lambda f: not f.pending(), TIMEOUT)
        await self.drain()

    def fail_429(self, n: int) -> None:
        self.fake.fail_with_429(n=n, method="*")


class ZaloOADriver(_Base):
    """ZaloOAChannel fed signed webhook events by FakeZaloOA; choices are template buttons (a
    numbered list, answered by number, when there are more than a template holds)."""

    name = "zalo_oa"
    channel_name = "zalo_oa"
    patched = (oa_sender,)

    def __init__(self, db: Path, flows: Path = BASIC_FLOWS) -> None:
        super().__init__(db, flows)
        self.fake = FakeZaloOA()
        self._seed = ""
        self._last: dict[str, dict[str, Any]] = {}

    def _id_of(self, number: int) -> str:
        return f"55210000000000{number:05d}"

    def _enter(self, stack: ExitStack) -> None:
        stack.enter_context(self.fake)
        self._seed = self.fake.grant()

    def _make_channel(self, app: App) -> ZaloOAChannel:
        settings = ZaloOASettings(
            app_id=self.fake.app_id,
            secret_key=self.fake.secret_key,
            refresh_token=self._seed,
            oa_secret=self.fake.oa_secret,
            api_url=self.fake.base_url,
            oauth_url=self.fake.base_url,
            media_url=MEDIA_URL,
        )
        return ZaloOAChannel(app, settings, FAST)

    async def start(self, user: str) -> list[str]:
        return await self._post(user, self.fake.follow_event(self.id(user)))

    async def send_text(self, user: str, text: str, wait: bool = True) -> list[str]:
        return await self._post(user, self.fake.text_event(self.id(user), text), wait)

    async def send_sticker(self, user: str) -> list[str]:
        return await self._post(user, self.fake.sticker_event(self.id(user)))

    async def send_voice(self, user: str) -> list[str]:
        return await self._post(user, self.fake.audio_event(self.id(user)))

    async def choose(self, user: str, n: int) -> list[str]:
        chat = self.id(user)
        shown = self._buttons(self.fake.sent(chat)[-1])
        return await self.send_text(user, shown[n - 1] if shown else str(n))

    async def deliver_stale_tap(self, user: str, prompt_back: int = 1) -> list[str]:
        sent = self.fake.sent(self.id(user))
        templates = [b for b in map(self._buttons, sent) if b]
        current = bool(self._buttons(sent[-1]))
        return await self.send_text(user, templates[-prompt_back - int(current)][0])

    async def redeliver_last(self, user: str) -> None:
        """Zalo sends the event again, stamped and signed anew (the very same request again
        would be refused as a replay); its msg_id is the same."""
        event = {**self._last[self.id(user)], "timestamp": self.fake.stamp()}
        await self._post(user, event)

    def fail_429(self, n: int) -> None:
        self.fake.fail_with_quota(n=n)  # the OA API answers quota with HTTP 200, error -32

    def fail_5xx(self, n: int) -> None:
        self.fake.fail_with_5xx(n=n)

    def refused(self) -> int:
        return sum(1 for c in self.fake.calls if c.status >= 500 or c.error == -32)

    async def _post(self, user: str, event: dict[str, Any], wait: bool = True) -> list[str]:
        """Zalo POSTs the signed event; the webhook answers once it is handled and stored."""
        chat = self.id(user)
        before = len(self.fake.sent(chat))
        self._last[chat] = event
        assert await self._channel.webhook(*self.fake.signed(event)) == 200
        if not wait:
            return []
        await self.drain()
        return self.fake.texts(chat)[before:]

    @staticmethod
    def _buttons(call: Any) -> list[str]:
        payload = (call.message.get("attachment") or {}).get("payload") or {}
        return [str(b["payload"]) for b in payload.get("buttons") or []]


class TelegramAndZalo(_Running):
    """One app on one database file serving Telegram and the Zalo Bot Platform at once: the
    same person, or two people, on two messengers."""

    def __init__(self, db: Path, flows: Path = BASIC_FLOWS) -> None:
        self.telegram = TelegramDriver(db, flows)
        self.zalo = ZaloBotDriver(db, flows)
        self._stack = ExitStack()

    def _prepare(self, stack: ExitStack) -> None:
        self.telegram._enter(stack)
        self.zalo._enter(stack)
        stack.enter_context(_patched(zalo_sender, "QUOTA_PAUSE", QUOTA_PAUSE))

    async def _open(self) -> None:
        app = await open_app(self.telegram.config)
        for driver in (self.telegram, self.zalo):
            driver._app = app
            driver._channel = driver._make_channel(app)
            await driver._channel.start()

    async def _close(self) -> None:
        app = self.telegram._app
        for driver in (self.telegram, self.zalo):
            if driver._channel is not None:
                await driver._channel.stop()
            driver._channel, driver._app = None, None
        if app is not None:
            await app.close()


DRIVERS: dict[str, Callable[..., Driver]] = {
    "telegram": TelegramDriver,
    "zalo_bot": ZaloBotDriver,
    "zalo_oa": ZaloOADriver,
}


async def wait_until(check: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    """Wait until `check()` holds; TimeoutError (a guard, not a measure) if it never does."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.01)


@contextlib.contextmanager
def _patched(module: ModuleType, name: str, value: object) -> Any:
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)
