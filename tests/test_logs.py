"""Secrets never reach a log line, not even inside a traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest

from bot import logs, run
from bot.app import open_app
from bot.channels.http import HttpEndpoint
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.channel import ZaloSettings
from bot.channels.zalo_oa.channel import ZaloOAChannel, ZaloOASettings
from bot.logs import Redact
from tests.channels.telegram_harness import settings_for
from tests.conftest import config_for
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_oa_server import FakeZaloOA
from tests.fakes.zalo_server import FakeZalo


def test_a_token_is_redacted_from_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redact(["123:SECRET"]))
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    log.propagate = False
    log.warning("calling https://api.telegram.org/bot%s/getMe", "123:SECRET")
    try:
        raise RuntimeError("The token `123:SECRET` was rejected")
    except RuntimeError:
        log.exception("failed")
    text = stream.getvalue()
    assert "SECRET" not in text
    assert "bot[redacted]/getMe" in text and "The token `[redacted]` was rejected" in text


@pytest.fixture
def root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_every_secret_of_every_channel_is_redacted(
    tmp_path: Path, root_handlers: None
) -> None:
    with FakeZaloOA() as oa_fake, FakeZalo() as zalo_fake, FakeTelegram() as tg_fake:
        seed = oa_fake.grant()
        env = {
            "TELEGRAM_BOT_TOKEN": tg_fake.token,
            "ZALO_BOT_TOKEN": zalo_fake.token,
            "ZALO_OA_APP_ID": oa_fake.app_id,
            "ZALO_OA_SECRET_KEY": oa_fake.secret_key,
            "ZALO_OA_OA_SECRET_KEY": oa_fake.oa_secret,
            "ZALO_OA_REFRESH_TOKEN": seed,
        }
        stream = io.StringIO()
        logs.setup(run.secrets_in(env), stream=stream)
        learnt = await _secrets_made_while_running(tmp_path, oa_fake, zalo_fake, tg_fake, seed)
    secrets = [env[name] for name in run.SECRET_VARIABLES] + learnt
    log = logging.getLogger("test.secrets")
    for secret in secrets:
        log.warning("calling https://example.org/bot%s/x?t=%s", secret, quote(secret, safe=""))
        try:
            raise RuntimeError(f"refused: {secret}")
        except RuntimeError:
            log.exception("failed")
    text = stream.getvalue()
    assert text.count(logs.REDACTED) >= 3 * len(secrets)
    assert [s for s in secrets if s in text or quote(s, safe="") in text] == []


async def _secrets_made_while_running(
    tmp_path: Path, oa_fake: FakeZaloOA, zalo_fake: FakeZalo, tg_fake: FakeTelegram, seed: str
) -> list[str]:
    """The OA's first rotated token pair, and the Telegram and Zalo webhook secrets."""
    app = await open_app(config_for(tmp_path / "d.db"))
    endpoint = HttpEndpoint("127.0.0.1", 0)
    await endpoint.start()
    oa_settings = ZaloOASettings(oa_fake.app_id, oa_fake.secret_key, seed, oa_fake.oa_secret)
    oa = ZaloOAChannel(
        app, replace(oa_settings, api_url=oa_fake.base_url, oauth_url=oa_fake.base_url)
    )
    telegram = TelegramChannel(app, settings_for(tg_fake))
    zalo_settings = ZaloSettings(zalo_fake.token, zalo_fake.base_url, "https://bot.example/zalo")
    try:
        await oa.start()
        await telegram.start(polling=False)
        telegram_secret = await run.start_webhook(telegram, "https://bot.example/tg", endpoint)
        zalo = await run._start_zalo(app, zalo_settings, endpoint)
        await zalo.stop()
        pair = await app.db.one("SELECT access_token, refresh_token FROM zalo_oa_tokens", ())
        assert pair is not None and zalo_fake.webhook is not None
        return [str(pair[0]), str(pair[1]), telegram_secret, zalo_fake.webhook["secret_token"]]
    finally:
        await telegram.stop()
        await oa.stop()
        await endpoint.stop()
        await app.close()
