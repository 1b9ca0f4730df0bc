"""A fake Telegram Bot API server for tests: real HTTP/1.1 on 127.0.0.1, standard library only.

It speaks the protocol python-telegram-bot's `HTTPXRequest` uses, so the real `telegram.Bot` and
`telegram.ext.Application` can be pointed at it::

    with FakeTelegram() as fake:
        bot = telegram.Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
        async with bot:
            fake.push_text(42, "hello")
            updates = await bot.get_updates(timeout=1)
            await bot.send_message(42, "hi")
        assert fake.texts(42) == ["hi"]

Wire format (what PTB sends, what this server accepts):

* `POST /bot<TOKEN>/<method>` (or `GET` with a query string; both may be combined). Method
  names are matched case-insensitively, as Telegram does.
* Without files the body is `application/x-www-form-urlencoded`; every value is a string. PTB
  sends `str` values verbatim and JSON-encodes everything else (ints, bools, lists, dicts), so
  `chat_id=42`, `disable_notification=true`, `reply_markup={"inline_keyboard": ...}`. A
  `str` chat id of "42" therefore looks exactly like the int 42 on the wire.
* With a file the body is `multipart/form-data`: the other parameters are plain text parts
  and the file is a part named after the parameter (`photo`, `document`, ...) with a filename
  (or, for media groups and thumbnails, a part referenced as `attach://<name>`).
* `application/json` bodies are accepted too (Telegram supports them; PTB does not use them).

`Call.params` holds the decoded values: parameters that are strings in the Bot API (`text`,
`caption`, `data`, file ids, ...) stay strings, the rest are JSON-decoded when they parse.
`Call.raw` keeps the strings exactly as they arrived.

The server runs in its own thread (one more thread per connection), so it answers while the
test's event loop is busy, and long polls (`getUpdates` with `timeout`) block only their own
connection.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import json
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, TypeVar, cast
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fakes.serving import serve_in_thread, shut_down

__all__ = ["ApiError", "Call", "FakeTelegram", "Upload"]

_T = TypeVar("_T")

DEFAULT_TOKEN = "123456789:AAFakeTokenForTests-danvan"
MEDIA_METHODS = {
    "sendPhoto": "photo",
    "sendAudio": "audio",
    "sendVideo": "video",
    "sendDocument": "document",
    "sendVoice": "voice",
}
MAX_TEXT = 4096
ANSWER_GRACE = 2.0  # seconds a stop waits for requests being answered before closing them
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

# Bot API parameters whose type is String: never JSON-decoded (a text "42" stays "42").
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "data",
        "callback_query_id",
        "url",
        "parse_mode",
        "language_code",
        "inline_message_id",
        "secret_token",
        "ip_address",
        "file_id",
        "title",
        "performer",
        "action",
        "message_effect_id",
        "business_connection_id",
        "description",
        "short_description",
        "name",
        *MEDIA_METHODS.values(),
        "thumbnail",
    }
)


@dataclass(frozen=True)
class Call:
    """One request the bot made, in arrival order.

    `status` is the HTTP status answered (200 on success), or None while the request is still
    being answered (a long poll, a `delay`). `uploaded` names the files uploaded with it;
    `reused` the file ids or URLs it passed instead of uploading. `result` is the `result` of
    a successful answer.
    """

    method: str
    params: dict[str, Any]
    at: float
    uploaded: list[str] = field(default_factory=list)
    status: int | None = None
    reused: list[str] = field(default_factory=list)
    result: Any = None
    description: str = ""
    raw: dict[str, str] = field(default_factory=dict, repr=False)
    http_method: str = "POST"

    @property
    def ok(self) -> bool:
        """Whether it was answered with success."""
        return self.status == HTTPStatus.OK

    @property
    def chat_id(self) -> Any:
        """The `chat_id` parameter (int for numeric ids), or None."""
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        """The `text` or, failing that, the `caption` parameter."""
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    def summary(self) -> str:
        """A one-line description for failure messages."""
        text = self.text
        shown = "" if text is None else f" {text[:60]!r}"
        files = f" uploaded={self.uploaded}" if self.uploaded else ""
        return f"{self.method} chat={self.chat_id} -> {self.status}{shown}{files}"


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded, and the file id the fake gave it."""

    method: str
    param: str
    filename: str
    size: int
    content_type: str
    file_id: str
    data: bytes = field(repr=False)


@dataclass
class _Fault:
    kind: Literal["429", "5xx", "delay"]
    remaining: int
    method: str
    chat_id: int | None
    value: float

    def matches(self, method: str, chat_id: Any) -> bool:
        if self.remaining <= 0:
            return False
        if self.method == "*":
            if not _is_send(method):
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id


@dataclass
class _File:
    file_id: str
    unique_id: str
    kind: str
    size: int
    data: bytes
    filename: str = ""
    mime_type: str = ""
    path: str = ""


