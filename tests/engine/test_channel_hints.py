"""Instructions fit the channel: "bấm nút" only where the options are buttons, "gõ số" where they
are a numbered list; a miss says what to type there, with one of the options as its example."""

from __future__ import annotations

import re

import pytest

from bot.engine import texts
from bot.engine.types import Inbound
from tests.conftest import BASIC_FLOWS, ROOT
from tests.engine.chat import Chat, registry_of

FLOWS = registry_of(BASIC_FLOWS)
BUNDLED = registry_of(ROOT / "flows")  # a grouped menu of four entries
# Telegram, the terminal and Zalo Bot Platform, a channel with fewer buttons than the menu has
BUTTONS, LIST, OA = 100, 0, 3
PRESS = re.compile(r"\bbấm\b", re.IGNORECASE)
TYPE_NUMBER = "gõ số"


def menu_text(buttons_max: int) -> str:
    chat = Chat(BUNDLED, buttons_max=buttons_max)
    chat.onboard()
    assert len(chat.state.prompt.options) > OA
    return next(m.text for m in chat.last if m.buttons)


def test_a_menu_of_buttons_says_tap_and_not_type_a_number() -> None:
    text = menu_text(BUTTONS)
    assert text == "Bác muốn làm gì? Bấm một nút bên dưới."
    assert TYPE_NUMBER not in text.lower()


@pytest.mark.parametrize("buttons_max", [LIST, OA])
def test_a_menu_as_a_numbered_list_says_type_its_number(buttons_max: int) -> None:
    """The terminal and the Zalo Bot Platform have no buttons; a Zalo OA turns more options than
    its template holds into a numbered list."""
    text = menu_text(buttons_max)
    assert text == "Bác muốn làm gì? Gõ số của việc cần làm."
    assert not PRESS.search(text)


def test_a_miss_with_buttons_says_tap_and_names_an_option() -> None:
    chat = Chat(FLOWS, buttons_max=BUTTONS)
    chat.send(Inbound("start"))
    chat.text("xyz")
    # the consent question also says what each answer does (never a silent no)
    assert chat.last[0].text.endswith('\nBà con bấm một nút bên dưới, ví dụ nút "Đồng ý".')


@pytest.mark.parametrize(
    ("buttons_max", "expected"),
    [
        (LIST, 'Bác gõ số của một lựa chọn trong danh sách, ví dụ gõ 1 để chọn "Bắt đầu".'),
        (OA, 'Bác bấm một nút bên dưới, ví dụ nút "Bắt đầu".'),  # two options: buttons there
    ],
)
def test_a_miss_at_a_say_step_fits_the_channel(buttons_max: int, expected: str) -> None:
    chat = Chat(FLOWS, buttons_max=buttons_max)
    chat.onboard()
    chat.tap("Thử nghiệm")
    chat.text("xyz")
    assert chat.last[0].text == expected


def test_a_miss_at_a_choice_question_on_a_numbered_list() -> None:
    chat = Chat(FLOWS, buttons_max=LIST)
    chat.onboard()
    chat.tap("Thử nghiệm")
    chat.tap("Bắt đầu")
    chat.text("0912345678")
    chat.text("001099012345")
    chat.text("ở đâu cũng được")
    assert chat.last[0].text == (
        'Bác gõ số của một lựa chọn trong danh sách, ví dụ gõ 1 để chọn "Tại xã".'
    )


def _quoted_after_press(text: str) -> list[str]:
    return re.findall(r'\bbấm\s+"([^"]+)"', text, re.IGNORECASE)


def test_no_bot_text_says_tap_on_one_of_the_bots_own_options() -> None:
    """On a numbered list there is nothing to tap: the bot's texts say "chọn" for its options."""
    own_labels = {v for k, v in vars(texts).items() if k.isupper() and isinstance(v, str)}
    pressed = {
        name: label
        for name, value in vars(texts).items()
        if name.isupper() and isinstance(value, str)
        for label in _quoted_after_press(value)
        if label in own_labels
    }
    assert pressed == {}


def test_no_bundled_flow_says_tap_on_one_of_its_own_options() -> None:
    """ "Bấm" stays for the buttons of an app or a site (VNeID has a "Quên mật khẩu" button too),
    never for the step's own options."""
    flows = registry_of(ROOT / "flows").all_current()
    pressed = [
        (flow.id, step.id, label)
        for flow in flows
        for step in flow.steps
        for label in _quoted_after_press(step.text)
        if label in {o.label for o in step.options}
    ]
    assert pressed == []
