"""Who is staff: officials and propagandists, their villages and their messenger identities."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.config import Config, Staff

OFFICIAL = "official"
PROPAGANDIST = "propagandist"


@dataclass(frozen=True)
class Member:
    """One staff member. `key` is stable and names them in the database (audit, claims)."""

    key: str
    name: str
    role: str
    villages: tuple[str, ...]  # an official with none covers the whole commune
    phone: str | None
    identities: tuple[tuple[str, str], ...]  # (channel, external id)

    @property
    def is_official(self) -> bool:
        """Whether they act for the whole commune (broadcasts, escalated follow-ups)."""
        return self.role == OFFICIAL

    def covers(self, village_id: str | None) -> bool:
        """Whether the households of `village_id` are theirs to see and act on."""
        if self.is_official and not self.villages:
            return True
        return village_id is not None and village_id in self.villages


def config_key(staff: Staff) -> str:
    """The key of a staff member listed in danvan.yaml: their name without diacritics."""
    plain = unicodedata.normalize("NFKD", staff.name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = plain.encode("ascii", "ignore").decode().lower()
    return "cfg:" + re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")


def from_config(staff: Staff) -> Member:
    """A member as danvan.yaml lists them."""
    ids = tuple(sorted((channel, str(uid)) for channel, uid in staff.channels.items()))
    return Member(config_key(staff), staff.name, staff.role, staff.villages, staff.phone, ids)


class Directory:
    """Every staff member, looked up by identity, key, village or role."""

    def __init__(self, members: list[Member]) -> None:
        self._members: dict[str, Member] = {}
        self._by_identity: dict[tuple[str, str], Member] = {}
        self.replace(members)

    @classmethod
    def of_config(cls, config: Config) -> Directory:
        """The staff danvan.yaml lists."""
        return cls([from_config(s) for s in config.staff])

    def replace(self, members: list[Member]) -> None:
        """Take this list as the whole staff."""
        self._members = {m.key: m for m in members}
        self._by_identity = {ident: m for m in members for ident in m.identities}

    def add(self, member: Member) -> None:
        """Take in a member (an invitation used), or their new identities."""
        self.replace([*(m for m in self._members.values() if m.key != member.key), member])

    def remove(self, key: str) -> None:
        """Drop a member (revoked): at their next message they are a resident again."""
        self.replace([m for m in self._members.values() if m.key != key])

    def who(self, channel: str, external_id: str) -> Member | None:
        """The staff member writing from this identity, or None for a resident."""
        return self._by_identity.get((channel, external_id))

    def get(self, key: str) -> Member | None:
        """The member with this key, or None."""
        return self._members.get(key)

    def all(self) -> list[Member]:
        """Every member, in the order they were given."""
        return list(self._members.values())

    def officials(self) -> list[Member]:
        """The officials."""
        return [m for m in self._members.values() if m.is_official]

    def propagandists_of(self, village_id: str) -> list[Member]:
        """The propagandists who look after this village."""
        return [
            m for m in self._members.values() if m.role == PROPAGANDIST and village_id in m.villages
        ]
