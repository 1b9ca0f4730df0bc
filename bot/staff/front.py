"""The front: every inbound message goes to the staff desk, to invitation redemption, or to
the resident conversation, by who sent it and what it offers."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot import edge
from bot.conversation import ConversationService
from bot.engine import texts
from bot.engine.types import Inbound, Outbound, Translator
from bot.locks import KeyedLocks
from bot.staff.desk import Desk, StaffMessage, encode_body
from bot.staff.directory import Directory, Member
from bot.staff.invites import GUESS_KIND, offered_code
from bot.staff.redeem import Offer, grant
from bot.store.codes import who_hash
from bot.store.db import Database
from bot.store.writes import INSERT_OUTBOX, INSERT_SEEN, Delivery


class Front:
    """Routes a message; same signature as ConversationService.handle."""

    def __init__(
        self,
        db: Database,
        staff: Directory,
        desk: Desk,
        conversation: ConversationService,
        tr: Translator,
        lang: str,
    ) -> None:
        self.db = db
        self.staff = staff
        self.desk = desk
        self.conversation = conversation
        self.tr = tr
        self.lang = lang
        self._locks = KeyedLocks()

    async def handle(
        self, channel: str, external_id: str, inbound: Inbound, key: str | None = None
    ) -> list[Delivery]:
        """The replies to one message, from whichever part it belongs to."""
        external_id = edge.storable(external_id)
        member = self.staff.who(channel, external_id)
        if member is not None:
            return await self._desk(member, channel, external_id, inbound, key)
        code = offered_code(inbound)
        if code is not None:
            return await self._redeem(Offer(code, channel, external_id, "", self._now()), key)
        return await self.conversation.handle(channel, external_id, inbound, key)

    def _now(self) -> datetime:
        return self.conversation.clock()

    async def _seen(self, channel: str, key: str | None) -> bool:
        if key is None:
            return False
        row = await self.db.one(
            "SELECT 1 FROM inbound_seen WHERE channel = ? AND key = ?",
            (channel, edge.storable(key)),
        )
        return row is not None

    async def _desk(
        self, member: Member, channel: str, external_id: str, inbound: Inbound, key: str | None
    ) -> list[Delivery]:
        if edge.too_long(inbound):
            inbound = Inbound("text")  # the menu again
        inbound = edge.clean(inbound)
        async with self._locks.hold(member.key):
            if await self._seen(channel, key):
                return []
            msg = StaffMessage(member, channel, external_id, inbound, self._now(), self.lang)
            mine, others = await self.desk.answer(msg, key and edge.storable(key))
        self.conversation.dispatch(others)
        return mine

    async def _redeem(self, offer: Offer, key: str | None) -> list[Delivery]:
        identity = (offer.channel, offer.external_id)
        offer = Offer(offer.code, *identity, who_hash(*identity), offer.now)
        async with self._locks.hold(identity):
            if await self._seen(offer.channel, key):
                return []
            lock = await self.conversation.codes.lock(
                GUESS_KIND, offer.who, int(offer.now.timestamp())
            )
            if lock is not None:
                text = self.tr.ui(self.lang, texts.STAFF_INVITE_LOCKED)
                answer = [Outbound(text.replace("{minutes}", str(lock.minutes)))]
                return await self._reply_only(offer, key, answer)
            return await self._grant(offer, key)

    async def _grant(self, offer: Offer, key: str | None) -> list[Delivery]:
        deliveries: list[Delivery] = []

        async def work(conn: aiosqlite.Connection) -> Member | None:
            member = await grant(conn, offer)
            for sql, params in self._outbox_rows(offer, key, self._told(offer, member), deliveries):
                await conn.execute(sql, params)
            return member

        member = await self.db.transaction(work)
        if member is not None:
            self.staff.add(member)
        return deliveries

    def _told(self, offer: Offer, member: Member | None) -> list[Outbound]:
        """A welcome and the staff menu, or why the code was refused."""
        if member is None:
            return [Outbound(self.tr.ui(self.lang, texts.STAFF_INVITE_REFUSED))]
        msg = StaffMessage(
            member, offer.channel, offer.external_id, Inbound("start"), offer.now, self.lang
        )
        return self.desk.welcome(msg)

    def _outbox_rows(
        self, offer: Offer, key: str | None, messages: list[Outbound], deliveries: list[Delivery]
    ) -> list[tuple[str, tuple[object, ...]]]:
        now = offer.now.isoformat()
        rows: list[tuple[str, tuple[object, ...]]] = []
        if key is not None:
            rows.append((INSERT_SEEN, (offer.channel, edge.storable(key), now)))
        for message in messages:
            delivery = Delivery(
                self.conversation.outbox_ids.take(), offer.channel, offer.external_id, message
            )
            body = encode_body(message)
            rows.append((INSERT_OUTBOX, (delivery.id, offer.channel, offer.external_id, body, now)))
            deliveries.append(delivery)
        return rows

    async def _reply_only(
        self, offer: Offer, key: str | None, messages: list[Outbound]
    ) -> list[Delivery]:
        deliveries: list[Delivery] = []
        rows = self._outbox_rows(offer, key, messages, deliveries)

        async def work(conn: aiosqlite.Connection) -> None:
            for sql, params in rows:
                await conn.execute(sql, params)

        await self.db.transaction(work)
        return deliveries
