"""The writes one resident's message makes, as SQL in one fixed order (see Batch.grouped)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from bot.engine.types import Effect, Event, Outbound, Result, Run
from bot.store.batch import Batch
from bot.store.codec import dump_state

HOUSEHOLD = "(SELECT id FROM households WHERE code = ?)"
RESIDENT_HOUSEHOLD = "(SELECT household_id FROM residents WHERE id = ?)"
RESIDENT_VILLAGE = "(SELECT village_id FROM residents WHERE id = ?)"

INSERT_HOUSEHOLD = (
    "INSERT OR IGNORE INTO households (code, village_id, created_at) VALUES (?, ?, ?)"
)
JOIN_HOUSEHOLD = f"UPDATE residents SET household_id = {HOUSEHOLD} WHERE id = ?"
UPDATE_RESIDENT = (
    "UPDATE residents SET name = ?, village_id = ?, lang = ?, state = ?, updated_at = ?,"
    " consent_at = COALESCE(consent_at, ?) WHERE id = ?"
)
INSERT_CONSENT = "INSERT INTO consents (resident_id, wording_version, given_at) VALUES (?, ?, ?)"
START_RUN = (
    "INSERT OR IGNORE INTO runs (resident_id, number, household_id, village_id, flow_id,"
    f" version, status, started_at, updated_at) VALUES (?, ?, {RESIDENT_HOUSEHOLD},"
    f" {RESIDENT_VILLAGE}, ?, ?, 'active', ?, ?)"
)
END_RUN = (
    "UPDATE runs SET status = ?, ended_at = ?, updated_at = ?, remind_at = NULL,"
    " expire_at = NULL WHERE resident_id = ? AND number = ?"
)
UPDATE_RUN = (
    "UPDATE runs SET status = ?, step_id = ?, updated_at = ?, remind_at = ?, expire_at = ?"
    " WHERE resident_id = ? AND number = ?"
)
INSERT_MILESTONE = (
    "INSERT OR IGNORE INTO milestones (resident_id, household_id, village_id, name, flow_id,"
    f" reached_at) VALUES (?, {RESIDENT_HOUSEHOLD}, {RESIDENT_VILLAGE}, ?, ?, ?)"
)
INSERT_FOLLOWUP = (
    "INSERT INTO followups (resident_id, household_id, village_id, reason, flow_id, step_id,"
    f" opened_at) VALUES (?, {RESIDENT_HOUSEHOLD}, {RESIDENT_VILLAGE}, ?, ?, ?, ?)"
)
INSERT_PROGRESS = (
    "INSERT INTO progress (at, resident_id, household_id, village_id, run_number, flow_id,"
    f" version, step_id, event, detail) VALUES (?, ?, {RESIDENT_HOUSEHOLD}, {RESIDENT_VILLAGE},"
    " ?, ?, ?, ?, ?, ?)"
)
ANONYMISE_PROGRESS = (
    "UPDATE progress SET resident_id = NULL, household_id = NULL WHERE resident_id = ?"
)
ANONYMISE_MILESTONES = (
    "UPDATE milestones SET resident_id = NULL, household_id = NULL WHERE resident_id = ?"
)
DELETE_RESIDENT = "DELETE FROM residents WHERE id = ?"
DELETE_EMPTY_HOUSEHOLDS = (
    "DELETE FROM households WHERE id NOT IN"
    " (SELECT household_id FROM residents WHERE household_id IS NOT NULL) AND code = ?"
)
INSERT_SEEN = "INSERT OR IGNORE INTO inbound_seen (channel, key, seen_at) VALUES (?, ?, ?)"
INSERT_OUTBOX = (
    "INSERT INTO outbox (id, channel, external_id, body, created_at) VALUES (?, ?, ?, ?, ?)"
)

ORDER = (
    INSERT_HOUSEHOLD, JOIN_HOUSEHOLD, UPDATE_RESIDENT, INSERT_CONSENT, START_RUN, END_RUN,
    UPDATE_RUN, INSERT_MILESTONE, INSERT_FOLLOWUP, INSERT_PROGRESS, ANONYMISE_PROGRESS,
    ANONYMISE_MILESTONES, DELETE_RESIDENT, DELETE_EMPTY_HOUSEHOLDS, INSERT_SEEN, INSERT_OUTBOX,
)  # fmt: skip


@dataclass(frozen=True)
class Delivery:
    """A message waiting in the outbox for its channel to send it."""

    id: str
    channel: str
    external_id: str
    message: Outbound


@dataclass(frozen=True)
class Who:
    """The resident a message came from, and where to answer."""

    resident_id: int
    channel: str
    external_id: str


def message_writes(
    who: Who, result: Result, now: str, seen_key: str | None, household_before: str | None
) -> tuple[Batch, list[Delivery]]:
    """Every write for one handled message, and the deliveries it queues."""
    batch = Batch()
    rid = who.resident_id
    forgotten = any(e.kind == "forget" for e in result.effects)
    _effects_before(batch, rid, result, now)
    if not forgotten:
        _resident(batch, rid, result, now)
    _runs(batch, rid, result, now)
    _effects_after(batch, rid, result.effects, now)
    _progress(batch, rid, result.events, now)
    if forgotten:
        _forget(batch, rid, household_before)
    if seen_key is not None:
        batch.add(INSERT_SEEN, (who.channel, seen_key, now))
    return batch, _outbox(batch, who, result.messages, now)


def _effects_before(batch: Batch, rid: int, result: Result, now: str) -> None:
    village = result.state.village_id
    for effect in result.effects:
        if effect.kind == "create_household":
            batch.add(INSERT_HOUSEHOLD, (effect.detail, village, now))
        if effect.kind in ("create_household", "join_household"):
            batch.add(JOIN_HOUSEHOLD, (effect.detail, rid))


def _resident(batch: Batch, rid: int, result: Result, now: str) -> None:
    state = result.state
    consent_at = now if state.consent else None
    params = (state.name, state.village_id, state.lang, dump_state(state), now, consent_at, rid)
    batch.add(UPDATE_RESIDENT, params)


def _runs(batch: Batch, rid: int, result: Result, now: str) -> None:
    for event in result.events:
        if event.kind == "run_started":
            batch.add(START_RUN, (rid, event.run, rid, rid, event.flow_id, event.version, now, now))
        elif event.kind == "run_ended":
            batch.add(END_RUN, (event.detail, now, now, rid, event.run))
    run: Run | None = result.state.run
    if run is not None:
        params = (run.status, run.top.step_id, now, run.remind_at, run.expire_at, rid, run.number)
        batch.add(UPDATE_RUN, params)


def _effects_after(batch: Batch, rid: int, effects: Sequence[Effect], now: str) -> None:
    for effect in effects:
        if effect.kind == "consent":
            batch.add(INSERT_CONSENT, (rid, effect.detail, now))
        elif effect.kind == "milestone":
            batch.add(INSERT_MILESTONE, (rid, rid, rid, effect.detail, effect.flow_id, now))
        elif effect.kind == "followup":
            params = (rid, rid, rid, effect.detail, effect.flow_id, effect.step_id, now)
            batch.add(INSERT_FOLLOWUP, params)


def _progress(batch: Batch, rid: int, events: Sequence[Event], now: str) -> None:
    for e in events:
        params = (now, rid, rid, rid, e.run, e.flow_id, e.version, e.step_id, e.kind, e.detail)
        batch.add(INSERT_PROGRESS, params)


def _forget(batch: Batch, rid: int, household_code: str | None) -> None:
    batch.add(ANONYMISE_PROGRESS, (rid,))
    batch.add(ANONYMISE_MILESTONES, (rid,))
    batch.add(DELETE_RESIDENT, (rid,))
    if household_code:
        batch.add(DELETE_EMPTY_HOUSEHOLDS, (household_code,))


def _outbox(batch: Batch, who: Who, messages: Sequence[Outbound], now: str) -> list[Delivery]:
    deliveries = []
    for message in messages:
        delivery = Delivery(uuid.uuid4().hex, who.channel, who.external_id, message)
        body = json.dumps(encode_outbound(message), ensure_ascii=False)
        batch.add(INSERT_OUTBOX, (delivery.id, who.channel, who.external_id, body, now))
        deliveries.append(delivery)
    return deliveries


def encode_outbound(message: Outbound) -> dict[str, object]:
    """An outbound message as JSON-ready data."""
    return {
        "text": message.text,
        "buttons": [[b.label, b.payload] for b in message.buttons],
        "media": [[m.kind, m.path] for m in message.media],
        "request": message.request,
    }
