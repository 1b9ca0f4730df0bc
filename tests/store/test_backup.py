"""`danvan backup` beside a bot handling messages: the copy opens, checks, and holds every
message committed before it began."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

from bot.app import App
from bot.cli import main
from bot.engine.types import Inbound
from bot.store.schema import LATEST
from tests.conftest import ROOT
from tests.test_conversation_service import CHANNEL, query

RESIDENTS = 12


async def chatter(app: App, who: str, stop: asyncio.Event) -> None:
    """One resident writing until told to stop (each message its own dedupe key)."""
    n = 0
    while not stop.is_set():
        n += 1
        inbound = Inbound("start") if n == 1 else Inbound("text", text=f"tin {n}")
        await app.conversation.handle(CHANNEL, who, inbound, f"{who}-{n}")


def seen_keys(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {str(r[0]) for r in conn.execute("SELECT key FROM inbound_seen")}


async def test_a_backup_taken_while_messages_are_handled_holds_every_message_before_it(
    app: App, tmp_path: Path
) -> None:
    stop = asyncio.Event()
    writers = [asyncio.create_task(chatter(app, f"r{i}", stop)) for i in range(RESIDENTS)]
    while len(query(app, "SELECT key FROM inbound_seen")) < 3 * RESIDENTS:
        await asyncio.sleep(0.01)
    before = seen_keys(app.config.db_path)
    target = tmp_path / "copy.db"
    args = ["backup", "--config", str(ROOT / "danvan.yaml"), "--db", str(app.config.db_path)]
    status = await asyncio.to_thread(main, [*args, str(target)])
    stop.set()
    await asyncio.gather(*writers)
    assert status == 0
    copied = seen_keys(target)
    assert before <= copied
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not Path(f"{target}-wal").exists()


async def test_a_backup_never_overwrites_a_file(app: App, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_bytes(b"older copy")
    args = ["backup", "--config", str(ROOT / "danvan.yaml"), "--db", str(app.config.db_path)]
    assert await asyncio.to_thread(main, [*args, str(target)]) == 1
    assert target.read_bytes() == b"older copy"
