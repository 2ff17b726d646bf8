"""Who is speaking and what they may do: roles by one-time invite, channel links, the audit log.

Citizen is the default role. Official and admin come only from a one-time code an admin issues
(`dccs users invite`), sent in a private chat. Codes are stored hashed, expire, are claimed
atomically once, and wrong codes slow the sender (and their address) down (`handlers/guesses`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import audit, codes, desk, people
from db.models import OneTimeCode, Person, RoleGrant
from handlers import guesses

OFFICIAL, ADMIN = "official", "admin"
ROLES = (OFFICIAL, ADMIN)
INVITE, LINK = "invite", "link"
INVITE_TTL = timedelta(hours=72)
LINK_TTL = timedelta(minutes=15)
# No 0/O, 1/I/L: codes are read aloud and typed on phones.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_SHAPE = re.compile(r"^[A-Za-z2-9]{4}-?[A-Za-z2-9]{4}$")


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def code_hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").upper().encode()).hexdigest()


def looks_like_code(text: str) -> bool:
    return bool(CODE_SHAPE.match(text.strip()))


@dataclass(frozen=True)
class Actor:
    """The person behind an incoming message, with the roles they hold."""

    person_id: int
    channel: str
    external_id: str
    private: bool
    roles: tuple[tuple[str, int], ...] = ()
    # The digest of the client's address for this message, where the channel knows it.
    origin: str | None = None

    @property
    def label(self) -> str:
        return f"person:{self.person_id}"

    def has(self, *roles: str) -> bool:
        return any(role in roles for role, _ in self.roles)

    @property
    def is_staff(self) -> bool:
        return self.has(OFFICIAL, ADMIN)


async def scope(session: AsyncSession, actor: Actor) -> set[int]:
    """The units an official sees: those they hold a role for, and their children."""
    return await units_under(session, [unit_id for _, unit_id in actor.roles])


async def units_under(session: AsyncSession, unit_ids: list[int]) -> set[int]:
    units: set[int] = set()
    for unit_id in unit_ids:
        units |= await people.subtree_ids(session, unit_id)
    return units


def audit_by(
    session: AsyncSession,
    actor: Actor,
    action: str,
    now: datetime,
    *,
    target: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    person_id: int | None = None,
) -> None:
    """An audit row for something a person did in the chat."""
    audit.record(
        session,
        at=now,
        actor=actor.label,
        actor_person_id=person_id if person_id is not None else actor.person_id,
        action=action,
        target=target,
        before=before,
        after=after,
    )


async def actor_for(
    session: AsyncSession,
    channel: str,
    external_id: str,
    name: str | None,
    private: bool,
    now: datetime,
) -> Actor:
    actors = await actors_for(session, channel, {external_id: name}, now)
    return replace(actors[external_id], private=private)


async def actors_for(
    session: AsyncSession, channel: str, names: dict[str, str | None], now: datetime
) -> dict[str, Actor]:
    """The people behind several senders of one channel, with their roles, in a few
    statements (created as citizens on first contact). ``private`` is left False: it belongs
    to each message, not to the person."""
    person_ids, new = await people.resolve_many(session, channel, names, now)
    # Someone who just wrote for the first time holds no role yet.
    created = set(new)
    known = [person for external_id, person in person_ids.items() if external_id not in created]
    roles = await people.roles_of(session, known) if known else {}
    return {
        external_id: Actor(person_id, channel, external_id, False, roles.get(person_id, ()))
        for external_id, person_id in person_ids.items()
    }


async def issue(
    session: AsyncSession,
    *,
    purpose: str,
    now: datetime,
    actor: str,
    role: str | None = None,
    unit_id: int | None = None,
    person_id: int | None = None,
    name: str | None = None,
    form: str | None = None,
) -> str:
    """Create a one-time code and return it in clear (only its hash is stored). An invite may
    carry the official's name, given to whoever redeems it. ``form``: the desk form's one-time
    nonce, kept in the audit row so the same form cannot make a second code."""
    code = new_code()
    ttl = INVITE_TTL if purpose == INVITE else LINK_TTL
    codes.add(
        session,
        OneTimeCode(
            code_hash=code_hash(code),
            purpose=purpose,
            role=role,
            unit_id=unit_id,
            person_id=person_id,
            created_at=now,
            expires_at=now + ttl,
            name=name,
        ),
    )
    audit.record(
        session,
        at=now,
        actor=actor,
        action=f"code.{purpose}.issue",
        target=f"unit:{unit_id}" if unit_id else None,
        after={"role": role, "expires_at": (now + ttl).isoformat()}
        | ({"form": form} if form else {}),
    )
    return code


@dataclass(frozen=True)
class Redeemed:
    outcome: str  # "granted", "linked", "slowed", "wrong"
    role: str | None = None
    unit_id: int | None = None
    wait: timedelta | None = None
    # Someone has just started to be slowed down: the admins should hear of it.
    alert: bool = False


async def redeem(session: AsyncSession, actor: Actor, code: str, now: datetime) -> Redeemed:
    """Use a code typed by ``actor``: take a role, or link this channel to another person."""
    # Codes are random (31^8), so only who guesses and from where are counted, not the code.
    checked = guesses.keys(None, actor.channel, actor.external_id, actor.origin)
    pause = await guesses.wait(session, checked, now)
    if pause is not None:
        return Redeemed("slowed", wait=pause)
    claimed = await codes.claim(session, code_hash(code), actor.person_id, now)
    if claimed is None:
        audit_by(session, actor, "code.wrong", now, target=actor.channel)
        return Redeemed("wrong", alert=await guesses.failed(session, checked, now))
    if claimed.purpose == INVITE:
        assert claimed.role is not None and claimed.unit_id is not None
        session.add(
            RoleGrant(
                person_id=actor.person_id,
                role=claimed.role,
                unit_id=claimed.unit_id,
                granted_at=now,
            )
        )
        if claimed.name:
            await rename(session, actor.person_id, claimed.name, now, actor.label)
        audit_by(
            session,
            actor,
            "role.grant",
            now,
            target=f"unit:{claimed.unit_id}",
            after={"role": claimed.role},
        )
        return Redeemed("granted", claimed.role, claimed.unit_id)
    assert claimed.person_id is not None
    found = await people.identity(session, actor.channel, actor.external_id)
    assert found is not None
    before = {"person_id": found.person_id}
    found.person_id = claimed.person_id
    audit_by(
        session,
        actor,
        "identity.link",
        now,
        target=actor.channel,
        before=before,
        after={"person_id": claimed.person_id},
        person_id=claimed.person_id,
    )
    return Redeemed("linked")


async def person_label(session: AsyncSession, person_id: int) -> str:
    """How a staff account is named in buttons and audit replies: its name where the channel
    gave one, and always its account number (shown by "Vai trò của tôi")."""
    person = await session.get(Person, person_id)
    return staff_label(person_id, person.display_name if person else None)


async def rename(
    session: AsyncSession, person_id: int, name: str, now: datetime, actor: str
) -> bool:
    """An official's name as desk screens and history lines show it (audited)."""
    person = await session.get(Person, person_id)
    if person is None:
        return False
    audit.record(
        session,
        at=now,
        actor=actor,
        action="person.rename",
        target=f"person:{person_id}",
        before={"name": person.display_name},
        after={"name": name},
    )
    person.display_name = name
    session.add(person)
    return True


