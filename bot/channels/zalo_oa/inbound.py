"""Zalo OA webhook events: the signature check, and each event as the engine's Inbound."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot.channels.dedupe import content_key
from bot.channels.incoming import Incoming
from bot.engine.types import Inbound

SIGNATURE_HEADER = "X-ZEvent-Signature"
TIMESTAMP_HEADER = "X-ZEvent-Timestamp"
# `<prompt>.<option>`, as the engine makes them (ASCII digits only)
PAYLOAD_SHAPE = re.compile(r"[0-9]{1,9}\.[0-9]{1,2}", re.ASCII)
TAPS_KEPT = 32  # button payloads remembered per resident (those of their last few questions)
CHATS_KEPT = 50_000
IsTap = Callable[[str, str], bool]
# Events the bot cannot read, by the kind the engine answers kindly; nothing of them is passed on.
UNREADABLE = {
    "user_send_sticker": "sticker",
    "user_send_gif": "sticker",
    "user_send_audio": "voice",
    "user_send_location": "location",
    "user_send_video": "video",
}


def verify_signature(headers: Mapping[str, str], body: bytes, app_id: str, secret: str) -> bool:
    """Whether `X-ZEvent-Signature` is `mac=` + hex sha256(app_id + body + timestamp + secret)."""
    return signed_stamp(headers, body, app_id, secret) is not None


def signed_stamp(headers: Mapping[str, str], body: bytes, app_id: str, secret: str) -> str | None:
    """The time stamp a valid `X-ZEvent-Signature` was made with; None when it is not valid.

    UNVERIFIED against Zalo: the formula is from public descriptions, which disagree on details.
    The timestamp is taken from the body's `timestamp` field, or from an `X-ZEvent-Timestamp`
    header when one is sent; the `mac=` prefix is optional. Compared in constant time.
    """
    given = signature_of(headers)
    if not given or not secret:
        return None
    matched = None
    for stamp in _timestamps(headers, body):
        signed = app_id.encode() + body + stamp.encode() + secret.encode()
        expected = hashlib.sha256(signed).hexdigest()
        if hmac.compare_digest(given.encode(), expected.encode()):
            matched = stamp
    return matched


def signature_of(headers: Mapping[str, str]) -> str:
    """The signature header's hex digest, lower case, without its `mac=` prefix ("" if none)."""
    given = _header(headers, SIGNATURE_HEADER).strip()
    return (given[4:] if given.lower().startswith("mac=") else given).lower()


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), "")


def _timestamps(headers: Mapping[str, str], body: bytes) -> list[str]:
    stamps = [_header(headers, TIMESTAMP_HEADER)]
    try:
        event = json.loads(body)
    except ValueError:
        event = None
    if isinstance(event, dict):
        stamps.append(str(event.get("timestamp") or ""))
    return [s for s in stamps if s]


class ButtonMemory:
    """The button payloads recently sent to each resident, so that a typed text is read as a tap
    only when it is exactly one of them: a typed `150.000` (đồng) must stay a text."""

    def __init__(self) -> None:
        self._sent: OrderedDict[str, deque[str]] = OrderedDict()

    def remember(self, chat: str, payloads: Iterable[str]) -> None:
        """Payloads of a template about to be sent to `chat`."""
        kept = self._sent.pop(chat, None) or deque(maxlen=TAPS_KEPT)
        kept.extend(payloads)
        self._sent[chat] = kept
        if len(self._sent) > CHATS_KEPT:
            self._sent.popitem(last=False)

    def is_tap(self, chat: str, text: str) -> bool:
        """Whether `text` from `chat` is the payload of a button we sent them. With nothing
        remembered for `chat` (the bot restarted since), any text shaped like a payload counts:
        the engine then takes it if it answers the current question, and otherwise says it
        belongs to an earlier one and asks again."""
        sent = self._sent.get(chat)
        if sent is None:
            return PAYLOAD_SHAPE.fullmatch(text) is not None
        return text in sent


def user_of(event: Mapping[str, Any]) -> str:
    """The resident an event is about ("" for events of the OA's own messages)."""
    name = str(event.get("event_name", ""))
    if name in ("follow", "unfollow"):
        return str((event.get("follower") or event.get("sender") or {}).get("id") or "")
    if name.startswith("user_send_"):
        return str((event.get("sender") or {}).get("id") or "")
    return ""


def incoming(event: Mapping[str, Any], is_tap: IsTap) -> Incoming | None:
    """The event as an Incoming; None for unfollows and events the resident did not send."""
    user = user_of(event)
    name = str(event.get("event_name", ""))
    if not user or name == "unfollow":
        return None
    if name == "follow":
        return Incoming(user, Inbound("start"), f"f{user}.{event.get('timestamp', '')}")
    message = event.get("message") or {}
    msg_id = message.get("msg_id")
    key = f"m{msg_id}" if msg_id else content_key(event)
    return Incoming(user, _inbound(name, message, is_tap(user, str(message.get("text", "")))), key)


def _inbound(name: str, message: Mapping[str, Any], tapped: bool) -> Inbound:
    text = str(message.get("text") or "")
    if name in ("user_send_image", "user_send_file"):
        attachments = message.get("attachments") or [{}]
        url = (attachments[0].get("payload") or {}).get("url") or ""
        return Inbound("file", file_ref=str(url))
    if name in UNREADABLE:
        return Inbound(UNREADABLE[name])
    if tapped and text:
        return Inbound("button", payload=text)
    return Inbound("text", text=text)
