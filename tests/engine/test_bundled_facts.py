"""The bundled flows say what issue 12 found missing or wrong, and rest on recorded sources."""

from __future__ import annotations

import pytest

from bot.engine.types import Commune
from tests.conftest import ROOT
from tests.engine.chat import COMMUNE, Chat, registry_of
from tests.engine.walker import open_from_menu, walk_to_end

REGISTRY = registry_of(ROOT / "flows")
FLOWS = sorted(REGISTRY.all_current(), key=lambda f: f.id)
SOURCED = [f.id for f in FLOWS if f.kind in ("account", "application")]
APPLICATIONS = [f.id for f in FLOWS if f.kind == "application"]


def started(flow_id: str, commune: Commune = COMMUNE) -> Chat:
    """A resident who opened this flow from the menu, past any `requires` offer."""
    chat = Chat(REGISTRY, commune=commune)
    chat.onboard()
    flow = REGISTRY.current(flow_id)
    assert flow is not None
    open_from_menu(chat, flow)
    if chat.state.stage == "requires":
        chat.tap("Tôi đã có rồi")
    return chat


@pytest.mark.parametrize("flow_id", SOURCED)
def test_every_account_and_application_flow_has_sources_and_a_checked_date(flow_id: str) -> None:
    flow = REGISTRY.current(flow_id)
    assert flow is not None and flow.sources and flow.checked is not None


@pytest.mark.parametrize("flow_id", [f.id for f in FLOWS])
def test_every_flow_offers_the_centre_or_the_police_in_person(flow_id: str) -> None:
    flow = REGISTRY.current(flow_id)
    assert flow is not None
    text = " ".join(s.text for s in flow.steps)
    assert "{centre}" in text or "{police}" in text


@pytest.mark.parametrize("flow_id", APPLICATIONS)
def test_every_application_flow_ends_into_after_submit(flow_id: str) -> None:
    flow = REGISTRY.current(flow_id)
    assert flow is not None
    assert any(s.goto == "after_submit" for s in flow.steps)
    chat = started(flow_id)
    walk_to_end(chat)
    completed = [e.flow_id for e in chat.kinds("flow_completed")]
    assert completed[-2:] == ["after_submit", flow_id]


def test_marital_status_says_a_marriage_in_vietnam_no_longer_needs_it() -> None:
    chat = started("marital_status")
    chat.tap("Bắt đầu")
    chat.tap("Đăng ký kết hôn ở VN")
    assert "không cần giấy này nữa" in chat.said()
    assert "Cách đăng ký kết hôn" in chat.labels()


def test_the_elderly_are_sent_to_the_social_pension() -> None:
    chat = started("social_assistance")
    chat.tap("Bắt đầu")
    chat.tap("Làm tiếp")
    chat.tap("Người cao tuổi")
    assert "trợ cấp hưu trí xã hội" in chat.said()
    chat.tap("Xem trợ cấp hưu trí")
    assert chat.state.run is not None and chat.state.run.top.flow_id == "social_pension"


@pytest.mark.parametrize(
    ("age", "poor", "step"),
    [
        (80, None, "over_75"),
        (72, "có", "papers"),
        (72, "không", "too_young"),
        (65, None, "too_young"),
    ],
)
def test_the_social_pension_follows_decree_176_by_age(
    age: int, poor: str | None, step: str
) -> None:
    chat = started("social_pension")
    chat.tap("Bắt đầu")
    chat.text(str(age))
    if poor is not None:
        chat.text(poor)
    assert chat.state.run is not None and chat.state.run.top.step_id == step


def test_a_home_birth_without_a_witness_is_told_of_the_signed_statement() -> None:
    chat = started("birth_registration")
    chat.tap("Bắt đầu")
    chat.tap("Đã hiểu")
    chat.text("19/11/2026")  # ten days before the chat's clock
    while chat.state.run is not None and "giấy chứng sinh" not in chat.said():
        chat.tap(chat.labels()[0])
    chat.text("không")
    assert "giấy cam đoan về việc sinh" in chat.said()


def test_a_death_decades_ago_can_still_be_registered() -> None:
    chat = started("death_registration")
    chat.tap("Bắt đầu")
    chat.tap("Đã hiểu")
    chat.tap("Đã hiểu")
    chat.text("15/03/1996")
    assert "vẫn đăng ký được, kể cả khi người thân mất đã lâu" in chat.said()


def test_the_commune_details_fill_the_centre_step() -> None:
    commune = Commune(
        name=COMMUNE.name,
        villages=COMMUNE.villages,
        contacts=COMMUNE.contacts,
        places={"centre_phone": "0207 3000 000", "centre_address": "thôn Nà Khau"},
    )
    chat = started("marriage_registration", commune)
    chat.tap("Bắt đầu")
    chat.tap("Chưa chắc")
    said = chat.said()
    assert "Trung tâm Phục vụ hành chính công xã Hà Lang" in said
    assert "thôn Nà Khau" in said and "0207 3000 000" in said
    assert "giờ hành chính các ngày làm việc" in said  # hours not configured: the default


def test_vneid_walks_activation_and_warns_never_to_give_the_passcode() -> None:
    flow = REGISTRY.current("vneid_account")
    assert flow is not None
    assert "6 số" in flow.step("passcode").text
    assert "Không đưa cho ai" in flow.step("passcode").text
    assert "sáp nhập" in flow.step("scams_2025").text
    assert "chỉ làm trực tiếp tại trụ sở" not in " ".join(s.text for s in flow.steps)
