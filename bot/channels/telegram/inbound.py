"""Turns a Telegram update into the engine's Inbound, and names the chat it came from."""

from __future__ import annotations

from telegram import Message, Update

from bot.channels.incoming import Incoming
from bot.engine.types import WORDS, Inbound


def incoming(update: Update) -> Incoming | None:
    """The update as an Incoming, or None for updates residents do not send (edits, joins)."""
    chat = update.effective_chat
    if chat is None or chat.type != "private":
        return None
    inbound = _inbound(update)
    if inbound is None:
        return None
    return Incoming(str(chat.id), inbound, f"u{update.update_id}")


def _inbound(update: Update) -> Inbound | None:
    query = update.callback_query
    if query is not None:
        return Inbound("button", payload=query.data or "")
    message = update.message
    if message is None:
        return None
    if message.contact is not None:
        return Inbound("contact", text=message.contact.phone_number)
    if message.photo:
        return Inbound("file", file_ref=message.photo[-1].file_id)
    unreadable = _unreadable(message)  # before `document`, which a GIF carries too
    if unreadable:
        return Inbound(unreadable)
    if message.document is not None:
        return Inbound("file", file_ref=message.document.file_id)
    return _text(message.text or "")


def _unreadable(message: Message) -> str:
    """The kind of a message the bot cannot read ("" for any other): nothing of it is passed on."""
    if message.sticker is not None or message.animation is not None:
        return "sticker"
    if message.voice is not None or message.audio is not None or message.video_note is not None:
        return "voice"
    if message.location is not None or message.venue is not None:
        return "location"
    return "video" if message.video is not None else ""


def _text(text: str) -> Inbound:
    if not text.startswith("/"):
        return Inbound("text", text=text)
    command, _, payload = text[1:].partition(" ")
    command = command.split("@")[0].lower()
    if command == "start":
        return Inbound("start", payload=payload.strip())
    if command in WORDS:
        return Inbound("word", payload=command)
    return Inbound("text", text=text)
