"""`/report` on the staff desk: an official gets every village and the commune, a propagandist
only their villages; each figure as counted from the generated commune."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime

import pytest

from bot.app import App, open_app
from bot.config import Config
from bot.engine.types import Inbound
from tests.reports.commune import VILLAGES, ZONE, Commune
from tests.reports.test_figures import expected_row

DAY = date(2026, 8, 20)
NAMES = {"na_khau": "Nà Khau", "ban_cay": "Bản Cậy", "khuoi_phong": "Khuổi Phổng",
         "na_lung": "Nà Lũng", "pac_ta": "Pác Tà"}  # fmt: skip


@pytest.fixture
async def running(commune: tuple[Config, Commune]) -> AsyncIterator[tuple[App, Commune]]:
    config, generated = commune
    app = await open_app(config, clock=lambda: datetime(2026, 8, 20, 16, 30, tzinfo=ZONE))
    yield app, generated
    await app.close()


async def report(app: App, who: str) -> list[str]:
    deliveries = await app.front.handle("terminal", who, Inbound("text", text="/report"))
    assert len(deliveries) == 1
    return deliveries[0].message.text.split("\n")


def line(generated: Commune, name: str, villages: set[str]) -> str:
    f = expected_row(generated, villages, DAY)
    return (
        f"• {name}: {f['people_on_bot']}/{f['people']} người dùng trợ lý "
        f"({f['households_on_bot']} hộ); VNeID mức 2: {f['vneid_level2']}; đăng nhập Cổng DVC: "
        f"{f['portal_login']}; đã nộp hồ sơ trực tuyến: {f['submitted_people']} người "
        f"({f['submitted_households']} hộ)"
    )


async def test_an_official_gets_every_village_and_the_commune(
    running: tuple[App, Commune],
) -> None:
    app, generated = running
    lines = await report(app, "thanh")
    assert lines[0] == "Tiến độ của Hà Lang đến hết ngày 20/08/2026:"
    assert lines[1:-1] == [line(generated, NAMES[v], {v}) for v in VILLAGES]
    assert lines[-1] == line(generated, "Toàn xã", set(VILLAGES))


async def test_a_propagandist_gets_only_their_villages(running: tuple[App, Commune]) -> None:
    app, generated = running
    lines = await report(app, "lua")
    assert lines[0] == "Tiến độ của Bản Cậy, Khuổi Phổng đến hết ngày 20/08/2026:"
    assert lines[1:3] == [line(generated, NAMES[v], {v}) for v in ("ban_cay", "khuoi_phong")]
    assert lines[3] == line(generated, "Cộng các thôn", {"ban_cay", "khuoi_phong"})
    assert len(lines) == 4
    lines = await report(app, "tien")
    assert lines == [
        "Tiến độ của Nà Khau, Hà Lang đến hết ngày 20/08/2026:",
        line(generated, "Nà Khau", {"na_khau"}),
    ]
