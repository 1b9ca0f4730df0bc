"""The timed jobs in `danvan run`, a real process: one reminder across a restart, then expiry."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.channels.process import rows, start_run
from tests.channels.test_telegram_process import LAN, _household_question, _say
from tests.conftest import ROOT
from tests.fakes.telegram_server import FakeTelegram

TIEN = 700000103  # the propagandist of Nà Khau in the sample danvan.yaml
PAST = "2020-01-01T00:00:00+07:00"  # the process reads the real clock: the due time is moved
REMINDER = "Bác còn đang làm dở một việc."


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


def config(tmp_path: Path) -> Path:
    """The sample commune without quiet hours (the test may run at night)."""
    text = (ROOT / "danvan.yaml").read_text(encoding="utf-8")
    quiet = 'quiet_hours: {start: "21:00", end: "06:30"}'
    assert quiet in text
    path = tmp_path / "danvan.yaml"
    path.write_text(text.replace(quiet, 'quiet_hours: {start: "00:00", end: "00:00"}'), "utf-8")
    return path


async def start(fake: FakeTelegram, db: Path, conf: Path) -> asyncio.subprocess.Process:
    root = fake.base_url.removesuffix("/bot")
    env = {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": root}
    return await start_run(db, env, ("--config", str(conf)))


async def stop(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), timeout=30) == 0


def due(db: Path, field: str) -> None:
    """Move the run's reminder or expiry time, and the resident's last message, into the past
    (in the run and the state), as if the days had passed."""
    moved = f"json_set(state, '$.run.{field}', ?1, '$.seen_at', ?1)"
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(f"UPDATE runs SET {field} = ?", (PAST,))
        conn.execute(f"UPDATE residents SET state = {moved}", (PAST,))


async def test_reminded_once_across_a_restart_then_expired(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db, conf = tmp_path / "d.db", config(tmp_path)
    proc = await start(fake, db, conf)
    fake.push_command(LAN, "start")
    await fake.wait_for(lambda f: any("đồng ý" in t for t in f.texts(LAN)), timeout=30)
    await _say(fake, "Đồng ý", "Bà con tên là gì? (Ví dụ: Bàn Thị Huấn)", tap=True)
    await _say(fake, "Lan", "Mình nên gọi bà con là gì?")
    await _say(fake, "Bác", "Chào bác Lan! Bác ở thôn nào?", tap=True)
    await _say(fake, "Nà Khau", _household_question(), tap=True)
    await _say(fake, "Hộ mới", "Bác muốn làm gì? Bấm một nút bên dưới.", tap=True)
    await _say(fake, "Thử nghiệm", "Chào Lan ở thôn Nà Khau.", tap=True)
    await _say(fake, "Bắt đầu", "Số điện thoại của bác?", tap=True)
    await stop(proc)

    due(db, "remind_at")
    proc = await start(fake, db, conf)
    await fake.wait_for(lambda f: any(t.startswith(REMINDER) for t in f.texts(LAN)), timeout=30)
    await stop(proc)
    assert rows(db, "SELECT remind_at FROM runs") == [(None,)]

    due(db, "expire_at")
    proc = await start(fake, db, conf)
    await fake.wait_for(lambda f: any("Cần người giúp" in t for t in f.texts(TIEN)), timeout=30)
    await fake.wait_for(lambda f: any("Mình đã báo cho" in t for t in f.texts(LAN)), timeout=30)
    await stop(proc)
    assert sum(t.startswith(REMINDER) for t in fake.texts(LAN)) == 1
    assert rows(db, "SELECT reason, status FROM followups") == [("idle", "open")]
