"""`danvan run` on the Zalo Bot Platform as a real process: killed mid-flow, then stopped."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.channels.process import rows, start_run
from tests.fakes.zalo_server import FakeZalo

LAN = "6ede9afa5b1eb240fb0f"
CODE = "import sys; from bot.cli import main; sys.exit(main())"


@pytest.fixture
def fake() -> Iterator[FakeZalo]:
    with FakeZalo() as server:
        yield server


async def _start(fake: FakeZalo, db: Path) -> asyncio.subprocess.Process:
    return await start_run(db, {"ZALO_BOT_TOKEN": fake.token, "ZALO_BOT_API_URL": fake.base_url})


async def _say(fake: FakeZalo, text: str, expect: str) -> None:
    before = len(fake.texts(LAN))
    fake.push_text(LAN, text)
    await fake.wait_for(lambda f: any(expect in t for t in f.texts(LAN)[before:]), timeout=30)


async def test_killed_mid_flow_the_reply_is_sent_once_after_restart(
    fake: FakeZalo, tmp_path: Path
) -> None:
    db = tmp_path / "d.db"
    proc = await _start(fake, db)
    await _say(fake, "Xin chào", "Bà con có đồng ý không?")
    await _say(fake, "1", "Bà con tên là gì?")
    await _say(fake, "Lan", "Mình nên gọi bà con là gì?")
    await _say(fake, "bác", "Bác ở thôn nào?")
    await _say(fake, "1", "Hộ mới")
    await _say(fake, "1", "Bác muốn làm gì?")
    await _say(fake, "1", "Chào Lan ở thôn Nà Khau.")
    await _say(fake, "1", "Số điện thoại của bác?")
    fake.fail_with_5xx(n=10_000, method="*")
    fake.push_text(LAN, "0912345678")
    step = "SELECT count(*) FROM progress WHERE step_id = 'idno' AND event = 'step'"
    await fake.wait_for(lambda f: rows(db, step) == [(1,)], timeout=30)
    proc.kill()
    await proc.wait()
    fake.clear_faults()
    proc = await _start(fake, db)
    await fake.wait_for(lambda f: "Số định danh cá nhân?" in f.texts(LAN), timeout=30)
    await _say(fake, "008203001234", "Bác nộp ở đâu?")
    proc.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0
    assert fake.texts(LAN).count("Số định danh cá nhân?") == 1
    assert fake.token not in err.decode()
    answered = "SELECT step_id, count(*) FROM progress WHERE event = 'answered' GROUP BY step_id"
    assert dict(rows(db, answered)) == {"intro": 1, "phone": 1, "idno": 1}


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode_takes_the_documented_body_and_refuses_garbage(
    fake: FakeZalo, tmp_path: Path
) -> None:
    db, port = tmp_path / "d.db", _free_port()
    url = f"http://127.0.0.1:{port}/zalo"
    env = {"ZALO_BOT_TOKEN": fake.token, "ZALO_BOT_API_URL": fake.base_url}
    more = ["--listen", "127.0.0.1", "--port", str(port)]
    proc = await start_run(db, {**env, "ZALO_WEBHOOK_URL": url}, more)
    await fake.wait_for(lambda f: f.webhook is not None, timeout=30)
    assert fake.webhook is not None
    secret = fake.webhook["secret_token"]
    event = {"event_name": "message.text.received", "message": {
        "from": {"id": LAN, "display_name": "Lan", "is_bot": False},
        "chat": {"id": LAN, "chat_type": "PRIVATE"}, "text": "Xin chào",
        "message_id": "dddd0001", "date": 1750316131602}}  # fmt: skip
    assert await fake.post_webhook(event, url, secret) == 200
    await fake.wait_for(lambda f: any("đồng ý" in t for t in f.texts(LAN)), timeout=30)
    assert await fake.post_raw_webhook(b'{"ok": true, "result": []}', url, secret) == 400
    proc.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0
    assert rows(db, "SELECT count(*) FROM inbound_seen") == [(1,)]
    assert fake.token not in err.decode() and secret not in err.decode()
