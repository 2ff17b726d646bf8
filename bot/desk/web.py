"""What every desk route shares: the session cookie, the role check, the CSRF check, one
transaction per request, and rendering with the desk's headers."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.web_request import FileField
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.channels.web import RUNTIME
from handlers.access import ADMIN, record_denied
from handlers.clock import VN_TZ
from handlers.desk import login
from handlers.desk.login import DeskUser

COOKIE = "dccs_desk"
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
HEADERS = {
    # Everything is served from here; no script at all, no frame may hold the desk.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


@dataclass
class Desk:
    """One request's context: its transaction, who is signed in, the time."""

    request: web.Request
    session: AsyncSession
    user: DeskUser
    cookie: str
    now: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(VN_TZ).date()

    @property
    def csrf(self) -> str:
        return login.csrf_token(self.cookie)

    def render(self, template: str, status: int = 200, **context: Any) -> web.Response:
        return render(
            self.request, template, status=status, user=self.user, csrf=self.csrf, **context
        )


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    context.setdefault("user", None)
    response = aiohttp_jinja2.render_template(template, request, context, status=status)
    response.headers.update(HEADERS)
    return response


def _date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(VN_TZ).date()
    return f"{value:%d/%m/%Y}"


def _moment(value: datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value.astimezone(VN_TZ):%H:%M %d/%m/%Y}"


def _clock_time(value: datetime) -> str:
    return f"{value.astimezone(VN_TZ):%H:%M}"


def setup(app: web.Application) -> None:
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"], default=True),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["ngay"] = _date
    env.filters["luc"] = _moment
    env.filters["gio"] = _clock_time


Page = Callable[[Desk], Awaitable[web.StreamResponse]]


def page(
    *, admin: bool = False, upload: bool = False, staff: bool = True
) -> Callable[[Page], Callable[[web.Request], Awaitable[Any]]]:
    """A desk route: signed in (else the login page, 401), a staff role (else 403) unless
    ``staff`` is False (logging out), an admin role where asked (else 403); a POST must carry
    the form's CSRF token (else 403). Refusals of a signed-in person are audited. The route
    runs in one transaction. An ``upload`` form may send a file up to MAX_UPLOAD, past the
    app's small body limit."""

    def wrap(handler: Page) -> Callable[[web.Request], Awaitable[Any]]:
        @functools.wraps(handler)
        async def route(request: web.Request) -> web.StreamResponse:
            if upload:
                request = request.clone(client_max_size=MAX_UPLOAD)
            runtime = request.app[RUNTIME]
            now = runtime.clock.now()
            cookie = request.cookies.get(COOKIE, "")
            try:
                form: Any = await request.post() if request.method == "POST" else {}
            except web.HTTPRequestEntityTooLarge:
                return render(request, "too_big.html", status=413, upload=upload)
            async with runtime.sessions() as session, session.begin():
                user = await login.user_of(session, cookie, now) if cookie else None
                if user is None:
                    return render(request, "need_login.html", status=401)
                target = clean_text(f"desk:{request.method} {request.path}")
                if (staff and not user.is_staff) or (admin and not user.actor.has(ADMIN)):
                    record_denied(session, user.actor, target, now)
                    # Everyone signed in keeps their way out (the logout form), a person whose
                    # roles were revoked too.
                    csrf = login.csrf_token(cookie)
                    return render(
                        request,
                        "forbidden.html",
                        status=403,
                        user=user,
                        csrf=csrf,
                        reason="" if user.is_staff else "no_role",
                    )
                if request.method == "POST" and not login.csrf_ok(
                    cookie, str(form.get("csrf", ""))
                ):
                    record_denied(session, user.actor, f"csrf {target}", now)
                    return render(
                        request, "forbidden.html", status=403, user=user, csrf="", reason="csrf"
                    )
                return await handler(Desk(request, session, user, cookie, now))

        return route

    return wrap


def posted_here(request: web.Request) -> bool:
    """A form POST from one of our own pages. Browsers say where a request comes from in
    Sec-Fetch-Site; the desk's pages send no referrer, so a browser without it sends
    ``Origin: null`` even from our own page, which is not trusted. No header at all is not a
    browser's cross-site request (curl, the tests)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.host.lower()


def set_cookie(response: web.StreamResponse, request: web.Request, value: str) -> None:
    response.set_cookie(
        COOKIE,
        value,
        httponly=True,
        samesite="Strict",
        secure=request.app[RUNTIME].settings.cookie_secure,
        path="/desk",
    )


# The years a desk date may name. Years like 0001 or 9999 are typing slips or probes, and
# they overflow as soon as a day is added to them or they are shifted to UTC.
YEARS = range(2000, 2101)


def parse_day(typed: str) -> date | None:
    """A day from a date field (YYYY-MM-DD) or typed as dd/mm/yyyy, within ``YEARS``."""
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(typed.strip(), shape).date()
        except ValueError:
            continue
        return day if day.year in YEARS else None
    return None


# C0 controls but tab and newline (a NUL is refused by PostgreSQL), DEL, and the bidi
# embeddings, overrides and isolates that make a title read differently than it sorts.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    return _UNPRINTABLE.sub("", value)


def form_text(form: Any, name: str, limit: int = 1000) -> str:
    """A form's text field, cut at ``limit``, without the characters ``_UNPRINTABLE`` names:
    every desk form reads its text here."""
    value = form.get(name, "")
    return clean_text(value)[:limit] if isinstance(value, str) else ""


# An uploaded file (a plan, the knowledge base) is read whole; both are well under this.
MAX_UPLOAD = 1_000_000


def uploaded(form: Any, name: str = "tep") -> tuple[Path, bytes] | None:
    """The file a form sent, as its bare name (for the messages) and its bytes."""
    sent = form.get(name)
    if not isinstance(sent, FileField) or not sent.filename:
        return None
    raw = sent.file.read(MAX_UPLOAD + 1)
    return Path(Path(sent.filename).name[:100]), raw
