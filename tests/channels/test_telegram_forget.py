"""Forget over Telegram while replies are still waiting to be sent: they are dropped, not sent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.channels.telegram_harness import Harness, running
from tests.conftest import config_for
from tests.fakes.telegram_server import FakeTelegram

LAN = 1001
NAME = "Hoàng Thị Mỷ Duyên"
PAUSE = 8  # seconds Telegram asks the bot to wait: the forget is handled meanwhile


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
async def tg(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[Harness]:
    async with running(fake, config_for(tmp_path / "d.db")) as harness:
        yield harness


async def test_replies_unsent_at_forget_are_dropped_and_only_the_goodbye_is_sent(
    tg: Harness,
) -> None:
    await tg.command(LAN, "start")
    await tg.tap(LAN, "Đồng ý")
    await tg.text(LAN, NAME)
    await tg.tap(LAN, "Bác")
    await tg.tap(LAN, "Nà Khau")
    await tg.tap(LAN, "Hộ mới")
    tg.fake.fail_with_429(n=1, retry_after=PAUSE, chat_id=LAN)
    tg.fake.push_text(LAN, "quyền riêng tư")  # its answer shows the name; it is held back
    await tg.fake.wait_for(lambda f: any(c.status == 429 for c in f.calls))
    held = len(tg.fake.sent(LAN))
    tg.fake.push_text(LAN, "xoá dữ liệu")
    tg.fake.push_text(LAN, "Xoá hết")  # the button's label, typed
    await tg.fake.wait_for(lambda f: tg.query("SELECT count(*) FROM residents") == [(0,)])
    bodies = [str(row[0]) for row in tg.query("SELECT body FROM outbox")]
    assert not [b for b in bodies if NAME in b]
    await tg.settle(LAN, held)
    after = [c.text for c in tg.fake.sent(LAN)[held:]]
    assert after == [
        "Đã xoá tên, thôn, mã hộ và sự đồng ý đã lưu của bác. Cảm ơn bác đã dùng trợ lý."
    ]
    assert tg.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]
