"""Sends one outbox delivery through the Bot API: media, text in pieces, buttons as a keyboard."""

from __future__ import annotations

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
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.delivery import PartSent, Rejected, RetryLater, Unreachable
from bot.channels.render import media_path
from bot.channels.telegram.files import FileIds
from bot.channels.telegram.polling import seconds_of
from bot.channels.text import split_text
from bot.engine.flow import Media
from bot.engine.types import Outbound
from bot.store.writes import Delivery

TEXT_MAX = 4096
METHODS = {"image": "send_photo", "video": "send_video", "audio": "send_audio"}
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


class TelegramSender:
    """Turns a delivery into Bot API calls; each media file and each piece of text is a part."""

    def __init__(self, bot: Bot, files: FileIds, flows_dir: Path) -> None:
        self.bot = bot
        self.files = files
        self.flows_dir = flows_dir

    def parts(self, delivery: Delivery) -> int:
        """How many calls the delivery takes."""
        return len(delivery.message.media) + len(split_text(delivery.message.text, TEXT_MAX))

    async def send(self, delivery: Delivery, first_part: int, part_sent: PartSent) -> None:
        """Send the parts not yet sent, recording each one as soon as Telegram has it."""
        message = delivery.message
        chunks = split_text(message.text, TEXT_MAX)
        calls: list[tuple[str, Any]] = [("media", m) for m in message.media]
        calls += [("text", (chunk, i == len(chunks) - 1)) for i, chunk in enumerate(chunks)]
        for number, (kind, item) in enumerate(calls):
            if number < first_part:
                continue
            await _classified(self._call(delivery.external_id, message, kind, item))
            await part_sent(number + 1)

    async def _call(self, chat: str, message: Outbound, kind: str, item: Any) -> None:
        if kind == "media":
            await self._media(chat, item)
            return
        text, last = item
        markup = keyboard(message) if last else None
        await self.bot.send_message(chat_id=chat, text=text, reply_markup=markup)

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
