"""The `danvan` command: `chat` (the terminal chat), `run` (the messengers), `households`,
`staff`, `backup`, `report` and `flows lint`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram.error import InvalidToken, NetworkError

from bot.broadcasts import cli as broadcast_cli
from bot.channels.zalo.client import ZaloError
from bot.config import Config, ConfigError, load_config
from bot.flows.folder import load_folder
from bot.store.lock import hold_database
from bot.store.opening import StoreUnavailable


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="danvan", description="danvan: dân vận khéo, in chat")
    commands = parser.add_subparsers(dest="command", required=True)
    chat = commands.add_parser("chat", help="talk to the bot in this terminal, as a resident")
    _common(chat)
    chat.add_argument("--as", dest="who", default="me", help="which resident you are (a name)")
    run = commands.add_parser("run", help="serve the configured messengers until stopped")
    _common(run)
    run.add_argument("--webhook-url", help="receive Telegram updates at this https URL")
    run.add_argument("--listen", default="0.0.0.0", help="address for webhooks and media")
    run.add_argument("--port", type=int, default=8443, help="port for webhooks and media (8443)")
    _households(commands)
    _staff(commands)
    residents = commands.add_parser("residents", help="a resident's own data")
    resident_commands = residents.add_subparsers(dest="residents_command", required=True)
    data = resident_commands.add_parser("export", help="everything stored about one resident")
    _common(data)
    data.add_argument("id", type=int, help="the resident's id")
    data.add_argument("--out", type=Path, help="the JSON file to write (default: the screen)")
    backup = commands.add_parser(
        "backup", help="a checked copy of the database, bot running or not"
    )
    _common(backup)
    backup.add_argument("path", type=Path, help="the new file to write the copy to")
    _report(commands)
    broadcast_cli.add_parser(commands, _common)
    flows = commands.add_parser("flows", help="work with flow files")
    flow_commands = flows.add_subparsers(dest="flows_command", required=True)
    lint = flow_commands.add_parser("lint", help="check flow files and print every problem")
    lint.add_argument("folder", nargs="?", type=Path, help="the flows folder (default: ./flows)")
    lint.add_argument("--config", type=Path, help="the commune's danvan.yaml")
    lint.add_argument(
        "--today",
        type=date.fromisoformat,
        help="the date each flow's 'checked' is aged against (default: today in the commune)",
    )
    return parser


def _staff(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staff = commands.add_parser("staff", help="invite, list and revoke commune staff")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    invite = staff_commands.add_parser("invite", help="a single-use staff invitation (72 hours)")
    _common(invite)
    invite.add_argument("--role", required=True, choices=("official", "propagandist"))
    invite.add_argument(
        "--village", dest="villages", action="append", default=[], help="a village id (repeat)"
    )
    invite.add_argument("--bot", help="the bot's Telegram username (default TELEGRAM_BOT_USERNAME)")
    listing = staff_commands.add_parser("list", help="every staff member, configured and invited")
    _common(listing)
    revoke = staff_commands.add_parser("revoke", help="make an invited member a resident again")
    _common(revoke)
    revoke.add_argument("key", help="the member's key, as `danvan staff list` shows (inv:N)")


def _households(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    households = commands.add_parser("households", help="work with households")
    household_commands = households.add_subparsers(dest="households_command", required=True)
    invite = household_commands.add_parser("invite", help="a household's join link and QR code")
    _common(invite)
    invite.add_argument("code", help="the household's code")
    invite.add_argument("--bot", help="the bot's Telegram username (default: asked of Telegram)")
    invite.add_argument("--out", type=Path, help="the PNG to write (default household-CODE.png)")
    load = household_commands.add_parser("import", help="load the commune's household list")
    _common(load)
    load.add_argument("file", type=Path, help="a .csv (UTF-8) or .xlsx file, one row per person")
    load.add_argument("--skip-bad", action="store_true", help="load the households without errors")
    export = household_commands.add_parser("export", help="write the household list (CSV/XLSX)")
    _common(export)
    export.add_argument("--village", help="only this village (its id)")
    export.add_argument(
        "--out", type=Path, help="the file to write (.csv or .xlsx; default: screen)"
    )


def _report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="the commune's figures, village by village")
    _common(report)
    report.add_argument("--village", help="one village's figures (its id)")
    report.add_argument("--as-of", dest="as_of", help="figures as of this date (YYYY-MM-DD)")
    report.add_argument("--format", default="text", choices=("text", "csv", "xlsx", "html"))
    report.add_argument("--out", type=Path, help="the file to write (default: the screen)")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="the commune's danvan.yaml")
    parser.add_argument("--db", type=Path, help="the database file (default ./danvan.db)")
    parser.add_argument("--flows", type=Path, help="the flows folder (default ./flows)")


def main(argv: list[str] | None = None) -> int:
    """Run the danvan command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "flows":
            return lint(args.folder, args.config, args.today)
        config = load_config(args.config, db=args.db, flows=args.flows)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        if args.command == "households":  # beside the bot: an import is one short transaction
            return _invite(config, args)
        if args.command == "staff":  # writes only its own rows: it may run beside the bot
            return _staff_command(config, args)
        if args.command == "residents":  # reads only: it may run beside the bot
            return _resident_export(config, args)
        if args.command in ("backup", "report"):  # read only: they run beside the bot
            return (
                _backup(config, args.path)
                if args.command == "backup"
                else _report_run(config, args)
            )
        if args.command == "broadcast":  # broadcast rows only: it runs beside the bot
            return asyncio.run(broadcast_cli.command(config, args))
        with hold_database(config.db_path, f"danvan {args.command}"):
            return _run(config, args) if args.command == "run" else _chat(config, args.who)
    except StoreUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1


