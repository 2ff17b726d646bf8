"""Telegram on aiogram 3: polling or webhook in, the outbox out. Thin: an update becomes an
`Incoming`, the core answers, replies become outbox rows sent through the paced sender.

Every update is stored in the inbox before it is acknowledged: in polling mode before the next
getUpdates confirms it, in webhook mode before the 200. Processing then runs per chat in order,
different chats in parallel. A redelivered update finds its inbox row, and its replies carry a
dedupe key, so nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections import defaultdict
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from aiohttp import web
from pydantic import ValidationError

from bot.delivery import Deliverer, RetryAfter, Unreachable
from handlers.assistant import Assistant
from handlers.contract import Incoming, Reply, compact_payload

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
COMMANDS = (
    ("start", "Bắt đầu, hiện menu"),
    ("menu", "Menu chính"),
    ("xa", "Chọn xã, phường"),
    ("lienket", "Liên kết với kênh khác"),
    ("canbo", "Việc của cán bộ"),
)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at paragraph, then line, then word ends."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or window.rfind(" ")
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest.strip())
    return [piece for piece in pieces if piece]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = []
    for position, button in enumerate(reply.buttons, start=1):
        data = button.payload
        if len(data.encode()) > MAX_CALLBACK_DATA:
            data = compact_payload(data, position)
        rows.append([InlineKeyboardButton(text=button.label[:64], callback_data=data)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@dataclass(frozen=True)
class Received:
    incoming: Incoming
    # A button press must be answered (Telegram shows a spinner until it is).
    callback_id: str | None = None
    inbox_id: int | None = None


def to_incoming(update: Update) -> Received | None:
    """The core's view of an update; None for kinds we do not subscribe to."""
    key = str(update.update_id)
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        chat = str(message.chat.id) if message is not None else str(query.from_user.id)
        incoming = Incoming(
            channel=CHANNEL,
            chat_id=chat,
            user_id=str(query.from_user.id),
            button=query.data or "",
            update_id=key,
            display_name=query.from_user.full_name,
        )
        return Received(incoming, query.id)
    message = update.message
    if message is None or message.from_user is None:
        return None
    # Voice, stickers, photos...: no text, so the core asks the person to type; nothing of
    # the content itself is read or kept.
    return Received(
        Incoming(
            channel=CHANNEL,
            chat_id=str(message.chat.id),
            user_id=str(message.from_user.id),
            text=message.text or "",
            update_id=key,
            display_name=message.from_user.full_name,
            private=message.chat.type == "private",
            contact_phone=message.contact.phone_number if message.contact else None,
        )
    )


