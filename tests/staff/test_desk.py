"""The staff desk as other parts use it: registering a command, sessions, roles, stale taps."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.engine.types import Button, Inbound, Outbound
from bot.staff.cli import invite_command, revoke_command
from bot.staff.desk import StaffMessage, StaffReply, parse_payload
from bot.staff.directory import OFFICIAL

THANH = "thanh"  # a config official on the terminal
TIEN = "tien"  # a config propagandist on the terminal


class Echo:
    """A two-step command as the broadcast part would register one."""

    name = "echo"
    words: tuple[str, ...] = ("/echo", "nhắc lại")
    roles = frozenset({OFFICIAL})
    label = "Nhắc lại"

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        reply = StaffReply([Outbound(f"start {arg}", (Button("A", "st:echo:a"),))])
        reply.others.append(("terminal", "someone", Outbound("for someone")))
        reply.session = {"step": 1}
        return reply

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        return StaffReply([Outbound(f"resume {session['step']} {msg.inbound.text}")])


async def say(app: App, who: str, text: str, key: str | None = None) -> list[str]:
    deliveries = await app.front.handle("terminal", who, Inbound("text", text=text), key)
    return [d.message.text for d in deliveries]


async def test_a_config_official_gets_the_staff_menu_not_consent(app: App) -> None:
    replies = await say(app, THANH, "xin chào")
    assert replies == [
        "Thưa anh/chị Nông Văn Thành, anh/chị cần làm việc gì? Chọn một việc dưới đây."
    ]
    assert await app.db.all("SELECT * FROM residents") == []


async def test_a_registered_command_keeps_its_session_until_it_ends(app: App) -> None:
    app.desk.register(Echo())
    assert await say(app, THANH, "/echo") == ["start "]
    sent = await app.db.all("SELECT external_id FROM outbox ORDER BY id")
    assert [r[0] for r in sent] == [THANH, "someone"]
    assert await say(app, THANH, "xyz") == ["resume 1 xyz"]
    assert (await say(app, THANH, "xyz"))[0].startswith("Thưa anh/chị")  # the session ended
    echo = str(len(app.desk.allowed(app.staff.all()[0])))  # the last of the menu
    assert await say(app, THANH, echo) == ["start "]  # typed numbers choose from the menu shown
    assert await say(app, THANH, "1") == ["start a"]  # ... and then from the buttons shown


async def test_the_role_is_checked_at_every_message(app: App) -> None:
    app.desk.register(Echo())
    replies = await say(app, TIEN, "/echo")
    assert replies[0] == "Thưa anh/chị Ma Văn Tiến, việc này không thuộc phần việc của anh/chị."
    deliveries = await app.front.handle("terminal", TIEN, Inbound("button", payload="st:echo:"))
    assert "không thuộc phần việc" in deliveries[0].message.text


async def test_a_repeated_message_is_answered_once(app: App) -> None:
    assert len(await say(app, THANH, "menu", key="k1")) == 1
    assert await say(app, THANH, "menu", key="k1") == []


def test_payloads_are_parsed_strictly() -> None:
    assert parse_payload("st:broadcast:12") == ("broadcast", "12")
    assert parse_payload("st:broadcast:") == ("broadcast", "")
    for bad in ("st:Broadcast:1", "st:b:1:2", "st:b:ặ", "x:b:1", "st:b:" + "1" * 60, "0.1"):
        assert parse_payload(bad) is None


async def test_a_revocation_beside_the_bot_reaches_its_directory(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await invite_command(app.config, "propagandist", ["pac_ta"], None) == 0
    code = capsys.readouterr().out.split(": ")[-1].strip()
    await app.front.handle("zalo", "z1", Inbound("text", text=code))
    assert [m.key for m in app.staff.propagandists_of("pac_ta")][-1] == "inv:1"
    assert await revoke_command(app.config, "inv:1") == 0
    await app.ticker.tick()
    assert app.staff.get("inv:1") is None
    assert "inv:1" not in [m.key for m in app.staff.propagandists_of("pac_ta")]
    replies = await say_on(app, "zalo", "z1", "menu")
    assert "Bà con có đồng ý không?" in replies[-1]


async def test_a_revoked_member_is_a_resident_at_their_next_message_before_any_tick(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    await invite_command(app.config, "official", [], None)
    code = capsys.readouterr().out.split(": ")[-1].strip()
    await app.front.handle("zalo", "z1", Inbound("text", text=code))
    await revoke_command(app.config, "inv:1")
    replies = await say_on(app, "zalo", "z1", "/staff")
    assert (
        replies[0]
        == "Việc này chỉ dành cho cán bộ xã và tuyên truyền viên, nên mình không làm được."
    )


async def say_on(app: App, channel: str, who: str, text: str) -> list[str]:
    deliveries = await app.front.handle(channel, who, Inbound("text", text=text))
    return [d.message.text for d in deliveries]
