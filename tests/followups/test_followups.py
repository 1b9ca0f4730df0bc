"""Follow-ups end to end, residents and staff on Telegram and Zalo, the real store and channels."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.engine.types import Inbound
from tests.channels.drivers import wait_until
from tests.channels.test_every_channel import onboard, pick
from tests.followups.harness import Commune

CARD = "Cần người giúp (việc số 1): Lan, thôn Nà Khau."
OPEN = "SELECT count(*) FROM followups WHERE status = 'open'"


@pytest.fixture(params=["zalo", "telegram"], ids=["staff_on_zalo", "staff_on_telegram"])
async def commune(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Commune]:
    async with Commune(tmp_path / "d.db", staff_on=str(request.param)) as running:
        yield running


async def at_phone_question(commune: Commune) -> None:
    """Lan of Nà Khau, onboarded, in the sample flow, asked for her phone number."""
    residents = commune.residents
    await onboard(residents, "lan")
    await pick(residents, "lan", "f:sample")
    assert await pick(residents, "lan", "Bắt đầu") == ["Số điện thoại của bác?"]


async def test_help_claim_resolve(commune: Commune) -> None:
    await at_phone_question(commune)
    replies = await commune.residents.send_text("lan", "trợ giúp")
    assert any("Mình đã báo cho Ma Văn Tiến (0977000103)" in r for r in replies), replies
    await commune.hears("tien", CARD)
    await commune.hears("hung", CARD)
    assert any("Đang làm: Thử nghiệm, bước 2/5." in t for t in commune.heard("tien")), (
        commune.heard("tien")
    )
    assert commune.heard("lua") == [] and commune.heard("thanh") == []

    claimed = await commune.staff_taps("tien", "Nhận việc này")
    assert any("Anh/chị đã nhận việc số 1" in r for r in claimed), claimed
    await commune.hears("hung", "Việc số 1 (Lan) đã có Ma Văn Tiến nhận.")
    taken = await commune.staff_taps("hung", "Nhận việc này")
    assert any("Việc số 1 đã có Ma Văn Tiến nhận rồi." in r for r in taken), taken

    await commune.staff_taps("tien", "Đã xong")
    done = await commune.staff_taps("tien", "Đã giúp xong")
    assert any("Đã ghi: việc số 1 xong (Đã giúp xong)." in r for r in done), done
    await commune.residents.drain()
    told = commune.residents.texts("lan")[-1]
    assert told.startswith("Ma Văn Tiến đã ghi là việc bác nhờ giúp đã xong."), told
    rows = commune.residents.query("SELECT status, holder, outcome FROM followups")
    assert rows == [("resolved", "cfg:ma_van_tien", "done")]
    actions = commune.residents.query("SELECT actor, action, subject FROM audit ORDER BY id")
    assert actions[-2:] == [
        ("cfg:ma_van_tien", "followup.claim", "1"),
        ("cfg:ma_van_tien", "followup.resolve", "1"),
    ]


async def test_another_village_neither_sees_nor_acts(commune: Commune) -> None:
    await at_phone_question(commune)
    await commune.residents.send_text("lan", "trợ giúp")
    await commune.hears("tien", CARD)
    listed = await commune.staff_says("lua", "/followups")
    assert any("hiện không có việc cần giúp nào" in r for r in listed), listed
    for payload in ("st:claim:1", "st:resolve:1.done", "st:followups:1"):
        refused = await commune.forged_tap("lua", payload)
        assert any("không có việc số 1 trong các thôn" in r for r in refused), (payload, refused)
    assert commune.residents.query("SELECT status, holder FROM followups") == [("open", None)]
    listed = await commune.staff_says("tien", "/followups")
    assert any("• Số 1: Lan, thôn Nà Khau" in r for r in listed), listed


async def test_failed_answers_then_help_make_one_followup(commune: Commune) -> None:
    await at_phone_question(commune)
    await commune.residents.send_text("lan", "12345")
    replies = await commune.residents.send_text("lan", "0123")  # retries: 2 in the sample
    assert any("Mình đã báo cho Ma Văn Tiến" in r for r in replies), replies
    await commune.residents.send_text("lan", "trợ giúp")
    assert commune.residents.query(OPEN) == [(1,)]
    reasons = commune.residents.query("SELECT json_array_length(reasons) FROM followups")
    assert reasons == [(2,)]
    await commune.hears("tien", CARD)
    assert sum(CARD in t for t in commune.heard("tien")) == 1


async def test_an_idle_run_is_reminded_once_then_expires(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    before = len(lan.texts("lan"))
    commune.clock.now += timedelta(days=2, minutes=1)
    await commune.tick()
    reminded = lan.texts("lan")[before:]
    assert reminded[0].startswith("Bác còn đang làm dở một việc."), reminded
    assert reminded[-1] == "Số điện thoại của bác?"
    await commune.tick()
    await commune.restart()
    await commune.tick()
    assert len(lan.texts("lan")) == before + len(reminded)
    commune.clock.now += timedelta(days=10)
    await commune.tick()
    assert any("Mình đã báo cho Ma Văn Tiến" in t for t in lan.texts("lan")[before:])
    await commune.hears("tien", "bỏ dở quá lâu")
    assert lan.query("SELECT reason FROM followups") == [("idle",)]


async def test_an_unclaimed_followup_goes_to_the_officials(commune: Commune) -> None:
    await at_phone_question(commune)
    await commune.residents.send_text("lan", "trợ giúp")
    await commune.hears("tien", CARD)
    commune.clock.now += timedelta(hours=23)
    await commune.tick()
    assert commune.heard("thanh") == []
    commune.clock.now += timedelta(hours=2)
    await commune.tick()
    await commune.hears("thanh", "Chưa ai nhận việc này sau 24 giờ")
    await commune.hears("thanh", CARD)
    await commune.tick()
    assert sum(CARD in t for t in commune.heard("thanh")) == 1


async def test_a_reminder_offers_to_go_on_or_to_ask_for_help(commune: Commune) -> None:
    residents = commune.residents
    await onboard(residents, "lan")
    await pick(residents, "lan", "f:sample")  # the first step, with its buttons
    before = len(residents.texts("lan"))
    commune.clock.now += timedelta(days=2, minutes=1)
    await commune.tick()
    reminded = residents.texts("lan")[before:]
    assert reminded[0].startswith("Bác còn đang làm dở một việc."), reminded
    replies = await pick(residents, "lan", "Nhờ cán bộ giúp")
    assert any("Mình đã báo cho Ma Văn Tiến" in r for r in replies), replies
    assert commune.residents.query(OPEN) == [(1,)]
    await commune.hears("tien", CARD)
    assert await pick(residents, "lan", "Bắt đầu") == ["Số điện thoại của bác?"]  # goes on


async def test_a_resident_who_forgot_their_data_gets_no_reminder(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    await lan.send_text("lan", "xoá dữ liệu")
    await pick(lan, "lan", "Xoá hết")
    after = len(lan.texts("lan"))
    commune.clock.now += timedelta(days=3)
    await commune.tick()
    commune.clock.now += timedelta(days=12)
    await commune.tick()
    assert len(lan.texts("lan")) == after
    assert lan.query("SELECT count(*) FROM followups") == [(0,)]


async def test_message_the_resident_then_send_them_back_to_a_step(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    await lan.send_text("lan", "0912345678")
    assert lan.texts("lan")[-1] == "Số định danh cá nhân?"
    await lan.send_text("lan", "trợ giúp")
    await commune.hears("tien", "Cần người giúp (việc số 1)")
    await commune.staff_taps("tien", "Nhận việc này")

    opened = await commune.staff_says("tien", "/relay 1")
    assert any("Anh/chị đang nhắn với Lan (việc số 1)" in r for r in opened), opened
    told = "Ma Văn Tiến, người hỗ trợ ở thôn, nhắn với bác"
    await wait_until(lambda: lan.texts("lan")[-1].startswith(told))
    await commune.staff.send_text("tien", "Bác có thẻ căn cước chưa ạ?", wait=False)
    await wait_until(
        lambda: lan.texts("lan")[-1] == "Ma Văn Tiến nhắn: Bác có thẻ căn cước chưa ạ?"
    )
    state_before = lan.state("lan")
    await lan.send_text("lan", "Có rồi, số 001234567890", wait=False)
    await commune.hears("tien", "Lan (việc số 1) trả lời: Có rồi, số 001234567890")
    assert lan.state("lan").run == state_before.run  # the run waits where it was
    events = lan.query("SELECT kind, note FROM followup_events WHERE kind = 'message'")
    assert ("message", "Có rồi, số ••••••••7890") in events, events

    ended = await commune.staff_says("tien", "kết thúc")
    assert any("Đã kết thúc cuộc nhắn với Lan" in r for r in ended), ended
    await wait_until(lambda: lan.texts("lan")[-1] == "Số định danh cá nhân?")
    assert lan.texts("lan")[-2].startswith("Cuộc nhắn tin với cán bộ đã kết thúc.")
    assert lan.texts("lan")[-1] == "Số định danh cá nhân?"

    await commune.staff_says("tien", "/resolve 1")
    await commune.staff_taps("tien", "Xong, đưa người dân về một bước")
    sent = await commune.staff_taps("tien", "Bước 2: Số điện thoại của {you}?")
    assert any("Lan đã được đưa về bước 2 của “Thử nghiệm”." in r for r in sent), sent
    await wait_until(lambda: lan.texts("lan")[-1] == "Số điện thoại của bác?")
    assert lan.texts("lan")[-2:] == ["Mình đưa bác về lại bước cần làm:", "Số điện thoại của bác?"]
    replies = await lan.send_text("lan", "0987654321")
    assert replies[-1] == "Số định danh cá nhân?"  # the flow goes on
    assert lan.query("SELECT status, outcome FROM followups") == [("resolved", "sent_back")]


async def test_the_resident_ends_the_conversation(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    await lan.send_text("lan", "trợ giúp")
    await commune.hears("tien", "Cần người giúp (việc số 1)")
    await commune.staff_says("tien", "/relay 1")
    replies = await lan.send_text("lan", "kết thúc")
    assert replies[-2].startswith("Cuộc nhắn tin với cán bộ đã kết thúc."), replies
    assert replies[-1] == "Số điện thoại của bác?"
    await commune.hears("tien", "Lan đã kết thúc cuộc nhắn (việc số 1).")
    assert lan.query("SELECT relay, holder FROM followups") == [(None, "cfg:ma_van_tien")]


async def test_hand_on_to_a_colleague_then_to_the_officials(commune: Commune) -> None:
    await at_phone_question(commune)
    await commune.residents.send_text("lan", "trợ giúp")
    await commune.hears("tien", "Cần người giúp (việc số 1)")
    await commune.staff_taps("tien", "Nhận việc này")
    asked = await commune.staff_says("tien", "/handon 1")
    assert any("Chuyển việc số 1 cho ai?" in r for r in asked), asked
    await commune.staff_taps("tien", "Lò Văn Hùng")
    done = await commune.staff_says("tien", "Bác cần người đến nhà chiều mai")
    assert any("Đã chuyển việc số 1 cho Lò Văn Hùng." in r for r in done), done
    told = "Ma Văn Tiến chuyển cho anh/chị việc số 1. Ghi chú: Bác cần người đến nhà chiều mai"
    await commune.hears("hung", told)
    handed = next(t for t in commune.heard("hung") if t.startswith(told))
    assert "Những gì đã làm:" in handed and "Ma Văn Tiến: nhận việc" in handed, handed
    assert commune.residents.query("SELECT holder FROM followups") == [("cfg:lo_van_hung",)]
    refused = await commune.staff_says("tien", "/resolve 1")
    assert any("Việc số 1 đã có Lò Văn Hùng nhận rồi." in r for r in refused), refused

    await commune.staff_says("hung", "/handon 1")
    await commune.staff_taps("hung", "Cán bộ xã")
    await commune.staff_says("hung", "Cần xã hỗ trợ làm lại thẻ")
    await commune.hears("thanh", "Lò Văn Hùng chuyển cho anh/chị việc số 1.")
    rows = commune.residents.query("SELECT holder, escalated_at IS NOT NULL FROM followups")
    assert rows == [(None, 1)]
    listed = await commune.staff_says("thanh", "/followups")
    assert any("• Số 1: Lan, thôn Nà Khau" in r for r in listed), listed


async def test_a_visit_records_a_milestone_the_household_shows(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    await lan.send_text("lan", "trợ giúp")
    await commune.hears("tien", "Cần người giúp (việc số 1)")
    asked = await commune.staff_says("tien", "/visit 1")
    assert any("Lần đến nhà cho việc số 1 thế nào?" in r for r in asked), asked
    await commune.staff_taps("tien", "Đã gặp và hướng dẫn")
    await commune.staff_taps("tien", "Thử nghiệm")
    saved = await commune.staff_says("tien", "Đã hướng dẫn tại nhà")
    expected = "Đã ghi lần đến nhà cho việc số 1, và Lan: Thử nghiệm (có người giúp)."
    assert any(expected in r for r in saved), saved
    rows = lan.query("SELECT name, helped_by FROM milestones")
    assert rows == [("sample_done", "cfg:ma_van_tien")]

    households = await commune.staff_says("tien", "/households")
    line = next(r for r in households if "Hộ " in r)
    assert "(Nà Khau): Lan." in line and "Nhắn được qua trợ lý." in line, line
    assert "Đã làm: Thử nghiệm (có người giúp)." in line and "1 việc cần giúp đang mở." in line
    other = await commune.staff_says("lua", "/households")
    assert any("chưa có hộ nào dùng trợ lý" in r for r in other), other
    progress = await lan.send_text("lan", "tiến độ")
    assert any("Thử nghiệm" in r for r in progress), progress


async def test_no_reminder_in_quiet_hours_nor_to_a_blocked_resident(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    before = len(lan.texts("lan"))
    commune.clock.now += timedelta(days=2, hours=13)  # 22:00, within 21:00-06:30
    await commune.tick()
    assert len(lan.texts("lan")) == before
    commune.clock.now += timedelta(hours=8, minutes=31)  # 06:31
    await commune.tick()
    assert lan.texts("lan")[before].startswith("Bác còn đang làm dở một việc.")

    await lan.send_text("lan", "0912345678")  # the next question, with its own reminder time
    after = len(lan.texts("lan"))
    # The channel marks a resident who blocked the bot (the messenger's 403); here, directly:
    blocked = "UPDATE identities SET unreachable_at = '2026-12-04T06:32:00+07:00'"
    with sqlite3.connect(lan.config.db_path) as conn:
        conn.execute(blocked)
    commune.clock.now += timedelta(days=2, minutes=1)
    await commune.tick()
    assert len(lan.texts("lan")) == after
    assert lan.query("SELECT remind_at FROM runs") == [(None,)]  # acted on, once


async def test_assisted_mode_then_the_resident_goes_on_alone(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    await lan.send_text("lan", "trợ giúp")
    await commune.hears("tien", "Cần người giúp (việc số 1)")
    asked = await commune.staff_says("tien", "/assist 1")
    assert any("hỏi Lan có đồng ý để cán bộ làm giúp" in r for r in asked), asked
    begun = await commune.staff_taps("tien", "Người dân đồng ý")
    assert any(r.startswith("Anh/chị đang làm giúp Lan.") for r in begun), begun
    assert begun[-1] == "Số điện thoại của bác?", begun
    answered = await commune.staff_says("tien", "0912345678")
    assert answered[-1] == "Số định danh cá nhân?", answered
    refused = await commune.staff_says("tien", "xoá dữ liệu")
    assert any("người dân phải tự làm trên điện thoại của mình" in r for r in refused), refused
    marked = lan.query(
        "SELECT count(*) FROM progress WHERE event = 'answered' AND assisted_by = ?",
        ("cfg:ma_van_tien",),
    )
    assert marked == [(1,)]
    consent = lan.query("SELECT note FROM followup_events WHERE kind = 'assist_consent'")
    assert consent == [("yes",)]

    ended = await commune.staff_says("tien", "kết thúc")
    assert any("Đã kết thúc làm giúp Lan." in r for r in ended), ended
    await wait_until(lambda: lan.texts("lan")[-1] == "Số định danh cá nhân?")
    assert lan.texts("lan")[-2].startswith("Cán bộ vừa giúp bác làm tiếp tại nhà.")
    replies = await lan.send_text("lan", "001085123456")
    assert replies[-1].startswith("Bác nộp ở đâu?"), replies
    alone = lan.query(
        "SELECT count(*) FROM progress WHERE event = 'answered' AND assisted_by IS NULL"
    )
    assert alone[0][0] >= 1


async def test_a_resident_who_wrote_since_is_reminded_later(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    commune.clock.now += timedelta(days=1)
    await lan.send_text("lan", "tiến độ")  # no new step: the reminder time stays as it was
    before = len(lan.texts("lan"))
    commune.clock.now += timedelta(days=1, minutes=1)  # due by the step, not by the last message
    await commune.tick()
    assert len(lan.texts("lan")) == before
    commune.clock.now += timedelta(days=1)
    await commune.tick()
    assert lan.texts("lan")[before].startswith("Bác còn đang làm dở một việc.")


async def test_a_word_leaves_the_conversation_for_the_bot(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    await lan.send_text("lan", "trợ giúp")
    await commune.hears("tien", "Cần người giúp (việc số 1)")
    await commune.staff_says("tien", "/relay 1")
    replies = await lan.send_text("lan", "xoá dữ liệu")
    assert any("có chắc muốn xoá hết thông tin" in r for r in replies), replies
    await commune.hears("tien", "Lan đã kết thúc cuộc nhắn (việc số 1).")
    assert not any("xoá dữ liệu" in t for t in commune.heard("tien"))
    await pick(lan, "lan", "Xoá hết")  # the follow-up and its history go with the resident
    assert lan.query("SELECT count(*) FROM followups") == [(0,)]
    assert lan.query("SELECT count(*) FROM followup_events") == [(0,)]


async def test_a_claimed_followup_left_untouched_reminds_its_holder(commune: Commune) -> None:
    await at_phone_question(commune)
    await commune.residents.send_text("lan", "trợ giúp")
    await commune.hears("tien", "Cần người giúp (việc số 1)")
    await commune.staff_says("tien", "/claim 1")
    commune.clock.now += timedelta(days=2)
    await commune.tick()
    assert not any(t.startswith("Nhắc anh/chị") for t in commune.heard("tien"))
    commune.clock.now += timedelta(days=1, minutes=1)
    await commune.tick()
    await commune.tick()
    nudges = [t for t in commune.heard("tien") if t.startswith("Nhắc anh/chị Ma Văn Tiến")]
    assert len(nudges) == 1 and "việc số 1" in nudges[0], nudges


async def test_one_broken_run_does_not_hold_up_the_others_reminders(commune: Commune) -> None:
    residents = commune.residents
    await at_phone_question(commune)
    await onboard(residents, "binh", name="Bình")
    await pick(residents, "binh", "f:sample")
    await pick(residents, "binh", "Bắt đầu")
    await commune.restart()  # nothing in memory: the state is read from the file
    with sqlite3.connect(residents.config.db_path) as conn:  # Lan's state cannot be read
        conn.execute("UPDATE residents SET state = 'not json' WHERE name = 'Lan'")
    before = len(residents.texts("binh"))
    commune.clock.now += timedelta(days=2, minutes=1)
    await commune.tick()
    assert residents.texts("binh")[before].startswith("Bác còn đang làm dở một việc.")


async def test_two_claims_at_once_one_wins(commune: Commune) -> None:
    await at_phone_question(commune)
    await commune.residents.send_text("lan", "trợ giúp")
    await commune.hears("tien", "Cần người giúp (việc số 1)")
    app, staff = commune.telegram.app, commune.staff
    claims = [
        app.front.handle(staff.channel_name, str(staff.id(key)), Inbound("text", text="/claim 1"))
        for key in ("tien", "hung")
    ]
    answers = [d.message.text for ds in await asyncio.gather(*claims) for d in ds]
    won = [a for a in answers if a.startswith("Anh/chị đã nhận việc số 1")]
    lost = [a for a in answers if a.startswith("Việc số 1 đã có")]
    assert len(won) == 1 and len(lost) == 1, answers


async def test_the_card_shows_the_last_messages_masked(commune: Commune) -> None:
    await at_phone_question(commune)
    lan = commune.residents
    await lan.send_text("lan", "số tôi 0912 345 678")
    await lan.send_text("lan", "0912345678")
    await lan.send_text("lan", "abcdef")  # at the question of a CCCD, marked sensitive
    await lan.send_text("lan", "trợ giúp")
    await commune.hears("tien", "Cần người giúp (việc số 1)")
    card = next(t for t in commune.heard("tien") if "Cần người giúp (việc số 1)" in t)
    assert "Tin gần nhất: “••••••5678” / “••cdef” / “trợ giúp”" in card, card
