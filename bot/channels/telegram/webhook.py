"""A small HTTP endpoint for Telegram's webhook; the secret header is checked in constant time."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
BODY_MAX = 1 << 20
SECRET_HEADER = "x-telegram-bot-api-secret-token"
Deliver = Callable[[dict[str, object]], Awaitable[None]]


class WebhookServer:
    """Accepts POSTs to one path carrying the secret header; hands each update on."""

    def __init__(self, deliver: Deliver, secret: str, host: str, port: int, path: str) -> None:
        self.deliver = deliver
        self.secret = secret.encode()
        self.host = host
        self.port = port
        self.path = path
        self._server: asyncio.Server | None = None
        self.bound_port = 0

    async def start(self) -> int:
        """Listen; returns the port (useful when 0 asked for a free one)."""
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.bound_port = int(self._server.sockets[0].getsockname()[1])
        return self.bound_port

    async def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            status = await self._answer(reader)
        except (ValueError, asyncio.IncompleteReadError, UnicodeDecodeError):
            status = 400  # json.JSONDecodeError is a ValueError
        reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found"}[status]
        writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\n\r\n".encode())
        await writer.drain()
        writer.close()

    async def _answer(self, reader: asyncio.StreamReader) -> int:
        method, path, headers = await _head(reader)
        length = int(headers.get("content-length", "0"))
        if method != "POST" or path != self.path:
            return 404
        given = headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            log.warning("a webhook request without the right secret was refused")
            return 403
        if not 0 < length <= BODY_MAX:
            return 400
        update = json.loads(await reader.readexactly(length))
        await self.deliver(update)
        return 200


async def _head(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str]]:
    request_line = (await reader.readline()).decode("latin-1").split()
    if len(request_line) != 3:
        raise ValueError("not an HTTP request")
    headers: dict[str, str] = {}
    while True:
        line = (await reader.readline()).decode("latin-1").strip()
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return request_line[0], request_line[1], headers
