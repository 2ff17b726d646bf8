"""The desk's Tiếp công dân pages: the sessions of the official's units and a session's roster,
with attendance, the outcome, sending it to the citizen and cancelling a session, each through
the chat's own steps (handlers/reception/staff.py). A tố cáo booking shows who booked only to
the session's receiver (``_sees_identity``), each showing audited; a staff account accused in a
booking does not see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, desk
from db import reception as rows
from db.conversations import ChatState
from db.models import Booking, ReceptionSession
from handlers import texts
from handlers.access import Actor, audit_by, record_denied, scope
from handlers.clock import VN_TZ
from handlers.desk.names import name_of
from handlers.reception import staff as reception_staff
from handlers.reception.booking import walk_in_code
from handlers.reception.walk_in import WalkIn
from handlers.reception.walk_in import problems as walk_in_problems
from handlers.reception.walk_in import record as record_walk_in
from knowledge.normalize import ascii_int

MAX_SESSIONS = 50


@dataclass(frozen=True)
class SessionRow:
    id: int
    starts: datetime
    ends: datetime
    kind: str
    place: str
    receiver: str
    booked: int
    capacity: int
    unit: str


@dataclass(frozen=True)
class BookingRow:
    id: int
    code: str
    queue: int
    name: str
    phone: str
    address: str
    matter: str
    summary: str
    group: int
    status: str
    outcome: str
    can_send: bool
    hidden: bool


async def sessions(session: AsyncSession, actor: Actor, now: datetime) -> list[SessionRow]:
    # Today's sessions stay listed after they start, so attendance can be recorded.
    since = now.astimezone(VN_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    found = await rows.upcoming(session, await scope(session, actor), since, limit=MAX_SESSIONS)
    return [await _row(session, item) for item in found]


async def _row(session: AsyncSession, item: ReceptionSession) -> SessionRow:
    units = await desk.unit_names(session, [item.unit_id])
    receiver = item.receiver_name
    if item.receiver_person_id is not None:
        names = await desk.names(session, [item.receiver_person_id])
        receiver = name_of(item.receiver_person_id, names.get(item.receiver_person_id))
    return SessionRow(
        id=item.id or 0,
        starts=item.starts_at,
        ends=item.ends_at,
        kind=texts.RECEPTION_KINDS.get(item.kind, item.kind),
        place=item.place,
        receiver=receiver,
        booked=item.booked,
        capacity=item.capacity,
        unit=units.get(item.unit_id, ""),
    )


async def find(
    session: AsyncSession, actor: Actor, session_id: int, now: datetime
) -> ReceptionSession | None:
    item = await reception_staff._session_in_scope(session, actor, session_id)
    if item is None:
        record_denied(session, actor, f"desk:tcd:{session_id}", now)
    return item


async def roster(
    session: AsyncSession, actor: Actor, item: ReceptionSession, now: datetime
) -> tuple[SessionRow, list[BookingRow]]:
    assert item.id is not None
    hidden = await accused.targets_naming(session, accused.BOOKING, actor.person_id)
    shown = []
    for booking in await rows.bookings_of_session(session, item.id):
        if booking.id in hidden:
            continue
        sees = reception_staff._sees_identity(actor, booking, item)
        if booking.matter_kind == reception_staff.TO_CAO and sees:
            audit_by(session, actor, "reception.denouncer_viewed", now, target=booking.code)
        shown.append(_booking_row(booking, sees))
    return await _row(session, item), shown


def _booking_row(booking: Booking, sees: bool) -> BookingRow:
    return BookingRow(
        id=booking.id or 0,
        **reception_staff.booking_fields(booking, sees),
        outcome=booking.outcome or "",
        can_send=bool(booking.outcome) and booking.channel != "desk",
        hidden=not sees,
    )


async def booking_session(
    session: AsyncSession, actor: Actor, booking_id: int, now: datetime
) -> ReceptionSession | None:
    """The session of a booking the official may work on (scope, not accused); else audited."""
    found = await reception_staff._booking_in_scope(session, actor, booking_id)
    if found is None:
        record_denied(session, actor, f"desk:tcd-luot:{booking_id}", now)
        return None
    return found[1]


async def mark(
    session: AsyncSession, actor: Actor, booking_id: int, action: str, outcome: str, now: datetime
) -> tuple[bool, str]:
    """Present (with the outcome typed), absent, or the outcome sent to the citizen."""
    prefixes = {
        "co_mat": reception_staff.ATTENDED_PREFIX,
        "vang": reception_staff.ABSENT_PREFIX,
        "gui": reception_staff.SEND_PREFIX,
    }
    if action not in prefixes:
        return False, texts.STALE_BUTTON
    outcome = " ".join(outcome.split())[:1000]
    state = ChatState(channel="desk", chat_id=str(actor.person_id))
    reply = await reception_staff.press(
        session, state, actor, f"{prefixes[action]}{booking_id}", now
    )
    if state.flow is not None:
        if not outcome:
            return True, texts.MARKED_ATTENDED_DESK
        reply = await reception_staff.text(session, state, actor, outcome, now)
    return reply.text != texts.STALE_BUTTON, reply.text


async def cancel(
    session: AsyncSession, actor: Actor, item: ReceptionSession, now: datetime
) -> tuple[bool, str]:
    state = ChatState(channel="desk", chat_id=str(actor.person_id))
    payload = f"{reception_staff.CANCEL_YES_PREFIX}{item.id}"
    reply = await reception_staff.press(session, state, actor, payload, now)
    return reply.text != texts.STALE_BUTTON, reply.text


def walk_in_from(form: dict[str, str], today: date) -> WalkIn:
    """A walk-in as typed in the desk's form (checked by ``walk_in.problems``)."""

    def number(name: str, default: int) -> int:
        value = ascii_int(form.get(name, "")) if form.get(name) else None
        return default if value is None else value

    try:
        day = date.fromisoformat(form.get("ngay", ""))
    except ValueError:
        day = today + timedelta(days=1)  # refused by the check, as a day to come
    return WalkIn(
        unit_id=number("don_vi", 0),
        kind=form.get("hinh_thuc", ""),
        day=day,
        name=" ".join(form.get("ten", "").split()),
        phone=form.get("dien_thoai", "").strip(),
        address=" ".join(form.get("dia_chi", "").split()),
        matter=form.get("loai", ""),
        summary=form.get("noi_dung", "").strip(),
        group=number("so_nguoi", 1),
    )


async def check_walk_in(
    session: AsyncSession, actor: Actor, walk_in: WalkIn, today: date
) -> list[str]:
    found = walk_in_problems(walk_in, today)
    if walk_in.unit_id not in await scope(session, actor):
        found.insert(0, texts.DESK_UNIT_OUT_OF_SCOPE)
    return found


async def save_walk_in(
    session: AsyncSession, actor: Actor, walk_in: WalkIn, now: datetime
) -> tuple[bool, str]:
    found = await check_walk_in(session, actor, walk_in, now.astimezone(VN_TZ).date())
    if found:
        return False, " ".join(found)
    booking = await record_walk_in(session, actor, walk_in, now, walk_in_code())
    return True, texts.WALK_IN_SAVED.format(code=booking.code, queue=booking.queue_number)
