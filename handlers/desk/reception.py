"""The desk's Tiếp công dân pages: the sessions of the official's units and a session's roster,
with attendance, the outcome and sending it to the citizen, each through the chat's own steps
(handlers/reception/staff.py), and walk-ins; moving, cancelling and receivers are in
calendar.py. A tố cáo booking shows who booked only to the session's receiver
(``_sees_identity``), each showing audited; a staff account accused in a booking does not see
it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, desk
from db import reception as rows
from db.conversations import ChatState
from db.models import Booking, Petition, ReceptionSession
from handlers import texts
from handlers.access import Actor, audit_by, record_denied, scope
from handlers.clock import VN_TZ
from handlers.desk.names import name_of
from handlers.forms import normalize_phone
from handlers.reception import attendance
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
    # The staff account receiving ("Người tiếp"), or "Chưa chọn".
    receiver: str
    # "Ai tiếp, việc gì" as typed for the session (or the calendar's name and title).
    title: str
    booked: int
    capacity: int
    unit: str
    unit_id: int
    receiver_id: int | None
    # Open for booking (not cancelled, not a day's walk-in register): it can move or cancel.
    is_open: bool


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
    # The đơn created from this reception, if any (its code links to the case page).
    petition_id: int | None
    petition_code: str


async def sessions(session: AsyncSession, actor: Actor, now: datetime) -> list[SessionRow]:
    # Today's sessions stay listed after they start, so attendance can be recorded.
    since = now.astimezone(VN_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    found = await rows.upcoming(session, await scope(session, actor), since, limit=MAX_SESSIONS)
    return [await _row(session, item) for item in found]


async def _row(session: AsyncSession, item: ReceptionSession) -> SessionRow:
    units = await desk.unit_names(session, [item.unit_id])
    receiver = texts.CAL_NO_RECEIVER
    title = item.receiver_title
    if item.receiver_person_id is not None:
        names = await desk.names(session, [item.receiver_person_id])
        receiver = name_of(item.receiver_person_id, names.get(item.receiver_person_id))
    elif item.receiver_name and item.receiver_name != title:
        # An imported calendar may name who receives without their account.
        title = f"{item.receiver_name}, {title}" if title else item.receiver_name
    return SessionRow(
        id=item.id or 0,
        starts=item.starts_at,
        ends=item.ends_at,
        kind=texts.RECEPTION_KINDS.get(item.kind, item.kind),
        place=item.place,
        receiver=receiver,
        title=title,
        booked=item.booked,
        capacity=item.capacity,
        unit=units.get(item.unit_id, ""),
        unit_id=item.unit_id,
        receiver_id=item.receiver_person_id,
        is_open=item.status == rows.OPEN,
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
        petition = await session.get(Petition, booking.petition_id) if booking.petition_id else None
        shown.append(_booking_row(booking, sees, petition.code if petition else ""))
    return await _row(session, item), shown


def _booking_row(booking: Booking, sees: bool, petition_code: str) -> BookingRow:
    return BookingRow(
        id=booking.id or 0,
        **reception_staff.booking_fields(booking, sees),
        outcome=booking.outcome or "",
        can_send=bool(booking.outcome) and booking.channel != "desk",
        hidden=not sees,
        petition_id=booking.petition_id,
        petition_code=petition_code,
    )


def may_record(item: ReceptionSession, now: datetime) -> bool:
    """Attendance and a đơn from a reception only from the session's day on."""
    return attendance.may_record(item, now)


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


def walk_in_from(form: dict[str, str], today: date) -> WalkIn:
    """A walk-in as typed in the desk's form (checked by ``walk_in.problems``)."""

    def number(name: str, default: int) -> int:
        # Anything but a plain number (-3, 2.5, "hai") is 0: refused, never the default.
        typed = form.get(name, "").strip()
        value = ascii_int(typed) if typed else default
        return 0 if value is None else value

    phone = form.get("dien_thoai", "").strip()
    try:
        day = date.fromisoformat(form.get("ngay", ""))
    except ValueError:
        day = today + timedelta(days=1)  # refused by the check, as a day to come
    return WalkIn(
        unit_id=number("don_vi", 0),
        kind=form.get("hinh_thuc", ""),
        day=day,
        name=" ".join(form.get("ten", "").split()),
        # Read back as it will be saved; a wrong number stays as typed, to be refused.
        phone=(normalize_phone(phone) or phone) if phone else "",
        address=" ".join(form.get("dia_chi", "").split()),
        matter=form.get("loai", ""),
        summary=form.get("noi_dung", "").strip(),
        group=number("so_nguoi", 1),
    )


# The desk form's field for each of ``WalkIn``'s (a problem is shown beside its field).
WALK_IN_FIELD = {
    "unit": "don_vi",
    "kind": "hinh_thuc",
    "day": "ngay",
    "name": "ten",
    "phone": "dien_thoai",
    "address": "dia_chi",
    "matter": "loai",
    "summary": "noi_dung",
    "group": "so_nguoi",
}


async def check_walk_in(
    session: AsyncSession, actor: Actor, walk_in: WalkIn, today: date
) -> dict[str, str]:
    """What is wrong, keyed by the desk form's field names."""
    found = walk_in_problems(walk_in, today)
    if walk_in.unit_id not in await scope(session, actor):
        found["unit"] = texts.DESK_UNIT_OUT_OF_SCOPE
    return {WALK_IN_FIELD[key]: message for key, message in found.items()}


async def save_walk_in(
    session: AsyncSession, actor: Actor, walk_in: WalkIn, now: datetime
) -> tuple[Booking | None, str]:
    """The register line written (or the one written before from the same form), or None and
    what is wrong."""
    found = await check_walk_in(session, actor, walk_in, now.astimezone(VN_TZ).date())
    if found:
        return None, " ".join(found.values())
    booking = await record_walk_in(session, actor, walk_in, now, walk_in_code())
    return booking, texts.WALK_IN_SAVED.format(code=booking.code, queue=booking.queue_number)
