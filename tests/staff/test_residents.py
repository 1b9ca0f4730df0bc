"""Residents and the staff's commands: a resident who types one is told it is for staff and
keeps their place; the terminal chat as a configured member is the desk."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.app import App
from bot.channels.terminal import converse
from bot.store.codec import load_state
from tests.channels.telegram_harness import Harness, running
from tests.conftest import config_for
from tests.fakes.telegram_server import FakeTelegram

LAN = 1001
STAFF_ONLY = "Việc này chỉ dành cho cán bộ xã và tuyên truyền viên, nên mình không làm được."


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
async def tg(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[Harness]:
    async with running(fake, config_for(tmp_path / "d.db")) as harness:
        yield harness


def where(tg: Harness) -> tuple[object, ...]:
    state = load_state(tg.query("SELECT state FROM residents")[0][0])
    assert state.run is not None
    frame = state.run.frames[-1]
    return (state.stage, frame.flow_id, frame.step_id, state.run.status, frame.retries)


@pytest.mark.parametrize("typed", ["/broadcast", "/staff", "thông báo", "/followups", "/report"])
async def test_a_resident_typing_a_staff_command_is_told_and_keeps_their_place(
    tg: Harness, typed: str
) -> None:
    await tg.onboard(LAN)
    await tg.tap(LAN, "Thử nghiệm")
    await tg.tap(LAN, "Bắt đầu")
    question = await tg.text(LAN, "12")  # a wrong answer: one retry counted
    before = where(tg)
    assert before[2:] == ("phone", "active", 1)
    replies = await tg.text(LAN, typed)
    assert replies == [STAFF_ONLY, question[-1]]
    assert where(tg) == before
    assert tg.query("SELECT COUNT(*) FROM followups") == [(0,)]
    assert tg.query("SELECT COUNT(*) FROM audit") == [(0,)]


async def test_a_new_resident_typing_one_is_asked_for_consent_after(tg: Harness) -> None:
    replies = await tg.text(LAN, "/broadcast")
    assert replies[0] == STAFF_ONLY and "Bà con có đồng ý không?" in replies[-1]


async def test_the_terminal_chat_as_a_configured_official_is_the_desk(app: App) -> None:
    lines = iter(["Tôi là ai"])
    out = io.StringIO()
    await converse(app, "thanh", lambda: next(lines, None), out)
    said = out.getvalue()
    assert said.startswith("Thưa anh/chị Nông Văn Thành, anh/chị cần làm việc gì?")
    assert "1. Mời cán bộ\n2. Tôi là ai" in said
    assert "Thôn: cả xã.\nKênh: telegram, terminal." in said
    assert await app.db.all("SELECT * FROM residents") == []
