"""How a resident is called: the form of address asked at onboarding, used in every text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.types import Commune, Inbound
from bot.store.codec import dump_state, load_state
from tests.engine.chat import COMMUNE, Chat, registry_of

BUNDLED = registry_of(Path(__file__).resolve().parents[2] / "flows")
BASIC = registry_of(Path(__file__).resolve().parents[1] / "data" / "flows_basic")
BILINGUAL = Commune(COMMUNE.name, COMMUNE.villages, ("vi", "en"), COMMUNE.contacts)


def at_address_question(chat: Chat, name: str = "Bàn Thị Huấn") -> Chat:
    chat.send(Inbound("start"))
    chat.tap("Đồng ý")
    chat.text(name)
    assert chat.said() == "Mình nên gọi bà con là gì?"
    return chat


def test_the_question_offers_each_form_and_the_given_name() -> None:
    chat = at_address_question(Chat(BASIC))
    assert chat.labels() == ["Bác", "Chú", "Cô", "Anh", "Chị", "Em", "Gọi tên Huấn"]
    assert chat.state.prompt.yes_no is None


@pytest.mark.parametrize(
    ("typed", "form", "greeting"),
    [
        ("bác ạ", "bác", "Chào bác Huấn! Bác ở thôn nào?"),
        ("2", "chú", "Chào chú Huấn! Chú ở thôn nào?"),
        ("chị", "chị", "Chào chị Huấn! Chị ở thôn nào?"),
        ("gọi tên", "name", "Chào Huấn! Huấn ở thôn nào?"),
    ],
)
def test_a_typed_answer_chooses_the_form(typed: str, form: str, greeting: str) -> None:
    chat = at_address_question(Chat(BASIC))
    chat.text(typed)
    assert chat.state.address == form and chat.said() == greeting


def test_an_answer_that_is_no_form_asks_again() -> None:
    chat = at_address_question(Chat(BASIC))
    chat.text("xyz")
    assert chat.state.stage == "address" and chat.state.address is None
    assert chat.last[-1].text == "Mình nên gọi bà con là gì?"


def _called(form: str) -> Chat:
    chat = at_address_question(Chat(BUNDLED))
    chat.tap(form)
    chat.tap("Nà Khau")
    chat.tap("Hộ mới")
    return chat


def test_a_resident_called_bac_sees_bac_in_bot_texts_and_a_bundled_flow() -> None:
    chat = _called("Bác")
    seen = [chat.said()]
    chat.tap("Khai sinh, khai tử, kết hôn")
    chat.tap("Xin giấy xác nhận tình trạng hôn nhân")
    chat.tap("Tôi đã có rồi")
    for _ in range(3):
        seen.append(chat.said())
        chat.tap(chat.labels()[0])
    seen.append(chat.said())
    chat.text("menu")
    seen.append(chat.said())
    text = "\n".join(seen)
    assert "Bác muốn làm gì?" in text and "Bác xin giấy này để làm gì?" in text
    assert "bà con" not in text.lower()


def test_called_by_name_the_bot_uses_the_given_name() -> None:
    chat = _called("Gọi tên Huấn")
    chat.text("menu")
    assert chat.said().startswith("Huấn muốn làm gì?")


def test_in_english_the_resident_is_you_whatever_the_form() -> None:
    chat = Chat(BUNDLED, commune=BILINGUAL)
    chat.send(Inbound("start"))
    chat.tap("English")
    chat.tap(chat.labels()[0])  # agree
    chat.text("Lan")
    assert chat.said() == "What should I call you?"
    chat.text("bác")
    assert chat.state.address == "bác" and "Lan" in chat.said()
    chat.tap("Nà Khau")
    chat.tap(chat.labels()[0])  # a new household
    assert "bác" not in chat.said().lower() and "you" in chat.said().lower()


def test_a_resident_from_before_the_question_is_still_called_ba_con() -> None:
    chat = _called("Bác")
    old = dump_state(chat.state).replace('"address":"bác",', "")
    chat.state = load_state(old)
    assert chat.state.address is None and chat.state.stage == "ready"
    chat.text("menu")
    assert chat.said().startswith("Bà con muốn làm gì?")


def test_forget_removes_the_form_with_the_rest() -> None:
    chat = _called("Chị")
    chat.text("xoá dữ liệu")
    chat.tap(chat.labels()[0])  # yes, delete everything
    assert chat.state.address is None and chat.state.name is None
