"""One person on several channels: a resident who types their household's code can say they
are a member already known (from Zalo or Telegram), confirm it, and go on as that person."""

from __future__ import annotations

from collections.abc import Callable

from bot.engine import texts
from bot.engine.menu import show_menu
from bot.engine.reply import Reply

STAGES = ("link", "link_confirm")
Join = Callable[[Reply, str], None]


def offer(reply: Reply, code: str, members: tuple[tuple[int, str], ...]) -> None:
    """Ask whether the resident is one of the household's known members, or someone new."""
    reply.state.stage = "link"
    reply.state.pending["link"] = {"code": code, "members": [list(m) for m in members]}
    ask(reply)


def ask(reply: Reply) -> None:
    """Show the household's members by name, and 'I am new here'."""
    members = reply.state.pending.get("link", {}).get("members", [])
    options = [(str(name), f"m:{rid}") for rid, name in members]
    options.append((reply.ui(texts.LINK_NEW_PERSON), "new"))
    reply.ask(reply.ui(texts.LINK_ASK), options)


def answer(reply: Reply, key: str | None, join: Join) -> None:
    """The resident's choice at either linking question."""
    if reply.state.stage == "link":
        _chosen(reply, key, join)
    else:
        _confirmed(reply, key)


def _chosen(reply: Reply, key: str | None, join: Join) -> None:
    link = reply.state.pending.get("link", {})
    if key == "new":
        reply.state.pending.pop("link", None)
        join(reply, str(link.get("code", "")))
        return
    member = _member(link, key)
    if member is None:
        reply.say(reply.ui(texts.PRESS_BUTTON))
        ask(reply)
        return
    reply.state.stage = "link_confirm"
    link["chosen"] = member
    confirm(reply)


def confirm(reply: Reply) -> None:
    """Ask the resident to confirm who they are."""
    link = reply.state.pending.get("link", {})
    _, name = link.get("chosen", [0, ""])
    options = [(reply.ui(texts.LINK_YES), "yes"), (reply.ui(texts.LINK_NO), "no")]
    reply.ask(reply.ui(texts.LINK_CONFIRM, name=name, code=link.get("code", "")), options)


def _confirmed(reply: Reply, key: str | None) -> None:
    link = reply.state.pending.get("link", {})
    if key != "yes":
        reply.state.stage = "link"
        ask(reply)
        return
    rid, name = link["chosen"]
    reply.state.pending.pop("link", None)
    reply.effect("link_identity", detail=str(rid))
    reply.event("identity_linked")
    reply.say(reply.ui(texts.LINKED, name=name))
    show_menu(reply)


def _member(link: dict[str, object], key: str | None) -> list[object] | None:
    if not key or not key.startswith("m:"):
        return None
    members = link.get("members", [])
    assert isinstance(members, list)
    return next((m for m in members if f"m:{m[0]}" == key), None)
