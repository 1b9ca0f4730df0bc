"""`danvan run` with few file descriptors: a flood of idle connections is refused, quietly."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.channels.process import start_run
from tests.fakes.zalo_server import FakeZalo

IMAGE = "/media/images/sample/intro.png"


@pytest.fixture
def fake() -> Iterator[FakeZalo]:
    with FakeZalo() as server:
        yield server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _get(url: str, tries: int) -> int:
    """The status of GET `url`, tried up to `tries` times half a second apart until 200."""
    status = 0
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(tries):
            with contextlib.suppress(httpx.HTTPError):
                status = (await client.get(url)).status_code
                if status == 200:
                    return status
            await asyncio.sleep(0.5)
    return status


async def _open(port: int) -> asyncio.StreamWriter | None:
    with contextlib.suppress(OSError, TimeoutError):
        return (await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10))[1]
    return None


async def _idle(
    port: int, count: int, proc: asyncio.subprocess.Process | None
) -> list[asyncio.StreamWriter]:
    """`count` connections opened at once and left idle; with `proc`, the process is stopped
    while they arrive, so that it finds the whole flood waiting (a busy machine does the same,
    less surely)."""
    if proc is not None:
        proc.send_signal(signal.SIGSTOP)
    opening = asyncio.gather(*(_open(port) for _ in range(count)))
    if proc is not None:
        await asyncio.sleep(0.5)
        proc.send_signal(signal.SIGCONT)
    return [writer for writer in await opening if writer is not None]


async def _stop(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), 30)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise


@pytest.mark.parametrize("paused", [False, True], ids=["as-they-come", "piled-up"])
async def test_400_idle_connections_on_256_descriptors(
    fake: FakeZalo, tmp_path: Path, paused: bool
) -> None:
    port = _free_port()
    env = {
        "ZALO_BOT_TOKEN": fake.token,
        "ZALO_BOT_API_URL": fake.base_url,
        "ZALO_MEDIA_URL": f"http://127.0.0.1:{port}/media",
    }
    extra = ["--listen", "127.0.0.1", "--port", str(port)]
    proc = await start_run(tmp_path / "d.db", env, extra, open_files=256)
    assert proc.stderr is not None
    err = asyncio.create_task(proc.stderr.read())
    url = f"http://127.0.0.1:{port}{IMAGE}"
    try:
        assert await _get(url, tries=30) == 200  # listening
        idle = await _idle(port, 400, proc if paused else None)
        assert await _get(url, tries=30) == 200  # once the idle ones are dropped, or before
        for writer in idle:
            writer.close()
    finally:
        await _stop(proc)
    log = (await err).decode()
    assert proc.returncode == 0
    assert "out of system resource" not in log and "Traceback" not in log
    assert len(log.splitlines()) < 40
    if not paused:  # paused, how many get past the listen queue depends on the machine's load
        assert "refused in the last minute" in log
