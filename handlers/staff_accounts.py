"""Choosing a unit's staff account for a case (a handler, a session's receiver, an accused) and
marking accused ones: the same for đơn and bookings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, people
from handlers import texts
from handlers.access import Actor, audit_by, person_label, staff_label
from handlers.contract import Button

# A chat menu of more accounts than this is unreadable; a unit has a handful of officials.
MAX_SHOWN = 12


async def picker(
    session: AsyncSession, unit_id: int, prefix: str, target: int, skip: set[int]
) -> list[Button]:
    """One button per staff account of the unit, payload ``{prefix}{target}:{person}``."""
    staff = await people.staff_of_units(session, [unit_id])
    return [
        Button(staff_label(person_id, name), f"{prefix}{target}:{person_id}")
        for person_id, name in staff
        if person_id not in skip
    ][:MAX_SHOWN]


async def is_unit_staff(session: AsyncSession, unit_id: int, person_id: int) -> bool:
    return person_id in {pid for pid, _ in await people.staff_of_units(session, [unit_id])}


async def mark_accused(
    session: AsyncSession,
    actor: Actor,
    kind: str,
    target_id: int,
    code: str,
    person_id: int,
    now: datetime,
) -> str:
    """Mark a staff account accused in a case (audited); returns what to tell the marker."""
    await accused.mark(session, kind, target_id, [person_id], actor.label, now)
    petition = kind == accused.PETITION
    action = "petition.accused_marked" if petition else "reception.accused_marked"
    audit_by(session, actor, action, now, target=code, after={"person": person_id})
    what = texts.ACCUSED_WHAT_PETITION if petition else texts.ACCUSED_WHAT_BOOKING
    name = await person_label(session, person_id)
    return texts.ACCUSED_MARKED.format(name=name, what=what.format(code=code))
