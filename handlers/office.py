"""The commune's one-stop office a citizen is pointed to for administrative procedures: the
commune they chose, or the deployment's only commune, with the address, phone and hours of its
profile. None when the assistant cannot tell which commune (the reply then stays general)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from db.models import Person, Unit
from handlers.access import Actor
from handlers.faq.answers import Office
from handlers.units.pick import COMMUNE_KINDS


def _office(unit: Unit) -> Office:
    profile = unit.profile or {}
    # "Xã Minh Hòa" -> "UBND xã Minh Hòa".
    name = f"UBND {unit.name[:1].lower()}{unit.name[1:]}"
    return Office(name, profile.get("address"), profile.get("phone"), profile.get("hours"))


async def office_for(session: AsyncSession, actor: Actor) -> Office | None:
    person = await session.get(Person, actor.person_id)
    if person is not None and person.unit_id is not None:
        unit = await session.get(Unit, person.unit_id)
        if unit is not None:
            return _office(unit)
    communes = [u for u in await people.units(session) if u.kind in COMMUNE_KINDS]
    return _office(communes[0]) if len(communes) == 1 else None
