"""Serving a fake messenger API from a daemon thread, and stopping it without leaving threads."""

from __future__ import annotations

import threading
from socketserver import BaseServer
from typing import Protocol


class Closable(Protocol):
    """A fake's HTTP server: closes the connections still open (long polls, keep-alives)."""

    def shutdown(self) -> None: ...
    def close_connections(self) -> None: ...
    def server_close(self) -> None: ...


def serve_in_thread(server: BaseServer, name: str) -> threading.Thread:
    """Start `server.serve_forever` in a daemon thread."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
    )
    thread.start()
    return thread


def shut_down(
    server: Closable,
    thread: threading.Thread | None,
    cond: threading.Condition,
    stopping: threading.Event,
) -> None:
    """Wake every waiting request, stop serving, close the connections, join the thread."""
    stopping.set()
    with cond:
        cond.notify_all()
    server.shutdown()
    server.close_connections()
    server.server_close()
    if thread is not None:
        thread.join(timeout=5)
