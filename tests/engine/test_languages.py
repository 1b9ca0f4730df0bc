"""Residents in their language and typing their way: English, no diacritics, NFD, switching."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bot.engine.textnorm import fold
from bot.engine.types import Commune, Inbound
from tests.engine.chat import COMMUNE, Chat, registry_of
from tests.engine.walker import walk_to_end

FLOWS = Path(__file__).resolve().parents[2] / "flows"
REGISTRY = registry_of(FLOWS)
BILINGUAL = Commune(COMMUNE.name, COMMUNE.villages, ("vi", "en"), COMMUNE.contacts)


def _english_resident() -> Chat:
    chat = Chat(REGISTRY, commune=BILINGUAL)
    chat.send(Inbound("start"))
    chat.tap("English")
    chat.tap(chat.labels()[0])  # agree
    chat.text("Lan")
    chat.text("bác")
    chat.tap("Nà Khau")
    chat.tap(chat.labels()[0])  # a new household
    return chat


def test_a_resident_completes_a_bundled_flow_in_english() -> None:
    chat = _english_resident()
    assert chat.state.lang == "en" and chat.state.stage == "ready"
    flow = REGISTRY.current("marital_status")
    assert flow is not None
    title = chat.tr.flow("en", "marital_status.title", flow.title)
    chat.tap(chat.tr.ui("en", "Khai sinh, khai tử, kết hôn"))
    assert title != flow.title and title in chat.labels()
    chat.tap(title)
    chat.tap(chat.labels()[1])  # "I already have it": skip the flow it requires
    first = chat.tr.flow("en", "marital_status.intro", flow.step("intro").text)
    assert chat.said().startswith(first.split("{")[0])
    walk_to_end(chat)
    assert [e.detail for e in chat.kinds("run_ended")] == ["completed"]
    assert title in chat.said()


@pytest.mark.parametrize(
    "typing",
    [fold, lambda label: unicodedata.normalize("NFD", label)],
    ids=["without diacritics", "NFD"],
)
def test_a_resident_completes_a_bundled_flow_typing_the_labels(typing: object) -> None:
    chat = Chat(REGISTRY)
    chat.onboard()
    chat.text("khai sinh, khai tu, ket hon")
    chat.text("xin giay xac nhan tinh trang hon nhan")
    chat.text("toi da co roi")
    walk_to_end(chat, typing=typing)  # type: ignore[arg-type]
    assert [e.detail for e in chat.kinds("run_ended")] == ["completed"]
    assert "marital_status_submitted" in chat.state.milestones


def test_switching_language_mid_flow_shows_the_same_step_in_the_new_language() -> None:
    chat = Chat(REGISTRY, commune=BILINGUAL)
    chat.send(Inbound("start"))
    chat.tap("Tiếng Việt")
    chat.tap("Đồng ý")
    chat.text("Lan")
    chat.text("bác")
    chat.tap("Nà Khau")
    chat.tap("Hộ mới")
    chat.text("Khai sinh, khai tử, kết hôn")
    chat.text("Xin giấy xác nhận tình trạng hôn nhân")
    chat.tap("Tôi đã có rồi")
    assert chat.state.run is not None
    step = chat.state.run.top.step_id
    chat.text("ngôn ngữ")
    chat.tap("English")
    assert chat.state.lang == "en" and chat.state.run.top.step_id == step
    flow = REGISTRY.current("marital_status")
    assert flow is not None
    english = chat.tr.flow("en", f"marital_status.{step}", flow.step(step).text)
    assert english != flow.step(step).text
    assert chat.said().split("{")[0].startswith(english.split("{")[0][:20])
