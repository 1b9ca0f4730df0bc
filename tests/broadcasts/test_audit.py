"""Every broadcast action from the command line is in the audit: who, what, the audience in
words and the count, never a resident's name."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app import open_app
from bot.config import load_config
from tests.broadcasts.helpers import THANH, seed
from tests.broadcasts.test_cli import danvan
from tests.broadcasts.test_kill import always_open
from tests.channels.process import rows
from tests.conftest import BASIC_FLOWS

CHATS = range(13_001, 13_004)


async def test_send_confirm_and_cancel_from_the_command_line_are_audited(tmp_path: Path) -> None:
    db, config = tmp_path / "d.db", always_open(tmp_path)
    app = await open_app(load_config(config, env={}, db=db, flows=BASIC_FLOWS))
    await seed(app, CHATS)
    await app.close()
    where = ("--config", str(config), "--db", str(db), "--flows", str(BASIC_FLOWS))
    code, _, err = await danvan(
        "send", *where, "--village", "na_khau", "--text", "Họp thôn lúc 8 giờ.",
        "--at", "2099-12-03 08:00", "--as", THANH, "--yes", "--detach",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = await danvan("cancel", "1", *where)
    assert code == 0, err

    audit = rows(db, "SELECT actor, action, subject, detail FROM audit ORDER BY id")
    assert [r[:3] for r in audit] == [
        (THANH, "broadcast.draft", "1"),
        (THANH, "broadcast.confirm", "1"),
        ("cli", "broadcast.cancel", "1"),
    ]
    draft, confirm, cancel = (json.loads(str(r[3])) for r in audit)
    assert draft["audience"] == confirm["audience"] == cancel["audience"] == "villages na_khau"
    assert draft["count"] == confirm["count"] == 3
    assert not any("Người" in str(r[3]) for r in audit)  # the residents' names never
