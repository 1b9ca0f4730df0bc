"""The SQLite database (one file, WAL): opening, migrating, reading, and grouped commits."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.store.batch import Batch
from bot.store.checkpoint import Checkpointer
from bot.store.schema import LATEST, MIGRATIONS

log = logging.getLogger(__name__)
Row = aiosqlite.Row
# The writer never checkpoints the WAL inside a commit (that stalled every message queued
# behind it); a second connection checkpoints it instead (bot/store/checkpoint.py). Deleted
# content is overwritten with zeros (secure_delete), whatever the SQLite build's default.
PRAGMAS = (
    "journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000",
    "wal_autocheckpoint=0", "secure_delete=ON",
)  # fmt: skip
ERASE_WAIT = 10.0  # seconds a caller of erase_wal waits; the checkpointer keeps trying after
BUSY_WAIT = 5.0  # how long a statement waits for a file another connection holds
T = TypeVar("T")
Work = Batch | Callable[[aiosqlite.Connection], Awaitable[Any]]


class Database:
    """One connection; reads run directly, writes go through one writer that groups them.

    Batches queued while a transaction is being written are merged into the next one, so many
    residents' messages share one commit; a batch that fails is retried alone so the others
    still land.
    """

    def __init__(self, conn: aiosqlite.Connection, order: Sequence[str] = ()) -> None:
        self.conn = conn
        self.order = tuple(order)
        self._queue: list[tuple[Work, asyncio.Future[Any]]] = []
        self._wakeup = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._closing = False
        self._checkpointer: Checkpointer | None = None

    @classmethod
    async def open(cls, path: Path | str, order: Sequence[str] = ()) -> Database:
        """Open (or create) the database file and bring its schema up to date."""
        conn = await aiosqlite.connect(str(path), isolation_level=None, timeout=BUSY_WAIT)
        conn.row_factory = aiosqlite.Row
        db = cls(conn, order)
        try:
            for pragma in PRAGMAS:
                await conn.execute(f"PRAGMA {pragma}")
            await db.migrate()
        except BaseException:
            await conn.close()  # its thread would keep the process alive
            raise
        db._writer = asyncio.create_task(db._write_loop())
        db._checkpointer = Checkpointer(str(path))
        await db._checkpointer.start()
        return db

    def background(self) -> list[asyncio.Task[None]]:
        """The tasks that keep the store working; the process must not outlive them."""
        checkpointer = self._checkpointer.task if self._checkpointer is not None else None
        return [t for t in (self._writer, checkpointer) if t is not None]

    async def migrate(self) -> int:
        """Apply the migrations this file has not had yet; returns the schema version."""
        row = await self.one("PRAGMA user_version")
        current = int(row[0]) if row else 0
        for number in range(current, LATEST):
            await self.conn.execute("BEGIN IMMEDIATE")
            for statement in _statements(MIGRATIONS[number]):
                await self.conn.execute(statement)
            await self.conn.execute(f"PRAGMA user_version = {number + 1}")
            await self.conn.execute("COMMIT")
        return LATEST

    async def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        async with self.conn.execute(sql, params) as cursor:
            row: Row | None = await cursor.fetchone()
            return row

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Every row of a query."""
        return list(await self.conn.execute_fetchall(sql, params))

    async def commit(self, batch: Batch) -> None:
        """Write a batch in a transaction (shared with other batches); return once committed."""
        await self._submit(batch)

    async def transaction(self, work: Callable[[aiosqlite.Connection], Awaitable[T]]) -> T:
        """Run `work` alone in a transaction of its own and return what it returns."""
        result: T = await self._submit(work)
        return result

    async def _submit(self, work: Work) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((work, future))
        self._wakeup.set()
        return await future

    async def _write_loop(self) -> None:
        while not (self._closing and not self._queue):
            await self._wakeup.wait()
            self._wakeup.clear()
            pending, self._queue = self._queue, []
            batches = [(w, f) for w, f in pending if isinstance(w, Batch)]
            if batches:
                await self._write_batches(batches)
            for work, future in pending:
                if not isinstance(work, Batch):
                    await self._run(work, future)

    async def _write_batches(self, pending: list[tuple[Any, asyncio.Future[Any]]]) -> None:
        try:
            await self._in_transaction(self._apply(Batch.merge(b for b, _ in pending)))
        except Exception as exc:
            if len(pending) > 1:  # find the batch that fails; the others still land
                for item in pending:
                    await self._write_batches([item])
                return
            _settle(pending, exc)
            return
        _settle(pending, None)

    async def _apply(self, batch: Batch) -> None:
        for sql, rows in batch.grouped(self.order):
            await self.conn.executemany(sql, rows)

    async def _run(self, work: Callable[..., Awaitable[Any]], future: asyncio.Future[Any]) -> None:
        try:
            result = await self._in_transaction(work(self.conn))
        except Exception as exc:
            if not future.done():
                future.set_exception(exc)
            return
        if not future.done():
            future.set_result(result)

    async def _in_transaction(self, work: Awaitable[T]) -> T:
        await self.conn.execute("BEGIN IMMEDIATE")
        try:
            result = await work
            await self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:  # SQLite ends it itself on a full disk or I/O error
                await self.conn.execute("ROLLBACK")
            raise
        return result

    @property
    def checkpointer(self) -> Checkpointer | None:
        """The connection that checkpoints the WAL (None before open)."""
        return self._checkpointer

    async def erase_wal(self) -> bool:
        """Copy the WAL into the file and empty it, so deleted rows' old pages are gone from
        it too; False when that did not happen within ERASE_WAIT (it is retried meanwhile)."""
        if self._checkpointer is None:
            return False
        done = self._checkpointer.truncate()
        try:
            await asyncio.wait_for(asyncio.shield(done), ERASE_WAIT)
        except TimeoutError:
            log.warning("the WAL could not be emptied yet; the checkpointer keeps trying")
            return False
        except asyncio.CancelledError:
            if not done.cancelled():  # this caller was cancelled, not the request
                raise
            return False  # the database is closing; close() empties the WAL itself
        return True

    async def close(self) -> None:
        """Finish the writes under way and close the file."""
        self._closing = True
        self._wakeup.set()
        if self._writer is not None:
            await self._writer
        if self._checkpointer is not None:
            await self._checkpointer.stop()
        await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        await self.conn.close()


def _settle(pending: list[tuple[Any, asyncio.Future[Any]]], error: Exception | None) -> None:
    for _, future in pending:
        if future.done():
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(None)


def _statements(script: str) -> list[str]:
    """The script's statements; a trigger's body (with its own semicolons) stays whole."""
    statements, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \n;"):
                statements.append(current.strip())
            current = ""
    return statements
