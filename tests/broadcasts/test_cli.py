"""`danvan broadcast` as a real command beside a real `danvan run`: it writes the broadcast,
the running bot sends it, `show` reports it, and an unsafe text is refused."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from bot.app import open_app
from bot.config import load_config
from tests.broadcasts.helpers import seed
from tests.broadcasts.test_kill import always_open
from tests.channels.process import CODE, rows, start_run
from tests.conftest import BASIC_FLOWS, ROOT
from tests.fakes.telegram_server import FakeTelegram

CHATS = range(12_001, 12_004)


async def danvan(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CODE, "broadcast", *args, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_the_command_writes_it_and_the_running_bot_sends_it(tmp_path: Path) -> None:
    db, config = tmp_path / "d.db", always_open(tmp_path)
    app = await open_app(load_config(config, env={}, db=db, flows=BASIC_FLOWS))
    await seed(app, CHATS)
    await app.close()
    where = ("--config", str(config), "--db", str(db), "--flows", str(BASIC_FLOWS))
    code, out, err = await danvan(
        "send", *where, "--village", "na_khau", "--text", "Họp thôn lúc 8 giờ.",
        "--flow", "sample", "--yes", "--detach",
    )  # fmt: skip
    assert code == 0, err
    assert "Họp thôn lúc 8 giờ.\n\n— UBND xã Hà Lang\n[ Thử nghiệm ]" in out
    assert "na_khau        telegram       3 residents,      3 reachable" in out
    code, _, err = await danvan("send", *where, "--text", "Gửi mã OTP vào evil.com", "--yes")
    assert code == 2 and "it mentions an OTP" in err and "it links to evil.com" in err

    with FakeTelegram() as fake:
        env = {"TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_API_URL": fake.base_url.removesuffix("/bot")}  # fmt: skip
        proc = await start_run(db, env, ["--config", str(config)])
        done = "SELECT status FROM broadcasts"
        await fake.wait_for(lambda f: rows(db, done) == [("done",)], timeout=60)
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), timeout=30) == 0
        assert all(f.texts(c) for f in [fake] for c in CHATS)
    code, out, _ = await danvan("show", "1", *where)
    assert code == 0
    assert "na_khau        telegram            0           3           0           0" in out
    code, out, _ = await danvan("cancel", "1", *where)
    assert code == 1 and "nothing to cancel" in out
