"""The HTTP endpoint's routes, in process through httpx's ASGITransport: statuses and media."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.channels.http import HttpEndpoint

SECRET = "s3cret-s3cret-s3cret"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


class Recorder:
    """A deliver function that keeps what it got, or raises what it is told to."""

    def __init__(self) -> None:
        self.got: list[dict[str, object]] = []
        self.raises: Exception | None = None

    async def __call__(self, update: dict[str, object]) -> None:
        if self.raises is not None:
            raise self.raises
        self.got.append(update)


class Body:
    """A request body streamed in chunks, counting how many chunks the server pulled."""

    def __init__(self, chunks: int, size: int = 64 * 1024) -> None:
        self.chunks, self.size, self.pulled = chunks, size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.pulled += 1
            yield b" " * self.size


@pytest.fixture
def deliver() -> Recorder:
    return Recorder()


@pytest.fixture
async def client(deliver: Recorder, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "clip.mp4").write_bytes(bytes(range(256)) * 400)
    (tmp_path / "media" / "notes.yaml").write_text("secret: yes\n")
    (tmp_path / "private.png").write_bytes(b"\x89PNG")
    endpoint = HttpEndpoint("127.0.0.1", 0)
    endpoint.add_webhook("/hook", HEADER, SECRET, deliver)
    endpoint.serve_media("/media", tmp_path / "media")
    transport = httpx.ASGITransport(app=endpoint.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as http:
        yield http


async def _post(client: httpx.AsyncClient, body: object, secret: str = SECRET) -> int:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = await client.post("/hook", content=content, headers={HEADER: secret})
    return answer.status_code


async def test_the_right_secret_is_handled_with_200(
    client: httpx.AsyncClient, deliver: Recorder
) -> None:
    assert await _post(client, {"update_id": 1}) == 200
    assert deliver.got == [{"update_id": 1}]


async def test_a_wrong_secret_is_refused_before_the_body_is_read(
    client: httpx.AsyncClient, deliver: Recorder
) -> None:
    body = Body(chunks=20)
    answer = await client.post("/hook", content=body, headers={HEADER: SECRET[:-1] + "x"})
    assert answer.status_code == 403 and body.pulled == 0
    assert (await client.post("/hook", content=b"{}")).status_code == 403
    assert deliver.got == []


@pytest.mark.parametrize("body", [[{"update_id": 1}], "text", 3, None, b"{not json", b"\xff\xfe"])
async def test_a_body_that_is_not_a_json_object_gets_400_and_is_not_delivered(
    client: httpx.AsyncClient, deliver: Recorder, body: object
) -> None:
    assert await _post(client, body) == 400
    assert deliver.got == []


async def test_an_unreadable_update_gets_400_and_a_failure_500(
    client: httpx.AsyncClient, deliver: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    deliver.raises = ValueError("unknown update")
    assert await _post(client, {"update_id": 1}) == 400
    deliver.raises = RuntimeError("the database said no to Nguyễn Văn Lan")
    assert await _post(client, {"update_id": 2, "text": "Nguyễn Văn Lan"}) == 500
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1 and "RuntimeError" in failures[0].getMessage()
    assert "Lan" not in caplog.text  # neither the body nor the exception's message


async def test_a_body_over_1_mib_gets_413_while_it_streams(
    client: httpx.AsyncClient, deliver: Recorder
) -> None:
    body = Body(chunks=1000)  # 64 MB if it were all read
    answer = await client.post("/hook", content=body, headers={HEADER: SECRET})
    assert answer.status_code == 413 and body.pulled <= 17 and deliver.got == []
    declared = {HEADER: SECRET, "Content-Length": str(2 << 20)}
    answer = await client.post("/hook", content=Body(chunks=32), headers=declared)
    assert answer.status_code == 413


async def test_media_answers_ranges_with_206_and_the_right_bytes(client: httpx.AsyncClient) -> None:
    whole = bytes(range(256)) * 400
    full = await client.get("/media/clip.mp4")
    assert full.status_code == 200 and full.content == whole
    assert full.headers["content-type"] == "video/mp4"
    part = await client.get("/media/clip.mp4", headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.content == whole[1000:2000]
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(whole)}"
    tail = await client.get("/media/clip.mp4", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == whole[-10:]


@pytest.mark.parametrize(
    "path", ["/media/notes.yaml", "/media/%2e%2e/private.png", "/media/missing.png", "/media/"]
)
async def test_media_refuses_other_types_traversal_and_missing_files(
    client: httpx.AsyncClient, path: str
) -> None:
    assert (await client.get(path)).status_code == 404


async def test_an_unknown_route_is_404(client: httpx.AsyncClient) -> None:
    assert (await client.post("/other", content=b"{}", headers={HEADER: SECRET})).status_code == 404
