"""The Zalo Bot Platform channel end to end against a local fake of the platform's API."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import App, open_app
from bot.channels.http import HttpEndpoint
from bot.channels.ratelimit import Limits
from bot.channels.zalo.channel import SECRET_HEADER, ZaloChannel, ZaloSettings
from bot.engine.guesses import show_code
from bot.engine.textnorm import fold
from bot.flows.registry import FlowRegistry
from bot.store.codec import load_state
from tests.conftest import ROOT, config_for
from tests.engine.chat import Chat, registry_of
from tests.engine.walker import answer_for
from tests.fakes.zalo_server import FakeZalo

LAN = "6ede9afa5b1eb240fb0f"
BINH = "7fe0a1b2c3d4e5f60718"
FAST = Limits(overall_rate=1000, overall_burst=100, chat_rate=100, chat_burst=100)


class Zalo:
    """A running Zalo channel and what residents see of it."""

    def __init__(self, fake: FakeZalo, app: App, channel: ZaloChannel) -> None:
        self.fake, self.app, self.channel = fake, app, channel

    async def say(self, user: str, text: str) -> list[str]:
        """The resident types; returns the texts of the replies."""
        before = len(self.fake.texts(user))
        self.fake.push_text(user, text)
        await self.settle(user, before)
        return self.fake.texts(user)[before:]

    async def settle(self, user: str, before: int) -> None:
        def done(fake: FakeZalo) -> bool:
            return (
                len(fake.texts(user)) > before
                and not fake.pending()
                and not self.channel.worker.pending
            )

        await self.fake.wait_for(done, timeout=15)

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with closing(sqlite3.connect(self.app.config.db_path)) as conn:
            return conn.execute(sql).fetchall()

    async def onboard(self, user: str) -> None:
        """First message, consent (1), name, village (1: Nà Khau), new household (1)."""
        await self.say(user, "Xin chào")
        await self.say(user, "1")
        await self.say(user, "Lan")
        await self.say(user, "bác")
        await self.say(user, "1")
        await self.say(user, "1")


@pytest.fixture
def fake() -> Iterator[FakeZalo]:
    with FakeZalo() as server:
        yield server


async def _open(
    fake: FakeZalo, db: Path, flows: Path | None = None, media: str | None = None
) -> Zalo:
    config = config_for(db, flows) if flows else config_for(db)
    app = await open_app(config)
    settings = ZaloSettings(token=fake.token, api_url=fake.base_url, media_url=media, poll_wait=1)
    channel = ZaloChannel(app, settings, FAST)
    await channel.start()
    return Zalo(fake, app, channel)


async def _close(zalo: Zalo) -> None:
    await zalo.channel.stop()
    await zalo.app.close()


@pytest.fixture
async def zalo(fake: FakeZalo, tmp_path: Path) -> AsyncIterator[Zalo]:
    running = await _open(fake, tmp_path / "d.db", media="http://127.0.0.1:9/media")
    yield running
    await _close(running)


async def test_onboarding_with_numbered_choices(zalo: Zalo) -> None:
    replies = await zalo.say(LAN, "Xin chào")
    assert replies[-1].endswith("Bà con có đồng ý không?\n\n1. Đồng ý\n2. Không đồng ý")
    await zalo.say(LAN, "1")
    await zalo.say(LAN, "Lan")
    await zalo.say(LAN, "bác")
    replies = await zalo.say(LAN, "nà khau")
    assert "1. Hộ mới\n2. Đã có mã hộ" in replies[-1]
    await zalo.say(LAN, "1")
    assert zalo.query("SELECT name, village_id FROM residents") == [("Lan", "na_khau")]


async def test_photos_go_by_url_from_the_media_route(zalo: Zalo) -> None:
    await zalo.onboard(LAN)
    await zalo.say(LAN, "1")  # the sample flow: its intro has an image
    photos = [c for c in zalo.fake.sent(LAN) if c.method == "sendPhoto"]
    assert [c.params["photo"] for c in photos] == [
        "http://127.0.0.1:9/media/images/sample/intro.png"
    ]


async def test_a_household_is_joined_by_typing_its_code(zalo: Zalo) -> None:
    await zalo.onboard(LAN)
    code = str(zalo.query("SELECT code FROM households")[0][0])
    await zalo.say(BINH, "chào")
    await zalo.say(BINH, "dong y")
    await zalo.say(BINH, "Bình")
    await zalo.say(BINH, "1")
    await zalo.say(BINH, "1")
    await zalo.say(BINH, "2")
    replies = await zalo.say(BINH, code)
    assert f"Bác đã vào hộ có mã {show_code(code)}." in replies[0]
    assert "Lan" not in "\n".join(replies)
    assert zalo.query("SELECT count(DISTINCT household_id) FROM residents") == [(1,)]


async def test_an_event_delivered_twice_is_applied_once(zalo: Zalo) -> None:
    await zalo.onboard(LAN)
    event = zalo.fake.push_text(LAN, "tiến độ", message_id="aaaa0001")
    await zalo.fake.wait_for(lambda f: not f.pending())
    zalo.fake.push_raw(event)
    await zalo.say(LAN, "menu")
    progress = "SELECT count(*) FROM progress WHERE event = 'word' AND detail = 'progress'"
    assert zalo.query(progress) == [(1,)]


async def test_quota_and_5xx_answers_delay_messages_but_each_arrives_once(
    fake: FakeZalo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.channels.zalo.sender.QUOTA_PAUSE", 0.2)
    zalo = await _open(fake, tmp_path / "d.db")
    try:
        await zalo.onboard(LAN)
        fake.fail_with_429(n=2)
        fake.fail_with_5xx(n=2)
        await zalo.say(LAN, "1")
        assert fake.texts(LAN).count("Chào Lan ở thôn Nà Khau.\n\n1. Bắt đầu\n2. Để sau") == 1
        statuses = [c.status for c in fake.calls if c.method == "sendMessage"]
        assert statuses.count(429) == 2 and statuses.count(502) == 2
    finally:
        await _close(zalo)


async def test_a_blocked_resident_is_marked_unreachable(zalo: Zalo) -> None:
    await zalo.onboard(LAN)
    zalo.fake.block(LAN)
    zalo.fake.push_text(LAN, "menu")
    dropped = "SELECT count(*) FROM outbox WHERE error = 'unreachable'"
    await zalo.fake.wait_for(lambda f: zalo.query(dropped) == [(1,)])
    assert zalo.query("SELECT unreachable_at IS NOT NULL FROM identities") == [(1,)]


async def test_a_bundled_flow_walks_to_completion_typing_numbers_and_words(
    fake: FakeZalo, tmp_path: Path
) -> None:
    flows = registry_of(ROOT / "flows")
    zalo = await _open(fake, tmp_path / "d.db", ROOT / "flows")
    try:
        await zalo.onboard(LAN)
        await zalo.say(LAN, "khai sinh, khai tu, ket hon")  # the menu's group
        await zalo.say(LAN, "xin giay xac nhan tinh trang hon nhan")
        await zalo.say(LAN, "2")  # I already have the login
        for _ in range(60):
            state = load_state(str(zalo.query("SELECT state FROM residents")[0][0]))
            if state.run is None:
                break
            await zalo.say(LAN, _typed_answer(flows, state))
        assert zalo.query("SELECT flow_id, status FROM runs") == [("marital_status", "completed")]
    finally:
        await _close(zalo)


def _typed_answer(flows: FlowRegistry, state: object) -> str:
    """What the walker would answer, typed: an option's number, else the text itself."""
    from bot.engine.types import Button, Outbound, State

    assert isinstance(state, State) and state.run is not None
    flow = flows.version(state.run.top.flow_id, state.run.top.version)
    assert flow is not None
    chat = Chat(flows, state=state)
    options = [Button(label, f"{n}") for n, (label, _) in enumerate(state.prompt.options, 1)]
    chat.last = [Outbound("", tuple(options))]
    answer = answer_for(chat, flow, flow.step(state.run.top.step_id))
    return answer.payload if answer.kind == "button" else fold(answer.text) or answer.text


