"""The terminal chat: numbered choices, media as lines, and a restart after a hard kill."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from bot.app import App
from bot.channels.terminal import converse
from bot.engine.types import Inbound
from tests.conftest import BASIC_FLOWS, ROOT


def _reader(lines: list[str]) -> Callable[[], str | None]:
    feed = iter(lines)
    return lambda: next(feed, None)


async def test_the_chat_numbers_choices_shows_media_and_accepts_numbers(app: App) -> None:
    out = io.StringIO()
    await converse(app, "lan", _reader(["1", "Lan", "1", "1", "1", "1", "1", "abc"]), out)
    text = out.getvalue()
    assert "1. Đồng ý\n2. Không đồng ý" in text
    assert "1. Nà Khau\n2. Bản Cậy" in text
    assert (
        "[image: images/sample/intro.png]\nChào Lan ở thôn Nà Khau.\n\n1. Bắt đầu\n2. Để sau"
        in text
    )
    assert text.rstrip().endswith("Số điện thoại của bác?")
    assert "Bác gõ số điện thoại di động bằng chữ số." in text


async def test_the_chat_says_type_a_number_never_tap(app: App) -> None:
    """The terminal has no buttons: the menu and a miss say which number to type."""
    out = io.StringIO()
    await converse(app, "lan", _reader(["xyz", "1", "Lan", "1", "1", "1"]), out)
    text = out.getvalue()
    assert 'Bà con gõ số của một lựa chọn trong danh sách, ví dụ gõ 1 để chọn "Đồng ý".' in text
    assert "Bác muốn làm gì? Gõ số của việc cần làm.\n\n1. Thử nghiệm" in text
    assert "bấm" not in text.lower()


async def test_answers_as_residents_type_them_in_the_terminal(app: App) -> None:
    """A sample of the corpus (tests/engine/test_corpus.py): no buttons, only typed words."""
    out = io.StringIO()
    lines = ["có ạ", "Lan", "bác ạ", "na khau a", "chưa có", "thu nghiem", "bat dau nhe"]
    lines.append("xoá dữ liệu")
    await converse(app, "lan", _reader([*lines, "có"]), out)
    text = out.getvalue()
    assert "Bà con tên là gì?" in text and "Mã hộ của bác là" in text
    assert "Số điện thoại của bác?" in text
    assert "Đã xoá tên, thôn, mã hộ, các bước đã làm cùng câu trả lời" in text


async def test_the_chat_resends_what_a_crash_left_unsent(app: App) -> None:
    await app.conversation.handle("terminal", "lan", Inbound("start"))
    out = io.StringIO()
    await converse(app, "lan", _reader([]), out)
    assert out.getvalue().count("Bà con có đồng ý không?") == 2


async def _read_until(stream: asyncio.StreamReader, needle: str, seen: list[str]) -> None:
    while needle not in "".join(seen):
        chunk = await asyncio.wait_for(stream.read(4096), timeout=30)
        if not chunk:
            raise AssertionError(f"the chat ended before saying {needle!r}: {''.join(seen)}")
        seen.append(chunk.decode())


async def _chat(db: Path, env: dict[str, str] | None = None) -> asyncio.subprocess.Process:
    code = "import sys; from bot.cli import main; sys.exit(main())"
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, "chat", "--db", str(db), "--flows", str(BASIC_FLOWS),
        "--config", str(ROOT / "danvan.yaml"),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT, env=env,
    )  # fmt: skip


async def test_a_killed_chat_goes_on_at_the_same_step_with_nothing_logged_twice(
    tmp_path: Path,
) -> None:
    db = tmp_path / "kill.db"
    proc = await _chat(db)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"1\nLan\n1\n1\n1\n1\n1\n0912345678\n")
    await proc.stdin.drain()
    seen: list[str] = []
    await _read_until(proc.stdout, "Số định danh cá nhân?", seen)
    os.kill(proc.pid, signal.SIGKILL)
    await proc.wait()
    proc = await _chat(db)
    out, _ = await asyncio.wait_for(proc.communicate(b"008203001234\n"), timeout=60)
    text = out.decode()
    assert text.index("Số định danh cá nhân?") < text.index("Bác nộp ở đâu?")
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT step_id, count(*) FROM progress WHERE event = 'answered' GROUP BY step_id"
        ).fetchall()
    assert dict(rows) == {"intro": 1, "phone": 1, "idno": 1}


# How Python decodes stdin: strictly in a UTF-8 locale, with escapes in the C locale.
@pytest.mark.parametrize("decoding", ["utf-8:strict", "utf-8:surrogateescape"])
async def test_the_chat_answers_bytes_that_are_not_utf8_and_exits_cleanly(
    tmp_path: Path, decoding: str
) -> None:
    proc = await _chat(tmp_path / "bytes.db", dict(os.environ, PYTHONIOENCODING=decoding))
    out, _ = await asyncio.wait_for(proc.communicate(b"\xff\xfe\xc3 chao\n1\nL\xe0n\n1\n"), 60)
    text = out.decode()
    assert proc.returncode == 0
    assert text.count("Bà con có đồng ý không?") == 2  # the bytes answered, the question again
    assert "Chào bác L\ufffdn! Bác ở thôn nào?" in text
