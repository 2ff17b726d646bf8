"""People, their channel identities, roles and units. Repositories never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert
from sqlmodel import col, delete, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import dialect, insert_ids, one_of
from db.models import (
    Accused,
    AuditLog,
    Booking,
    Deadline,
    DeskSession,
    Identity,
    OneTimeCode,
    Person,
    Petition,
    PetitionParty,
    ReceptionSchedule,
    ReceptionSession,
    RoleGrant,
    Unit,
)

_IDENTITIES = Identity.__table__  # type: ignore[attr-defined]
# Who already wrote to us, and, since they wrote again, that they can be reached again.
_SEEN = {
    name: update(_IDENTITIES)
    .where(
        _IDENTITIES.c.channel == bindparam("of_channel"),
        one_of(_IDENTITIES.c.external_id, "external_ids")[name],
    )
    .values(last_seen_at=bindparam("now"), unreachable_at=None)
    .returning(_IDENTITIES.c.external_id, _IDENTITIES.c.person_id)
    for name in ("postgresql", "sqlite")
}


async def identity(session: AsyncSession, channel: str, external_id: str) -> Identity | None:
    query = select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    return (await session.exec(query)).one_or_none()


async def resolve(
    session: AsyncSession, channel: str, external_id: str, name: str | None, now: datetime
) -> Person:
    """The person behind a channel identity, created (as a citizen) on first contact."""
    person_ids, _ = await resolve_many(session, channel, {external_id: name}, now)
    person_id = person_ids[external_id]
    person = await session.get(Person, person_id)
    assert person is not None
    return person


async def resolve_many(
    session: AsyncSession, channel: str, names: dict[str, str | None], now: datetime
) -> tuple[dict[str, int], list[str]]:
    """Person ids behind several identities of one channel (external id -> display name),
    creating citizens for the new ones (also returned): a few statements for the batch."""
    seen = await session.exec(
        _SEEN[dialect(session)],
        params={"of_channel": channel, "external_ids": list(names), "now": now},
    )
    found: dict[str, int] = dict(seen.all())
    new = [external_id for external_id in names if external_id not in found]
    if new:
        persons = [{"display_name": names[external_id], "created_at": now} for external_id in new]
        ids = await insert_ids(session, Person.__table__, persons)  # type: ignore[attr-defined]
        found.update(zip(new, ids, strict=True))
        identities = [
            {
                "person_id": found[external_id],
                "channel": channel,
                "external_id": external_id,
                "last_seen_at": now,
                "created_at": now,
            }
            for external_id in new
        ]
        await session.exec(insert(_IDENTITIES), params=identities)
    return found, new


async def roles_of(
    session: AsyncSession, person_ids: Sequence[int]
) -> dict[int, tuple[tuple[str, int], ...]]:
    """The active (role, unit) pairs of several people, in one query."""
    query = select(RoleGrant.person_id, RoleGrant.role, RoleGrant.unit_id).where(
        col(RoleGrant.person_id).in_(set(person_ids)), col(RoleGrant.revoked_at).is_(None)
    )
    roles: dict[int, tuple[tuple[str, int], ...]] = {person_id: () for person_id in person_ids}
    for person_id, role, unit_id in (await session.exec(query)).all():
        roles[person_id] = (*roles[person_id], (role, unit_id))
    return roles


async def identities(session: AsyncSession, person_id: int) -> Sequence[Identity]:
    query = select(Identity).where(Identity.person_id == person_id).order_by(col(Identity.id))
    return (await session.exec(query)).all()


async def active_roles(session: AsyncSession, person_id: int) -> Sequence[RoleGrant]:
    query = select(RoleGrant).where(
        RoleGrant.person_id == person_id, col(RoleGrant.revoked_at).is_(None)
    )
    return (await session.exec(query)).all()


async def staff_of_units(
    session: AsyncSession, unit_ids: Sequence[int]
) -> Sequence[tuple[int, str | None]]:
    """(person id, display name) of everyone holding an active role in these units."""
    query = (
        select(Person.id, Person.display_name)
        .join(RoleGrant, col(RoleGrant.person_id) == Person.id)
        .where(col(RoleGrant.unit_id).in_(unit_ids), col(RoleGrant.revoked_at).is_(None))
        .distinct()
        .order_by(col(Person.id))
    )
    return [(int(pid), name) for pid, name in (await session.exec(query)).all() if pid]


async def holders_of(session: AsyncSession, unit_id: int, role: str) -> set[int]:
    """Everyone holding ``role`` (active) at the unit."""
    query = select(RoleGrant.person_id).where(
        RoleGrant.unit_id == unit_id,
        RoleGrant.role == role,
        col(RoleGrant.revoked_at).is_(None),
    )
    return set((await session.exec(query)).all())


async def all_grants(session: AsyncSession) -> Sequence[tuple[RoleGrant, Person, Unit]]:
    query = (
        select(RoleGrant, Person, Unit)
        .join(Person, col(Person.id) == RoleGrant.person_id)
        .join(Unit, col(Unit.id) == RoleGrant.unit_id)
        .order_by(col(RoleGrant.id))
    )
    return (await session.exec(query)).all()


async def anyone(session: AsyncSession) -> bool:
    """Whether any person has ever written to the assistant (a live database)."""
    return (await session.exec(select(Person.id).limit(1))).first() is not None


async def units(session: AsyncSession) -> Sequence[Unit]:
    return (await session.exec(select(Unit).order_by(col(Unit.id)))).all()


async def unit_by_code_or_name(session: AsyncSession, key: str) -> Unit | None:
    by_code = (await session.exec(select(Unit).where(Unit.code == key))).first()
    if by_code is not None:
        return by_code
    return (await session.exec(select(Unit).where(Unit.name == key))).first()


async def subtree_ids(session: AsyncSession, unit_id: int) -> set[int]:
    """A unit and all units below it: what an official of that unit may see."""
    children: dict[int | None, list[int]] = {}
    for unit in await units(session):
        assert unit.id is not None
        children.setdefault(unit.parent_id, []).append(unit.id)
    found, stack = set(), [unit_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


async def other_identities(
    session: AsyncSession, channel: str, external_id: str
) -> Sequence[Identity]:
    """The same person's other reachable addresses, oldest link first."""
    found = await identity(session, channel, external_id)
    if found is None:
        return []
    query = (
        select(Identity)
        .where(
            Identity.person_id == found.person_id,
            Identity.id != found.id,
            col(Identity.unreachable_at).is_(None),
        )
        .order_by(col(Identity.id))
    )
    return (await session.exec(query)).all()


