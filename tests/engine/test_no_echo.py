"""No reply repeats what a resident typed beyond a few characters: a wrong answer is explained
by what is wrong with it (how many digits, which day), never by copying it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.chat import Chat, registry_of

PERSONAL = Path(__file__).resolve().parents[1] / "data" / "flows_personal"
WRONG = (
    "038195012345",  # a CCCD number, typed where it does not belong
    "01662345678",  # an old 11-digit phone number
    "31/02/1995",  # a day that does not exist
    "9876543210987654",  # too many digits for anything
    "Khuổi Mười, cạnh cây gạo",  # words
)
# A question of the records flow is answered with this to go on to the next one.
RIGHT = {
    "Số điện thoại của bác?": "0987654321",
    "Số định danh cá nhân?": "038195012345",
    "Bác sinh ngày nào?": "14/07/1995",
}


def echoes(reply: str, typed: str) -> bool:
    """Whether the reply holds the typed text, or a run of more than four of its digits."""
    digits = "".join(ch for ch in typed if ch.isdigit())
    runs = {digits[i : i + 5] for i in range(len(digits) - 4)}
    return typed in reply or any(run in reply for run in runs)


@pytest.mark.parametrize("typed", WRONG)
def test_the_household_code_question_does_not_repeat_the_answer(typed: str) -> None:
    chat = Chat(registry_of(PERSONAL))
    chat.text("xin chào")
    chat.tap("Đồng ý")
    chat.text("Lan")
    chat.text("bác")
    chat.tap("Nà Khau")
    chat.tap("Đã có mã hộ")
    chat.text(typed)
    assert chat.state.stage == "code" and not echoes(chat.said(), typed), chat.said()


@pytest.mark.parametrize("typed", WRONG)
def test_no_question_of_a_flow_repeats_a_wrong_answer(typed: str) -> None:
    chat = Chat(registry_of(PERSONAL))
    chat.onboard()
    chat.tap("Hồ sơ cá nhân")
    for question, right in RIGHT.items():
        assert chat.last[-1].text == question
        chat.text(typed)
        assert not echoes(chat.said(), typed), chat.said()
        if chat.last[-1].text == question:  # it was wrong here
            chat.text(right)
