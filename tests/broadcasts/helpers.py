"""Making broadcasts in tests, at a time the test chooses (the commune's morning by default)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.app import App
from bot.broadcasts.audience import Audience
from bot.broadcasts.compose import Content
from tests.channels.drivers import Driver
from tests.channels.test_every_channel import pick

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = datetime(2026, 12, 3, 9, 0, tzinfo=ZONE)
THANH = "cfg:nong_van_thanh"  # an official of danvan.yaml
HOA = "cfg:ly_thi_hoa"  # the other official


async def broadcast(
    app: App,
    text: str,
    audience: Audience,
    now: datetime = MORNING,
    send_at: datetime | None = None,
    flow_id: str | None = None,
) -> int:
    """Draft and confirm a broadcast as an official; its number."""
    content = Content({"vi": text}, flow_id=flow_id)
    drafted = await app.broadcasts.draft(THANH, content, audience, send_at or now, now)
    assert await app.broadcasts.confirm(drafted.number, THANH, now) == "scheduled"
    return drafted.number


async def onboard(driver: Driver, user: str, name: str, village: str) -> None:
    """First contact, consent, name, village, new household: the resident is at the menu."""
    await driver.start(user)
    await pick(driver, user, "Đồng ý")
    await driver.send_text(user, name)
    await driver.send_text(user, "bác")
    await pick(driver, user, village)
    await pick(driver, user, "Hộ mới")
    assert driver.state(user).stage == "ready"
