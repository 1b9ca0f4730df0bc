"""Past eight entries the main menu groups the flows: every flow is at most two choices away."""

from __future__ import annotations

import pytest

from bot.engine.menu import group_of
from bot.engine.texts import MENU_GROUPS
from tests.conftest import ROOT
from tests.engine.chat import Chat, registry_of

BUNDLED = registry_of(ROOT / "flows")
MENU = [f.id for f in BUNDLED.menu()]


def test_the_bundled_menu_is_grouped_and_shows_at_most_eight_entries() -> None:
    chat = Chat(BUNDLED)
    chat.onboard()
    assert len(MENU) > 8
    assert len(chat.labels()) <= 8
    assert "Khai sinh, khai tử, kết hôn" in chat.labels()
    assert "Tra cứu hồ sơ đã nộp" in chat.labels()


@pytest.mark.parametrize("flow_id", MENU)
@pytest.mark.parametrize("buttons_max", [100, 0], ids=["buttons", "numbers"])
def test_every_menu_flow_starts_within_two_choices(flow_id: str, buttons_max: int) -> None:
    flow = BUNDLED.current(flow_id)
    assert flow is not None
    chat = Chat(BUNDLED, buttons_max=buttons_max)
    chat.onboard()
    choices = 0
    for _ in range(2):
        options = [label for label, _ in chat.state.prompt.options]
        if flow.title in options:
            chat.text(str(options.index(flow.title) + 1))
            choices += 1
            break
        chat.text(str(options.index(MENU_GROUPS[group_of(flow) or ""]) + 1))
        choices += 1
    assert choices <= 2
    started = chat.state.run is not None or chat.state.stage == "requires"
    assert started, chat.said()


def test_back_from_a_group_shows_the_main_menu_again() -> None:
    chat = Chat(BUNDLED)
    chat.onboard()
    first = chat.labels()
    chat.tap("Trợ cấp")
    assert "Xin trợ cấp hưu trí xã hội" in chat.labels()
    chat.tap("Về menu")
    assert chat.labels() == first
