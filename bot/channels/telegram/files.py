"""Telegram file ids of media already uploaded, so the same file is never uploaded twice."""

from __future__ import annotations

from bot.store.batch import Batch
from bot.store.db import Database

CHANNEL = "telegram"


class FileIds:
    """A flow media path to the file id Telegram gave it, kept in the database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._ids: dict[str, str] = {}

    async def load(self) -> None:
        """Read the file ids known from earlier runs."""
        rows = await self.db.all(
            "SELECT path, file_id FROM media_files WHERE channel = ?", (CHANNEL,)
        )
        self._ids = {str(r[0]): str(r[1]) for r in rows}

    def get(self, path: str) -> str | None:
        """The file id of an uploaded file, if any."""
        return self._ids.get(path)

    async def remember(self, path: str, file_id: str) -> None:
        """Keep the file id Telegram gave an upload."""
        self._ids[path] = file_id
        batch = Batch()
        batch.add(
            "INSERT INTO media_files (channel, path, file_id) VALUES (?, ?, ?)"
            " ON CONFLICT(channel, path) DO UPDATE SET file_id = excluded.file_id",
            (CHANNEL, path, file_id),
        )
        await self.db.commit(batch)
