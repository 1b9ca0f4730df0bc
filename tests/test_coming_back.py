"""Coming back with the real store and a controllable clock: the time of the last message is kept
in the resident's state, across a restart, and a return after an hour is greeted."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import open_app
from bot.engine.types import Inbound
from tests.conftest import config_for
from tests.test_conversation_service import Resident

START = datetime(2026, 11, 29, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


async def test_a_resident_back_days_later_is_told_where_they_are(tmp_path: Path) -> None:
    config = config_for(tmp_path / "d.db")
    clock = Clock()
    app = await open_app(config, clock)
    try:
        lan = Resident(app)
        await lan.send(Inbound("start"))
        await lan.tap("Đồng ý")
        await lan.text("Lan")
        await lan.text("bác")
        await lan.tap("Nà Khau")
        await lan.tap("Hộ mới")
        await lan.tap("Thử nghiệm")
        await lan.tap("Bắt đầu")
        clock.now += timedelta(minutes=30)
        await lan.text("không nhớ")
        assert "quay lại" not in lan.said()
    finally:
        await app.close()
    clock.now += timedelta(days=2)
    app = await open_app(config, clock)
    try:
        lan = Resident(app)
        await lan.send(Inbound("start"), key="again")
        texts = [d.message.text for d in lan.last]
        greeting = "Chào mừng bác quay lại! Mình đang giúp bác bước 2/5 của Thử nghiệm."
        assert texts == [greeting, "Số điện thoại của bác?"]
    finally:
        await app.close()
