"""A fake Zalo Bot Platform API server for tests: real HTTP/1.1 on 127.0.0.1, standard library only.

The Zalo Bot API is a Telegram-like Bot API; `telegram_server` is the larger sibling whose
threading this borrows. Wire format:

* `POST /bot<TOKEN>/<method>`, JSON object body (empty counts as `{}`), exact method names.
  Success `{"ok": true, "result": ...}`; failure `{"ok": false, "error_code": N,
  "description": "..."}` with HTTP status N: wrong token 401, unknown method 404.
* `getUpdates` returns ONE event, the oldest queued, and removes it (there is no offset). It waits
  up to `timeout` seconds (string or number), else 408 "Request timeout"; while a webhook is set,
  400 "Webhook is set" (the real behaviour is undocumented).
* Events: `{"event_name": "message.text.received", "message": {"from": {"id", "display_name",
  "is_bot"}, "chat": {"id", "chat_type": "PRIVATE"}, "text", "message_id": <hex>, "date": <ms>}}`.
* Webhook mode: the platform POSTs `{"ok": true, "result": <event>}` with the secret in
  `X-Bot-Api-Secret-Token` (`post_webhook`, as documented; `post_raw_webhook` for other bodies).

The server runs in its own thread (one more per connection), so it answers while the test's
event loop is busy, and a long poll blocks only its own connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
import secrets
import select
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.serving import serve_in_thread, shut_down

__all__ = ["ApiError", "Call", "FakeZalo"]

DEFAULT_TOKEN = "1234567890:FakeZaloTokenForTests-danvan"
MAX_TEXT = 2000
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendSticker"})
CHAT_METHODS = SEND_METHODS | {"sendChatAction"}  # what `block` and fault method "*" cover
BOT_INFO: dict[str, Any] = {"id": "bot123", "account_name": "danvan_bot"}
BOT_INFO.update(account_type="BASIC", can_join_groups=False)


@dataclass(frozen=True)
class Call:
    """One request, in arrival order. `status` is the HTTP status answered (200 on success), or
    None while it is being answered (a long poll); `result`/`description` what was answered."""

    method: str
    params: dict[str, Any]
    at: float
    status: int | None = None
    result: Any = None
    description: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        """The `text` or, failing that, the `caption` parameter."""
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    def summary(self) -> str:
        shown = "" if self.text is None else f" {self.text[:60]!r}"
        return f"{self.method} chat={self.chat_id} -> {self.status}{shown}"


class ApiError(Exception):
    """An error answer: HTTP `code` and the body's `description`."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class _Fault:
    status: int
    description: str
    remaining: int
    method: str
    chat_id: str | None

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.method != method and not (self.method == "*" and method in CHAT_METHODS):
            return False
        return self.chat_id is None or self.chat_id == chat_id


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server Error"


def _now_ms() -> int:
    return int(time.time() * 1000)


