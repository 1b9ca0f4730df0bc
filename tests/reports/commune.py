"""A generated commune of known households and histories, written to a real database file, and
kept in plain Python so a test can count every figure itself."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 1, 5, 8, 0, tzinfo=ZONE)
VILLAGES = ("na_khau", "ban_cay", "khuoi_phong", "na_lung", "pac_ta")
MILESTONES = (
    ("vneid_level1", "vneid_account"), ("vneid_level2", "vneid_account"),
    ("portal_login", "portal_login"), ("birth_registration_submitted", "birth_registration"),
    ("marital_status_submitted", "marital_status"),
)  # fmt: skip
STEPS = {"portal_login": ("intro", "warning", "open_site", "click_login", "result"),
         "marital_status": ("intro", "purpose", "where", "open_portal", "fill_form")}  # fmt: skip


@dataclass
class Person:
    id: int
    village: str
    household: int
    created: datetime
    consent: datetime | None
    milestones: dict[str, tuple[str, datetime]] = field(default_factory=dict)


@dataclass
class Run:
    resident: int
    number: int
    village: str
    flow: str
    steps: list[tuple[str, datetime]]
    completed: datetime | None
    helped_at: dict[str, datetime] = field(default_factory=dict)


@dataclass
class Commune:
    households: list[tuple[int, str, datetime]] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    followups: list[tuple[int, str, datetime]] = field(default_factory=list)  # who, flow, when


def at(day: int, minutes: int = 0) -> datetime:
    return START + timedelta(days=day, minutes=minutes)


def generate(seed: int = 11, households: int = 60) -> Commune:
    """Households in every village, people in them, milestones, runs, help and follow-ups."""
    rng = random.Random(seed)
    commune = Commune()
    for h in range(1, households + 1):
        village = VILLAGES[h % len(VILLAGES)]
        commune.households.append((h, village, at(rng.randrange(0, 200))))
        for _ in range(rng.randrange(0, 4)):
            _person(rng, commune, h, village)
    return commune


def _person(rng: random.Random, commune: Commune, household: int, village: str) -> None:
    created = at(rng.randrange(0, 240), rng.randrange(0, 600))
    consent = created + timedelta(minutes=2) if rng.random() < 0.85 else None
    person = Person(len(commune.people) + 1, village, household, created, consent)
    commune.people.append(person)
    if consent is None:
        return
    for name, flow in MILESTONES:
        if rng.random() < 0.5:
            reached = consent + timedelta(days=rng.randrange(0, 60), minutes=rng.randrange(600))
            person.milestones[name] = (flow, reached)
            if rng.random() < 0.3:
                commune.followups.append((person.id, flow, reached - timedelta(hours=3)))
    for number, flow in enumerate(STEPS, start=1):
        if rng.random() < 0.7:
            commune.runs.append(_run(rng, person, number, flow))


def _run(rng: random.Random, person: Person, number: int, flow: str) -> Run:
    assert person.consent is not None
    t = person.consent + timedelta(days=rng.randrange(0, 90))
    steps = []
    for step in STEPS[flow][: rng.randrange(1, len(STEPS[flow]) + 1)]:
        steps.append((step, t))
        t += timedelta(minutes=rng.randrange(1, 30))
    done = t if len(steps) == len(STEPS[flow]) and rng.random() < 0.8 else None
    run = Run(person.id, number, person.village, flow, steps, done)
    if rng.random() < 0.4:
        step, when = rng.choice(steps)
        run.helped_at[step] = when + timedelta(seconds=30)
    return run


def write(commune: Commune, db: Path) -> None:
    """The commune's rows, in the bot's own schema (the file was made by the bot)."""
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.executemany(
            "INSERT INTO households (id, code, village_id, created_at) VALUES (?, ?, ?, ?)",
            [(h, f"H{h:04d}", v, c.isoformat()) for h, v, c in commune.households],
        )
        for p in commune.people:
            _write_person(conn, p)
        for r in commune.runs:
            _write_run(conn, r, next(p for p in commune.people if p.id == r.resident))
        conn.executemany(
            "INSERT INTO followups (resident_id, village_id, reason, flow_id, opened_at, status)"
            " SELECT id, village_id, 'asked', ?, ?, ? FROM residents WHERE id = ?",
            _followup_rows(commune),
        )


def _followup_rows(commune: Commune) -> list[tuple[str, str, str, int]]:
    """One open follow-up per person and flow (as the bot keeps them); the others merged."""
    rows, open_ = [], set()
    for who, flow, when in commune.followups:
        status = "merged" if (who, flow) in open_ else "open"
        open_.add((who, flow))
        rows.append((flow, when.isoformat(), status, who))
    return rows


def _write_person(conn: sqlite3.Connection, p: Person) -> None:
    consent = p.consent.isoformat() if p.consent else None
    conn.execute(
        "INSERT INTO residents (id, name, village_id, household_id, consent_at, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (p.id, f"Người {p.id}", p.village, p.household, consent, p.created.isoformat(),
         p.created.isoformat()),
    )  # fmt: skip
    for name, (flow, reached) in p.milestones.items():
        conn.execute(
            "INSERT INTO milestones (resident_id, household_id, village_id, name, flow_id,"
            " reached_at) VALUES (?, ?, ?, ?, ?, ?)",
            (p.id, p.household, p.village, name, flow, reached.isoformat()),
        )


def _write_run(conn: sqlite3.Connection, r: Run, p: Person) -> None:
    events: list[tuple[datetime, str, str | None]] = [(w, "step", s) for s, w in r.steps]
    events += [(when, "help", step) for step, when in r.helped_at.items()]
    if r.completed:
        events.append((r.completed, "run_ended", None))
    for when, event, step in sorted(events, key=lambda e: e[0]):
        conn.execute(
            "INSERT INTO progress (at, resident_id, household_id, village_id, run_number,"
            " flow_id, step_id, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (when.isoformat(), r.resident, p.household, r.village, r.number, r.flow, step, event),
        )
    last_step, started = r.steps[-1][0], r.steps[0][1]
    conn.execute(
        "INSERT INTO runs (resident_id, number, household_id, village_id, flow_id, version,"
        " status, step_id, started_at, updated_at, ended_at) VALUES (?, ?, ?, ?, ?, 'v', ?, ?,"
        " ?, ?, ?)",
        (r.resident, r.number, p.household, r.village, r.flow,
         "completed" if r.completed else "active", last_step, started.isoformat(),
         started.isoformat(), r.completed.isoformat() if r.completed else None),
    )  # fmt: skip
