"""The Telegram channel: python-telegram-bot's Application wired to the conversation service."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.app import App
from bot.channels.handoff import Handoff
from bot.channels.ratelimit import Limits
from bot.channels.telegram.files import FileIds
from bot.channels.telegram.inbound import incoming
from bot.channels.telegram.polling import Poller
from bot.channels.telegram.screens import ChatScreens
from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.updates import PerChatUpdateProcessor
from bot.channels.worker import OutboxWorker
from bot.engine import texts

log = logging.getLogger(__name__)
CHANNEL = "telegram"
# ~30 messages a second overall and about one a second per chat, with short bursts for the two
# or three messages of one reply (core.telegram.org/bots/faq). At most 29 calls in any second,
# paced at 30 a second, keeps every 1-second window at Telegram's 30 or fewer with room for a
# call that arrives late (bench/broadcast.py measures it against a server refusing more).
LIMITS = Limits(overall_rate=30, overall_burst=1, chat_rate=1, chat_burst=3, overall_window=29)


@dataclass(frozen=True)
class TelegramSettings:
    """How to reach the Bot API."""

    token: str
    api_root: str = "https://api.telegram.org"
    poll_timeout: float = 30.0


class TelegramChannel:
    """Receives updates (polling or webhook), hands them to the conversation, sends replies."""

    def __init__(self, app: App, settings: TelegramSettings, limits: Limits = LIMITS) -> None:
        self.app = app
        self.settings = settings
        self.application = _build(settings)
        self.files = FileIds(app.db)
        screens = ChatScreens(app.db)
        sender = TelegramSender(self.application.bot, self.files, app.config.flows_dir, screens)
        clock = app.conversation.clock
        self.worker = OutboxWorker(app.db, CHANNEL, sender, limits, lambda: clock().isoformat())
        self.handoff = Handoff(app, CHANNEL)
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.poller = Poller(self.application, settings.poll_timeout)
        self._callbacks: set[asyncio.Task[None]] = set()

    async def start(self, polling: bool = True) -> None:
        """Connect, publish the command menu, resend what is unsent, and start receiving."""
        await self.application.initialize()
        await self.files.load()
        await self._publish_commands()
        await self.worker.start()
        self.app.conversation.route(CHANNEL, self.worker.add)
        await self.application.start()
        if polling:
            await self.poller.start()

    def background(self) -> list[asyncio.Task[None]]:
        """The tasks that receive updates; the process must not outlive them."""
        return self.poller.background()

    async def stop(self) -> None:
        """Stop receiving, finish the updates and sends under way, and disconnect."""
        await self.poller.stop()
        if self.application.running:
            await self.application.stop()
        await self.worker.stop()
        if self._callbacks:
            await asyncio.wait(self._callbacks, timeout=5)
        await self.application.shutdown()

    async def _on_update(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await self.receive(update)

    async def receive(self, update: Update, wait: bool = True) -> None:
        """Handle one update and queue its replies; while the store cannot write, wait for it
        (polling: nothing is confirmed meanwhile) or, with `wait` False (a webhook), raise
        StoreUnwritable so that Telegram delivers the update again."""
        if update.callback_query is not None:  # answered beside the handling, not before it
            task = asyncio.create_task(_answer_callback(update))
            self._callbacks.add(task)
            task.add_done_callback(self._callbacks.discard)
        item = incoming(update)
        if item is not None:
            self.worker.add(await self.handoff.handle(item, wait))

    async def _publish_commands(self) -> None:
        bot = self.application.bot
        for lang in self.app.config.languages:
            tr = self.app.conversation.tr
            commands = [BotCommand(w, tr.ui(lang, d)) for w, d in texts.WORD_DESCRIPTIONS.items()]
            if lang == self.app.config.languages[0]:
                await bot.set_my_commands(commands)
            if len(lang) == 2:  # Telegram knows two-letter (ISO 639-1) language codes only
                await bot.set_my_commands(commands, language_code=lang)


def _build(settings: TelegramSettings) -> Application:  # type: ignore[type-arg]
    root = settings.api_root.rstrip("/")
    return (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .concurrent_updates(PerChatUpdateProcessor())
        .updater(None)
        .build()
    )


async def _answer_callback(update: Update) -> None:
    """Every tapped button gets its spinner stopped, whatever the tap turns out to mean."""
    query = update.callback_query
    assert query is not None
    try:
        await query.answer()
    except Exception:  # a late or repeated answer is refused by Telegram; nothing to redo
        log.info("a callback query could not be answered")
