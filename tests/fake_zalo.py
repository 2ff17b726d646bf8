"""A fake of both Zalo surfaces on 127.0.0.1, following ../shared/reference/zalo.md §6.

Zalo Bot API: POST /bot<token>/<method>, JSON; getUpdates hands out one update per call and
answers an idle poll with HTTP 408; sendMessage refuses empty texts and texts over 2000
characters; polling while a webhook is set answers 409.
OA OpenAPI: POST /v3.0/oa/message/cs with an ``access_token`` header, every error as HTTP 200
with a negative ``error``. OAuth: POST /v4/oa/access_token rotates the pair; a refresh token
works once.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fake_server import serve_on_loopback, wait_for_sent

BOT_ID = "b0751d00000000000001"
APP_ID = "1234567890123456789"
OA_ID = "388613280878808645"
OA_SECRET = "oa-secret-test"
APP_SECRET = "app-secret-test"


def sign(raw: bytes, app_id: str = APP_ID, secret: str = OA_SECRET) -> str:
    timestamp = json.loads(raw).get("timestamp", "")
    digest = hashlib.sha256((app_id + raw.decode() + str(timestamp) + secret).encode())
    return "mac=" + digest.hexdigest()


@dataclass
class Sent:
    surface: str  # "bot" or "oa"
    chat_id: str
    text: str


@dataclass
class FakeZalo:
    # Seconds since the epoch when an event happens: the app's clock in tests, so the OA's
    # replay window sees events as fresh.
    now: Callable[[], float] = time.time
    bot_token: str = "1459232241454765289:fake-zalo-bot-secret"
    access_token: str = "acc-0"
    refresh_token: str = "ref-0"
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    webhook: dict[str, str] = field(default_factory=dict)
    # Errors the next OA sends answer with, in order (e.g. [-216] or [-230]).
    oa_errors: list[int] = field(default_factory=list)
    # HTTP statuses the next Bot sendMessage calls answer with.
    bot_failures: list[int] = field(default_factory=list)
    refresh_fails: bool = False
    refreshes: list[str] = field(default_factory=list)
    # Files served at /files/<name>, as Zalo serves the images and files users send.
    files: dict[str, bytes] = field(default_factory=dict)
    oa_calls: int = 0
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _sent_event: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _generation: Any = field(default_factory=lambda: itertools.count(1))
    runner: web.AppRunner | None = None
    port: int = 0
    _closing: bool = False

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- what tests do ---------------------------------------------------------------------

    def bot_text(
        self, user: str, text: str, *, message_id: str | None = None, event: str | None = None
    ) -> dict[str, Any]:
        update = self.bot_update(user, text, message_id=message_id, event=event)
        self.updates.append(update)
        self._arrived.set()
        return update

    def bot_update(
        self, user: str, text: str, *, message_id: str | None = None, event: str | None = None
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "from": {"id": user, "display_name": "Cán bộ", "is_bot": False},
            "chat": {"id": user, "chat_type": "PRIVATE"},
            "message_id": message_id or f"m{next(self._ids):06d}",
            "date": int(self.now() * 1000),
        }
        if text:
            message["text"] = text
        return {"event_name": event or "message.text.received", "message": message}

    def oa_event(
        self,
        user: str,
        text: str = "",
        *,
        msg_id: str | None = None,
        event: str = "user_send_text",
        attachments: list[dict[str, Any]] | None = None,
    ) -> bytes:
        """The raw bytes of an OA webhook event, in Zalo's field order."""
        message: dict[str, Any] = {"msg_id": msg_id or f"oa{next(self._ids):08d}"}
        if text:
            message["text"] = text
        if attachments is not None:
            message["attachments"] = attachments
        sender, recipient = (OA_ID, user) if event.startswith("oa_send") else (user, OA_ID)
        body = {
            "app_id": APP_ID,
            "sender": {"id": sender},
            "recipient": {"id": recipient},
            "event_name": event,
            "message": message,
            "timestamp": str(int(self.now() * 1000)),
            "user_id_by_app": "552177279717587730",
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    def to(self, surface: str, chat_id: str) -> list[Sent]:
        return [s for s in self.sent if s.surface == surface and s.chat_id == chat_id]

    async def wait_sent(self, count: int, within: float = 10.0) -> None:
        await wait_for_sent(self.sent, self._sent_event, count, within)

    # -- the server ------------------------------------------------------------------------

    async def start(self) -> FakeZalo:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._bot)
        app.router.add_post("/v3.0/oa/message/cs", self._oa_send)
        app.router.add_post("/v4/oa/access_token", self._oauth)
        app.router.add_get("/files/{name}", self._file)
        self.runner, self.port = await serve_on_loopback(app)
        return self

    async def stop(self) -> None:
        self._closing = True
        self._arrived.set()
        if self.runner is not None:
            await self.runner.cleanup()

    def _record(self, sent: Sent) -> None:
        self.sent.append(sent)
        self._sent_event.set()

    @staticmethod
    def _bot_answer(result: Any = None, status: int = 200, description: str = "") -> web.Response:
        if status == 200:
            return web.json_response({"ok": True, "result": result})
        body = {"ok": False, "error_code": status, "description": description}
        return web.json_response(body, status=status)

    async def _bot(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.bot_token:
            return self._bot_answer(status=401, description="Unauthorized")
        method = request.match_info["method"]
        body = await request.json() if request.can_read_body else {}
        if method == "getMe":
            return self._bot_answer(
                {"id": BOT_ID, "account_name": "bot.Tro_ly", "account_type": "BASIC"}
            )
        if method == "getUpdates":
            if self.webhook.get("url"):
                return self._bot_answer(status=409, description="Conflict: webhook is set")
            wait = min(float(body.get("timeout", 30)), 0.5)
            deadline = time.monotonic() + wait
            while not self.updates and not self._closing and time.monotonic() < deadline:
                self._arrived.clear()
                try:
                    await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
            if not self.updates:
                return self._bot_answer(status=408, description="Request timeout")
            return self._bot_answer(self.updates.pop(0))
        if method == "sendMessage":
            text = str(body.get("text", ""))
            if self.bot_failures:
                status = self.bot_failures.pop(0)
                return self._bot_answer(status=status, description="Injected failure")
            if not text or len(unicodedata.normalize("NFC", text)) > 2000:
                return self._bot_answer(status=400, description="Bad Request: text")
            self._record(Sent("bot", str(body["chat_id"]), text))
            return self._bot_answer({"message_id": f"s{next(self._ids)}", "date": 0})
        if method == "setWebhook":
            url, secret = str(body.get("url", "")), str(body.get("secret_token", ""))
            if not url.startswith("https://") or not 8 <= len(secret) <= 256:
                return self._bot_answer(status=400, description="Bad Request")
            self.webhook = {"url": url, "secret_token": secret}
            return self._bot_answer({"url": url, "updated_at": 0})
        if method == "deleteWebhook":
            self.webhook = {}
            return self._bot_answer({"url": "", "updated_at": 0})
        return self._bot_answer(status=404, description="Not Found")

    async def _oa_send(self, request: web.Request) -> web.Response:
        self.oa_calls += 1
        body = await request.json()
        if request.headers.get("access_token") != self.access_token:
            return web.json_response({"error": -216, "message": "Access token is invalid"})
        if self.oa_errors:
            code = self.oa_errors.pop(0)
            return web.json_response({"error": code, "message": "Injected error"})
        text = str(body["message"]["text"])
        if not text or len(unicodedata.normalize("NFC", text)) > 2000:
            return web.json_response({"error": -201, "message": "Parameters are invalid"})
        user = str(body["recipient"]["user_id"])
        self._record(Sent("oa", user, text))
        return web.json_response(
            {"error": 0, "message": "Success", "data": {"message_id": "x", "user_id": user}}
        )

    async def _file(self, request: web.Request) -> web.Response:
        data = self.files.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _oauth(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.refreshes.append(str(form.get("refresh_token")))
        if (
            self.refresh_fails
            or request.headers.get("secret_key") != APP_SECRET
            or form.get("app_id") != APP_ID
            or form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") != self.refresh_token
        ):
            # The real code for a spent refresh token is undocumented.
            return web.json_response({"error": -14014, "message": "Invalid refresh token"})
        generation = next(self._generation)
        self.access_token = f"acc-{generation}"
        self.refresh_token = f"ref-{generation}"
        return web.json_response(
            {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_in": "90000",
            }
        )