def _string(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise ApiError(400, f"{name} is required")
    return value


def _check_url(params: dict[str, Any], name: str) -> None:
    if not _string(params, name).startswith(("http://", "https://")):
        raise ApiError(400, f"{name} must be an http:// or https:// URL")


class FakeZalo:
    """A Zalo Bot API server on 127.0.0.1 with an ephemeral port, for tests.

    Feed it events with `push_*`, point a client at `base_url` (it builds
    `{base_url}/bot{token}/{method}`), inspect `calls`, `sent()`, `texts()`. Faults
    (`fail_with_429`, `fail_with_5xx`, `block`) shape later answers. Thread-safe; a context
    manager.
    """

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self._cond = threading.Condition()
        self._calls: list[Call] = []
        self._events: list[dict[str, Any]] = []
        self._faults: list[_Fault] = []
        self._blocked: set[str] = set()
        self._webhook: dict[str, Any] | None = None  # {"url", "secret_token", "updated_at"}
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Listen on 127.0.0.1 (ephemeral port) and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeZalo already started")
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = serve_in_thread(self._server, "fake-zalo")

    def stop(self) -> None:
        """Stop serving: wakes long polls, closes open connections, joins the server thread."""
        server, thread = self._server, self._thread
        if server is None:
            return
        shut_down(server, thread, self._cond, self._stopping)
        self._server = self._thread = None

    def __enter__(self) -> FakeZalo:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>` (only once started)."""
        if self._server is None:
            raise RuntimeError("FakeZalo is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def push_raw(self, event: dict[str, Any]) -> None:
        """Queue an event as given (wakes a waiting getUpdates)."""
        with self._cond:
            self._events.append(copy.deepcopy(event))
            self._cond.notify_all()

    def push_text(
        self, user_id: str, text: str, *, name: str = "Lan", message_id: str | None = None
    ) -> dict[str, Any]:
        """A user's text message in their private chat; returns the event queued."""
        return self._push("message.text.received", user_id, name, message_id, {"text": text})

    def push_image(
        self, user_id: str, url: str = "https://example.com/a.jpg", caption: str = ""
    ) -> dict[str, Any]:
        """A user's photo (`photo` is its URL) from "Lan"; returns the event queued."""
        extra = {"photo": url, "caption": caption}
        return self._push("message.image.received", user_id, "Lan", None, extra)

    def push_sticker(self, user_id: str, sticker: str = "bfe2d0e6b4a35dfd04b2") -> dict[str, Any]:
        """A user's sticker (event `message.sticker.received`); returns the event queued."""
        url = f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker}"
        extra = {"sticker": sticker, "url": url}
        return self._push("message.sticker.received", user_id, "Lan", None, extra)

    def push_voice(self, user_id: str, url: str = "https://example.com/v.aac") -> dict[str, Any]:
        """A user's voice message (event `message.voice.received`); returns the event queued."""
        return self._push("message.voice.received", user_id, "Lan", None, {"url": url})

    def _push(
        self, event_name: str, user_id: str, name: str, message_id: str | None, extra: Any
    ) -> dict[str, Any]:
        event = {
            "event_name": event_name,
            "message": {
                "from": {"id": user_id, "display_name": name, "is_bot": False},
                "chat": {"id": user_id, "chat_type": "PRIVATE"},
                **extra,
                "message_id": message_id or secrets.token_hex(10),
                "date": _now_ms(),
            },
        }
        self.push_raw(event)
        return event

    def pending(self) -> list[dict[str, Any]]:
        """Events queued and not yet fetched."""
        with self._cond:
            return copy.deepcopy(self._events)

    @property
    def webhook(self) -> dict[str, str] | None:
        """The webhook set (`{"url", "secret_token"}`), or None."""
        with self._cond:
            hook = self._webhook
            return None if hook is None else {k: hook[k] for k in ("url", "secret_token")}

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every request so far, in arrival order (failed ones included)."""
        with self._cond:
            return list(self._calls)

    def sent(self, chat_id: str | None = None) -> list[Call]:
        """Successful sendMessage/sendPhoto/sendSticker calls, optionally to one chat."""
        return [
            c
            for c in self.calls
            if c.ok and c.method in SEND_METHODS and (chat_id is None or c.chat_id == chat_id)
        ]

    def texts(self, chat_id: str) -> list[str]:
        """The text or caption ("" when none) of each successful send to a chat."""
        return [c.text or "" for c in self.sent(chat_id)]

    async def wait_for(self, predicate: Callable[[FakeZalo], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate(self)` holds, checking every 10 ms; TimeoutError (listing the
        last calls) if it does not within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() >= deadline:
                calls = self.calls
                lines = "\n  ".join(c.summary() for c in calls[-40:])
                raise TimeoutError(
                    f"condition not met within {timeout}s; {len(calls)} calls:\n  {lines}"
                )
            await asyncio.sleep(0.01)

    async def post_webhook(
        self, event: dict[str, Any], url: str, secret: str | None, timeout: float = 10.0
    ) -> int:
        """POST `event` to a webhook as the platform documents it: JSON `{"ok": true, "result":
        <event>}`, with `X-Bot-Api-Secret-Token` when `secret` is given; returns the HTTP
        status answered."""
        body = json.dumps({"ok": True, "result": event}).encode("utf-8")
        return await self.post_raw_webhook(body, url, secret, timeout)

    async def post_raw_webhook(
        self, body: bytes, url: str, secret: str | None, timeout: float = 10.0
    ) -> int:
        """POST `body` as it is (a bare event, garbage) to a webhook; the HTTP status answered."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Bot-Api-Secret-Token"] = secret

        def post() -> int:
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    return int(response.status)
            except urllib.error.HTTPError as exc:
                return int(exc.code)

        return await asyncio.to_thread(post)

    def fail_with_429(
        self, n: int = 1, method: str = "sendMessage", chat_id: str | None = None
    ) -> None:
        """The next `n` matching calls get 429 "Quota exceeded" (no retry_after). `method` "*"
        matches every send (sendChatAction included)."""
        self._add_fault(_Fault(429, "Quota exceeded", n, method, chat_id))

    def fail_with_5xx(
        self, n: int = 1, status: int = 502, method: str = "sendMessage", chat_id: str | None = None
    ) -> None:
        """The next `n` matching calls get HTTP `status`."""
        self._add_fault(_Fault(status, _phrase(status), n, method, chat_id))

    def block(self, chat_id: str) -> None:
        """The user blocked the bot: later sends (and chat actions) to it get 403."""
        with self._cond:
            self._blocked.add(chat_id)

    def clear_faults(self) -> None:
        """Forget unused faults and blocked chats."""
        with self._cond:
            self._faults.clear()
            self._blocked.clear()

    def _add_fault(self, fault: _Fault) -> None:
        with self._cond:
            self._faults.append(fault)

    def _dispatch(self, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
        match = re.fullmatch(r"/bot([^/]+)/([^/?]+)(?:\?.*)?", path)
        if match is None:
            return 404, _error(404, "Not Found")
        token, method = match.groups()
        try:
            params = json.loads(body) if body.strip() else {}
        except ValueError:
            params = None
        pending = Call(method, params if isinstance(params, dict) else {}, time.monotonic())
        with self._cond:
            self._calls.append(pending)
            try:
                if token != self.token:
                    raise ApiError(401, "Unauthorized")
                handler = _METHODS.get(method)
                if handler is None:
                    raise ApiError(404, "Not Found")
                if not isinstance(params, dict):
                    raise ApiError(400, "Body must be a JSON object")
                self._apply_faults(method, params.get("chat_id"))
                result = handler(self, params)
            except ApiError as exc:
                self._settle(pending, status=exc.code, description=exc.description)
                return exc.code, _error(exc.code, exc.description)
            self._settle(pending, status=200, result=result)
            return 200, {"ok": True, "result": result}

    def _apply_faults(self, method: str, chat_id: Any) -> None:
        if method in CHAT_METHODS and chat_id in self._blocked:
            raise ApiError(403, "User has blocked the bot")
        for fault in self._faults:
            if fault.matches(method, chat_id):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                raise ApiError(fault.status, fault.description)

    def _settle(self, pending: Call, **changes: Any) -> None:
        for i in range(len(self._calls) - 1, -1, -1):
            if self._calls[i] is pending:
                self._calls[i] = replace(pending, **changes)
                break

    # API methods, called with self._cond held

    def _get_me(self, params: dict[str, Any]) -> Any:
        return dict(BOT_INFO)

    def _get_updates(self, params: dict[str, Any]) -> Any:
        if self._webhook is not None:
            raise ApiError(400, "Webhook is set")
        try:
            timeout = max(0.0, float(params.get("timeout") or 0))
        except (TypeError, ValueError):
            raise ApiError(400, "timeout must be a number") from None
        deadline = time.monotonic() + timeout
        while not self._events and not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._cond.wait(left)
        if not self._events:
            raise ApiError(408, "Request timeout")
        if not _client_alive():
            # A poll whose client died (a killed bot) must not take the event: nobody would
            # read it. The real platform's behaviour here is unknown.
            raise ApiError(408, "Request timeout")
        return self._events.pop(0)

    def _set_webhook(self, params: dict[str, Any]) -> Any:
        _check_url(params, "url")
        if not 8 <= len(_string(params, "secret_token")) <= 256:
            raise ApiError(400, "secret_token must be between 8 and 256 characters")
        self._webhook = {**params, "updated_at": _now_ms()}
        return self._get_webhook_info(params)

    def _delete_webhook(self, params: dict[str, Any]) -> Any:
        self._webhook = None
        return {"url": "", "updated_at": _now_ms()}

    def _get_webhook_info(self, params: dict[str, Any]) -> Any:
        if self._webhook is None:
            raise ApiError(404, "Webhook not found")
        return {"url": self._webhook["url"], "updated_at": self._webhook["updated_at"]}

    def _send_message(self, params: dict[str, Any]) -> Any:
        _string(params, "chat_id")
        text = params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            raise ApiError(400, f"text must be between 1 and {MAX_TEXT} characters")
        return {"message_id": secrets.token_hex(10), "date": _now_ms()}

    def _send_media(self, params: dict[str, Any], kind: str) -> Any:
        _string(params, "chat_id")
        _check_url(params, kind)
        caption = params.get("caption", "")
        if not isinstance(caption, str) or len(caption) > MAX_TEXT:
            raise ApiError(400, f"caption must be at most {MAX_TEXT} characters")
        return {"message_id": secrets.token_hex(10), "date": _now_ms()}

    def _send_chat_action(self, params: dict[str, Any]) -> Any:
        _string(params, "chat_id")
        _string(params, "action")
        return True


_METHODS: dict[str, Callable[[FakeZalo, dict[str, Any]], Any]] = {
    "getMe": FakeZalo._get_me,
    "getUpdates": FakeZalo._get_updates,
    "setWebhook": FakeZalo._set_webhook,
    "deleteWebhook": FakeZalo._delete_webhook,
    "getWebhookInfo": FakeZalo._get_webhook_info,
    "sendMessage": FakeZalo._send_message,
    "sendPhoto": lambda fake, params: fake._send_media(params, "photo"),
    "sendSticker": lambda fake, params: fake._send_media(params, "sticker"),
    "sendChatAction": FakeZalo._send_chat_action,
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], handler: type[_Handler], fake: FakeZalo) -> None:
        self.fake = fake
        self.open: set[socket.socket] = set()
        self.open_lock = threading.Lock()
        super().__init__(address, handler)

    def close_connections(self) -> None:
        with self.open_lock:
            conns = list(self.open)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not self.fake._stopping.is_set():
            super().handle_error(request, client_address)


_LOCAL = threading.local()


def _client_alive() -> bool:
    """Whether the connection being answered in this thread is still open."""
    conn = getattr(_LOCAL, "conn", None)
    if conn is None:
        return True
    poller = select.poll()  # not select.select: it refuses descriptors above 1023
    poller.register(conn, select.POLLIN)
    try:
        return not poller.poll(0) or conn.recv(1, socket.MSG_PEEK) != b""
    except OSError:
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.open_lock:
            self.server.open.add(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.server.open_lock:
            self.server.open.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        _LOCAL.conn = self.connection
        try:
            status, answer = self.server.fake._dispatch(self.path, body)
        except Exception as exc:  # a bug in the fake: show it to the test, never hang
            status, answer = 500, _error(500, f"fake failed: {exc!r}")
        payload = json.dumps(answer).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up, or the fake is stopping
            self.close_connection = True

    do_GET = do_POST
