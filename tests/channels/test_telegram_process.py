"""`danvan run` as a real process: killed mid-flow and restarted, and stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.channels.process import rows, start_run
from tests.fakes.telegram_server import FakeTelegram

LAN = 1001
CODE = "import sys; from bot.cli import main; sys.exit(main())"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


async def _start(fake: FakeTelegram, db: Path) -> asyncio.subprocess.Process:
    root = fake.base_url.removesuffix("/bot")
    return await start_run(db, {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": root})


async def _reply(fake: FakeTelegram, push: int, text: str) -> None:
    await fake.wait_for(lambda f: text in f.texts(LAN)[push:], timeout=30)


async def _say(fake: FakeTelegram, text: str, expect: str, tap: bool = False) -> None:
    before = len(fake.texts(LAN))
    if tap:
        fake.push_callback(LAN, _button(fake, text))
    else:
        fake.push_text(LAN, text)
    await _reply(fake, before, expect)


def _button(fake: FakeTelegram, label: str) -> str:
    for call in reversed(fake.sent(LAN)):
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == label:
                    return str(button["callback_data"])
    raise AssertionError(f"no button {label!r}")


async def test_killed_mid_flow_it_goes_on_at_the_same_step_and_sends_nothing_twice(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    db = tmp_path / "d.db"
    proc = await _start(fake, db)
    fake.push_command(LAN, "start")
    await fake.wait_for(lambda f: any("đồng ý" in t for t in f.texts(LAN)), timeout=30)
    await _say(fake, "Đồng ý", "Bà con tên là gì? (Ví dụ: Bàn Thị Huấn)", tap=True)
    await _say(fake, "Lan", "Mình nên gọi bà con là gì?")
    await _say(fake, "Bác", "Chào bác Lan! Bác ở thôn nào?", tap=True)
    await _say(fake, "Nà Khau", _household_question(), tap=True)
    await _say(fake, "Hộ mới", "Bác muốn làm gì? Bấm một nút bên dưới.", tap=True)
    await _say(fake, "Thử nghiệm", "Chào Lan ở thôn Nà Khau.", tap=True)
    await _say(fake, "Bắt đầu", "Số điện thoại của bác?", tap=True)
    fake.fail_with_5xx(n=10_000, method="*")  # from now on nothing gets through
    answer = fake.push_text(LAN, "0912345678")
    await fake.wait_for(lambda f: _decided(db), timeout=30)
    proc.kill()  # SIGKILL: the decision is stored, the reply is not sent
    await proc.wait()
    fake.clear_faults()
    proc = await _start(fake, db)
    await fake.wait_for(lambda f: "Số định danh cá nhân?" in f.texts(LAN), timeout=30)
    fake.push_raw({**fake_update(answer, "0912345678")})  # Telegram delivers it again
    await _say(fake, "008203001234", "Bác nộp ở đâu?")
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), timeout=30) == 0
    assert fake.texts(LAN).count("Số định danh cá nhân?") == 1
    answered = "SELECT step_id, count(*) FROM progress WHERE event = 'answered' GROUP BY step_id"
    assert dict(rows(db, answered)) == {"intro": 1, "phone": 1, "idno": 1}


def _household_question() -> str:
    return (
        'Trong nhà đã có ai dùng trợ lý này và có mã hộ chưa? Nếu có, chọn "Đã có mã hộ" và '
        "nhập mã đó để cả nhà chung một hộ."
    )


def _decided(db: Path) -> bool:
    sql = "SELECT count(*) FROM progress WHERE step_id = 'idno' AND event = 'step'"
    return db.exists() and rows(db, sql) == [(1,)]


def fake_update(update_id: int, text: str) -> dict[str, object]:
    """A text message update as Telegram sends it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 500 + update_id, "date": 0, "text": text,
            "chat": {"id": LAN, "type": "private"},
            "from": {"id": LAN, "is_bot": False, "first_name": "Lan"},
        },
    }  # fmt: skip


async def test_sigterm_stops_cleanly_and_the_token_never_reaches_the_log(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    proc = await _start(fake, tmp_path / "d.db")
    fake.push_command(LAN, "start")
    await fake.wait_for(lambda f: any("đồng ý" in t for t in f.texts(LAN)), timeout=30)
    proc.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0
    log = err.decode()
    assert "Telegram: polling" in log and "stopping" in log
    assert fake.token not in log and fake.token.split(":")[1] not in log
