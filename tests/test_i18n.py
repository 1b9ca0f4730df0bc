"""Catalogs: every flow string is extracted, catalogs keep up with the sources, fallbacks work."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.engine import texts
from bot.engine.types import Commune, Inbound
from bot.flows.translations import flow_texts
from bot.i18n.catalogs import Catalogs
from bot.i18n.maintain import extract, keys, problems, update
from tests.engine.chat import COMMUNE, Chat, registry_of

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = registry_of(ROOT / "flows")


def test_the_extractor_finds_every_text_of_every_bundled_flow() -> None:
    expected = {(ctx, text) for f in REGISTRY.all_current() for ctx, text, _, _ in flow_texts(f)}
    assert keys(extract("flows")) == expected
    assert len(expected) > 200


def test_the_bots_own_texts_are_extracted() -> None:
    found = {msgid for _, msgid in keys(extract("messages"))}
    assert texts.FORGET_CONFIRM in found and texts.WORDS_TYPED["help"] in found
    assert "Số này nhỏ quá. {You} gõ số từ {min} trở lên." in found


def test_the_committed_catalogs_are_up_to_date_and_english_is_complete() -> None:
    assert problems() == []


def test_a_flow_string_added_without_a_catalog_entry_fails_the_check(tmp_path: Path) -> None:
    for folder in ("flows", "locales", "bot"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    update(tmp_path / "locales", tmp_path)  # start from catalogs in step with the copy
    flow = tmp_path / "flows" / "marital_status.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace(
        "steps:\n", "steps:\n  - id: hello\n    say: Chào bà con, đây là câu mới.\n\n", 1
    ), encoding="utf-8")  # fmt: skip
    found = problems(tmp_path / "locales", tmp_path)
    assert (
        f"{tmp_path / 'locales' / 'flows.pot'}: out of date with the sources (run make i18n)"
        in found
    )


def test_languages_without_babel_data_format_dates_and_numbers_as_vietnamese() -> None:
    catalogs = Catalogs(("vi", "en", "tyz", "hnj"))
    day = date(2025, 3, 15)
    assert [catalogs.date(lang, day) for lang in ("vi", "tyz", "hnj")] == ["15/03/2025"] * 3
    assert catalogs.date("en", day) == "Mar 15, 2025"
    assert catalogs.number("tyz", 1500000) == "1.500.000" == catalogs.number("vi", 1500000)


@pytest.mark.parametrize("lang", ["tyz", "hnj"])
def test_an_untranslated_string_in_a_minority_language_shows_in_vietnamese(lang: str) -> None:
    commune = Commune(COMMUNE.name, COMMUNE.villages, ("vi", lang), COMMUNE.contacts)
    chat = Chat(REGISTRY, commune=commune)
    chat.send(Inbound("start"))
    chat.tap({"tyz": "Tày", "hnj": "Hmoob Njua"}[lang])
    assert chat.state.lang == lang
    assert "Bà con có đồng ý không?" in chat.said()
