"""Zalo Official Account (OpenAPI v3): the citizens' Zalo. A thin httpx adapter.

In: Zalo POSTs events to ``/zalo/oa/webhook``. The signature is checked on the raw bytes before
anything else is done with them; the event is stored in the inbox (deduplicated on msg_id) and
acknowledged at once (Zalo wants a 200 within 2 s), then processed by the shared intake.
Out: the outbox's ``ZaloOaSender`` posts to ``/v3.0/oa/message/cs``. Zalo answers every error
with HTTP 200 and a negative ``error``; the sender maps them. The OA may only reply within 7
days of the citizen's last message: outside it the push is rerouted or held (bot.delivery).
Tokens: the access token lives 25 h, the refresh token is single-use; ``OaTokens`` rotates
them one refresh at a time and stores the new pair before using it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiohttp import web
from sqlmodel import select

from bot.channels import shapes
from bot.channels.intake import Intake, Received
from bot.channels.text import split_text, with_numbers
from bot.delivery import OutsideWindow, RetryAfter, Unreachable
from bot.guard import parse_json
from bot.sealing import Sealer
from db import people
from db.engine import SessionFactory
from db.models import ChannelToken
from handlers import texts
from handlers.clock import Clock
from handlers.contract import Incoming, Reply

log = logging.getLogger(__name__)

CHANNEL = "zalo_oa"
MAX_TEXT = 2000
SIGNATURE_HEADER = "X-ZEvent-Signature"
TIMESTAMP_HEADER = "X-ZEvent-Timestamp"
# Zalo rejects replies 7 days after the citizen's last interaction (-230); a little margin so a
# push checked just before the limit is not refused on the wire.
WINDOW_DAYS = 7
WINDOW = timedelta(days=WINDOW_DAYS) - timedelta(minutes=10)
# Access tokens live 25 h; refresh when about 5 h remain.
TOKEN_LIFETIME = timedelta(hours=25)
REFRESH_MARGIN = timedelta(hours=5)
TOKEN_NAME = "zalo_oa"

# Error codes (all with HTTP 200).
EXPIRED = frozenset({-216, -220})
RATE_LIMITED = -32
OUTSIDE_WINDOW = frozenset({-230, -232})
# The user unfollowed, went inactive for 45 days, or refused this kind of message.
GONE = frozenset({-213, -227, -244})

_TIMESTAMP = re.compile(rb'"timestamp"\s*:\s*"?(\d+)"?')


def signature(raw: bytes, app_id: str, oa_secret: str, timestamp: str) -> str:
    """``mac=`` + SHA-256 of app_id + raw body + timestamp + OA secret key (plain, not HMAC)."""
    text = app_id + raw.decode("utf-8") + timestamp + oa_secret
    return "mac=" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify_signature(
    raw: bytes, header: str, app_id: str, oa_secret: str, timestamp_header: str | None = None
) -> bool:
    """Whether ``header`` signs ``raw``. The timestamp is read from the raw bytes (the body's
    own field) without parsing the JSON, falling back to the X-ZEvent-Timestamp header."""
    found = _TIMESTAMP.search(raw)
    timestamp = found.group(1).decode() if found else (timestamp_header or "")
    try:
        expected = signature(raw, app_id, oa_secret, timestamp)
    except UnicodeDecodeError:
        return False
    given = header.strip()
    given = "mac=" + given[4:].lower() if given.lower().startswith("mac=") else given.lower()
    return hmac.compare_digest(expected.encode(), given.encode())


def to_received(event: dict[str, Any]) -> Received | None:
    """The core's view of an OA event; None for events that need no answer (our own sends'
    echoes, delivery and read receipts, unfollow)."""
    name = str(event.get("event_name", ""))
    if name == "follow":
        follower = str((event.get("follower") or {}).get("id", ""))
        if not follower:
            return None
        # Following the OA is the citizen's first hello: answer with the greeting and menu.
        key = f"follow:{follower}:{event.get('timestamp', '')}"
        return Received(
            Incoming(
                channel=CHANNEL, chat_id=follower, user_id=follower, text="/start", update_id=key
            )
        )
    if not name.startswith("user_send_"):
        return None
    sender = str((event.get("sender") or {}).get("id", ""))
    message = event.get("message") or {}
    msg_id = str(message.get("msg_id", ""))
    if not sender or not msg_id:
        return None
    text = str(message.get("text", "")) if name == "user_send_text" else ""
    if name == "user_send_location":
        text = _location_text(message)
    attachments: tuple[str, ...] = ()
    if name in ("user_send_image", "user_send_file"):
        # Only the address: the file is fetched if, and only if, a flow takes it.
        attachments = tuple(
            str((item.get("payload") or {}).get("url", ""))
            for item in message.get("attachments") or ()
            if (item.get("payload") or {}).get("url")
        ) or ("zalo:" + name,)
    # Stickers, voice, location...: no text, so the core asks the person to type; nothing of
    # their content is read or kept.
    return Received(
        Incoming(
            channel=CHANNEL,
            chat_id=sender,
            user_id=sender,
            text=text,
            update_id=msg_id,
            attachments=attachments,
        )
    )


def _location_text(message: dict[str, Any]) -> str:
    for item in message.get("attachments") or ():
        coordinates = (item.get("payload") or {}).get("coordinates") or {}
        if "latitude" in coordinates and "longitude" in coordinates:
            return texts.LOCATION_TEXT.format(
                lat=float(coordinates["latitude"]), lon=float(coordinates["longitude"])
            )
    return ""


class OaApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo OA error {code}: {message}")
        self.code = code


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: timedelta


class ZaloOaClient:
    def __init__(
        self, http: httpx.AsyncClient, api_base: str, oauth_base: str, app_id: str, app_secret: str
    ) -> None:
        self._http = http
        self._api = api_base.rstrip("/")
        self._oauth = oauth_base.rstrip("/")
        self._app_id = app_id
        self._app_secret = app_secret

    async def send_text(self, access_token: str, user_id: str, text: str) -> str:
        response = await self._http.post(
            f"{self._api}/v3.0/oa/message/cs",
            headers={"access_token": access_token},
            json={"recipient": {"user_id": user_id}, "message": {"text": text}},
        )
        if response.status_code >= 500:
            response.raise_for_status()
        body = response.json()
        code = int(body.get("error", -1))
        if code != 0:
            raise OaApiError(code, str(body.get("message", "")))
        return str((body.get("data") or {}).get("message_id", ""))

    async def refresh(self, refresh_token: str) -> TokenPair:
        response = await self._http.post(
            f"{self._oauth}/v4/oa/access_token",
            headers={"secret_key": self._app_secret},
            data={
                "refresh_token": refresh_token,
                "app_id": self._app_id,
                "grant_type": "refresh_token",
            },
        )
        body = response.json()
        if response.status_code != 200 or "access_token" not in body:
            raise OaApiError(int(body.get("error", -1)), str(body.get("message", body)))
        return TokenPair(
            str(body["access_token"]),
            str(body["refresh_token"]),
            timedelta(seconds=int(body.get("expires_in", 90000))),
        )


class OaTokens:
    """The OA's access token, refreshed before it expires or when Zalo says it is invalid.

    One refresh at a time: an asyncio lock in this process, and the token row locked (FOR UPDATE
    on PostgreSQL, SQLite's single writer) across processes. A refresh that finds the token
    already replaced uses the new one instead of spending the refresh token again.
    """

    def __init__(
        self,
        sessions: SessionFactory,
        clock: Clock,
        client: ZaloOaClient,
        initial: tuple[str, str],
        on_failure: Callable[[str], Awaitable[None]],
        sealer: Sealer | None = None,
    ) -> None:
        self._sealer = sealer or Sealer(None)
        self._sessions = sessions
        self._clock = clock
        self._client = client
        self._initial = initial
        self._on_failure = on_failure
        self._lock = asyncio.Lock()

    async def current(self) -> str:
        row = await self._row()
        access = self._sealer.open(row.access_token)
        if row.expires_at - self._clock.now() < REFRESH_MARGIN:
            return await self.refresh(access)
        return access

    async def refresh(self, stale: str) -> str:
        """A fresh access token in place of ``stale``."""
        async with self._lock:
            try:
                return await self._rotate(stale)
            except (OaApiError, httpx.HTTPError, ValueError) as exc:
                # Outside the transaction: the alert is written with its own (SQLite: the
                # single writer would still be held by the token transaction).
                log.error("Zalo OA token refresh failed: %s", exc)
                await self._on_failure(str(exc)[:200])
                raise

    async def _rotate(self, stale: str) -> str:
        async with self._sessions() as session, session.begin():
            query = select(ChannelToken).where(ChannelToken.name == TOKEN_NAME)
            row = (await session.exec(query.with_for_update())).one()
            access = self._sealer.open(row.access_token)
            if access != stale:
                return access
            pair = await self._client.refresh(self._sealer.open(row.refresh_token))
            now = self._clock.now()
            row.access_token = self._sealer.seal(pair.access_token)
            row.refresh_token = self._sealer.seal(pair.refresh_token)
            row.expires_at = now + pair.expires_in
            row.updated_at = now
            session.add(row)
        # Committed: the new pair is safe before the new token is used.
        log.info("Zalo OA token refreshed")
        return pair.access_token

    async def _row(self) -> ChannelToken:
        async with self._sessions() as session:
            row = await session.get(ChannelToken, TOKEN_NAME)
        if row is not None:
            return row
        # First start: the pair from the settings, assumed freshly issued.
        now = self._clock.now()
        access, refresh = self._initial
        async with self._sessions() as session, session.begin():
            if await session.get(ChannelToken, TOKEN_NAME) is None:
                session.add(
                    ChannelToken(
                        name=TOKEN_NAME,
                        access_token=self._sealer.seal(access),
                        refresh_token=self._sealer.seal(refresh),
                        expires_at=now + TOKEN_LIFETIME,
                        updated_at=now,
                    )
                )
        return await self._row()


class ZaloOaSender:
    """The outbox's sender for the OA: checks the 7-day window, maps Zalo's error codes."""

    def __init__(
        self, client: ZaloOaClient, tokens: OaTokens, sessions: SessionFactory, clock: Clock
    ) -> None:
        self._client = client
        self._tokens = tokens
        self._sessions = sessions
        self._clock = clock

    async def send(self, chat_id: str, reply: Reply) -> None:
        async with self._sessions() as session:
            identity = await people.identity(session, CHANNEL, chat_id)
        last_seen: datetime | None = identity.last_seen_at if identity else None
        if last_seen is None or self._clock.now() - last_seen > WINDOW:
            raise OutsideWindow(f"last message {last_seen}", WINDOW_DAYS)
        for piece in split_text(with_numbers(reply), MAX_TEXT):
            await self._send_piece(chat_id, piece)

    async def _send_piece(self, chat_id: str, text: str) -> None:
        token = await self._tokens.current()
        try:
            try:
                await self._client.send_text(token, chat_id, text)
            except OaApiError as error:
                if error.code not in EXPIRED:
                    raise
                # Refresh once and retry once; a second refusal is an ordinary failure.
                await self._client.send_text(await self._tokens.refresh(token), chat_id, text)
        except OaApiError as error:
            if error.code == RATE_LIMITED:
                raise RetryAfter(60) from error
            if error.code in OUTSIDE_WINDOW:
                raise OutsideWindow(str(error), WINDOW_DAYS) from error
            if error.code in GONE:
                raise Unreachable(str(error)) from error
            raise


# A signed event older (or newer) than this is a replay, whatever its msg_id.
EVENT_MAX_AGE = timedelta(hours=1)


def event_moment(raw: bytes) -> datetime | None:
    """When Zalo says the event happened (its ``timestamp`` field, in milliseconds)."""
    found = _TIMESTAMP.search(raw)
    if found is None or len(found.group(1)) > 15:
        return None
    return datetime.fromtimestamp(int(found.group(1)) / 1000, tz=UTC)


class ZaloOaChannel:
    def __init__(self, app_id: str, oa_secret: str, intake: Intake, clock: Clock) -> None:
        self._app_id = app_id
        self._oa_secret = oa_secret
        self._intake = intake
        self._clock = clock

    async def start(self) -> None:
        self._intake.start()

    async def stop(self) -> None:
        await self._intake.stop()

    async def webhook(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if raw.strip() in (b"", b"{}"):
            # Zalo's unsigned probe when the webhook address is saved.
            return web.json_response({"message": "Success"})
        given = request.headers.get(SIGNATURE_HEADER, "")
        timestamp = request.headers.get(TIMESTAMP_HEADER)
        if not given or not verify_signature(raw, given, self._app_id, self._oa_secret, timestamp):
            log.warning("Zalo OA webhook with a bad signature refused")
            return web.Response(status=401)
        moment = event_moment(raw)
        if moment is None or abs(self._clock.now() - moment) > EVENT_MAX_AGE:
            log.warning("Zalo OA event outside the time window refused (a replay?)")
            return web.Response(status=403)
        event = parse_json(raw)
        if event is None:
            return web.Response(status=400)
        received = shapes.parsed(CHANNEL, to_received, event) if isinstance(event, dict) else None
        await self._intake.submit([received] if received is not None else [])
        return web.json_response({"message": "Success"})