def _ties() -> list[Any]:
    """Every column through which a person is part of a record that must outlive chatting:
    a role, a booking, a đơn, a deadline, a code, an audit line, a session received, a mark."""
    return [
        col(RoleGrant.person_id),
        col(Booking.person_id),
        col(Petition.person_id),
        col(Petition.handler_person_id),
        col(Deadline.owner_person_id),
        col(OneTimeCode.person_id),
        col(OneTimeCode.claimed_by),
        col(AuditLog.actor_person_id),
        col(ReceptionSchedule.receiver_person_id),
        col(ReceptionSession.receiver_person_id),
        col(Accused.person_id),
        col(DeskSession.person_id),
    ]


async def purge_idle(session: AsyncSession, cutoff: datetime, limit: int = 500) -> int:
    """Delete people (with their channel identities) who have not written since ``cutoff``
    and hold no role, booking, đơn or other record: a citizen who only asked questions."""
    seen = func.coalesce(col(Identity.last_seen_at), col(Identity.created_at))
    active = select(col(Identity.person_id)).where(seen >= cutoff)
    query = select(col(Person.id)).where(
        col(Person.created_at) < cutoff, col(Person.id).not_in(active)
    )
    for tie in _ties():
        query = query.where(col(Person.id).not_in(select(tie).where(tie.is_not(None))))
    idle = list((await session.exec(query.limit(limit))).all())
    if not idle:
        return 0
    await session.exec(delete(Identity).where(col(Identity.person_id).in_(idle)))
    await session.exec(delete(Person).where(col(Person.id).in_(idle)))
    return len(idle)


async def last_details(session: AsyncSession, person_id: int) -> tuple[str, str, str] | None:
    """(name, phone, address) the person gave last, on a booking or a đơn; None if never."""
    booked = (
        select(Booking.full_name, Booking.phone, Booking.address, Booking.created_at)
        .where(Booking.person_id == person_id)
        .order_by(col(Booking.created_at).desc())
        .limit(1)
    )
    filed = (
        select(
            PetitionParty.full_name,
            PetitionParty.phone,
            PetitionParty.address,
            Petition.created_at,
        )
        .join(Petition, col(Petition.id) == col(PetitionParty.petition_id))
        # Never from a tố cáo: offering it back would show who filed it to the next user.
        .where(
            Petition.person_id == person_id,
            col(Petition.anonymous).is_(False),
            Petition.kind != "to_cao",
        )
        .order_by(col(Petition.created_at).desc())
        .limit(1)
    )
    found = [row for query in (booked, filed) for row in (await session.exec(query)).all()]
    if not found:
        return None
    name, phone, address, _ = max(found, key=lambda row: row[3])
    return name, phone, address


async def leaders_of(session: AsyncSession, unit_id: int) -> list[int]:
    """The accounts marked as the unit's Chủ tịch or Phó Chủ tịch (active grants)."""
    query = select(RoleGrant.person_id).where(
        RoleGrant.unit_id == unit_id,
        col(RoleGrant.leader).is_(True),
        col(RoleGrant.revoked_at).is_(None),
    )
    return sorted(set((await session.exec(query)).all()))
