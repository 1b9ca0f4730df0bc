"""Sends one outbox delivery as OA consultation messages: images by URL, buttons as a template."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from bot.channels.capabilities import OA_BUTTONS_MAX
from bot.channels.delivery import PartSent, Rejected, RetryLater, Unreachable
from bot.channels.render import media_path, numbered
from bot.channels.text import split_text
from bot.channels.zalo_oa.client import RefreshFailed, ZaloOAClient, ZaloOAError
from bot.channels.zalo_oa.inbound import ButtonMemory
from bot.channels.zalo_oa.tokens import Tokens, refused_token
from bot.channels.zalo_oa.window import Window
from bot.engine.flow import Media
from bot.engine.types import Button, Outbound
from bot.store.writes import Delivery

TEXT_MAX = 2000
BUTTONS_MAX = OA_BUTTONS_MAX  # more options become a numbered list
TITLE_MAX = 100
QUOTA_PAUSE = 300.0  # Zalo names no retry time: every send waits five minutes
AUTH_PAUSE = 300.0  # the token is refused even after a refresh (see the log): every send waits
QUOTA_ERRORS = frozenset({-32, -211})  # unverified: request rate, out of quota
UNREACHABLE_ERRORS = frozenset({-213, -230})  # not a follower / no message in the last 7 days


def bodies(message: Outbound, flows_dir: Path, media_url: str | None) -> list[dict[str, Any]]:
    """The `message` objects of the calls: images first, then the text in pieces of at most
    2,000 characters, the buttons (as a template) on the last piece."""
    urls = [image_url(m, flows_dir, media_url) for m in message.media]
    images = [_image(url) for url in urls if url]
    as_template = 0 < len(message.buttons) <= BUTTONS_MAX
    text = message.text if as_template else numbered(message)
    pieces: list[dict[str, Any]] = [{"text": t} for t in split_text(text, TEXT_MAX) if t]
    if as_template:
        pieces = pieces or [{"text": ""}]
        pieces[-1]["attachment"] = _template(message.buttons)
    return images + pieces


def image_url(media: Media, flows_dir: Path, media_url: str | None) -> str:
    """Where Zalo can fetch an image: its https:// address, else under `media_url` ("" if none)."""
    if media.kind != "image":
        return ""
    path = media_path(media, flows_dir)
    if path.startswith("https://"):
        return path
    return f"{media_url.rstrip('/')}/{quote(path)}" if media_url else ""


def _image(url: str) -> dict[str, Any]:
    elements = [{"media_type": "image", "url": url}]
    payload = {"template_type": "media", "elements": elements}
    return {"attachment": {"type": "template", "payload": payload}}


def _template(buttons: tuple[Button, ...]) -> dict[str, Any]:
    shown = [
        {"title": b.label[:TITLE_MAX], "type": "oa.query.show", "payload": b.payload}
        for b in buttons
    ]
    return {"type": "template", "payload": {"buttons": shown}}


def payloads(body: dict[str, Any]) -> list[str]:
    """The payloads of the buttons in one call's `message`."""
    attachment = body.get("attachment") or {}
    return [str(b["payload"]) for b in (attachment.get("payload") or {}).get("buttons", [])]


class ZaloOASender:
    """Refuses, without calling Zalo, a resident outside the 7-day window or who unfollowed."""

    def __init__(
        self,
        client: ZaloOAClient,
        tokens: Tokens,
        window: Window,
        taps: ButtonMemory,
        flows_dir: Path,
        media_url: str | None,
    ) -> None:
        self.client, self.tokens, self.window, self.taps = client, tokens, window, taps
        self.flows_dir = flows_dir
        self.media_url = media_url

    def parts(self, delivery: Delivery) -> int:
        """How many calls the delivery takes."""
        return len(bodies(delivery.message, self.flows_dir, self.media_url))

    async def send(self, delivery: Delivery, first_part: int, part_sent: PartSent) -> None:
        """Send the parts not yet sent, recording each one as soon as Zalo has it."""
        chat = delivery.external_id
        reason = await self.window.refusal(chat)
        if reason is not None:
            raise Unreachable(reason)
        for number, body in enumerate(bodies(delivery.message, self.flows_dir, self.media_url)):
            if number < first_part:
                continue
            self.taps.remember(chat, payloads(body))
            await self._send(chat, body)
            await part_sent(number + 1)

    async def _send(self, chat: str, body: dict[str, Any]) -> None:
        async def call(token: str) -> None:
            await self.client.send(token, chat, body)

        try:
            await self.tokens.call(call)
        except ZaloOAError as exc:
            raise classified(exc) from exc


def classified(exc: ZaloOAError) -> Exception:
    """What the outbox worker should do about a failed call."""
    if exc.status == 0 or exc.status >= 500:
        return RetryLater(1.0, f"Zalo OA unavailable: {exc.description}")
    if isinstance(exc, RefreshFailed) or refused_token(exc):
        return RetryLater(AUTH_PAUSE, "Zalo OA token refused", everyone=True)
    if exc.status == 429 or exc.code in QUOTA_ERRORS:
        return RetryLater(QUOTA_PAUSE, "Zalo OA quota exceeded", everyone=True)
    if exc.code in UNREACHABLE_ERRORS:
        return Unreachable(exc.description)
    return Rejected(f"Zalo OA error {exc.code}: {exc.description}")
