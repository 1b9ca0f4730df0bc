"""Who a resident's follow-up goes to, read live from the staff directory."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from bot.engine.types import Contact
from bot.staff.directory import Directory, Member

COMMUNE = "*"  # the key of the officials in LiveContacts


def recipients(staff: Directory, village_id: str | None) -> list[Member]:
    """Who hears of a new follow-up at once: the village's propagandists the bot can message,
    or, when there is none, the officials it can message."""
    found = [m for m in staff.propagandists_of(village_id or "") if m.identities]
    return found or [m for m in staff.officials() if m.identities]


class LiveContacts(Mapping[str, Contact]):
    """Village id -> its propagandist (one the bot can message first, one who shares a phone
    first among those); COMMUNE -> an official the bot can message. The engine names them."""

    def __init__(self, staff: Directory, villages: tuple[str, ...]) -> None:
        self.staff = staff
        self.villages = villages

    def __getitem__(self, key: str) -> Contact:
        if key == COMMUNE:
            officials = [m for m in self.staff.officials() if m.identities]
            if not officials:
                raise KeyError(key)
            return _contact(officials[0])
        members = self.staff.propagandists_of(key)
        if not members:
            raise KeyError(key)
        ranked = sorted(members, key=lambda m: (not m.identities, not m.phone))
        return _contact(ranked[0])

    def __iter__(self) -> Iterator[str]:
        return iter((*self.villages, COMMUNE))

    def __len__(self) -> int:
        return len(self.villages) + 1


def _contact(member: Member) -> Contact:
    return Contact(member.name, member.phone or "", bool(member.identities))
