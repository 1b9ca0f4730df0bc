"""The shared HTTP endpoint: a signed webhook route refuses bodies whose signature is wrong."""

from __future__ import annotations

import asyncio

from bot.channels.http import HttpEndpoint
from bot.channels.zalo_oa.inbound import verify_signature
from tests.fakes.zalo_oa_server import FakeZaloOA


async def _post(port: int, headers: dict[str, str], body: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head = f"POST /zalo-oa HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{lines}\r\n"
    writer.write(head.encode() + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status


async def test_a_signed_webhook_checks_the_signature_over_the_raw_body() -> None:
    fake = FakeZaloOA()
    got: list[dict[str, object]] = []

    async def deliver(event: dict[str, object]) -> None:
        got.append(event)

    endpoint = HttpEndpoint("127.0.0.1", 0)
    endpoint.add_signed_webhook(
        "/zalo-oa", lambda h, b: verify_signature(h, b, fake.app_id, fake.oa_secret), deliver
    )
    port = await endpoint.start()
    try:
        headers, body = fake.signed(fake.text_event("u1", "Xin chào"))
        assert await _post(port, headers, body.replace(b"Xin", b"Xim")) == 403
        assert await _post(port, {"Content-Type": "application/json"}, body) == 403
        assert got == []
        assert await _post(port, headers, body) == 200
        assert len(got) == 1
    finally:
        await endpoint.stop()
