"""Making broadcasts in tests, at a time the test chooses (the commune's morning by default)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.app import App
from bot.broadcasts.audience import Audience
from bot.broadcasts.compose import Content
from bot.store.batch import Batch
from bot.store.writes import INSERT_IDENTITY
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
    """Draft and confirm a broadcast as an official (a large one: confirmed by a second
    official too); its number."""
    content = Content({"vi": text}, flow_id=flow_id)
    drafted = await app.broadcasts.draft(THANH, content, audience, send_at or now, now)
    outcome = await app.broadcasts.confirm(drafted.number, THANH, now)
    if outcome == "another official":
        outcome = await app.broadcasts.confirm(drafted.number, HOA, now)
    assert outcome == "scheduled"
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


async def seed(app: App, chats: range, village: str = "na_khau", channel: str = "telegram") -> None:
    """Residents who consented, one per chat, each in a household of their own (as if onboarded
    long ago); ids far above the ones the bot gives."""
    now = app.conversation.clock().isoformat()
    batch, identities = Batch(), Batch()  # the identities' statement is ordered first: after
    for chat in chats:
        rid = 5_000_000 + chat
        batch.add(
            "INSERT INTO households (id, code, village_id, created_at) VALUES (?, ?, ?, ?)",
            (rid, str(rid), village, now),
        )
        batch.add(
            "INSERT INTO residents (id, name, village_id, household_id, lang, consent_at,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, 'vi', ?, ?, ?)",
            (rid, f"Người {chat}", village, rid, now, now, now),
        )
        identities.add(INSERT_IDENTITY, (channel, str(chat), rid, now))
    await app.db.commit(batch)
    await app.db.commit(identities)
