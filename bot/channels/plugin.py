"""A new channel in three parts: how it reads the platform's updates, how it checks that a
webhook call really comes from the platform (and answers a GET verification, where the
platform has one), and how it sends a reply. ``WebhookChannel`` does everything else the way
every channel does it: the inbox first, acknowledge, one batch transaction, the outbox, pacing,
redeliveries, poisoned updates. See CONTRIBUTING "Adding a channel"."""

from __future__ import annotations

from typing import Any, Protocol

from aiohttp import web

from bot.channels import shapes
from bot.channels.intake import Intake, Received
from bot.delivery import ChannelSender
from bot.guard import parse_json
from handlers.contract import Incoming

# Webhooks of channels added this way are served at /hooks/<name>.
HOOK_PATH = "/hooks/{channel}"


class ChannelParts(Protocol):
    """What differs from one platform to the next."""

    @property
    def name(self) -> str:
        """The channel's id in conversations, the inbox and the outbox (and its hook path)."""
        ...

    @property
    def sender(self) -> ChannelSender:
        """Sends one reply to one chat (raising RetryAfter or Unreachable as the others do)."""
        ...

    def parse(self, body: Any) -> list[Incoming]:
        """The updates in a webhook body; raises on a body of another shape (it is dropped
        with a log line, and the platform is told it arrived so it does not retry forever)."""
        ...

    def verify(self, request: web.Request, body: bytes) -> bool:
        """The call comes from the platform: a shared secret or a signature over ``body``."""
        ...

    def challenge(self, request: web.Request) -> web.Response | None:
        """The answer to the platform's GET verification; None where it has none."""
        ...


class WebhookChannel:
    """A push-style channel built from its parts, started and stopped with the server."""

    def __init__(self, parts: ChannelParts, intake: Intake) -> None:
        self._parts = parts
        self._intake = intake

    async def start(self) -> None:
        self._intake.start()

    async def stop(self) -> None:
        await self._intake.stop()

    async def webhook(self, request: web.Request) -> web.Response:
        if request.method == "GET":
            answer = self._parts.challenge(request)
            return answer if answer is not None else web.Response(status=405)
        body = await request.read()
        if not self._parts.verify(request, body):
            return web.Response(status=401)
        updates = shapes.parsed(self._parts.name, self._parts.parse, parse_json(body))
        await self._intake.submit([Received(incoming) for incoming in updates or ()])
        return web.json_response({"ok": True})
