"""A sticker and a voice message on every channel: a kind answer worded for that channel, the
question shown again, no strike; and the instructions of each channel fit its way of answering."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.channels.drivers import DRIVERS, Driver, TelegramDriver, wait_until
from tests.channels.test_every_channel import onboard, pick

READS_BUTTONS = 'Mình chỉ đọc được chữ bác gõ và nút bác bấm. Cần người giúp, bác gõ "trợ giúp".'
READS_TYPED = 'Mình chỉ đọc được chữ và số bác gõ. Cần người giúp, bác gõ "trợ giúp".'
STICKER = "Mình chưa hiểu được nhãn dán (sticker)."
VOICE = "Mình chưa nghe được tin nhắn thoại."
HAS_BUTTONS = {"telegram": True, "zalo_bot": False, "zalo_oa": True}
LAN = "lan"


@pytest.fixture(params=sorted(DRIVERS))
async def driver(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Driver]:
    async with DRIVERS[str(request.param)](tmp_path / "d.db") as running:
        yield running


def reads(driver: Driver) -> str:
    """What the bot reads on this channel, said before the resident chose a form of address."""
    said = READS_BUTTONS if HAS_BUTTONS[driver.name] else READS_TYPED
    return said.replace("bác", "bà con")


async def test_a_sticker_and_a_voice_message_at_a_question_with_options(driver: Driver) -> None:
    replies = await driver.start(LAN)
    assert any("Bà con có đồng ý không?" in r for r in replies), replies
    replies = await driver.send_sticker(LAN)
    assert replies[0] == f"{STICKER}\n{reads(driver)}"
    assert "Bà con có đồng ý không?" in replies[-1]
    replies = await driver.send_voice(LAN)
    assert replies[0] == f"{VOICE}\n{reads(driver)}"
    assert driver.state(LAN).stage == "consent"
    await pick(driver, LAN, "Đồng ý")
    assert driver.state(LAN).stage == "name"


async def test_stickers_and_voice_at_a_typed_answer_are_no_strikes(driver: Driver) -> None:
    """The phone step allows 2 tries: two stickers and a voice message open no follow-up."""
    await onboard(driver, LAN)
    await pick(driver, LAN, "f:sample")
    assert await pick(driver, LAN, "Bắt đầu") == ["Số điện thoại của bác?"]
    for _ in range(2):
        assert await driver.send_sticker(LAN) == [
            f"{STICKER}\n{READS_TYPED}",
            "Số điện thoại của bác?",
        ]
    assert await driver.send_voice(LAN) == [f"{VOICE}\n{READS_TYPED}", "Số điện thoại của bác?"]
    assert driver.query("SELECT count(*) FROM followups") == [(0,)]
    assert driver.query("SELECT count(*) FROM progress WHERE event = 'invalid'") == [(0,)]
    assert await driver.send_text(LAN, "0912345678") == ["Số định danh cá nhân?"]


async def test_a_miss_says_what_to_type_on_this_channel(driver: Driver) -> None:
    await driver.start(LAN)
    replies = await driver.send_text(LAN, "xyz")
    unclear, how = replies[0].split("\n")  # what each answer does, then how to answer here
    assert unclear.startswith("Mình chưa rõ bà con chọn gì.")
    if HAS_BUTTONS[driver.name]:
        assert how == 'Bà con bấm một nút bên dưới, ví dụ nút "Đồng ý".'
    else:
        assert how == 'Bà con gõ số của một lựa chọn trong danh sách, ví dụ gõ 1 để chọn "Đồng ý".'


async def test_a_photo_where_none_is_asked_leaves_no_trace_on_telegram(tmp_path: Path) -> None:
    """Its file id is in no row of the database file (nor its WAL), and the resident is warned."""
    photo = "AgACAgIAAxkBAAIBZ2-unasked-photo"
    async with TelegramDriver(tmp_path / "t.db") as telegram:
        await onboard(telegram, LAN)
        await pick(telegram, LAN, "f:sample")
        await pick(telegram, LAN, "Bắt đầu")
        chat = telegram.id(LAN)
        before = len(telegram.texts(LAN))
        telegram.fake.push_photo(chat, photo)
        await wait_until(lambda: len(telegram.texts(LAN)) >= before + 2)
        await telegram.drain()
        replies = telegram.texts(LAN)[before:]
        assert replies == [
            "Ở bước này mình không cần ảnh hay tệp, nên mình không giữ lại. Bác nhớ: đừng bao "
            f"giờ gửi ảnh thẻ căn cước cho ai qua tin nhắn.\n{READS_TYPED}",
            "Số điện thoại của bác?",
        ]
        files = [tmp_path / "t.db", tmp_path / "t.db-wal"]
        assert not any(photo.encode() in f.read_bytes() for f in files if f.exists())
