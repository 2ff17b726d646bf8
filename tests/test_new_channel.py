"""A fourth channel, "Pigeon", added with only its three parts: how it reads updates, how it
checks a webhook call (and answers the GET verification), and how it sends. Everything else
(inbox, one transaction per batch, outbox, redeliveries) comes from the core."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.web import RUNTIME
from bot.server import create_app
from bot.settings import Settings
from handlers.clock import FixedClock
from handlers.contract import Incoming, Reply
from tests.fake_server import serve_on_loopback

SECRET = "pigeon-secret"


class PigeonSender:
    def __init__(self, http: httpx.AsyncClient, base: str) -> None:
        self._http, self._base = http, base

    async def send(self, chat_id: str, reply: Reply) -> None:
        body = {"to": chat_id, "text": reply.text, "choices": [b.label for b in reply.buttons]}
        (await self._http.post(f"{self._base}/send", json=body)).raise_for_status()


class Pigeon:
    """The three parts, and nothing else."""

    name = "pigeon"

    def __init__(self, http: httpx.AsyncClient, base: str) -> None:
        self.sender = PigeonSender(http, base)

    def parse(self, body: Any) -> list[Incoming]:
        return [
            Incoming(
                channel=self.name,
                chat_id=str(message["from"]),
                user_id=str(message["from"]),
                text=message.get("text"),
                update_id=str(message["id"]),
            )
            for message in body["messages"]
        ]

    def verify(self, request: web.Request, body: bytes) -> bool:
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(request.headers.get("X-Pigeon-Signature", ""), expected)

    def challenge(self, request: web.Request) -> web.Response | None:
        if request.query.get("verify_token") != SECRET:
            return web.Response(status=403)
        return web.Response(text=request.query.get("challenge", ""))


class FakePigeonPlatform:
    """The platform's side: what it was asked to deliver to its users."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.arrived = asyncio.Event()

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/send", self._send)
        self._runner, port = await serve_on_loopback(app)
        return f"http://127.0.0.1:{port}"

    async def _send(self, request: web.Request) -> web.Response:
        self.sent.append(await request.json())
        self.arrived.set()
        return web.json_response({"ok": True})

    async def wait(self, count: int) -> None:
        async def until_sent() -> None:
            while len(self.sent) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(until_sent(), 10)


@pytest.fixture
async def pigeon_app(
    database_url: str, seeded: None, clock: FixedClock, tmp_path: Path
) -> AsyncIterator[tuple[TestClient[Any, Any], FakePigeonPlatform]]:
    platform = FakePigeonPlatform()
    base = await platform.start()
    settings = Settings(database_url=database_url, data_dir=tmp_path, kb_refresh_seconds=0)
    async with (
        httpx.AsyncClient() as http,
        TestClient(TestServer(create_app(settings, clock, run_clock=False))) as client,
    ):
        assert client.app is not None
        await client.app[RUNTIME].add_channel(Pigeon(http, base))
        yield client, platform
    await platform._runner.cleanup()


def signed(body: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    signature = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"X-Pigeon-Signature": signature, "Content-Type": "application/json"}


async def test_a_citizen_on_a_fourth_channel_asks_and_is_answered_once(
    pigeon_app: tuple[TestClient[Any, Any], FakePigeonPlatform],
) -> None:
    client, platform = pigeon_app
    verified = await client.get("/hooks/pigeon?verify_token=pigeon-secret&challenge=abc123")
    assert verified.status == 200 and await verified.text() == "abc123"
    assert (await client.get("/hooks/pigeon?verify_token=guess&challenge=x")).status == 403

    question = {"messages": [{"id": 1, "from": "farmer", "text": "thoi han khieu nai bao lau"}]}
    raw, headers = signed(question)
    unsigned = await client.post("/hooks/pigeon", data=raw)
    assert unsigned.status == 401
    assert (await client.post("/hooks/pigeon", data=raw, headers=headers)).status == 200
    await platform.wait(1)
    assert platform.sent[0]["to"] == "farmer" and "90 ngày" in platform.sent[0]["text"]

    # The platform delivers the same message again, then one of the wrong shape, then a new one.
    assert (await client.post("/hooks/pigeon", data=raw, headers=headers)).status == 200
    odd_raw, odd_headers = signed({"messages": "not a list of messages"})
    assert (await client.post("/hooks/pigeon", data=odd_raw, headers=odd_headers)).status == 200
    hello = {"messages": [{"id": 2, "from": "farmer", "text": "xin chao"}]}
    raw, headers = signed(hello)
    assert (await client.post("/hooks/pigeon", data=raw, headers=headers)).status == 200
    await platform.wait(2)
    await asyncio.sleep(0.2)
    assert len(platform.sent) == 2  # the redelivery was answered once, the odd body never
    assert "Xin chào" in platform.sent[1]["text"] and platform.sent[1]["choices"]


async def test_an_unknown_or_built_in_channel_is_not_reached_through_hooks(
    pigeon_app: tuple[TestClient[Any, Any], FakePigeonPlatform],
) -> None:
    client, _ = pigeon_app
    assert (await client.post("/hooks/sparrow", data=b"{}")).status == 404
    assert (await client.get("/hooks/web")).status == 404
