"""`danvan report` in the forms the commune uses: an XLSX read back with openpyxl, CSV, and the
HTML opened in a real headless Chromium, showing its charts."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from bot.cli import main
from bot.config import Config
from bot.reports.cli import report_of
from tests.conftest import ROOT
from tests.reports.commune import Commune

DAY = "2026-12-31"


def args(config: Config, *more: str) -> list[str]:
    where = ["--config", str(ROOT / "danvan.yaml"), "--db", str(config.db_path)]
    return ["report", *where, "--flows", str(config.flows_dir), "--as-of", DAY, *more]


def test_the_xlsx_has_one_sheet_per_view_with_numbers_and_frozen_headers(
    commune: tuple[Config, Commune], tmp_path: Path
) -> None:
    config, _ = commune
    out = tmp_path / "bao-cao.xlsx"
    assert main(args(config, "--format", "xlsx", "--out", str(out))) == 0
    report = report_of(config, None, date.fromisoformat(DAY))
    book = load_workbook(out)
    assert len(book.sheetnames) == len(report.tables)
    for sheet, table in zip(book.worksheets, report.tables, strict=True):
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert rows[0] == table.headers
        assert rows[1:] == [[None if v == "" else v for v in row] for row in table.rows]
        assert sheet.freeze_panes == ("C2" if table.keys == 2 else "B2")
    summary = book.worksheets[0]
    assert summary.cell(row=2, column=3).data_type == "n"  # a number, not text
    assert summary["B7"].value == "Toàn xã"


def test_the_csv_holds_every_view_under_its_title(
    commune: tuple[Config, Commune], tmp_path: Path
) -> None:
    config, _ = commune
    out = tmp_path / "bao-cao.csv"
    assert main(args(config, "--format", "csv", "--out", str(out))) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    report = report_of(config, None, date.fromisoformat(DAY))
    titles = [r[0] for i, r in enumerate(rows) if i == 0 or (rows[i - 1] == [] and r)]
    assert titles == [t.title for t in report.tables]
    summary = report.table("summary")
    assert rows[2] == [str(v) for v in summary.rows[0]]


def test_an_unknown_village_or_date_is_one_line(
    commune: tuple[Config, Commune], capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = commune
    assert main(args(config, "--village", "nowhere")) == 1
    assert "no village 'nowhere'" in capsys.readouterr().err
    assert main([*args(config)[:-2], "--as-of", "31/12/2026"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_html_shows_its_charts_in_chromium(
    commune: tuple[Config, Commune], tmp_path: Path
) -> None:
    config, _ = commune
    out = tmp_path / "bao-cao.html"
    assert main(args(config, "--format", "html", "--out", str(out))) == 0
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page.split("<svg", 1)[0]  # self-contained
    report = report_of(config, None, date.fromisoformat(DAY))
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        browser.get(out.as_uri())
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Báo cáo chuyển đổi số")
        charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg")
        drawn = [t for t in report.tables if not t.name.startswith("followups")]
        assert len(charts) == len(drawn) >= 4  # villages, months and the funnels
        for chart in charts:
            assert chart.is_displayed()
            assert chart.size["width"] > 300 and chart.size["height"] > 150
            assert len(chart.find_elements(By.CSS_SELECTOR, "path")) > 10  # bars, lines, text
        assert len(browser.find_elements(By.TAG_NAME, "table")) == len(report.tables)
    finally:
        browser.quit()
