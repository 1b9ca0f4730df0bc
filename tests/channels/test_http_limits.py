"""The HTTP endpoint's limits, against a real uvicorn on 127.0.0.1: slow, huge and many clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.channels.http import HttpEndpoint, Limits

SECRET = "s3cret-s3cret-s3cret"
HEADER = "X-Bot-Api-Secret-Token"
HEAD = f"POST /hook HTTP/1.1\r\nHost: x\r\n{HEADER}: {SECRET}\r\n"
QUICK = Limits(request_seconds=0.3, keep_alive_seconds=1)
SAFETY = 10.0  # seconds before a test gives up on the server closing a connection
Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@pytest.fixture
async def endpoint(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[HttpEndpoint]:
    limits = getattr(request, "param", QUICK)
    server = HttpEndpoint("127.0.0.1", 0, limits)
    server.got = []  # type: ignore[attr-defined]

    async def deliver(update: dict[str, object]) -> None:
        if update.get("fail"):
            raise RuntimeError("no")
        server.got.append(update)  # type: ignore[attr-defined]

    server.add_webhook("/hook", HEADER, SECRET, deliver)
    (tmp_path / "clip.mp4").write_bytes(bytes(range(256)) * 4096)
    server.serve_media("/media", tmp_path)
    await server.start()
    yield server
    await server.stop()


async def _open(port: int) -> Connection:
    return await asyncio.open_connection("127.0.0.1", port)


async def _closed_by_server(conn: Connection, trickle: bytes, rounds: int = 400) -> bool:
    """Send `trickle` a byte at a time, 20 ms apart, until the server closes the connection."""
    reader, writer = conn
    for i in range(rounds):
        try:
            writer.write(trickle[i % len(trickle) : i % len(trickle) + 1])
            await writer.drain()
            with contextlib.suppress(TimeoutError):
                if await asyncio.wait_for(reader.read(1024), 0.02) == b"":
                    return True
        except ConnectionError:
            return True
    return False


async def _answer(reader: asyncio.StreamReader) -> bytes:
    """What the server sends until it closes the connection (which must come within SAFETY)."""
    with contextlib.suppress(ConnectionError):
        return await asyncio.wait_for(reader.read(), SAFETY)
    return b""


def _rss() -> int:
    """This process's resident memory now, in bytes (the server runs in it)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


async def _webhook(port: int, body: object) -> int:
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"http://127.0.0.1:{port}/hook", content=json.dumps(body), headers={HEADER: SECRET}
        )
    return answer.status_code


async def test_a_client_trickling_its_headers_is_dropped(endpoint: HttpEndpoint) -> None:
    reader, writer = await _open(endpoint.bound_port)
    writer.write(f"{HEAD}X-Slow-Header: ".encode())  # a header that never ends
    assert await _closed_by_server((reader, writer), b"a")


async def test_a_client_trickling_its_body_is_dropped_and_nothing_delivered(
    endpoint: HttpEndpoint,
) -> None:
    reader, writer = await _open(endpoint.bound_port)
    writer.write(f"{HEAD}Content-Length: 100000\r\n\r\n{{".encode())
    assert await _closed_by_server((reader, writer), b'"a": 1, ')
    assert endpoint.got == []  # type: ignore[attr-defined]


async def test_a_connection_that_sends_nothing_is_dropped(endpoint: HttpEndpoint) -> None:
    reader, _ = await _open(endpoint.bound_port)
    assert await _answer(reader) == b""


async def test_huge_headers_are_refused_without_being_kept(endpoint: HttpEndpoint) -> None:
    reader, writer = await _open(endpoint.bound_port)
    before, sent = _rss(), 0
    with contextlib.suppress(ConnectionError):
        writer.write(HEAD.encode())
        while sent < 150 << 20:  # the 150 MB of the audit, if the server took it all
            line = f"X-Big-{sent}: {'a' * 8000}\r\n".encode()
            writer.write(line)
            await writer.drain()
            sent += len(line)
    assert sent < 16 << 20  # refused long before: the server stopped reading
    answer = await _answer(reader)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400")
    assert _rss() - before < 32 << 20


@pytest.mark.parametrize("framing", ["Content-Length: 67108864", "Transfer-Encoding: chunked"])
async def test_a_body_over_the_limit_is_refused_while_it_streams(
    endpoint: HttpEndpoint, framing: str
) -> None:
    reader, writer = await _open(endpoint.bound_port)
    part = b" " * 65536
    if framing.startswith("Transfer"):
        part = b"10000\r\n" + part + b"\r\n"
    sent = [0]

    async def send() -> None:
        with contextlib.suppress(ConnectionError):
            writer.write(f"{HEAD}{framing}\r\n\r\n".encode())
            while sent[0] < 64 << 20:  # 64 MB if the server read it all
                writer.write(part)
                await writer.drain()
                sent[0] += len(part)

    sending = asyncio.create_task(send())
    answer = await asyncio.wait_for(reader.readline(), SAFETY)
    assert answer.startswith(b"HTTP/1.1 413") and sent[0] < 16 << 20  # while it streamed
    sending.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sending
    writer.close()
    assert endpoint.got == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("endpoint", [Limits()], indirect=True)
async def test_300_idle_connections_do_not_stop_a_webhook(endpoint: HttpEndpoint) -> None:
    idle = [await _open(endpoint.bound_port) for _ in range(300)]
    assert await _webhook(endpoint.bound_port, {"update_id": 1}) == 200
    assert endpoint.got == [{"update_id": 1}]  # type: ignore[attr-defined]
    for _, writer in idle:
        writer.close()


@pytest.mark.parametrize(
    "endpoint", [Limits(connections=20, request_seconds=0.5, keep_alive_seconds=1)], indirect=True
)
async def test_over_the_connection_limit_503_then_served_once_slow_ones_are_dropped(
    endpoint: HttpEndpoint, caplog: pytest.LogCaptureFixture
) -> None:
    idle = [await _open(endpoint.bound_port) for _ in range(20)]
    extra = await _open(endpoint.bound_port)
    assert (await _answer(extra[0])).startswith(b"HTTP/1.1 503")
    assert await _webhook(endpoint.bound_port, {"update_id": 1}) == 503
    for reader, _ in idle:  # the deadline frees them
        assert await _answer(reader) == b""
    assert await _webhook(endpoint.bound_port, {"update_id": 2}) == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_statuses_over_a_real_connection(endpoint: HttpEndpoint) -> None:
    port = endpoint.bound_port
    assert await _webhook(port, [{"update_id": 1}]) == 400
    assert await _webhook(port, {"fail": True}) == 500
    assert await _webhook(port, {"update_id": 3}) == 200
    assert endpoint.got == [{"update_id": 3}]  # type: ignore[attr-defined]


async def test_a_range_request_gets_206_with_the_right_bytes(endpoint: HttpEndpoint) -> None:
    whole = bytes(range(256)) * 4096
    async with httpx.AsyncClient() as client:
        url = f"http://127.0.0.1:{endpoint.bound_port}/media/clip.mp4"
        part = await client.get(url, headers={"Range": "bytes=500000-500999"})
    assert part.status_code == 206 and part.content == whole[500000:501000]
