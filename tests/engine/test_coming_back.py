"""Coming back after silence, where the resident is, a shared contact where none is asked, a
flow's end in one message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.engine.types import Inbound
from tests.engine.chat import NOW, Chat, registry_of

BASIC = Path(__file__).resolve().parents[1] / "data" / "flows_basic"
GREETING = "Chào mừng bác quay lại! Mình đang giúp bác bước 2/5 của Thử nghiệm."


def _at_phone() -> Chat:
    chat = Chat(registry_of(BASIC))
    chat.onboard()
    chat.tap("Thử nghiệm")
    chat.tap("Bắt đầu")
    return chat


def test_a_resident_back_after_more_than_an_hour_is_told_where_they_are() -> None:
    chat = _at_phone()
    chat.now = NOW + timedelta(days=3)
    chat.text("ừ")  # not a phone number: why, then the question again
    texts = [m.text for m in chat.last]
    assert texts[0] == GREETING and texts[-1] == "Số điện thoại của bác?"
    assert len(texts) == 3


def test_the_greeting_names_the_question_reached_after_the_answer() -> None:
    chat = _at_phone()
    chat.now = NOW + timedelta(hours=1, minutes=1)
    chat.text("0912345678")
    texts = [m.text for m in chat.last]
    where = "Chào mừng bác quay lại! Mình đang giúp bác bước 3/5 của Thử nghiệm."
    assert texts == [where, "Số định danh cá nhân?"]


def test_no_greeting_within_the_hour() -> None:
    chat = _at_phone()
    chat.now = NOW + timedelta(minutes=59)
    chat.text("ừ")
    assert "quay lại" not in chat.said()
    chat.now = NOW + timedelta(minutes=118)  # 59 minutes after the last message
    chat.text("ừ")
    assert "quay lại" not in chat.said()


def test_back_at_the_menu_is_greeted_without_a_position() -> None:
    chat = Chat(registry_of(BASIC))
    chat.onboard()
    chat.now = NOW + timedelta(hours=5)
    chat.send(Inbound("start"))
    assert chat.last[0].text == "Chào mừng bác quay lại!"
    assert chat.labels() == ["Thử nghiệm"]


def test_a_new_resident_is_not_greeted_back() -> None:
    chat = Chat(registry_of(BASIC))
    chat.send(Inbound("start"))
    assert "quay lại" not in chat.said()


def test_a_shared_contact_never_answers_another_question() -> None:
    chat = _at_phone()
    chat.send(Inbound("contact", text="+84912345678"))
    assert chat.state.run is not None and chat.state.run.top.step_id == "idno"
    chat.send(Inbound("contact", text="+84912345678"))  # tapped again at the CCCD question
    assert chat.state.run.top.step_id == "idno"
    assert "idno" not in chat.state.run.top.vars
    assert chat.last[0].text.startswith("Câu hỏi này không hỏi số điện thoại")
    assert chat.last[-1].text == "Số định danh cá nhân?"
    assert chat.kinds("invalid") == []  # not a strike


def test_back_at_the_end_of_a_flow_is_greeted_first() -> None:
    chat = _at_phone()
    chat.text("0912345678")
    chat.text("001099012345")
    chat.tap("Trên mạng")
    chat.tap("Có")
    chat.now = NOW + timedelta(days=1)
    chat.tap("Hiểu rồi")
    texts = [m.text for m in chat.last]
    assert texts[0] == "Chào mừng bác quay lại!" and len(texts) == 3
    assert texts[1].endswith('Xong "Thử nghiệm". Cảm ơn bác!')


def test_a_flow_ends_in_one_message_and_the_menu() -> None:
    chat = _at_phone()
    chat.text("0912345678")
    chat.text("001099012345")
    chat.tap("Trên mạng")
    chat.tap("Có")
    chat.tap("Hiểu rồi")
    texts = [m.text for m in chat.last]
    assert len(texts) == 2, texts
    assert texts[0].startswith("Xong. Số của bác là 0912345678")
    assert texts[0].endswith('Xong "Thử nghiệm". Cảm ơn bác!')
    assert chat.labels() == ["Thử nghiệm"]
