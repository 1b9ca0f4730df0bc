"""The conversation service: one resident's message in, under their lock, in one transaction."""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import TypeVar

from bot.engine.conversation import handle
from bot.engine.flow import Flow
from bot.engine.textnorm import digits
from bot.engine.texts import NOT_HANDLED, WORDS_TYPED
from bot.engine.types import Commune, Context, Facts, Inbound, Outbound, Result, State, Translator
from bot.engine.words import translated_forms
from bot.flows.parse import parse_flow
from bot.flows.registry import FlowRegistry
from bot.i18n.catalogs import LANGUAGE_NAMES
from bot.locks import KeyedLocks
from bot.store.batch import Batch
from bot.store.codec import dump_state, load_state
from bot.store.counter import Counter
from bot.store.db import Database
from bot.store.identities import Identities
from bot.store.writes import Delivery, MessageWrites, Who

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

CACHE_SIZE = 20_000  # residents whose state is kept in memory
SEEN_SIZE = 100_000  # dedupe keys kept in memory (all are in inbound_seen too)
Clock = Callable[[], datetime]


class ConversationService:
    """Loads a resident, asks the engine, stores the outcome, and queues the replies."""

    def __init__(
        self,
        db: Database,
        flows: FlowRegistry,
        commune: Commune,
        tr: Translator,
        clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.flows = flows
        self.commune = commune
        self.tr = tr
        self.clock = clock
        self.rng = rng or random.Random()
        self.identities = Identities(db)
        self.outbox_ids = Counter(db, "outbox")
        self._locks = KeyedLocks()
        self._states: OrderedDict[int, str] = OrderedDict()
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._words = translated_forms(
            {
                w: [tr.ui(lang, text) for lang in commune.languages]
                for w, text in WORDS_TYPED.items()
            }
        )

    async def start(self) -> None:
        """Read what the service counts from (the next resident and outbox ids)."""
        await self.identities.load()
        await self.outbox_ids.load()

    async def handle(
        self, channel: str, external_id: str, inbound: Inbound, key: str | None = None
    ) -> list[Delivery]:
        """Handle one message; `key` (e.g. an update id) makes a repeated message a no-op."""
        resident_id = await self.identities.resident_id(channel, external_id)
        async with self._locks.hold(resident_id):
            if key is not None and await self._already_seen(channel, key):
                return []
            who = Who(resident_id, channel, external_id, self.identities.is_unsaved(resident_id))
            return await self._handle_locked(who, inbound, key)

    async def record_failure(
        self, channel: str, external_id: str, key: str | None, error: str
    ) -> list[Delivery]:
        """A message that could not be handled: record it, mark it seen, answer kindly."""
        resident_id = await self.identities.resident_id(channel, external_id)
        async with self._locks.hold(resident_id):
            if key is not None and await self._already_seen(channel, key):
                return []
            who = Who(resident_id, channel, external_id, self.identities.is_unsaved(resident_id))
            answer = Outbound(self.tr.ui(await self._language(who), NOT_HANDLED))
            writes = MessageWrites(who, self.clock().isoformat(), self.outbox_ids.take)
            batch, deliveries = writes.failure(key, error, answer)
            await self.db.commit(batch)
            if key is not None:
                _remember_lru(self._seen, (channel, key), None, SEEN_SIZE)
            return deliveries

    async def _language(self, who: Who) -> str:
        """The resident's language, read without their state (which may be what fails)."""
        row = None
        if not who.new:
            row = await self.db.one("SELECT lang FROM residents WHERE id = ?", (who.resident_id,))
        return str(row[0]) if row and row[0] else self.commune.languages[0]

    async def _handle_locked(self, who: Who, inbound: Inbound, key: str | None) -> list[Delivery]:
        state = await self._state(who)
        await self._ensure_versions(state)
        household_before = state.household_code
        ctx = Context(
            now=self.clock(),
            flows=self.flows,
            commune=self.commune,
            tr=self.tr,
            facts=await self._facts(state, inbound, who),
            language_names=LANGUAGE_NAMES,
            words=self._words,
        )
        result = handle(state, inbound, ctx)
        state_json = dump_state(result.state)
        writes = MessageWrites(who, ctx.now.isoformat(), self.outbox_ids.take)
        batch, deliveries = writes.build(result, state_json, key, household_before)
        await self.db.commit(batch)
        self._remember(who, result, state_json, key)
        return deliveries

    def _remember(self, who: Who, result: Result, state_json: str, key: str | None) -> None:
        self.identities.saved(who.resident_id)
        linked = next((e for e in result.effects if e.kind == "link_identity"), None)
        if linked is not None:
            self._states.pop(who.resident_id, None)
            self.identities.link(who.channel, who.external_id, int(linked.detail))
        elif any(e.kind == "forget" for e in result.effects):
            self._states.pop(who.resident_id, None)
            self.identities.forget(who.channel, who.external_id)
        else:
            _remember_lru(self._states, who.resident_id, state_json, CACHE_SIZE)
        if key is not None:
            _remember_lru(self._seen, (who.channel, key), None, SEEN_SIZE)

    async def _state(self, who: Who) -> State:
        if who.new:
            return State()
        text = self._states.get(who.resident_id)
        if text is None:
            row = await self.db.one("SELECT state FROM residents WHERE id = ?", (who.resident_id,))
            text = row[0] if row else "{}"
        return load_state(text)

    async def _already_seen(self, channel: str, key: str) -> bool:
        if (channel, key) in self._seen:
            return True
        row = await self.db.one(
            "SELECT 1 FROM inbound_seen WHERE channel = ? AND key = ?", (channel, key)
        )
        return row is not None

    # --- what the engine needs looked up ---------------------------------------------------

    async def _ensure_versions(self, state: State) -> None:
        """Read back from the store any flow version a run is in that is not loaded now."""
        if state.run is None:
            return
        for frame in state.run.frames:
            if self.flows.version(frame.flow_id, frame.version) is None:
                flow = await self._stored_version(frame.flow_id, frame.version)
                if flow is not None:
                    self.flows.keep(flow)

    async def _stored_version(self, flow_id: str, version: str) -> Flow | None:
        row = await self.db.one(
            "SELECT path, source FROM flow_versions WHERE flow_id = ? AND version = ?",
            (flow_id, version),
        )
        if row is None:
            return None
        flow, _ = parse_flow(row[0], row[1])
        return flow

    async def _facts(self, state: State, inbound: Inbound, who: Who) -> Facts:
        code = None
        if state.stage == "code":
            code = digits(inbound.text)
        elif state.stage in ("name", "village") and state.pending.get("join_code"):
            code = digits(str(state.pending["join_code"]))
        found = await self._household_exists(code) if code else None
        fresh = await self._fresh_code() if state.stage in ("household", "code") else ""
        members = await self._members(found, who) if found and state.stage == "code" else ()
        return Facts(household_found=found, household_members=members, new_household_code=fresh)

    async def _members(self, code: str, who: Who) -> tuple[tuple[int, str], ...]:
        """The household's residents known by name, other than the one writing."""
        rows = await self.db.all(
            "SELECT r.id, r.name FROM residents r JOIN households h ON r.household_id = h.id"
            " WHERE h.code = ? AND r.name IS NOT NULL AND r.id != ? ORDER BY r.id",
            (code, who.resident_id),
        )
        return tuple((int(r[0]), str(r[1])) for r in rows)

    async def _household_exists(self, code: str) -> str | None:
        row = await self.db.one("SELECT code FROM households WHERE code = ?", (code,))
        return str(row[0]) if row else None

    async def _fresh_code(self) -> str:
        while True:
            code = f"{self.rng.randrange(100000, 1000000)}"
            if await self._household_exists(code) is None:
                return code


async def record_flow_versions(db: Database, flows: FlowRegistry, sources: dict[str, str]) -> None:
    """Keep the source of every current flow version, so runs survive edits and restarts."""
    batch = Batch()
    now = datetime.now().isoformat()
    for flow in flows.all_current():
        batch.add(
            "INSERT OR IGNORE INTO flow_versions (flow_id, version, path, source, loaded_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (flow.id, flow.version, flow.path, sources[flow.id], now),
        )
    await db.commit(batch)


def _remember_lru(cache: OrderedDict[K, V], key: K, value: V, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > size:
        cache.popitem(last=False)
