"""The aiohttp application `dccs serve` runs: web chat today, channel webhooks later."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp.web_protocol import RequestHandler

from bot import desk, guard
from bot.channels import web as web_channel
from bot.channels.plugin import HOOK_PATH, WebhookChannel
from bot.demo import load_demo
from bot.runtime import start_runtime
from bot.settings import Settings
from handlers import texts
from handlers.clock import Clock

MAX_BODY = 64 * 1024
# Kept here rather than imported so the web app does not import aiogram (slow) without a token.
WEBHOOK_PATHS = {
    "telegram": "/telegram/webhook",
    "zalo_oa": "/zalo/oa/webhook",
    "zalo_bot": "/zalo/bot/webhook",
}
SERVER_ERROR = "Trợ lý đang gặp sự cố. Anh/chị vui lòng thử lại sau ít phút."
HTTP_ERRORS = {
    404: "Không có địa chỉ này.",
    405: "Địa chỉ này không nhận kiểu yêu cầu đó.",
    413: "Nội dung gửi lên quá lớn (tối đa 64 KB).",
}
log = logging.getLogger(__name__)


@web.middleware
async def count_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Unhandled errors are counted by kind and answered with a short Vietnamese message."""
    try:
        return await handler(request)
    except web.HTTPException as refused:
        if not request.path.startswith("/api/") or refused.status < 400:
            raise
        # The chat page reads JSON: aiohttp's own refusals (404, 405, 413) in Vietnamese.
        message = HTTP_ERRORS.get(refused.status, web_channel.BAD_REQUEST)
        return web.json_response(
            {"error": message},
            status=refused.status,
            dumps=web_channel.dumps,
            headers={k: v for k, v in refused.headers.items() if k == "Allow"},
        )
    except Exception as exc:
        request.app[web_channel.RUNTIME].metrics.errors.labels(type(exc).__name__).inc()
        log.exception("request failed: %s %s", request.method, request.path)
        return web.json_response({"error": SERVER_ERROR}, status=500, dumps=web_channel.dumps)


def create_app(
    settings: Settings,
    clock: Clock | None = None,
    *,
    run_clock: bool = True,
    demo: bool = False,
    demo_unit: str | None = None,
) -> web.Application:
    """The app; the runtime (and, unless ``run_clock`` is off, the ticker) starts and stops
    with the server."""
    ticking = clock or settings.clock()
    app = web.Application(
        client_max_size=MAX_BODY,
        middlewares=[
            count_errors,
            guard.middleware(settings.guard(), lambda: ticking.now().timestamp()),
        ],
    )

    async def runtime_context(app: web.Application) -> AsyncIterator[None]:
        runtime = await start_runtime(settings, ticking)
        if demo:
            code = await load_demo(runtime.sessions, runtime.clock, demo_unit)
            # Printed, not logged: the log filter would mask it, and it is meant to be typed.
            print(texts.DEMO_OFFICIAL.format(code=code), flush=True)
        app[web_channel.RUNTIME] = runtime
        if run_clock:
            runtime.ticker.start()
        await runtime.start_channels()
        yield
        await runtime.close()

    app.cleanup_ctx.append(runtime_context)
    web_channel.add_routes(app)
    desk.add_routes(app)
    if settings.telegram_bot_token is not None and settings.telegram_mode == "webhook":
        app.router.add_post(WEBHOOK_PATHS["telegram"], channel_webhook("telegram"))
    if settings.zalo_oa_enabled:
        app.router.add_post(WEBHOOK_PATHS["zalo_oa"], channel_webhook("zalo_oa"))
    if settings.zalo_bot_token is not None and settings.zalo_bot_mode == "webhook":
        app.router.add_post(WEBHOOK_PATHS["zalo_bot"], channel_webhook("zalo_bot"))
    app.router.add_route("*", HOOK_PATH, added_channel_webhook)
    return app


# An open connection that sends nothing for this long is closed (aiohttp's default is an hour).
KEEPALIVE_SECONDS = 15.0


async def serve(app: web.Application, host: str, port: int, max_connections: int) -> None:
    """Serve until SIGINT or SIGTERM, keeping at most ``max_connections`` open: past that a
    new connection is closed at once (300 half-open connections once sat on one process)."""
    runner = web.AppRunner(app, access_log=None, keepalive_timeout=KEEPALIVE_SECONDS)
    await runner.setup()
    assert runner.server is not None
    cap_connections(runner.server, max_connections)
    await web.TCPSite(runner, host, port).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def cap_connections(server: web.Server, limit: int) -> None:
    accept = server.connection_made

    def connection_made(handler: RequestHandler, transport: asyncio.Transport) -> None:
        accept(handler, transport)
        if len(server.connections) > limit:
            transport.close()

    server.connection_made = connection_made  # type: ignore[method-assign]


async def added_channel_webhook(request: web.Request) -> web.StreamResponse:
    """Webhooks of channels added with ``Runtime.add_channel`` (GET for a verification)."""
    if request.method not in ("GET", "POST"):
        raise web.HTTPMethodNotAllowed(request.method, ["GET", "POST"])
    channel = request.app[web_channel.RUNTIME].channels.get(request.match_info["channel"])
    if not isinstance(channel, WebhookChannel):
        raise web.HTTPNotFound()
    return await channel.webhook(request)


def channel_webhook(name: str) -> Handler:
    async def webhook(request: web.Request) -> web.StreamResponse:
        channel = request.app[web_channel.RUNTIME].channels.get(name)
        if channel is None:
            raise web.HTTPNotFound()
        return await channel.webhook(request)

    return webhook
