"""What is not text: a sticker, voice message, location or video gets a kind answer and no strike;
a photo or file where none is asked is not kept, and the resident is warned about ID cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.types import Inbound
from bot.store.codec import dump_state
from tests.conftest import BASIC_FLOWS
from tests.engine.chat import Chat, registry_of

FLOWS = registry_of(BASIC_FLOWS)
READS_BUTTONS = 'Mình chỉ đọc được chữ bác gõ và nút bác bấm. Cần người giúp, bác gõ "trợ giúp".'
READS_TYPED = 'Mình chỉ đọc được chữ và số bác gõ. Cần người giúp, bác gõ "trợ giúp".'
NOT_KEPT = "Ở bước này mình không cần ảnh hay tệp, nên mình không giữ lại."
ID_CARD = "Bác nhớ: đừng bao giờ gửi ảnh thẻ căn cước cho ai qua tin nhắn."
PHOTO_FLOW = """\
id: photo
title: Gửi ảnh
kind: application
online: full
steps:
  - id: ask_photo
    ask: Bác chụp tờ khai đã điền rồi gửi cho mình.
    input: photo
    save: form_photo
  - id: done
    say: Đã nhận ảnh.
    end: completed
"""


def at_phone_question(buttons_max: int = 100) -> Chat:
    chat = Chat(FLOWS, buttons_max=buttons_max)
    chat.onboard()
    chat.tap("Thử nghiệm")
    chat.tap("Bắt đầu")
    assert chat.said() == "Số điện thoại của bác?"
    return chat


@pytest.mark.parametrize(
    ("kind", "opening"),
    [
        ("sticker", "Mình chưa hiểu được nhãn dán (sticker)."),
        ("voice", "Mình chưa nghe được tin nhắn thoại."),
        ("location", "Mình chưa dùng được vị trí bác gửi."),
        ("video", "Mình chưa xem được video."),
    ],
)
def test_what_cannot_be_read_is_answered_kindly_and_the_question_shown_again(
    kind: str, opening: str
) -> None:
    chat = at_phone_question(buttons_max=0)
    chat.send(Inbound(kind))
    assert [m.text for m in chat.last] == [f"{opening}\n{READS_TYPED}", "Số điện thoại của bác?"]


def test_stickers_are_never_strikes() -> None:
    """The phone step allows 2 tries; five stickers open no follow-up and log no wrong answer."""
    chat = at_phone_question()
    for _ in range(5):
        chat.send(Inbound("sticker"))
    assert chat.kinds("invalid") == []
    assert not any(e.kind == "followup" for e in chat.effects)
    assert chat.state.run is not None and chat.state.run.top.retries == 0
    chat.text("0912345678")
    assert chat.said() == "Số định danh cá nhân?"


def test_a_voice_message_at_a_question_with_buttons_says_buttons_are_read() -> None:
    chat = Chat(FLOWS)
    chat.send(Inbound("start"))
    chat.send(Inbound("voice"))
    not_yet_called = READS_BUTTONS.replace("bác", "bà con")  # before the form of address
    assert chat.last[0].text == f"Mình chưa nghe được tin nhắn thoại.\n{not_yet_called}"
    assert chat.labels() == ["Đồng ý", "Không đồng ý"]
    assert chat.state.stage == "consent"


def test_a_photo_where_none_is_asked_is_not_kept_and_warns_about_id_cards() -> None:
    chat = at_phone_question()
    chat.send(Inbound("file", file_ref="AgACAgIAAxk-secret-photo"))
    assert chat.last[0].text == f"{NOT_KEPT} {ID_CARD}\n{READS_TYPED}"
    assert chat.last[1].text == "Số điện thoại của bác?"
    assert "secret-photo" not in dump_state(chat.state)
    assert chat.kinds("invalid") == []


def test_a_photo_at_a_photo_step_is_taken(tmp_path: Path) -> None:
    (tmp_path / "photo.yaml").write_text(PHOTO_FLOW, encoding="utf-8")
    chat = Chat(registry_of(tmp_path))
    chat.onboard()
    chat.tap("Gửi ảnh")
    chat.send(Inbound("sticker"))
    assert chat.last[0].text.startswith("Mình chưa hiểu được nhãn dán (sticker).")
    chat.send(Inbound("file", file_ref="ph1"))
    assert chat.last[0].text.startswith("Đã nhận ảnh.")
    assert ID_CARD not in chat.said()
