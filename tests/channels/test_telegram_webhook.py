"""Webhook mode: updates POSTed with the right secret are handled; others are refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.http import HttpEndpoint
from tests.channels.telegram_harness import post_update, start_update, webhook_running
from tests.conftest import config_for
from tests.fakes.telegram_server import FakeTelegram

LAN = 1001


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


async def test_the_webhook_checks_its_secret_and_hands_updates_on(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    async with webhook_running(fake, config_for(tmp_path / "d.db")) as (app, server, secret):
        registered = [c for c in fake.calls if c.method == "setWebhook"][-1].params
        assert registered["secret_token"] == secret
        assert registered["url"] == "https://bot.example/hook" and len(secret) >= 32
        port = server.bound_port
        assert await post_update(port, start_update(1, LAN), None) == 403
        assert await post_update(port, start_update(2, LAN), secret[:-1] + "x") == 403
        assert await post_update(port, start_update(3, LAN), secret, path="/other") == 404
        assert await post_update(port, start_update(4, LAN), secret) == 200
        odd = [{"update_id": 5, "message": {"chat": 3}}, {"update_id": "x", "message": 5}]
        for body in odd:  # an object, but no update: 400 (a 500 would be delivered again)
            assert await post_update(port, json.dumps(body).encode(), secret) == 400
        await fake.wait_for(lambda f: any("đồng ý" in t for t in f.texts(LAN)))
        assert app.conversation.identities.is_unsaved(1) is False
        assert len([t for t in fake.texts(LAN) if "Bà con có đồng ý không?" in t]) == 1


async def test_a_malformed_request_is_refused() -> None:
    async def deliver(_: dict[str, object]) -> None:
        raise AssertionError("nothing should be delivered")

    server = HttpEndpoint("127.0.0.1", 0)
    server.add_webhook("/hook", "X-Telegram-Bot-Api-Secret-Token", "s3cret-s3cret", deliver)
    port = await server.start()
    try:
        assert await post_update(port, b"{not json", "s3cret-s3cret") == 400
    finally:
        await server.stop()
