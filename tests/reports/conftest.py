"""The generated commune every report test reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import open_app
from bot.config import Config
from tests.conftest import ROOT, config_for
from tests.reports.commune import Commune, generate, write


@pytest.fixture
async def commune(tmp_path: Path) -> tuple[Config, Commune]:
    """The bot makes the database file; the generated commune is written into it."""
    config = config_for(tmp_path / "danvan.db", ROOT / "flows")
    await (await open_app(config)).close()
    generated = generate()
    write(generated, config.db_path)
    return config, generated
