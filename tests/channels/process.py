"""`danvan run` as a real child process on the test flows, and reading its database file."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import Mapping, Sequence
from contextlib import closing
from pathlib import Path

from tests.conftest import BASIC_FLOWS, ROOT

CODE = "import sys; from bot.cli import main; sys.exit(main())"
CHANNEL_TOKENS = ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "ZALO_OA_APP_ID")


async def start_run(
    db: Path, env: Mapping[str, str], more: Sequence[str] = ()
) -> asyncio.subprocess.Process:
    """`danvan run` on `db` with only the channels `env` configures, and the arguments `more`;
    stderr is piped."""
    clean = {k: v for k, v in os.environ.items() if k not in CHANNEL_TOKENS}
    args = [
        "run",
        "--db",
        str(db),
        "--flows",
        str(BASIC_FLOWS),
        "--config",
        str(ROOT / "danvan.yaml"),
        *more,
    ]
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", CODE, *args,
        env={**clean, **env}, cwd=ROOT, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    """A query's rows, read with a connection of its own."""
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


async def start_danvan(
    command: str, db: Path, env: Mapping[str, str] | None = None
) -> asyncio.subprocess.Process:
    """`danvan <command>` (run or chat) on `db` and the test flows; stdin is empty, stderr piped."""
    clean = {k: v for k, v in os.environ.items() if k not in CHANNEL_TOKENS}
    args = [command, "--db", str(db), "--flows", str(BASIC_FLOWS)]
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", CODE, *args, "--config", str(ROOT / "danvan.yaml"),
        env={**clean, **(env or {})}, cwd=ROOT, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
