"""`danvan residents export ID`: a resident's data as a file for them, answers as stored
(the identity number only masked), and nothing for someone forgotten."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, open_app
from bot.cli import main
from tests.conftest import ROOT, config_for
from tests.test_conversation_service import Resident, query
from tests.test_forget import CCCD, NAME, NOTE, PERSONAL_FLOWS, tell_everything


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    opened = await open_app(config_for(tmp_path / "danvan.db", PERSONAL_FLOWS))
    yield opened
    await opened.close()


async def export(app: App, resident_id: int, out: Path) -> int:
    where = ["--config", str(ROOT / "danvan.yaml"), "--db", str(app.config.db_path)]
    command = ["residents", "export", *where, str(resident_id), "--out", str(out)]
    return await asyncio.to_thread(main, command)


async def test_a_resident_gets_everything_stored_about_them(app: App, tmp_path: Path) -> None:
    r = Resident(app)
    await tell_everything(r)
    [(rid,)] = query(app, "SELECT id FROM residents")
    out = tmp_path / "me.json"
    assert await export(app, int(str(rid)), out) == 0
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["name"] == NAME and data["village"] == "Nà Khau"
    assert [i["external_id"] for i in data["identities"]] == [r.id]
    assert data["consents"] and data["runs"] and data["steps"]
    answers = {k: v for frame in data["answers"] for k, v in frame["answers"].items()}
    assert NOTE in answers.values() and "••••••••2345" in answers.values()
    assert CCCD not in text  # the identity number only masked
    assert out.stat().st_mode & 0o077 == 0


async def test_no_file_for_someone_not_stored(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await export(app, 404, tmp_path / "x.json") == 1
    assert "no resident 404" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()
