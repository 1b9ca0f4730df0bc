"""Refused requests are logged once a minute per kind, with a count, and without secrets."""

from __future__ import annotations

import logging

import httpx
import pytest

from bot.channels.http import HttpEndpoint

SECRET = "s3cret-s3cret-s3cret"
HEADER = "X-Bot-Api-Secret-Token"


async def test_37_forged_requests_log_two_lines_with_their_counts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def deliver(_: dict[str, object]) -> None:
        raise AssertionError("nothing should be delivered")

    now = [1000.0]
    endpoint = HttpEndpoint("127.0.0.1", 0)
    endpoint.refusals.clock = lambda: now[0]
    endpoint.add_webhook("/zalo", HEADER, SECRET, deliver)
    caplog.set_level(logging.INFO)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=endpoint.app), base_url="http://bot"
    ) as client:
        for n in range(37):
            forged = {HEADER: SECRET[:-2] + f"{n:02d}"}
            answer = await client.post("/zalo", content=b'{"text": "0912345678"}', headers=forged)
            assert answer.status_code == 403
            now[0] += 1.0
        endpoint.refusals.flush()
        now[0] += 60.0
        endpoint.refusals.flush()
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.channels.http"]
    assert lines == [
        "webhook requests without the right secret: 1 refused in the last minute",
        "webhook requests without the right secret: 36 refused in the last minute",
    ]
    assert "0912345678" not in caplog.text and SECRET[:-2] not in caplog.text
