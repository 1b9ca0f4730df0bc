"""What staff and the command line do with broadcasts: draft, preview, confirm, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.broadcasts import store
from bot.broadcasts.audience import Audience
from bot.broadcasts.compose import Content
from bot.broadcasts.safety import problems
from bot.broadcasts.sending import Sending
from bot.broadcasts.settings import BroadcastSettings
from bot.staff.audit import CLI, record
from bot.store.db import Database


class Unsafe(Exception):
    """A broadcast text breaks a safety rule; str() lists each problem."""


@dataclass(frozen=True)
class Drafted:
    """A stored draft and its preview."""

    number: int
    preview: store.Preview


class Broadcasts:
    """The broadcasts of one commune; `sending` is the ticker job that sends them (None in a
    command run beside the bot: the bot's own ticker starts what it confirms)."""

    def __init__(
        self, db: Database, settings: BroadcastSettings, sending: Sending | None, officials: int
    ) -> None:
        self.db = db
        self.settings = settings
        self.sending = sending
        self.officials = officials

    async def draft(
        self, by: str, content: Content, audience: Audience, send_at: datetime, now: datetime
    ) -> Drafted:
        """Check the texts and store a draft; Unsafe when a text breaks a rule."""
        found = [p for text in content.texts.values() for p in problems(text, self.domains)]
        if found:
            raise Unsafe("; ".join(dict.fromkeys(found)))
        number = await store.create(self.db, by, content, audience, send_at, now)
        drafted = Drafted(number, await store.preview(self.db, audience, now))
        detail = {"audience": in_words(audience), "count": drafted.preview.total,
                  "send_at": send_at.isoformat()}  # fmt: skip
        await record(self.db, by, "broadcast.draft", str(number), detail, now)
        return drafted

    @property
    def domains(self) -> tuple[str, ...]:
        """Where links may point."""
        return self.settings.link_domains

    async def confirm(self, number: int, by: str, now: datetime) -> str:
        """ "scheduled", or why not: "not a draft", "another official", "wait"."""
        item = await store.get(self.db, number)
        if item is None or item.status not in ("draft", "held"):
            return "not a draft"
        size = (await store.preview(self.db, item.audience, now)).total
        why = store.needs_second(item, by, size, self.settings.confirm_above, self.officials, now)
        if why is not None:
            await store.hold(self.db, number)
            return why
        if not await store.confirm(self.db, number, by, now) and size:
            return "not a draft"
        detail = {"audience": in_words(item.audience), "count": size}
        await record(self.db, by, "broadcast.confirm", str(number), detail, now)
        if self.sending is not None:  # one due now starts at once, not at the next tick
            await self.sending.tick(now)
        return "scheduled"

    async def cancel(self, number: int, now: datetime, by: str = CLI) -> bool:
        """Stop what is not yet sent; False when it was done or cancelled already."""
        done = await store.cancel(self.db, number, now)
        item = await store.get(self.db, number) if done else None
        if item is not None:
            detail = {"audience": in_words(item.audience)}
            await record(self.db, by, "broadcast.cancel", str(number), detail, now)
        return done


def in_words(audience: Audience) -> str:
    """The audience as the audit says it: villages, segment, language (never names)."""
    parts = [f"villages {', '.join(audience.villages)}"] if audience.villages else []
    parts += [f"segment {audience.segment}"] if audience.segment else []
    parts += [f"language {audience.lang}"] if audience.lang else []
    return "; ".join(parts) or "everyone"
