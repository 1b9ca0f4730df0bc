"""Builds the running bot from its configuration: database, flows, catalogs, conversation."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.broadcasts.chat import chat_commands
from bot.broadcasts.sending import Sending
from bot.broadcasts.service import Broadcasts
from bot.broadcasts.tell import TellInPerson
from bot.config import Config
from bot.conversation import Clock, ConversationService, record_flow_versions
from bot.engine.types import Commune, Contact
from bot.flows.folder import load_folder
from bot.flows.registry import FlowRegistry
from bot.followups.commands import Parts, commands
from bot.followups.contacts import LiveContacts
from bot.followups.jobs import FollowupJobs, Timing
from bot.followups.opening import Opener
from bot.i18n.catalogs import Catalogs
from bot.invites import BOT_NAME
from bot.reports.desk import ReportCommand
from bot.staff.commands import StaffTexts, builtin, menu_reply, welcome_text
from bot.staff.desk import Desk
from bot.staff.directory import Directory
from bot.staff.front import Front
from bot.staff.members import invited_members, refresher
from bot.store.batch import Batch
from bot.store.db import Database
from bot.store.opening import StoreUnavailable, open_database
from bot.store.pressure import StorePressure
from bot.store.prune import Pruner
from bot.store.writes import ORDER
from bot.ticker import Ticker


class FlowsRefused(Exception):
    """The flows folder has errors; the bot does not start with them."""


@dataclass
class App:
    """The parts of a running bot."""

    config: Config
    db: Database
    flows: FlowRegistry
    conversation: ConversationService
    pruner: Pruner
    staff: Directory
    ticker: Ticker
    desk: Desk
    front: Front
    broadcasts: Broadcasts
    pressure: StorePressure = field(default_factory=StorePressure)

    async def close(self) -> None:
        """Stop pruning and the timed work, finish pending writes and close the database."""
        await self.ticker.stop()
        await self.pruner.stop()
        await self.db.close()


def commune_of(config: Config) -> Commune:
    """The commune as the engine sees it."""
    contacts = {}
    for village in config.villages:
        staff = config.propagandists_of(village.id)
        if staff:
            contacts[village.id] = Contact(staff[0].name, staff[0].phone or "")
    return Commune(
        name=config.commune,
        villages=tuple((v.id, v.name) for v in config.villages),
        languages=config.languages,
        contacts=contacts,
        places=dict(config.places),
    )


async def open_app(config: Config, clock: Clock | None = None) -> App:
    """Open the database, load the flows and start pruning; FlowsRefused when a flow has an
    error. `clock` (default: now in the commune's time zone) is what the bot reads the time by."""
    loaded = load_folder(config.flows_dir, config.languages)
    if loaded.errors:
        lines = "\n".join(str(f) for f in loaded.errors)
        raise FlowsRefused(f"the flows in {config.flows_dir} have errors:\n{lines}")
    registry = FlowRegistry()
    registry.replace(loaded.flows)
    db = await open_database(config.db_path, ORDER)
    try:
        return await _assemble(config, db, registry, loaded.sources, clock)
    except BaseException:
        await db.close()  # its threads would keep the process alive
        raise


async def _assemble(
    config: Config,
    db: Database,
    registry: FlowRegistry,
    sources: dict[str, str],
    clock: Clock | None,
) -> App:
    await _sync_villages(db, config)
    await record_flow_versions(db, registry, sources)
    zone = ZoneInfo(config.timezone)
    clock = clock or (lambda: datetime.now(zone))
    staff = Directory.of_config(config)
    configured = staff.all()
    for member in await invited_members(db):
        staff.add(member)
    villages = tuple(v.id for v in config.villages)
    commune = replace(commune_of(config), contacts=LiveContacts(staff, villages))
    tr = Catalogs(config.languages)
    service = ConversationService(db, registry, commune, tr, clock)
    await service.start()
    service.followups = Opener(db, staff, registry, tr, commune, service.outbox_ids.take)
    await service.followups.start()
    pruner = Pruner(db, clock, service.forget_keys_before)
    pruner.start()
    desk, front = _staff_desk(config, db, staff, service)
    for command in commands(Parts(service, staff)):
        desk.register(command)
    ticker = Ticker(clock)
    ticker.add("staff", refresher(db, staff, configured))
    FollowupJobs(service, staff, registry, tr, Timing.of(config)).register(ticker)
    sending, broadcasts = _broadcasts(config, db, service, staff)
    ticker.add("broadcasts", sending.tick)
    for command in chat_commands(config, db, staff, service, broadcasts):
        desk.register(command)
    return App(config, db, registry, service, pruner, staff, ticker, desk, front, broadcasts)


def _staff_desk(
    config: Config, db: Database, staff: Directory, service: ConversationService
) -> tuple[Desk, Front]:
    """The desk with its own commands, and the front that sends staff to it."""
    words = StaffTexts(config, service.tr)
    desk = Desk(db, service.outbox_ids.take, menu_reply(words))
    desk.greeting = welcome_text(words)
    for command in builtin(words, bot_username()):
        desk.register(command)
    desk.register(ReportCommand(words))
    front = Front(db, staff, desk, service, service.tr, config.languages[0])
    return desk, front


def bot_username() -> str | None:
    """The bot's Telegram username for invitation links (TELEGRAM_BOT_USERNAME), if set."""
    name = os.environ.get("TELEGRAM_BOT_USERNAME", "").strip().lstrip("@")
    return name if BOT_NAME.fullmatch(name) else None


def _broadcasts(
    config: Config, db: Database, service: ConversationService, staff: Directory
) -> tuple[Sending, Broadcasts]:
    villages = {v.id: v.name for v in config.villages}
    tell = TellInPerson(db, staff, service.tr, villages)
    texts = (config.commune, service.tr, service.flows)
    sending = Sending(db, config.broadcasts, texts, service.outbox_ids.take, service.dispatch, tell)
    return sending, Broadcasts(db, config.broadcasts, sending, len(staff.officials()))


def tune_garbage_collector() -> None:
    """Collect young objects less often: a message makes thousands of short-lived objects, and
    the default threshold (700) ran a collection every few messages, which showed as the slowest
    replies (bench/engine.py: p99 about 10.5 ms before, about 6.5 ms after, at 1,500 messages/s)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


async def _sync_villages(db: Database, config: Config) -> None:
    batch = Batch()
    for village in config.villages:
        batch.add(
            "INSERT INTO villages (id, name) VALUES (?, ?)"
            " ON CONFLICT(id) DO UPDATE SET name = excluded.name",
            (village.id, village.name),
        )
    await db.commit(batch)


async def with_app(config: Config, body: Callable[[App], Awaitable[None]]) -> int:
    """Open the app, run `body` with it, close it; 1 (with the reason) when a flow is broken or
    the database cannot be opened."""
    try:
        app = await open_app(config)
    except (FlowsRefused, StoreUnavailable) as exc:
        print(exc, file=sys.stderr)
        return 1
    tune_garbage_collector()
    try:
        await body(app)
    finally:
        await app.close()
    return 0
