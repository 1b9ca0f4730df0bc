"""The endpoint's Starlette routes: webhooks (secret or signature first) and media files."""

from __future__ import annotations

import hmac
import json
import logging
import mimetypes
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from bot.channels.http.refusals import Refusals

log = logging.getLogger("bot.channels.http")
MEDIA_TYPES = ("image/", "audio/", "video/")
Deliver = Callable[[dict[str, object]], Awaitable[None]]
Verify = Callable[[Mapping[str, str], bytes], bool]


class TooLarge(Exception):
    """The body is over the limit."""


@dataclass(frozen=True)
class Hook:
    """A webhook: the header carrying the secret and the secret, or a signature check."""

    deliver: Deliver
    header: str = ""
    secret: bytes = b""
    verify: Verify | None = None  # checks headers + raw body (a signature) instead of a secret


def refuse(status: int) -> Response:
    """An empty answer. A body still arriving is read and dropped by uvicorn (within the request
    deadline): closing now could reset the connection before the client reads the answer."""
    return Response(status_code=status)


def webhook_route(path: str, hook: Hook, body_max: int, refusals: Refusals) -> Route:
    """POST `path`: 403 without the secret, 413 over `body_max`, 400 unreadable, else deliver."""

    async def endpoint(request: Request) -> Response:
        given = request.headers.get(hook.header, "").encode() if hook.header else b""
        if hook.verify is None and not hmac.compare_digest(given, hook.secret):
            refusals.count("secret")
            return refuse(403)
        try:
            body = await read_body(request, body_max)
        except TooLarge:
            refusals.count("too_large")
            return refuse(413)
        except ClientDisconnect:
            return refuse(400)  # nobody is left to read it
        if hook.verify is not None and not hook.verify(request.headers, body):
            refusals.count("signature")
            return refuse(403)
        return await handle(hook.deliver, body, refusals)

    return Route(path, endpoint, methods=["POST"])


async def read_body(request: Request, limit: int) -> bytes:
    """The body, read as it streams in; TooLarge as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge
    return bytes(body)


async def handle(deliver: Deliver, body: bytes, refusals: Refusals) -> Response:
    """200 once delivered; 400 not a JSON object or unreadable (ValueError); 500 else."""
    try:
        data = json.loads(body)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        data = None
    if not isinstance(data, dict):
        refusals.count("not_json")
        return Response(status_code=400)
    try:
        await deliver(data)
    except ValueError:
        refusals.count("unreadable")
        return Response(status_code=400)
    except Exception as exc:
        # the frames only: the exception's message may quote the update
        where = "".join(traceback.format_tb(exc.__traceback__))
        log.error("a webhook update failed (%s); answered 500\n%s", type(exc).__name__, where)
        return Response(status_code=500)
    return Response(status_code=200)


def media_route(prefix: str, folder: Path) -> Route:
    """GET/HEAD `prefix/<path>`: the image, audio or video file under `folder`, streamed."""
    root = folder.resolve()

    async def endpoint(request: Request) -> Response:
        path = (root / request.path_params["path"]).resolve()
        kind = mimetypes.guess_type(path.name)[0] or ""
        if not path.is_relative_to(root) or not kind.startswith(MEDIA_TYPES) or not path.is_file():
            return Response(status_code=404)
        return FileResponse(path, media_type=kind)

    return Route(prefix.rstrip("/") + "/{path:path}", endpoint, methods=["GET", "HEAD"])
