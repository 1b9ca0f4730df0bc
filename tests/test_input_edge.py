"""What every channel's input passes first: too-long texts refused before any work, text that
cannot be stored made storable, names that show nothing refused."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import App
from bot.engine.types import Inbound
from tests.test_conversation_service import CHANNEL, Resident, query

TOO_LONG = (
    "Tin nhắn này dài quá nên mình chưa đọc được. Bác gửi tin ngắn hơn nhé (không quá 4.096 ký tự)."
)
MARKER = "Khuổi Mười 0912345678 "
BAD_NAME = "Bà con gõ tên giúp mình (không quá 60 ký tự)."


def file_holds(app: App, needle: str) -> bool:
    """Whether the database file or its WAL holds these bytes."""
    paths = (Path(app.config.db_path), Path(f"{app.config.db_path}-wal"))
    return any(p.exists() and needle.encode() in p.read_bytes() for p in paths)


async def at_household_code(r: Resident) -> None:
    """Onboard up to the household-code question (which once repeated what was typed)."""
    await r.send(Inbound("start"))
    await r.tap("Đồng ý")
    await r.text("Lan")
    await r.text("bác")
    await r.tap("Nà Khau")
    await r.tap("Đã có mã hộ")


@pytest.mark.parametrize("size", [1 << 20, 10 << 20])
async def test_a_huge_text_gets_one_kind_answer_stores_nothing_and_blocks_no_one(
    app: App, size: int
) -> None:
    writer, other = Resident(app, "big"), Resident(app, "other")
    await at_household_code(writer)
    await other.onboard()
    huge = Inbound("text", text=(MARKER * (size // len(MARKER) + 1))[:size])
    answers, others = await asyncio.gather(
        app.conversation.handle(CHANNEL, writer.id, huge, "huge-1"),
        app.conversation.handle(CHANNEL, other.id, Inbound("text", text="tiến độ"), "o-1"),
    )
    assert [d.message.text for d in answers] == [TOO_LONG]
    assert "Bác chưa hoàn thành bước nào." in "\n".join(d.message.text for d in others)
    assert await app.conversation.handle(CHANNEL, writer.id, huge, "huge-1") == []
    assert query(app, "SELECT count(*) FROM inbound_seen WHERE key = 'huge-1'") == [(1,)]
    assert query(app, "SELECT max(length(body)) FROM outbox")[0][0] < 2000
    assert not file_holds(app, MARKER * 3)
    await writer.text("000000")  # still at the household code, as before the huge text
    assert "Không có hộ nào có mã bác vừa gõ (6 chữ số)." in writer.said()


async def test_a_text_just_within_the_limit_is_read(app: App) -> None:
    r = Resident(app)
    await at_household_code(r)
    await r.text("1" * 4096)
    assert "Mã hộ có 10 chữ số (hộ làm từ trước có 6 chữ số), bác mới gõ 4.096 chữ số." in r.said()


async def test_lone_surrogates_are_replaced_not_a_crash(app: App) -> None:
    r = Resident(app, "sur\udc80")
    await r.send(Inbound("start"))
    await r.tap("Đồng ý")
    await r.text("Lan\ud800")
    await r.text("gọi tên")
    assert "Chào Lan\ufffd!" in r.said()
    await r.send(Inbound("button", payload="\udfff.1"))
    await r.tap("Nà Khau")
    await r.tap("Hộ mới")
    await r.text("\udc80 menu")
    assert query(app, "SELECT name FROM residents") == [("Lan\ufffd",)]
    assert query(app, "SELECT external_id FROM identities") == [("sur\ufffd",)]


@pytest.mark.parametrize(
    "typed",
    [
        "\u200b\u200c\u200d",  # zero-width space, non-joiner, joiner
        "\u202e\u2066\u200e\u200f",  # direction overrides and marks
        "\x07\x1b\x00\x7f\x85",  # control characters
        "\u3164 \u3164",  # Hangul fillers, which show as blanks
        "\ufeff \u00ad \u2060",  # byte-order mark, soft hyphen, word joiner
    ],
)
async def test_a_name_with_no_visible_letter_is_refused(app: App, typed: str) -> None:
    r = Resident(app)
    await r.send(Inbound("start"))
    await r.tap("Đồng ý")
    await r.text(typed)
    assert BAD_NAME in r.said()
    assert query(app, "SELECT name FROM residents") == [(None,)]


async def test_invisible_characters_are_taken_out_of_a_name(app: App) -> None:
    r = Resident(app)
    await r.send(Inbound("start"))
    await r.tap("Đồng ý")
    await r.text("\u202eBàn\u200b  Thị\tHuấn\u2069")
    assert query(app, "SELECT name FROM residents") == [("Bàn Thị Huấn",)]
