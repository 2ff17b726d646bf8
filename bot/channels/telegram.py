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
import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from aiohttp import web
from pydantic import ValidationError

from bot.attachments import FileTooBig
from bot.channels import shapes
from bot.channels.intake import Intake, Received
from bot.channels.text import split_text
from bot.delivery import Deliverer, RetryAfter, Unreachable
from bot.guard import parse_json
from handlers import texts
from handlers.contract import Incoming, Reply, compact_payload
from handlers.conversation.assistant import Assistant

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FILE_REF = "telegram:"
COMMANDS = (
    ("start", "Bắt đầu, hiện menu"),
    ("menu", "Menu chính"),
    ("xa", "Chọn xã, phường"),
    ("lienket", "Liên kết với kênh khác"),
    ("canbo", "Việc của cán bộ"),
)


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
            pressed_message=str(message.message_id) if message is not None else None,
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
            text=message.text or _location_text(message),
            update_id=key,
            display_name=message.from_user.full_name,
            private=message.chat.type == "private",
            contact_phone=message.contact.phone_number if message.contact else None,
            attachments=_file_refs(message),
        )
    )


def _file_refs(message: Message) -> tuple[str, ...]:
    """Photos and documents by file id: fetched with getFile only if a đơn takes them."""
    if message.photo:
        return (f"{FILE_REF}{message.photo[-1].file_id}",)  # the largest size
    if message.document is not None:
        return (f"{FILE_REF}{message.document.file_id}",)
    return ()


def _location_text(message: Message) -> str:
    """A shared location, as the words a form asking for a place can keep."""
    if message.location is None:
        return ""
    return texts.LOCATION_TEXT.format(lat=message.location.latitude, lon=message.location.longitude)


# A login link must not be opened by Telegram's preview fetcher (it would show the page, and
# the link is a secret even though opening it spends nothing).
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class TelegramSender:
    """The outbox's sender for Telegram: renders a Reply, maps Telegram's refusals."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: str, reply: Reply) -> None:
        pieces = split_text(reply.text, MAX_TEXT)
        try:
            if reply.replaces and len(pieces) == 1 and await self._edit(chat_id, reply, pieces[0]):
                return
            for number, piece in enumerate(pieces, start=1):
                markup = keyboard(reply) if number == len(pieces) else None
                await self._bot.send_message(
                    chat_id=int(chat_id),
                    text=piece,
                    reply_markup=markup,
                    link_preview_options=_NO_PREVIEW if reply.no_preview else None,
                )
            if reply.ask_contact:
                # A reply keyboard cannot share a message with inline buttons: a second one.
                await self._bot.send_message(
                    chat_id=int(chat_id),
                    text=texts.SHARE_PHONE_PROMPT,
                    reply_markup=ReplyKeyboardMarkup(
                        keyboard=[[KeyboardButton(text=texts.SHARE_PHONE, request_contact=True)]],
                        one_time_keyboard=True,
                        resize_keyboard=True,
                    ),
                )
        except TelegramRetryAfter as wait:
            raise RetryAfter(wait.retry_after) from wait
        except TelegramForbiddenError as gone:
            raise Unreachable(gone.message) from gone

    async def _edit(self, chat_id: str, reply: Reply, text: str) -> bool:
        """Show the reply in place of the menu whose button was pressed; False if Telegram
        will not (too old, deleted, unchanged), and the reply is sent as a new message."""
        assert reply.replaces is not None
        try:
            await self._bot.edit_message_text(
                text=text,
                chat_id=int(chat_id),
                message_id=int(reply.replaces),
                reply_markup=keyboard(reply),
            )
        except TelegramBadRequest:
            return False
        return True


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
        self._intake = Intake(CHANNEL, assistant, deliverer, self._answer_button)
        self._polling: asyncio.Task[None] | None = None
        # Held while a polled batch is being stored and answered: stopping waits for it
        # rather than cancel a transaction in the middle.
        self._handling = asyncio.Lock()

    async def start(self) -> None:
        self._intake.start()
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
            async with self._handling:
                self._polling.cancel()
            await asyncio.gather(self._polling, return_exceptions=True)
        await self._intake.stop()
        await self._bot.session.close()

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
            try:
                async with self._handling:
                    received = [r for r in map(to_incoming, updates) if r is not None]
                    await self._intake.handle_now(received)
            except Exception:  # the database is away: the same updates come again
                log.exception("a polled batch could not be stored")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            # Only now, with the batch stored (and answered), is it confirmed to Telegram by
            # asking past it.
            offset = updates[-1].update_id + 1

    async def webhook(self, request: web.Request) -> web.Response:
        expected = self._settings.webhook_secret or ""
        given = request.headers.get(SECRET_HEADER, "")
        # Checked before the body is read: a forged request costs us nothing.
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return web.Response(status=401)
        body = parse_json(await request.read())
        if not isinstance(body, dict):
            return web.Response(status=400)
        try:
            update = Update.model_validate(body, context={"bot": self._bot})
        except (ValueError, ValidationError):
            return web.Response(status=200)  # authenticated but not an update we read: dropped
        received = shapes.parsed(CHANNEL, to_incoming, update)
        await self._intake.submit([received] if received is not None else [])
        return web.Response(status=200)

    async def _answer_button(self, callback_id: str) -> None:
        # Telegram shows a spinner on the button until the press is answered.
        try:
            await self._bot.answer_callback_query(callback_id)
        except (TelegramNetworkError, TelegramServerError, TelegramRetryAfter):
            log.warning("answerCallbackQuery failed")


class TelegramFiles:
    """Downloads a file a citizen sent, by its file id (getFile, then the file URL)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def fetch(self, ref: str, limit: int) -> bytes:
        found = await self._bot.get_file(ref.removeprefix(FILE_REF))
        if found.file_size is not None and found.file_size > limit:
            raise FileTooBig(found.file_size)
        if found.file_path is None:
            raise OSError("no file path")
        data = await self._bot.download_file(found.file_path)
        assert data is not None
        content = data.read(limit + 1)
        if len(content) > limit:
            raise FileTooBig(len(content))
        return content
