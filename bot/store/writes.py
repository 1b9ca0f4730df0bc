"""The writes one resident's message makes, as SQL in one fixed order (see Batch.grouped)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.engine.linking import LINK_MINUTES
from bot.engine.types import Effect, Event, Outbound, Result, Run, State
from bot.store.batch import Batch
from bot.store.codes import (
    DROP_OLD_LINK_CODES,
    INSERT_GUESS,
    INSERT_LINK_CODE,
    PRUNE_GUESSES,
    USE_LINK_CODES,
    code_hash,
)
from bot.store.followups import ADD_REASON, INSERT_FOLLOWUP, OFFER
from bot.store.followups import INSERT_EVENT as INSERT_FOLLOWUP_EVENT

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

HOUSEHOLD = "(SELECT id FROM households WHERE code = ?)"
RESIDENT_HOUSEHOLD = "(SELECT household_id FROM residents WHERE id = ?)"
RESIDENT_VILLAGE = "(SELECT village_id FROM residents WHERE id = ?)"

INSERT_RESIDENT = "INSERT INTO residents (id, created_at, updated_at) VALUES (?, ?, ?)"
INSERT_IDENTITY = (
    "INSERT INTO identities (channel, external_id, resident_id, created_at) VALUES (?, ?, ?, ?)"
)
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
# Every message to any of the resident's identities, sent or not: a reply can repeat what they
# typed. Runs before DELETE_RESIDENT, whose cascade removes the identities; this message's own
# replies (INSERT_OUTBOX, after it) are kept and sent.
DELETE_OUTBOX_TO_RESIDENT = (
    "DELETE FROM outbox WHERE (channel, external_id) IN"
    " (SELECT channel, external_id FROM identities WHERE resident_id = ?)"
)
# When the resident last wrote to a Zalo OA (its 7-day window), by their OA user id; without a
# row the goodbye is still sent, and a row is made again if they write again.
DELETE_OA_WINDOW_OF_RESIDENT = (
    "DELETE FROM zalo_oa_users WHERE user_id IN"
    " (SELECT external_id FROM identities WHERE resident_id = ? AND channel = 'zalo_oa')"
)
DELETE_RESIDENT = "DELETE FROM residents WHERE id = ?"
LINK_IDENTITY = "UPDATE identities SET resident_id = ? WHERE resident_id = ?"
MOVE_PROGRESS = (
    "UPDATE progress SET resident_id = ?1, household_id ="
    " (SELECT household_id FROM residents WHERE id = ?1) WHERE resident_id = ?2"
)
DELETE_EMPTY_HOUSEHOLDS = (
    "DELETE FROM households WHERE id NOT IN"
    " (SELECT household_id FROM residents WHERE household_id IS NOT NULL) AND code = ?"
)
INSERT_FAILED = (
    "INSERT INTO failed_inbound (channel, key, resident_id, error, failed_at)"
    " VALUES (?, ?, ?, ?, ?)"
)
# The tap on a broadcast's button, recorded on the latest broadcast with that flow sent to them.
TAP_BROADCAST = (
    "UPDATE broadcast_recipients SET tapped_at = ? WHERE id = (SELECT MAX(r.id) FROM"
    " broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id WHERE r.channel = ?"
    " AND r.external_id = ? AND b.flow_id = ? AND r.state IN ('queued', 'sent'))"
    " AND tapped_at IS NULL"
)
INSERT_SEEN = "INSERT OR IGNORE INTO inbound_seen (channel, key, seen_at) VALUES (?, ?, ?)"
INSERT_OUTBOX = (
    "INSERT INTO outbox (id, channel, external_id, body, created_at) VALUES (?, ?, ?, ?, ?)"
)

ORDER = (
    INSERT_RESIDENT, INSERT_IDENTITY, INSERT_HOUSEHOLD, JOIN_HOUSEHOLD, UPDATE_RESIDENT,
    INSERT_CONSENT, START_RUN, END_RUN, UPDATE_RUN, INSERT_MILESTONE, INSERT_FOLLOWUP, ADD_REASON,
    INSERT_FOLLOWUP_EVENT, OFFER, INSERT_PROGRESS, ANONYMISE_PROGRESS, ANONYMISE_MILESTONES,
    LINK_IDENTITY, MOVE_PROGRESS,
    DELETE_OUTBOX_TO_RESIDENT, DELETE_OA_WINDOW_OF_RESIDENT, DELETE_RESIDENT,
    DELETE_EMPTY_HOUSEHOLDS, USE_LINK_CODES, DROP_OLD_LINK_CODES, INSERT_LINK_CODE, INSERT_GUESS,
    PRUNE_GUESSES, INSERT_FAILED, TAP_BROADCAST, INSERT_SEEN, INSERT_OUTBOX,
)  # fmt: skip


@dataclass(frozen=True)
class Delivery:
    """A message waiting in the outbox for its channel to send it."""

    id: int
    channel: str
    external_id: str
    message: Outbound
    parts_sent: int = 0
    bulk: bool = False  # a broadcast: sent after every reply waiting on the channel


@dataclass(frozen=True)
class Who:
    """The resident a message came from, where to answer, and whether they are new."""

    resident_id: int
    channel: str
    external_id: str
    new: bool = False


class MessageWrites:
    """Every write of one handled message, in the order of ORDER."""

    def __init__(self, who: Who, now: str, outbox_id: Callable[[], int]) -> None:
        self.who = who
        self.rid = who.resident_id
        self.now = now
        self.outbox_id = outbox_id
        self.batch = Batch()

    def build(
        self, result: Result, state_json: str, seen_key: str | None, household_before: str | None
    ) -> tuple[Batch, list[Delivery]]:
        """The batch for the store, and the deliveries it queues."""
        forgotten = any(e.kind == "forget" for e in result.effects)
        linked = next((int(e.detail) for e in result.effects if e.kind == "link_identity"), None)
        if self.who.new:
            self._create()
        self._households(result)
        if not forgotten and linked is None:
            self._resident(result.state, state_json)
        self._runs(result)
        self._effects(result.effects)
        self._progress(result.events)
        if forgotten:
            self._forget(household_before)
        if linked is not None:
            self._link(linked)
        if seen_key is not None:
            self.batch.add(INSERT_SEEN, (self.who.channel, seen_key, self.now))
        return self.batch, self._outbox(result.messages)

    def reply_only(
        self, messages: Sequence[Outbound], seen_key: str | None
    ) -> tuple[Batch, list[Delivery]]:
        """A batch that only answers: the dedupe key and the replies, nothing about the message
        (nor a resident row for someone new)."""
        if seen_key is not None:
            self.batch.add(INSERT_SEEN, (self.who.channel, seen_key, self.now))
        return self.batch, self._outbox(messages)

    def failure(
        self, seen_key: str | None, error: str, answer: Outbound
    ) -> tuple[Batch, list[Delivery]]:
        """A message that could not be handled: recorded (never its text), seen, answered."""
        resident = None if self.who.new else self.rid
        self.batch.add(INSERT_FAILED, (self.who.channel, seen_key, resident, error, self.now))
        return self.reply_only([answer], seen_key)

    def _create(self) -> None:
        who = self.who
        self.batch.add(INSERT_RESIDENT, (self.rid, self.now, self.now))
        self.batch.add(INSERT_IDENTITY, (who.channel, who.external_id, self.rid, self.now))

    def _households(self, result: Result) -> None:
        for effect in result.effects:
            if effect.kind == "create_household":
                params = (effect.detail, result.state.village_id, self.now)
                self.batch.add(INSERT_HOUSEHOLD, params)
            if effect.kind in ("create_household", "join_household"):
                self.batch.add(JOIN_HOUSEHOLD, (effect.detail, self.rid))

    def _resident(self, state: State, state_json: str) -> None:
        consent_at = self.now if state.consent else None
        params = (state.name, state.village_id, state.lang, state_json, self.now, consent_at)
        self.batch.add(UPDATE_RESIDENT, (*params, self.rid))

    def _runs(self, result: Result) -> None:
        rid, now = self.rid, self.now
        for e in result.events:
            if e.kind == "run_started":
                self.batch.add(START_RUN, (rid, e.run, rid, rid, e.flow_id, e.version, now, now))
            elif e.kind == "run_ended":
                self.batch.add(END_RUN, (e.detail, now, now, rid, e.run))
        run: Run | None = result.state.run
        if run is not None:
            params = (run.status, run.top.step_id, now, run.remind_at, run.expire_at)
            self.batch.add(UPDATE_RUN, (*params, rid, run.number))

    def _effects(self, effects: Sequence[Effect]) -> None:
        rid, now = self.rid, self.now
        for e in effects:
            if e.kind == "consent":
                self.batch.add(INSERT_CONSENT, (rid, e.detail, now))
            elif e.kind == "milestone":
                self.batch.add(INSERT_MILESTONE, (rid, rid, rid, e.detail, e.flow_id, now))
            elif e.kind == "link_code":
                self._link_code(e.detail)
            elif e.kind == "broadcast_tap":
                tap = (now, self.who.channel, self.who.external_id, e.flow_id)
                self.batch.add(TAP_BROADCAST, tap)

    def _link_code(self, code: str) -> None:
        """A linking code for this resident, kept as a hash; any older one stops working."""
        now = int(datetime.fromisoformat(self.now).timestamp())
        self.batch.add(DROP_OLD_LINK_CODES, (self.rid, now))
        self.batch.add(INSERT_LINK_CODE, (code_hash(code), self.rid, now + LINK_MINUTES * 60))

    def _progress(self, events: Sequence[Event]) -> None:
        rid, now = self.rid, self.now
        for e in events:
            params = (now, rid, rid, rid, e.run, e.flow_id, e.version, e.step_id, e.kind, e.detail)
            self.batch.add(INSERT_PROGRESS, params)

    def _forget(self, household_code: str | None) -> None:
        """Delete the resident and every row about them; the progress log and milestones stay,
        anonymised. Identities, consents, runs and follow-ups go with the resident's row (ON
        DELETE CASCADE); secure_delete overwrites what was deleted."""
        self.batch.add(ANONYMISE_PROGRESS, (self.rid,))
        self.batch.add(ANONYMISE_MILESTONES, (self.rid,))
        self.batch.add(DELETE_OUTBOX_TO_RESIDENT, (self.rid,))
        self.batch.add(DELETE_OA_WINDOW_OF_RESIDENT, (self.rid,))
        self.batch.add(DELETE_RESIDENT, (self.rid,))
        if household_code:
            self.batch.add(DELETE_EMPTY_HOUSEHOLDS, (household_code,))

    def _link(self, resident_id: int) -> None:
        """This identity is a known resident's: move it and this message's log to them, use up
        their linking code, and delete the resident made for it on first contact."""
        self.batch.add(LINK_IDENTITY, (resident_id, self.rid))
        self.batch.add(USE_LINK_CODES, (resident_id,))
        self.batch.add(MOVE_PROGRESS, (resident_id, self.rid))
        self.batch.add(DELETE_RESIDENT, (self.rid,))

    def _outbox(self, messages: Sequence[Outbound]) -> list[Delivery]:
        who = self.who
        deliveries = []
        for message in messages:
            delivery = Delivery(self.outbox_id(), who.channel, who.external_id, message)
            body = _dumps(encode_outbound(message))
            params = (delivery.id, who.channel, who.external_id, body, self.now)
            self.batch.add(INSERT_OUTBOX, params)
            deliveries.append(delivery)
        return deliveries


def encode_outbound(message: Outbound) -> dict[str, object]:
    """An outbound message as JSON-ready data."""
    return {
        "text": message.text,
        "buttons": [[b.label, b.payload] for b in message.buttons],
        "media": [[m.kind, m.path, m.fallback] for m in message.media],
        "request": message.request,
        "request_label": message.request_label,
    }
