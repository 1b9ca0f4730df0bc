"""Every bundled flow can be walked to completion, and records its milestone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.chat import Chat, registry_of
from tests.engine.walker import open_from_menu, walk_to_end

FLOWS = Path(__file__).resolve().parents[2] / "flows"
REGISTRY = registry_of(FLOWS)
BUNDLED = sorted(f.id for f in REGISTRY.all_current())
REQUIRED = (
    "vneid_account", "portal_login", "birth_registration", "death_registration",
    "marital_status", "social_assistance",
)  # fmt: skip


def test_the_required_flows_are_bundled() -> None:
    assert set(REQUIRED) <= set(BUNDLED)


@pytest.mark.parametrize("flow_id", BUNDLED)
def test_flow_walks_to_completion(flow_id: str) -> None:
    flow = REGISTRY.current(flow_id)
    assert flow is not None
    chat = Chat(REGISTRY)
    chat.onboard()
    open_from_menu(chat, flow)
    if chat.state.stage == "requires":
        chat.tap("Tôi đã có rồi")
    walk_to_end(chat)
    ended = chat.kinds("run_ended")
    assert [(e.flow_id, e.detail) for e in ended] == [(flow_id, "completed")]
    assert f'Xong "{flow.title}"' in chat.said()
    if flow.milestone:
        assert flow.milestone in chat.state.milestones
        assert any(e.kind == "milestone" and e.detail == flow.milestone for e in chat.effects)
    assert chat.state.stage == "ready" and chat.state.run is None
    assert chat.labels()[0] in (REGISTRY.menu()[0].title, "Tài khoản VNeID")


@pytest.mark.parametrize("flow_id", BUNDLED)
def test_flow_warns_against_scams_where_it_touches_vneid_or_login(flow_id: str) -> None:
    flow = REGISTRY.current(flow_id)
    assert flow is not None
    text = " ".join(s.text for s in flow.steps).lower()
    if "vneid" in text or "đăng nhập" in text:
        assert "otp" in text and "mật khẩu" in text


def test_a_required_flow_is_offered_first_and_then_the_chosen_one_starts() -> None:
    chat = Chat(REGISTRY)
    chat.onboard()
    portal = REGISTRY.current("portal_login")
    vneid = REGISTRY.current("vneid_account")
    assert portal is not None and vneid is not None
    open_from_menu(chat, portal)
    assert vneid.title in chat.said()
    chat.tap("Làm bước đó trước")
    assert chat.state.run is not None and chat.state.run.top.flow_id == "vneid_account"
    walk_to_end(chat)
    assert "vneid_account" in chat.state.milestones
    assert "portal_login" in chat.state.milestones
    assert [e.detail for e in chat.kinds("run_ended")] == ["completed"]
    completed = [e.flow_id for e in chat.kinds("flow_completed")]
    assert completed == ["vneid_account", "portal_login"]
