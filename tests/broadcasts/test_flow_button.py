"""A broadcast's button payload is read strictly: only `flow:<a current flow>` starts a flow
(and counts as a tap); anything else is a stale tap that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.broadcasts.audience import Audience
from tests.broadcasts.helpers import broadcast, onboard
from tests.channels.drivers import TelegramDriver, wait_until

FORGED = ["flow:unknown", "flow:Sample", "flow:sample ", "flow:../sample", "flow:", "flow:sub:1"]


@pytest.mark.parametrize("payload", FORGED)
async def test_a_forged_flow_button_is_a_stale_tap(tmp_path: Path, payload: str) -> None:
    async with TelegramDriver(tmp_path / "d.db") as tg:
        await onboard(tg, "lan", "Lan", "Nà Khau")
        await broadcast(tg.app, "Mời làm thử.", Audience(), flow_id="sample")
        await wait_until(lambda: any("Mời làm thử." in t for t in tg.texts("lan")))
        await tg.drain()
        replies = await tg._push("lan", lambda chat: tg.fake.push_callback(chat, payload))
        assert replies[0] == "Nút đó thuộc câu hỏi trước. Câu hỏi hiện tại là:", replies
        assert tg.state("lan").run is None
        assert tg.query("SELECT COUNT(tapped_at) FROM broadcast_recipients") == [(0,)]


async def test_the_flow_button_starts_its_flow_and_counts_the_tap(tmp_path: Path) -> None:
    async with TelegramDriver(tmp_path / "d.db") as tg:
        await onboard(tg, "lan", "Lan", "Nà Khau")
        await broadcast(tg.app, "Mời làm thử.", Audience(), flow_id="sample")
        await wait_until(lambda: any("Mời làm thử." in t for t in tg.texts("lan")))
        await tg.drain()
        replies = await tg._push("lan", lambda chat: tg.fake.push_callback(chat, "flow:sample"))
        assert "Chào Lan ở thôn Nà Khau." in replies, replies  # the intro, under its photo
        run = tg.state("lan").run
        assert run is not None and run.flow_id == "sample"
        assert tg.query("SELECT COUNT(tapped_at) FROM broadcast_recipients") == [(1,)]
