"""The engine's side of household codes and linking: what is shown, asked and changed."""

from __future__ import annotations

from bot.engine.guesses import show_code
from bot.engine.types import Facts, Inbound
from tests.conftest import BASIC_FLOWS
from tests.engine.chat import Chat, registry_of


def _at_household_question() -> Chat:
    chat = Chat(registry_of(BASIC_FLOWS))
    chat.send(Inbound("start"))
    chat.tap("Đồng ý")
    chat.text("Lan")
    chat.text("bác")
    chat.tap("Nà Khau")
    return chat


def test_codes_are_shown_in_groups_of_four_and_old_codes_as_they_are() -> None:
    assert show_code("4829137705") == "4829 1377 05"
    assert show_code("12345678") == "1234 5678"
    assert show_code("482913") == "482913"


def test_a_locked_identity_is_told_how_long_and_the_code_is_not_used() -> None:
    chat = _at_household_question()
    chat.tap("Đã có mã hộ")
    chat.facts = Facts(household_found=None, locked_minutes=37)
    chat.text("4829 1377 05")
    assert "Bác đã gõ sai mã nhiều lần. Bác thử lại sau 37 phút nhé." in chat.said()
    assert chat.state.stage == "code" and chat.state.household_code is None
    chat.facts = Facts(locked_minutes=12, locked_everyone=True)
    chat.text("4829 1377 05")
    assert "tạm ngừng nhận mã. Bác thử lại sau 12 phút nhé." in chat.said()


def test_a_resident_with_data_asks_for_a_linking_code_and_is_given_it() -> None:
    chat = Chat(registry_of(BASIC_FLOWS))
    chat.onboard()
    chat.facts = Facts(new_link_code="04817733")
    chat.text("liên kết")
    assert [(e.kind, e.detail) for e in chat.effects][-1] == ("link_code", "04817733")
    assert "Mã liên kết của bác: 0481 7733" in chat.said()
    assert "trong 10 phút" in chat.said()
    assert chat.state.stage == "ready" and chat.labels() == ["Thử nghiệm"]


def test_a_new_messenger_types_a_valid_linking_code_and_becomes_its_owner() -> None:
    chat = _at_household_question()
    assert chat.labels() == ["Hộ mới", "Đã có mã hộ", "Tôi đã dùng trên Zalo/Telegram khác"]
    chat.tap("Tôi đã dùng trên Zalo/Telegram khác")
    assert 'gõ "liên kết" để nhận mã liên kết (8 chữ số)' in chat.said()
    chat.text("1234 5678")
    assert "Mã liên kết không đúng hoặc đã hết hạn (bác vừa gõ 8 chữ số)." in chat.said()
    assert "1234" not in chat.said()
    chat.facts = Facts(link_owner=7)
    chat.text("0481 7733")
    assert [(e.kind, e.detail) for e in chat.effects][-1] == ("link_identity", "7")
    assert chat.said().startswith("Đã liên kết.")


def test_the_way_back_from_the_linking_code_is_the_household_question() -> None:
    chat = _at_household_question()
    chat.tap("Tôi đã dùng trên Zalo/Telegram khác")
    chat.tap("Thôi, không liên kết")
    assert chat.state.stage == "household" and "Hộ mới" in chat.labels()
