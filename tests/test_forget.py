"""Forget leaves nothing: no row, and no byte of the database file or its WAL, keeps what a
resident typed or was told about themselves."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest

from bot.app import App, open_app
from bot.channels.zalo_oa.window import Window
from bot.engine.types import Inbound
from bot.store.writes import Delivery
from tests.conftest import ROOT, config_for
from tests.test_conversation_service import Resident, link_code, query

PERSONAL_FLOWS = ROOT / "tests" / "data" / "flows_personal"
NAME = "Hoàng Thị Mỷ Duyên"
PHONE = "0987654321"
CCCD = "038195012345"
BIRTH = "14/07/1995"
NOTE = "Nhà tôi ở cạnh cây gạo đầu bản Khuổi Mười"
CHATTER = "Cho hỏi cán bộ Phượng hôm nay có trực không"
# Every form the data can take in the file: as typed, as saved (ISO date, masked CCCD), as
# shown back (d/m/y).
NEEDLES = (NAME, PHONE, "0987 654 321", CCCD, BIRTH, "1995-07-14", "••••••••2345", NOTE, CHATTER)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    opened = await open_app(config_for(tmp_path / "danvan.db", PERSONAL_FLOWS))
    yield opened
    await opened.close()


def leftovers(app: App) -> dict[str, list[str]]:
    """Which of NEEDLES each file (the database and its WAL) holds, byte for byte."""
    found = {}
    for suffix in ("", "-wal"):
        path = Path(f"{app.config.db_path}{suffix}")
        data = path.read_bytes() if path.exists() else b""
        found[suffix or "db"] = [n for n in NEEDLES if n.encode() in data]
    return found


async def tell_everything(r: Resident) -> None:
    """Onboard with a CCCD typed where the household code goes, then answer the records flow
    up to its last question."""
    await r.to_household_code(NAME, CCCD)
    await r.tap("Hộ mới")
    await r.text(CHATTER)
    await r.tap("Hồ sơ cá nhân")
    for answer in ("0987 654 321", CCCD, BIRTH, NOTE):
        await r.text(answer)
    assert r.said() == "Gửi lời nhắn này cho cán bộ xã?"
    await r.text("quyền riêng tư")


async def test_forget_leaves_no_trace_in_any_table_the_file_or_its_wal(app: App) -> None:
    r = Resident(app)
    await tell_everything(r)
    before = leftovers(app)
    stored = {NAME, PHONE, "1995-07-14", "••••••••2345", NOTE}
    assert stored <= set(before["db"] + before["-wal"])  # the search does find them
    await r.text("xoá dữ liệu")
    await r.tap("Xoá hết")
    assert r.said() == (
        "Đã xoá tên, thôn, mã hộ, các bước đã làm cùng câu trả lời và sự đồng ý đã lưu của bác. "
        "Cảm ơn bác đã dùng trợ lý."
    )
    assert leftovers(app) == {"db": [], "-wal": []}
    for table in ("residents", "identities", "consents", "runs", "followups"):
        assert query(app, f"SELECT count(*) FROM {table}") == [(0,)]
    bodies = [str(row[0]) for row in query(app, "SELECT body FROM outbox")]
    assert len(bodies) == 1 and "Đã xoá tên" in bodies[0]
    assert query(app, "SELECT count(resident_id) FROM milestones") == [(0,)]
    left = query(app, "SELECT count(*), count(resident_id), count(household_id) FROM progress")
    assert left[0][0] > 0 and left[0][1:] == (0, 0)


async def test_forget_on_one_channel_forgets_the_person_on_every_channel(app: App) -> None:
    on_zalo = Resident(app, "zalo-duyen")
    await on_zalo.onboard()
    await on_zalo.text(CHATTER)
    code = await link_code(on_zalo)
    on_telegram = Resident(app, "tg-duyen")
    await on_telegram.to_linking_code(NAME)
    await on_telegram.text(code)
    assert query(app, "SELECT count(DISTINCT resident_id) FROM identities") == [(1,)]
    await on_telegram.text(NOTE)
    await on_telegram.text("xoá dữ liệu")
    await on_telegram.tap("Xoá hết")
    assert [r[0] for r in query(app, "SELECT external_id FROM outbox")] == ["tg-duyen"]
    assert query(app, "SELECT count(*) FROM identities") == [(0,)]
    assert leftovers(app) == {"db": [], "-wal": []}
    await on_zalo.send(Inbound("start"))  # a new person now, not a crash on a deleted row
    assert "Bà con có đồng ý không?" in on_zalo.said()
    assert query(app, "SELECT count(*) FROM residents") == [(1,)]


async def test_a_reader_holding_the_wal_delays_its_emptying_but_does_not_stop_it(app: App) -> None:
    r = Resident(app)
    await tell_everything(r)
    await r.text("xoá dữ liệu")
    checkpointer = app.db.checkpointer
    assert checkpointer is not None
    with closing(sqlite3.connect(app.config.db_path, isolation_level=None)) as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM residents").fetchall()  # holds a snapshot
        forget = asyncio.create_task(r.tap("Xoá hết"))
        while checkpointer.held_up == 0:  # the TRUNCATE is held up by the reader
            await asyncio.sleep(0.01)
        reader.execute("COMMIT")
    await asyncio.wait_for(forget, 30)
    assert leftovers(app) == {"db": [], "-wal": []}


async def test_forget_on_a_zalo_oa_deletes_when_the_resident_last_wrote(app: App) -> None:
    window = Window(app.db, "zalo_oa", app.conversation.clock)
    steps = [Inbound("start"), "Đồng ý", Inbound("text", text=NAME), "Bác", "Nà Khau", "Hộ mới"]
    steps += [Inbound("text", text="xoá dữ liệu"), "Xoá hết"]
    last: list[Delivery] = []
    for n, step in enumerate(steps):
        await window.wrote("oa-duyen")
        inbound = step if isinstance(step, Inbound) else tap(last, step)
        last = await app.conversation.handle("zalo_oa", "oa-duyen", inbound, f"m{n}")
    assert "Đã xoá tên" in last[0].message.text
    assert query(app, "SELECT count(*) FROM zalo_oa_users") == [(0,)]
    assert await window.refusal("oa-duyen") is None  # the goodbye may still be sent


def tap(last: list[Delivery], label: str) -> Inbound:
    """The tap on the button with this label in the last messages."""
    payload = next(b.payload for d in last for b in d.message.buttons if b.label == label)
    return Inbound("button", payload=payload)
