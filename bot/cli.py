"""The `danvan` command: `chat` (the terminal chat), `run` (the messengers) and `flows lint`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

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
    households = commands.add_parser("households", help="work with households")
    household_commands = households.add_subparsers(dest="households_command", required=True)
    invite = household_commands.add_parser("invite", help="a household's join link and QR code")
    _common(invite)
    invite.add_argument("code", help="the household's code")
    invite.add_argument("--bot", help="the bot's Telegram username (default: asked of Telegram)")
    invite.add_argument("--out", type=Path, help="the PNG to write (default household-CODE.png)")
    broadcast_cli.add_parser(commands, _common)
    flows = commands.add_parser("flows", help="work with flow files")
    flow_commands = flows.add_subparsers(dest="flows_command", required=True)
    lint = flow_commands.add_parser("lint", help="check flow files and print every problem")
    lint.add_argument("folder", nargs="?", type=Path, help="the flows folder (default: ./flows)")
    lint.add_argument("--config", type=Path, help="the commune's danvan.yaml")
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="the commune's danvan.yaml")
    parser.add_argument("--db", type=Path, help="the database file (default ./danvan.db)")
    parser.add_argument("--flows", type=Path, help="the flows folder (default ./flows)")


def main(argv: list[str] | None = None) -> int:
    """Run the danvan command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "flows":
            return lint(args.folder, args.config)
        config = load_config(args.config, db=args.db, flows=args.flows)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        if args.command == "households":  # reads only: it may run beside the bot
            return _invite(config, args)
        if args.command == "broadcast":  # broadcast rows only: it runs beside the bot
            return asyncio.run(broadcast_cli.command(config, args))
        with hold_database(config.db_path, f"danvan {args.command}"):
            return _run(config, args) if args.command == "run" else _chat(config, args.who)
    except StoreUnavailable as exc:
        print(exc, file=sys.stderr)
        return 1


def _invite(config: Config, args: argparse.Namespace) -> int:
    from bot.households import invite_command

    return asyncio.run(invite_command(config, args.code, args.bot, args.out))


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


def lint(folder: Path | None, config_path: Path | None) -> int:
    """Print every finding for a flows folder; 1 when any is an error."""
    config = load_config(config_path, flows=folder)
    if not config.flows_dir.is_dir():
        print(f"{config.flows_dir}: no such folder", file=sys.stderr)
        return 1
    result = load_folder(config.flows_dir, config.languages)
    for finding in result.findings:
        print(finding)
    errors = len(result.errors)
    warnings = len(result.findings) - errors
    print(
        f"{len(result.flows)} flows loaded, {errors} errors, {warnings} warnings", file=sys.stderr
    )
    return 1 if errors else 0