class TelegramSender:
    """The outbox's sender for Telegram: renders a Reply, maps Telegram's refusals."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: str, reply: Reply) -> None:
        pieces = split_text(reply.text)
        try:
            for number, piece in enumerate(pieces, start=1):
                markup = keyboard(reply) if number == len(pieces) else None
                await self._bot.send_message(chat_id=int(chat_id), text=piece, reply_markup=markup)
        except TelegramRetryAfter as wait:
            raise RetryAfter(wait.retry_after) from wait
        except TelegramForbiddenError as gone:
            raise Unreachable(gone.message) from gone


@dataclass
class TelegramSettings:
    mode: str
    webhook_url: str | None
    webhook_secret: str | None
    poll_timeout: int = 25


def make_bot(token: str, api_base: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base))
    return Bot(token, session=session)


class TelegramChannel:
    def __init__(
        self,
        settings: TelegramSettings,
        bot: Bot,
        assistant: Assistant,
        deliverer: Deliverer,
    ) -> None:
        self._settings = settings
        self._bot = bot
        self._assistant = assistant
        self._deliverer = deliverer
        self._tasks: set[asyncio.Task[None]] = set()
        self._polling: asyncio.Task[None] | None = None
        self._outbound = asyncio.Event()
        self._delivering: asyncio.Task[None] | None = None
        # Enough to overlap network and database waits; more only queues on the database.
        self._concurrency = asyncio.Semaphore(16)

    async def start(self) -> None:
        self._delivering = asyncio.create_task(self._deliver())
        await self._bot.set_my_commands(
            [BotCommand(command=name, description=text) for name, text in COMMANDS]
        )
        if self._settings.mode == "webhook":
            assert self._settings.webhook_url, "TELEGRAM_WEBHOOK_URL is required for webhooks"
            await self._bot.set_webhook(
                self._settings.webhook_url,
                secret_token=self._settings.webhook_secret,
                allowed_updates=["message", "callback_query"],
            )
        else:
            await self._bot.delete_webhook()
            self._polling = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        if self._polling is not None:
            self._polling.cancel()
            await asyncio.gather(self._polling, return_exceptions=True)
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._delivering is not None:
            self._delivering.cancel()
            await asyncio.gather(self._delivering, return_exceptions=True)
        await self._bot.session.close()

    # -- in ------------------------------------------------------------------------------

    async def _poll(self) -> None:
        offset: int | None = None
        backoff = 1.0
        while True:
            try:
                updates = await self._bot.get_updates(
                    offset=offset,
                    timeout=self._settings.poll_timeout,
                    allowed_updates=["message", "callback_query"],
                )
            except (TelegramNetworkError, TelegramServerError, TelegramRetryAfter) as exc:
                log.warning("getUpdates failed: %s", type(exc).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            backoff = 1.0
            if not updates:
                continue
            stored = await self._store_all(updates)
            # Only now is the batch confirmed to Telegram, by asking past it.
            offset = updates[-1].update_id + 1
            self._spawn(self._process(stored))

    async def _store_all(self, updates: Sequence[Update]) -> list[Received]:
        """Store the batch in one transaction; keep only the updates not handled before."""
        received = [r for r in map(to_incoming, updates) if r is not None]
        if not received:
            return []
        stored = await self._assistant.store_many([r.incoming for r in received])
        return [
            Received(r.incoming, r.callback_id, item_id)
            for r, (_, item_id, done) in zip(received, stored, strict=True)
            if not done
        ]

    async def webhook(self, request: web.Request) -> web.Response:
        expected = self._settings.webhook_secret or ""
        given = request.headers.get(SECRET_HEADER, "")
        # Checked before the body is read: a forged request costs us nothing.
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return web.Response(status=401)
        try:
            update = Update.model_validate(
                json.loads(await request.read()), context={"bot": self._bot}
            )
        except (ValueError, ValidationError):
            return web.Response(status=400)
        stored = await self._store_all([update])
        self._spawn(self._process(stored))
        return web.Response(status=200)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, received: list[Received]) -> None:
        by_chat: dict[str, list[Received]] = defaultdict(list)
        for item in received:
            by_chat[item.incoming.chat_id].append(item)
        await asyncio.gather(*(self._chat(items) for items in by_chat.values()))

    async def _chat(self, items: list[Received]) -> None:
        async with self._concurrency:
            for item in items:
                try:
                    await self._handle(item)
                except Exception:  # one bad update must not stop the others; the clock retries
                    log.exception("telegram update failed")

    async def _handle(self, received: Received) -> None:
        incoming = received.incoming
        if received.callback_id is not None:
            try:
                await self._bot.answer_callback_query(received.callback_id)
            except (TelegramNetworkError, TelegramServerError, TelegramRetryAfter):
                log.warning("answerCallbackQuery failed")
        assert received.inbox_id is not None
        # The replies become outbox rows in the same transaction that marks the update done.
        await self._assistant.handle_stored(incoming, received.inbox_id)
        self._outbound.set()

    async def _deliver(self) -> None:
        """Send replies as soon as they are queued (the clock also sends what is left)."""
        while True:
            await self._outbound.wait()
            self._outbound.clear()
            try:
                await self._deliverer.deliver_due()
            except Exception:  # logged; the next signal or the clock tries again
                log.exception("telegram delivery failed")
