"""Sends one outbox delivery on the Zalo Bot Platform: photos by URL, text as numbered lists."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from bot.channels.delivery import PartSent, Rejected, RetryLater, Unreachable
from bot.channels.render import media_path, numbered
from bot.channels.text import split_text
from bot.channels.zalo.client import ZaloBotClient, ZaloError
from bot.engine.flow import Media
from bot.store.writes import Delivery

TEXT_MAX = 2000
QUOTA_PAUSE = 300.0  # a "Quota exceeded" 429 names no retry time; try again in five minutes


class ZaloSender:
    """No buttons on this platform: options become a numbered list the resident answers by number.

    Photos go by URL, from `media_url` (where this bot serves the flows folder's media); other
    media, or any media when no `media_url` is set, is left out.
    """

    def __init__(self, client: ZaloBotClient, flows_dir: Path, media_url: str | None) -> None:
        self.client = client
        self.flows_dir = flows_dir
        self.media_url = media_url.rstrip("/") if media_url else None

    def _calls(self, delivery: Delivery) -> list[tuple[str, str]]:
        photos = [("photo", self._url(m)) for m in delivery.message.media if self._url(m)]
        texts = split_text(numbered(delivery.message), TEXT_MAX)
        return photos + [("text", t) for t in texts]

    def parts(self, delivery: Delivery) -> int:
        """How many calls the delivery takes."""
        return len(self._calls(delivery))

    async def send(self, delivery: Delivery, first_part: int, part_sent: PartSent) -> None:
        """Send the parts not yet sent, recording each one as soon as Zalo has it."""
        chat = delivery.external_id
        for number, (kind, value) in enumerate(self._calls(delivery)):
            if number < first_part:
                continue
            try:
                if kind == "photo":
                    await self.client.send_photo(chat, value)
                else:
                    await self.client.send_message(chat, value)
            except ZaloError as exc:
                raise _classified(exc) from exc
            await part_sent(number + 1)

    def _url(self, media: Media) -> str:
        if media.kind != "image":
            return ""
        path = media_path(media, self.flows_dir)
        if path.startswith("https://"):
            return path
        return f"{self.media_url}/{quote(path)}" if self.media_url else ""


def _classified(exc: ZaloError) -> Exception:
    if exc.code == 429:
        return RetryLater(QUOTA_PAUSE, "Zalo quota exceeded", everyone=True)
    if exc.code == 403:
        return Unreachable(exc.description)
    if exc.code in (400, 404):
        return Rejected(exc.description)
    return RetryLater(1.0, f"Zalo error {exc.code}")
