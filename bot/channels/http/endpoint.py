"""HttpEndpoint: the routes of one Starlette app, served by uvicorn within danvan's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.channels.http.descriptors import Budget, budget_for, raise_descriptor_limit
from bot.channels.http.limits import Limits
from bot.channels.http.protocol import Guard, guarded
from bot.channels.http.refusals import Refusals
from bot.channels.http.routes import Deliver, Hook, Verify, media_route, webhook_route
from bot.channels.http.uvicorn_logs import Quiet


class _Server(uvicorn.Server):
    """uvicorn's server without its signal handlers: `danvan run` has its own."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class HttpEndpoint:
    """POST routes for webhooks, GET routes for media files; `app` takes more routes."""

    def __init__(self, host: str, port: int, limits: Limits | None = None) -> None:
        self.host = host
        self.port = port
        self.limits = limits or Limits()
        self.refusals = Refusals()
        self.app = Starlette()
        self.app.router.redirect_slashes = False
        self.bound_port = 0
        self._budget = Budget(self.limits.connections, 0, 0)
        self._server: _Server | None = None
        self._tasks: list[asyncio.Task[None]] = []

    def add_webhook(self, path: str, header: str, secret: str, deliver: Deliver) -> None:
        """Accept POSTs to `path` that carry `secret` in `header`."""
        hook = Hook(deliver, header.lower(), secret.encode())
        self._add(webhook_route(path, hook, self.limits.body_bytes, self.refusals))

    def add_signed_webhook(self, path: str, verify: Verify, deliver: Deliver) -> None:
        """Accept POSTs to `path` whose headers and raw body `verify` accepts (a signature)."""
        hook = Hook(deliver, verify=verify)
        self._add(webhook_route(path, hook, self.limits.body_bytes, self.refusals))

    def serve_media(self, prefix: str, folder: Path) -> None:
        """Answer GET `prefix/<path>` with the image, audio or video file under `folder`."""
        self._add(media_route(prefix, folder))

    def _add(self, route: BaseRoute) -> None:
        self.app.router.routes.append(route)

    async def start(self) -> int:
        """Listen; returns the port (useful when 0 asked for a free one)."""
        self._budget = budget_for(raise_descriptor_limit(), self.limits.connections)
        sock = socket.create_server((self.host, self.port), backlog=self._budget.per_accept)
        self.bound_port = int(sock.getsockname()[1])
        self._server = _Server(self._config())
        Quiet.install(self.refusals)
        serving = asyncio.create_task(self._server.serve(sockets=[sock]))
        self._tasks = [serving, asyncio.create_task(self._flush_refusals())]
        while not self._server.started and not serving.done():
            await asyncio.sleep(0.01)
        if serving.done():
            serving.result()  # raises what stopped it
        return self.bound_port

    def _config(self) -> uvicorn.Config:
        limits, budget = self.limits, self._budget
        guard = Guard(budget.connections, budget.lingering, limits.request_seconds, self.refusals)
        return uvicorn.Config(
            self.app,
            http=guarded(guard),
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            h11_max_incomplete_event_size=limits.header_bytes,
            limit_concurrency=budget.connections + 1,  # the guard refuses connections first
            backlog=budget.per_accept,  # also how many asyncio accepts in one turn
            timeout_keep_alive=limits.keep_alive_seconds,
            timeout_graceful_shutdown=limits.shutdown_seconds,
        )

    async def _flush_refusals(self) -> None:
        while True:
            await asyncio.sleep(self.refusals.every)
            self.refusals.flush()

    async def stop(self) -> None:
        """Stop listening; requests under way get `Limits.shutdown_seconds` to finish."""
        if self._server is None:
            return
        self._server.should_exit = True
        serving, flushing = self._tasks
        flushing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await flushing
        await serving
        self.refusals.flush(everything=True)
        self._server = None
