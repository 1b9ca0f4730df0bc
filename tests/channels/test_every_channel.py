"""The same conversation scenarios on every channel: Telegram, Zalo Bot Platform, Zalo OA.

Options are tapped where the messenger has buttons and typed as numbers on the Zalo Bot Platform
(and on the OA when a prompt has more options than a template holds).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.engine.flow import Flow
from bot.engine.menu import group_of
from bot.engine.types import Button, Outbound
from bot.flows.registry import FlowRegistry
from tests.channels.drivers import DRIVERS, Driver, wait_until
from tests.conftest import ROOT
from tests.engine.chat import Chat, registry_of
from tests.engine.walker import answer_for

BUNDLED = ROOT / "flows"
BUNDLED_FLOWS = registry_of(BUNDLED)
FLOW_IDS = sorted(f.id for f in BUNDLED_FLOWS.all_current())
LAN, BINH = "lan", "binh"
PROGRESS = "SELECT count(*) FROM progress WHERE event = 'word' AND detail = 'progress'"


@pytest.fixture(params=sorted(DRIVERS))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def driver(kind: str, tmp_path: Path) -> AsyncIterator[Driver]:
    async with DRIVERS[kind](tmp_path / "d.db") as running:
        yield running


def option(driver: Driver, user: str, wanted: str) -> int:
    """The number (1-based) of the current prompt's option with this label or key."""
    options = driver.state(user).prompt.options
    for n, (label, key) in enumerate(options, 1):
        if wanted in (label, key):
            return n
    raise AssertionError(f"no option {wanted!r} in {options}")


async def pick(driver: Driver, user: str, wanted: str) -> list[str]:
    """Choose the current prompt's option with this label or key."""
    return await driver.choose(user, option(driver, user, wanted))


async def open_flow(driver: Driver, user: str, flow: Flow) -> None:
    """Choose a flow on the main menu, through its group when the menu is grouped."""
    keys = [key for _, key in driver.state(user).prompt.options]
    if f"f:{flow.id}" not in keys:
        await pick(driver, user, f"g:{group_of(flow)}")
    await pick(driver, user, f"f:{flow.id}")


async def onboard(driver: Driver, user: str, name: str = "Lan") -> None:
    """First contact, consent, name, village, new household: the resident is at the menu."""
    replies = await driver.start(user)
    assert any("Bà con có đồng ý không?" in r for r in replies), replies
    await pick(driver, user, "Đồng ý")
    await driver.send_text(user, name)
    await driver.send_text(user, "bác")
    await pick(driver, user, "Nà Khau")
    await pick(driver, user, "Hộ mới")
    assert driver.state(user).stage == "ready"


async def to_phone_question(driver: Driver, user: str) -> None:
    """Onboarded, in the sample flow, asked for a phone number."""
    await onboard(driver, user)
    replies = await pick(driver, user, "f:sample")
    assert any(r.startswith("Chào Lan ở thôn Nà Khau.") for r in replies), replies
    assert await pick(driver, user, "Bắt đầu") == ["Số điện thoại của bác?"]


async def test_onboarding(driver: Driver) -> None:
    await onboard(driver, LAN)
    residents = driver.query(
        "SELECT r.name, r.village_id, r.consent_at IS NOT NULL, h.code"
        " FROM residents r JOIN households h ON r.household_id = h.id"
    )
    assert [row[:3] for row in residents] == [("Lan", "na_khau", 1)]
    assert driver.query("SELECT count(*) FROM consents") == [(1,)]
    assert driver.query("SELECT channel FROM identities") == [(driver.channel_name,)]
    state = driver.state(LAN)
    assert state.household_code == residents[0][3] and state.prompt.options  # the menu
    assert driver.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]


@pytest.mark.parametrize("flow_id", FLOW_IDS)
async def test_a_bundled_flow_completes(kind: str, flow_id: str, tmp_path: Path) -> None:
    flow = BUNDLED_FLOWS.current(flow_id)
    assert flow is not None
    async with DRIVERS[kind](tmp_path / "d.db", BUNDLED) as driver:
        await onboard(driver, LAN)
        await open_flow(driver, LAN, flow)
        if driver.state(LAN).stage == "requires":
            await pick(driver, LAN, "skip")
        await walk_to_end(driver, LAN, BUNDLED_FLOWS)
        assert driver.query("SELECT flow_id, status FROM runs") == [(flow_id, "completed")]
        if flow.milestone:
            assert (flow.milestone,) in driver.query("SELECT name FROM milestones")
        assert f'Xong "{flow.title}"' in "\n".join(driver.texts(LAN))
        assert driver.state(LAN).run is None


