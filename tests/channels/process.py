"""`danvan run` as a real child process on the test flows, and reading its database file."""

from __future__ import annotations

import asyncio
import os
import resource
import sqlite3
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from pathlib import Path

from tests.conftest import BASIC_FLOWS, ROOT

CODE = "import sys; from bot.cli import main; sys.exit(main())"
CHANNEL_TOKENS = ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "ZALO_OA_APP_ID")


async def start_run(
    db: Path, env: Mapping[str, str], extra: Sequence[str] = (), open_files: int | None = None
) -> asyncio.subprocess.Process:
    """`danvan run` on `db` with only the channels `env` configures; stderr is piped.

    `extra` arguments are added; `open_files` sets the child's descriptor limit (soft and hard).
    """
    clean = {k: v for k, v in os.environ.items() if k not in CHANNEL_TOKENS}
    args = [
        "run",
        "--db",
        str(db),
        "--flows",
        str(BASIC_FLOWS),
        "--config",
        str(ROOT / "danvan.yaml"),
        *extra,
    ]
    limit = None if open_files is None else _limit_files(open_files)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", CODE, *args,
        env={**clean, **env}, cwd=ROOT, stderr=asyncio.subprocess.PIPE, preexec_fn=limit,
    )  # fmt: skip


def _limit_files(n: int) -> Callable[[], None]:
    return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))


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
