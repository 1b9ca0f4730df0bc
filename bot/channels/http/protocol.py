"""uvicorn's h11 protocol with what uvicorn lacks: a deadline per request and a connection cap.

uvicorn drops an idle keep-alive connection, but a connection that trickles its request line,
headers or body a byte at a time is held for ever; and it accepts every connection, answering
503 only once a request has arrived. Here a request must arrive whole within
`Limits.request_seconds` of the connection (or of the previous response), and a connection over
`Limits.connections` is answered 503 at once, before any of it is parsed, and closed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.channels.http.refusals import Refusals

BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n"
    b"Retry-After: 5\r\n\r\n"
)
LINGER = 1.0  # seconds a refused connection is read and dropped before it is closed
RECEIVING = (h11.IDLE, h11.SEND_BODY)  # the client's side while its request is still arriving


@dataclass(frozen=True)
class Guard:
    """The limits the protocol enforces, and where it counts what it refused."""

    connections: int
    lingering: int  # refused connections allowed to linger at once; past that, closed at once
    request_seconds: float
    refusals: Refusals


class GuardedProtocol(H11Protocol):
    """H11Protocol with a deadline per request and a connection cap; `guard` is set by
    `guarded`, once per server."""

    guard: Guard
    _deadline: asyncio.TimerHandle | None = None
    _busy = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.guard.connections:
            self._refuse()
            return
        self._arm()

    def _refuse(self) -> None:
        """503 at once; what the client sends meanwhile is read and dropped for a second, so
        that closing does not reset the connection before the 503 is read."""
        self.guard.refusals.count("busy")
        self._busy = True
        self.transport.write(BUSY)
        if len(self.connections) > self.guard.connections + self.guard.lingering:
            self.transport.close()  # a flood: free the descriptor now
            return
        try:
            self.transport.write_eof()
        except OSError:  # the client has gone already
            self.transport.close()
            return
        self.loop.call_later(LINGER, self.transport.close)

    def data_received(self, data: bytes) -> None:
        if self._busy:
            return
        super().data_received(data)
        if self.conn.their_state not in RECEIVING:
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.guard.request_seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.conn.their_state in RECEIVING and not self.transport.is_closing():
            self.guard.refusals.count("slow")
            self.transport.close()


def guarded(guard: Guard) -> type[GuardedProtocol]:
    """The protocol class uvicorn is given, enforcing `guard`."""
    return type("Guarded", (GuardedProtocol,), {"guard": guard})
