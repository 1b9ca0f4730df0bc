"""A fake Zalo Official Account API (v3) and OAuth server for tests: real HTTP on 127.0.0.1.

The wire format is Zalo's as we understand it (see bot/channels/zalo_oa for what is unverified):

* `POST /v3.0/oa/message/cs`, header `access_token`, JSON `{"recipient": {"user_id"}, "message":
  {"text", "attachment"?}}`. HTTP 200 `{"error": 0, "message": "Success", "data": {"message_id",
  "user_id"}}`, or `{"error": N, "message"}`: -216 an unknown access token, -216 or -220 an
  expired one (`expire_access_tokens`; `refuse_tokens` refuses new ones too), -213 a user
  who has not interacted (`not_interacted`), -32 quota (`fail_with_quota`), -201 a bad message.
  `fail_with_5xx` answers an HTML error page instead.
* `POST /v4/oa/access_token`, form `refresh_token, app_id, grant_type=refresh_token`, header
  `secret_key`: `{"access_token", "refresh_token", "expires_in": "90000"}`. Each refresh token
  works once; one presented again is recorded in `reused` and refused (`error` -14014).
* Webhook events (`text_event`, `image_event`, `follow_event`, `unfollow_event`), stamped by
  `clock` (set it to the test's clock: the channel refuses stale stamps), and `signed`,
  which gives the headers and body Zalo would POST: `X-ZEvent-Signature: mac=` + hex
  sha256(app_id + body + timestamp + OA secret key).

One thread serves, one more per connection; every answer closes its connection.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

__all__ = ["Call", "FakeZaloOA"]

SEND = "/v3.0/oa/message/cs"
REFRESH = "/v4/oa/access_token"
APP_ID = "3011200000000000001"
OA_ID = "4337800000000000001"
BUTTON_TYPES = frozenset({"oa.query.show", "oa.query.hide", "oa.open.url", "oa.open.phone"})
BUTTONS_MAX, TEXT_MAX, TITLE_MAX = 5, 2000, 100


@dataclass(frozen=True)
class Call:
    """One request: its path, the token it presented (access or refresh), what it sent (the
    JSON body, or the form), the HTTP status and Zalo `error` code answered."""

    path: str
    token: str
    body: dict[str, Any]
    status: int
    error: int

    @property
    def user_id(self) -> str:
        return str((self.body.get("recipient") or {}).get("user_id", ""))

    @property
    def message(self) -> dict[str, Any]:
        message = self.body.get("message")
        return message if isinstance(message, dict) else {}


class _Refused(Exception):
    def __init__(self, error: int, message: str) -> None:
        super().__init__(message)
        self.error, self.message = error, message


class FakeZaloOA:
    """The OA API and its OAuth server on one ephemeral port; thread-safe; a context manager."""

    def __init__(
        self, app_id: str = APP_ID, secret_key: str = "app-secret", oa_secret: str = "oa-secret"
    ) -> None:
        self.app_id, self.secret_key, self.oa_secret = app_id, secret_key, oa_secret
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._access: dict[str, int] = {}  # access token -> 0 valid, else the error it gets
        self._refusing = 0  # the error every access token gets (0: none)
        self._refresh: dict[str, bool] = {}  # refresh token -> not yet used
        self._reused: list[str] = []
        self._silent: set[str] = set()
        self._faults: list[tuple[str, int]] = []  # ("5xx", status) or ("quota", -32)
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # stamps events
        self._stamps: set[int] = set()
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> FakeZaloOA:
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`, for both the API and OAuth URLs."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- the OA admin, and faults ---------------------------------------------------------------

    def grant(self) -> str:
        """A refresh token, as when the OA admin authorises the app (the operator's seed)."""
        token = "r-" + secrets.token_hex(8)
        with self._lock:
            self._refresh[token] = True
        return token

    def expire_access_tokens(self, error: int = -216) -> None:
        """Every access token issued so far is refused from now on with `error` (-216 invalid,
        -220 expired)."""
        with self._lock:
            self._access = dict.fromkeys(self._access, error)

    def refuse_tokens(self, error: int = -220) -> None:
        """Every access token, new ones too, is refused with `error` until `accept_tokens`."""
        with self._lock:
            self._refusing = error

    def accept_tokens(self) -> None:
        """Valid access tokens work again."""
        with self._lock:
            self._refusing = 0

    def not_interacted(self, user_id: str) -> None:
        """Sends to this user are refused with -213."""
        with self._lock:
            self._silent.add(user_id)

    def fail_with_5xx(self, n: int = 1, status: int = 502) -> None:
        """The next `n` sends get an HTML error page with HTTP `status`."""
        with self._lock:
            self._faults += [("5xx", status)] * n

    def fail_with_quota(self, n: int = 1, error: int = -32) -> None:
        """The next `n` sends are refused with a quota `error`."""
        with self._lock:
            self._faults += [("quota", error)] * n

    def clear_faults(self) -> None:
        """Forget the faults not used yet."""
        with self._lock:
            self._faults.clear()

    # --- what was sent ----------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every request so far, in order."""
        with self._lock:
            return list(self._calls)

    @property
    def refreshes(self) -> list[Call]:
        """Every token refresh asked for (refused ones included)."""
        return [c for c in self.calls if c.path == REFRESH]

    @property
    def reused(self) -> list[str]:
        """Refresh tokens presented a second time (must stay empty)."""
        with self._lock:
            return list(self._reused)

    def sent(self, user_id: str | None = None) -> list[Call]:
        """Messages accepted, optionally to one user."""
        return [
            c
            for c in self.calls
            if c.path == SEND and c.status == 200 and c.error == 0 and user_id in (None, c.user_id)
        ]

    def texts(self, user_id: str) -> list[str]:
        """The text of each message accepted for a user ("" for an image)."""
        return [str(c.message.get("text", "")) for c in self.sent(user_id)]

    def buttons(self, user_id: str) -> list[tuple[str, str]]:
        """The (title, payload) of the buttons of the last message with buttons sent to a user."""
        for call in reversed(self.sent(user_id)):
            shown = ((call.message.get("attachment") or {}).get("payload") or {}).get("buttons")
            if shown:
                return [(b["title"], b["payload"]) for b in shown]
        return []

    async def wait_for(self, predicate: Callable[[FakeZaloOA], bool], timeout: float = 10) -> None:
        """Wait until `predicate(self)` holds; TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise TimeoutError(f"not met within {timeout}s; calls: {self.calls[-10:]}")
            await asyncio.sleep(0.01)

    # --- webhook events ---------------------------------------------------------------------------

    def text_event(self, user_id: str, text: str, msg_id: str | None = None) -> dict[str, Any]:
        """A user's text (also what tapping an oa.query.show button sends)."""
        message = {"msg_id": msg_id or secrets.token_hex(16), "text": text}
        return self._event("user_send_text", user_id, message=message)

    def tap_event(self, user_id: str, title: str) -> dict[str, Any]:
        """The user taps the button titled `title` of the last message with buttons."""
        return self.text_event(user_id, dict(self.buttons(user_id))[title])

    def image_event(self, user_id: str, url: str = "https://f.zalo.me/a.jpg") -> dict[str, Any]:
        """A user's photo."""
        attachment = {"type": "image", "payload": {"url": url, "thumbnail": url}}
        message = {"msg_id": secrets.token_hex(16), "attachments": [attachment]}
        return self._event("user_send_image", user_id, message=message)

    def sticker_event(self, user_id: str, sticker: str = "8f1c6a2b") -> dict[str, Any]:
        """A user's sticker."""
        url = f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker}"
        attachment = {"type": "sticker", "payload": {"id": sticker, "url": url}}
        message = {"msg_id": secrets.token_hex(16), "attachments": [attachment]}
        return self._event("user_send_sticker", user_id, message=message)

    def audio_event(self, user_id: str, url: str = "https://f.zalo.me/v.amr") -> dict[str, Any]:
        """A user's voice message."""
        attachment = {"type": "audio", "payload": {"url": url}}
        message = {"msg_id": secrets.token_hex(16), "attachments": [attachment]}
        return self._event("user_send_audio", user_id, message=message)

    def follow_event(self, user_id: str) -> dict[str, Any]:
        """The user follows the OA."""
        return self._event("follow", user_id)

    def unfollow_event(self, user_id: str) -> dict[str, Any]:
        """The user unfollows the OA."""
        return self._event("unfollow", user_id)

    def _event(self, name: str, user_id: str, **extra: Any) -> dict[str, Any]:
        event: dict[str, Any] = {"app_id": self.app_id, "event_name": name}
        if name in ("follow", "unfollow"):
            event.update(oa_id=OA_ID, follower={"id": user_id}, source="oa_profile")
        else:
            event.update(sender={"id": user_id}, recipient={"id": OA_ID})
        return {**event, **extra, "timestamp": self.stamp()}

    def stamp(self) -> str:
        """An event's `timestamp`: `clock`'s time in Unix milliseconds, never one given before."""
        with self._lock:
            stamp = int(self.clock().timestamp() * 1000)
            while stamp in self._stamps:
                stamp += 1
            self._stamps.add(stamp)
            return str(stamp)

    def signed(self, event: dict[str, Any]) -> tuple[dict[str, str], bytes]:
        """The headers and body Zalo would POST to the webhook."""
        body = json.dumps(event, ensure_ascii=False).encode()
        mac = self.signature(body, str(event["timestamp"]))
        return {"Content-Type": "application/json", "X-ZEvent-Signature": mac}, body

    def signature(self, body: bytes, timestamp: str) -> str:
        """`mac=` + hex sha256(app_id + body + timestamp + OA secret)."""
        signed = self.app_id.encode() + body + timestamp.encode() + self.oa_secret.encode()
        return "mac=" + hashlib.sha256(signed).hexdigest()

    # --- serving (called on the server's threads) -------------------------------------------------

    def _answer(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, bytes]:
        if path == REFRESH:
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            token = form.get("refresh_token", "")
            status, body = self._record(path, token, form, lambda: self._oauth(headers, form))
        elif path == SEND:
            data = _json_object(raw)
            token = headers.get("access_token", "")
            status, body = self._record(path, token, data, lambda: self._send(token, data))
        else:
            return 404, b"{}"
        if status != 200:
            return status, f"<html><body>{status}</body></html>".encode()
        return 200, json.dumps(body).encode()

    def _record(
        self, path: str, token: str, data: dict[str, Any], answer: Callable[[], dict[str, Any]]
    ) -> tuple[int, dict[str, Any]]:
        with self._lock:
            fault = self._faults.pop(0) if path == SEND and self._faults else None
            status, error = (fault[1], 0) if fault and fault[0] == "5xx" else (200, 0)
            try:
                if fault and fault[0] == "quota":
                    raise _Refused(fault[1], "Quota exceeded")
                body = answer() if status == 200 else {}
            except _Refused as exc:
                error, body = exc.error, {"error": exc.error, "message": exc.message}
            self._calls.append(Call(path, token, data, status, error))
            return status, body

    def _oauth(self, headers: dict[str, str], form: dict[str, str]) -> dict[str, Any]:
        token = form.get("refresh_token", "")
        if headers.get("secret_key") != self.secret_key or form.get("app_id") != self.app_id:
            raise _Refused(-14001, "Invalid app_id or secret_key")
        if form.get("grant_type") != "refresh_token" or token not in self._refresh:
            raise _Refused(-14014, "Invalid refresh token")
        if not self._refresh[token]:
            self._reused.append(token)
            raise _Refused(-14014, "Refresh token was used")
        self._refresh[token] = False
        access, refresh = "a-" + secrets.token_hex(8), "r-" + secrets.token_hex(8)
        self._access[access], self._refresh[refresh] = 0, True
        return {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}

    def _send(self, token: str, data: dict[str, Any]) -> dict[str, Any]:
        error = self._refusing or self._access.get(token, -216)
        if error:
            raise _Refused(error, "Access token has expired" if error == -220 else "Invalid token")
        user = str((data.get("recipient") or {}).get("user_id") or "")
        _check_message(data.get("message"))
        if not user:
            raise _Refused(-201, "recipient.user_id is required")
        if user in self._silent:
            raise _Refused(-213, "User has not interacted with the OA in the last 7 days")
        return {"error": 0, "message": "Success", "data": {"message_id": secrets.token_hex(16)}}


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _check_message(message: Any) -> None:
    if not isinstance(message, dict):
        raise _Refused(-201, "message is required")
    text, attachment = message.get("text"), message.get("attachment")
    if not isinstance(text, str | None) or len(text or "") > TEXT_MAX:
        raise _Refused(-201, f"text must be at most {TEXT_MAX} characters")
    if not text and not attachment:
        raise _Refused(-201, "message is empty")
    if attachment is not None:
        _check_attachment(attachment)


def _check_attachment(attachment: Any) -> None:
    payload = attachment.get("payload") if isinstance(attachment, dict) else None
    if attachment.get("type") != "template" or not isinstance(payload, dict):
        raise _Refused(-201, "attachment must be a template")
    if payload.get("template_type") == "media":
        elements = payload.get("elements") or [{}]
        if not str(elements[0].get("url", "")).startswith(("http://", "https://")):
            raise _Refused(-201, "a media element needs a URL")
        return
    buttons = payload.get("buttons")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= BUTTONS_MAX:
        raise _Refused(-201, f"1 to {BUTTONS_MAX} buttons")
    for button in buttons:
        title, kind = button.get("title"), button.get("type")
        if (
            not isinstance(title, str)
            or not 0 < len(title) <= TITLE_MAX
            or kind not in BUTTON_TYPES
        ):
            raise _Refused(-201, "a button needs a title and a known type")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[_Handler], fake: FakeZaloOA) -> None:
        self.fake = fake
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        fake = self.server.fake
        path = self.path.split("?")[0]
        try:
            status, body = fake._answer(path, headers, raw)
        except Exception as exc:  # a bug in the fake: show it to the test, never hang
            status, body = 500, repr(exc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if status == 200 else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True
