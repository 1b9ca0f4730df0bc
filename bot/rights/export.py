"""`danvan residents export ID`: everything stored about one resident, as a JSON file for them.
Answers are as stored: identity numbers and answers a flow marks sensitive only as masked."""

from __future__ import annotations

import json
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.reports.scope import reader

QUERIES = {
    "identities": "SELECT channel, external_id, created_at FROM identities WHERE resident_id = ?",
    "consents": "SELECT wording_version, given_at FROM consents WHERE resident_id = ?",
    "runs": "SELECT number, flow_id, status, step_id, started_at, ended_at FROM runs"
    " WHERE resident_id = ? ORDER BY number",
    "milestones": "SELECT name, flow_id, reached_at FROM milestones WHERE resident_id = ?"
    " ORDER BY reached_at",
    "followups": "SELECT reason, flow_id, step_id, status, opened_at FROM followups"
    " WHERE resident_id = ? ORDER BY opened_at",
    "steps": "SELECT at, flow_id, step_id, event FROM progress WHERE resident_id = ? ORDER BY id",
}
RESIDENT = """SELECT r.id, r.name, v.name AS village, h.code AS household_code, r.lang,
    r.consent_at, r.created_at, r.state FROM residents r
    LEFT JOIN villages v ON v.id = r.village_id LEFT JOIN households h ON h.id = r.household_id
    WHERE r.id = ?"""


def resident_data(conn: sqlite3.Connection, resident_id: int) -> dict[str, Any] | None:
    """The resident's data in plain keys; None when there is no such resident."""
    conn.row_factory = sqlite3.Row
    row = conn.execute(RESIDENT, (resident_id,)).fetchone()
    if row is None:
        return None
    data = dict(row)
    state = json.loads(data.pop("state") or "{}")
    data["address"] = state.get("address")
    data["answers"] = _answers(state)
    for name, sql in QUERIES.items():
        data[name] = [dict(r) for r in conn.execute(sql, (resident_id,))]
    return data


def _answers(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The answers of the guide the resident is in (finished guides keep none)."""
    run = state.get("run") or {}
    frames = run.get("frames") or []
    return [{"flow_id": f.get("flow_id"), "answers": f.get("vars", {})} for f in frames]


def export_command(config: Config, resident_id: int, out: Path | None) -> int:
    """Write the resident's data as JSON (UTF-8) to `out` or the screen."""
    with closing(reader(config.db_path)) as conn:
        data = resident_data(conn, resident_id)
    if data is None:
        print(f"no resident {resident_id} (forgotten, or never registered)", file=sys.stderr)
        return 1
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        out.chmod(0o600)  # personal data: readable by this user only
        print(out)
    return 0
