"""The HTTP endpoint alone in a process, for bench/http_endpoint.py: a webhook and a media folder.

Run as `python bench/endpoint_server.py ROOT MEDIA`: imports danvan from ROOT (so an older checkout
can be measured too), starts with the usual soft limit of 1,024 file descriptors,
prints its port, and serves until its standard input closes.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import sys
from pathlib import Path

SECRET = "bench-secret-bench-secret"
HEADER = "X-Bot-Api-Secret-Token"


async def serve(media: Path) -> None:
    """Serve until stdin closes."""
    from bot.channels.http import HttpEndpoint

    async def deliver(_: dict[str, object]) -> None:
        return None

    endpoint = HttpEndpoint("127.0.0.1", 0)
    endpoint.add_webhook("/hook", HEADER, SECRET, deliver)
    endpoint.serve_media("/media", media)
    port = await endpoint.start()
    print(port, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await endpoint.stop()


def main() -> None:
    """Set up the process and serve."""
    root, media = sys.argv[1], Path(sys.argv[2])
    sys.path.insert(0, root)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))  # the usual default soft limit
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(media))


if __name__ == "__main__":
    main()