async def test_webhook_mode_checks_the_secret_and_serves_media(
    fake: FakeZalo, tmp_path: Path
) -> None:
    app = await open_app(config_for(tmp_path / "d.db"))
    endpoint = HttpEndpoint("127.0.0.1", 0)
    port = await endpoint.start()
    settings = ZaloSettings(
        token=fake.token, api_url=fake.base_url, webhook_url=f"http://127.0.0.1:{port}/zalo"
    )
    channel = ZaloChannel(app, settings, FAST)
    endpoint.add_webhook("/zalo", SECRET_HEADER, "s3cret-value-123", channel.deliver)
    endpoint.serve_media("/media", app.config.flows_dir)
    await channel.start("s3cret-value-123")
    try:
        assert fake.webhook == {
            "url": f"http://127.0.0.1:{port}/zalo",
            "secret_token": "s3cret-value-123",
        }
        event = {"event_name": "message.text.received", "message": {
            "from": {"id": LAN, "display_name": "Lan", "is_bot": False},
            "chat": {"id": LAN, "chat_type": "PRIVATE"}, "text": "Xin chào",
            "message_id": "bbbb0001", "date": 1750316131602}}  # fmt: skip
        url = f"http://127.0.0.1:{port}/zalo"
        assert await fake.post_webhook(event, url, None) == 403
        assert await fake.post_webhook(event, url, "s3cret-value-12x") == 403
        assert await fake.post_webhook(event, url, "s3cret-value-123") == 200
        await fake.wait_for(lambda f: any("đồng ý" in t for t in f.texts(LAN)))
        async with httpx.AsyncClient() as client:
            image = await client.get(f"http://127.0.0.1:{port}/media/images/sample/intro.png")
            secret = await client.get(f"http://127.0.0.1:{port}/media/../sample.yaml")
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        assert secret.status_code == 404
    finally:
        await endpoint.stop()
        await channel.stop()
        await app.close()
        await asyncio.sleep(0)


