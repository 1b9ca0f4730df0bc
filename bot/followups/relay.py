"""A conversation through the bot: a resident's texts reach the staff member, until it ends."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from bot.engine import texts
from bot.engine.textnorm import fold
from bot.engine.types import Inbound, Outbound, Translator
from bot.engine.words import word_of
from bot.followups.cards import staff_text
from bot.followups.outgoing import queue_to_members
from bot.followups.recent import masked
from bot.staff.directory import Directory
from bot.store.batch import Batch
from bot.store.db import Database
from bot.store.followups import INSERT_EVENT
from bot.store.writes import INSERT_SEEN, Delivery, Who

END_WORDS = frozenset({"ket thuc", "/end", "end", "dung nhan"})
OPEN_RELAYS = (
    "SELECT f.resident_id, f.id, f.relay, r.name FROM followups f JOIN residents r"
    " ON r.id = f.resident_id WHERE f.relay IS NOT NULL AND f.status = 'open'"
)
END_RELAY = "UPDATE followups SET relay = NULL, touched_at = ? WHERE id = ?"
TOUCH = "UPDATE followups SET touched_at = ? WHERE id = ?"


def ends(text: str) -> bool:
    """Whether a typed text ends the conversation."""
    return fold(text) in END_WORDS


class Relays:
    """Which residents are in a conversation with whom (kept in followups.relay, and here)."""

    def __init__(
        self, db: Database, staff: Directory, tr: Translator, outbox_id: Callable[[], int]
    ) -> None:
        self.db, self.staff, self.tr, self.outbox_id = db, staff, tr, outbox_id
        self.open: dict[int, tuple[int, str, str]] = {}  # resident -> (follow-up, member, name)

    async def load(self) -> None:
        """Read the conversations open at start."""
        rows = await self.db.all(OPEN_RELAYS)
        self.open = {int(r[0]): (int(r[1]), str(r[2]), str(r[3] or "")) for r in rows}

    def takes(self, resident_id: int, inbound: Inbound, words: Mapping[str, str]) -> bool:
        """Whether this message of the resident belongs to a conversation with staff: a text
        that is not a conversation-wide word (menu, forget, …: those end it, see `leaves`)."""
        if resident_id not in self.open or inbound.kind != "text":
            return False
        return ends(inbound.text) or word_of(inbound.text, words) is None

    async def close(self, who: Who, now: datetime) -> list[Delivery]:
        """End the resident's conversation (they went back to the bot); the member is told."""
        fid, member_key, name = self.open.pop(who.resident_id)
        at, batch = now.isoformat(), Batch()
        batch.add(END_RELAY, (at, fid))
        batch.add(INSERT_EVENT, (fid, at, "resident", "relay_end", ""))
        text = staff_text(self.tr, texts.FU_RELAY_STOPPED_BY_RESIDENT, who=name, id=fid)
        member = self.staff.get(member_key)
        to = [member] if member is not None else []
        sent = queue_to_members(batch, self.outbox_id, to, Outbound(text), at)
        await self.db.commit(batch)
        return sent

    async def incoming(
        self, who: Who, inbound: Inbound, key: str | None, now: datetime
    ) -> tuple[list[Delivery], bool]:
        """Pass the resident's text on (or end the conversation); True when it ended."""
        fid, member_key, name = self.open[who.resident_id]
        member = self.staff.get(member_key)
        at, batch = now.isoformat(), Batch()
        if key is not None:
            batch.add(INSERT_SEEN, (who.channel, key, at))
        ended = ends(inbound.text)
        if ended:
            self.open.pop(who.resident_id, None)
            batch.add(END_RELAY, (at, fid))
            batch.add(INSERT_EVENT, (fid, at, "resident", "relay_end", ""))
            text = staff_text(self.tr, texts.FU_RELAY_STOPPED_BY_RESIDENT, who=name, id=fid)
        else:
            batch.add(TOUCH, (at, fid))
            batch.add(INSERT_EVENT, (fid, at, "resident", "message", masked(inbound.text)))
            text = staff_text(self.tr, texts.FU_RELAY_IN, who=name, id=fid, text=inbound.text)
        to = [member] if member is not None else []
        sent = queue_to_members(batch, self.outbox_id, to, Outbound(text), at)
        await self.db.commit(batch)
        return sent, ended
