"""The Zalo OA channel end to end against a local fake of the OA API and its OAuth server."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.app import App, open_app
from bot.channels.http import HttpEndpoint
from bot.channels.ratelimit import Limits
from bot.channels.zalo_oa.channel import ZaloOAChannel, ZaloOASettings
from bot.channels.zalo_oa.freshness import Freshness
from bot.channels.zalo_oa.inbound import ButtonMemory, incoming, verify_signature
from bot.channels.zalo_oa.sender import bodies
from bot.engine.flow import Media
from bot.engine.types import Button, Inbound, Outbound
from bot.store.batch import Batch
from bot.store.writes import INSERT_OUTBOX, Delivery, encode_outbound
from tests.conftest import BASIC_FLOWS, config_for
from tests.fakes.zalo_oa_server import FakeZaloOA

LAN = "5521000000000000001"
BINH = "5521000000000000002"
FAST = Limits(overall_rate=1000, overall_burst=100, chat_rate=100, chat_burst=100)
T = TypeVar("T")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class OA:
    """A running OA channel and what residents see of it."""

    def __init__(self, fake: FakeZaloOA, app: App, channel: ZaloOAChannel, clock: Clock) -> None:
        self.fake, self.app, self.channel, self.clock = fake, app, channel, clock

    async def post(self, event: dict[str, Any]) -> int:
        """Zalo POSTs a signed event; waits until every reply is sent."""
        status = await self.channel.webhook(*self.fake.signed(event))
        await asyncio.wait_for(self.channel.worker.drained(), 15)
        return status

    async def say(self, user: str, text: str) -> list[str]:
        before = len(self.fake.texts(user))
        await self.post(self.fake.text_event(user, text))
        return self.fake.texts(user)[before:]

    async def tap(self, user: str, title: str) -> list[str]:
        before = len(self.fake.texts(user))
        await self.post(self.fake.tap_event(user, title))
        return self.fake.texts(user)[before:]

    async def onboard(self, user: str) -> None:
        await self.post(self.fake.follow_event(user))
        await self.tap(user, "Đồng ý")
        await self.say(user, "Lan")
        await self.say(user, "bác")
        await self.tap(user, "Nà Khau")
        await self.tap(user, "Hộ mới")

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.app.config.db_path)) as conn:
            return conn.execute(sql).fetchall()


@pytest.fixture
def fake() -> Iterator[FakeZaloOA]:
    with FakeZaloOA() as server:
        yield server


async def _open(fake: FakeZaloOA, db: Path, seed: str, clock: Clock | None = None) -> OA:
    clock = clock or Clock()
    fake.clock = clock
    app = await open_app(config_for(db))
    app.conversation.clock = clock
    settings = ZaloOASettings(
        app_id=fake.app_id,
        secret_key=fake.secret_key,
        refresh_token=seed,
        oa_secret=fake.oa_secret,
        api_url=fake.base_url,
        oauth_url=fake.base_url,
        media_url="http://127.0.0.1:9/media",
    )
    channel = ZaloOAChannel(app, settings, FAST)
    await channel.start()
    return OA(fake, app, channel, clock)


async def _close(oa: OA) -> None:
    await oa.channel.stop()
    await oa.app.close()


@pytest.fixture
async def oa(fake: FakeZaloOA, tmp_path: Path) -> AsyncIterator[OA]:
    running = await _open(fake, tmp_path / "d.db", fake.grant())
    yield running
    await _close(running)


async def test_onboarding_with_button_templates(oa: OA) -> None:
    await oa.post(oa.fake.follow_event(LAN))
    assert "Bà con có đồng ý không?" in oa.fake.texts(LAN)[-1]
    assert [t for t, _ in oa.fake.buttons(LAN)] == ["Đồng ý", "Không đồng ý"]
    await oa.tap(LAN, "Đồng ý")
    await oa.say(LAN, "Lan")
    await oa.say(LAN, "bác")
    await oa.tap(LAN, "Nà Khau")
    await oa.tap(LAN, "Hộ mới")
    replies = await oa.tap(LAN, "Thử nghiệm")
    assert replies == ["", "Chào Lan ở thôn Nà Khau."]
    image = oa.fake.sent(LAN)[-2].message["attachment"]["payload"]["elements"]
    assert image == [
        {"media_type": "image", "url": "http://127.0.0.1:9/media/images/sample/intro.png"}
    ]
    assert oa.query("SELECT name, village_id FROM residents") == [("Lan", "na_khau")]


async def test_a_stale_tap_shows_the_current_question_again(oa: OA) -> None:
    await oa.onboard(LAN)
    await oa.tap(LAN, "Thử nghiệm")
    old = dict(oa.fake.buttons(LAN))["Để sau"]
    await oa.tap(LAN, "Bắt đầu")
    before = len(oa.fake.texts(LAN))
    await oa.post(oa.fake.text_event(LAN, old))
    replies = oa.fake.texts(LAN)[before:]
    assert replies[0].startswith("Nút đó thuộc câu hỏi trước")
    assert replies[-1] == "Số điện thoại của bác?"
    assert oa.query("SELECT status, step_id FROM runs") == [("active", "phone")]


def test_a_text_is_a_tap_only_when_it_is_a_payload_we_sent() -> None:
    fake, taps = FakeZaloOA(), ButtonMemory()
    taps.remember(LAN, ["12.0", "12.1"])
    tapped = incoming(fake.text_event(LAN, "12.1", msg_id="x1"), taps.is_tap)
    typed = incoming(fake.text_event(LAN, "150.000"), taps.is_tap)
    other = incoming(fake.text_event(BINH, "12.1"), taps.is_tap)
    assert tapped is not None and tapped.inbound == Inbound("button", payload="12.1")
    assert tapped.key == "mx1"
    assert typed is not None and typed.inbound == Inbound("text", text="150.000")
    # nothing remembered for BINH (as after a restart): a payload-shaped text counts as a tap,
    # and the engine tells an old one from a current one; a typed amount stays a text
    assert other is not None and other.inbound == Inbound("button", payload="12.1")
    amount = incoming(fake.text_event(BINH, "150.000"), taps.is_tap)
    assert amount is not None and amount.inbound.kind == "text"
    photo = incoming(fake.image_event(LAN, "https://f.zalo.me/p.jpg"), taps.is_tap)
    assert photo is not None and photo.inbound == Inbound(
        "file", file_ref="https://f.zalo.me/p.jpg"
    )
    follow = incoming(fake.follow_event(LAN), taps.is_tap)
    assert follow is not None and follow.inbound == Inbound("start")
    assert incoming(fake.unfollow_event(LAN), taps.is_tap) is None
    echo = {"event_name": "oa_send_text", "sender": {"id": "oa"}, "recipient": {"id": LAN}}
    assert incoming(echo, taps.is_tap) is None


def test_events_without_a_msg_id_do_not_share_a_dedupe_key() -> None:
    taps = ButtonMemory()
    texts = [{"event_name": "user_send_text", "sender": {"id": LAN}, "message": {"text": t}}
             for t in ("1", "2", "1")]  # fmt: skip
    items = [incoming(event, taps.is_tap) for event in texts]
    keys = [item.key for item in items if item is not None]
    assert len(keys) == 3 and keys[0] != keys[1] and keys[0] == keys[2]  # the same one again


def test_signatures_right_wrong_and_missing() -> None:
    fake = FakeZaloOA()
    headers, body = fake.signed(fake.text_event(LAN, "Xin chào"))
    app_id, secret = fake.app_id, fake.oa_secret
    assert verify_signature(headers, body, app_id, secret)
    bare = {"x-zevent-signature": headers["X-ZEvent-Signature"].removeprefix("mac=")}
    assert verify_signature(bare, body, app_id, secret)  # header names in any case; no prefix
    assert not verify_signature(headers, body.replace(b"Xin", b"Xim"), app_id, secret)
    assert not verify_signature(headers, body, app_id, "another-secret")
    assert not verify_signature(headers, body, "3011999", secret)
    assert not verify_signature({}, body, app_id, secret)
    assert not verify_signature({"X-ZEvent-Signature": "mac="}, body, app_id, secret)
    assert not verify_signature(headers, body, app_id, "")


async def test_the_webhook_refuses_unsigned_events(oa: OA) -> None:
    headers, body = oa.fake.signed(oa.fake.follow_event(LAN))
    forged = {**headers, "X-ZEvent-Signature": "mac=" + "0" * 64}
    assert await oa.channel.webhook(forged, body) == 403
    assert await oa.channel.webhook({"Content-Type": "application/json"}, body) == 403
    assert oa.query("SELECT count(*) FROM identities") == [(0,)]
    assert await oa.channel.webhook(headers, body) == 200
    await asyncio.wait_for(oa.channel.worker.drained(), 15)
    assert oa.fake.texts(LAN)


async def test_stale_and_replayed_webhook_requests_are_refused(oa: OA) -> None:
    request = oa.fake.signed(oa.fake.text_event(LAN, "Xin chào"))
    assert await oa.channel.webhook(*request) == 200
    assert await oa.channel.webhook(*request) == 403  # replayed within the window
    for minutes, status in ((-6, 403), (6, 403), (-4, 200), (4, 200)):
        oa.fake.clock = lambda m=minutes: oa.clock() + timedelta(minutes=m)  # type: ignore[misc]
        assert await oa.channel.webhook(*oa.fake.signed(oa.fake.text_event(BINH, "a"))) == status
    oa.clock.advance(minutes=10)
    assert await oa.channel.webhook(*request) == 403  # replayed later: stale
    await asyncio.wait_for(oa.channel.worker.drained(), 15)
    assert oa.query("SELECT count(*) FROM inbound_seen") == [(3,)]


def test_the_signatures_remembered_are_bounded() -> None:
    clock = Clock()
    fresh = Freshness(clock, kept=3)
    stamp = str(int(clock().timestamp() * 1000))
    assert all(fresh.accept(f"sig{n}", stamp) for n in range(5)) and len(fresh) == 3
    assert fresh.accept("sig4", stamp) is False and fresh.accept("sig0", stamp) is True
    clock.advance(minutes=6)
    later = str(int(clock().timestamp()))  # in seconds: also read
    assert fresh.accept("sig9", later) and len(fresh) == 1
    assert not fresh.accept("sig8", "not a stamp")


async def test_a_signed_body_that_is_not_an_event_object_is_a_bad_request(oa: OA) -> None:
    for body in ([1, 2], "text", None, {"sender": {"id": LAN}}, {"event_name": 1}):
        with pytest.raises(ValueError):
            await oa.channel.deliver(body)  # the HTTP endpoint answers 400
    assert oa.query("SELECT count(*) FROM identities") == [(0,)]


async def _post(port: int, headers: dict[str, str], body: bytes) -> int:
    async with httpx.AsyncClient() as client:
        url = f"http://127.0.0.1:{port}/zalo-oa"
        return (await client.post(url, headers=headers, content=body)).status_code


async def test_a_request_whose_delivery_failed_is_not_refused_as_a_replay(oa: OA) -> None:
    endpoint = HttpEndpoint("127.0.0.1", 0)
    endpoint.add_signed_webhook("/zalo-oa", oa.channel.verify, oa.channel.deliver)
    port = await endpoint.start()
    try:
        event = {"app_id": oa.fake.app_id, "sender": {"id": LAN}, "timestamp": oa.fake.stamp()}
        failing = oa.fake.signed(event)  # signed, but no event_name: its delivery fails
        assert await _post(port, *failing) == 400
        assert await _post(port, *failing) == 400  # not 403: it was never handled
        handled = oa.fake.signed(oa.fake.text_event(LAN, "Xin chào"))
        assert await _post(port, *handled) == 200
        assert await _post(port, *handled) == 403  # handled once: now a replay
    finally:
        await endpoint.stop()


async def test_duplicate_events_are_applied_once(oa: OA) -> None:
    await oa.onboard(LAN)
    event = oa.fake.text_event(LAN, "tiến độ")
    await oa.post(event)
    sent = len(oa.fake.sent(LAN))
    assert await oa.post({**event, "timestamp": oa.fake.stamp()}) == 200  # sent again, re-signed
    follow = oa.fake.follow_event(LAN)
    assert await oa.post(follow) == 200
    assert await oa.post(follow) == 403  # the very same request: a replay
    progress = "SELECT count(*) FROM progress WHERE event = 'word' AND detail = 'progress'"
    assert oa.query(progress) == [(1,)]
    assert len(oa.fake.sent(LAN)) == sent + 1  # the follow's reprompt, once


async def test_5xx_and_quota_answers_delay_messages_but_each_arrives_once(
    oa: OA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.channels.zalo_oa.sender.QUOTA_PAUSE", 0.2)
    await oa.onboard(LAN)
    oa.fake.fail_with_5xx(n=2)
    oa.fake.fail_with_quota(n=1)
    await oa.tap(LAN, "Thử nghiệm")
    assert oa.fake.texts(LAN).count("Chào Lan ở thôn Nà Khau.") == 1
    failed = [(c.status, c.error) for c in oa.fake.calls if c.status != 200 or c.error]
    assert failed == [(502, 0), (502, 0), (200, -32)]


async def test_a_refused_user_is_marked_unreachable(oa: OA) -> None:
    await oa.onboard(LAN)
    oa.fake.not_interacted(LAN)
    await oa.post(oa.fake.text_event(LAN, "menu"))
    assert oa.query("SELECT error FROM outbox WHERE failed_at IS NOT NULL") == [("unreachable",)]
    assert oa.query("SELECT unreachable_at IS NOT NULL FROM identities") == [(1,)]


async def _queue(oa: OA, user: str, text: str) -> None:
    """A message decided without the resident writing (as a broadcast or follow-up would be)."""
    delivery = Delivery(oa.app.conversation.outbox_ids.take(), "zalo_oa", user, Outbound(text))
    batch = Batch()
    body = json.dumps(encode_outbound(delivery.message), ensure_ascii=False)
    batch.add(INSERT_OUTBOX, (delivery.id, "zalo_oa", user, body, oa.clock().isoformat()))
    await oa.app.db.commit(batch)
    oa.channel.worker.add([delivery])
    await asyncio.wait_for(oa.channel.worker.drained(), 15)


async def test_a_resident_silent_for_over_7_days_is_not_sent_to(oa: OA) -> None:
    await oa.onboard(LAN)
    oa.clock.advance(days=6, hours=23)
    await _queue(oa, LAN, "Họp thôn lúc 8 giờ sáng mai.")
    assert oa.fake.texts(LAN)[-1] == "Họp thôn lúc 8 giờ sáng mai."
    calls = len(oa.fake.calls)
    oa.clock.advance(hours=2)
    await _queue(oa, LAN, "Nhắc lại: họp thôn lúc 8 giờ.")
    assert len(oa.fake.calls) == calls  # refused without calling Zalo
    assert oa.query("SELECT error FROM outbox WHERE failed_at IS NOT NULL") == [("unreachable",)]
    assert oa.query("SELECT unreachable_at IS NOT NULL FROM identities") == [(1,)]
    assert await oa.say(LAN, "menu")  # writing again opens the window again
    assert oa.query("SELECT unreachable_at IS NULL FROM identities") == [(1,)]


async def test_an_unfollower_is_not_sent_to_until_they_write(oa: OA) -> None:
    await oa.onboard(LAN)
    await oa.post(oa.fake.unfollow_event(LAN))
    calls = len(oa.fake.calls)
    await _queue(oa, LAN, "Họp thôn lúc 8 giờ sáng mai.")
    assert len(oa.fake.calls) == calls
    assert oa.query("SELECT unreachable_at IS NOT NULL FROM identities") == [(1,)]
    assert await oa.say(LAN, "menu")


def _stored(oa: OA) -> tuple[str, str]:
    [(access, refresh)] = oa.query("SELECT access_token, refresh_token FROM zalo_oa_tokens")
    return str(access), str(refresh)


async def test_an_expired_token_is_refreshed_once_and_stored(oa: OA) -> None:
    await oa.onboard(LAN)
    await oa.onboard(BINH)
    first = _stored(oa)
    oa.fake.expire_access_tokens()
    await asyncio.gather(oa.post(oa.fake.text_event(LAN, "menu")), oa.say(BINH, "menu"))
    assert len(oa.fake.refreshes) == 2  # the seed at start, then one for both residents
    access, _ = _stored(oa)
    assert access != first[0] and oa.fake.sent()[-1].token == access
    refused = [c.token for c in oa.fake.calls if c.error == -216]
    assert 1 <= len(refused) <= 2 and set(refused) == {first[0]}
    assert oa.fake.reused == []


async def test_an_expired_answer_refreshes_the_token_and_sends_the_reply(oa: OA) -> None:
    await oa.onboard(LAN)
    first = _stored(oa)
    oa.fake.expire_access_tokens(error=-220)  # "expired", not -216
    assert await oa.say(LAN, "menu")
    assert len(oa.fake.refreshes) == 2 and _stored(oa)[0] != first[0]
    assert [c.token for c in oa.fake.calls if c.error == -220] == [first[0]]
    assert oa.query("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL") == [(0,)]


async def test_a_reply_refused_even_after_a_refresh_is_kept_and_sent_later(
    oa: OA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.channels.zalo_oa.sender.AUTH_PAUSE", 0.2)
    await oa.onboard(LAN)
    oa.fake.refuse_tokens(-220)
    await oa.channel.webhook(*oa.fake.signed(oa.fake.text_event(LAN, "menu")))
    await oa.fake.wait_for(lambda f: len(f.refreshes) >= 2)
    unsent = "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
    assert oa.query(unsent) == [(1,)]  # kept for later, not dropped
    before = len(oa.fake.sent(LAN))
    oa.fake.accept_tokens()
    await oa.fake.wait_for(lambda f: len(f.sent(LAN)) > before)
    await asyncio.wait_for(oa.channel.worker.drained(), 15)
    assert oa.query(unsent) == [(0,)] and len(oa.fake.sent(LAN)) == before + 1
    assert oa.query("SELECT count(*) FROM outbox WHERE failed_at IS NOT NULL") == [(0,)]
    assert oa.fake.reused == []


async def test_concurrent_refreshes_spend_the_refresh_token_once(oa: OA) -> None:
    stale = await oa.channel.tokens.access()
    tokens = await asyncio.gather(*(oa.channel.tokens.refresh(stale) for _ in range(5)))
    assert len(set(tokens)) == 1 and tokens[0] != stale
    assert len(oa.fake.refreshes) == 2 and oa.fake.reused == []


async def test_the_token_is_refreshed_before_it_expires(oa: OA) -> None:
    await oa.onboard(LAN)
    oa.clock.advance(hours=24, minutes=55)  # 25 h tokens; refreshed 10 minutes early
    await oa.say(LAN, "menu")
    assert len(oa.fake.refreshes) == 2
    assert all(c.error != -216 for c in oa.fake.calls)


class Crash(Exception):
    """The process dies here."""


async def test_a_pair_stored_before_a_crash_is_used_after_it(
    fake: FakeZaloOA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = fake.grant()
    oa = await _open(fake, tmp_path / "d.db", seed)
    await oa.onboard(LAN)
    first, _ = _stored(oa)
    fake.expire_access_tokens()
    commit = oa.app.db.transaction

    async def crash_after(work: Callable[[Any], Awaitable[T]]) -> T:
        await commit(work)
        raise Crash  # committed, never used

    monkeypatch.setattr(oa.app.db, "transaction", crash_after)
    await oa.channel.webhook(*fake.signed(fake.text_event(LAN, "menu")))
    await fake.wait_for(lambda f: _stored(oa)[0] != first)
    new_access, _ = _stored(oa)
    assert not [c for c in fake.calls if c.token == new_access]
    await _close(oa)
    again = await _open(fake, tmp_path / "d.db", seed)  # the configured token is spent
    try:
        await asyncio.wait_for(again.channel.worker.drained(), 15)
        assert [c.token for c in fake.sent(LAN)][-1:] == [new_access]  # the reply, sent once
        assert again.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == [(0,)]
        assert len(fake.refreshes) == 2 and fake.reused == []
        again.clock.advance(hours=25)
        await again.say(LAN, "menu")
        assert len(fake.refreshes) == 3 and fake.reused == []
    finally:
        await _close(again)


async def test_a_new_configured_token_replaces_the_stored_pair(
    fake: FakeZaloOA, tmp_path: Path
) -> None:
    oa = await _open(fake, tmp_path / "d.db", fake.grant())
    await _close(oa)
    reauthorised = fake.grant()  # the OA admin authorised the app again
    oa = await _open(fake, tmp_path / "d.db", reauthorised)
    try:
        assert [c.token for c in fake.refreshes][-1] == reauthorised
        assert await oa.say(LAN, "Xin chào") and fake.reused == []
    finally:
        await _close(oa)


def test_more_buttons_than_a_template_holds_become_a_numbered_list() -> None:
    options = tuple(Button(f"Thôn {n}", f"7.{n}") for n in range(6))
    [body] = bodies(Outbound("Thôn nào?", options), BASIC_FLOWS, None)
    assert body == {"text": "Thôn nào?\n\n" + "\n".join(f"{n + 1}. Thôn {n}" for n in range(6))}
    long = Outbound("x" * 2500, options[:2], (Media("image", "images/sample/intro.png"),))
    parts = bodies(long, BASIC_FLOWS, None)  # no media URL: the image is left out
    assert [len(p["text"]) for p in parts] == [2000, 500]
    assert "attachment" not in parts[0] and len(parts[1]["attachment"]["payload"]["buttons"]) == 2
