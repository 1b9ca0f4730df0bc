"""Staff on the messengers: config staff get the desk, invitations made on the command line or
in the chat make staff on Telegram and Zalo, and every refusal grants nothing."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.staff.channels import Both, Clock, both_channels, danvan

THANH = 700000101  # Nông Văn Thành, a config official on Telegram
LAN = 1001  # a Telegram user
ZLAN = "6ede9afa5b1eb240fb0f"  # a Zalo user
MENU_OFFICIAL = "Thưa anh/chị Nông Văn Thành, anh/chị cần làm việc gì? Chọn một việc dưới đây."
REFUSED = "Mã mời này không dùng được"


@pytest.fixture
async def both(tmp_path: Path) -> AsyncIterator[Both]:
    async with both_channels(tmp_path / "d.db", Clock()) as running:
        yield running


def invite(both: Both, *args: str) -> tuple[str, str]:
    """An invitation made with `danvan staff invite`: (the start payload, the code to type)."""
    done = danvan(both.config, "staff", "invite", *args, "--bot", "danvan_test_bot")
    assert done.returncode == 0, done.stderr
    link = re.search(r"https://t\.me/danvan_test_bot\?start=(s_[A-Z0-9]{10})", done.stdout)
    code = re.search(r"CB-[A-Z0-9]{5}-[A-Z0-9]{5}", done.stdout)
    assert link is not None and code is not None, done.stdout
    return link.group(1), code.group(0)


def staff_rows(both: Both) -> list[tuple[object, ...]]:
    return both.tg.query("SELECT key, role, villages FROM staff_members ORDER BY key")


async def test_a_config_official_gets_the_staff_menu_not_consent(both: Both) -> None:
    replies = await both.tg.command(THANH, "start")
    assert replies == [MENU_OFFICIAL]
    menu = [b["text"] for row in both.tg.keyboard(THANH) for b in row]
    assert {"Mời cán bộ", "Tôi là ai"} <= set(menu)
    assert "Báo cáo tiến độ" in menu
    replies = await both.tg.tap(THANH, "Tôi là ai")
    assert replies == [
        "Thưa anh/chị Nông Văn Thành: anh/chị là cán bộ xã của Hà Lang.\nThôn: cả xã.\n"
        "Kênh: telegram, terminal."
    ]
    assert both.tg.query("SELECT COUNT(*) FROM residents") == [(0,)]


async def test_a_cli_invitation_makes_a_propagandist_on_telegram_and_on_zalo(both: Both) -> None:
    payload, _ = invite(both, "--role", "propagandist", "--village", "na_khau")
    replies = await both.tg.command(LAN, "start", payload)
    assert replies[0].startswith("Chào anh/chị! Từ nay anh/chị là tuyên truyền viên (Nà Khau)")
    menu = [b["text"] for row in both.tg.keyboard(LAN) for b in row]
    assert {"Tôi là ai", "Báo cáo tiến độ"} <= set(menu) and "Mời cán bộ" not in menu
    report = await both.tg.tap(LAN, "Báo cáo tiến độ")
    assert report[0].startswith("Tiến độ của Nà Khau, Hà Lang đến hết ngày ")
    assert report[0].split("\n")[1] == (
        "• Nà Khau: 0/0 người dùng trợ lý (0 hộ); VNeID mức 2: 0; đăng nhập Cổng DVC: 0; "
        "đã nộp hồ sơ trực tuyến: 0 người (0 hộ)"
    )
    _, code = invite(both, "--role", "propagandist", "--village", "na_khau", "--village", "ban_cay")
    replies = await both.zalo.say(ZLAN, code.lower().replace("-", " "))
    assert "tuyên truyền viên (Nà Khau, Bản Cậy)" in replies[0]
    number = menu.index("Tôi là ai") + 1  # the same menu, numbered
    assert f"\n{number}. Tôi là ai\n" in replies[-1] + "\n" and "Mời cán bộ" not in replies[-1]
    replies = await both.zalo.say(ZLAN, str(number))
    assert replies[0].endswith("Thôn: Nà Khau, Bản Cậy.\nKênh: zalo.")
    assert staff_rows(both) == [
        ("inv:1", "propagandist", '["na_khau"]'),
        ("inv:2", "propagandist", '["na_khau", "ban_cay"]'),
    ]
    assert both.tg.query("SELECT COUNT(*) FROM residents") == [(0,)]
    actions = both.tg.query("SELECT actor, action, subject FROM audit ORDER BY id")
    assert actions == [
        ("cli", "invite", "propagandist"), ("inv:1", "invite_used", "inv:1"),
        ("cli", "invite", "propagandist"), ("inv:2", "invite_used", "inv:2"),
    ]  # fmt: skip


async def test_forged_expired_and_reused_invitations_grant_nothing(both: Both) -> None:
    replies = await both.tg.command(LAN, "start", "s_ABCDEFGHJK")  # forged
    assert replies[0].startswith(REFUSED)
    payload, code = invite(both, "--role", "official")
    await both.tg.command(LAN + 1, "start", payload)
    replies = await both.zalo.say(ZLAN, code)  # reused: the link and the code are one
    assert replies[0].startswith(REFUSED)
    _, late = invite(both, "--role", "official")
    both.clock.move(73)
    replies = await both.zalo.say(ZLAN, late)  # expired
    assert replies[0].startswith(REFUSED)
    assert staff_rows(both) == [("inv:1", "official", "[]")]


async def test_guessed_codes_are_limited_even_before_the_right_one(both: Both) -> None:
    _, code = invite(both, "--role", "official")
    for n in range(5):
        replies = await both.zalo.say(ZLAN, f"CB-AAAAA-2222{n + 2}")
        assert replies[0].startswith(REFUSED)
    replies = await both.zalo.say(ZLAN, code)
    assert replies == ["Đã có nhiều mã mời sai được gõ. Anh/chị thử lại sau 60 phút nhé."]
    assert staff_rows(both) == []
    both.clock.move(1.01)  # the limits look back one hour
    replies = await both.zalo.say(ZLAN, code)
    assert replies[0].startswith("Chào anh/chị!")


async def test_an_official_invites_from_the_chat(both: Both) -> None:
    await both.tg.command(THANH, "start")
    await both.tg.tap(THANH, "Mời cán bộ")
    await both.tg.tap(THANH, "Tuyên truyền viên thôn")
    replies = await both.tg.tap(THANH, "Pác Tà")
    code = re.search(r"CB-[A-Z0-9]{5}-[A-Z0-9]{5}", replies[0])
    assert code is not None and "tuyên truyền viên (Pác Tà)" in replies[0]
    replies = await both.zalo.say(ZLAN, code.group(0))
    assert "tuyên truyền viên (Pác Tà)" in replies[0]
    actions = both.tg.query("SELECT actor, action, detail FROM audit ORDER BY id")
    assert actions[0] == (
        "cfg:nong_van_thanh", "invite", '{"role": "propagandist", "villages": ["pac_ta"]}'
    )  # fmt: skip


async def test_a_propagandist_cannot_invite_even_by_typing_it(both: Both) -> None:
    payload, _ = invite(both, "--role", "propagandist", "--village", "na_khau")
    await both.tg.command(LAN, "start", payload)
    replies = await both.tg.text(LAN, "mời cán bộ")
    assert "không thuộc phần việc của anh/chị" in replies[0]
    replies = await both.tg.press(LAN, "st:invite:official")  # a forged tap
    assert "không thuộc phần việc của anh/chị" in replies[0]
    assert both.tg.query("SELECT COUNT(*) FROM staff_invites") == [(1,)]


async def test_a_revoked_member_is_a_resident_again(both: Both) -> None:
    _, code = invite(both, "--role", "propagandist", "--village", "na_khau")
    await both.zalo.say(ZLAN, code)
    done = danvan(both.config, "staff", "revoke", "inv:1")
    assert done.returncode == 0, done.stderr
    replies = await both.zalo.say(ZLAN, "menu")
    assert "Bà con có đồng ý không?" in replies[-1]
    assert both.zalo.query("SELECT actor, action, subject FROM audit")[-1] == (
        "cli", "revoke", "inv:1"
    )  # fmt: skip
    listing = danvan(both.config, "staff", "list").stdout.splitlines()
    assert "cfg:nong_van_thanh\tNông Văn Thành\tofficial\t(all)\ttelegram,terminal\tconfig" in (
        listing
    )
    assert listing[-1] == "inv:1\t-\tpropagandist\tna_khau\tzalo\trevoked"
    again = danvan(both.config, "staff", "revoke", "inv:1")
    assert again.returncode == 1 and "no active invited staff member inv:1" in again.stderr


async def test_the_audit_cannot_be_changed(both: Both) -> None:
    invite(both, "--role", "official")
    with sqlite3.connect(both.config.db_path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE audit SET actor = 'someone'")
    with sqlite3.connect(both.config.db_path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM audit")
    assert both.tg.query("SELECT actor FROM audit") == [("cli",)]


async def test_an_invitation_that_does_not_fit_the_commune_is_not_made(both: Both) -> None:
    done = danvan(both.config, "staff", "invite", "--role", "propagandist", "--village", "nope")
    assert done.returncode == 2 and "no village nope in the configuration" in done.stderr
    done = danvan(both.config, "staff", "invite", "--role", "propagandist")
    assert done.returncode == 2 and "a propagandist needs at least one --village" in done.stderr
    assert both.tg.query("SELECT COUNT(*) FROM staff_invites") == [(0,)]
