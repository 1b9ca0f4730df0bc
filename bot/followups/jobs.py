"""Timed work of follow-ups (run by app.ticker): run reminders and expiry, escalation, nudges."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.config import Config
from bot.conversation import ConversationService
from bot.engine import texts
from bot.engine.types import Outbound, Translator
from bot.flows.registry import FlowRegistry
from bot.followups.cards import buttons, card, staff_text
from bot.followups.outgoing import offer, queue_to_members
from bot.followups.views import views
from bot.quiet_hours import within
from bot.staff.directory import Directory
from bot.store.batch import Batch
from bot.store.db import Database
from bot.store.followups import INSERT_EVENT
from bot.store.pressure import store_trouble
from bot.store.writes import Delivery
from bot.ticker import Ticker

log = logging.getLogger(__name__)
DUE_RUNS = (
    "SELECT resident_id, ifnull(expire_at <= ?1, 0) FROM runs"
    " WHERE status IN ('active', 'paused') AND (remind_at <= ?1 OR expire_at <= ?1)"
    " ORDER BY resident_id LIMIT 200"
)
ESCALATE = "UPDATE followups SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL"
NUDGED = "UPDATE followups SET reminded_at = ? WHERE id = ?"


@dataclass(frozen=True)
class Timing:
    """When the jobs act (danvan.yaml `followups` and `quiet_hours`)."""

    escalate_after: timedelta = timedelta(hours=24)
    nudge_after: timedelta = timedelta(days=3)
    quiet: tuple[time, time] = (time(21, 0), time(6, 30))

    @classmethod
    def of(cls, config: Config) -> Timing:
        """The timing danvan.yaml sets."""
        start, end = (time.fromisoformat(t) for t in config.quiet_hours)
        return cls(
            escalate_after=timedelta(hours=config.escalate_hours),
            nudge_after=timedelta(hours=config.nudge_hours),
            quiet=(start, end),
        )


class FollowupJobs:
    """The three jobs; each marks its work done in the transaction that queues its messages."""

    def __init__(
        self,
        service: ConversationService,
        staff: Directory,
        flows: FlowRegistry,
        tr: Translator,
        timing: Timing,
    ) -> None:
        self.service, self.staff, self.flows, self.tr = service, staff, flows, tr
        self.db: Database = service.db
        self.timing = timing

    async def runs(self, now: datetime) -> None:
        """Remind idle runs once, and expire them into follow-ups; never in quiet hours."""
        if within(*self.timing.quiet, now):
            return
        for resident_id, expired in await self.db.all(DUE_RUNS, (now.isoformat(),)):
            kind = "expire" if expired else "remind"
            try:
                self.service.dispatch(await self.service.timed(int(resident_id), kind))
            except Exception as exc:  # one resident's failure never holds up the others
                if store_trouble(exc) is not None:  # the store refuses: try all at the next tick
                    raise
                log.error("the %s of one run failed (%s)", kind, type(exc).__name__)

    async def escalate(self, now: datetime) -> None:
        """Follow-ups nobody claimed in time go to the officials (with the card)."""
        cutoff = (now - self.timing.escalate_after).isoformat()
        where = "f.status = 'open' AND f.holder IS NULL AND f.escalated_at IS NULL"
        found = await views(self.db, f"{where} AND f.opened_at <= ?", (cutoff,))
        hours = int(self.timing.escalate_after.total_seconds() // 3600)
        for view, _ in found:
            batch, at = Batch(), now.isoformat()
            batch.add(ESCALATE, (at, view.id))
            batch.add(INSERT_EVENT, (view.id, at, "bot", "escalated", ""))
            note = Outbound(staff_text(self.tr, texts.FU_ESCALATED, hours=hours))
            to = [m for m in self.staff.officials() if m.identities]
            sent = queue_to_members(batch, self.service.outbox_ids.take, to, note, at)
            sent += offer(
                batch, self.service.outbox_ids.take, to, card(self.tr, self.flows, view, now), at
            )
            await self._commit(batch, sent)

    async def nudge(self, now: datetime) -> None:
        """A claimed follow-up untouched for days reminds its holder, once per quiet spell."""
        cutoff = (now - self.timing.nudge_after).isoformat()
        where = (
            "f.status = 'open' AND f.holder IS NOT NULL AND f.touched_at <= ?"
            " AND (f.reminded_at IS NULL OR f.reminded_at < f.touched_at)"
        )
        days = max(self.timing.nudge_after.days, 1)
        for view, _ in await views(self.db, where, (cutoff,)):
            member = self.staff.get(view.holder or "")
            batch, at = Batch(), now.isoformat()
            batch.add(NUDGED, (at, view.id))
            sent: list[Delivery] = []
            if member is not None:
                text = staff_text(
                    self.tr, texts.FU_HOLDER_REMINDER, name=member.name, id=view.id, days=days
                )
                message = Outbound(
                    text, buttons(self.tr, view.id, ("relay", "visit", "resolve", "handon"))
                )
                sent = queue_to_members(batch, self.service.outbox_ids.take, [member], message, at)
            await self._commit(batch, sent)

    async def _commit(self, batch: Batch, sent: list[Delivery]) -> None:
        await self.db.commit(batch)
        self.service.dispatch(sent)

    def register(self, ticker: Ticker) -> None:
        """Add the jobs to the app's ticker."""
        ticker.add("run reminders", self.runs)
        ticker.add("follow-up escalation", self.escalate)
        ticker.add("follow-up nudges", self.nudge)