def clean_name(typed: str) -> str | None:
    """A person's name as an admin types it: one line of 2 to 200 printable characters."""
    name = " ".join(typed.split())
    return name if 2 <= len(name) <= 200 and name.isprintable() else None


def staff_label(person_id: int, name: str | None) -> str:
    return f"{name} (tài khoản #{person_id})" if name else f"Tài khoản #{person_id}"


def stated_reason(typed: str) -> str | None:
    """A reason an admin gives for seeing a denouncer: a few real words, or None."""
    reason = " ".join(typed.split())[:500]
    return reason if len(reason) >= 10 and len(reason.split()) >= 2 else None


def record_denied(session: AsyncSession, actor: Actor, target: str, now: datetime) -> None:
    """An attempt to use what the person's role does not allow: kept for the audit."""
    audit_by(session, actor, "access.denied", now, target=target[:128])


async def set_leader(
    session: AsyncSession, grant_id: int, leader: bool, now: datetime, actor: str
) -> bool:
    """Mark a role as the unit's Chủ tịch or Phó Chủ tịch UBND (a tố cáo naming the unit's
    leaders is then kept from it: handlers/petitions/routing.py)."""
    grant = await session.get(RoleGrant, grant_id)
    if grant is None or grant.revoked_at is not None:
        return False
    audit.record(
        session,
        at=now,
        actor=actor,
        action="role.leader",
        target=f"person:{grant.person_id}",
        before={"leader": grant.leader, "unit_id": grant.unit_id},
        after={"leader": leader},
    )
    grant.leader = leader
    session.add(grant)
    return True


async def revoke(session: AsyncSession, grant_id: int, now: datetime, actor: str) -> bool:
    grant = await session.get(RoleGrant, grant_id)
    if grant is None or grant.revoked_at is not None:
        return False
    grant.revoked_at = now
    session.add(grant)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="role.revoke",
        target=f"person:{grant.person_id}",
        before={"role": grant.role, "unit_id": grant.unit_id},
    )
    await session.flush()
    if not (await people.roles_of(session, [grant.person_id]))[grant.person_id]:
        # A browser signed in before must not come back to life when the person is invited
        # again (perhaps to another unit): they log in anew with /dangnhap.
        await desk.end_sessions_of(session, grant.person_id, now)
    return True


async def set_person_unit(session: AsyncSession, actor: Actor, unit_id: int) -> None:
    person = await session.get(Person, actor.person_id)
    assert person is not None
    person.unit_id = unit_id