def _invite(config: Config, args: argparse.Namespace) -> int:
    from bot.household_list import cli
    from bot.households import invite_command

    if args.households_command == "import":
        return cli.import_command(config, args.file, args.skip_bad)
    if args.households_command == "export":
        return cli.export_command(config, args.village, args.out)
    return asyncio.run(invite_command(config, args.code, args.bot, args.out))


def _resident_export(config: Config, args: argparse.Namespace) -> int:
    from bot.rights.export import export_command

    return export_command(config, args.id, args.out)


def _backup(config: Config, path: Path) -> int:
    from bot.store.backup import BackupFailed, backup, describe

    try:
        print(describe(path, backup(config.db_path, path)))
    except BackupFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _report_run(config: Config, args: argparse.Namespace) -> int:
    from bot.reports.cli import report_command

    return report_command(config, args.village, args.as_of, args.format, args.out)


def _staff_command(config: Config, args: argparse.Namespace) -> int:
    from bot.staff import cli

    if args.staff_command == "invite":
        return asyncio.run(cli.invite_command(config, args.role, args.villages, args.bot))
    if args.staff_command == "list":
        return asyncio.run(cli.list_command(config))
    return asyncio.run(cli.revoke_command(config, args.key))


def _chat(config: Config, who: str) -> int:
    from bot.channels.terminal import run_chat

    return asyncio.run(run_chat(config, who))


def _run(config: Config, args: argparse.Namespace) -> int:
    from bot import logs, run

    env = run.environment()
    logs.setup(run.secrets_in(env))
    webhook = run.Webhook(args.webhook_url, args.listen, args.port)
    try:
        return asyncio.run(run.serve(config, webhook, env))
    except (run.NoChannel, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    except InvalidToken:
        print("Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather", file=sys.stderr)
        return 2
    except ZaloError as exc:
        print(
            f"the Zalo Bot Platform refused to start: {exc.description or exc.code}",
            file=sys.stderr,
        )
        return 2 if exc.code == 401 else 1
    except NetworkError as exc:
        where = env.get("TELEGRAM_API_URL") or "https://api.telegram.org"
        print(f"cannot reach the Telegram Bot API at {where}: {exc.message}", file=sys.stderr)
        return 1
    except Exception:
        logging.getLogger("danvan").exception("danvan stopped on an error")
        return 1


def lint(folder: Path | None, config_path: Path | None, today: date | None = None) -> int:
    """Print every finding for a flows folder; 1 when any is an error."""
    config = load_config(config_path, flows=folder)
    today = today or datetime.now(ZoneInfo(config.timezone)).date()
    if not config.flows_dir.is_dir():
        print(f"{config.flows_dir}: no such folder", file=sys.stderr)
        return 1
    result = load_folder(config.flows_dir, config.languages, today=today)
    for finding in result.findings:
        print(finding)
    errors = len(result.errors)
    warnings = len(result.findings) - errors
    print(
        f"{len(result.flows)} flows loaded, {errors} errors, {warnings} warnings", file=sys.stderr
    )
    return 1 if errors else 0
