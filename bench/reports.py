"""Benchmarks the reports on a generated province: 50 communes of 10 villages in one database
(500,000 households, 2 million residents, 5 million progress events at --scale 1)."""

from __future__ import annotations

import argparse
import csv
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.flows.folder import load_folder  # noqa: E402
from bot.household_list.load import check_all, load  # noqa: E402
from bot.household_list.rows import COLUMNS, raw_rows, village_names  # noqa: E402
from bot.reports.build import build  # noqa: E402
from bot.reports.scope import Scope, reader  # noqa: E402
from bot.reports.series import monthly  # noqa: E402
from bot.store.schema import MIGRATIONS  # noqa: E402

VILLAGES = 500
COMMUNE = 10  # villages per commune
AS_OF = date(2026, 12, 31)
TARGETS = {"commune": 1.0, "village": 0.1, "monthly": 2.0, "import": 60.0}
IMPORTED = 100_000  # households in the imported list, four people each
FLOWS = ("portal_login", "marital_status", "birth_registration", "vneid_account")
STEPS = ("intro", "warning", "open_site", "click_login", "result")
MILESTONES = ("vneid_level1", "vneid_level2", "portal_login", "birth_registration_submitted",
              "marital_status_submitted")  # fmt: skip
# minutes after 2025-06-01 00:00, local time, as the bot stores it
TIME = "strftime('%Y-%m-%dT%H:%M:%S+07:00', '2025-06-01', '+' || ({}) || ' minutes')"


def generate(path: Path, scale: float) -> None:
    """The province's rows, in big set-based statements (no Python loop per row)."""
    households = int(500_000 * scale)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        for migration in MIGRATIONS:
            conn.executescript(migration)
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
        conn.execute("BEGIN")
        _rows(conn, households)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")


def _rows(conn: sqlite3.Connection, households: int) -> None:
    village = "printf('v%03d', {} % " + str(VILLAGES) + ")"
    _villages(conn)
    conn.execute(
        f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {households})
        INSERT INTO households (id, code, village_id, created_at) SELECT i, printf('H%07d', i),
        {village.format("i")}, {TIME.format("i % 400000")} FROM n"""
    )
    people = 4 * households
    conn.execute(
        f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {people})
        INSERT INTO residents (id, name, village_id, household_id, consent_at, created_at,
        updated_at, state) SELECT i, 'Người ' || i, {village.format("((i - 1) / 4 + 1)")},
        (i - 1) / 4 + 1, CASE WHEN i % 7 THEN {TIME.format("(i * 37) % 800000 + 2")} END,
        {TIME.format("(i * 37) % 800000")}, {TIME.format("(i * 37) % 800000")}, '{{}}' FROM n"""
    )
    for k, name in enumerate(MILESTONES):
        flow = "vneid_account" if name.startswith("vneid") else name.removesuffix("_submitted")
        conn.execute(
            f"""INSERT INTO milestones (resident_id, household_id, village_id, name, flow_id,
            reached_at) SELECT id, household_id, village_id, '{name}', '{flow}',
            {TIME.format(f"(id * 37) % 800000 + 1000 + {k} * 5000")} FROM residents
            WHERE consent_at IS NOT NULL AND (id * {k + 3}) % 10 < 4"""
        )
    _runs(conn, households)


def _runs(conn: sqlite3.Connection, households: int) -> None:
    """A run of five steps for a million residents with consent: 5 progress events each."""
    flows = " ".join(f"WHEN {i} THEN '{f}'" for i, f in enumerate(FLOWS))
    conn.execute(
        f"""INSERT INTO runs (resident_id, number, household_id, village_id, flow_id, version,
        status, step_id, started_at, updated_at, ended_at) SELECT id, 1, household_id, village_id,
        CASE id % 4 {flows} END, 'v', CASE WHEN id % 3 THEN 'completed' ELSE 'active' END,
        'result', consent_at, consent_at, consent_at FROM residents WHERE id % 5 < 3
        AND consent_at IS NOT NULL LIMIT {2 * households}"""
    )
    steps = " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(STEPS))
    conn.execute(
        f"""WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 4)
        INSERT INTO progress (at, resident_id, household_id, village_id, run_number, flow_id,
        version, step_id, event) SELECT
        {TIME.format("(r.resident_id * 37) % 800000 + 5 + k.j * (r.resident_id % 13 + 1)")},
        r.resident_id, r.household_id, r.village_id, 1, r.flow_id, 'v',
        CASE k.j {steps} END, CASE WHEN k.j = 2 AND r.resident_id % 10 = 0 THEN 'help'
        ELSE 'step' END FROM runs r, k"""
    )


