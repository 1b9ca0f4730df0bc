"""Sends one outbox delivery through the Bot API: media, text in pieces, buttons as a keyboard."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channels.delivery import PartSent, Rejected, RetryLater, Unreachable
from bot.channels.render import media_path
from bot.channels.telegram.files import FileIds
from bot.channels.telegram.polling import seconds_of
from bot.channels.telegram.screens import ChatScreens
from bot.channels.text import split_text
from bot.engine.flow import Media
from bot.engine.types import Outbound
from bot.store.writes import Delivery

log = logging.getLogger(__name__)
TEXT_MAX = 4096
METHODS = {"image": "send_photo", "video": "send_video", "audio": "send_audio"}
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


class TelegramSender:
    """Turns a delivery into Bot API calls; each media file and each piece of text is a part."""

    def __init__(self, bot: Bot, files: FileIds, flows_dir: Path, screens: ChatScreens) -> None:
        self.bot = bot
        self.files = files
        self.flows_dir = flows_dir
        self.screens = screens

    def parts(self, delivery: Delivery) -> int:
        """How many calls the delivery takes (a reply: one more, for the buttons it takes off)."""
        calls = len(delivery.message.media) + len(split_text(delivery.message.text, TEXT_MAX))
        if delivery.bulk:
            return calls
        return calls + self.screens.edits_before(delivery.external_id, keyboard(delivery.message))

    async def send(self, delivery: Delivery, first_part: int, part_sent: PartSent) -> None:
        """Send the parts not yet sent, recording each one as soon as Telegram has it."""
        message = delivery.message
        chunks = split_text(message.text, TEXT_MAX)
        calls: list[tuple[str, Any]] = [("media", m) for m in message.media]
        calls += [("text", (chunk, i == len(chunks) - 1)) for i, chunk in enumerate(chunks)]
        # a new reply: the question before it has been answered. A broadcast leaves the
        # question on screen (and its buttons) as it is: the resident keeps their place.
        if first_part == 0 and not delivery.bulk:
            await _classified(self._take_buttons_off(delivery.external_id))
        for number, (kind, item) in enumerate(calls):
            if number < first_part:
                continue
            call = self._call(delivery.external_id, message, kind, item, delivery.bulk)
            await _classified(call)
            await part_sent(number + 1)

    async def _call(
        self, chat: str, message: Outbound, kind: str, item: Any, bulk: bool = False
    ) -> None:
        if kind == "media":
            await self._media(chat, item)
            return
        text, last = item
        if last and bulk:
            await self.bot.send_message(chat_id=chat, text=text, reply_markup=keyboard(message))
        elif last:
            await self._question(chat, message, text)
        else:
            await self.bot.send_message(chat_id=chat, text=text)

    async def _question(self, chat: str, message: Outbound, text: str) -> None:
        """The last piece of text carries the buttons; the contact keyboard goes once not asked."""
        screen = await self.screens.get(chat)
        markup = keyboard(message)
        hide = screen.reply_keyboard and not isinstance(markup, ReplyKeyboardMarkup)
        inline = isinstance(markup, InlineKeyboardMarkup)
        first = ReplyKeyboardRemove() if hide else markup  # one markup per message
        sent = await self.bot.send_message(chat_id=chat, text=text, reply_markup=first)
        if hide and isinstance(markup, InlineKeyboardMarkup):  # buttons once the keyboard is gone
            edit = self.bot.edit_message_reply_markup(
                chat_id=chat, message_id=sent.message_id, reply_markup=markup
            )
            inline = await _quietly(edit)
        screen.reply_keyboard = isinstance(markup, ReplyKeyboardMarkup) or (
            screen.reply_keyboard and not hide
        )
        screen.buttons_message = sent.message_id if inline else None
        await self.screens.save(chat, screen)

    async def _take_buttons_off(self, chat: str) -> None:
        """The buttons of the question on screen go: it is answered, or asked again below."""
        screen = await self.screens.get(chat)
        if screen.buttons_message is None:
            return
        edit = self.bot.edit_message_reply_markup(
            chat_id=chat, message_id=screen.buttons_message, reply_markup=None
        )
        await _quietly(edit)  # refused (too old, deleted, already bare): the reply goes on
        screen.buttons_message = None
        await self.screens.save(chat, screen)

    async def _media(self, chat: str, media: Media) -> None:
        path = media_path(media, self.flows_dir)
        method = getattr(self.bot, METHODS.get(media.kind, "send_document"))
        known = path if path.startswith("https://") else self.files.get(path)
        if known is not None:
            await method(chat, known)
            return
        with (self.flows_dir / path).open("rb") as handle:
            sent: Message = await method(chat, InputFile(handle, filename=Path(path).name))
        file_id = _file_id(sent)
        if file_id:
            await self.files.remember(path, file_id)


def keyboard(message: Outbound) -> Markup:
    """Buttons as an inline keyboard, one per row; a phone question gets a share-contact button."""
    if message.buttons:
        rows = [[InlineKeyboardButton(b.label, callback_data=b.payload)] for b in message.buttons]
        return InlineKeyboardMarkup(rows)
    if message.request == "phone" and message.request_label:
        button = KeyboardButton(message.request_label, request_contact=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    return None


async def _quietly(call: Awaitable[Any]) -> bool:
    """An edit that may be refused (too old, deleted, unchanged) without failing the reply."""
    try:
        await call
    except Forbidden:  # blocked: nothing more goes to this chat
        raise
    except TelegramError as exc:
        log.info("Telegram refused to change an old message: %s", type(exc).__name__)
        return False
    return True


def _file_id(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id
    for attachment in (message.video, message.audio, message.document, message.voice):
        if attachment is not None:
            return attachment.file_id
    return None


async def _classified(call: Any) -> None:
    """Await a Bot API call, turning its errors into what the outbox worker acts on."""
    try:
        await call
    except RetryAfter as exc:
        seconds = seconds_of(exc.retry_after)
        raise RetryLater(seconds, "Telegram asked to slow down", everyone=True) from exc
    except Forbidden as exc:
        raise Unreachable(str(exc)) from exc
    except BadRequest as exc:
        raise Rejected(exc.message) from exc
    except (TimedOut, NetworkError) as exc:
        raise RetryLater(1.0, f"network: {type(exc).__name__}") from exc
