"""Starting `danvan` as a real process on a database it cannot have: it says why and exits 1."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.channels.process import start_danvan
from tests.fakes.telegram_server import FakeTelegram

NEVER = 120  # seconds; a process still running then is hanging


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


def _env(fake: FakeTelegram) -> dict[str, str]:
    return {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url[: -len("/bot")]}


async def _ended(proc: asyncio.subprocess.Process) -> tuple[int | None, str]:
    _, err = await asyncio.wait_for(proc.communicate(), timeout=NEVER)
    return proc.returncode, err.decode()


async def test_a_second_process_on_the_same_file_refuses_to_start_and_names_the_first(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "d.db"
    first = await start_danvan("run", db, _env(fake))
    await fake.wait_for(lambda f: any(c.method == "getUpdates" for c in f.calls), timeout=60)
    for command in ("run", "chat"):
        code, err = await _ended(await start_danvan(command, db, _env(fake)))
        assert code == 1
        assert f"{db} is already used by danvan run (pid {first.pid}, since " in err
        assert "stop it first or use --db" in err
    first.send_signal(signal.SIGTERM)
    assert (await _ended(first))[0] == 0
    code, err = await _ended(await start_danvan("chat", db))  # free again once it stopped
    assert code == 0, err


async def test_a_file_that_is_not_a_database_stops_the_start_at_once(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "d.db"
    db.write_bytes(b"these are the minutes of the commune meeting, not a database\n" * 20)
    code, err = await _ended(await start_danvan("run", db, _env(fake)))
    assert code == 1
    assert err.strip() == (
        f"{db} is not a danvan database (SQLite: file is not a database): point --db at the"
        " right file, or move this one away to start a new database"
    )


async def test_a_database_another_program_keeps_locked_stops_the_start(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "d.db"
    with closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute("CREATE TABLE notes (line TEXT)")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("INSERT INTO notes VALUES ('held')")
        code, err = await _ended(await start_danvan("run", db, _env(fake)))
        other.execute("ROLLBACK")
    assert code == 1
    assert f"{db} is locked by another program (waited 11 s)" in err
    assert "Traceback" not in err


async def test_polling_that_stops_on_an_error_ends_the_process(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    proc = await start_danvan("run", tmp_path / "d.db", _env(fake))
    await fake.wait_for(lambda f: any(c.method == "getUpdates" for c in f.calls), timeout=60)
    fake.token = "1:revoked"  # the bot's token revoked in @BotFather: getUpdates gets 401
    code, err = await _ended(proc)
    assert code == 2
    assert "Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather" in err