def _event(
    text: str, message_id: str | None = "cccc0001", date: int = 1750316131602
) -> dict[str, Any]:
    message = {
        "from": {"id": LAN, "display_name": "Lan", "is_bot": False},
        "chat": {"id": LAN, "chat_type": "PRIVATE"},
        "text": text,
        "date": date,
    }
    if message_id is not None:
        message["message_id"] = message_id
    return {"event_name": "message.text.received", "message": message}


async def test_the_webhook_takes_the_documented_and_the_bare_shape_and_refuses_the_rest(
    fake: FakeZalo, tmp_path: Path
) -> None:
    app = await open_app(config_for(tmp_path / "d.db"))
    endpoint = HttpEndpoint("127.0.0.1", 0)
    port = await endpoint.start()
    url, secret = f"http://127.0.0.1:{port}/zalo", "s3cret-value-123"
    channel = ZaloChannel(app, ZaloSettings(fake.token, fake.base_url, url), FAST)
    endpoint.add_webhook("/zalo", SECRET_HEADER, secret, channel.deliver)
    await channel.start(secret)
    seen = "SELECT count(*) FROM inbound_seen"
    try:
        assert await fake.post_webhook(_event("Xin chào", "w1"), url, secret) == 200
        await fake.wait_for(lambda f: any("đồng ý" in t for t in f.texts(LAN)))
        bare = json.dumps(_event("1", "w2")).encode()
        assert await fake.post_raw_webhook(bare, url, secret) == 200
        await fake.wait_for(lambda f: any("tên" in t for t in f.texts(LAN)))
        with closing(sqlite3.connect(app.config.db_path)) as conn:
            assert conn.execute(seen).fetchall() == [(2,)]
        garbage = [b"not json", b"[1, 2]", b'{"ok": false, "error_code": 401}']
        garbage += [b'{"ok": true, "result": {}}', b'{"ok": true}', b'{"hello": "world"}']
        garbage.append(json.dumps({"ok": True, "result": _event("x")["message"]}).encode())
        for body in garbage:
            assert await fake.post_raw_webhook(body, url, secret) == 400, body
        sticker = _event("", "w3") | {"event_name": "message.sticker.received"}
        assert await fake.post_webhook(sticker, url, secret) == 200
        with closing(sqlite3.connect(app.config.db_path)) as conn:
            assert conn.execute(seen).fetchall() == [(3,)]  # the garbage handled nothing
    finally:
        await endpoint.stop()
        await channel.stop()
        await app.close()


async def test_events_without_a_message_id_are_told_apart_by_their_content(zalo: Zalo) -> None:
    await zalo.onboard(LAN)
    first, second = _event("tiến độ", None, 1750316131602), _event("tiến độ", None, 1750316139000)
    for event in (first, second, first):  # two messages, then the first delivered again
        zalo.fake.push_raw(event)
    await zalo.say(LAN, "menu")
    progress = "SELECT count(*) FROM progress WHERE event = 'word' AND detail = 'progress'"
    assert zalo.query(progress) == [(2,)]
