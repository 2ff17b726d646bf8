"""What the fake channel servers share: serving on a free loopback port, waiting for sends."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from aiohttp import web


async def serve_on_loopback(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None and server.sockets  # type: ignore[attr-defined]
    return runner, server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]


async def wait_for_sent(
    sent: Sequence[Any], event: asyncio.Event, count: int, within: float
) -> None:
    """Until ``sent`` holds ``count`` messages; the fake sets ``event`` on every send."""
    deadline = time.monotonic() + within
    while len(sent) < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(
                f"expected {count} messages, got {len(sent)}: {[s.text[:40] for s in sent]}"
            )
        event.clear()
        try:
            await asyncio.wait_for(event.wait(), remaining)
        except TimeoutError:
            pass
