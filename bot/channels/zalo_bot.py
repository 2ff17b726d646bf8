"""Zalo Bot Platform (officials and pilots): a Telegram-like Bot API, a thin httpx adapter.

In: long polling (``getUpdates`` returns one update or, when idle, HTTP 408) or a webhook
checked by the ``X-Bot-Api-Secret-Token`` header. Bodies come flat or wrapped in
``{"ok": true, "result": …}``; both are accepted. There is no offset cursor, so redeliveries are
recognised by message_id in the inbox; the bot's own messages echoed back are ignored.
Out: ``sendMessage``, 2000 characters a message, buttons as a numbered list.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

import httpx
from aiohttp import web

from bot.channels import shapes
from bot.channels.intake import Intake, Received
from bot.channels.text import split_text, with_numbers
from bot.delivery import RetryAfter
from bot.guard import parse_json
from handlers.contract import Incoming, Reply

log = logging.getLogger(__name__)

CHANNEL = "zalo_bot"
MAX_TEXT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"
IDLE = 408


class BotApiError(Exception):
    def __init__(self, status: int, code: int, description: str) -> None:
        # The description only: the URL (which holds the token) never goes into an error.
        super().__init__(f"Zalo Bot API {status}/{code}: {description}")
        self.status = status
        self.code = code


class ZaloBotClient:
    def __init__(self, http: httpx.AsyncClient, api_base: str, token: str) -> None:
        self._http = http
        self._base = f"{api_base.rstrip('/')}/bot{token}"

    async def call(self, method: str, body: dict[str, Any], wait: float = 30.0) -> Any:
        try:
            response = await self._http.post(f"{self._base}/{method}", json=body, timeout=wait)
        except httpx.HTTPError as exc:
            # httpx puts the URL in some messages; keep only the kind of failure.
            raise BotApiError(0, 0, type(exc).__name__) from None
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code == 200 and data.get("ok") is True:
            return data.get("result")
        code = int(data.get("error_code") or response.status_code)
        raise BotApiError(response.status_code, code, str(data.get("description", "")))

    async def get_me(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.call("getMe", {})
        return result

    async def get_update(self, poll_seconds: int) -> dict[str, Any] | None:
        """One update, or None when the poll ended idle (408, sometimes as a 200 body)."""
        try:
            result = await self.call(
                "getUpdates", {"timeout": str(poll_seconds)}, poll_seconds + 10
            )
        except BotApiError as error:
            if error.code == IDLE or error.status == IDLE or "timeout" in str(error).lower():
                return None
            raise
        return result if isinstance(result, dict) else None

    async def send_message(self, chat_id: str, text: str) -> None:
        await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook", {})


def unwrap(body: Any) -> dict[str, Any] | None:
    """An update from a flat ``{event_name, message}`` or a wrapped ``{ok, result}`` body."""
    if isinstance(body, dict) and body.get("ok") is True and isinstance(body.get("result"), dict):
        body = body["result"]
    if not isinstance(body, dict) or "event_name" not in body:
        return None
    return body


def to_received(update: dict[str, Any], bot_id: str | None) -> Received | None:
    message = update.get("message") or {}
    sender = message.get("from") or {}
    chat = message.get("chat") or {}
    message_id = str(message.get("message_id", ""))
    user = str(sender.get("id", ""))
    if not message_id or not user:
        return None
    if sender.get("is_bot") or (bot_id is not None and user == bot_id):
        return None  # our own message echoed back
    name = str(update.get("event_name", ""))
    text = str(message.get("text", "")) if name == "message.text.received" else ""
    attachments: tuple[str, ...] = ()
    if name == "message.image.received":
        url = message.get("photo_url") or message.get("photo") or ""
        attachments = (str(url) if isinstance(url, str) and url else "zalo:image",)
    # Stickers, voice and "unsupported" (Zalo hides protected users' content): no text, so the
    # core answers with the "please type or use the menu" reply.
    return Received(
        Incoming(
            channel=CHANNEL,
            chat_id=str(chat.get("id") or user),
            user_id=user,
            text=text,
            update_id=message_id,
            display_name=sender.get("display_name"),
            private=str(chat.get("chat_type", "PRIVATE")).upper() == "PRIVATE",
            attachments=attachments,
        )
    )


class ZaloBotSender:
    def __init__(self, client: ZaloBotClient) -> None:
        self._client = client

    async def send(self, chat_id: str, reply: Reply) -> None:
        for piece in split_text(with_numbers(reply), MAX_TEXT):
            try:
                await self._client.send_message(chat_id, piece)
            except BotApiError as error:
                if error.code == 429 or error.status == 429:
                    raise RetryAfter(30) from error
                raise  # 5xx and network errors: the outbox backs off and retries


class ZaloBotChannel:
    def __init__(
        self,
        client: ZaloBotClient,
        intake: Intake,
        mode: str,
        webhook_url: str | None,
        webhook_secret: str | None,
        poll_timeout: int = 30,
    ) -> None:
        self._client = client
        self._intake = intake
        self._mode = mode
        self._webhook_url = webhook_url
        self._webhook_secret = webhook_secret or ""
        self._poll_timeout = poll_timeout
        self._bot_id: str | None = None
        self._polling: asyncio.Task[None] | None = None

    async def start(self) -> None:
        me = await self._client.get_me()
        self._bot_id = str(me.get("id")) if me.get("id") is not None else None
        self._intake.start()
        if self._mode == "webhook":
            assert self._webhook_url, "ZALO_BOT_WEBHOOK_URL is required for webhooks"
            await self._client.set_webhook(self._webhook_url, self._webhook_secret)
        else:
            # Polling stops working while a webhook is set.
            await self._client.delete_webhook()
            self._polling = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        if self._polling is not None:
            self._polling.cancel()
            await asyncio.gather(self._polling, return_exceptions=True)
        await self._intake.stop()

    async def _poll(self) -> None:
        backoff = 1.0
        while True:
            try:
                update = await self._client.get_update(self._poll_timeout)
                received = (
                    shapes.parsed(CHANNEL, to_received, update, self._bot_id)
                    if update is not None
                    else None
                )
                if received is not None:
                    await self._intake.submit([received])
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a database or API failure must not end polling
                log.warning("Zalo Bot polling failed (%s); retrying", type(error).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            backoff = 1.0

    async def webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not self._webhook_secret or not hmac.compare_digest(
            given.encode(), self._webhook_secret.encode()
        ):
            return web.Response(status=401)
        update = unwrap(parse_json(await request.read()))
        if update is None:
            return web.Response(status=400)
        received = shapes.parsed(CHANNEL, to_received, update, self._bot_id)
        await self._intake.submit([received] if received is not None else [])
        return web.json_response({"message": "Success"})
