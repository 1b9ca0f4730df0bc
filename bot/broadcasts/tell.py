"""The tell-in-person list: households no messenger reached, for their village's propagandists."""

from __future__ import annotations

from collections.abc import Callable

from bot.broadcasts.audience import MESSENGERS
from bot.broadcasts.report import Household, not_reached
from bot.engine.texts import NO_HOUSEHOLD, TELL_IN_PERSON, TELL_IN_PERSON_LINE
from bot.engine.types import Outbound, Translator
from bot.staff.directory import Directory, Member
from bot.store.db import Database
from bot.store.writes import Delivery


class TellInPerson:
    """Builds, per village, a short numbered list for each of its propagandists."""

    def __init__(
        self, db: Database, staff: Directory, tr: Translator, villages: dict[str, str]
    ) -> None:
        self.db = db
        self.staff = staff
        self.tr = tr
        self.villages = villages

    async def messages(self, number: int, ids: Callable[[], int]) -> list[Delivery]:
        """One message to each propagandist of each village with households not reached."""
        by_village: dict[str, list[Household]] = {}
        for household in await not_reached(self.db, number):
            by_village.setdefault(household.village_id or "", []).append(household)
        deliveries = []
        for village_id, households in by_village.items():
            for member in self.staff.propagandists_of(village_id):
                where = _messenger(member)
                if where is not None:
                    text = self.text(member, number, village_id, households)
                    deliveries.append(Delivery(ids(), where[0], where[1], Outbound(text)))
        return deliveries

    def text(self, member: Member, number: int, village_id: str, items: list[Household]) -> str:
        """The list in Vietnamese (staff read the commune's language)."""
        village = self.villages.get(village_id, village_id)
        head = self.tr.ui("vi", TELL_IN_PERSON).format(
            name=member.name, number=number, count=len(items), village=village
        )
        lines = [
            self.tr.ui("vi", TELL_IN_PERSON_LINE).format(
                n=i,
                name=", ".join(h.names),
                code=h.code or self.tr.ui("vi", NO_HOUSEHOLD),
                village=village,
            )
            for i, h in enumerate(items, 1)
        ]
        return "\n".join([head, *lines])


def _messenger(member: Member) -> tuple[str, str] | None:
    """Where a staff member reads messages: their first messenger identity."""
    return next(((c, e) for c, e in member.identities if c in MESSENGERS), None)
