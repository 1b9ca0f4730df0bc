"""The second connection that checkpoints the WAL, and empties it on request (after a forget)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3

import aiosqlite

CHECKPOINT_EVERY = 0.25  # seconds between checkpoints
# A TRUNCATE waits for readers (and blocks the writer meanwhile) at most BUSY_WAIT_MS; held up
# longer, it is tried again after TRUNCATE_RETRY seconds, TRUNCATE_TRIES times, then at the
# next tick, until it succeeds.
BUSY_WAIT_MS = 100
TRUNCATE_TRIES = 100
TRUNCATE_RETRY = 0.05


class Checkpointer:
    """Runs a PASSIVE checkpoint every CHECKPOINT_EVERY seconds, beside the writer; when asked,
    a TRUNCATE one (every frame copied into the file, the WAL cut to zero bytes)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._waiting: list[asyncio.Future[None]] = []
        self._task: asyncio.Task[None] | None = None
        self._conn: aiosqlite.Connection | None = None
        self.held_up = 0  # TRUNCATEs that could not complete (and were tried again)

    async def start(self) -> None:
        """Connect (before the loop, so a stop never finds a connection half made), then start
        checkpointing."""
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        await self._conn.execute(f"PRAGMA busy_timeout={BUSY_WAIT_MS}")
        self._task = asyncio.create_task(self._loop(self._conn))

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The checkpointing task, once started."""
        return self._task

    def truncate(self) -> asyncio.Future[None]:
        """Ask for the WAL to be emptied; the future is done once a TRUNCATE has succeeded."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(future)
        return future

    async def stop(self) -> None:
        """Stop checkpointing (the database's close empties the WAL itself)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._conn is not None:
            await self._conn.close()
        for future in self._waiting:
            future.cancel()

    async def _loop(self, conn: aiosqlite.Connection) -> None:
        while True:
            await asyncio.sleep(CHECKPOINT_EVERY)
            if self._waiting:
                await self._truncate(conn)
            else:
                await _passive(conn)

    async def _truncate(self, conn: aiosqlite.Connection) -> None:
        """Empty the WAL for everyone waiting; those asking meanwhile wait for the next one."""
        waiting, self._waiting = self._waiting, []
        for _ in range(TRUNCATE_TRIES):
            if await _truncated(conn):
                for future in waiting:
                    if not future.done():
                        future.set_result(None)
                return
            self.held_up += 1
            await asyncio.sleep(TRUNCATE_RETRY)
        self._waiting[:0] = waiting  # tried again at the next tick


async def _passive(conn: aiosqlite.Connection) -> None:
    """One PASSIVE checkpoint; a store that cannot write (a full disk) is tried at the next tick,
    and the writer reports it (bot/store/pressure.py)."""
    with contextlib.suppress(sqlite3.OperationalError):
        await conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


async def _truncated(conn: aiosqlite.Connection) -> bool:
    """One TRUNCATE checkpoint; whether it completed (not held up by a reader or a writer)."""
    try:
        async with conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
            row = await cursor.fetchone()
    except sqlite3.OperationalError:  # locked
        return False
    return row is not None and row[0] == 0
