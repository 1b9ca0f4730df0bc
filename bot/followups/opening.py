"""Opens follow-ups from a resident's message: one open per resident and flow, cards at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from bot.engine import texts
from bot.engine.types import Commune, Effect, Result, Translator
from bot.flows.registry import FlowRegistry
from bot.followups.cards import View, card
from bot.followups.contacts import recipients
from bot.followups.outgoing import offer
from bot.followups.recent import Recent
from bot.followups.relay import Relays
from bot.staff.directory import Directory
from bot.store.batch import Batch
from bot.store.counter import Counter
from bot.store.db import Database
from bot.store.followups import ADD_REASON, INSERT_EVENT, INSERT_FOLLOWUP, open_followup
from bot.store.writes import Delivery, Who


def reason_of(effect: Effect) -> str:
    """The kind of reason: a known one, or "handoff" for a flow's own `handoff:` text."""
    return effect.detail if effect.detail in texts.FU_REASONS else "handoff"


class Opener:
    """Adds a message's follow-up writes and staff cards to its batch."""

    def __init__(
        self,
        db: Database,
        staff: Directory,
        flows: FlowRegistry,
        tr: Translator,
        commune: Commune,
        outbox_id: Callable[[], int],
    ) -> None:
        self.db, self.staff, self.flows, self.tr = db, staff, flows, tr
        self.commune = commune
        self.outbox_id = outbox_id
        self.ids = Counter(db, "followups")
        self.recent = Recent()
        self.relays = Relays(db, staff, tr, outbox_id)

    async def start(self) -> None:
        """Read the next follow-up id and the conversations with staff open."""
        await self.ids.load()
        await self.relays.load()

    async def add(self, who: Who, result: Result, batch: Batch, now: datetime) -> list[Delivery]:
        """Open or add to follow-ups for the message's `followup` effects; the cards queued."""
        cards: list[Delivery] = []
        opened: dict[str, int] = {}  # flow id -> follow-up opened by this same message
        for effect in result.effects:
            if effect.kind == "followup":
                cards += await self._one(who, result, effect, (batch, opened), now)
        return cards

    async def _one(
        self,
        who: Who,
        result: Result,
        effect: Effect,
        into: tuple[Batch, dict[str, int]],
        now: datetime,
    ) -> list[Delivery]:
        batch, opened = into
        at, reason = now.isoformat(), reason_of(effect)
        recent = json.dumps(self.recent.of(who.resident_id), ensure_ascii=False)
        found = await open_followup(self.db, who.resident_id, effect.flow_id)
        existing = found[0] if found else opened.get(effect.flow_id or "")
        if existing is not None:
            batch.add(ADD_REASON, (reason, effect.step_id, at, recent, existing))
            batch.add(INSERT_EVENT, (existing, at, "resident", "reason", reason))
            return []
        fid = self.ids.take()
        village = result.state.village_id
        to = recipients(self.staff, village)
        escalated = at if to and all(m.is_official for m in to) else None
        params = (fid, who.resident_id, reason, effect.flow_id, effect.step_id, at, recent)
        batch.add(INSERT_FOLLOWUP, (*params, escalated))
        batch.add(INSERT_EVENT, (fid, at, "resident", "opened", reason))
        opened[effect.flow_id or ""] = fid
        view = View(
            fid, result.state.name or "", self.commune.village_name(village), effect.flow_id,
            effect.step_id, (reason,), at, tuple(self.recent.of(who.resident_id)),
        )  # fmt: skip
        return offer(batch, self.outbox_id, to, card(self.tr, self.flows, view, now), at)
