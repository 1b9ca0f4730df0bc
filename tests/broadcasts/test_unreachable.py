"""Who could not be reached is exactly the blocked residents and those outside the Zalo OA's
7-day window; the known ones are never sent to; their households go to the propagandist."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.broadcasts.audience import Audience
from tests.broadcasts.helpers import MORNING, broadcast, seed
from tests.channels.drivers import TelegramDriver, ZaloOADriver, wait_until

TIEN = 700000103  # Ma Văn Tiến, propagandist of Nà Khau in danvan.yaml


def states(driver: TelegramDriver | ZaloOADriver, number: int) -> dict[str, str]:
    rows = driver.query(
        "SELECT external_id, state FROM broadcast_recipients WHERE broadcast_id = ?", (number,)
    )
    return {str(chat): str(state) for chat, state in rows}


async def finish(
    driver: TelegramDriver | ZaloOADriver, number: int, now: datetime = MORNING
) -> None:
    tick = driver.app.broadcasts.sending.tick
    for _ in range(100):
        await driver.drain()
        await tick(now)
        if driver.query("SELECT status FROM broadcasts WHERE id = ?", (number,)) == [("done",)]:
            await driver.drain()
            return
    raise AssertionError("the broadcast never finished")


async def test_blocked_telegram_residents_are_unreachable_and_told_in_person(
    tmp_path: Path,
) -> None:
    async with TelegramDriver(tmp_path / "d.db") as tg:
        await seed(tg.app, range(4001, 4005))
        tg.fake.block(4002)
        tg.fake.block(4003)
        first = await broadcast(tg.app, "Tin thứ nhất.", Audience(villages=("na_khau",)))
        await finish(tg, first)
        assert states(tg, first) == {
            "4001": "sent", "4002": "unreachable", "4003": "unreachable", "4004": "sent",
        }  # fmt: skip
        told = tg.fake.texts(TIEN)
        assert len(told) == 1 and "chưa đến được 2 hộ ở Nà Khau" in told[0], told
        assert "1. Người 4002 — hộ 5004002 — Nà Khau" in told[0]
        assert "2. Người 4003 — hộ 5004003 — Nà Khau" in told[0]

        calls = len([c for c in tg.fake.calls if c.chat_id in (4002, 4003)])
        second = await broadcast(tg.app, "Tin thứ hai.", Audience(villages=("na_khau",)))
        await finish(tg, second)
        assert states(tg, second) == {
            "4001": "sent", "4002": "unreachable", "4003": "unreachable", "4004": "sent",
        }  # fmt: skip
        assert len([c for c in tg.fake.calls if c.chat_id in (4002, 4003)]) == calls


async def test_zalo_oa_residents_outside_the_window_are_unreachable_without_a_call(
    tmp_path: Path,
) -> None:
    async with ZaloOADriver(tmp_path / "d.db") as oa:
        recent, silent = "5521000000000901", "5521000000000902"
        await seed(oa.app, range(5521000000000901, 5521000000000903), channel="zalo_oa")
        now = datetime.now(UTC)
        await oa.app.db.transaction(
            lambda conn: conn.executemany(
                "INSERT INTO zalo_oa_users (user_id, last_message_at) VALUES (?, ?)",
                [(recent, now.isoformat()), (silent, (now - timedelta(days=8)).isoformat())],
            )
        )
        local = now.astimezone(MORNING.tzinfo).replace(hour=9)  # the window is read at `now`
        number = await broadcast(oa.app, "Tin cho bà con.", Audience(), now=local)
        await wait_until(lambda: bool(oa.fake.texts(recent)))
        await finish(oa, number, local)
        assert states(oa, number) == {recent: "sent", silent: "unreachable"}
        assert oa.fake.sent(silent) == []
        notes = oa.query("SELECT external_id, body FROM outbox WHERE bulk = 0")
        assert len(notes) == 1 and notes[0][0] == str(TIEN)
        assert "1. Người 5521000000000902 — hộ 5521000005000902 — Nà Khau" in notes[0][1]
