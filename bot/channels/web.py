"""The web chat: a page at / and a small JSON API, on the `dccs serve` aiohttp app.

The session is a random token the server issues in an HttpOnly cookie; only its SHA-256 is
stored, and the browser never chooses it. A client message id makes a retried POST safe.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy import text

from bot.attachments import checked
from bot.guard import ADDRESS, UPLOAD, UPLOAD_PATH, origin_digest, parse_json
from bot.runtime import Runtime
from db import inbox, outbox, web_sessions
from handlers.contract import Incoming
from handlers.conversation import history
from handlers.conversation.web_turns import TOUCH_EVERY, Asked, update_key
from handlers.petitions.letters import letter_for

CHANNEL = web_sessions.CHANNEL
COOKIE = "dccs_session"
COOKIE_MAX_AGE = 30 * 24 * 3600
MAX_CLIENT_ID = 64
# A đơn's tracking code, the only thing a letter address may name (a NUL byte once made
# PostgreSQL answer 500).
LETTER_CODE = re.compile(r"[A-Z]{2}-\d{4}-[A-Z0-9]{6}")
STATIC = Path(__file__).parent / "static"
RUNTIME: web.AppKey[Runtime] = web.AppKey("runtime", Runtime)

# Readable Vietnamese in responses instead of \u escapes.
dumps = functools.partial(json.dumps, ensure_ascii=False)

BAD_REQUEST = "Yêu cầu không hợp lệ. Anh/chị vui lòng tải lại trang và thử lại."
FILE_REFUSED = "Trợ lý chỉ nhận ảnh JPEG, PNG hoặc tệp PDF. Anh/chị chọn tệp khác."
PAGE_HEADERS = {
    # Everything the page needs is served from here: no CDN, no third-party script.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps)


def _error(status: int, message: str = BAD_REQUEST) -> web.Response:
    return _json({"error": message}, status=status)


async def _session_hash(request: web.Request, create: bool) -> tuple[str | None, str | None]:
    """The caller's session hash, and a new token to set if one had to be issued."""
    runtime = request.app[RUNTIME]
    token = request.cookies.get(COOKIE)
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        if token and len(token) <= 128 and await web_sessions.touch(session, _hash(token), now):
            return _hash(token), None
        if not create:
            return None, None
        token = secrets.token_urlsafe(32)
        web_sessions.create(session, _hash(token), now)
    return _hash(token), token


def _with_cookie(response: web.Response, request: web.Request, token: str | None) -> web.Response:
    if token is not None:
        response.set_cookie(
            COOKIE,
            token,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.app[RUNTIME].settings.cookie_secure,
            path="/",
        )
    return response


def _parse(body: Any) -> tuple[str | None, str | None, str | None] | None:
    """(text, button, client id) from a request body, or None if it is not one of ours."""
    if not isinstance(body, dict):
        return None
    text, button, client_id = body.get("text"), body.get("button"), body.get("id")
    if (text is None) == (button is None):
        return None
    if not isinstance(text or button, str):
        return None
    if client_id is not None and (
        not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_CLIENT_ID
    ):
        return None
    return text, button, client_id


def _incoming(
    request: web.Request, session_hash: str, client_id: str | None, **said: Any
) -> Incoming:
    return Incoming(
        channel=CHANNEL,
        chat_id=session_hash,
        user_id=session_hash,
        update_id=update_key(session_hash, client_id),
        origin=origin_digest(request[ADDRESS]),
        transcript=True,
        **said,
    )


async def post_chat(request: web.Request) -> web.Response:
    parsed = _parse(parse_json(await request.read()))
    if parsed is None:
        return _error(400)
    text_in, button, client_id = parsed
    runtime = request.app[RUNTIME]
    if runtime.web_turns is not None:
        # The short way: session, turn and inbox row in one group transaction.
        started = time.perf_counter()
        token = request.cookies.get(COOKIE)
        fresh = secrets.token_urlsafe(32)
        said = Incoming(
            channel=CHANNEL,
            chat_id="",
            user_id="",
            text=text_in,
            button=button,
            origin=origin_digest(request[ADDRESS]),
            transcript=True,
        )
        cookie_hash = _hash(token) if token and len(token) <= 128 else None
        answer = await runtime.web_turns.answer(Asked(cookie_hash, _hash(fresh), client_id, said))
        if answer is not None:
            runtime.counted(CHANNEL, started)
            response = _json({"replies": [reply.to_json() for reply in answer.replies]})
            return _with_cookie(response, request, fresh if answer.created else None)
    # The long way (a retry, a turn that failed, a group that could not be written).
    session_hash, new_token = await _session_hash(request, create=True)
    assert session_hash is not None
    incoming = _incoming(request, session_hash, client_id, text=text_in, button=button)
    replies = await request.app[RUNTIME].dispatch(incoming)
    response = _json({"replies": [reply.to_json() for reply in replies]})
    return _with_cookie(response, request, new_token)


