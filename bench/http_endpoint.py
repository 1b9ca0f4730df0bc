"""Benchmarks the HTTP endpoint in its own process: slow, huge and many clients, and webhooks/s.

    .venv/bin/python bench/http_endpoint.py                  # this checkout's server
    .venv/bin/python bench/http_endpoint.py --root /tmp/old  # another checkout (same API)

Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
SECRET = "bench-secret-bench-secret"
HEADER = "X-Bot-Api-Secret-Token"
HEAD = b"POST /hook HTTP/1.1\r\nHost: bench\r\n"
VIDEO_MB = 30


class Server:
    """bench/endpoint_server.py as a child process, with its memory and log lines."""

    def __init__(self, root: Path, media: Path, log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "endpoint_server.py"), str(root), str(media)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log.open("wb"),
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())

    def memory(self, field: str) -> int:
        """VmRSS (now) or VmHWM (peak) of the server, in MB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
        return 0

    def log_lines(self) -> int:
        """Lines the server wrote to its log so far."""
        return len(self.log.read_bytes().splitlines())

    def commonest(self, skip: int) -> str:
        """The most frequent log line after the first `skip`, with its count."""
        lines = self.log.read_bytes().decode(errors="replace").splitlines()[skip:]
        if not lines:
            return "none"
        line, n = Counter(lines).most_common(1)[0]
        return f"{n} x '{line[:100]}'"

    def stop(self) -> None:
        """Close its stdin and wait for it (killed after 20 s)."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def _is_open(reader: asyncio.StreamReader) -> bool:
    with contextlib.suppress(TimeoutError):
        return await asyncio.wait_for(reader.read(1), 0.01) != b""
    return True


async def slow_client(port: int, seconds: float) -> bool:
    """Trickle a header a byte a second; True if the server still holds it after `seconds`."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(HEAD)
    try:
        for _ in range(int(seconds)):
            await asyncio.sleep(1.0)
            writer.write(b"X")
            await writer.drain()
            if not await _is_open(reader):
                return False
        return True
    except ConnectionError:
        return False
    finally:
        writer.close()


async def bench_slow(server: Server, clients: int = 300, seconds: float = 15.0) -> str:
    held = await asyncio.gather(*(slow_client(server.port, seconds) for _ in range(clients)))
    return f"{clients} slow clients: {sum(held)} still held after {seconds:.0f} s"


async def bench_header(server: Server, total_mb: int = 150) -> str:
    """Send up to `total_mb` of headers; how much went in, and the server's memory."""
    before = server.memory("VmRSS")
    _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    sent = 0
    with contextlib.suppress(ConnectionError):
        writer.write(HEAD)
        while sent < total_mb << 20:
            line = f"X-Big-{sent}: {'a' * 8000}\r\n".encode()
            writer.write(line)
            await writer.drain()
            sent += len(line)
    peak = server.memory("VmHWM")
    writer.close()
    return (
        f"huge header: {sent / 2**20:.1f} MB of {total_mb} MB sent before the server stopped"
        f" reading; server RSS {before} MB -> peak {peak} MB (+{peak - before} MB)"
    )


async def download(client: httpx.AsyncClient, url: str) -> int:
    """Fetch `url` in chunks; the bytes received."""
    got = 0
    async with client.stream("GET", url) as answer:
        async for chunk in answer.aiter_bytes():
            got += len(chunk)
    return got


async def bench_downloads(server: Server, clients: int = 40) -> str:
    before = server.memory("VmRSS")
    url = f"http://127.0.0.1:{server.port}/media/video.mp4"
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=clients)) as c:
        sizes = await asyncio.gather(*(download(c, url) for _ in range(clients)))
    took = time.perf_counter() - started
    peak = server.memory("VmHWM")
    whole = sum(1 for s in sizes if s == VIDEO_MB << 20)
    return (
        f"{clients} downloads of a {VIDEO_MB} MB video: {whole} whole in {took:.1f} s;"
        f" server RSS {before} MB -> peak {peak} MB (+{peak - before} MB)"
    )


async def bench_webhooks(server: Server, requests: int = 2000, concurrent: int = 20) -> str:
    url = f"http://127.0.0.1:{server.port}/hook"
    body = b'{"update_id": 1, "message": {"text": "xin chao"}}'
    statuses: list[int] = []

    async def sender(client: httpx.AsyncClient, count: int) -> None:
        for _ in range(count):
            answer = await client.post(url, content=body, headers={HEADER: SECRET})
            statuses.append(answer.status_code)

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=30) as client:
        share = requests // concurrent
        await asyncio.gather(*(sender(client, share) for _ in range(concurrent)))
    took = time.perf_counter() - started
    ok = statuses.count(200)
    return f"webhooks: {len(statuses) / took:.0f} requests/s ({ok} of {len(statuses)} answered 200)"


async def _idle(port: int, count: int) -> AsyncIterator[list[asyncio.StreamWriter]]:
    writers = []
    for _ in range(count):
        with contextlib.suppress(OSError):
            writers.append((await asyncio.open_connection("127.0.0.1", port))[1])
    yield writers
    for writer in writers:
        writer.close()


async def _status(port: int) -> str:
    url = f"http://127.0.0.1:{port}/hook"
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            answer = await client.post(url, content=b'{"update_id": 1}', headers={HEADER: SECRET})
        return str(answer.status_code)
    except httpx.HTTPError as exc:
        return type(exc).__name__


async def bench_descriptors(server: Server, count: int = 1100, seconds: int = 12) -> str:
    """`count` idle connections (past the server's 1,024 descriptors), then a webhook, twice."""
    lines = server.log_lines()
    async with contextlib.asynccontextmanager(_idle)(server.port, count):
        first = await _status(server.port)
        await asyncio.sleep(seconds)
        later = await _status(server.port)
    return (
        f"{count} idle connections: a webhook got {first}, {later} {seconds} s later;"
        f" {server.log_lines() - lines} server log lines meanwhile;"
        f" the commonest: {server.commonest(lines)}"
    )


BENCHES: dict[str, Callable[[Server], Awaitable[str]]] = {
    "slow": bench_slow, "header": bench_header, "downloads": bench_downloads,
    "webhooks": bench_webhooks, "descriptors": bench_descriptors,
}  # fmt: skip


def main() -> None:
    """Run each bench against a fresh server process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the checkout to serve")
    parser.add_argument("benches", nargs="*", choices=[*BENCHES, []], help="default: all")
    args = parser.parse_args()
    args.benches = args.benches or list(BENCHES)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the clients need many
    with tempfile.TemporaryDirectory() as tmp:
        media = Path(tmp)
        (media / "video.mp4").write_bytes(b"\0" * (VIDEO_MB << 20))
        print(f"server code: {args.root}")
        for name in args.benches:
            server = Server(args.root, media, media / f"{name}.log")
            try:
                print(asyncio.run(BENCHES[name](server)), flush=True)
            finally:
                server.stop()


if __name__ == "__main__":
    main()
