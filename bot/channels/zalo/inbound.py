"""Turns a Zalo Bot Platform event into the engine's Inbound, with the key that dedupes it."""

from __future__ import annotations

from typing import Any

from bot.channels.incoming import Incoming
from bot.engine.types import Inbound


def incoming(event: dict[str, Any]) -> Incoming | None:
    """The event as an Incoming; None for events not from a resident's private chat."""
    message = event.get("message") or {}
    chat = message.get("chat") or {}
    sender = message.get("from") or {}
    if not chat.get("id") or chat.get("chat_type", "PRIVATE") != "PRIVATE" or sender.get("is_bot"):
        return None
    key = f"m{message.get('message_id') or ''}"
    return Incoming(str(chat["id"]), _inbound(str(event.get("event_name", "")), message), key)


def _inbound(name: str, message: dict[str, Any]) -> Inbound:
    if name == "message.image.received" and message.get("photo"):
        return Inbound("file", file_ref=str(message["photo"]))
    return Inbound("text", text=str(message.get("text") or ""))
