"""An official composes broadcasts on the desk, through the real channels: staff on one
messenger, residents on the other. (A resident typing /broadcast is told it is for staff:
tests/staff/test_residents.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.broadcasts.helpers import onboard
from tests.followups.harness import Commune

NEWS = "Sáng mai 8 giờ, hướng dẫn cài VNeID tại nhà văn hoá thôn."
THANH = "cfg:nong_van_thanh"
NOT_YOURS = "Thưa anh/chị Ma Văn Tiến, việc này không thuộc phần việc của anh/chị."


@pytest.fixture(params=["zalo", "telegram"], ids=["staff_on_zalo", "staff_on_telegram"])
async def commune(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Commune]:
    async with Commune(tmp_path / "d.db", staff_on=str(request.param)) as running:
        await onboard(running.residents, "lan", "Lan", "Nà Khau")
        await onboard(running.residents, "hoa", "Hoa", "Nà Khau")
        await onboard(running.residents, "minh", "Minh", "Bản Cậy")
        yield running


def audit(commune: Commune) -> list[tuple[object, ...]]:
    return commune.residents.query("SELECT actor, action, subject FROM audit ORDER BY id")


async def compose(
    commune: Commune, text: str, when: str | None = None, flow: str | None = None
) -> list[str]:
    """Thành writes `text` for Nà Khau, now or at `when`, with the button of the flow titled
    `flow` if given; the preview he is shown."""
    assert "gõ nội dung thông báo" in (await commune.staff_says("thanh", "/broadcast"))[-1]
    await commune.staff_says("thanh", text)
    await commune.staff_taps("thanh", "Nà Khau")
    await commune.staff_taps("thanh", "Xong, gửi các thôn đã chọn")
    if when is None:
        await commune.staff_taps("thanh", "Gửi ngay")
    else:
        await commune.staff_says("thanh", when)
    return await commune.staff_taps("thanh", flow or "Không kèm nút")


async def test_an_official_composes_a_village_broadcast_and_the_village_gets_it(
    commune: Commune,
) -> None:
    await commune.staff_says("thanh", "thông báo")
    refused = await commune.staff_says("thanh", "Bà con gửi mật khẩu VNeID cho cán bộ thôn")
    assert any("không được nhắc đến mật khẩu" in r for r in refused), refused
    assert any("gõ lại toàn bộ nội dung" in r for r in refused), refused
    linked = await commune.staff_says("thanh", "Xem tại vneid.example.com")
    assert any("Đường link vneid.example.com không được phép" in r for r in linked), linked
    assert commune.residents.query("SELECT COUNT(*) FROM broadcasts") == [(0,)]

    await commune.staff_says("thanh", NEWS)
    await commune.staff_taps("thanh", "Nà Khau")
    preview = await commune.staff_taps("thanh", "Xong, gửi các thôn đã chọn")
    await commune.staff_taps("thanh", "Gửi ngay")
    preview = await commune.staff_taps("thanh", "Không kèm nút")
    channel = "Telegram" if commune.residents is commune.telegram else "Zalo"
    assert preview[0] == "Thông báo số 1. Bà con sẽ nhận được đúng như tin dưới đây:"
    assert preview[1] == f"{NEWS}\n\n— UBND xã Hà Lang"
    assert f"• Nà Khau, {channel}: 2 người (2 người nhận được qua tin nhắn)" in preview[2]
    assert "Tổng cộng 2 người." in preview[2]
    assert commune.residents.texts("lan")[-1] != preview[1]  # nothing goes before the confirm

    confirmed = await commune.staff_taps("thanh", "Gửi thông báo này")
    assert any("Đã xác nhận thông báo số 1." in r for r in confirmed), confirmed
    await commune.residents.drain()
    got = {u for u in ("lan", "hoa", "minh") if preview[1] in commune.residents.texts(u)}
    assert got == {"lan", "hoa"}
    assert audit(commune) == [
        (THANH, "broadcast.draft", "1"),
        (THANH, "broadcast.confirm", "1"),
    ]


async def test_a_propagandist_cannot_open_or_tap_it(commune: Commune) -> None:
    assert (await commune.staff_says("tien", "/broadcast"))[0] == NOT_YOURS
    assert (await commune.staff_says("tien", "Thông báo đã gửi"))[0] == NOT_YOURS
    await compose(commune, NEWS, "mai 8h")
    forged = "st:broadcasts:x.1" if commune.staff is commune.telegram else "st:broadcasts:1"
    assert (await commune.forged_tap("tien", forged))[0] == NOT_YOURS
    assert (await commune.forged_tap("tien", "st:broadcast:1"))[0] == NOT_YOURS
    rows = commune.residents.query("SELECT status FROM broadcasts")
    assert rows == [("draft",)]
    assert [r[1] for r in audit(commune)] == ["broadcast.draft"]


async def test_the_list_shows_the_report_and_cancels_a_scheduled_one(commune: Commune) -> None:
    await compose(commune, NEWS, "mai 8h")
    done = await commune.staff_taps("thanh", "Gửi thông báo này")
    assert any("Trợ lý sẽ gửi lúc 08:00 02/12/2026." in r for r in done), done
    await compose(commune, "Chiều nay cổng dịch vụ công tạm dừng.")
    await commune.staff_taps("thanh", "Gửi thông báo này")
    await commune.residents.drain()
    await commune.tick()

    listed = await commune.staff_says("thanh", "/broadcasts")
    first, second = listed[0], listed[1]
    assert first.startswith("Thông báo số 1 (đã hẹn giờ, gửi lúc 08:00 02/12/2026): Sáng mai")
    assert second.startswith("Thông báo số 2 (đã gửi xong")
    channel = "Telegram" if commune.residents is commune.telegram else "Zalo"
    line = f"• Nà Khau, {channel}: chờ 0, đã gửi 2, lỗi 0, không liên lạc được 0"
    assert line in second and "Số người đã bấm nút: 0." in second
    cancelled = await commune.staff_taps("thanh", "Huỷ thông báo số 1")
    assert cancelled == ["Đã huỷ thông báo số 1. Những tin chưa gửi sẽ không gửi nữa."]

    commune.clock.now += timedelta(days=1)
    await commune.tick()
    assert not any(NEWS in t for u in ("lan", "hoa") for t in commune.residents.texts(u))
    assert "broadcast.cancel" in [r[1] for r in audit(commune)]
    assert commune.residents.query("SELECT status FROM broadcasts ORDER BY id") == [
        ("cancelled",),
        ("done",),
    ]


async def test_a_typed_time_and_a_flow_button(commune: Commune) -> None:
    await commune.staff_says("thanh", "/broadcast")
    await commune.staff_says("thanh", NEWS)
    await commune.staff_taps("thanh", "Cả xã")
    unclear = await commune.staff_says("thanh", "sáng thứ hai")
    assert unclear[0].startswith("Trợ lý chưa hiểu thời gian này.")
    past = await commune.staff_says("thanh", "8:00 30/11/2026")
    assert past == ["Thời gian 08:00 30/11/2026 đã qua. Anh/chị gõ một thời gian sắp tới."]
    await commune.staff_says("thanh", "22:00 1/12")
    preview = await commune.staff_taps("thanh", "Thử nghiệm")
    assert preview[1] == f"{NEWS}\n\n— UBND xã Hà Lang\n\n[ Thử nghiệm ]"
    assert "Tổng cộng 3 người. Gửi lúc: 22:00 01/12/2026." in preview[2]
    assert "Giờ này là giờ nghỉ: thông báo sẽ gửi lúc 06:30 02/12/2026." in preview[2]
    done = await commune.staff_taps("thanh", "Gửi thông báo này")
    assert done == ["Đã xác nhận thông báo số 1. Trợ lý sẽ gửi lúc 06:30 02/12/2026."]
    rows = commune.residents.query("SELECT flow_id, send_at, status FROM broadcasts")
    assert rows == [("sample", "2026-12-01T22:00:00+07:00", "scheduled")]
