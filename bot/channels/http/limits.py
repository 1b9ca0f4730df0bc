"""The limits of the HTTP endpoint, set in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What one client may use of the endpoint before it is refused or dropped."""

    header_bytes: int = 16 * 1024  # request line + headers; more -> 400 and closed
    body_bytes: int = 1 << 20  # a webhook body; more -> 413, refused while streaming
    connections: int = 500  # open at once; the next one is answered 503 and closed
    request_seconds: float = 10.0  # a whole request (head and body) must arrive within this
    keep_alive_seconds: int = 5  # an idle connection between requests is closed after this
    shutdown_seconds: int = 5  # on stop, requests under way get this long to finish
