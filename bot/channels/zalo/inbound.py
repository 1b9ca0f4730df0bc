"""Turns a Zalo Bot Platform event into the engine's Inbound, with the key that dedupes it."""

from __future__ import annotations

from typing import Any

from bot.channels.dedupe import content_key
from bot.channels.incoming import Incoming
from bot.engine.types import Inbound

# Events the bot cannot read, by the kind the engine answers kindly; nothing of them is passed on.
# Only the sticker and voice events are documented; the others are kept should they come.
UNREADABLE = {
    "message.sticker.received": "sticker",
    "message.voice.received": "voice",
    "message.audio.received": "voice",
    "message.location.received": "location",
    "message.video.received": "video",
    "message.gif.received": "sticker",
}


def event_of(body: object) -> dict[str, Any]:
    """The event of a webhook body: the documented `{"ok": true, "result": {event}}` or the bare
    event. ValueError for anything else, or for an event without a name or a chat."""
    if not isinstance(body, dict):
        raise ValueError("not a JSON object")
    event: object = body
    if "ok" in body or "result" in body:
        if body.get("ok") is not True:
            raise ValueError("not an ok result")
        event = body.get("result")
    if not isinstance(event, dict):
        raise ValueError("no event")
    message = event.get("message")
    name = event.get("event_name")
    if not isinstance(name, str) or not name or not isinstance(message, dict):
        raise ValueError("not an event")
    chat = message.get("chat")
    if not isinstance(chat, dict) or not isinstance(chat.get("id"), str | int) or not chat["id"]:
        raise ValueError("an event without a chat")
    return event


def incoming(event: dict[str, Any]) -> Incoming | None:
    """The (readable) event as an Incoming; None for events not from a resident's private chat."""
    message = event.get("message") or {}
    chat = message.get("chat") or {}
    sender = message.get("from") or {}
    if not chat.get("id") or chat.get("chat_type", "PRIVATE") != "PRIVATE" or sender.get("is_bot"):
        return None
    message_id = message.get("message_id")
    key = f"m{message_id}" if message_id else content_key(event)
    return Incoming(str(chat["id"]), _inbound(str(event.get("event_name", "")), message), key)


def _inbound(name: str, message: dict[str, Any]) -> Inbound:
    if name == "message.image.received" and message.get("photo"):
        return Inbound("file", file_ref=str(message["photo"]))
    if name in UNREADABLE:
        return Inbound(UNREADABLE[name])
    return Inbound("text", text=str(message.get("text") or ""))
