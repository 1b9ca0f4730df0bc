"""Shared fixtures: a real app (aiosqlite on a file, real flows, real catalogs) per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import App, open_app
from bot.config import Config, load_config
from bot.i18n.maintain import compile_all

ROOT = Path(__file__).resolve().parents[1]
BASIC_FLOWS = ROOT / "tests" / "data" / "flows_basic"


def config_for(db: Path, flows: Path = BASIC_FLOWS) -> Config:
    """The sample commune's configuration with this database and flows folder."""
    return load_config(ROOT / "danvan.yaml", env={}, db=db, flows=flows)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """The bot reads compiled catalogs; compile them from the .po files once per run."""
    compile_all()


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    """A running app on a fresh database file and the basic test flows."""
    opened = await open_app(config_for(tmp_path / "danvan.db"))
    yield opened
    await opened.close()
