"""An async client for the Zalo OA API v3 (consultation messages) and its OAuth token refresh.

Assumption, not confirmed by documentation we could check: buttons go beside `message.text` as
`{"type": "template", "payload": {"buttons": [{"title", "type": "oa.query.show", "payload"}]}}`,
and tapping an `oa.query.show` button makes the resident send the payload as an ordinary text
(a `user_send_text` event whose `message.text` is the payload, also shown in their chat).
Tokens travel in headers and form fields only; no token is ever put in a URL, a log line or an
error message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

DEFAULT_API_URL = "https://openapi.zalo.me"
DEFAULT_OAUTH_URL = "https://oauth.zaloapp.com"
SEND_PATH = "/v3.0/oa/message/cs"
REFRESH_PATH = "/v4/oa/access_token"


class ZaloOAError(Exception):
    """A failed call: Zalo's `error` code (0 when it gave none) and the HTTP status (0: network)."""

    def __init__(self, code: int, description: str, status: int = 200) -> None:
        super().__init__(f"Zalo OA error {code} (HTTP {status}): {description}")
        self.code = code
        self.description = description
        self.status = status


class RefreshFailed(ZaloOAError):
    """Zalo's OAuth server would not give a new token pair."""


@dataclass(frozen=True)
class TokenPair:
    """What a refresh returns: a new access token, the next refresh token, and the lifetime."""

    access_token: str
    refresh_token: str
    expires_in: float  # seconds


class ZaloOAClient:
    """`send` posts a consultation message; `refresh` trades a refresh token for a new pair."""

    def __init__(
        self,
        api_url: str = DEFAULT_API_URL,
        oauth_url: str = DEFAULT_OAUTH_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._send_url = api_url.rstrip("/") + SEND_PATH
        self._refresh_url = oauth_url.rstrip("/") + REFRESH_PATH
        self._http = httpx.AsyncClient(transport=transport, timeout=timeout)

    async def close(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def send(self, access_token: str, user_id: str, message: dict[str, Any]) -> Any:
        """Send one consultation message; returns Zalo's `data`, ZaloOAError on any failure."""
        body = {"recipient": {"user_id": user_id}, "message": message}
        response = await self._post(self._send_url, {"access_token": access_token}, json=body)
        answer = _json(response)
        code = _int(answer.get("error"))
        if response.status_code != 200 or code != 0:
            raise ZaloOAError(code, str(answer.get("message", "")), response.status_code)
        return answer.get("data")

    async def refresh(self, app_id: str, secret_key: str, refresh_token: str) -> TokenPair:
        """Spend `refresh_token` (single use) for a new pair; RefreshFailed when refused."""
        form = {"refresh_token": refresh_token, "app_id": app_id, "grant_type": "refresh_token"}
        try:
            response = await self._post(self._refresh_url, {"secret_key": secret_key}, data=form)
            answer = _json(response)
        except ZaloOAError as exc:
            raise RefreshFailed(exc.code, exc.description, exc.status) from None
        access, refresh = answer.get("access_token"), answer.get("refresh_token")
        if response.status_code != 200 or not access or not refresh:
            reason = answer.get("error_description") or answer.get("error_name") or "no token"
            raise RefreshFailed(_int(answer.get("error")), str(reason), response.status_code)
        return TokenPair(str(access), str(refresh), float(answer.get("expires_in") or 90000))

    async def _post(self, url: str, headers: dict[str, str], **body: Any) -> httpx.Response:
        try:
            return await self._http.post(url, headers=headers, **body)
        except httpx.HTTPError as exc:
            raise ZaloOAError(0, f"network: {type(exc).__name__}", 0) from None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        status = 502 if response.status_code == 200 else response.status_code
        raise ZaloOAError(0, "not a JSON object", status)
    return answer


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
