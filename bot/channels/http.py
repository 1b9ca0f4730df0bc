"""One small HTTP endpoint per process: messenger webhooks (secret header checked in constant
time) and the flows' media, which Zalo fetches by URL."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import mimetypes
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

log = logging.getLogger(__name__)
BODY_MAX = 1 << 20
MEDIA_TYPES = ("image/", "audio/", "video/")
Deliver = Callable[[dict[str, object]], Awaitable[None]]
Verify = Callable[[Mapping[str, str], bytes], bool]
REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found"}


@dataclass(frozen=True)
class Hook:
    """A webhook route: the header carrying the secret, the secret, and where updates go."""

    header: str
    secret: bytes
    deliver: Deliver
    verify: Verify | None = None  # checks headers + raw body (a signature) instead of a secret


class HttpEndpoint:
    """POST routes for webhooks, GET routes for media files."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.hooks: dict[str, Hook] = {}
        self.media: tuple[str, Path] | None = None
        self._server: asyncio.Server | None = None
        self.bound_port = 0

    def add_webhook(self, path: str, header: str, secret: str, deliver: Deliver) -> None:
        """Accept POSTs to `path` that carry `secret` in `header`."""
        self.hooks[path] = Hook(header.lower(), secret.encode(), deliver)

    def add_signed_webhook(self, path: str, verify: Verify, deliver: Deliver) -> None:
        """Accept POSTs to `path` whose headers and raw body `verify` accepts (a signature)."""
        self.hooks[path] = Hook("", b"", deliver, verify)

    def serve_media(self, prefix: str, folder: Path) -> None:
        """Answer GET `prefix/<path>` with the image, audio or video file under `folder`."""
        self.media = (prefix.rstrip("/") + "/", folder.resolve())

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
            status, body, kind = await self._answer(reader)
        except (ValueError, asyncio.IncompleteReadError, UnicodeDecodeError):
            status, body, kind = 400, b"", "text/plain"  # json.JSONDecodeError is a ValueError
        head = f"HTTP/1.1 {status} {REASONS[status]}\r\nContent-Type: {kind}\r\n"
        writer.write(f"{head}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        writer.write(body)
        await writer.drain()
        writer.close()

    async def _answer(self, reader: asyncio.StreamReader) -> tuple[int, bytes, str]:
        method, path, headers = await _head(reader)
        if method == "POST" and path in self.hooks:
            status = await self._webhook(self.hooks[path], reader, headers)
            return status, b"", "text/plain"
        if method == "GET" and self.media and path.startswith(self.media[0]):
            return self._file(unquote(path[len(self.media[0]) :]))
        return 404, b"", "text/plain"

    async def _webhook(
        self, hook: Hook, reader: asyncio.StreamReader, headers: dict[str, str]
    ) -> int:
        given = headers.get(hook.header, "").encode()
        if hook.verify is None and not hmac.compare_digest(given, hook.secret):
            log.warning("a webhook request without the right secret was refused")
            return 403
        length = int(headers.get("content-length", "0"))
        if not 0 < length <= BODY_MAX:
            return 400
        body = await reader.readexactly(length)
        if hook.verify is not None and not hook.verify(headers, body):
            log.warning("a webhook request without a valid signature was refused")
            return 403
        await hook.deliver(json.loads(body))
        return 200

    def _file(self, relative: str) -> tuple[int, bytes, str]:
        assert self.media is not None
        folder = self.media[1]
        path = (folder / relative).resolve()
        kind = mimetypes.guess_type(path.name)[0] or ""
        if (
            not path.is_relative_to(folder)
            or not path.is_file()
            or not kind.startswith(MEDIA_TYPES)
        ):
            return 404, b"", "text/plain"
        return 200, path.read_bytes(), kind


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
    return request_line[0], request_line[1].split("?")[0], headers
