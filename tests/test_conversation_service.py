"""The conversation path with the real store: transactions, locks, dedupe, restarts, forget."""

from __future__ import annotations

import asyncio
import re
import secrets
import shutil
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

import bot.codes
from bot.app import App, open_app
from bot.config import load_config
from bot.engine.texts import CONSENT_VERSION
from bot.engine.types import Inbound
from bot.store.outbox import mark_sent, unsent
from bot.store.writes import Delivery
from tests.conftest import BASIC_FLOWS, config_for

CHANNEL = "test"


class Resident:
    """One resident writing to the service, remembering the last buttons they were shown."""

    def __init__(self, app: App, external_id: str = "r1") -> None:
        self.app = app
        self.id = external_id
        self.last: list[Delivery] = []
        self.updates = 0

    async def send(self, inbound: Inbound, key: str | None = None) -> list[Delivery]:
        self.updates += 1
        key = key or f"{self.id}-{self.updates}"
        self.last = await self.app.conversation.handle(CHANNEL, self.id, inbound, key) or self.last
        return self.last

    async def text(self, text: str) -> list[Delivery]:
        return await self.send(Inbound("text", text=text))

    async def tap(self, label: str) -> list[Delivery]:
        for delivery in reversed(self.last):
            for button in delivery.message.buttons:
                if button.label == label:
                    return await self.send(Inbound("button", payload=button.payload))
        raise AssertionError(f"no button {label!r}")

    def said(self) -> str:
        return "\n".join(d.message.text for d in self.last)

    async def to_household_code(self, name: str, code: str) -> None:
        """Consent, name, Nà Khau, "Đã có mã hộ" and the code typed."""
        await self.to_household_question(name)
        await self.tap("Đã có mã hộ")
        await self.text(code)

    async def to_linking_code(self, name: str) -> None:
        """Consent, name, Nà Khau, and "I already use it on another messenger"."""
        await self.to_household_question(name)
        await self.tap("Tôi đã dùng trên Zalo/Telegram khác")

    async def to_household_question(self, name: str) -> None:
        await self.send(Inbound("start"))
        await self.tap("Đồng ý")
        await self.text(name)
        await self.text("bác")
        await self.tap("Nà Khau")

    async def onboard(self, village: str = "Nà Khau") -> None:
        await self.send(Inbound("start"))
        await self.tap("Đồng ý")
        await self.text("Bàn Thị Huấn")
        await self.text("bác")
        await self.tap(village)
        await self.tap("Hộ mới")


