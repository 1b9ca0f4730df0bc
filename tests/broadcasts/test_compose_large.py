"""A large broadcast composed in the chat: a second official confirms it in their messenger, or
the only official confirms again after the minute the service asks for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Staff
from tests.broadcasts.helpers import onboard
from tests.broadcasts.test_compose import NEWS, compose
from tests.followups.harness import Commune

SIGNED = f"{NEWS}\n\n— UBND xã Hà Lang"


def large(commune: Commune, second_official: bool) -> None:
    """Above one resident a second confirmation is needed; maybe a second official, Hoa."""
    config = commune.telegram.config
    staff = config.staff
    if second_official:
        channels = {commune.staff.channel_name: str(commune.staff.id("hoa"))}
        staff = (*staff, Staff("Lý Thị Hoa", "official", None, (), channels))
    settings = replace(config.broadcasts, confirm_above=1)
    commune.telegram.config = replace(config, staff=staff, broadcasts=settings)


@pytest.fixture(params=["zalo", "telegram"], ids=["staff_on_zalo", "staff_on_telegram"])
async def commune(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Commune]:
    running = Commune(tmp_path / "d.db", staff_on=str(request.param))
    large(running, second_official=request.node.name.startswith("test_a_second"))
    async with running:
        await onboard(running.residents, "lan", "Lan", "Nà Khau")
        await onboard(running.residents, "hoa_dan", "Hoa", "Nà Khau")
        yield running


def reached(commune: Commune) -> set[str]:
    return {u for u in ("lan", "hoa_dan") if SIGNED in commune.residents.texts(u)}


async def test_a_second_official_confirms_a_large_one_in_their_messenger(
    commune: Commune,
) -> None:
    await compose(commune, NEWS)
    asked = await commune.staff_taps("thanh", "Gửi thông báo này")
    assert asked == [
        "Thông báo số 1 gửi đến 2 người, nên cần một cán bộ khác xác nhận."
        " Trợ lý đã nhờ Lý Thị Hoa."
    ]
    await commune.hears("hoa", "Nông Văn Thành vừa soạn thông báo số 1 gửi 2 người.")
    await commune.hears("hoa", SIGNED)
    await commune.residents.drain()
    assert reached(commune) == set()
    if commune.staff is commune.telegram:
        done = await commune.staff_taps("hoa", "Gửi thông báo này")
    else:
        done = await commune.staff_says("hoa", "/broadcast 1")
    assert any("Đã xác nhận thông báo số 1." in r for r in done), done
    await commune.residents.drain()
    assert reached(commune) == {"lan", "hoa_dan"}
    rows = commune.residents.query("SELECT created_by, confirmed_by FROM broadcasts")
    assert rows == [("cfg:nong_van_thanh", "cfg:ly_thi_hoa")]


async def test_the_only_official_confirms_a_large_one_after_a_minute(commune: Commune) -> None:
    await compose(commune, NEWS)
    wait = await commune.staff_taps("thanh", "Gửi thông báo này")
    assert any("sau 1 phút" in r for r in wait), wait
    again = await commune.staff_taps("thanh", "Gửi thông báo này")
    assert any("sau 1 phút" in r for r in again), again
    await commune.residents.drain()
    assert reached(commune) == set()
    commune.clock.now += timedelta(minutes=1)
    done = await commune.staff_taps("thanh", "Gửi thông báo này")
    assert any("Đã xác nhận thông báo số 1." in r for r in done), done
    await commune.residents.drain()
    assert reached(commune) == {"lan", "hoa_dan"}
