"""Webhook mode: updates POSTed with the right secret are handled; others are refused."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import open_app
from bot.channels.http import HttpEndpoint
from bot.channels.telegram.channel import TelegramChannel
from bot.run import start_webhook
from tests.channels.telegram_harness import settings_for
from tests.conftest import config_for
from tests.fakes.telegram_server import FakeTelegram

LAN = 1001


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


async def _post(port: int, body: bytes, secret: str | None, path: str = "/hook") -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    header = f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n" if secret is not None else ""
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{header}\r\n".encode()
        + body
    )
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status


def _update(update_id: int) -> bytes:
    message = {
        "message_id": 1, "date": 0, "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "chat": {"id": LAN, "type": "private"},
        "from": {"id": LAN, "is_bot": False, "first_name": "Lan"},
    }  # fmt: skip
    return json.dumps({"update_id": update_id, "message": message}).encode()


async def test_the_webhook_checks_its_secret_and_hands_updates_on(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    app = await open_app(config_for(tmp_path / "d.db"))
    channel = TelegramChannel(app, settings_for(fake))
    await channel.start(polling=False)
    server = HttpEndpoint("127.0.0.1", 0)
    await server.start()
    await start_webhook(channel, "https://bot.example/hook", server)
    try:
        registered = [c for c in fake.calls if c.method == "setWebhook"][-1].params
        secret = registered["secret_token"]
        assert registered["url"] == "https://bot.example/hook" and len(secret) >= 32
        port = server.bound_port
        assert await _post(port, _update(1), None) == 403
        assert await _post(port, _update(2), secret[:-1] + "x") == 403
        assert await _post(port, _update(3), secret, path="/other") == 404
        assert await _post(port, _update(4), secret) == 200
        odd = [{"update_id": 5, "message": {"chat": 3}}, {"update_id": "x", "message": 5}]
        for body in odd:  # an object, but no update: 400 (a 500 would be delivered again)
            assert await _post(port, json.dumps(body).encode(), secret) == 400
        await fake.wait_for(lambda f: any("đồng ý" in t for t in f.texts(LAN)))
        assert app.conversation.identities.is_unsaved(1) is False
        assert len([t for t in fake.texts(LAN) if "Bà con có đồng ý không?" in t]) == 1
    finally:
        await server.stop()
        await channel.stop()
        await app.close()


async def test_a_malformed_request_is_refused() -> None:
    async def deliver(_: dict[str, object]) -> None:
        raise AssertionError("nothing should be delivered")

    server = HttpEndpoint("127.0.0.1", 0)
    server.add_webhook("/hook", "X-Telegram-Bot-Api-Secret-Token", "s3cret-s3cret", deliver)
    port = await server.start()
    try:
        assert await _post(port, b"{not json", "s3cret-s3cret") == 400
    finally:
        await server.stop()