def query(app: App, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Read the database file with a separate connection, as a report would."""
    with closing(sqlite3.connect(app.config.db_path)) as conn:
        return conn.execute(sql, params).fetchall()


async def test_onboarding_and_a_flow_are_logged_per_household_and_village(app: App) -> None:
    r = Resident(app)
    await r.onboard()
    await r.tap("Thử nghiệm")
    await r.tap("Bắt đầu")
    who = "SELECT name, village_id, household_id, consent_at IS NOT NULL FROM residents"
    rows = query(app, who)
    assert rows[0][:2] == ("Bàn Thị Huấn", "na_khau") and rows[0][2] is not None and rows[0][3]
    where = "SELECT step_id, village_id, household_id FROM progress WHERE event = 'step'"
    steps = query(app, where)
    assert [s[0] for s in steps] == ["intro", "phone"]
    assert all(s[1] == "na_khau" and s[2] == rows[0][2] for s in steps)
    runs = query(app, "SELECT flow_id, status, step_id, expire_at IS NOT NULL FROM runs")
    assert runs == [("sample", "active", "phone", 1)]
    assert query(app, "SELECT wording_version FROM consents") == [(CONSENT_VERSION,)]


async def test_a_repeated_update_is_applied_once(app: App) -> None:
    r = Resident(app)
    await r.onboard()
    await r.tap("Thử nghiệm")
    tap = Inbound("button", payload=r.last[-1].message.buttons[0].payload)
    first = await app.conversation.handle(CHANNEL, r.id, tap, "update-42")
    again = await app.conversation.handle(CHANNEL, r.id, tap, "update-42")
    assert first and again == []
    assert query(app, "SELECT count(*) FROM progress WHERE step_id = 'phone'") == [(1,)]


async def test_a_repeated_update_is_applied_once_across_a_restart(tmp_path: Path) -> None:
    config = config_for(tmp_path / "d.db")
    app = await open_app(config)
    r = Resident(app)
    await r.onboard()
    await app.close()
    app = await open_app(config)
    again = await app.conversation.handle(CHANNEL, r.id, Inbound("text", text="x"), "r1-5")
    await app.close()
    assert again == []


async def test_messages_of_one_resident_are_handled_in_order(app: App) -> None:
    r = Resident(app)
    await r.onboard()
    await r.tap("Thử nghiệm")
    await r.tap("Bắt đầu")
    answers = [Inbound("text", text="0912345678"), Inbound("text", text="008203001234")]
    results = await asyncio.gather(
        *(app.conversation.handle(CHANNEL, r.id, a, f"k{n}") for n, a in enumerate(answers))
    )
    assert results[0][-1].message.text == "Số định danh cá nhân?"
    assert results[1][-1].message.text == "Bác nộp ở đâu?"


async def test_many_residents_at_once_each_get_their_own_answers(app: App) -> None:
    residents = [Resident(app, f"p{n}") for n in range(40)]
    await asyncio.gather(*(r.onboard() for r in residents))
    await asyncio.gather(*(r.tap("Thử nghiệm") for r in residents))
    assert all(r.said() == "Chào Bàn Thị Huấn ở thôn Nà Khau." for r in residents)
    assert query(app, "SELECT count(DISTINCT household_id) FROM residents") == [(40,)]


async def test_a_failure_before_commit_loses_nothing_and_the_retry_applies_once(app: App) -> None:
    r = Resident(app)
    await r.onboard()
    await r.tap("Thử nghiệm")
    await r.tap("Bắt đầu")
    with closing(sqlite3.connect(app.config.db_path)) as conn:
        conn.execute(
            "CREATE TRIGGER crash BEFORE INSERT ON outbox WHEN NEW.body LIKE '%định danh%'"
            " BEGIN SELECT RAISE(ABORT, 'disk unplugged'); END"
        )
    answer = Inbound("text", text="0912345678")
    with pytest.raises(sqlite3.IntegrityError):
        await app.conversation.handle(CHANNEL, r.id, answer, "u-9")
    assert query(app, "SELECT count(*) FROM progress WHERE step_id = 'idno'") == [(0,)]
    with closing(sqlite3.connect(app.config.db_path)) as conn:
        conn.execute("DROP TRIGGER crash")
    replies = await app.conversation.handle(CHANNEL, r.id, answer, "u-9")
    assert replies[-1].message.text == "Số định danh cá nhân?"
    assert await app.conversation.handle(CHANNEL, r.id, answer, "u-9") == []
    assert query(app, "SELECT count(*) FROM progress WHERE step_id = 'idno'") == [(1,)]
    answered = "SELECT count(*) FROM progress WHERE step_id = 'phone' AND event = 'answered'"
    assert query(app, answered) == [(1,)]


async def test_a_restart_continues_at_the_same_step(tmp_path: Path) -> None:
    config = config_for(tmp_path / "d.db")
    app = await open_app(config)
    r = Resident(app)
    await r.onboard()
    await r.tap("Thử nghiệm")
    await r.tap("Bắt đầu")
    await r.text("0912345678")
    await app.close()
    app = await open_app(config)
    r.app = app
    await r.send(Inbound("start"))
    assert r.said() == "Số định danh cá nhân?"
    await r.text("008203001234")
    assert r.said() == "Bác nộp ở đâu?"
    await app.close()


async def test_a_run_goes_on_in_its_version_after_the_flow_file_changes(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(BASIC_FLOWS, flows)
    config = config_for(tmp_path / "d.db", flows)
    app = await open_app(config)
    r = Resident(app)
    await r.onboard()
    await r.tap("Thử nghiệm")
    await r.tap("Bắt đầu")
    await app.close()
    sample = flows / "sample.yaml"
    sample.write_text(sample.read_text().replace("Số định danh cá nhân?", "Số CCCD?"))
    app = await open_app(config)
    r.app = app
    await r.text("0912345678")
    assert r.said() == "Số định danh cá nhân?"
    newcomer = Resident(app, "r2")
    await newcomer.onboard()
    await newcomer.tap("Thử nghiệm")
    await newcomer.tap("Bắt đầu")
    await newcomer.text("0912345678")
    assert newcomer.said() == "Số CCCD?"
    assert query(app, "SELECT count(*) FROM flow_versions WHERE flow_id = 'sample'") == [(2,)]
    await app.close()


async def test_forget_deletes_personal_data_and_keeps_anonymous_counts(app: App) -> None:
    r = Resident(app)
    await r.onboard()
    await r.tap("Thử nghiệm")
    await r.text("xoá dữ liệu")
    await r.tap("Xoá hết")
    assert r.said().startswith("Đã xoá tên, thôn, mã hộ, các bước đã làm")
    assert query(app, "SELECT count(*) FROM residents") == [(0,)]
    assert query(app, "SELECT count(*) FROM identities") == [(0,)]
    assert query(app, "SELECT count(*) FROM consents") == [(0,)]
    assert query(app, "SELECT count(*) FROM households") == [(0,)]
    left = query(app, "SELECT count(*), count(resident_id), count(household_id) FROM progress")
    assert left[0][0] > 0 and left[0][1:] == (0, 0)
    assert query(app, "SELECT DISTINCT village_id FROM progress WHERE village_id IS NOT NULL") == [
        ("na_khau",)
    ]
    await r.send(Inbound("start"))
    assert "Bà con có đồng ý không?" in r.said()


async def test_the_outbox_keeps_what_was_not_sent_until_it_is(app: App) -> None:
    r = Resident(app)
    deliveries = await r.send(Inbound("start"))
    waiting = await unsent(app.db, CHANNEL)
    assert [d.id for d in waiting] == [d.id for d in deliveries]
    assert waiting[1].message.buttons == deliveries[1].message.buttons
    await mark_sent(app.db, deliveries[0].id, "2026-11-29T09:00:00+07:00")
    assert [d.id for d in await unsent(app.db, CHANNEL)] == [deliveries[1].id]


async def test_joining_a_household_by_code_adds_a_new_member_and_names_no_one(app: App) -> None:
    first = Resident(app, "a")
    await first.onboard()
    code = str(query(app, "SELECT code FROM households")[0][0])
    second = Resident(app, "b")
    await second.to_household_code("Lan", "0000000000")
    assert "Không có hộ nào có mã bác vừa gõ (10 chữ số)." in second.said()
    await second.text(f" {code[:4]} {code[4:8]} {code[8:]} ")
    assert f"Bác đã vào hộ có mã {code[:4]} {code[4:8]} {code[8:]}." in second.said()
    assert "Bàn Thị Huấn" not in second.said()
    rows = query(app, "SELECT name, household_id FROM residents ORDER BY id")
    assert [r[0] for r in rows] == ["Bàn Thị Huấn", "Lan"] and rows[0][1] == rows[1][1]
    assert query(app, "SELECT count(DISTINCT resident_id) FROM identities") == [(2,)]


async def link_code(resident: Resident) -> str:
    """The linking code a resident is given when they type "liên kết"."""
    await resident.text("liên kết")
    found = re.search(r"Mã liên kết của bác: (\d{4} \d{4})", resident.said())
    assert found is not None, resident.said()
    return found.group(1)


async def test_one_person_on_two_channels_links_with_a_one_time_code(app: App) -> None:
    on_zalo = Resident(app, "zalo-lan")
    await on_zalo.onboard()
    await on_zalo.tap("Thử nghiệm")
    await on_zalo.tap("Bắt đầu")
    code = await link_code(on_zalo)
    assert on_zalo.last[-1].message.text == "Số điện thoại của bác?"
    plain = code.replace(" ", "")
    assert query(app, "SELECT count(*) FROM link_codes") == [(1,)]
    in_clear = "SELECT count(*) FROM link_codes WHERE code_hash LIKE ?"
    assert query(app, in_clear, (f"%{plain}%",)) == [(0,)]
    on_telegram = Resident(app, "tg-lan")
    await on_telegram.to_linking_code("Lan")
    await on_telegram.text(code)
    assert on_telegram.last[0].message.text.startswith("Đã liên kết.")
    assert on_telegram.last[-1].message.text == "Số điện thoại của bác?"
    assert query(app, "SELECT count(*), count(DISTINCT resident_id) FROM identities") == [(2, 1)]
    assert query(app, "SELECT name FROM residents") == [("Bàn Thị Huấn",)]
    await on_telegram.text("0912345678")
    assert on_telegram.said() == "Số định danh cá nhân?"
    assert query(app, "SELECT count(*) FROM progress WHERE resident_id IS NULL") == [(0,)]
    assert query(app, "SELECT count(*) FROM link_codes") == [(0,)]
    notices = "SELECT external_id FROM outbox WHERE body LIKE '%vừa được liên kết với bác%'"
    assert query(app, notices) == [("zalo-lan",)]


async def test_a_used_or_expired_linking_code_is_refused(app: App) -> None:
    owner = Resident(app, "owner")
    await owner.onboard()
    code = await link_code(owner)
    first = Resident(app, "first")
    await first.to_linking_code("Lan")
    await first.text(code)
    again = Resident(app, "again")
    await again.to_linking_code("Mai")
    await again.text(code)
    assert "Mã liên kết không đúng hoặc đã hết hạn" in again.said()
    code = await link_code(owner)
    now = app.conversation.clock()
    app.conversation.clock = lambda: now + timedelta(minutes=11)
    await again.text(code)
    assert "Mã liên kết không đúng hoặc đã hết hạn" in again.said()
    assert query(app, "SELECT count(DISTINCT resident_id) FROM identities") == [(2,)]


async def test_codes_are_made_by_the_secrets_module_ten_and_eight_digits_long(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []

    def randbelow(n: int) -> int:
        asked.append(n)
        return 42

    monkeypatch.setattr(secrets, "randbelow", randbelow)
    resident = Resident(app)
    await resident.onboard()
    assert query(app, "SELECT code FROM households") == [("0000000042",)]
    assert await link_code(resident) == "0000 0042"
    assert asked == [10**10, 10**8] and "random" not in vars(bot.codes)


async def test_wrong_codes_lock_the_identity_out_and_the_lock_survives_a_restart(
    tmp_path: Path,
) -> None:
    config = config_for(tmp_path / "d.db")
    app = await open_app(config)
    owner = Resident(app, "owner")
    await owner.onboard()
    code = str(query(app, "SELECT code FROM households")[0][0])
    guesser = Resident(app, "guesser")
    await guesser.to_household_code("Kẻ lạ", "1000000001")
    for n in range(2, 6):
        await guesser.text(f"100000000{n}")
        assert "Không có hộ nào có mã" in guesser.said()
    await guesser.text(code)
    assert re.search(r"gõ sai mã nhiều lần\. Bác thử lại sau \d+ phút nhé\.", guesser.said())
    await app.close()
    app = await open_app(config)
    guesser.app = app
    await guesser.text(code)
    await app.close()
    assert "gõ sai mã nhiều lần" in guesser.said()
    assert query(app, "SELECT count(DISTINCT household_id) FROM residents") == [(1,)]
    assert query(app, "SELECT count(*) FROM residents WHERE household_id IS NULL") == [(1,)]


async def test_many_wrong_codes_from_everyone_pause_code_entry_for_everyone(app: App) -> None:
    owner = Resident(app, "owner")
    await owner.onboard()
    code = str(query(app, "SELECT code FROM households")[0][0])
    for n in range(10):
        guesser = Resident(app, f"guesser-{n}")
        await guesser.to_household_code("Kẻ lạ", f"2{n}00000000")
        for k in range(1, 5):
            await guesser.text(f"2{n}0000000{k}")
        assert "Không có hộ nào có mã" in guesser.said()
    neighbour = Resident(app, "neighbour")
    await neighbour.to_household_code("Mai", code)
    assert "tạm ngừng nhận mã. Bác thử lại sau" in neighbour.said()
    assert query(app, "SELECT count(*) FROM residents WHERE household_id IS NOT NULL") == [(1,)]
    await neighbour.tap("Hộ mới")
    assert "Mã hộ của bác là" in neighbour.said()


async def test_wrong_linking_codes_lock_the_identity_out_of_linking(app: App) -> None:
    owner = Resident(app, "owner")
    await owner.onboard()
    code = await link_code(owner)
    guesser = Resident(app, "guesser")
    await guesser.to_linking_code("Kẻ lạ")
    for n in range(5):
        await guesser.text(f"3{n}00 0000")
        assert "Mã liên kết không đúng hoặc đã hết hạn" in guesser.said()
    await guesser.text(code)
    assert "Bác đã gõ sai mã nhiều lần." in guesser.said()
    assert query(app, "SELECT count(DISTINCT resident_id) FROM identities") == [(2,)]


async def test_an_invitation_link_joins_as_a_new_member_and_a_wrong_one_is_one_guess(
    app: App,
) -> None:
    owner = Resident(app, "owner")
    await owner.onboard()
    code = str(query(app, "SELECT code FROM households")[0][0])
    wrong = Resident(app, "wrong")
    await wrong.send(Inbound("start", payload="h_5555555555"))
    await wrong.tap("Đồng ý")
    await wrong.text("Mai")
    await wrong.text("em")
    await wrong.tap("Nà Khau")
    assert "Hộ mới" in [b.label for b in wrong.last[-1].message.buttons]
    assert query(app, "SELECT kind, count(*) FROM code_guesses") == [("household", 1)]
    invited = Resident(app, "invited")
    await invited.send(Inbound("start", payload=f"h_{code}"))
    await invited.tap("Đồng ý")
    await invited.text("Lan")
    await invited.text("bác")
    await invited.tap("Nà Khau")
    assert "Bác đã vào hộ có mã" in invited.said() and "Bàn Thị Huấn" not in invited.said()
    assert query(app, "SELECT count(*) FROM residents WHERE household_id IS NOT NULL") == [(2,)]


async def test_with_one_village_an_invitation_link_joins_after_the_name(tmp_path: Path) -> None:
    one = tmp_path / "danvan.yaml"
    one.write_text("commune: Hà Lang\nvillages:\n  - {id: na_khau, name: Nà Khau}\n")
    config = load_config(one, env={}, db=tmp_path / "d.db", flows=BASIC_FLOWS)
    app = await open_app(config)
    owner = Resident(app, "owner")
    await owner.send(Inbound("start"))
    await owner.tap("Đồng ý")
    await owner.text("Bàn Thị Huấn")
    await owner.text("bác")
    await owner.tap("Hộ mới")
    code = str(query(app, "SELECT code FROM households")[0][0])
    invited = Resident(app, "invited")
    await invited.send(Inbound("start", payload=f"h_{code}"))
    await invited.tap("Đồng ý")
    await invited.text("Lan")
    await invited.text("bác")
    await app.close()
    assert "Bác đã vào hộ có mã" in invited.said()
    assert query(app, "SELECT count(DISTINCT household_id), count(*) FROM residents") == [(1, 2)]
