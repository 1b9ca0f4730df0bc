"""The fake Telegram server, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram import Bot as PTBBot
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from tests.fakes import FakeTelegram


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns on every RetryAfter unless opted in to timedelta periods."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[PTBBot]:
    client = PTBBot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
    async with client:
        yield client


KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Có", callback_data="yes")],
        [InlineKeyboardButton("Không", callback_data="no")],
    ]
)


async def test_get_me(bot: PTBBot, fake: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.id == fake.bot_id
    assert me.username == fake.bot_username
    assert [c.method for c in fake.calls] == ["getMe", "getMe"]  # initialize() + ours
    assert fake.sent() == []


async def test_send_message_with_inline_keyboard(bot: PTBBot, fake: FakeTelegram) -> None:
    first = await bot.send_message(42, "Xin chào", reply_markup=KEYBOARD)
    second = await bot.send_message("42", "Lần hai", disable_notification=True)

    assert first.message_id == 1 and second.message_id == 2
    assert first.chat.id == 42 and first.chat.type == "private"
    assert first.text == "Xin chào"
    assert first.reply_markup == KEYBOARD
    assert first.from_user is not None and first.from_user.id == fake.bot_id

    call = fake.sent(42)[0]
    assert call.method == "sendMessage"
    assert call.params["chat_id"] == 42
    assert call.params["text"] == "Xin chào"
    assert call.params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Có", "callback_data": "yes"}],
            [{"text": "Không", "callback_data": "no"}],
        ]
    }
    # On the wire everything is a string; non-strings are JSON.
    assert call.raw["chat_id"] == "42"
    assert json.loads(call.raw["reply_markup"]) == call.params["reply_markup"]
    assert fake.sent(42)[1].raw["disable_notification"] == "true"
    assert fake.texts(42) == ["Xin chào", "Lần hai"]
    assert fake.texts(7) == []


async def test_text_that_looks_like_json_stays_text(bot: PTBBot, fake: FakeTelegram) -> None:
    await bot.send_message(42, "123")
    await bot.send_message(42, "true")
    assert fake.texts(42) == ["123", "true"]


async def test_get_updates_parses_pushed_updates(bot: PTBBot, fake: FakeTelegram) -> None:
    ids = [
        fake.push_text(42, "xin chào"),
        fake.push_command(42, "start", "h_123"),
        fake.push_callback(42, "yes", message_id=1),
        fake.push_contact(42, "+84901234567"),
    ]
    assert ids == [1, 2, 3, 4]

    updates = await bot.get_updates(offset=0, timeout=1)
    assert [u.update_id for u in updates] == ids
    text, command, callback, contact = updates
    assert isinstance(text, Update)
    assert text.message is not None and text.message.text == "xin chào"
    assert text.effective_chat is not None and text.effective_chat.type == "private"
    assert text.effective_user is not None and text.effective_user.first_name == "Lan"

    assert command.message is not None and command.message.text == "/start h_123"
    entity = command.message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)
    assert command.message.parse_entities() == {entity: "/start"}

    query = callback.callback_query
    assert query is not None and query.data == "yes"
    assert query.from_user.id == 42
    assert query.message is not None and query.message.chat.id == 42

    assert contact.message is not None and contact.message.contact is not None
    assert contact.message.contact.phone_number == "+84901234567"
    assert contact.message.contact.user_id == 42

    # Not confirmed yet: the same updates again; an offset confirms them.
    assert len(await bot.get_updates(timeout=0)) == 4
    assert await bot.get_updates(offset=ids[-1] + 1, timeout=0) == ()
    assert fake.pending_updates() == []

    fake.push_text(42, "sau", update_id=10)
    assert fake.push_text(42, "nữa") == 11
    more = await bot.get_updates(offset=5, limit=1)
    assert [u.update_id for u in more] == [10]


async def test_callback_carries_the_message_the_bot_sent(bot: PTBBot, fake: FakeTelegram) -> None:
    sent = await bot.send_message(42, "Chọn", reply_markup=KEYBOARD)
    fake.push_callback(42, "no", message_id=sent.message_id)
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    assert query.message.text == "Chọn"
    assert query.message.reply_markup == KEYBOARD

    assert await bot.answer_callback_query(query.id)
    edited = await bot.edit_message_text("Đã chọn: Không", chat_id=42, message_id=sent.message_id)
    assert getattr(edited, "text", None) == "Đã chọn: Không"
    assert getattr(edited, "reply_markup", None) is None  # editing text drops the keyboard
    await bot.edit_message_reply_markup(
        chat_id=42, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=42, message_id=sent.message_id, reply_markup=KEYBOARD
        )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Đã chọn: Không", chat_id=42, message_id=sent.message_id, reply_markup=KEYBOARD
        )
    assert [c.method for c in fake.sent(42)] == [
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
    ]
    assert fake.texts(42) == ["Chọn"]


async def test_429_is_retry_after(bot: PTBBot, fake: FakeTelegram) -> None:
    fake.fail_with_429(retry_after=1)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(42, "một")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    await bot.send_message(42, "hai")

    assert fake.texts(42) == ["hai"]
    failed = [c for c in fake.calls if c.method == "sendMessage" and not c.ok]
    assert [(c.status, c.text) for c in failed] == [(429, "một")]
    assert failed[0].description == "Too Many Requests: retry after 1"


async def test_faults_filter_by_method_and_chat(bot: PTBBot, fake: FakeTelegram) -> None:
    fake.fail_with_429(n=2, method="*", chat_id=7)
    await bot.send_message(42, "khác")
    with pytest.raises(RetryAfter):
        await bot.send_message(7, "a")
    assert await bot.send_chat_action(7, "typing")  # not a send: does not use up the fault
    with pytest.raises(RetryAfter):
        await bot.send_document(7, b"x", filename="x.txt")
    await bot.send_message(7, "c")
    assert fake.texts(7) == ["c"]
    assert fake.texts(42) == ["khác"]


async def test_5xx_is_network_error(bot: PTBBot, fake: FakeTelegram) -> None:
    fake.fail_with_5xx()
    with pytest.raises(NetworkError, match="Bad Gateway") as caught:
        await bot.send_message(42, "một")
    assert not isinstance(caught.value, TimedOut)
    await bot.send_message(42, "hai")
    assert fake.texts(42) == ["hai"]
    assert [c.status for c in fake.calls if c.method == "sendMessage"] == [502, 200]


async def test_blocked_chat_is_forbidden(bot: PTBBot, fake: FakeTelegram) -> None:
    fake.block(42)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(42, "một")
    with pytest.raises(Forbidden):
        await bot.send_message(42, "hai")
    await bot.send_message(43, "ba")
    assert fake.sent(42) == []
    assert fake.texts(43) == ["ba"]


async def test_delay_makes_the_client_time_out(bot: PTBBot, fake: FakeTelegram) -> None:
    fake.delay(0.3)
    with pytest.raises(TimedOut):
        await bot.send_message(42, "chậm", read_timeout=0.1)
    # As on Telegram, the message may still go out after the client gave up.
    await fake.wait_for(lambda f: f.texts(42) == ["chậm"], timeout=2)


async def test_send_photo_upload_then_reuse(
    bot: PTBBot, fake: FakeTelegram, tmp_path: Path
) -> None:
    path = tmp_path / "ban-do.jpg"
    path.write_bytes(b"\xff\xd8" + bytes(range(256)) * 10 + b"\r\n--not-a-boundary\r\n")
    with path.open("rb") as handle:
        first = await bot.send_photo(42, handle, caption="Bản đồ")
    file_id = first.photo[-1].file_id
    second = await bot.send_photo(42, file_id)
    third = await bot.send_photo(42, "https://example.org/x.png")

    assert second.photo[-1].file_id == file_id
    assert second.photo[-1].file_unique_id == first.photo[-1].file_unique_id
    assert third.photo[-1].file_id != file_id
    upload, reuse, url = fake.sent(42)
    assert upload.uploaded == ["ban-do.jpg"] and upload.reused == []
    assert upload.params["caption"] == "Bản đồ" and "photo" not in upload.params
    assert reuse.uploaded == [] and reuse.reused == [file_id]
    assert url.reused == ["https://example.org/x.png"]
    (stored,) = fake.uploads
    assert stored.size == path.stat().st_size
    assert stored.data == path.read_bytes()
    assert stored.file_id == file_id
    assert fake.texts(42) == ["Bản đồ", "", ""]

    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(42, "never-issued")


async def test_other_media_and_downloads(bot: PTBBot, fake: FakeTelegram) -> None:
    doc = await bot.send_document(42, b"%PDF-1.4 hello", filename="don.pdf")
    assert doc.document is not None and doc.document.file_name == "don.pdf"
    voice = await bot.send_voice(42, b"OggS", filename="v.ogg")
    assert voice.voice is not None and voice.voice.file_id != doc.document.file_id
    audio = await bot.send_audio(42, b"ID3", filename="a.mp3")
    video = await bot.send_video(42, b"mp4", filename="v.mp4")
    assert audio.audio is not None and video.video is not None
    assert [c.method for c in fake.sent(42)] == [
        "sendDocument",
        "sendVoice",
        "sendAudio",
        "sendVideo",
    ]

    file = await bot.get_file(doc.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 hello"
    fake.push_photo(42, "ph1")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.photo[-1].file_id == "ph1"
    await bot.send_photo(42, "ph1")  # a file id the user sent can be reused


async def test_commands_per_language(bot: PTBBot, fake: FakeTelegram) -> None:
    await bot.set_my_commands([BotCommand("start", "Bắt đầu")], language_code="vi")
    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    await bot.set_my_commands([BotCommand("menu", "Menu")], scope=BotCommandScopeChat(42))

    assert [c.description for c in await bot.get_my_commands(language_code="vi")] == ["Bắt đầu"]
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert await bot.get_my_commands(language_code="en") == ()
    chat = await bot.get_my_commands(scope=BotCommandScopeChat(42))
    assert [c.command for c in chat] == ["menu"]
    assert fake.commands("vi") == [{"command": "start", "description": "Bắt đầu"}]

    assert await bot.delete_my_commands(language_code="vi")
    assert await bot.get_my_commands(language_code="vi") == ()
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_long_poll_returns_early_on_push(bot: PTBBot, fake: FakeTelegram) -> None:
    timer = threading.Timer(0.2, fake.push_text, args=(42, "đây"))
    timer.start()
    try:  # the poll may wait 60 s: only an early answer ends it within the 20 s allowed
        updates = await asyncio.wait_for(bot.get_updates(timeout=60, read_timeout=70), 20)
    finally:
        timer.cancel()
    assert [u.message.text for u in updates if u.message] == ["đây"]


async def test_long_poll_waits_for_timeout(bot: PTBBot, fake: FakeTelegram) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9  # held, not answered at once


async def test_webhook_methods(bot: PTBBot, fake: FakeTelegram) -> None:
    assert await bot.set_webhook("https://example.org/hook")
    info = await bot.get_webhook_info()
    assert info.url == "https://example.org/hook"
    with pytest.raises(Exception, match="Conflict"):
        await bot.get_updates()
    fake.push_text(42, "x")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()
    assert await bot.close() and await bot.log_out()


async def test_unknown_method_and_wrong_token(bot: PTBBot, fake: FakeTelegram) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendNothing")
    assert fake.calls[-1].status == 404

    request, updates_request = HTTPXRequest(), HTTPXRequest()
    stranger = PTBBot(
        "999:wrong", base_url=fake.base_url, request=request, get_updates_request=updates_request
    )
    try:
        with pytest.raises(InvalidToken):
            await stranger.initialize()  # initialize() verifies the token with getMe
    finally:  # Bot.shutdown() does nothing for a bot that never initialized
        await request.shutdown()
        await updates_request.shutdown()
    assert fake.calls[-1].status == 401


def test_plain_get_with_query_string(fake: FakeTelegram) -> None:
    fake.push_text(5, "a")
    fake.push_text(5, "b")
    url = f"{fake.base_url}{fake.token}/getupdates?offset=2&limit=5"
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    assert body["ok"] is True
    assert [u["message"]["text"] for u in body["result"]] == ["b"]
    assert fake.calls[-1].method == "getUpdates"
    assert fake.calls[-1].http_method == "GET"

    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{fake.base_url}{fake.token}/nope", timeout=5)
    assert caught.value.code == 404
    assert json.load(caught.value) == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }


async def test_rejects_what_telegram_rejects(bot: PTBBot, fake: FakeTelegram) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(42, "x" * 4097)
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(42, "ok", reply_markup=long_data)
    assert fake.sent() == []


async def test_max_rate_and_wait_for(bot: PTBBot, fake: FakeTelegram) -> None:
    for i in range(3):
        await bot.send_message(1, f"m{i}")
    await bot.send_message(2, "other")
    assert fake.max_rate() == 4
    assert fake.max_rate(chat_id=2) == 1
    assert fake.max_rate(window=0.0) == 0

    await fake.wait_for(lambda f: len(f.sent()) == 4, timeout=0.1)
    with pytest.raises(TimeoutError, match=r"sendMessage chat=2 -> 200 'other'"):
        await fake.wait_for(lambda f: len(f.sent()) == 5, timeout=0.05)


async def test_enforced_limits_answer_429_and_on_sent_reports_sends(
    bot: PTBBot, fake: FakeTelegram
) -> None:
    seen: list[str | None] = []
    fake.on_sent(lambda call: seen.append(call.text))
    fake.enforce_limits(overall=4, window=0.3, chat_rate=1.0, chat_burst=2)
    await bot.send_message(1, "a")
    await bot.send_message(1, "b")
    with pytest.raises(RetryAfter) as per_chat:  # the chat's burst of 2 is used up
        await bot.send_message(1, "c")
    await bot.send_message(2, "d")
    await bot.send_message(3, "e")
    with pytest.raises(RetryAfter) as overall:  # 4 sends in the window already
        await bot.send_message(4, "f")
    assert per_chat.value.retry_after == overall.value.retry_after == dtm.timedelta(seconds=1)
    await asyncio.sleep(0.35)
    await bot.send_message(4, "g")
    assert seen == ["a", "b", "d", "e", "g"]
    statuses = [c.status for c in fake.calls if c.method == "sendMessage"]
    assert statuses == [200, 200, 429, 200, 200, 429, 200]
    assert fake.max_rate(window=0.3) == 4


async def test_application_replies(fake: FakeTelegram) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"Bạn nói: {update.effective_message.text}")

    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        fake.push_text(42, "chào")
        await fake.wait_for(lambda f: f.texts(42) == ["Bạn nói: chào"], timeout=5)
        await app.updater.stop()
        await app.stop()
    assert fake.pending_updates() == []  # the updater confirmed what it handled
    methods = {c.method for c in fake.calls}
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage"} <= methods


def test_stop_wakes_a_pending_long_poll() -> None:
    fake = FakeTelegram()
    fake.start()
    url = f"{fake.base_url}{fake.token}/getUpdates?timeout=30"
    result: list[object] = []

    def poll() -> None:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                result.append(json.load(response))
        except Exception as exc:
            result.append(exc)

    thread = threading.Thread(target=poll)
    thread.start()
    deadline = time.monotonic() + 5
    while not fake.calls and time.monotonic() < deadline:
        time.sleep(0.01)
    fake.stop()
    thread.join(5)  # the poll asked to wait 30 s: only the stop can end it this soon
    assert not thread.is_alive()
    assert result and result[0] == {"ok": True, "result": []}


async def test_busy_event_loop_does_not_stall_the_server(fake: FakeTelegram) -> None:
    # The server has its own thread: a blocking test body still gets answers from it.
    url = f"{fake.base_url}{fake.token}/getMe"
    body = await asyncio.to_thread(lambda: json.load(urllib.request.urlopen(url, timeout=5)))
    assert body["result"]["is_bot"] is True
    with urllib.request.urlopen(url, timeout=5) as response:  # blocking, on the loop's thread
        assert json.load(response)["ok"] is True