async def walk_to_end(driver: Driver, user: str, flows: FlowRegistry, limit: int = 80) -> None:
    """Answer as the walker would, by the shortest way to the end, from the stored state."""
    zone = ZoneInfo(driver.config.timezone)
    for _ in range(limit):
        state = driver.state(user)
        if state.run is None:
            return
        flow = flows.version(state.run.top.flow_id, state.run.top.version)
        assert flow is not None
        chat = Chat(flows, state=state, now=datetime.now(zone))
        numbers = [Button(label, str(n)) for n, (label, _) in enumerate(state.prompt.options, 1)]
        chat.last = [Outbound("", tuple(numbers))]
        answer = answer_for(chat, flow, flow.step(state.run.top.step_id))
        if answer.kind == "button":
            await driver.choose(user, int(answer.payload))
        else:
            await driver.send_text(user, answer.text)
    raise AssertionError(f"still in a flow after {limit} answers: {driver.texts(user)[-3:]}")


async def test_a_crash_after_a_decision_sends_the_reply_once_after_restart(
    driver: Driver,
) -> None:
    await to_phone_question(driver, LAN)
    driver.fail_5xx(10_000)  # nothing gets through: the reply is decided and stored, not sent
    await driver.send_text(LAN, "0912 345 678", wait=False)
    decided = "SELECT count(*) FROM progress WHERE step_id = 'idno' AND event = 'step'"
    await wait_until(lambda: driver.query(decided) == [(1,)])
    assert "Số định danh cá nhân?" not in driver.texts(LAN)
    await driver.restart()
    driver.clear_faults()
    await driver.drain()
    assert driver.texts(LAN).count("Số định danh cá nhân?") == 1
    replies = await driver.send_text(LAN, "008203001234")
    assert replies[-1].startswith("Bác nộp ở đâu?")
    answered = "SELECT step_id, count(*) FROM progress WHERE event = 'answered' GROUP BY step_id"
    assert dict(driver.query(answered)) == {"intro": 1, "phone": 1, "idno": 1}
    assert driver.texts(LAN).count("Số định danh cá nhân?") == 1
    assert driver.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]


async def test_a_tap_on_a_question_shown_before_a_restart_is_taken(driver: Driver) -> None:
    await onboard(driver, LAN)
    await pick(driver, LAN, "f:sample")
    await driver.restart()
    assert await pick(driver, LAN, "Bắt đầu") == ["Số điện thoại của bác?"]
    assert driver.query("SELECT status, step_id FROM runs") == [("active", "phone")]


async def test_an_event_delivered_twice_is_applied_once(driver: Driver) -> None:
    await onboard(driver, LAN)
    first = await driver.send_text(LAN, "tiến độ")
    sent = len(driver.texts(LAN))
    await driver.redeliver_last(LAN)
    assert len(driver.texts(LAN)) == sent
    await driver.send_text(LAN, "menu")
    assert driver.query(PROGRESS) == [(1,)]
    assert driver.texts(LAN).count(first[0]) == 1


async def test_a_tap_on_an_earlier_question_shows_the_current_one_again(driver: Driver) -> None:
    await to_phone_question(driver, LAN)
    replies = await driver.deliver_stale_tap(LAN)
    if driver.stale_taps:
        assert replies[0].startswith("Nút đó thuộc câu hỏi trước")
    assert replies[-1].endswith("Số điện thoại của bác?"), replies
    assert driver.query("SELECT status, step_id FROM runs") == [("active", "phone")]
    assert driver.query("SELECT count(*) FROM progress WHERE event = 'answered'") == [(1,)]


async def test_429s_and_5xxs_delay_replies_but_each_arrives_once(driver: Driver) -> None:
    await onboard(driver, LAN)
    driver.fail_429(2)
    driver.fail_5xx(2)
    replies = await pick(driver, LAN, "f:sample")
    await driver.drain()
    assert driver.refused() == 4
    assert any(r.startswith("Chào Lan ở thôn Nà Khau.") for r in replies), replies
    texts = driver.texts(LAN)
    assert all(texts.count(r) == 1 for r in replies if r), texts
    assert driver.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]


async def test_answers_as_residents_type_them(driver: Driver) -> None:
    """A sample of the corpus (tests/engine/test_corpus.py), typed on every channel: consent and
    forget answered with "có", polite particles, no diacritics, a no-word for "Hộ mới"."""
    await driver.start(LAN)
    assert await driver.send_text(LAN, "có ạ") == ["Bà con tên là gì? (Ví dụ: Bàn Thị Huấn)"]
    await driver.send_text(LAN, "Lan")
    await driver.send_text(LAN, "bác")
    await driver.send_text(LAN, "na khau a")
    await driver.send_text(LAN, "chưa có")
    assert driver.state(LAN).stage == "ready" and driver.state(LAN).household_code
    await driver.send_text(LAN, "thu nghiem nhé")
    assert await driver.send_text(LAN, "bắt đầu ạ") == ["Số điện thoại của bác?"]
    await driver.send_text(LAN, "0912 345 678")
    await driver.send_text(LAN, "008203001234")
    assert (await driver.send_text(LAN, "tren mang a"))[-1].startswith("Bác có thẻ căn cước")
    await driver.send_text(LAN, "xoá dữ liệu")
    replies = await driver.send_text(LAN, "có")
    assert replies[0].startswith("Đã xoá tên, thôn, mã hộ, các bước đã làm"), replies
    assert driver.query("SELECT count(*) FROM residents") == [(0,)]
