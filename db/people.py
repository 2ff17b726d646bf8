"""People, their channel identities, roles and units. Repositories never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Identity, Person, RoleGrant, Unit


async def identity(session: AsyncSession, channel: str, external_id: str) -> Identity | None:
    query = select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    return (await session.exec(query)).one_or_none()


async def resolve(
    session: AsyncSession, channel: str, external_id: str, name: str | None, now: datetime
) -> Person:
    """The person behind a channel identity, created (as a citizen) on first contact."""
    found = await identity(session, channel, external_id)
    if found is not None:
        if found.unreachable_at is not None:
            found.unreachable_at = None  # they wrote to us, so they can be reached again
        found.last_seen_at = now
        person = await session.get(Person, found.person_id)
        assert person is not None
        return person
    person = Person(display_name=name, created_at=now)
    session.add(person)
    await session.flush()
    assert person.id is not None
    session.add(
        Identity(
            person_id=person.id,
            channel=channel,
            external_id=external_id,
            last_seen_at=now,
            created_at=now,
        )
    )
    await session.flush()
    return person


async def identities(session: AsyncSession, person_id: int) -> Sequence[Identity]:
    query = select(Identity).where(Identity.person_id == person_id).order_by(col(Identity.id))
    return (await session.exec(query)).all()


async def active_roles(session: AsyncSession, person_id: int) -> Sequence[RoleGrant]:
    query = select(RoleGrant).where(
        RoleGrant.person_id == person_id, col(RoleGrant.revoked_at).is_(None)
    )
    return (await session.exec(query)).all()


async def all_grants(session: AsyncSession) -> Sequence[tuple[RoleGrant, Person, Unit]]:
    query = (
        select(RoleGrant, Person, Unit)
        .join(Person, col(Person.id) == RoleGrant.person_id)
        .join(Unit, col(Unit.id) == RoleGrant.unit_id)
        .order_by(col(RoleGrant.id))
    )
    return (await session.exec(query)).all()


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
