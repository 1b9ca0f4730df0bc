"""Forged button taps and messages that cannot be handled, through the real Telegram channel."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.channels.telegram_harness import running
from tests.conftest import config_for
from tests.fakes.telegram_server import FakeTelegram

LAN, FORGER = 1001, 1002
STALE = "Nút đó thuộc câu hỏi trước"
NOT_HANDLED = "Xin lỗi, mình chưa xử lý được tin này."
ROUNDS = 6


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


ODD = [
    "1.٣",
    "1.0\n",
    "١٢.٣",
    "².1",
    "9" * 4000,  # huge, yet under the text limit (a longer one is refused before parsing)
    "",
    "1.2.3",
    "1.",
    ".1",
    "1.99999999999999999999",
    " 1.0",
    "-1.0",
]


def _tricky(seq: str) -> list[str]:
    """Taps on the current question whose option looks like a number to str.isdigit()."""
    return [f"{seq}.²", f"{seq}.¹²"]


async def test_a_storm_of_forged_taps_never_holds_another_resident(
    fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running(fake, config_for(tmp_path / "d.db")) as tg:
        await tg.command(FORGER, "start")
        await tg.command(LAN, "start")
        forged = 0
        steps = [("tap", "Đồng ý"), ("text", "Lan"), ("tap", "Bác"), ("tap", "Nà Khau")]
        steps += [("tap", "Hộ mới")]
        steps += [("tap", "Thử nghiệm"), ("tap", "Bắt đầu")]
        for kind, what in steps:
            seq = tg.button(FORGER, "Đồng ý").split(".")[0]  # the forger's current question
            for data in _tricky(seq) * ROUNDS + ODD:  # queued ahead of the resident's message
                fake.push_callback(FORGER, data)
                forged += 1
            replies = await (tg.tap(LAN, what) if kind == "tap" else tg.text(LAN, what))
            assert replies, f"no reply to {what!r}"
        assert tg.last(LAN).text == "Số điện thoại của bác?"
        await fake.wait_for(lambda f: _count(f, FORGER, STALE) == forged, timeout=60)
        assert tg.query("SELECT count(*) FROM failed_inbound") == [(0,)]
        consent = [t for t in fake.texts(FORGER) if "Bà con có đồng ý không?" in t]
        assert len(consent) == forged + 1  # the current question, again after every tap
    assert not [r for r in caplog.records if "retrying" in r.getMessage()]


def _count(fake: FakeTelegram, chat: int, start: str) -> int:
    return sum(t.startswith(start) for t in fake.texts(chat))


async def test_a_message_that_cannot_be_handled_is_recorded_and_answered_once(
    fake: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "d.db"
    async with running(fake, config_for(db)) as tg:
        await tg.onboard(LAN)
    _break_state(db, LAN)  # e.g. written by a newer version of the bot
    caplog.set_level(logging.INFO)
    async with running(fake, config_for(db)) as tg:
        replies = await tg.text(LAN, "0912345678")
        assert replies == [
            "Xin lỗi, mình chưa xử lý được tin này. Bà con thử lại, "
            'hoặc gõ "trợ giúp" để nhờ cán bộ.'
        ]
        await tg.command(1003, "start")  # everyone else goes on
        failed = tg.query("SELECT channel, key, resident_id, error FROM failed_inbound")
        resident = tg.query("SELECT resident_id FROM identities WHERE external_id = ?", (LAN,))
        assert [f[:1] + f[2:] for f in failed] == [("telegram", resident[0][0], "TypeError")]
        assert tg.query("SELECT count(*) FROM inbound_seen WHERE key = ?", (failed[0][1],)) == [
            (1,)
        ]
    assert fake.texts(LAN).count(replies[0]) == 1
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "recorded in failed_inbound" in logged and "retrying" not in logged
    assert "0912345678" not in logged


def _break_state(db: Path, chat: int) -> None:
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(
            'UPDATE residents SET state = \'{"stage": "ready", "mood": 1}\' WHERE id ='
            " (SELECT resident_id FROM identities WHERE external_id = ?)",
            (str(chat),),
        )
