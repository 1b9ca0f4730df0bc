"""Each channel reads what it cannot show the engine as an Inbound kind the engine answers kindly,
carrying nothing of it (no file id, no URL, no coordinates)."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update

from bot.channels.telegram import inbound as telegram
from bot.channels.zalo import inbound as zalo
from bot.channels.zalo_oa import inbound as zalo_oa
from bot.engine.types import Inbound

FILE = {"file_id": "f1", "file_unique_id": "u1"}
TELEGRAM = [
    ({"sticker": {**FILE, "type": "regular", "width": 1, "height": 1, "is_animated": False,
                  "is_video": False}}, "sticker"),
    ({"animation": {**FILE, "width": 1, "height": 1, "duration": 1}, "document": FILE}, "sticker"),
    ({"voice": {**FILE, "duration": 3}}, "voice"),
    ({"audio": {**FILE, "duration": 3}}, "voice"),
    ({"video_note": {**FILE, "length": 1, "duration": 3}}, "voice"),
    ({"location": {"latitude": 22.1, "longitude": 105.2}}, "location"),
    ({"venue": {"location": {"latitude": 22.1, "longitude": 105.2}, "title": "UBND",
                "address": "Hà Lang"}, "location": {"latitude": 22.1, "longitude": 105.2}},
     "location"),
    ({"video": {**FILE, "width": 1, "height": 1, "duration": 3}}, "video"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "kind"), TELEGRAM)
def test_telegram(content: dict[str, Any], kind: str) -> None:
    message = {"message_id": 5, "date": 0, "chat": {"id": 7, "type": "private"}, **content}
    update = Update.de_json({"update_id": 1, "message": message}, Bot("1:x"))
    assert update is not None
    found = telegram.incoming(update)
    assert found is not None and found.inbound == Inbound(kind)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("message.sticker.received", "sticker"),
        ("message.voice.received", "voice"),
        ("message.location.received", "location"),
    ],
)
def test_zalo_bot_platform(name: str, kind: str) -> None:
    chat = {"id": "abc", "chat_type": "PRIVATE"}
    event = {"event_name": name, "message": {"chat": chat, "message_id": "m1", "url": "https://x"}}
    found = zalo.incoming(zalo.event_of(event))
    assert found is not None and found.inbound == Inbound(kind)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("user_send_sticker", "sticker"),
        ("user_send_gif", "sticker"),
        ("user_send_audio", "voice"),
        ("user_send_location", "location"),
        ("user_send_video", "video"),
    ],
)
def test_zalo_oa(name: str, kind: str) -> None:
    attachment = {"type": "x", "payload": {"url": "https://x", "coordinates": {"latitude": "1"}}}
    message = {"msg_id": "m1", "attachments": [attachment]}
    event = {"event_name": name, "sender": {"id": "u1"}, "message": message}
    found = zalo_oa.incoming(event, lambda _chat, _text: False)
    assert found is not None and found.inbound == Inbound(kind)
