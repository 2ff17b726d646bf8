"""A small fake Telegram Bot API on 127.0.0.1, for tests and benchmarks.

It speaks the real HTTP protocol aiogram uses (POST /bot<token>/<method>, form fields, JSON
answers) and records what the bot sent. getUpdates has offset semantics: updates stay until a
higher offset is requested, so an unconfirmed update is delivered again. Tests can make the next
sendMessage to a chat answer 429 (with retry_after) or 403 (bot blocked).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fake_server import serve_on_loopback, wait_for_sent

BOT_USER = {"id": 424242, "is_bot": True, "first_name": "Trợ lý", "username": "tro_ly_bot"}


@dataclass
class Sent:
    method: str
    chat_id: str
    text: str
    reply_markup: dict[str, Any] | None
    at: float
    # For editMessageText: the message shown in place.
    message_id: str | None = None
    # sendMessage's link_preview_options, as sent (None when the bot left them out).
    link_preview: dict[str, Any] | None = None


@dataclass
class FakeBotApi:
    token: str = "123456:TEST-fake-token-for-the-fake-server"
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    fail_next: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    webhook: dict[str, str] = field(default_factory=dict)
    commands: list[dict[str, str]] = field(default_factory=list)
    answered_callbacks: list[str] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _update_ids: Any = field(default_factory=lambda: itertools.count(1000))
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _sent_event: asyncio.Event = field(default_factory=asyncio.Event)
    runner: web.AppRunner | None = None
    port: int = 0
    _closing: bool = False
    # Files by file_id, served by getFile and /file/bot<token>/<path>.
    files: dict[str, bytes] = field(default_factory=dict)
    _rate: float = 0.0
    _window: list[float] = field(default_factory=list)
    throttled: int = 0

    # -- what tests do ---------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": "Dân", "language_code": "vi"}

    def text(
        self, user_id: int, text: str, *, update_id: int | None = None, chat_type: str = "private"
    ) -> dict[str, Any]:
        """Queue a text message from a person; returns the update."""
        chat = {"id": user_id if chat_type == "private" else -user_id, "type": chat_type}
        return self.push(
            {
                "update_id": update_id if update_id is not None else next(self._update_ids),
                "message": {
                    "message_id": next(self._ids),
                    "date": int(time.time()),
                    "chat": chat,
                    "from": self._user(user_id),
                    "text": text,
                },
            }
        )

    def press(self, user_id: int, data: str) -> dict[str, Any]:
        """Queue a button press (callback query) on the last message sent to the user."""
        message = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": BOT_USER,
            "text": "…",
        }
        return self.push(
            {
                "update_id": next(self._update_ids),
                "callback_query": {
                    "id": str(next(self._ids)),
                    "from": self._user(user_id),
                    "chat_instance": "ci",
                    "data": data,
                    "message": message,
                },
            }
        )

    def other(self, user_id: int, kind: str, content: Any) -> dict[str, Any]:
        """Queue a non-text message (voice, sticker, contact...)."""
        return self.push(
            {
                "update_id": next(self._update_ids),
                "message": {
                    "message_id": next(self._ids),
                    "date": int(time.time()),
                    "chat": {"id": user_id, "type": "private"},
                    "from": self._user(user_id),
                    kind: content,
                },
            }
        )

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        self.updates.append(update)
        self._arrived.set()
        return update

    def fail(self, chat_id: int, status: int, retry_after: int = 0, times: int = 1) -> None:
        self.fail_next.setdefault(str(chat_id), []).extend([(status, retry_after)] * times)

    def to(self, chat_id: int) -> list[str]:
        return [s.text for s in self.sent if s.chat_id == str(chat_id)]

    async def wait_sent(self, count: int, within: float = 10.0) -> None:
        await wait_for_sent(self.sent, self._sent_event, count, within)

    # -- the server --------------------------------------------------------------------------

    async def start(self) -> FakeBotApi:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self.runner, self.port = await serve_on_loopback(app)
        return self

    async def stop(self) -> None:
        # Wake any long poll still waiting so the server can shut down at once.
        self._closing = True
        self._arrived.set()
        if self.runner is not None:
            await self.runner.cleanup()

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.calls.append((method, form))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._ok(True)
        result: web.Response = await handler(form)
        return result

    async def _m_getFile(self, form: dict[str, str]) -> web.Response:
        file_id = form["file_id"]
        if file_id not in self.files:
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"},
                status=400,
            )
        return self._ok(
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files[file_id]),
                "file_path": f"documents/{file_id}",
            }
        )

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        data = self.files.get(request.match_info["path"].removeprefix("documents/"))
        return web.Response(body=data) if data is not None else web.Response(status=404)

    async def _m_getMe(self, form: dict[str, str]) -> web.Response:
        return self._ok(BOT_USER)

    async def _m_getUpdates(self, form: dict[str, str]) -> web.Response:
        offset = int(form.get("offset", "0") or 0)
        if offset:
            # Confirming: everything below the offset is gone for good.
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and not self._closing:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), float(form.get("timeout", "0")))
            except TimeoutError:
                pass
        limit = int(form.get("limit", "100") or 100)
        return self._ok(self.updates[:limit])

    def limit_rate(self, per_second: float) -> None:
        """Answer 429 to sendMessage calls beyond ``per_second`` (a one-second sliding window),
        as Telegram does past its flood limit."""
        self._rate = per_second

    async def _m_sendMessage(self, form: dict[str, str]) -> web.Response:
        chat_id = form["chat_id"]
        if self._rate:
            now = time.monotonic()
            self._window = [t for t in self._window if now - t < 1.0]
            if len(self._window) >= self._rate:
                self.throttled += 1
                return web.json_response(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": "Too Many Requests: retry after 1",
                        "parameters": {"retry_after": 1},
                    },
                    status=429,
                )
            self._window.append(now)
        failures = self.fail_next.get(chat_id)
        if failures:
            status, retry_after = failures.pop(0)
            if status == 429:
                return web.json_response(
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {retry_after}",
                        "parameters": {"retry_after": retry_after},
                    },
                    status=429,
                )
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 403,
                    "description": "Forbidden: bot was blocked by the user",
                },
                status=403,
            )
        markup = json.loads(form["reply_markup"]) if "reply_markup" in form else None
        preview = form.get("link_preview_options")
        self.sent.append(
            Sent(
                "sendMessage",
                chat_id,
                form.get("text", ""),
                markup,
                time.monotonic(),
                link_preview=json.loads(preview) if preview else None,
            )
        )
        self._sent_event.set()
        chat_type = "private" if not chat_id.startswith("-") else "group"
        return self._ok(
            {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": int(chat_id), "type": chat_type},
                "from": BOT_USER,
                "text": form.get("text", ""),
            }
        )

    async def _m_editMessageText(self, form: dict[str, str]) -> web.Response:
        markup = json.loads(form["reply_markup"]) if "reply_markup" in form else None
        self.sent.append(
            Sent(
                "editMessageText",
                form["chat_id"],
                form.get("text", ""),
                markup,
                time.monotonic(),
                form["message_id"],
            )
        )
        self._sent_event.set()
        return self._ok(True)

    async def _m_answerCallbackQuery(self, form: dict[str, str]) -> web.Response:
        self.answered_callbacks.append(form["callback_query_id"])
        return self._ok(True)

    async def _m_setMyCommands(self, form: dict[str, str]) -> web.Response:
        self.commands = json.loads(form["commands"])
        return self._ok(True)

    async def _m_setWebhook(self, form: dict[str, str]) -> web.Response:
        self.webhook = form
        return self._ok(True)

    async def _m_deleteWebhook(self, form: dict[str, str]) -> web.Response:
        self.webhook = {}
        return self._ok(True)
