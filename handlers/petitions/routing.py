"""A tố cáo naming the commune's Chủ tịch or Phó Chủ tịch UBND: where it goes, and who never
sees it.

Luật Tố cáo 25/2018/QH14 Điều 13 khoản 2 gave such a tố cáo to the Chủ tịch UBND cấp huyện, a
level that no longer exists since 01/7/2025; who decides it now is unconfirmed. So the routing
is a setting of the rules file (default: the parent unit) and the case says so. Whatever the
setting, the commune's leader accounts are marked accused: they never see, take or assign it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import and_, col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, audit, people
from db.models import Booking, Petition, ReceptionSession, RoleGrant, Unit
from handlers import access
from handlers.petitions.rules import RuleBook
from knowledge.normalize import normalize

LEADER_WORDS = ("ct", "pct")  # chat shorthand for (phó) chủ tịch
COMMUNE_WORDS = ("xa", "phuong")


def names_commune_leader(accused_text: str) -> bool:
    words = normalize(accused_text).split()
    spaced = f" {' '.join(words)} "
    leader = " chu tich " in spaced or any(word in LEADER_WORDS for word in words)
    commune = (
        any(word in COMMUNE_WORDS for word in words)
        or " uy ban nhan dan " in spaced
        or " dac khu " in spaced
    )
    return leader and commune


@dataclass(frozen=True)
class Routing:
    unit_id: int
    against_leader: bool
    routed_from: int | None
    # Whom a tố cáo names, as typed: staff named there never see it.
    named: str = ""


async def route(
    session: AsyncSession, book: RuleBook, unit_id: int, kind: str, accused_text: str
) -> Routing:
    if kind != "to_cao":
        return Routing(unit_id, False, None)
    if not names_commune_leader(accused_text):
        return Routing(unit_id, False, None, accused_text)
    unit = await session.get(Unit, unit_id)
    if book.leader_denunciations_go_up and unit is not None and unit.parent_id is not None:
        return Routing(unit.parent_id, True, unit_id, accused_text)
    return Routing(unit_id, True, None, accused_text)


async def shield_leaders(
    session: AsyncSession, petition: Petition, routing: Routing, now: datetime
) -> None:
    """The commune's leader accounts never see the case nor handle it, nor does a staff account
    the tố cáo names by its full name (marked accused)."""
    if petition.id is None:
        return
    units = {routing.unit_id, routing.routed_from or routing.unit_id}
    named = await staff_named(session, units, routing.named)
    await accused.mark(session, accused.PETITION, petition.id, named, "system", now)
    if not routing.against_leader:
        return
    commune = routing.routed_from or routing.unit_id
    leaders = await people.leaders_of(session, commune)
    await accused.mark(session, accused.PETITION, petition.id, leaders, "system", now)


async def staff_named(session: AsyncSession, unit_ids: set[int], text: str) -> list[int]:
    """Staff of these units whose full name (two words or more) the text contains, with or
    without diacritics: a lone admin named in a tố cáo must not be the one who reads it."""
    if not text.strip():
        return []
    spaced = f" {normalize(text)} "
    return [
        person_id
        for person_id, name in await people.staff_of_units(session, sorted(unit_ids))
        if name and len(name.split()) >= 2 and f" {normalize(name)} " in spaced
    ]


async def flag_leader(
    session: AsyncSession, grant_id: int, leader: bool, now: datetime, actor: str
) -> bool:
    """Mark (or unmark) a role as its unit's leader. A leader flagged after a tố cáo naming the
    commune's leaders was filed is shielded from it too: the flag must not open old cases to the
    person they name. Unflagging keeps the marks (the case named whoever led then)."""
    if not await access.set_leader(session, grant_id, leader, now, actor):
        return False
    grant = await session.get(RoleGrant, grant_id)
    if not leader or grant is None:
        return True
    named = select(col(Petition.id)).where(
        col(Petition.against_leader).is_(True),
        or_(
            col(Petition.routed_from_unit_id) == grant.unit_id,
            and_(
                col(Petition.routed_from_unit_id).is_(None),
                col(Petition.unit_id) == grant.unit_id,
            ),
        ),
    )
    for petition_id in (await session.exec(named)).all():
        assert petition_id is not None  # a stored row
        await accused.mark(session, accused.PETITION, petition_id, [grant.person_id], actor, now)
    booked = (
        select(Booking, ReceptionSession)
        .join(ReceptionSession, col(ReceptionSession.id) == Booking.session_id)
        .where(col(ReceptionSession.unit_id) == grant.unit_id, Booking.matter_kind == "to_cao")
    )
    for booking, item in (await session.exec(booked)).all():
        if booking.id is None or not names_commune_leader(booking.summary):
            continue
        await accused.mark(session, accused.BOOKING, booking.id, [grant.person_id], actor, now)
        if item.receiver_person_id == grant.person_id:
            _unset_receiver(session, item, booking, now)
    return True


async def shield_leaders_from_booking(
    session: AsyncSession, booking: Booking, item: ReceptionSession, now: datetime
) -> None:
    """A tố cáo booked at a reception that names the commune's leaders, or a staff account by
    its full name: they never see it on a roster, nor receive it (the same reading as a filed
    tố cáo). One who was to receive that session no longer is: an admin picks another."""
    if booking.id is None or booking.matter_kind != "to_cao":
        return
    named = await staff_named(session, {item.unit_id}, booking.summary)
    await accused.mark(session, accused.BOOKING, booking.id, named, "system", now)
    if not names_commune_leader(booking.summary):
        leaders: list[int] = []
    else:
        leaders = await people.leaders_of(session, item.unit_id)
    await accused.mark(session, accused.BOOKING, booking.id, leaders, "system", now)
    if item.receiver_person_id in [*leaders, *named]:
        _unset_receiver(session, item, booking, now)


def _unset_receiver(
    session: AsyncSession, item: ReceptionSession, booking: Booking, now: datetime
) -> None:
    audit.record(
        session,
        at=now,
        actor="system",
        action="reception.receiver_cleared",
        target=str(item.id),
        before={"receiver": item.receiver_person_id},
        after={"receiver": None, "booking": booking.code},
    )
    item.receiver_person_id = None
    session.add(item)
