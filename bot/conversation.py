"""The conversation service: one resident's message in, under their lock, in one transaction."""

from __future__ import annotations

import asyncio
import random
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.engine.conversation import handle
from bot.engine.flow import Flow
from bot.engine.textnorm import digits
from bot.engine.types import Commune, Context, Facts, Inbound, Result, State, Translator
from bot.flows.parse import parse_flow
from bot.flows.registry import FlowRegistry
from bot.i18n.catalogs import LANGUAGE_NAMES
from bot.store.batch import Batch
from bot.store.codec import dump_state, load_state
from bot.store.db import Database
from bot.store.writes import Delivery, Who, message_writes

CACHE_SIZE = 20_000
Clock = Callable[[], datetime]


@dataclass
class _Snapshot:
    """What the service keeps of a resident between messages (a write-through cache)."""

    state_json: str


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
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._identity_lock = asyncio.Lock()
        self._cache: OrderedDict[int, _Snapshot] = OrderedDict()
        self._seen: set[tuple[str, str]] = set()
        self._identities: dict[tuple[str, str], int] = {}

    async def handle(
        self, channel: str, external_id: str, inbound: Inbound, key: str | None = None
    ) -> list[Delivery]:
        """Handle one message; `key` (e.g. an update id) makes a repeated message a no-op."""
        resident_id = await self.resident_id(channel, external_id)
        async with self._locks[resident_id]:
            if key is not None and await self._already_seen(channel, key):
                return []
            who = Who(resident_id, channel, external_id)
            return await self._handle_locked(who, inbound, key)

    async def _handle_locked(self, who: Who, inbound: Inbound, key: str | None) -> list[Delivery]:
        state = await self._state(who.resident_id)
        await self._ensure_versions(state)
        household_before = state.household_code
        ctx = Context(
            now=self.clock(),
            flows=self.flows,
            commune=self.commune,
            tr=self.tr,
            facts=await self._facts(state, inbound),
            language_names=LANGUAGE_NAMES,
        )
        result = handle(state, inbound, ctx)
        now = ctx.now.isoformat()
        batch, deliveries = message_writes(who, result, now, key, household_before)
        await self.db.commit(batch)
        self._remember(who, result, key)
        return deliveries

    def _remember(self, who: Who, result: Result, key: str | None) -> None:
        if any(e.kind == "forget" for e in result.effects):
            self._cache.pop(who.resident_id, None)
            self._identities.pop((who.channel, who.external_id), None)
        else:
            self._cache[who.resident_id] = _Snapshot(dump_state(result.state))
            self._cache.move_to_end(who.resident_id)
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        if key is not None:
            self._seen.add((who.channel, key))

    # --- residents -------------------------------------------------------------------------

    async def resident_id(self, channel: str, external_id: str) -> int:
        """The resident behind a channel identity, created on first contact."""
        cached = self._identities.get((channel, external_id))
        if cached is not None:
            return cached
        async with self._identity_lock:
            row = await self.db.one(
                "SELECT resident_id FROM identities WHERE channel = ? AND external_id = ?",
                (channel, external_id),
            )
            rid = int(row[0]) if row else await self._create_resident(channel, external_id)
        self._identities[(channel, external_id)] = rid
        return rid

    async def _create_resident(self, channel: str, external_id: str) -> int:
        now = self.clock().isoformat()

        async def create(conn: aiosqlite.Connection) -> int:
            cursor = await conn.execute(
                "INSERT INTO residents (created_at, updated_at) VALUES (?, ?)", (now, now)
            )
            rid = int(cursor.lastrowid or 0)
            await conn.execute(
                "INSERT INTO identities (channel, external_id, resident_id, created_at)"
                " VALUES (?, ?, ?, ?)",
                (channel, external_id, rid, now),
            )
            return rid

        return await self.db.transaction(create)

    async def _state(self, resident_id: int) -> State:
        snapshot = self._cache.get(resident_id)
        if snapshot is None:
            row = await self.db.one("SELECT state FROM residents WHERE id = ?", (resident_id,))
            snapshot = _Snapshot(row[0] if row else "{}")
        return load_state(snapshot.state_json)

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

    async def _facts(self, state: State, inbound: Inbound) -> Facts:
        code = None
        if state.stage == "code":
            code = digits(inbound.text)
        elif state.stage == "village" and state.pending.get("join_code"):
            code = digits(str(state.pending["join_code"]))
        found = await self._household_exists(code) if code else None
        fresh = await self._fresh_code() if state.stage in ("household", "code") else ""
        return Facts(household_found=found, new_household_code=fresh)

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
