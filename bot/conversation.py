"""The conversation service: one resident's message in, under their lock, in one transaction."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from bot import edge
from bot.channels.capabilities import buttons_max
from bot.codes import Codes
from bot.engine import address
from bot.engine.conversation import handle
from bot.engine.flow import Flow
from bot.engine.texts import NOT_HANDLED, RELAY_ENDED, TOO_LONG, WORDS_TYPED
from bot.engine.timed import timed
from bot.engine.types import Commune, Context, Inbound, Outbound, Result, State, Translator
from bot.engine.words import translated_forms, word_of
from bot.flows.parse import parse_flow
from bot.flows.registry import FlowRegistry
from bot.i18n.catalogs import LANGUAGE_NAMES
from bot.locks import KeyedLocks
from bot.notices import linked_notices
from bot.store.batch import Batch
from bot.store.codec import dump_state, load_state
from bot.store.counter import Counter
from bot.store.db import Database
from bot.store.followups import LAST_PROGRESS, MARK_ASSISTED
from bot.store.identities import Identities
from bot.store.writes import Delivery, MessageWrites, Who

if TYPE_CHECKING:
    from bot.followups.opening import Opener

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# The identity to remind: a reachable one first, the latest first (the third column is set when
# it is unreachable).
REACH = (
    "SELECT channel, external_id, unreachable_at FROM identities WHERE resident_id = ?"
    " ORDER BY unreachable_at IS NOT NULL, created_at DESC LIMIT 1"
)
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
    ) -> None:
        self.db = db
        self.flows = flows
        self.commune = commune
        self.tr = tr
        self.clock = clock
        self.identities = Identities(db)
        self.outbox_ids = Counter(db, "outbox")
        self._locks = KeyedLocks()
        self._states: OrderedDict[int, str] = OrderedDict()
        self._seen: OrderedDict[tuple[str, str], datetime] = OrderedDict()
        self._words = translated_forms(
            {
                w: [tr.ui(lang, text) for lang in commune.languages]
                for w, text in WORDS_TYPED.items()
            }
        )
        self.codes = Codes(db, self._words, len(commune.villages) == 1)
        self._routes: dict[str, Callable[[Iterable[Delivery]], None]] = {}
        self.followups: Opener | None = None  # set by the app: follow-ups and their cards

    async def start(self) -> None:
        """Read what the service counts from (the next resident and outbox ids)."""
        await self.identities.load()
        await self.outbox_ids.load()

    def route(self, channel: str, send: Callable[[Iterable[Delivery]], None]) -> None:
        """Where a running channel takes messages queued for it by another channel's message."""
        self._routes[channel] = send

    def dispatch(self, deliveries: Iterable[Delivery]) -> None:
        """Hand queued messages to their running channels; the others stay in the outbox and
        are sent when their channel next starts."""
        for delivery in deliveries:
            send = self._routes.get(delivery.channel)
            if send is not None:
                send([delivery])

    async def handle(
        self, channel: str, external_id: str, inbound: Inbound, key: str | None = None
    ) -> list[Delivery]:
        """Handle one message; `key` (e.g. an update id) makes a repeated message a no-op.

        A message over edge.TEXT_MAX characters is refused with one short answer, before it is
        read, stored or given to the engine; any other text is made storable first.
        """
        refused = edge.too_long(inbound)
        if not refused:
            inbound = edge.clean(inbound)
        external_id, key = edge.storable(external_id), key and edge.storable(key)
        resident_id = await self.identities.resident_id(channel, external_id)
        async with self._locks.hold(resident_id):
            if key is not None and await self._already_seen(channel, key):
                return []
            who = Who(resident_id, channel, external_id, self.identities.is_unsaved(resident_id))
            if refused:
                return await self._refuse_too_long(who, key)
            ended = await self._relay(who, inbound, key)
            if ended is None:
                deliveries, linked = await self._handle_locked(who, inbound, key)
        if ended is not None:  # passed on to staff; once ended, the run goes on
            return await self.timed(resident_id, "resume", RELAY_ENDED) if ended else []
        if linked:  # show where the resident stands, now as the person they linked to
            deliveries += await self.handle(channel, external_id, Inbound("start"))
            await self._tell_other_messengers(channel, external_id)
        return deliveries

    async def _relay(self, who: Who, inbound: Inbound, key: str | None) -> bool | None:
        """A text of a resident in a conversation with staff goes to them (bot/followups/
        relay.py): None when it does not, else whether it ended the conversation."""
        relays = self.followups.relays if self.followups else None
        if relays is None or who.resident_id not in relays.open:
            return None
        if not relays.takes(who.resident_id, inbound, self._words):  # back to the bot
            self.dispatch(await relays.close(who, self.clock()))
            return None
        sent, ended = await relays.incoming(who, inbound, key, self.clock())
        if key is not None:
            _remember_lru(self._seen, (who.channel, key), self.clock(), SEEN_SIZE)
        self.dispatch(sent)
        return ended

    async def _refuse_too_long(self, who: Who, key: str | None) -> list[Delivery]:
        """Answer a too-long message kindly; only the dedupe key and the answer are stored."""
        state = await self._state(who)
        text = address.fill(self.tr.ui(state.lang, TOO_LONG), state, self.tr)
        text = text.replace("{max}", self.tr.number(state.lang, edge.TEXT_MAX))
        now = self.clock()
        writes = MessageWrites(who, now.isoformat(), self.outbox_ids.take)
        batch, deliveries = writes.reply_only([Outbound(text)], key)
        await self.db.commit(batch)
        if key is not None:
            _remember_lru(self._seen, (who.channel, key), now, SEEN_SIZE)
        return deliveries

    def forget_keys_before(self, cutoff: datetime) -> None:
        """Drop the dedupe keys remembered in memory before `cutoff` (pruned from the store)."""
        while self._seen and next(iter(self._seen.values())) < cutoff:
            self._seen.popitem(last=False)

    async def record_failure(
        self, channel: str, external_id: str, key: str | None, error: str
    ) -> list[Delivery]:
        """A message that could not be handled: record it, mark it seen, answer kindly."""
        resident_id = await self.identities.resident_id(channel, external_id)
        async with self._locks.hold(resident_id):
            if key is not None and await self._already_seen(channel, key):
                return []
            who = Who(resident_id, channel, external_id, self.identities.is_unsaved(resident_id))
            lang = await self._language(who)  # not the state: it may be what failed
            answer = Outbound(
                address.fill(self.tr.ui(lang, NOT_HANDLED), State(lang=lang), self.tr)
            )
            writes = MessageWrites(who, self.clock().isoformat(), self.outbox_ids.take)
            batch, deliveries = writes.failure(key, error, answer)
            await self.db.commit(batch)
            if key is not None:
                _remember_lru(self._seen, (channel, key), self.clock(), SEEN_SIZE)
            return deliveries

    async def timed(self, resident_id: int, kind: str, arg: str = "") -> list[Delivery]:
        """What happens to the resident's run without their writing (bot/engine/timed.py),
        under their lock and in one transaction; a resident who blocked the bot is sent
        nothing. The caller dispatches what is returned."""
        row = await self.db.one(REACH, (resident_id,))
        if row is None:
            return []
        who = Who(resident_id, str(row[0]), str(row[1]))
        async with self._locks.hold(resident_id):
            state = await self._state(who)
            await self._ensure_versions(state)
            now = self.clock()
            ctx = Context(now=now, flows=self.flows, commune=self.commune, tr=self.tr,
                          words=self._words, buttons_max=buttons_max(who.channel))  # fmt: skip
            result = timed(state, kind, ctx, arg)
            if row[2] is not None:  # unreachable: act, but send nothing
                result = replace(result, messages=())
            state_json = dump_state(result.state)
            writes = MessageWrites(who, now.isoformat(), self.outbox_ids.take)
            batch, deliveries = writes.build(result, state_json, None, state.household_code)
            cards = await self.followups.add(who, result, batch, now) if self.followups else []
            await self.db.commit(batch)
            _remember_lru(self._states, resident_id, state_json, CACHE_SIZE)
        self.dispatch(cards)
        return deliveries

    async def on_behalf(
        self, resident_id: int, inbound: Inbound, by: tuple[str, str, str], mark: Batch
    ) -> list[Outbound]:
        """A resident's message typed by staff at a visit (assisted mode): handled as theirs,
        its progress rows marked as assisted by the member, in one transaction with `mark`; the
        answers are returned for the member `by` (channel, external id, key) to see, not
        queued for the resident."""
        who = Who(resident_id, by[0], by[1])
        async with self._locks.hold(resident_id):
            state = await self._state(who)
            await self._ensure_versions(state)
            now = self.clock()
            ctx = Context(now=now, flows=self.flows, commune=self.commune, tr=self.tr,
                          words=self._words, buttons_max=buttons_max(by[0]))  # fmt: skip
            result = handle(state, inbound, ctx)
            state_json = dump_state(result.state)
            writes = MessageWrites(who, now.isoformat(), self.outbox_ids.take)
            batch, _ = writes.build(replace(result, messages=()), state_json, None, None)
            cards = await self.followups.add(who, result, batch, now) if self.followups else []
            last = await self.db.one(LAST_PROGRESS, (resident_id,))
            batch.add(MARK_ASSISTED, (by[2], resident_id, last[0] if last else 0))
            await self.db.commit(Batch.merge([batch, mark]))
            _remember_lru(self._states, resident_id, state_json, CACHE_SIZE)
        self.dispatch(cards)
        return list(result.messages)

    async def _language(self, who: Who) -> str:
        """The resident's language, read without their state (which may be what fails)."""
        row = None
        if not who.new:
            row = await self.db.one("SELECT lang FROM residents WHERE id = ?", (who.resident_id,))
        return str(row[0]) if row and row[0] else self.commune.languages[0]

    async def _tell_other_messengers(self, channel: str, external_id: str) -> None:
        resident_id = await self.identities.resident_id(channel, external_id)
        now = self.clock().isoformat()
        ids = self.outbox_ids.take
        notices = await linked_notices(
            self.db, self.tr, ids, resident_id, (channel, external_id), now
        )
        self.dispatch(notices)

    async def _handle_locked(
        self, who: Who, inbound: Inbound, key: str | None
    ) -> tuple[list[Delivery], bool]:
        state = await self._state(who)
        await self._ensure_versions(state)
        household_before = state.household_code
        now = self.clock()
        found = await self.codes.look_up(
            state, inbound, (who.channel, who.external_id), int(now.timestamp())
        )
        ctx = Context(
            now=now,
            flows=self.flows,
            commune=self.commune,
            tr=self.tr,
            facts=found.facts,
            language_names=LANGUAGE_NAMES,
            words=self._words,
            buttons_max=buttons_max(who.channel),
        )
        if self.followups is not None and inbound.kind == "text":
            secret = self._asks_secret(state) and word_of(inbound.text, self._words) is None
            self.followups.recent.add(who.resident_id, inbound.text, secret)
        result = handle(state, inbound, ctx)
        state_json = dump_state(result.state)
        writes = MessageWrites(who, now.isoformat(), self.outbox_ids.take)
        batch, deliveries = writes.build(result, state_json, key, household_before)
        for sql, params in found.writes:
            batch.add(sql, params)
        cards = await self.followups.add(who, result, batch, now) if self.followups else []
        await self.db.commit(batch)
        self.dispatch(cards)
        if key is not None:
            _remember_lru(self._seen, (who.channel, key), now, SEEN_SIZE)
        linked = self._remember(who, result, state_json)
        if any(e.kind == "forget" for e in result.effects):
            await self.db.erase_wal()  # the deleted rows' old pages leave the WAL too
        return deliveries, linked

    def _remember(self, who: Who, result: Result, state_json: str) -> bool:
        """Update the caches; True when the identity now belongs to another resident."""
        self.identities.saved(who.resident_id)
        linked = next((e for e in result.effects if e.kind == "link_identity"), None)
        if linked is not None:
            self._states.pop(who.resident_id, None)
            self.identities.link(who.channel, who.external_id, int(linked.detail))
        elif any(e.kind == "forget" for e in result.effects):
            self._states.pop(who.resident_id, None)
            self.identities.forget(who.resident_id)
            if self.followups is not None:
                self.followups.recent.forget(who.resident_id)
        else:
            _remember_lru(self._states, who.resident_id, state_json, CACHE_SIZE)
        return linked is not None

    async def _state(self, who: Who) -> State:
        if who.new:
            return State()
        text = self._states.get(who.resident_id)
        if text is None:
            row = await self.db.one("SELECT state FROM residents WHERE id = ?", (who.resident_id,))
            text = row[0] if row else "{}"
        return load_state(text)

    def _asks_secret(self, state: State) -> bool:
        """Whether the question on screen is one whose answer is masked (sensitive, CCCD)."""
        run = state.run
        if run is None or state.stage != "ready":
            return False
        flow = self.flows.version(run.top.flow_id, run.top.version)
        if flow is None or not flow.has_step(run.top.step_id):
            return False
        step = flow.step(run.top.step_id)
        return step.sensitive or step.input == "cccd"

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
