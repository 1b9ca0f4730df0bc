"""The rules a broadcast passes before anyone gets it: config, safety, quiet hours, and a second
official for a large one."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.broadcasts.audience import Audience
from bot.broadcasts.compose import Content
from bot.broadcasts.quiet import is_quiet, morning_after
from bot.broadcasts.safety import problems
from bot.broadcasts.service import Unsafe
from bot.broadcasts.settings import BroadcastSettings
from bot.config import ConfigError, load_config
from tests.broadcasts.helpers import HOA, MORNING, THANH, seed

BASE = "commune: Hà Lang\nvillages:\n  - {id: na_khau, name: Nà Khau}\n"


def test_the_broadcast_settings_are_read_and_each_mistake_has_its_place(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(BASE + "broadcasts:\n  quiet_hours: 22:00-05:00\n  confirm_above: '50'\n")
    settings = load_config(good, env={}).broadcasts
    assert (settings.quiet_start, settings.quiet_end) == (time(22), time(5))
    assert settings.confirm_above == 50 and settings.link_domains == ("gov.vn",)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        BASE + "broadcasts:\n  quiet_hours: 9pm\n  link_domains: [gov vn]\n  confirm: 5\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(bad, env={})
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{bad}:5:16: broadcasts.quiet_hours: '9pm' is not a span of hours (expected e.g."
        " 21:00-06:30)",
        f"{bad}:6:18: broadcasts.link_domains[0]: 'gov vn' is not a domain (expected e.g. gov.vn)",
        f"{bad}:7:3: broadcasts: unknown key 'confirm' (did you mean 'confirm_above'?)",
    ]


def test_texts_asking_for_secrets_or_linking_elsewhere_are_refused() -> None:
    domains = ("gov.vn",)
    assert problems("Xem hướng dẫn ở https://dichvucong.gov.vn/p/home nhé.", domains) == []
    assert problems("Bà con gửi mã OTP cho cán bộ.", domains) == [
        "it mentions an OTP; residents must never be asked for one"
    ]
    assert problems("Nhập Mật khẩu VNeID vào đây", domains)[0].startswith("it mentions a password")
    assert problems("Cho mình mã PIN", domains)[0].startswith("it mentions a passcode")
    assert problems("Vào vneid.gov.vn.evil.com hoặc bit.ly/x", domains) == [
        "it links to vneid.gov.vn.evil.com; links may go only to gov.vn",
        "it links to bit.ly; links may go only to gov.vn",
    ]


async def test_an_unsafe_text_is_never_stored(app: App) -> None:
    with pytest.raises(Unsafe):
        await app.broadcasts.draft(THANH, Content({"vi": "Gửi OTP"}), Audience(), MORNING, MORNING)
    assert await app.db.all("SELECT id FROM broadcasts") == []


def test_quiet_hours_span_midnight() -> None:
    quiet = BroadcastSettings()
    assert is_quiet(quiet, MORNING.replace(hour=21)) and is_quiet(quiet, MORNING.replace(hour=3))
    assert not is_quiet(quiet, MORNING.replace(hour=6, minute=30))
    late = MORNING.replace(hour=23)
    assert morning_after(quiet, late) == (late + timedelta(days=1)).replace(hour=6, minute=30)


async def test_a_large_broadcast_needs_a_second_official(app: App) -> None:
    await seed(app, range(1, 502))  # over confirm_above (500)
    content, everyone = Content({"vi": "Họp toàn xã."}), Audience()
    drafted = await app.broadcasts.draft(THANH, content, everyone, MORNING, MORNING)
    assert drafted.preview.total == 501
    assert await app.broadcasts.confirm(drafted.number, THANH, MORNING) == "another official"
    later = MORNING + timedelta(hours=1)
    assert await app.broadcasts.confirm(drafted.number, THANH, later) == "another official"
    assert await app.broadcasts.confirm(drafted.number, HOA, MORNING) == "scheduled"


async def test_with_one_official_the_same_one_confirms_after_a_minute(app: App) -> None:
    await seed(app, range(1, 502))
    app.broadcasts.officials = 1
    drafted = await app.broadcasts.draft(
        THANH, Content({"vi": "Họp."}), Audience(), MORNING, MORNING
    )
    soon = MORNING + timedelta(seconds=59)
    assert await app.broadcasts.confirm(drafted.number, THANH, soon) == "wait"
    minute = MORNING + timedelta(minutes=1)
    assert await app.broadcasts.confirm(drafted.number, THANH, minute) == "scheduled"