@dataclass
class _Limits:
    """Telegram's sending limits, as `FakeTelegram.enforce_limits` set them."""

    overall: int
    window: float
    chat_rate: float
    chat_burst: float
    times: list[float] = field(default_factory=list)  # arrival of accepted sends, sorted
    chats: dict[Any, tuple[float, float]] = field(default_factory=dict)  # tokens, updated

    def wait(self, chat_id: Any, now: float) -> float:
        """Seconds until a send to the chat arriving at `now` would be accepted (0: now)."""
        del self.times[: bisect.bisect_left(self.times, now - 2 * self.window)]
        first = bisect.bisect_right(self.times, now - self.window)
        over = len(self.times) - first - self.overall
        overall = self.times[first + over] + self.window - now if over >= 0 else 0.0
        tokens = self._tokens(chat_id, now)
        return max(overall, 0.0 if tokens >= 1 else (1 - tokens) / self.chat_rate)

    def accepted(self, chat_id: Any, now: float) -> None:
        """Count a send that went through."""
        bisect.insort(self.times, now)
        self.chats[chat_id] = (self._tokens(chat_id, now) - 1, max(now, self._updated(chat_id)))

    def _tokens(self, chat_id: Any, now: float) -> float:
        tokens, updated = self.chats.get(chat_id, (self.chat_burst, now))
        return min(self.chat_burst, tokens + max(0.0, now - updated) * self.chat_rate)

    def _updated(self, chat_id: Any) -> float:
        return self.chats.get(chat_id, (0.0, 0.0))[1]


@dataclass
class _Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes


class ApiError(Exception):
    """An error answer: HTTP `code` with Telegram's `description` (and `parameters`)."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = int(code)
        self.description = description
        self.parameters = parameters


def _is_send(method: str) -> bool:
    """Methods that put or change a message in a chat (what `sent()` lists)."""
    return (method.startswith("send") and method != "sendChatAction") or method.startswith("edit")


def _bad(description: str) -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: {description}")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeTelegram:
    """A Telegram Bot API server on 127.0.0.1 with an ephemeral port, for tests.

    Feed it updates with the `push_*` methods, point a bot at `base_url`/`base_file_url`, and
    inspect `calls`, `sent()`, `texts()`. Faults (`fail_with_429`, `fail_with_5xx`, `block`,
    `delay`) shape the next answers; `enforce_limits` makes it refuse sends over Telegram's
    rate limits, and `on_sent` reports each send as it happens. Thread-safe; usable as a
    context manager.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "danvan_test_bot",
        strict_file_ids: bool = True,
    ) -> None:
        """`strict_file_ids`: a send that reuses a file id this fake never issued (nor was
        given with `add_file` or `push_photo`/`push_document`) fails with 400, as on Telegram.
        """
        self.token = token
        head = token.split(":", 1)[0]
        self.bot_id = int(head) if head.isdigit() else 123456789
        self.bot_username = bot_username
        self.strict_file_ids = strict_file_ids
        self._cond = threading.Condition()
        self._calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._next_message_id: dict[Any, int] = {}
        self._messages: dict[tuple[Any, int], dict[str, Any]] = {}
        self._keyboards: dict[Any, dict[str, Any]] = {}  # a chat's reply keyboard, until removed
        self._chats: dict[Any, dict[str, Any]] = {}
        self._faults: list[_Fault] = []
        self._blocked: set[Any] = set()
        self._files: dict[str, _File] = {}
        self._paths: dict[str, _File] = {}
        self._uploads: list[Upload] = []
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._webhook: dict[str, Any] = {"url": ""}
        self._seq = itertools.count(1)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._limits: _Limits | None = None
        self._listeners: list[Callable[[Call], None]] = []

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Listen on 127.0.0.1 (ephemeral port) and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeTelegram already started")
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = serve_in_thread(self._server, "fake-telegram")

    def stop(self) -> None:
        """Stop serving: wakes long polls and delays, closes open connections, joins threads."""
        server, thread = self._server, self._thread
        if server is None:
            return
        shut_down(server, thread, self._cond, self._stopping)
        server.join_handlers(timeout=2)
        self._server = self._thread = None

    def __enter__(self) -> FakeTelegram:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port it listens on (only once started)."""
        if self._server is None:
            raise RuntimeError("FakeTelegram is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """PTB's `base_url`: PTB appends the token and `/<method>`."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's `base_file_url` (file downloads): PTB appends the token and `/<file_path>`."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ------------------------------------------------------------------ feeding updates

    def push_raw(self, update: dict[str, Any]) -> int:
        """Queue an update as given; assigns `update_id` when it has none. Returns the id."""
        with self._cond:
            update = dict(update)
            if "update_id" not in update:
                update["update_id"] = self._next_update_id
            update_id = int(update["update_id"])
            self._next_update_id = max(self._next_update_id, update_id + 1)
            self._updates.append(update)
            self._updates.sort(key=lambda u: int(u["update_id"]))
            self._cond.notify_all()
            return update_id

    def push_text(
        self,
        chat_id: int,
        text: str,
        *,
        first_name: str = "Lan",
        update_id: int | None = None,
        language_code: str | None = None,
        entities: list[dict[str, Any]] | None = None,
    ) -> int:
        """A user's text message in `chat_id` (a private chat for positive ids)."""
        extra: dict[str, Any] = {"text": text}
        if entities:
            extra["entities"] = entities
        return self._push_message(chat_id, extra, first_name, language_code, update_id)

    def push_command(
        self,
        chat_id: int,
        command: str,
        payload: str = "",
        *,
        first_name: str = "Lan",
        language_code: str | None = None,
    ) -> int:
        """A command such as `/start h_123` (`command` with or without the slash), with its
        `bot_command` entity."""
        name = command if command.startswith("/") else f"/{command}"
        text = f"{name} {payload}" if payload else name
        entity = {"type": "bot_command", "offset": 0, "length": _utf16_len(name)}
        return self._push_message(
            chat_id, {"text": text, "entities": [entity]}, first_name, language_code, None
        )

    def push_callback(
        self,
        chat_id: int,
        data: str,
        message_id: int = 1,
        *,
        first_name: str = "Lan",
        language_code: str | None = None,
    ) -> int:
        """A button press on message `message_id` of the chat (the stored message when the bot
        sent it, with its text and keyboard)."""
        with self._cond:
            user = self._user(chat_id, first_name, language_code)
            message = self._messages.get((chat_id, message_id))
            if message is None:
                message = {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": self._chat(chat_id),
                    "from": self._bot_user(),
                    "text": "",
                }
            query = {
                "id": str(next(self._seq) + 10_000_000),
                "from": user,
                "message": _copy(message),
                "chat_instance": f"ci{chat_id}",
                "data": data,
            }
            return self.push_raw({"callback_query": query})

    def push_contact(
        self, chat_id: int, phone: str, *, first_name: str = "Lan", own: bool = True
    ) -> int:
        """A shared contact; `own`: the user's own number (carries their `user_id`)."""
        contact: dict[str, Any] = {"phone_number": phone, "first_name": first_name}
        if own:
            contact["user_id"] = chat_id if chat_id > 0 else 1000
        return self._push_message(chat_id, {"contact": contact}, first_name, None, None)

    def push_photo(self, chat_id: int, file_id: str = "ph1", *, caption: str | None = None) -> int:
        """A photo from the user; the largest size carries `file_id` (getFile knows it)."""
        with self._cond:
            info = self._register_file("photo", b"\xff\xd8fake-jpeg", "photo.jpg", file_id=file_id)
        sizes = [
            {
                "file_id": f"{file_id}-small",
                "file_unique_id": f"{info.unique_id}s",
                "width": 90,
                "height": 90,
                "file_size": 1000,
            },
            {
                "file_id": file_id,
                "file_unique_id": info.unique_id,
                "width": 1280,
                "height": 960,
                "file_size": info.size,
            },
        ]
        extra: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            extra["caption"] = caption
        return self._push_message(chat_id, extra, "Lan", None, None)

    def push_sticker(self, chat_id: int, file_id: str = "st1") -> int:
        """A sticker from the user (a static one from a sticker set)."""
        sticker = {
            "file_id": file_id,
            "file_unique_id": f"{file_id}u",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "\U0001f44d",
        }
        return self._push_message(chat_id, {"sticker": sticker}, "Lan", None, None)

    def push_voice(self, chat_id: int, file_id: str = "vo1", duration: int = 4) -> int:
        """A voice message from the user (OGG/Opus, as Telegram's apps record it)."""
        voice = {
            "file_id": file_id,
            "file_unique_id": f"{file_id}u",
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": 9000,
        }
        return self._push_message(chat_id, {"voice": voice}, "Lan", None, None)

    def push_document(
        self,
        chat_id: int,
        file_id: str = "doc1",
        *,
        file_name: str = "giay-to.pdf",
        mime_type: str = "application/pdf",
    ) -> int:
        """A document from the user."""
        with self._cond:
            info = self._register_file("document", b"%PDF-fake", file_name, file_id=file_id)
        document = {
            "file_id": file_id,
            "file_unique_id": info.unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": info.size,
        }
        return self._push_message(chat_id, {"document": document}, "Lan", None, None)

    def add_file(self, file_id: str, data: bytes = b"fake", *, kind: str = "document") -> None:
        """Make `file_id` known (reusable in sends, downloadable with getFile)."""
        with self._cond:
            self._register_file(kind, data, f"{file_id}.bin", file_id=file_id)

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by a `getUpdates` offset."""
        with self._cond:
            return _copy(self._updates)

    # ------------------------------------------------------------------ what the bot did

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every request so far, in arrival order (failed ones included)."""
        with self._cond:
            return list(self._calls)

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Successful send*/edit* calls (sendChatAction excluded), optionally to one chat."""
        return [
            c
            for c in self.calls
            if c.ok and _is_send(c.method) and (chat_id is None or c.chat_id == chat_id)
        ]

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard the chat shows (ReplyKeyboardMarkup), until a message removes it."""
        with self._cond:
            return _copy(self._keyboards.get(chat_id))

    def markup_of(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The inline keyboard a sent message carries now (after any edit)."""
        with self._cond:
            message = self._messages.get((chat_id, message_id)) or {}
            return _copy(message.get("reply_markup"))

    def live_keyboards(self, chat_id: int) -> list[int]:
        """The ids of the chat's messages that still carry inline buttons, oldest first."""
        with self._cond:
            return sorted(
                mid
                for (chat, mid), message in self._messages.items()
                if chat == chat_id and "inline_keyboard" in (message.get("reply_markup") or {})
            )

    def texts(self, chat_id: int) -> list[str]:
        """The text or caption ("" when none) of each successful send* (not edit) to a chat."""
        return [c.text or "" for c in self.sent(chat_id) if c.method.startswith("send")]

    @property
    def uploads(self) -> list[Upload]:
        """Every file uploaded, in order."""
        with self._cond:
            return list(self._uploads)

    def commands(self, language_code: str = "", scope: dict[str, Any] | None = None) -> list[Any]:
        """The commands set for that scope (default scope when None) and language."""
        with self._cond:
            return list(self._commands.get((_scope_key(scope), language_code), []))

    def clear_faults(self) -> None:
        """Forget every fault not yet used up (blocked chats stay blocked)."""
        with self._cond:
            self._faults.clear()

    def clear_calls(self) -> None:
        """Forget the calls recorded so far (updates, messages and faults are kept)."""
        with self._cond:
            self._calls.clear()

    async def wait_for(
        self, predicate: Callable[[FakeTelegram], bool], timeout: float = 10.0
    ) -> None:
        """Wait until `predicate(self)` holds, checking every 10 ms; TimeoutError (with the
        calls so far) if it does not within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() >= deadline:
                calls = self.calls
                lines = [c.summary() for c in calls[-40:]]
                more = f"\n  ... {len(calls) - 40} earlier" if len(calls) > 40 else ""
                raise TimeoutError(
                    f"condition not met within {timeout}s; {len(calls)} calls:{more}\n  "
                    + "\n  ".join(lines)
                )
            await asyncio.sleep(0.01)

    def max_rate(self, window: float = 1.0, chat_id: int | None = None) -> int:
        """The most successful sends (arrival times) within any `window`-second span."""
        times = sorted(c.at for c in self.sent(chat_id))
        best = 0
        end = 0
        for start, t in enumerate(times):
            while end < len(times) and times[end] - t < window:
                end += 1
            best = max(best, end - start)
        return best

    # ------------------------------------------------------------------ faults

    def fail_with_429(
        self,
        n: int = 1,
        retry_after: int = 1,
        method: str = "sendMessage",
        chat_id: int | None = None,
    ) -> None:
        """The next `n` matching calls get 429 with `parameters.retry_after`. `method` "*"
        matches any send*/edit*."""
        self._add_fault(_Fault("429", n, method, chat_id, retry_after))

    def fail_with_5xx(
        self,
        n: int = 1,
        status: int = 502,
        method: str = "sendMessage",
        chat_id: int | None = None,
    ) -> None:
        """The next `n` matching calls get HTTP `status` (502 "Bad Gateway" by default)."""
        self._add_fault(_Fault("5xx", n, method, chat_id, status))

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every later send*/edit* to the chat gets 403."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """Undo `block`."""
        with self._cond:
            self._blocked.discard(chat_id)

    def delay(self, seconds: float, n: int = 1, method: str = "sendMessage") -> None:
        """Sleep `seconds` before answering the next `n` matching calls (then answer normally:
        as on Telegram, a request the client gave up on may still have been carried out)."""
        self._add_fault(_Fault("delay", n, method, None, seconds))

    def enforce_limits(
        self,
        overall: int = 30,
        window: float = 1.0,
        chat_rate: float = 1.0,
        chat_burst: float = 3,
    ) -> None:
        """Refuse sends beyond Telegram's limits with 429 and `retry_after` (opt-in).

        A send*/edit* is refused when `overall` sends were already accepted within the
        `window` seconds before it arrived (so no `window`-second span holds more than
        `overall`, as `max_rate` counts them), or when its chat has no token left in a bucket
        of `chat_burst` tokens refilled at `chat_rate` a second. `retry_after` is the whole
        seconds (at least 1) until it would be accepted. Refused sends do not count.
        """
        with self._cond:
            self._limits = _Limits(overall, window, chat_rate, chat_burst)

    def on_sent(self, callback: Callable[[Call], None]) -> None:
        """Call `callback` with each successful send*/edit* (what `sent()` lists) as soon as it
        is answered. It runs in the server's thread with the fake's lock held: it must be quick
        (e.g. `loop.call_soon_threadsafe`) and must not wait for anything."""
        with self._cond:
            self._listeners.append(callback)

    def _check_limits(self, method: str, chat_id: Any, now: float) -> None:
        """Raise 429 when a send arriving at `now` is over the enforced limits."""
        if self._limits is None or not _is_send(method):
            return
        wait = self._limits.wait(chat_id, now)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise ApiError(
                HTTPStatus.TOO_MANY_REQUESTS,
                f"Too Many Requests: retry after {seconds}",
                {"retry_after": seconds},
            )

    def _add_fault(self, fault: _Fault) -> None:
        with self._cond:
            self._faults.append(fault)

    def _take_fault(self, kinds: tuple[str, ...], method: str, chat_id: Any) -> _Fault | None:
        for fault in self._faults:
            if fault.kind in kinds and fault.matches(method, chat_id):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # ------------------------------------------------------------------ request handling

    def _dispatch(
        self, verb: str, target: str, content_type: str, body: bytes
    ) -> tuple[int, dict[str, Any] | bytes]:
        """Answer one HTTP request: (status, JSON object or raw bytes for file downloads)."""
        url = urlsplit(target)
        path = unquote(url.path)
        if path.startswith("/file/bot"):
            return self._download(path[len("/file/bot") :])
        match = re.fullmatch(r"/bot([^/]+)/([^/]+)", path)
        if match is None:
            return HTTPStatus.NOT_FOUND, _error(HTTPStatus.NOT_FOUND, "Not Found")
        token, name = match.groups()
        now = time.monotonic()
        try:
            raw, parts = _parse_params(url.query, content_type, body)
        except ValueError as exc:
            return HTTPStatus.BAD_REQUEST, _error(400, f"Bad Request: {exc}")
        params = {key: _decode(key, value) for key, value in raw.items()}
        handler = _HANDLERS.get(name.lower())
        method = handler[0] if handler else name
        pending = Call(method, params, now, raw=raw, http_method=verb)
        with self._cond:
            self._calls.append(pending)
        if token != self.token:
            return self._finish(pending, ApiError(HTTPStatus.UNAUTHORIZED, "Unauthorized"))
        if handler is None:
            error = ApiError(HTTPStatus.NOT_FOUND, "Not Found: method not found")
            return self._finish(pending, error)
        chat_id = params.get("chat_id")
        with self._cond:
            pause = self._take_fault(("delay",), method, chat_id)
        if pause is not None and self._stopping.wait(pause.value):
            return self._finish(pending, ApiError(HTTPStatus.SERVICE_UNAVAILABLE, "stopping"))
        with self._cond:
            try:
                if _is_send(method) and chat_id in self._blocked:
                    raise ApiError(HTTPStatus.FORBIDDEN, "Forbidden: bot was blocked by the user")
                fault = self._take_fault(("429", "5xx"), method, chat_id)
                if fault is not None and fault.kind == "429":
                    seconds = int(fault.value)
                    raise ApiError(
                        HTTPStatus.TOO_MANY_REQUESTS,
                        f"Too Many Requests: retry after {seconds}",
                        {"retry_after": seconds},
                    )
                if fault is not None:
                    status = int(fault.value)
                    raise ApiError(status, _phrase(status))
                self._check_limits(method, chat_id, now)
                context = _Context(params, parts)
                result = handler[1](self, context)
                if self._limits is not None and _is_send(method):
                    self._limits.accepted(chat_id, now)
            except ApiError as exc:
                return self._finish_locked(pending, exc)
            except Exception as exc:  # a bug in the fake: show it to the test
                error = ApiError(500, f"Internal Server Error: fake failed: {exc!r}")
                return self._finish_locked(pending, error)
            self._settle(
                pending,
                status=200,
                result=result,
                uploaded=context.uploaded,
                reused=context.reused,
            )
            return 200, {"ok": True, "result": result}

    def _finish(self, pending: Call, error: ApiError) -> tuple[int, dict[str, Any]]:
        with self._cond:
            return self._finish_locked(pending, error)

    def _finish_locked(self, pending: Call, error: ApiError) -> tuple[int, dict[str, Any]]:
        self._settle(pending, status=error.code, description=error.description)
        return error.code, _error(error.code, error.description, error.parameters)

    def _settle(self, pending: Call, **changes: Any) -> None:
        """Replace the pending call with its outcome (unless `clear_calls` dropped it)."""
        settled = replace(pending, **changes)
        for i in range(len(self._calls) - 1, -1, -1):
            if self._calls[i] is pending:
                self._calls[i] = settled
                break
        if settled.ok and _is_send(settled.method):
            for listener in self._listeners:
                listener(settled)

    def _download(self, rest: str) -> tuple[int, dict[str, Any] | bytes]:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            return HTTPStatus.UNAUTHORIZED, _error(401, "Unauthorized")
        with self._cond:
            info = self._paths.get(file_path)
        if info is None:
            return HTTPStatus.NOT_FOUND, _error(404, "Not Found")
        return HTTPStatus.OK, info.data

    # ------------------------------------------------------------------ state helpers
    # (called with self._cond held)

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Danvan Test",
            "username": self.bot_username,
        }

    def _user(self, chat_id: int, first_name: str, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": chat_id if chat_id > 0 else 1000,
            "is_bot": False,
            "first_name": first_name,
        }
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        known = self._chats.get(chat_id)
        if known is not None:
            return dict(known)
        if isinstance(chat_id, str):  # "@channelusername"
            digest = sum(ord(ch) for ch in chat_id)
            return {"id": -1001000000000 - digest, "type": "channel", "title": chat_id}
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Lan"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Test group"}

    def _new_message_id(self, chat_id: Any) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _push_message(
        self,
        chat_id: int,
        extra: dict[str, Any],
        first_name: str,
        language_code: str | None,
        update_id: int | None,
    ) -> int:
        with self._cond:
            user = self._user(chat_id, first_name, language_code)
            if chat_id > 0:
                self._chats[chat_id] = {"id": chat_id, "type": "private", "first_name": first_name}
            message = {
                "message_id": self._new_message_id(chat_id),
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": user,
                **extra,
            }
            update: dict[str, Any] = {"message": message}
            if update_id is not None:
                update["update_id"] = update_id
            return self.push_raw(update)

    def _bot_message(self, chat_id: Any, fields: dict[str, Any]) -> dict[str, Any]:
        message = {
            "message_id": self._new_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self._bot_user(),
            **{k: v for k, v in fields.items() if v is not None},
        }
        self._messages[(chat_id, message["message_id"])] = message
        return _copy(message)

    def _register_file(
        self,
        kind: str,
        data: bytes,
        filename: str,
        *,
        file_id: str | None = None,
        mime_type: str = "",
    ) -> _File:
        if file_id is not None and file_id in self._files:
            return self._files[file_id]
        n = next(self._seq)
        info = _File(
            file_id=file_id or f"fake-{kind}-{n}",
            unique_id=f"uniq-{kind}-{n}",
            kind=kind,
            size=len(data),
            data=data,
            filename=filename,
            mime_type=mime_type,
            path=f"{kind}s/file_{n}{_suffix(filename)}",
        )
        self._files[info.file_id] = info
        self._paths[info.path] = info
        return info


# ---------------------------------------------------------------------- API methods


@dataclass
class _Context:
    params: dict[str, Any]
    parts: dict[str, _Part]
    uploaded: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)

    def require(self, name: str) -> Any:
        value = self.params.get(name)
        if value is None or value == "":
            raise _bad(f"{name} is empty")
        return value


def _get_me(fake: FakeTelegram, ctx: _Context) -> Any:
    return {
        **fake._bot_user(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def _get_updates(fake: FakeTelegram, ctx: _Context) -> Any:
    if fake._webhook["url"]:
        raise ApiError(
            HTTPStatus.CONFLICT,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = int(ctx.params.get("offset") or 0)
    limit = max(1, min(100, int(ctx.params.get("limit") or 100)))
    timeout = max(0.0, float(ctx.params.get("timeout") or 0))
    allowed = ctx.params.get("allowed_updates") or None
    if offset < 0:
        del fake._updates[: max(0, len(fake._updates) + offset)]
    elif offset:
        fake._updates[:] = [u for u in fake._updates if int(u["update_id"]) >= offset]

    def ready() -> list[dict[str, Any]]:
        return [u for u in fake._updates if allowed is None or any(k in u for k in allowed)]

    deadline = time.monotonic() + timeout
    found = ready()
    while not found and not fake._stopping.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        fake._cond.wait(left)
        found = ready()
    return _copy(found[:limit])


def _set_webhook(fake: FakeTelegram, ctx: _Context) -> Any:
    fake._webhook = {"url": ctx.require("url")}
    if ctx.params.get("drop_pending_updates"):
        fake._updates.clear()
    return True


def _delete_webhook(fake: FakeTelegram, ctx: _Context) -> Any:
    fake._webhook = {"url": ""}
    if ctx.params.get("drop_pending_updates"):
        fake._updates.clear()
    return True


def _get_webhook_info(fake: FakeTelegram, ctx: _Context) -> Any:
    return {
        "url": fake._webhook["url"],
        "has_custom_certificate": False,
        "pending_update_count": len(fake._updates),
    }


def _track_keyboard(fake: FakeTelegram, chat_id: Any, markup: Any) -> None:
    """A reply keyboard stays under the chat until a message carries ReplyKeyboardRemove."""
    if not isinstance(markup, dict):
        return
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not rows or not all(isinstance(b, dict) and b.get("text") for r in rows for b in r):
            raise _bad("keyboard buttons must have a text")
        fake._keyboards[chat_id] = markup
    elif "remove_keyboard" in markup:
        if markup["remove_keyboard"] is not True:
            raise _bad("remove_keyboard must be true")
        fake._keyboards.pop(chat_id, None)


def _check_markup(markup: Any) -> dict[str, Any] | None:
    """Validates an inline keyboard; returns what a Message echoes (inline keyboards only)."""
    if not isinstance(markup, dict):
        return None
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None
    for row in rows:
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise _bad("BUTTON_DATA_INVALID")
            if not set(button) - {"text"}:
                raise _bad("text buttons are unallowed in the inline keyboard")
    return markup


def _check_caption(ctx: _Context) -> str | None:
    caption = ctx.params.get("caption")
    if caption is not None and _utf16_len(caption) > MAX_CAPTION:
        raise _bad("message caption is too long")
    return caption


def _send_message(fake: FakeTelegram, ctx: _Context) -> Any:
    chat_id = ctx.require("chat_id")
    text = ctx.params.get("text")
    if not text or not str(text).strip():
        raise _bad("message text is empty")
    if _utf16_len(text) > MAX_TEXT:
        raise _bad("message is too long")
    markup = _check_markup(ctx.params.get("reply_markup"))
    _track_keyboard(fake, chat_id, ctx.params.get("reply_markup"))
    return fake._bot_message(
        chat_id,
        {"text": text, "entities": ctx.params.get("entities"), "reply_markup": markup},
    )


def _send_media(kind: str) -> Callable[[FakeTelegram, _Context], Any]:
    def send(fake: FakeTelegram, ctx: _Context) -> Any:
        chat_id = ctx.require("chat_id")
        caption = _check_caption(ctx)
        markup = _check_markup(ctx.params.get("reply_markup"))
        _track_keyboard(fake, chat_id, ctx.params.get("reply_markup"))
        value = ctx.params.get(kind)
        part = ctx.parts.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            part = ctx.parts.get(value[len("attach://") :])
        if part is not None and part.filename is not None:
            info = fake._register_file(kind, part.data, part.filename, mime_type=part.content_type)
            ctx.uploaded.append(part.filename)
            fake._uploads.append(
                Upload(
                    "send" + kind.capitalize(),
                    part.name,
                    part.filename,
                    len(part.data),
                    part.content_type,
                    info.file_id,
                    part.data,
                )
            )
        elif isinstance(value, str) and value:
            ctx.reused.append(value)
            if value.startswith(("http://", "https://")):
                info = fake._register_file(kind, b"downloaded", value.rsplit("/", 1)[-1])
            elif value in fake._files:
                info = fake._files[value]
            elif fake.strict_file_ids:
                raise _bad("wrong file identifier/HTTP URL specified")
            else:
                info = fake._register_file(kind, b"fake", "file", file_id=value)
        else:
            raise _bad(f"there is no {kind} in the request")
        return fake._bot_message(
            chat_id,
            {
                kind: _media_object(kind, info),
                "caption": caption,
                "caption_entities": ctx.params.get("caption_entities"),
                "reply_markup": markup,
            },
        )

    return send


def _media_object(kind: str, info: _File) -> Any:
    base = {"file_id": info.file_id, "file_unique_id": info.unique_id, "file_size": info.size}
    if kind == "photo":
        return [{**base, "width": 800, "height": 600}]
    if kind == "video":
        return {**base, "width": 640, "height": 360, "duration": 1}
    if kind in ("audio", "voice"):
        return {**base, "duration": 1}
    document = {**base, "file_name": info.filename}
    if info.mime_type:
        document["mime_type"] = info.mime_type
    return document


def _send_chat_action(fake: FakeTelegram, ctx: _Context) -> Any:
    ctx.require("chat_id")
    ctx.require("action")
    return True


def _answer_callback_query(fake: FakeTelegram, ctx: _Context) -> Any:
    ctx.require("callback_query_id")
    text = ctx.params.get("text")
    if text is not None and len(text) > 200:
        raise _bad("MESSAGE_TOO_LONG")
    return True


def _edit(fake: FakeTelegram, ctx: _Context, changes: dict[str, Any]) -> Any:
    if ctx.params.get("inline_message_id"):
        return True
    chat_id = ctx.require("chat_id")
    message_id = int(ctx.require("message_id"))
    raw = ctx.params.get("reply_markup")
    if isinstance(raw, dict) and "inline_keyboard" not in raw:  # edits take inline keyboards only
        raise _bad("inline keyboard expected")
    markup = _check_markup(raw)
    stored = fake._messages.get((chat_id, message_id))
    if stored is None:  # not sent through this fake: edit it anyway
        stored = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": fake._chat(chat_id),
            "from": fake._bot_user(),
        }
    new = {**stored, **changes}
    new.pop("reply_markup", None)
    if markup is not None:
        new["reply_markup"] = markup
    if (chat_id, message_id) in fake._messages and _same(stored, new):
        raise _bad(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a content and reply markup of the current message"
        )
    new["edit_date"] = int(time.time())
    fake._messages[(chat_id, message_id)] = new
    return _copy(new)


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    keys = ("text", "caption", "reply_markup")
    return all(old.get(k) == new.get(k) for k in keys)


def _edit_message_text(fake: FakeTelegram, ctx: _Context) -> Any:
    text = ctx.params.get("text")
    if not text or not str(text).strip():
        raise _bad("message text is empty")
    if _utf16_len(text) > MAX_TEXT:
        raise _bad("MESSAGE_TOO_LONG")
    return _edit(fake, ctx, {"text": text, "entities": ctx.params.get("entities")})


def _edit_message_caption(fake: FakeTelegram, ctx: _Context) -> Any:
    return _edit(fake, ctx, {"caption": _check_caption(ctx)})


def _edit_message_reply_markup(fake: FakeTelegram, ctx: _Context) -> Any:
    return _edit(fake, ctx, {})


def _delete_message(fake: FakeTelegram, ctx: _Context) -> Any:
    chat_id = ctx.require("chat_id")
    fake._messages.pop((chat_id, int(ctx.require("message_id"))), None)
    return True


def _scope_key(scope: Any) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _set_my_commands(fake: FakeTelegram, ctx: _Context) -> Any:
    commands = ctx.params.get("commands")
    if not isinstance(commands, list):
        raise _bad("can't parse commands JSON object")
    if len(commands) > 100:
        raise _bad("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
            raise _bad("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
    key = (_scope_key(ctx.params.get("scope")), ctx.params.get("language_code") or "")
    fake._commands[key] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


def _get_my_commands(fake: FakeTelegram, ctx: _Context) -> Any:
    key = (_scope_key(ctx.params.get("scope")), ctx.params.get("language_code") or "")
    return list(fake._commands.get(key, []))


def _delete_my_commands(fake: FakeTelegram, ctx: _Context) -> Any:
    key = (_scope_key(ctx.params.get("scope")), ctx.params.get("language_code") or "")
    fake._commands.pop(key, None)
    return True


def _get_file(fake: FakeTelegram, ctx: _Context) -> Any:
    file_id = ctx.require("file_id")
    info = fake._files.get(file_id)
    if info is None:
        raise _bad("invalid file_id")
    return {
        "file_id": info.file_id,
        "file_unique_id": info.unique_id,
        "file_size": info.size,
        "file_path": info.path,
    }


def _ok(fake: FakeTelegram, ctx: _Context) -> Any:
    return True


_ApiMethod = Callable[[FakeTelegram, _Context], Any]
_HANDLERS: dict[str, tuple[str, _ApiMethod]] = {
    name.lower(): (name, func)
    for name, func in [
        ("getMe", _get_me),
        ("getUpdates", _get_updates),
        ("setWebhook", _set_webhook),
        ("deleteWebhook", _delete_webhook),
        ("getWebhookInfo", _get_webhook_info),
        ("sendMessage", _send_message),
        *[(method, _send_media(kind)) for method, kind in MEDIA_METHODS.items()],
        ("sendChatAction", _send_chat_action),
        ("answerCallbackQuery", _answer_callback_query),
        ("editMessageText", _edit_message_text),
        ("editMessageCaption", _edit_message_caption),
        ("editMessageReplyMarkup", _edit_message_reply_markup),
        ("deleteMessage", _delete_message),
        ("setMyCommands", _set_my_commands),
        ("getMyCommands", _get_my_commands),
        ("deleteMyCommands", _delete_my_commands),
        ("getFile", _get_file),
        ("close", _ok),
        ("logOut", _ok),
    ]
}


# ---------------------------------------------------------------------- wire format


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def _copy(value: _T) -> _T:
    """A deep copy of JSON-shaped data (what the client gets never aliases the fake's state)."""
    return cast(_T, json.loads(json.dumps(value)))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server Error"


def _suffix(filename: str) -> str:
    match = re.search(r"\.[A-Za-z0-9]{1,5}$", filename)
    return match.group(0) if match else ""


def _decode(name: str, value: Any) -> Any:
    """A wire value as the Bot API type: strings for String parameters, else JSON if it parses."""
    if not isinstance(value, str) or name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_params(
    query: str, content_type: str, body: bytes
) -> tuple[dict[str, Any], dict[str, _Part]]:
    """The raw (string) parameters from the query and body, and the multipart file parts."""
    raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    parts: dict[str, _Part] = {}
    mime = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return raw, parts
    if mime == "application/x-www-form-urlencoded":
        raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
    elif mime == "multipart/form-data":
        match = re.search(r'boundary="?([^";]+)"?', content_type)
        if match is None:
            raise ValueError("multipart body without boundary")
        for part in _parse_multipart(body, match.group(1).encode("latin-1")):
            if part.filename is None:
                raw[part.name] = part.data.decode("utf-8")
            else:
                parts[part.name] = part
    elif mime == "application/json":
        loaded = json.loads(body)
        if not isinstance(loaded, dict):
            raise ValueError("JSON body is not an object")
        raw.update(
            {
                k: v if isinstance(v, str) or k in _STRING_PARAMS else json.dumps(v)
                for k, v in loaded.items()
            }
        )
    else:
        raise ValueError(f"unsupported Content-Type {content_type!r}")
    return raw, parts


def _parse_multipart(body: bytes, boundary: bytes) -> Iterator[_Part]:
    delimiter = b"--" + boundary
    chunks = body.split(delimiter)
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n")
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("malformed multipart part")
        data = data.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name = re.search(r'(?:^|;)\s*name="([^"]*)"', disposition)
        filename = re.search(r'(?:^|;)\s*filename="([^"]*)"', disposition)
        if name is None:
            raise ValueError("multipart part without a name")
        yield _Part(
            name=unquote(name.group(1)),
            filename=unquote(filename.group(1)) if filename else None,
            content_type=headers.get("content-type", "application/octet-stream"),
            data=data,
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # listen backlog: a client may open hundreds of connections at once

    def __init__(self, address: tuple[str, int], handler: type[_Handler], fake: FakeTelegram):
        self.fake = fake
        self._open: dict[socket.socket, threading.Thread] = {}
        self._open_lock = threading.Lock()
        self._answering = 0  # requests read and not yet answered
        self._answered = threading.Condition()
        super().__init__(address, handler)

    @contextlib.contextmanager
    def answering(self) -> Iterator[None]:
        """Count a request as being answered until its answer is written."""
        with self._answered:
            self._answering += 1
        try:
            yield
        finally:
            with self._answered:
                self._answering -= 1
                self._answered.notify_all()

    def track(self, conn: socket.socket) -> None:
        with self._open_lock:
            self._open[conn] = threading.current_thread()

    def untrack(self, conn: socket.socket) -> None:
        with self._open_lock:
            self._open.pop(conn, None)

    def close_connections(self) -> None:
        """Close every connection, once the requests being answered (long polls woken by the
        stop) have written their answers, or after ANSWER_GRACE seconds."""
        with self._answered:
            self._answered.wait_for(lambda: self._answering == 0, timeout=ANSWER_GRACE)
        with self._open_lock:
            conns = list(self._open)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def join_handlers(self, timeout: float) -> None:
        with self._open_lock:
            threads = list(self._open.values())
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.fake._stopping.is_set():
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes: avoid 40 ms stalls
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.untrack(self.connection)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self, verb: str) -> None:
        with self.server.answering():
            self._answer(verb)

    def _answer(self, verb: str) -> None:
        body = self._read_body()
        content_type = self.headers.get("Content-Type", "")
        try:
            status, answer = self.server.fake._dispatch(verb, self.path, content_type, body)
        except Exception as exc:  # never leave the client hanging on a bug in the fake
            status, answer = 500, _error(500, f"Internal Server Error: fake failed: {exc!r}")
        if isinstance(answer, bytes):
            payload, mime = answer, "application/octet-stream"
        else:
            payload, mime = json.dumps(answer).encode("utf-8"), "application/json"
        try:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
        except OSError:  # the client gave up (timeout) or the fake is stopping
            self.close_connection = True
