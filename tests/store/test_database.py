"""The database file: migrations in place, WAL, grouped commits that keep each batch whole."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.store.batch import Batch
from bot.store.db import Database
from bot.store.schema import LATEST
from bot.store.writes import ORDER


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in rows}


async def test_a_new_file_gets_the_whole_schema_in_wal_mode(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "d.db")
    row = await db.one("PRAGMA journal_mode")
    await db.close()
    assert row is not None and row[0] == "wal"
    assert {"residents", "households", "runs", "progress", "outbox", "inbound_seen"} <= _tables(
        tmp_path / "d.db"
    )
    with closing(sqlite3.connect(tmp_path / "d.db")) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST


async def test_an_older_file_is_upgraded_in_place_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('kept')")
        conn.commit()
    db = await Database.open(path)
    await db.close()
    db = await Database.open(path)  # opening again applies nothing twice
    row = await db.one("SELECT text FROM notes")
    await db.close()
    assert row is not None and row[0] == "kept"
    assert "residents" in _tables(path)


async def test_batches_queued_together_share_a_transaction_and_each_lands(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "d.db", ORDER)
    batches = []
    for n in range(50):
        batch = Batch()
        batch.add("INSERT INTO villages (id, name) VALUES (?, ?)", (f"v{n}", f"Village {n}"))
        batches.append(batch)
    await asyncio.gather(*(db.commit(b) for b in batches))
    row = await db.one("SELECT count(*) FROM villages")
    await db.close()
    assert row is not None and row[0] == 50


async def test_a_failing_batch_fails_alone(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "d.db", ORDER)
    good, bad = Batch(), Batch()
    good.add("INSERT INTO villages (id, name) VALUES (?, ?)", ("a", "A"))
    bad.add("INSERT INTO villages (id, name) VALUES (?, ?)", ("b", "B"))
    bad.add("INSERT INTO villages (id, name) VALUES (?, ?)", ("b", "again"))
    results = await asyncio.gather(db.commit(good), db.commit(bad), return_exceptions=True)
    rows = await db.all("SELECT id FROM villages ORDER BY id")
    await db.close()
    assert results[0] is None and isinstance(results[1], sqlite3.IntegrityError)
    assert [r[0] for r in rows] == ["a"]


def test_grouping_keeps_the_order_of_statements() -> None:
    first, second = Batch(), Batch()
    first.add("B", (1,))
    first.add("A", (2,))
    second.add("A", (3,))
    grouped = list(Batch.merge([first, second]).grouped(order=("B", "A")))
    assert grouped == [("B", [(1,)]), ("A", [(2,), (3,)])]


@pytest.mark.parametrize("order", [("A", "B"), ()])
def test_statements_not_in_the_order_come_in_the_order_first_seen(order: tuple[str, ...]) -> None:
    batch = Batch()
    batch.add("C", ())
    batch.add("A", ())
    names = [sql for sql, _ in batch.grouped(order)]
    assert names == (["A", "C"] if order else ["C", "A"])
