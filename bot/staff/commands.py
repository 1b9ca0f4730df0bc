"""The desk's own commands: the staff menu, who am I, and inviting staff (officials)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.channels.capabilities import buttons_max
from bot.config import Config
from bot.engine import texts
from bot.engine.types import Button, Outbound, Translator
from bot.staff.audit import audit_row
from bot.staff.desk import StaffCommand, StaffMessage, StaffReply
from bot.staff.directory import OFFICIAL, PROPAGANDIST
from bot.staff.invites import new_invite

BOTH = frozenset({OFFICIAL, PROPAGANDIST})


class StaffTexts:
    """The staff's texts in their language, with the commune's names filled in."""

    def __init__(self, config: Config, tr: Translator) -> None:
        self.config = config
        self.tr = tr
        self.villages = {v.id: v.name for v in config.villages}

    def ui(self, msg: StaffMessage, text: str, **values: str) -> str:
        """A text of the desk in the member's language, with `{name}` and `values` filled."""
        out = self.tr.ui(msg.lang, text).replace("{name}", self.name(msg))
        for key, value in values.items():
            out = out.replace("{" + key + "}", value)
        return out

    def name(self, msg: StaffMessage) -> str:
        """How the desk addresses the member: their name, else their role."""
        return msg.member.name or self.role(msg, msg.member.role)

    def role(self, msg: StaffMessage, role: str) -> str:
        """A role in words."""
        text = texts.STAFF_ROLE_OFFICIAL if role == OFFICIAL else texts.STAFF_ROLE_PROPAGANDIST
        return self.tr.ui(msg.lang, text)

    def village_names(self, msg: StaffMessage, villages: Sequence[str]) -> str:
        """The villages in words; the whole commune for none."""
        if not villages:
            return self.tr.ui(msg.lang, texts.STAFF_ALL_VILLAGES)
        return ", ".join(self.villages.get(v, v) for v in villages)


def menu_reply(
    words: StaffTexts,
) -> Callable[[StaffMessage, list[StaffCommand], bool], StaffReply]:
    """The desk's menu: every command the member may use, as buttons (numbered elsewhere)."""

    def menu(msg: StaffMessage, allowed: list[StaffCommand], refused: bool) -> StaffReply:
        buttons = tuple(Button(words.ui(msg, c.label), f"st:{c.name}:") for c in allowed if c.label)
        messages = []
        if refused:
            messages.append(Outbound(words.ui(msg, texts.STAFF_NOT_YOURS)))
        shown = (
            texts.STAFF_MENU if len(buttons) <= buttons_max(msg.channel) else texts.STAFF_MENU_TYPED
        )
        messages.append(Outbound(words.ui(msg, shown), buttons))
        return StaffReply(messages)

    return menu


def welcome_text(words: StaffTexts) -> Callable[[StaffMessage], list[Outbound]]:
    """The greeting of a member who has just used an invitation."""

    def greet(msg: StaffMessage) -> list[Outbound]:
        text = words.ui(
            msg, texts.STAFF_WELCOME,
            role=words.role(msg, msg.member.role),
            villages=words.village_names(msg, msg.member.villages),
            commune=words.config.commune,
        )  # fmt: skip
        return [Outbound(text)]

    return greet


class WhoAmI:
    """`/staff`: the member's role, villages and channels."""

    name = "staff"
    words: tuple[str, ...] = ("/staff", "/whoami", "tôi là ai", "toi la ai")
    roles = BOTH
    label = texts.STAFF_WHOAMI_LABEL

    def __init__(self, words: StaffTexts) -> None:
        self.texts = words

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        """Say who the member is to the bot."""
        member = msg.member
        channels = ", ".join(sorted({channel for channel, _ in member.identities}))
        text = self.texts.ui(
            msg, texts.STAFF_WHOAMI,
            role=self.texts.role(msg, member.role),
            commune=self.texts.config.commune,
            villages=self.texts.village_names(msg, member.villages),
            channels=channels,
        )  # fmt: skip
        return StaffReply([Outbound(text)])

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        """Nothing to go on with."""
        return await self.start(msg, "")


class Invite:
    """`mời cán bộ`: an official makes a staff invitation from the chat."""

    name = "invite"
    words: tuple[str, ...] = ("/invite", "mời cán bộ", "moi can bo")
    roles = frozenset({OFFICIAL})
    label = texts.STAFF_INVITE_LABEL

    def __init__(self, words: StaffTexts, bot_username: str | None) -> None:
        self.texts = words
        self.bot_username = bot_username

    async def start(self, msg: StaffMessage, arg: str) -> StaffReply:
        """Ask the role, then the village of a propagandist, then make the invitation."""
        if arg == OFFICIAL:
            return self._made(msg, OFFICIAL, ())
        if arg.startswith("v.") and arg[2:] in self.texts.villages:
            return self._made(msg, PROPAGANDIST, (arg[2:],))
        if arg == PROPAGANDIST:
            return self._ask_village(msg)
        buttons = (
            Button(self.texts.ui(msg, texts.STAFF_INVITE_OFFICIAL), "st:invite:official"),
            Button(self.texts.ui(msg, texts.STAFF_INVITE_PROPAGANDIST), "st:invite:propagandist"),
        )
        return StaffReply([Outbound(self.texts.ui(msg, texts.STAFF_INVITE_ASK_ROLE), buttons)])

    async def resume(self, msg: StaffMessage, session: dict[str, object]) -> StaffReply:
        """The exchange keeps no session: the buttons carry each step."""
        return await self.start(msg, "")

    def _ask_village(self, msg: StaffMessage) -> StaffReply:
        buttons = tuple(
            Button(name, f"st:invite:v.{vid}") for vid, name in self.texts.villages.items()
        )
        return StaffReply([Outbound(self.texts.ui(msg, texts.STAFF_INVITE_ASK_VILLAGE), buttons)])

    def _made(self, msg: StaffMessage, role: str, villages: tuple[str, ...]) -> StaffReply:
        invite = new_invite(role, villages, msg.member.key, msg.now)
        reply = StaffReply([Outbound(invite_text(self.texts, msg, invite.typed, role, villages))])
        if self.bot_username:
            link = f"https://t.me/{self.bot_username.lstrip('@')}?start={invite.payload}"
            reply.messages.append(Outbound(self.texts.ui(msg, texts.STAFF_INVITE_LINK, link=link)))
        reply.writes.add(*invite.row)
        detail = {"role": role, "villages": list(villages)}
        reply.writes.add(*audit_row(msg.member.key, "invite", role, detail, msg.now))
        return reply


def invite_text(
    words: StaffTexts, msg: StaffMessage, code: str, role: str, villages: Sequence[str]
) -> str:
    """What the official is told of a new invitation."""
    return words.ui(
        msg, texts.STAFF_INVITE_MADE,
        role=words.role(msg, role), villages=words.village_names(msg, villages), code=code,
    )  # fmt: skip


def builtin(words: StaffTexts, bot_username: str | None) -> list[StaffCommand]:
    """The desk's own commands, in menu order."""
    return [Invite(words, bot_username), WhoAmI(words)]
