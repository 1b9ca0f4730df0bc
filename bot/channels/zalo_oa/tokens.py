"""The OA's access token: refreshed early or when refused; each new pair is stored before use."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import aiosqlite

from bot import logs
from bot.channels.zalo_oa.client import ZaloOAClient, ZaloOAError
from bot.store.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")
Clock = Callable[[], datetime]
REFRESH_EARLY = timedelta(minutes=10)
# Zalo's answers that the access token is not accepted: -216 invalid, -220 expired or revoked
# (OA API v3), -124 invalid (the same token on the ZNS API). Any of them: refresh once, retry.
AUTH_ERRORS = frozenset({-124, -216, -220})
SAVE = (
    "INSERT INTO zalo_oa_tokens (app_id, access_token, refresh_token, expires_at, seed,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(app_id) DO UPDATE SET"
    " access_token = excluded.access_token, refresh_token = excluded.refresh_token,"
    " expires_at = excluded.expires_at, seed = excluded.seed, updated_at = excluded.updated_at"
)
LOAD = "SELECT access_token, refresh_token, expires_at, seed FROM zalo_oa_tokens WHERE app_id = ?"


def refused_token(exc: ZaloOAError) -> bool:
    """Whether Zalo refused the access token (an AUTH_ERRORS code, or HTTP 401)."""
    return exc.code in AUTH_ERRORS or exc.status == 401


@dataclass(frozen=True)
class Pair:
    """The access token in use, until when, and the refresh token that replaces it."""

    access_token: str
    refresh_token: str
    expires_at: datetime


class Tokens:
    """Hands out the access token. Zalo's refresh token is single-use and rotates, so a new pair
    is committed to the database before its access token is used: after a crash the stored pair
    is the one that works. One refresh at a time (a lock), so the refresh token is spent once.

    The configured refresh token is only a seed: it is used when none is stored, or when it
    differs from the seed of the stored pair (the OA was authorised again).
    """

    def __init__(
        self,
        client: ZaloOAClient,
        db: Database,
        app_id: str,
        secret_key: str,
        seed_token: str,
        clock: Clock,
    ) -> None:
        self.client, self.db, self.clock = client, db, clock
        self.app_id, self.secret_key = app_id, secret_key
        self._seed_token = seed_token
        self._seed = hashlib.sha256(seed_token.encode()).hexdigest()[:16]
        self._current: Pair | None = None
        self._unsaved: Pair | None = None  # received from Zalo, not yet committed
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        """Take the stored pair; without one (or with a new seed), refresh with the seed now."""
        row = await self.db.one(LOAD, (self.app_id,))
        if row is not None and row[3] == self._seed:
            logs.add_secret(row[0], row[1])
            self._current = Pair(row[0], row[1], datetime.fromisoformat(row[2]))
            return
        if row is not None:
            log.warning("Zalo OA: a new refresh token is configured; the stored one is dropped")
        await self.refresh(None)

    async def call(self, work: Callable[[str], Awaitable[T]]) -> T:
        """Run `work(access_token)`; if Zalo refuses the token (any of AUTH_ERRORS), refresh and
        run it once more."""
        token = await self.access()
        try:
            return await work(token)
        except ZaloOAError as exc:
            if not refused_token(exc):
                raise
        log.info("Zalo OA refused the access token; refreshing it")
        return await work(await self.refresh(token))

    async def access(self) -> str:
        """The access token, refreshed first when it expires within REFRESH_EARLY."""
        current = self._current
        if current is None or self._unsaved is not None or self._expiring(current):
            return await self.refresh(current.access_token if current else None)
        return current.access_token

    async def refresh(self, stale: str | None) -> str:
        """A fresh access token instead of `stale` (None: none yet); Zalo is asked at most once
        however many callers found the same token stale."""
        async with self._lock:
            if self._unsaved is None:
                current = self._current
                if current is not None and not self._replace(current, stale):
                    return current.access_token
                self._unsaved = await self._exchange()
            await self._save(self._unsaved)  # raises if the commit fails; kept for next time
            self._current, self._unsaved = self._unsaved, None
            return self._current.access_token

    def _replace(self, current: Pair, stale: str | None) -> bool:
        return current.access_token == stale or self._expiring(current)

    def _expiring(self, pair: Pair) -> bool:
        return pair.expires_at - self.clock() <= REFRESH_EARLY

    async def _exchange(self) -> Pair:
        spent = self._current.refresh_token if self._current else self._seed_token
        try:
            new = await self.client.refresh(self.app_id, self.secret_key, spent)
        except ZaloOAError as exc:
            log.error("Zalo OA: the token refresh failed: %s", exc.description)
            raise
        logs.add_secret(new.access_token, new.refresh_token)
        expires_at = self.clock() + timedelta(seconds=new.expires_in)
        return Pair(new.access_token, new.refresh_token, expires_at)

    async def _save(self, pair: Pair) -> None:
        now = self.clock().astimezone(UTC).isoformat()
        token = (pair.access_token, pair.refresh_token, pair.expires_at.isoformat())
        params = (self.app_id, *token, self._seed, now)

        async def write(conn: aiosqlite.Connection) -> None:
            await conn.execute(SAVE, params)

        await self.db.transaction(write)
