"""What the HTTP server does before any route sees a request: who the client is (behind a trusted
proxy only), how fast it may ask, how long it may take to send a body, and which requests the
chat API accepts at all.

Rate limits are per process (token buckets in memory): they slow a flood from one session or one
address; the counters that must hold across processes (wrong guesses at codes) are rows, see
`handlers/guesses.py`. Headers that trickle in slowly are the reverse proxy's to cut (README,
"Security"): aiohttp has no header timeout.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler

# Deeper JSON than this is not a chat message (and the decoder's recursion is not free).
MAX_JSON_DEPTH = 20
TOO_FAST = "Anh/chị gửi nhanh quá. Vui lòng đợi vài giây rồi gửi lại."
TOO_SLOW = "Yêu cầu gửi quá chậm nên bị dừng. Anh/chị vui lòng thử lại."
NOT_JSON = "Yêu cầu phải là JSON (Content-Type: application/json)."
OTHER_SITE = "Yêu cầu từ trang khác không được nhận."
NOT_A_FILE = "Tệp phải được gửi nguyên dạng (Content-Type: application/octet-stream)."
UPLOAD_TOO_BIG = (
    "Tệp lớn hơn 10 MB nên không nhận được. Anh/chị chụp lại ảnh nhỏ hơn hoặc gửi tệp khác."
)
# The web page's file picker posts one file's bytes here; every other POST is JSON.
UPLOAD_PATH = "/api/chat/files"
UPLOAD_MAX = 10 * 1024 * 1024


@dataclass(frozen=True)
class GuardSettings:
    # Addresses of reverse proxies whose X-Forwarded-For is believed; nobody else's is.
    trusted_proxies: frozenset[str] = frozenset()
    # Requests per minute to /api/ (a burst of this many, refilled evenly over a minute).
    per_session_per_minute: int = 60
    per_address_per_minute: int = 600
    # New chat sessions (first messages without a cookie) per address and minute.
    new_sessions_per_minute: int = 60
    # A request body must arrive within this many seconds (a photo from a phone: longer).
    body_seconds: float = 10.0
    upload_seconds: float = 120.0


class Buckets:
    """Token buckets by key, the least recently used forgotten beyond ``size`` keys."""

    def __init__(self, per_minute: int, size: int = 100_000) -> None:
        self._rate = per_minute / 60.0
        self._burst = float(per_minute)
        self._size = size
        self._state: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str, now: float) -> float:
        """0 if the request may go now, else the seconds to wait."""
        tokens, at = self._state.pop(key, (self._burst, now))
        tokens = min(self._burst, tokens + (now - at) * self._rate)
        if tokens >= 1:
            self._state[key] = (tokens - 1, now)
            wait = 0.0
        else:
            self._state[key] = (tokens, now)
            wait = (1 - tokens) / self._rate
        if len(self._state) > self._size:
            self._state.popitem(last=False)
        return wait


def client_address(request: web.Request, trusted: frozenset[str]) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the last address
    in X-Forwarded-For that is not one of ours (earlier ones are the client's to forge)."""
    peer = request.remote or ""
    if peer not in trusted:
        return peer
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed(hops):
        if hop and hop not in trusted and _is_address(hop):
            return hop
    return peer


def _is_address(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True


def origin_digest(address: str) -> str:
    """What is kept of an address in counters: a digest, never the address itself."""
    return hashlib.sha256(address.encode()).hexdigest()[:20]


def parse_json(body: bytes) -> Any:
    """The request's JSON, or None when it is not JSON we would read: malformed, not UTF-8,
    nested deeper than MAX_JSON_DEPTH, or holding a number too long to be ours."""
    try:
        text = body.decode("utf-8")
        if _depth(text) > MAX_JSON_DEPTH:
            return None
        return json.loads(text, parse_int=_small_int, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return None


def _small_int(text: str) -> int:
    if len(text.lstrip("-")) > 18:
        raise ValueError("number too long")
    return int(text)


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def same_site(request: web.Request) -> bool:
    """A browser's POST from another site carries an Origin (or Sec-Fetch-Site) saying so."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser's cross-site request (curl, the tests, a proxy's probe)
    return urlsplit(origin).netloc.lower() == request.host.lower()


def _json_error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    body = json.dumps({"error": message}, ensure_ascii=False)
    return web.Response(text=body, status=status, content_type="application/json", headers=headers)


def middleware(
    settings: GuardSettings,
    seconds: Callable[[], float] = time.monotonic,
    session_of: Iterable[str] = ("dccs_session",),
) -> Any:
    """The guard as aiohttp middleware, for everything under /api/. ``seconds`` is the clock
    the buckets refill by."""
    sessions = Buckets(settings.per_session_per_minute)
    addresses = Buckets(settings.per_address_per_minute)
    newcomers = Buckets(settings.new_sessions_per_minute)
    cookies = tuple(session_of)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        address = client_address(request, settings.trusted_proxies)
        request[ADDRESS] = address
        if not request.path.startswith("/api/"):
            return await handler(request)
        now = seconds()
        token = next((request.cookies[name] for name in cookies if name in request.cookies), "")
        wait = addresses.take(address, now)
        if not wait and token:
            wait = sessions.take(token[:128], now)
        elif not wait and request.method == "POST":
            # Each first message makes a session, a person and a conversation: a flood of
            # cookieless posts is slowed here.
            wait = newcomers.take(address, now)
        if wait:
            return _json_error(429, TOO_FAST, {"Retry-After": str(max(1, round(wait)))})
        if request.method == "POST" and request.path == UPLOAD_PATH:
            if request.content_type != "application/octet-stream":
                return _json_error(415, NOT_A_FILE)
            if not same_site(request):
                return _json_error(403, OTHER_SITE)
            try:
                body = await asyncio.wait_for(_upload(request), settings.upload_seconds)
            except TimeoutError:
                return _json_error(408, TOO_SLOW)
            if body is None:
                return _json_error(413, UPLOAD_TOO_BIG)
            request[UPLOAD] = body
        elif request.method == "POST":
            if request.content_type != "application/json":
                return _json_error(415, NOT_JSON)
            if not same_site(request):
                return _json_error(403, OTHER_SITE)
            try:
                await asyncio.wait_for(request.read(), settings.body_seconds)
            except TimeoutError:
                return _json_error(408, TOO_SLOW)
        return await handler(request)

    return guard


async def _upload(request: web.Request) -> bytes | None:
    """An uploaded file's bytes, read past the app's small body limit up to ``UPLOAD_MAX``;
    None when it is bigger (told by its length, or found while reading)."""
    if (request.content_length or 0) > UPLOAD_MAX:
        return None
    body = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > UPLOAD_MAX:
            return None
    return bytes(body)


ADDRESS: web.RequestKey[str] = web.RequestKey("client_address", str)
UPLOAD: web.RequestKey[bytes] = web.RequestKey("upload", bytes)
