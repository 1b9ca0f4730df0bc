"""The fake Zalo Bot API server, driven by a plain httpx client."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest

from tests.fakes.zalo_server import FakeZalo

USER = "6ede9afa5b1eb240fb0f"
OTHER = "a1b2c3d4e5f6a7b8c9d0"


@pytest.fixture
def fake() -> Iterator[FakeZalo]:
    with FakeZalo() as server:
        yield server


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as http:
        yield http


async def call(
    client: httpx.AsyncClient, fake: FakeZalo, method: str, token: str | None = None, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST a method as the real client does; returns (HTTP status, decoded body)."""
    url = f"{fake.base_url}/bot{token or fake.token}/{method}"
    response = await client.post(url, json=params)
    assert response.headers["Content-Type"] == "application/json"
    return response.status_code, response.json()


async def test_get_me(fake: FakeZalo, client: httpx.AsyncClient) -> None:
    status, body = await call(client, fake, "getMe")
    assert status == 200
    assert body == {
        "ok": True,
        "result": {
            "id": "bot123",
            "account_name": "danvan_bot",
            "account_type": "BASIC",
            "can_join_groups": False,
        },
    }
    assert [(c.method, c.status) for c in fake.calls] == [("getMe", 200)]


async def test_wrong_token_unknown_method_and_bad_body(
    fake: FakeZalo, client: httpx.AsyncClient
) -> None:
    assert await call(client, fake, "getMe", token="nope") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    status, body = await call(client, fake, "sendVideo", chat_id=USER)
    assert (status, body["ok"], body["error_code"]) == (404, False, 404)
    response = await client.post(
        f"{fake.base_url}/bot{fake.token}/sendMessage",
        content=b"[1, 2]",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400 and response.json()["error_code"] == 400
    assert [c.status for c in fake.calls] == [401, 404, 400]


async def test_get_updates_returns_one_event_per_call_in_order(
    fake: FakeZalo, client: httpx.AsyncClient
) -> None:
    first = fake.push_text(USER, "Xin chào", message_id="2d758cb5e8a8ffa6a6b9")
    second = fake.push_image(OTHER, "https://example.com/cccd.jpg", caption="CCCD")
    fake.push_raw({"event_name": "message.unsupported.received", "message": {"chat": {}}})
    assert len(fake.pending()) == 3

    status, body = await call(client, fake, "getUpdates", timeout="1")
    assert status == 200 and body["result"] == first
    message = first["message"]
    assert first["event_name"] == "message.text.received"
    assert message["from"] == {"id": USER, "display_name": "Lan", "is_bot": False}
    assert message["chat"] == {"id": USER, "chat_type": "PRIVATE"}
    assert message["message_id"] == "2d758cb5e8a8ffa6a6b9"
    assert isinstance(message["date"], int) and message["date"] > 1_700_000_000_000

    status, body = await call(client, fake, "getUpdates", timeout=1)
    assert body["result"] == second
    assert second["event_name"] == "message.image.received"
    assert second["message"]["photo"] == "https://example.com/cccd.jpg"
    assert second["message"]["caption"] == "CCCD"
    assert len(second["message"]["message_id"]) == 20
    assert int(second["message"]["message_id"], 16) >= 0

    status, body = await call(client, fake, "getUpdates", timeout="0")
    assert body["result"]["event_name"] == "message.unsupported.received"
    assert fake.pending() == []

    started = time.monotonic()
    assert await call(client, fake, "getUpdates", timeout="1") == (
        408,
        {"ok": False, "error_code": 408, "description": "Request timeout"},
    )
    assert time.monotonic() - started >= 0.9  # held, not answered at once
    status, body = await call(client, fake, "getUpdates", timeout="soon")
    assert status == 400


async def test_long_poll_returns_early_when_an_event_is_pushed(
    fake: FakeZalo, client: httpx.AsyncClient
) -> None:
    poll = asyncio.create_task(call(client, fake, "getUpdates", timeout="30"))
    await fake.wait_for(lambda f: any(c.method == "getUpdates" for c in f.calls))
    assert fake.calls[-1].status is None  # still waiting
    pusher = threading.Timer(0.2, fake.push_text, (USER, "Tôi cần làm CCCD"))
    pusher.start()
    status, body = await asyncio.wait_for(poll, 5)
    pusher.join()
    assert status == 200 and body["result"]["message"]["text"] == "Tôi cần làm CCCD"
    assert fake.calls[-1].status == 200


async def test_stop_wakes_a_long_poll(client: httpx.AsyncClient) -> None:
    fake = FakeZalo()
    fake.start()
    poll = asyncio.create_task(call(client, fake, "getUpdates", timeout=30))
    await fake.wait_for(lambda f: bool(f.calls))
    await asyncio.to_thread(fake.stop)
    try:  # answered 408, or cut off while answering
        status, _ = await asyncio.wait_for(poll, 5)
    except httpx.TransportError:
        pass
    else:
        assert status == 408


async def test_send_message_records_params_and_validates_length(
    fake: FakeZalo, client: httpx.AsyncClient
) -> None:
    status, body = await call(
        client, fake, "sendMessage", chat_id=USER, text="Chào Lan", parse_mode="Markdown"
    )
    assert status == 200 and body["ok"] is True
    result = body["result"]
    assert set(result) == {"message_id", "date"}
    assert int(result["message_id"], 16) >= 0 and isinstance(result["date"], int)
    assert (await call(client, fake, "sendMessage", chat_id=USER, text="x" * 2000))[0] == 200

    wording = "text must be between 1 and 2000 characters"
    too_long: dict[str, Any] = {"ok": False, "error_code": 400, "description": wording}
    assert await call(client, fake, "sendMessage", chat_id=USER, text="x" * 2001) == (400, too_long)
    assert await call(client, fake, "sendMessage", chat_id=USER, text="") == (400, too_long)
    assert (await call(client, fake, "sendMessage", text="no chat"))[0] == 400
    assert (await call(client, fake, "sendMessage", chat_id=OTHER, text="Bạn khỏe?"))[0] == 200

    assert fake.texts(USER) == ["Chào Lan", "x" * 2000]
    assert fake.texts(OTHER) == ["Bạn khỏe?"]
    first = fake.sent(USER)[0]
    assert first.method == "sendMessage" and first.ok and first.chat_id == USER
    assert first.params == {"chat_id": USER, "text": "Chào Lan", "parse_mode": "Markdown"}
    assert first.result == result
    assert len(fake.sent()) == 3 and len(fake.calls) == 6
    assert fake.calls[2].description == wording


async def test_send_photo_sticker_and_chat_action(
    fake: FakeZalo, client: httpx.AsyncClient
) -> None:
    photo = "https://example.com/huong-dan.png"
    status, body = await call(client, fake, "sendPhoto", chat_id=USER, photo=photo, caption="B1")
    assert status == 200 and set(body["result"]) == {"message_id", "date"}
    bad_url = await call(client, fake, "sendPhoto", chat_id=USER, photo="huong-dan.png")
    assert bad_url[0] == 400 and bad_url[1]["ok"] is False
    long_caption = await call(
        client, fake, "sendPhoto", chat_id=USER, photo=photo, caption="c" * 2001
    )
    assert long_caption[0] == 400
    sticker = "https://example.com/sticker.webp"
    assert (await call(client, fake, "sendSticker", chat_id=USER, sticker=sticker))[0] == 200
    assert (await call(client, fake, "sendSticker", chat_id=USER, sticker="abc"))[0] == 400
    assert await call(client, fake, "sendChatAction", chat_id=USER, action="typing") == (
        200,
        {"ok": True, "result": True},
    )
    assert [c.method for c in fake.sent(USER)] == ["sendPhoto", "sendSticker"]
    assert fake.sent(USER)[0].params["photo"] == photo
    assert fake.texts(USER) == ["B1", ""]


async def test_429_5xx_and_blocked_faults(fake: FakeZalo, client: httpx.AsyncClient) -> None:
    fake.fail_with_429(n=2)
    quota = (429, {"ok": False, "error_code": 429, "description": "Quota exceeded"})
    assert await call(client, fake, "sendMessage", chat_id=USER, text="1") == quota
    assert (await call(client, fake, "getMe"))[0] == 200  # other methods are untouched
    assert await call(client, fake, "sendMessage", chat_id=USER, text="2") == quota
    assert (await call(client, fake, "sendMessage", chat_id=USER, text="3"))[0] == 200

    fake.fail_with_5xx(status=503, method="sendPhoto", chat_id=OTHER)
    photo = "https://example.com/a.jpg"
    assert (await call(client, fake, "sendPhoto", chat_id=USER, photo=photo))[0] == 200
    status, body = await call(client, fake, "sendPhoto", chat_id=OTHER, photo=photo)
    assert status == 503 and body["error_code"] == 503 and body["ok"] is False
    assert (await call(client, fake, "sendPhoto", chat_id=OTHER, photo=photo))[0] == 200

    fake.fail_with_5xx(n=5, method="*")
    assert (await call(client, fake, "sendChatAction", chat_id=USER, action="typing"))[0] == 502
    fake.clear_faults()
    assert (await call(client, fake, "sendMessage", chat_id=USER, text="4"))[0] == 200

    fake.block(USER)
    blocked = (403, {"ok": False, "error_code": 403, "description": "User has blocked the bot"})
    assert await call(client, fake, "sendMessage", chat_id=USER, text="5") == blocked
    assert await call(client, fake, "sendPhoto", chat_id=USER, photo=photo) == blocked
    assert (await call(client, fake, "sendMessage", chat_id=OTHER, text="6"))[0] == 200
    fake.clear_faults()
    assert (await call(client, fake, "sendMessage", chat_id=USER, text="7"))[0] == 200

    assert fake.texts(USER) == ["3", "", "4", "7"]
    assert [c.status for c in fake.calls if c.params.get("text") == "1"] == [429]


async def test_webhook_lifecycle(fake: FakeZalo, client: httpx.AsyncClient) -> None:
    not_found = (404, {"ok": False, "error_code": 404, "description": "Webhook not found"})
    assert await call(client, fake, "getWebhookInfo") == not_found
    hook = "https://danvan.example/zalo/webhook"
    assert (await call(client, fake, "setWebhook", url=hook, secret_token="short"))[0] == 400
    assert (await call(client, fake, "setWebhook", url=hook, secret_token="s" * 257))[0] == 400
    assert (await call(client, fake, "setWebhook", url="ftp://x", secret_token="s" * 8))[0] == 400
    assert fake.webhook is None

    status, body = await call(client, fake, "setWebhook", url=hook, secret_token="s3cret-token")
    assert status == 200 and body["result"]["url"] == hook
    assert fake.webhook == {"url": hook, "secret_token": "s3cret-token"}
    status, body = await call(client, fake, "getWebhookInfo")
    assert status == 200 and body["result"]["url"] == hook
    assert isinstance(body["result"]["updated_at"], int)

    fake.push_text(USER, "hi")
    assert await call(client, fake, "getUpdates", timeout="1") == (
        400,
        {"ok": False, "error_code": 400, "description": "Webhook is set"},
    )
    assert (await call(client, fake, "deleteWebhook"))[0] == 200
    assert fake.webhook is None
    assert await call(client, fake, "getWebhookInfo") == not_found
    status, body = await call(client, fake, "getUpdates", timeout="1")
    assert status == 200 and body["result"]["message"]["text"] == "hi"


async def test_post_webhook(fake: FakeZalo) -> None:
    received: list[tuple[str | None, Any]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            secret = self.headers.get("X-Bot-Api-Secret-Token")
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((secret, json.loads(body)))
            self.send_response(200 if secret == "s3cret-token" else 403)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/zalo/webhook"
        event = fake.push_text(USER, "Xin chào")
        assert await fake.post_webhook(event, url, "s3cret-token") == 200
        assert await fake.post_webhook(event, url, "wrong-token") == 403
        assert await fake.post_webhook(event, url, None) == 403
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    wrapped = {"ok": True, "result": event}  # the documented webhook body
    assert received == [("s3cret-token", wrapped), ("wrong-token", wrapped), (None, wrapped)]


async def test_wait_for_times_out_with_the_calls(fake: FakeZalo, client: httpx.AsyncClient) -> None:
    await call(client, fake, "sendMessage", chat_id=USER, text="Chào")
    await fake.wait_for(lambda f: f.texts(USER) == ["Chào"], timeout=1)
    with pytest.raises(TimeoutError, match="sendMessage chat=6ede9afa5b1eb240fb0f -> 200"):
        await fake.wait_for(lambda f: len(f.sent()) > 1, timeout=0.05)
