"""Signing in to the staff desk without a password: a one-time link a staff member gets in a
private chat (or the IT officer from `dccs users login-link`), valid 10 minutes.

Opening the link (GET) spends nothing, so a link preview or a crawler can neither burn nor use
it; the page's button (POST) spends it and opens a desk session, known by a random cookie of
which only the hash is stored. Roles are read again on every request, so a revoked role closes
the desk at once. Logins and failed links are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from db import audit, codes, desk, people
from db.models import OneTimeCode, Person
from handlers.access import Actor

DESK = "desk"
LINK_TTL = timedelta(minutes=10)
IDLE = timedelta(minutes=30)
LOGIN_PATH = "/desk/dang-nhap"
# The channel name desk actions carry in the audit log and the Actor.
CHANNEL = "desk"
MAX_TOKEN = 128


def _hash(token: str) -> str:
    # A prefix keeps a desk token's hash apart from any chat code's.
    return hashlib.sha256(f"desk:{token}".encode()).hexdigest()


def link_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}{LOGIN_PATH}?t={token}"


async def issue_link(
    session: AsyncSession, person_id: int, now: datetime, actor: str, via: str, public_url: str
) -> str | None:
    """A one-time login link for a staff member (None if they hold no role): audited with the
    way it was issued ("chat" or "cli")."""
    if not await people.active_roles(session, person_id):
        return None
    token = secrets.token_urlsafe(32)
    codes.add(
        session,
        OneTimeCode(
            code_hash=_hash(token),
            purpose=DESK,
            person_id=person_id,
            created_at=now,
            expires_at=now + LINK_TTL,
        ),
    )
    audit.record(
        session,
        at=now,
        actor=actor,
        action="desk.link_issued",
        target=f"person:{person_id}",
        after={"via": via, "expires_at": (now + LINK_TTL).isoformat()},
    )
    return link_url(public_url, token)


def plausible(token: str) -> bool:
    return 0 < len(token) <= MAX_TOKEN and token.isascii() and token.isprintable()


class Refused(StrEnum):
    """Why a login link did not sign anyone in (the page says what to do about each)."""

    # Already used, past its 10 minutes, or never issued: a new one comes from /dangnhap.
    USED = "used"
    # The account no longer holds a staff role: only an admin's new invite helps.
    NO_ROLE = "no_role"


async def usable(session: AsyncSession, token: str, now: datetime) -> bool:
    """Whether a link would still sign in (opening it shows the button); spends nothing."""
    return plausible(token) and await codes.usable(session, _hash(token), now, DESK)


async def spend(
    session: AsyncSession, token: str, now: datetime, origin: str | None
) -> str | Refused:
    """Use a login link: a new desk session's cookie token, or why not (audited either way)."""
    claimed = None
    if plausible(token):
        claimed = await codes.claim(session, _hash(token), None, now, purpose=DESK)
    if claimed is None or claimed.person_id is None:
        audit.record(
            session, at=now, actor="web", action="desk.link_failed", target=origin and origin[:64]
        )
        return Refused.USED
    person_id = claimed.person_id
    if not await people.active_roles(session, person_id):
        audit.record(
            session,
            at=now,
            actor=f"person:{person_id}",
            actor_person_id=person_id,
            action="desk.link_failed",
            target="no-role",
        )
        return Refused.NO_ROLE
    cookie = secrets.token_urlsafe(32)
    desk.create_session(session, _cookie_hash(cookie), person_id, now)
    audit.record(
        session,
        at=now,
        actor=f"person:{person_id}",
        actor_person_id=person_id,
        action="desk.login",
        target=origin and origin[:64],
    )
    return cookie


def _cookie_hash(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


def csrf_token(cookie: str) -> str:
    """The token every desk form carries: derived from the session's secret cookie, which a
    page of another site can neither read nor send (SameSite=Strict)."""
    return hmac.new(cookie.encode(), b"desk-form", hashlib.sha256).hexdigest()[:40]


def csrf_ok(cookie: str, sent: str) -> bool:
    return hmac.compare_digest(csrf_token(cookie), sent)


@dataclass(frozen=True)
class DeskUser:
    """The staff member behind a desk session, as the chat's handlers know them."""

    actor: Actor
    name: str
    # False while the account has no name of its own (``name`` is then its number): the desk
    # asks for one, since the name is printed on the registers.
    named: bool = True

    @property
    def is_staff(self) -> bool:
        return self.actor.is_staff


async def user_of(session: AsyncSession, cookie: str, now: datetime) -> DeskUser | None:
    """The person of a live desk session (seen within the idle timeout), with their roles now;
    None for no session, an ended or an idle one."""
    if not plausible(cookie):
        return None
    person_id = await desk.touch_session(session, _cookie_hash(cookie), now, now - IDLE)
    if person_id is None:
        return None
    roles = (await people.roles_of(session, [person_id]))[person_id]
    person = await session.get(Person, person_id)
    actor = Actor(person_id, CHANNEL, str(person_id), True, roles)
    own = person.display_name if person else None
    return DeskUser(actor, own or f"Tài khoản #{person_id}", named=bool(own))


async def logout(session: AsyncSession, cookie: str, user: DeskUser, now: datetime) -> None:
    await desk.end_session(session, _cookie_hash(cookie), now)
    audit.record(
        session,
        at=now,
        actor=user.actor.label,
        actor_person_id=user.actor.person_id,
        action="desk.logout",
    )
