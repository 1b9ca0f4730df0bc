"""A household code is not a key to someone's account: a stranger on the Zalo Bot Platform
against a resident on Telegram, both through the real channels on one database file."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.channels.drivers import Driver, TelegramAndZalo, wait_until
from tests.channels.test_every_channel import onboard, pick

LAN, STRANGER = "lan", "stranger"
VICTIM = "Triệu Thị Lan"  # Lan's full name
LOCKED = re.compile(r"Bác đã gõ sai mã nhiều lần\. Bác thử lại sau \d+ phút nhé\.")


@pytest.fixture
async def both(tmp_path: Path) -> AsyncIterator[TelegramAndZalo]:
    async with TelegramAndZalo(tmp_path / "d.db") as running:
        yield running


async def lan_in_a_flow(both: TelegramAndZalo) -> str:
    """Lan on Telegram: onboarded, in the sample flow, her phone answered; her household code."""
    await onboard(both.telegram, LAN, VICTIM)
    await pick(both.telegram, LAN, "f:sample")
    await pick(both.telegram, LAN, "Bắt đầu")
    assert await both.telegram.send_text(LAN, "0912345678") == ["Số định danh cá nhân?"]
    return str(both.telegram.query("SELECT code FROM households")[0][0])


async def at_household_question(driver: Driver, user: str, name: str) -> None:
    await driver.start(user)
    await pick(driver, user, "Đồng ý")
    await driver.send_text(user, name)
    await driver.send_text(user, "bác")
    await pick(driver, user, "Nà Khau")


async def test_a_stranger_with_the_household_code_joins_as_a_new_member_and_sees_nothing(
    both: TelegramAndZalo,
) -> None:
    code = await lan_in_a_flow(both)
    zalo = both.zalo
    await at_household_question(zalo, STRANGER, "Kẻ Lạ")
    await pick(zalo, STRANGER, "Đã có mã hộ")
    replies = await zalo.send_text(STRANGER, code)
    assert any(r.startswith("Bác đã vào hộ có mã") for r in replies), replies
    for asked in ("tiến độ", "quyền riêng tư"):
        replies += await zalo.send_text(STRANGER, asked)
    seen = "\n".join(zalo.texts(STRANGER))
    assert VICTIM not in seen and "Triệu" not in seen
    assert "0912345678" not in seen and "Số định danh" not in seen
    assert "Kẻ Lạ" in seen and zalo.state(STRANGER).run is None
    assert both.telegram.query(
        "SELECT count(DISTINCT resident_id) FROM identities WHERE channel = 'telegram'"
        " OR channel = 'zalo'"
    ) == [(2,)]
    await zalo.send_text(STRANGER, "xoá dữ liệu")
    await pick(zalo, STRANGER, "Xoá hết")
    assert both.telegram.query("SELECT name FROM residents") == [(VICTIM,)]
    assert both.telegram.state(LAN).run is not None
    assert await both.telegram.send_text(LAN, "008203001234") != []


async def test_guessing_codes_is_locked_out_and_stays_locked_after_a_restart(
    both: TelegramAndZalo,
) -> None:
    code = await lan_in_a_flow(both)
    zalo = both.zalo
    await at_household_question(zalo, STRANGER, "Kẻ Lạ")
    await pick(zalo, STRANGER, "Đã có mã hộ")
    for n in range(5):
        wrong = await zalo.send_text(STRANGER, f"5{n}00 0000 00")
        assert wrong[0] == (
            'Không có hộ nào có mã bác vừa gõ (10 chữ số). Bác xem lại mã, hoặc chọn "Hộ mới".'
        )
    assert LOCKED.search(" ".join(await zalo.send_text(STRANGER, code)))
    await both.restart()
    assert LOCKED.search(" ".join(await zalo.send_text(STRANGER, code)))
    assert zalo.state(STRANGER).household_code is None
    assert both.telegram.query("SELECT count(*) FROM residents WHERE household_id IS NULL") == [
        (1,)
    ]


async def test_lan_links_her_zalo_with_a_code_from_telegram_and_goes_on_with_her_run(
    both: TelegramAndZalo,
) -> None:
    await lan_in_a_flow(both)
    given = " ".join(await both.telegram.send_text(LAN, "liên kết"))
    found = re.search(r"Mã liên kết của bác: (\d{4} \d{4})", given)
    assert found is not None, given
    zalo = both.zalo
    await at_household_question(zalo, LAN, "Lan")
    await pick(zalo, LAN, "Tôi đã dùng trên Zalo/Telegram khác")
    replies = await zalo.send_text(LAN, found.group(1))
    assert replies[0].startswith("Đã liên kết.") and replies[-1] == "Số định danh cá nhân?"
    assert (await zalo.send_text(LAN, "008203001234"))[0].startswith("Bác nộp ở đâu?")
    assert zalo.query("SELECT channel FROM identities ORDER BY channel") == [
        ("telegram",),
        ("zalo",),
    ]
    assert zalo.query("SELECT count(DISTINCT resident_id) FROM identities") == [(1,)]
    assert zalo.query("SELECT name FROM residents") == [(VICTIM,)]
    notice = "Một Zalo hoặc Telegram khác vừa được liên kết với bác"
    await wait_until(lambda: any(t.startswith(notice) for t in both.telegram.texts(LAN)))
    assert not any(t.startswith(notice) for t in zalo.texts(LAN))
