"""A citizen received without booking, written in the register (Sổ tiếp công dân) by an
official: from the chat's walk-in form or the desk's. The line goes into the day's closed
"desk" session of that kind, created on first use; the receiving official is its receiver, so
a tố cáo's identity is theirs to see. The desk may record a day already past (a line written up
the next morning) but never a day to come, and the phone is optional there (people received
in person do not always give one)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import reception as rows
from db.models import Booking
from handlers import texts
from handlers.access import Actor, audit_by
from handlers.clock import VN_TZ
from handlers.forms import is_name, normalize_phone
from handlers.petitions.routing import shield_leaders_from_booking

DESK = "desk"
# A line written up later than this is a mistake in the date, not a late entry.
OLDEST = timedelta(days=31)
RECEIVED_HOUR = 8
MAX_GROUP = 200
_GROUP_NAME = re.compile(r"[^\W_]+(?:\s+[^\W_]+)+")


@dataclass(frozen=True)
class WalkIn:
    unit_id: int
    kind: str
    day: date
    name: str
    phone: str
    address: str
    matter: str
    summary: str
    group: int


def problems(walk_in: WalkIn, today: date) -> dict[str, str]:
    """What is wrong with a walk-in typed on the desk, field by field (``WalkIn`` attribute
    names), in Vietnamese; empty when it is fine. Phones and sizes follow the chat form's rules;
    several people received together may be written under their group's name, which can hold a
    number ("Tổ dân phố 3")."""
    found = {}
    if walk_in.day > today:
        found["day"] = texts.WALK_IN_IN_FUTURE
    elif walk_in.day < today - OLDEST:
        found["day"] = texts.WALK_IN_TOO_OLD
    if walk_in.kind not in texts.RECEPTION_KINDS:
        found["kind"] = texts.WALK_IN_NO_KIND
    if not (is_name(walk_in.name) or (walk_in.group > 1 and is_group_name(walk_in.name))):
        found["name"] = _name_problem(walk_in)
    if walk_in.phone and normalize_phone(walk_in.phone) is None:
        found["phone"] = texts.WALK_IN_BAD_PHONE
    if not 4 <= len(walk_in.address) <= 300:
        found["address"] = texts.WALK_IN_BAD_ADDRESS
    if walk_in.matter not in texts.MATTER_KINDS:
        found["matter"] = texts.WALK_IN_NO_MATTER
    if not 10 <= len(walk_in.summary) <= 1000:
        found["summary"] = texts.WALK_IN_BAD_SUMMARY
    if not 1 <= walk_in.group <= MAX_GROUP:
        found["group"] = texts.WALK_IN_BAD_GROUP
    return found


def _name_problem(walk_in: WalkIn) -> str:
    # The label offers a group name ("Tổ dân phố 3"): typed with one person, the fix is the
    # count, not the name.
    if walk_in.group > 1:
        return texts.WALK_IN_BAD_GROUP_NAME
    if is_group_name(walk_in.name):
        return texts.WALK_IN_GROUP_NEEDS_COUNT
    return texts.WALK_IN_BAD_NAME


def is_group_name(text: str) -> bool:
    """Two or more words of letters or digits with at least one letter ("Tổ dân phố 3")."""
    return (
        bool(_GROUP_NAME.fullmatch(text))
        and len(text) <= 200
        and any(char.isalpha() for char in text)
    )


async def record(
    session: AsyncSession, actor: Actor, walk_in: WalkIn, now: datetime, code: str
) -> Booking:
    """Write the register line (audited); the caller has checked the role and the unit."""
    start = datetime.combine(walk_in.day, time(0, 0), tzinfo=VN_TZ)
    today = now.astimezone(VN_TZ).date()
    # A day already past gets its session at that day's office hours, not at "now".
    moment = now if walk_in.day == today else start.replace(hour=RECEIVED_HOUR)
    item = await rows.desk_session(
        session,
        walk_in.unit_id,
        walk_in.kind,
        (start, start + timedelta(days=1)),
        moment,
        texts.DESK_PLACE,
        actor.person_id,
    )
    assert item.id is not None
    phone = (normalize_phone(walk_in.phone) or "") if walk_in.phone else ""
    # The same line sent twice (a double click, a reloaded form) is written once.
    same = select(Booking).where(
        Booking.session_id == item.id,
        Booking.full_name == walk_in.name,
        Booking.phone == phone,
        Booking.matter_kind == walk_in.matter,
        Booking.summary == walk_in.summary,
    )
    earlier = (await session.exec(same)).first()
    if earlier is not None:
        return earlier
    booking = Booking(
        code=code,
        session_id=item.id,
        person_id=None,
        channel=DESK,
        chat_id="",
        queue_number=await rows.next_queue(session, item.id),
        full_name=walk_in.name,
        phone=phone,
        address=walk_in.address,
        matter_kind=walk_in.matter,
        summary=walk_in.summary,
        group_size=walk_in.group,
        # Given in person at the desk, where the register line is read back and signed.
        consent_at=now,
        consent_version=DESK,
        status=rows.ATTENDED,
        recorded_by_person_id=actor.person_id,
        created_at=now,
        updated_at=now,
    )
    session.add(booking)
    await session.flush()
    await shield_leaders_from_booking(session, booking, item, now)
    audit_by(session, actor, "reception.walk_in", now, target=booking.code)
    return booking