def _villages(conn: sqlite3.Connection) -> None:
    conn.executemany(
        "INSERT INTO villages VALUES (?, ?)",
        [(f"v{i:03d}", f"Thôn {i}") for i in range(VILLAGES)],
    )


def measure(path: Path) -> dict[str, float]:
    """Times of the commune report, one village's, the monthly series; this process's peak."""
    flows = load_folder(ROOT / "flows", ("vi",)).flows
    commune = tuple((f"v{i:03d}", f"Thôn {i}") for i in range(7, VILLAGES, VILLAGES // COMMUNE))
    found = {}
    with closing(reader(path)) as conn:
        for name, scope in (("commune", Scope(commune, AS_OF)),
                            ("village", Scope(commune[:1], AS_OF))):  # fmt: skip
            start = time.perf_counter()
            build(conn, scope, name, flows)
            found[name] = time.perf_counter() - start
        start = time.perf_counter()
        monthly(conn, Scope(commune, AS_OF))
        found["monthly"] = time.perf_counter() - start
    found["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return found


def imported(path: Path, folder: Path) -> float:
    """Seconds to check and load a list of 100,000 households (400,000 rows) from CSV."""
    config = load_config(ROOT / "danvan.yaml", env={}, db=path)
    names = [v.name for v in config.villages]
    relations = ("Chủ hộ", "Vợ", "Con", "Con")
    csv_path = folder / "ho.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for h in range(IMPORTED):
            for k, relation in enumerate(relations):
                phone = f"09{h:08d}" if k == 0 else ""
                row = (f"DS-{h:06d}", names[h % len(names)], f"Người {h} {k}", 1960 + k * 10)
                writer.writerow((*row, relation, phone))
    with closing(sqlite3.connect(path)) as conn, conn:  # the commune's villages, as the bot adds
        conn.executemany(
            "INSERT OR IGNORE INTO villages VALUES (?, ?)",
            [(v.id, v.name) for v in config.villages],
        )
    start = time.perf_counter()
    checked = check_all(raw_rows(csv_path), village_names(config))
    assert not checked.problems, checked.problems[:3]
    load(path, list(checked.households.values()), datetime.now())
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the province (default)")
    parser.add_argument(
        "--db", type=Path, help="the file to generate into; measured only if it exists"
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(" ".join(f"{k}={v}" for k, v in measure(args.measure).items()))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "province.db"
        if not path.exists():
            start = time.perf_counter()
            generate(path, args.scale)
            print(f"generated at scale {args.scale} in {time.perf_counter() - start:.0f} s")
        status = _report(path)
        seconds = imported(path, Path(folder))
        print(f"import of {IMPORTED:,} households: {seconds:.1f} s (target < 60 s)")
        return status if seconds < TARGETS["import"] else 1


def _report(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        tables = ("households", "residents", "milestones", "runs", "progress")
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    print(", ".join(f"{n:,} {t}" for t, n in counts.items()))
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip  (a fresh process: its peak memory is the reports' alone)
    found = {k: float(v) for k, v in (p.split("=") for p in done.stdout.split())}
    ok = True
    for name, target in list(TARGETS.items())[:3]:
        ok &= found[name] < target
        print(f"{name} report: {found[name] * 1000:.0f} ms (target < {target * 1000:.0f} ms)")
    print(f"peak memory of the reports: {found['peak_mb']:.0f} MB (target < 300 MB)")
    wal = Path(f"{path}-wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    print(f"database: {size / counts['households']:,.0f} bytes per household")
    return 0 if ok and found["peak_mb"] < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
