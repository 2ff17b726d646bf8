"""The aiohttp application `dccs serve` runs: web chat today, channel webhooks later."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from bot.channels import web as web_channel
from bot.demo import load_demo
from bot.runtime import start_runtime
from bot.settings import Settings
from handlers.clock import Clock

MAX_BODY = 64 * 1024


def create_app(
    settings: Settings, clock: Clock | None = None, *, run_clock: bool = True, demo: bool = False
) -> web.Application:
    """The app; the runtime (and, unless ``run_clock`` is off, the ticker) starts and stops
    with the server."""
    app = web.Application(client_max_size=MAX_BODY)

    async def runtime_context(app: web.Application) -> AsyncIterator[None]:
        runtime = await start_runtime(settings, clock)
        if demo:
            await load_demo(runtime.sessions, runtime.clock)
        app[web_channel.RUNTIME] = runtime
        if run_clock:
            runtime.ticker.start()
        yield
        await runtime.close()

    app.cleanup_ctx.append(runtime_context)
    web_channel.add_routes(app)
    return app
