"""Broadcasts to a village and to a progress segment reach exactly the right residents, on
Telegram and the Zalo Bot Platform at once, and a resident in a flow keeps their place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.broadcasts.audience import Audience
from tests.broadcasts.helpers import MORNING, broadcast, onboard
from tests.channels.drivers import TelegramAndZalo, wait_until
from tests.channels.test_every_channel import pick

NEWS = "Chiều nay cổng dịch vụ công tạm dừng."
SEGMENT_NEWS = "Bà con đang làm dở, mời đến nhà văn hoá lúc 8 giờ."


@pytest.fixture
async def both(tmp_path: Path) -> AsyncIterator[TelegramAndZalo]:
    async with TelegramAndZalo(tmp_path / "d.db") as running:
        yield running


def got(driver: object, user: str, text: str) -> bool:
    return any(text in t for t in driver.texts(user))  # type: ignore[attr-defined]


async def test_a_village_and_a_segment_reach_exactly_their_residents_on_each_channel(
    both: TelegramAndZalo,
) -> None:
    tg, zalo = both.telegram, both.zalo
    await onboard(tg, "lan", "Lan", "Nà Khau")
    await onboard(tg, "minh", "Minh", "Bản Cậy")
    await onboard(zalo, "hoa", "Hoa", "Nà Khau")
    await onboard(zalo, "tuan", "Tuấn", "Bản Cậy")
    await tg.start("nam")  # never consented: never reached
    await pick(zalo, "tuan", "f:sample")
    await pick(zalo, "tuan", "Bắt đầu")  # asked for a phone number: an open run of "sample"
    app = tg.app

    await broadcast(app, NEWS, Audience(villages=("na_khau",)))
    await broadcast(app, SEGMENT_NEWS, Audience(segment="open_run:sample"))
    await wait_until(lambda: got(tg, "lan", NEWS) and got(zalo, "hoa", NEWS))
    await wait_until(lambda: got(zalo, "tuan", SEGMENT_NEWS))
    await tg.drain()
    await zalo.drain()

    reached = {(u, d.name) for d in (tg, zalo) for u in ("lan", "minh", "hoa", "tuan", "nam")
               if got(d, u, NEWS)}  # fmt: skip
    assert reached == {("lan", "telegram"), ("hoa", "zalo_bot")}
    segment = {(u, d.name) for d in (tg, zalo) for u in ("lan", "minh", "hoa", "tuan", "nam")
               if got(d, u, SEGMENT_NEWS)}  # fmt: skip
    assert segment == {("tuan", "zalo_bot")}
    assert any(t.endswith("— UBND xã Hà Lang") for t in tg.texts("lan"))

    # the resident in the flow kept their place: their next answer answers the question
    replies = await zalo.send_text("tuan", "0912345678")
    assert replies == ["Số định danh cá nhân?"], replies


async def test_a_broadcast_leaves_the_question_on_screen_live_on_telegram(
    both: TelegramAndZalo,
) -> None:
    tg = both.telegram
    await onboard(tg, "lan", "Lan", "Nà Khau")
    await pick(tg, "lan", "f:sample")
    buttons_before = tg.fake.live_keyboards(tg.id("lan"))
    await broadcast(tg.app, NEWS, Audience(), flow_id="sample", now=MORNING)
    await wait_until(lambda: got(tg, "lan", NEWS))
    await tg.drain()
    keyboards = tg._keyboards(tg.id("lan"))
    question, news = keyboards[-2], keyboards[-1]
    assert news[1] == ["flow:sample"]
    assert set(buttons_before) <= set(tg.fake.live_keyboards(tg.id("lan")))
    assert question[0] in buttons_before  # the question's buttons are still there and work:
    assert await tg._tap("lan", question, 1) == ["Số điện thoại của bác?"]
    await tg._tap("lan", news, 1)  # the broadcast's button starts (here: shows) its flow
    taps = tg.query("SELECT COUNT(tapped_at) FROM broadcast_recipients")
    assert taps == [(1,)]
