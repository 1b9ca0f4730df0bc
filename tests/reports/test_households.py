"""`danvan households import` and `export`: every bad row named by line, column and reason,
nothing loaded from a file with errors unless --skip-bad, a re-import updates in place, and
the export reads back as the same list."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.app import App
from bot.cli import main
from tests.conftest import ROOT

HEADER = "ma_ho,thon,ho_ten,nam_sinh,quan_he,dien_thoai\n"
GOOD = (
    "NK-001,Nà Khau,Hoàng Văn Pảo,1968,Chủ hộ,0912 345 678\n"
    "NK-001,na_khau,Lương Thị Slao,1972,Vợ,\n"
    "BC-002,Bản Cậy,Nông Thị Lan,1990,chu ho,+84 388 000 111\n"
)
BAD = (
    "NK-003,Nà Khau,Ma Văn Sình,19x0,Chủ hộ,0912345678\n"  # line 5: birth year
    "NK-004,Thôn Xa,Ma Thị Mai,1980,Chủ hộ,0123\n"  # line 6: village and phone
    "NK-005,Nà Khau,,1980,Con,\n"  # line 7: no name
    "NK-006,Nà Khau,Hà Văn Tú,1980,Con,\n"  # line 8: a household without a head
)


async def run(app: App, *args: str) -> int:
    """The command beside the running bot (another thread, as another process would be)."""
    where = ["--config", str(ROOT / "danvan.yaml"), "--db", str(app.config.db_path)]
    return await asyncio.to_thread(main, ["households", args[0], *where, *args[1:]])


def rows(app: App) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(app.config.db_path)) as conn:
        return conn.execute(
            "SELECT h.code, h.village_id, m.position, m.name, m.birth_year, m.relation, m.phone"
            " FROM households h JOIN household_members m ON m.household_id = h.id"
            " ORDER BY h.code, m.position"
        ).fetchall()


def households(app: App) -> int:
    with closing(sqlite3.connect(app.config.db_path)) as conn:
        return int(conn.execute("SELECT count(*) FROM households").fetchone()[0])


LOADED = [
    ("BC-002", "ban_cay", 1, "Nông Thị Lan", 1990, "chu ho", "0388000111"),
    ("NK-001", "na_khau", 1, "Hoàng Văn Pảo", 1968, "Chủ hộ", "0912345678"),
    ("NK-001", "na_khau", 2, "Lương Thị Slao", 1972, "Vợ", None),
]


async def test_a_file_with_bad_rows_loads_nothing_and_names_every_problem(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ho.csv"
    path.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    assert await run(app, "import", str(path)) == 1
    err = capsys.readouterr().err
    for line, column in ((5, "nam_sinh"), (6, "thon"), (6, "dien_thoai"), (7, "ho_ten"),
                         (8, "quan_he")):  # fmt: skip
        assert f"line {line}, column {column}:" in err, (line, column, err)
    assert "'19x0' is not a birth year" in err and "'Thôn Xa' is not a village" in err
    assert "nothing loaded: 5 problems" in err
    assert rows(app) == [] and households(app) == 0
    assert await run(app, "import", str(path), "--skip-bad") == 0
    assert "2 households loaded, 4 skipped" in capsys.readouterr().out
    assert rows(app) == LOADED


async def test_a_re_import_updates_in_place_and_never_duplicates(app: App, tmp_path: Path) -> None:
    path = tmp_path / "ho.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    assert await run(app, "import", str(path)) == 0
    assert await run(app, "import", str(path)) == 0
    assert rows(app) == LOADED and households(app) == 2
    moved = GOOD.replace("Lương Thị Slao,1972,Vợ,", "Lương Thị Slao,1973,Vợ,0977000222")
    path.write_text(HEADER + moved + "NK-001,Nà Khau,Hoàng Văn Nam,2001,Con,\n", encoding="utf-8")
    assert await run(app, "import", str(path)) == 0
    assert households(app) == 2
    assert rows(app)[1:] == [
        ("NK-001", "na_khau", 1, "Hoàng Văn Pảo", 1968, "Chủ hộ", "0912345678"),
        ("NK-001", "na_khau", 2, "Lương Thị Slao", 1973, "Vợ", "0977000222"),
        ("NK-001", "na_khau", 3, "Hoàng Văn Nam", 2001, "Con", None),
    ]


async def test_an_xlsx_list_loads_and_the_export_reads_back_the_same(
    app: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.strip().split(","))
    for line in GOOD.strip().split("\n"):
        values: list[object] = line.split(",")
        values[3] = int(str(values[3]))  # a year in a number cell
        sheet.append(values)
    book.save(tmp_path / "ho.xlsx")
    assert await run(app, "import", str(tmp_path / "ho.xlsx")) == 0
    assert rows(app) == LOADED
    capsys.readouterr()
    assert await run(app, "export", "--village", "na_khau") == 0
    assert capsys.readouterr().out == (
        HEADER + "NK-001,Nà Khau,Hoàng Văn Pảo,1968,Chủ hộ,0912345678\n"
        "NK-001,Nà Khau,Lương Thị Slao,1972,Vợ,\n"
    )
    assert await run(app, "export", "--out", str(tmp_path / "back.csv")) == 0
    with closing(sqlite3.connect(app.config.db_path)) as conn:
        conn.execute("DELETE FROM households")
        conn.commit()
    assert await run(app, "import", str(tmp_path / "back.csv")) == 0
    assert rows(app) == LOADED
