"""An async client for the Zalo Bot Platform API (Telegram-like; one event per getUpdates).

The token is part of every URL, so no URL is ever logged or put in an error message.
"""

from __future__ import annotations

from typing import Any

import httpx

DEFAULT_API_URL = "https://bot-api.zaloplatforms.com"
NO_EVENT = 408  # what getUpdates answers when nothing arrived during the long poll


class ZaloError(Exception):
    """The platform answered with an error (or could not be reached: code 0)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"Zalo Bot API error {code}: {description}")
        self.code = code
        self.description = description


class ZaloBotClient:
    """Calls `{api_url}/bot{token}/{method}` with JSON; returns the `result`."""

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_API_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._prefix = f"{api_url.rstrip('/')}/bot{token}/"
        self._http = httpx.AsyncClient(transport=transport, timeout=timeout)

    async def close(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def call(
        self, method: str, params: dict[str, Any] | None = None, http_timeout: float | None = None
    ) -> Any:
        """One API call; ZaloError on any failure."""
        limit = http_timeout if http_timeout is not None else self._http.timeout
        try:
            response = await self._http.post(
                self._prefix + method, json=params or {}, timeout=limit
            )
        except httpx.HTTPError as exc:
            raise ZaloError(0, f"network: {type(exc).__name__}") from None
        return _result(response)

    async def get_me(self) -> dict[str, Any]:
        """The bot's own account."""
        me: dict[str, Any] = await self.call("getMe")
        return me

    async def get_update(self, wait: int) -> dict[str, Any] | None:
        """The next event, waiting up to `wait` seconds; None when none came."""
        try:
            event: dict[str, Any] = await self.call(
                "getUpdates", {"timeout": str(wait)}, http_timeout=wait + 10
            )
        except ZaloError as exc:
            if exc.code == NO_EVENT:
                return None
            raise
        return event

    async def send_message(self, chat_id: str, text: str) -> None:
        """Send a text (1 to 2,000 characters)."""
        await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def send_photo(self, chat_id: str, url: str, caption: str = "") -> None:
        """Send a photo by its public URL."""
        params = {"chat_id": chat_id, "photo": url}
        if caption:
            params["caption"] = caption
        await self.call("sendPhoto", params)

    async def set_webhook(self, url: str, secret: str) -> None:
        """Have the platform POST events to `url` with the secret header."""
        await self.call("setWebhook", {"url": url, "secret_token": secret})

    async def delete_webhook(self) -> None:
        """Go back to polling."""
        await self.call("deleteWebhook")


def _result(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        raise ZaloError(response.status_code, "not a JSON answer") from None
    if response.status_code == 200 and body.get("ok"):
        return body.get("result")
    code = int(body.get("error_code") or response.status_code)
    raise ZaloError(code, str(body.get("description", "")))
