"""`danvan broadcast send|confirm|list|show|cancel`: broadcasts from the command line.

It runs beside `danvan run` and writes only broadcast rows: the running bot's ticker queues
and sends them (within 5 seconds), so the command never writes to the outbox itself.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.broadcasts import store
from bot.broadcasts.audience import Audience, parse_segment
from bot.broadcasts.compose import Composer, Content
from bot.broadcasts.quiet import is_quiet, morning_after
from bot.broadcasts.service import Broadcasts, Unsafe
from bot.broadcasts.show import print_list, print_report, watch
from bot.config import Config
from bot.flows.folder import load_folder
from bot.flows.registry import FlowRegistry
from bot.i18n.catalogs import Catalogs
from bot.staff.directory import Directory
from bot.store.db import Database
from bot.store.opening import open_database
from bot.store.writes import ORDER

ACTOR = "cli"


class _Text(argparse.Action):
    """`--text` in the language of the `--lang` before it (Vietnamese when none)."""

    def __call__(self, parser: Any, ns: argparse.Namespace, value: Any, option: Any = None) -> None:
        texts = dict(getattr(ns, "texts", None) or {})
        texts[getattr(ns, "lang", None) or "vi"] = str(value)
        ns.texts = texts
        ns.lang = None


def add_parser(commands: Any, common: Any) -> None:
    """The `broadcast` command and its subcommands."""
    parser = commands.add_parser("broadcast", help="send announcements to residents")
    sub = parser.add_subparsers(dest="broadcast_command", required=True)
    send = sub.add_parser("send", help="draft, preview, confirm and send a broadcast")
    common(send)
    send.add_argument("--text", action=_Text, required=True, help="the text (after --lang: in it)")
    send.add_argument("--lang", help="the language of the next --text")
    send.add_argument("--village", action="append", default=[], help="a village id (repeatable)")
    send.add_argument("--segment", help="not_reached:<milestone>, open_run:<flow>, silent_days:<N>")
    send.add_argument("--to-lang", dest="to_lang", help="only residents reading this language")
    send.add_argument("--at", help='when, commune time: "2026-12-03 08:00" (default: now)')
    send.add_argument("--flow", help="a flow its button starts")
    send.add_argument("--yes", action="store_true", help="confirm without asking")
    send.add_argument("--as", dest="actor", default=ACTOR, help="the official's key (audit)")
    send.add_argument("--detach", action="store_true", help="do not show the progress bar")
    confirm = sub.add_parser("confirm", help="confirm a broadcast held for a second official")
    common(confirm)
    confirm.add_argument("id", type=int)
    confirm.add_argument("--as", dest="actor", required=True, help="the confirming official's key")
    for name, what in (("show", "a broadcast's report"), ("cancel", "stop what is not sent")):
        one = sub.add_parser(name, help=what)
        common(one)
        one.add_argument("id", type=int)
    common(sub.add_parser("list", help="the latest broadcasts"))


async def command(config: Config, args: argparse.Namespace) -> int:
    """Run one broadcast subcommand; the exit status."""
    db = await open_database(config.db_path, ORDER)
    try:
        service = Broadcasts(
            db, config.broadcasts, None, len(Directory.of_config(config).officials())
        )
        return await _dispatch(config, db, service, args)
    finally:
        await db.close()


async def _dispatch(config: Config, db: Database, service: Broadcasts, args: Any) -> int:
    now = datetime.now(ZoneInfo(config.timezone))
    match args.broadcast_command:
        case "send":
            return await _send(config, db, service, args, now)
        case "confirm":
            return await _confirm(db, service, args.id, args.actor, now, detach=True)
        case "list":
            await print_list(db)
            return 0
        case "show":
            return await print_report(db, args.id, config)
        case _:
            done = await service.cancel(args.id, now)
            print(f"broadcast {args.id}: {'cancelled' if done else 'nothing to cancel'}")
            return 0 if done else 1


async def _send(config: Config, db: Database, service: Broadcasts, args: Any, now: datetime) -> int:
    flows = _flows(config)
    problem = _check(config, flows, args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    when = _when(config, args.at) if args.at else now
    segment = parse_segment(args.segment) if args.segment else None
    audience = Audience(tuple(args.village), segment, args.to_lang)
    content = Content(args.texts, flow_id=args.flow)
    try:
        drafted = await service.draft(args.actor, content, audience, when, now)
    except Unsafe as exc:
        print(f"not sent: {exc}", file=sys.stderr)
        return 2
    _preview(config, flows, content, drafted, when)
    if not args.yes and input("Send it? [y/N] ").strip().lower() not in ("y", "yes"):
        await service.cancel(drafted.number, now, args.actor)
        print(f"broadcast {drafted.number}: not sent")
        return 1
    return await _confirm(db, service, drafted.number, args.actor, now, args.detach)


def _check(config: Config, flows: FlowRegistry, args: Any) -> str | None:
    if "vi" not in args.texts:
        return "give the Vietnamese text first: --text ... (then --lang en --text ...)"
    unknown = [v for v in args.village if config.village(v) is None]
    if unknown:
        return f"not a village: {', '.join(unknown)}"
    if args.segment and parse_segment(args.segment) is None:
        return "--segment: expected not_reached:<milestone>, open_run:<flow> or silent_days:<N>"
    if args.flow and flows.current(args.flow) is None:
        return f"--flow: no flow '{args.flow}' in {config.flows_dir}"
    if args.at:
        try:
            _when(config, args.at)
        except ValueError:
            return '--at: expected a date and time such as "2026-12-03 08:00"'
    return None


def _when(config: Config, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(config.timezone))


def _flows(config: Config) -> FlowRegistry:
    registry = FlowRegistry()
    registry.replace(load_folder(config.flows_dir, config.languages).flows)
    return registry


def _preview(
    config: Config, flows: FlowRegistry, content: Content, drafted: Any, when: datetime
) -> None:
    composer = Composer(content, config.commune, Catalogs(config.languages), flows)
    print(f"broadcast {drafted.number}, as residents on Telegram will see it:\n")
    message = composer.message("vi", "telegram")
    print(message.text)
    for button in message.buttons:
        print(f"[ {button.label} ]")
    print()
    for village, channel, n, reachable in drafted.preview.rows:
        print(f"  {village or '-':<14} {channel:<9} {n:>6} residents, {reachable:>6} reachable")
    print(f"  {'total':<24} {drafted.preview.total:>6}")
    start = morning_after(config.broadcasts, when)
    if is_quiet(config.broadcasts, when):
        print(f"{when:%H:%M} is in the quiet hours: it goes at {start:%Y-%m-%d %H:%M}")


async def _confirm(
    db: Database, service: Broadcasts, number: int, actor: str, now: datetime, detach: bool
) -> int:
    outcome = await service.confirm(number, actor, now)
    if outcome == "another official":
        print(f"broadcast {number} is large: another official confirms it with"
              f" `danvan broadcast confirm {number} --as <their key>` or in the chat")  # fmt: skip
        return 0
    if outcome == "wait":
        print(f"broadcast {number} is large: look at the preview, then confirm it again in a"
              f" minute with `danvan broadcast confirm {number} --as {actor}`")  # fmt: skip
        return 0
    if outcome != "scheduled":
        print(f"broadcast {number}: {outcome}", file=sys.stderr)
        return 1
    print(f"broadcast {number} confirmed; the running bot (danvan run) sends it")
    item = await store.get(db, number)
    if not detach and item is not None and item.send_at <= now:
        await watch(db, number)
    return 0
