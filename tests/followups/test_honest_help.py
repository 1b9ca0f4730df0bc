"""A resident asking for help is told only what is true about who was told."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import App, open_app
from bot.config import Config
from tests.conftest import config_for
from tests.test_conversation_service import Resident

STAFF_ROWS = (
    "SELECT external_id FROM outbox WHERE body LIKE '%Cần người giúp (việc số 1)%' ORDER BY id"
)


def without_messengers(config: Config, keep: str | None) -> Config:
    """The sample staff, only `keep` (a name) still reachable on a messenger."""
    staff = tuple(replace(s, channels={} if s.name != keep else s.channels) for s in config.staff)
    return replace(config, staff=staff)


@pytest.fixture
async def opened(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[App]:
    config = without_messengers(config_for(tmp_path / "d.db"), request.param)
    app = await open_app(config)
    yield app
    await app.close()


async def ask_help(app: App) -> str:
    lan = Resident(app)
    await lan.onboard()
    await lan.text("trợ giúp")
    return lan.said()


@pytest.mark.parametrize("opened", ["Nông Văn Thành"], indirect=True)
async def test_no_propagandist_reachable_the_officials_are_told(opened: App) -> None:
    said = await ask_help(opened)
    assert said.startswith("Mình đã báo cho cán bộ xã Hà Lang."), said
    assert "Ma Văn Tiến" not in said
    told = sorted(str(r[0]) for r in await opened.db.all(STAFF_ROWS))
    assert told == ["700000101", "thanh"]  # the official's Telegram and terminal
    rows = await opened.db.all("SELECT escalated_at IS NOT NULL FROM followups")
    assert [tuple(r) for r in rows] == [(1,)]


@pytest.mark.parametrize("opened", [None], indirect=True)
async def test_nobody_reachable_the_resident_is_told_where_to_go(opened: App) -> None:
    said = await ask_help(opened)
    assert said.startswith("Mình đã ghi lại là bác cần người giúp"), said
    assert "Mình đã báo cho" not in said
    assert await opened.db.all(STAFF_ROWS) == []
