"""A tidy chat on Telegram: the contact keyboard goes once the phone is given, answered questions
lose their buttons (remembered across a restart), and a refused edit never fails the reply."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import Config
from bot.store.codec import load_state
from tests.channels.telegram_harness import Harness, running
from tests.conftest import config_for
from tests.fakes.telegram_server import FakeTelegram

LAN = 1001
PHONE_QUESTION = "Số điện thoại của bác?"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return config_for(tmp_path / "d.db")


@pytest.fixture
async def tg(fake: FakeTelegram, config: Config) -> AsyncIterator[Harness]:
    async with running(fake, config) as harness:
        yield harness


async def _at_phone(tg: Harness) -> None:
    await tg.onboard(LAN)
    await tg.tap(LAN, "Thử nghiệm")
    replies = await tg.tap(LAN, "Bắt đầu")
    assert replies[-1] == PHONE_QUESTION
    keyboard = tg.fake.reply_keyboard(LAN)
    assert keyboard is not None and keyboard["keyboard"][0][0]["request_contact"] is True


async def _share_contact(tg: Harness) -> list[str]:
    before = len(tg.fake.sent(LAN))
    tg.fake.push_contact(LAN, "+84912345678")
    await tg.settle(LAN, before)
    return [c.text or "" for c in tg.fake.sent(LAN)[before:]]


def _step(tg: Harness) -> str:
    (state,) = tg.query("SELECT state FROM residents")
    run = load_state(state[0]).run
    assert run is not None
    return run.top.step_id


async def test_the_contact_keyboard_goes_once_the_phone_is_given(tg: Harness) -> None:
    await _at_phone(tg)
    replies = await _share_contact(tg)
    assert replies[-1] == "Số định danh cá nhân?"
    assert tg.fake.reply_keyboard(LAN) is None
    assert tg.last(LAN).params["reply_markup"] == {"remove_keyboard": True}


async def test_a_contact_shared_at_the_cccd_question_is_not_taken_as_the_cccd(
    tg: Harness,
) -> None:
    await _at_phone(tg)
    await _share_contact(tg)
    replies = await _share_contact(tg)  # a keyboard left up would send the phone again
    assert replies[0].startswith("Câu hỏi này không hỏi số điện thoại")
    assert replies[-1] == "Số định danh cá nhân?" and _step(tg) == "idno"


async def test_buttons_come_after_the_contact_keyboard_is_removed(tg: Harness) -> None:
    await _at_phone(tg)
    replies = await tg.text(LAN, "menu")
    assert tg.fake.reply_keyboard(LAN) is None
    (menu,) = tg.fake.live_keyboards(LAN)
    markup = tg.fake.markup_of(LAN, menu)
    assert markup is not None
    assert markup["inline_keyboard"][0][0]["text"] == "Tiếp tục: Thử nghiệm"
    assert "Bác muốn làm gì?" in replies[-1]
    assert tg.last(LAN).method == "editMessageReplyMarkup"  # its buttons added once sent


async def test_an_answered_question_loses_its_buttons(tg: Harness) -> None:
    await tg.onboard(LAN)  # consent, village and household questions, then the menu
    menu = tg.fake.live_keyboards(LAN)
    assert len(menu) == 1, "only the menu keeps live buttons"
    await tg.tap(LAN, "Thử nghiệm")
    assert tg.fake.markup_of(LAN, menu[0]) is None
    assert len(tg.fake.live_keyboards(LAN)) == 1  # the question now on screen


async def test_the_buttons_on_screen_are_remembered_across_a_restart(
    fake: FakeTelegram, config: Config
) -> None:
    async with running(fake, config) as tg:
        await tg.onboard(LAN)
        (menu,) = fake.live_keyboards(LAN)
    async with running(fake, config) as tg:
        await tg.tap(LAN, "Thử nghiệm")
        assert fake.markup_of(LAN, menu) is None
        assert len(fake.live_keyboards(LAN)) == 1


async def test_a_refused_edit_never_fails_the_reply(tg: Harness) -> None:
    await tg.onboard(LAN)
    (menu,) = tg.fake.live_keyboards(LAN)
    tg.fake.fail_with_5xx(status=400, method="editMessageReplyMarkup", chat_id=LAN)
    replies = await tg.tap(LAN, "Thử nghiệm")
    assert replies[-1] == "Chào Lan ở thôn Nà Khau."
    assert tg.fake.markup_of(LAN, menu) is not None  # refused: left as it was
    rows = tg.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL OR failed_at IS NOT NULL")
    assert rows == [(0,)]


async def test_a_flow_ends_in_one_message_and_the_menu(tg: Harness) -> None:
    await _at_phone(tg)
    await _share_contact(tg)
    await tg.text(LAN, "001099012345")
    await tg.tap(LAN, "Trên mạng")
    await tg.tap(LAN, "Có")
    replies = await tg.tap(LAN, "Hiểu rồi")
    assert len(replies) == 2, replies
    assert replies[0].endswith('Xong "Thử nghiệm". Cảm ơn bác!')
    assert "Bác muốn làm gì?" in replies[1]
    assert tg.fake.live_keyboards(LAN) == [tg.last(LAN).result["message_id"]]