async def post_file(request: web.Request) -> web.Response:
    """One photo or document from the page's file picker, at a đơn's files step: checked like
    every channel's files (type from its bytes, EXIF removed), then sent on as an attachment."""
    client_id = request.query.get("id")
    if client_id is not None and not 0 < len(client_id) <= MAX_CLIENT_ID:
        return _error(400)
    session_hash, _ = await _session_hash(request, create=False)
    runtime = request.app[RUNTIME]
    if session_hash is None or runtime.uploads is None:
        return _error(400)
    kept = checked(request[UPLOAD])
    if kept is None:
        return _error(415, FILE_REFUSED)
    incoming = _incoming(request, session_hash, client_id)
    ref = runtime.uploads.save(*kept, key=incoming.update_id)
    replies = await runtime.dispatch(replace(incoming, attachments=(ref,)))
    return _json({"replies": [reply.to_json() for reply in replies]})


async def get_updates(request: web.Request) -> web.Response:
    """Pushes waiting for this browser session. The page polls every few seconds: one
    transaction that reads the session and writes it only when it was last seen long ago."""
    runtime = request.app[RUNTIME]
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 128:
        return _json({"replies": []})
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        if not await web_sessions.seen(session, _hash(token), now, TOUCH_EVERY):
            return _json({"replies": []})
        pending = await web_sessions.take_pending(session, _hash(token), now)
        replies = [item.reply for item in pending]
    return _json({"replies": replies})


async def get_history(request: web.Request) -> web.Response:
    """This browser session's recent messages, for the page to restore on reload."""
    session_hash, _ = await _session_hash(request, create=False)
    if session_hash is None:
        return _json({"messages": []})
    runtime = request.app[RUNTIME]
    async with runtime.sessions() as session:
        turns = await inbox.recent_done(session, CHANNEL, session_hash, history.LIMIT)
        pushes = await web_sessions.delivered(session, session_hash, history.LIMIT)
    return _json({"messages": history.messages(turns, pushes)})


async def petition_letter(request: web.Request) -> web.Response:
    """The filled-in letter to print and sign, built on demand for its filer's web session."""
    session_hash, _ = await _session_hash(request, create=False)
    if session_hash is None or not LETTER_CODE.fullmatch(request.match_info["code"]):
        return _error(404)
    runtime = request.app[RUNTIME]
    async with runtime.sessions() as session:
        data = await letter_for(
            session, CHANNEL, session_hash, request.match_info["code"], runtime.clock.now()
        )
    if data is None:
        return _error(404)
    return web.Response(
        body=data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={
            "Content-Disposition": f'attachment; filename="{request.match_info["code"]}.docx"',
            "Cache-Control": "no-store",
        },
    )


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    try:
        async with runtime.sessions() as session:
            await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except Exception as exc:  # any database failure means "not healthy", reported, not raised
        return _json({"status": "error", "database": str(exc)[:200]}, status=503)
    return _json({"status": "ok", "database": "ok"})


def _may_read_metrics(request: web.Request) -> bool:
    token = request.app[RUNTIME].settings.metrics_token
    if token is not None:
        expected = f"Bearer {token.get_secret_value()}"
        return hmac.compare_digest(request.headers.get("Authorization", ""), expected)
    direct = "X-Forwarded-For" not in request.headers and "Forwarded" not in request.headers
    return direct and request.remote in ("127.0.0.1", "::1")


async def metrics(request: web.Request) -> web.Response:
    if not _may_read_metrics(request):
        return _error(404)
    runtime = request.app[RUNTIME]
    async with runtime.sessions() as session:
        depth, age = await outbox.depth(session, runtime.clock.now())
        pending = await inbox.pending_count(session)
        failed = await inbox.failed_count(session)
    runtime.metrics.outbox_depth.set(depth)
    runtime.metrics.outbox_age.set(age)
    runtime.metrics.inbox_pending.set(pending)
    runtime.metrics.inbox_failed.set(failed)
    return web.Response(body=runtime.metrics.render(), content_type="text/plain", charset="utf-8")


async def page(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)


SNIPPET_LABEL = "Hỏi Trợ lý dân chủ cơ sở"
SNIPPET_STYLE = (
    "position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:14px 18px;"
    "border-radius:28px;background:#8b1a1a;color:#fff;font:600 17px/1.3 system-ui,sans-serif;"
    "text-decoration:none;box-shadow:0 2px 8px rgba(0,0,0,.35)"
)


def website_snippet(url: str) -> str:
    """The HTML a commune pastes into its website: a floating link that opens the chat in its
    own tab. Not a frame: the chat keeps frame-ancestors 'none' and its SameSite cookie, and
    the commune's page needs no script from us."""
    parts = urlsplit(url)
    unsafe = any(ch in url for ch in "\"'<> ") or not url.isprintable()
    if parts.scheme not in ("http", "https") or not parts.netloc or unsafe:
        raise ValueError(
            "Địa chỉ phải bắt đầu bằng https:// hoặc http://, ví dụ https://troly.xaminhhoa.gov.vn/"
        )
    return (
        f'<a href="{url}" target="_blank" rel="noopener" '
        f'title="Mở Trợ lý ở thẻ mới" style="{SNIPPET_STYLE}">{SNIPPET_LABEL}</a>'
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", page)
    app.router.add_static("/static/", STATIC, append_version=False)
    app.router.add_post("/api/chat", post_chat)
    app.router.add_post(UPLOAD_PATH, post_file)
    app.router.add_get("/api/chat/updates", get_updates)
    app.router.add_get("/api/chat/history", get_history)
    app.router.add_get("/api/petitions/{code}/letter.docx", petition_letter)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
