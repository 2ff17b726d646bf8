"""Reception schedules, sessions and bookings. Repositories never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Booking, Person, ReceptionSchedule, ReceptionSession

OPEN, CANCELLED, CLOSED = "open", "cancelled", "closed"
BOOKED, CANCELLED_BOOKING, ATTENDED, ABSENT = "booked", "cancelled", "attended", "absent"


async def take_place(session: AsyncSession, session_id: int, now: datetime) -> int | None:
    """One place in an open, future session, or None when it is full. A single conditional
    UPDATE, so concurrent bookings can never exceed the capacity; returns the queue number."""
    result = await session.exec(
        update(ReceptionSession)
        .where(
            col(ReceptionSession.id) == session_id,
            col(ReceptionSession.status) == OPEN,
            col(ReceptionSession.booked) < col(ReceptionSession.capacity),
            col(ReceptionSession.starts_at) > now,
        )
        .values(
            booked=col(ReceptionSession.booked) + 1,
            last_queue=col(ReceptionSession.last_queue) + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    query = select(ReceptionSession.last_queue).where(ReceptionSession.id == session_id)
    return int((await session.exec(query)).one())


async def release_place(session: AsyncSession, session_id: int) -> None:
    await session.exec(
        update(ReceptionSession)
        .where(col(ReceptionSession.id) == session_id, col(ReceptionSession.booked) > 0)
        .values(booked=col(ReceptionSession.booked) - 1)
        .execution_options(synchronize_session=False)
    )


async def lock_person(session: AsyncSession, person_id: int) -> None:
    """Serialise one person's bookings (PostgreSQL row lock; SQLite has one writer anyway)."""
    await session.exec(select(Person.id).where(Person.id == person_id).with_for_update())


async def upcoming(
    session: AsyncSession, unit_ids: set[int] | None, now: datetime, limit: int = 8
) -> Sequence[ReceptionSession]:
    query = select(ReceptionSession).where(
        col(ReceptionSession.status) == OPEN, col(ReceptionSession.starts_at) > now
    )
    if unit_ids is not None:
        query = query.where(col(ReceptionSession.unit_id).in_(unit_ids))
    query = query.order_by(col(ReceptionSession.starts_at), col(ReceptionSession.id)).limit(limit)
    return (await session.exec(query)).all()


async def bookable(
    session: AsyncSession,
    unit_ids: set[int] | None,
    now: datetime,
    limit: int,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    latest_first: bool = False,
) -> Sequence[ReceptionSession]:
    """Open sessions after ``now`` with a place left, starting in [start, end) when given."""
    query = select(ReceptionSession).where(
        col(ReceptionSession.status) == OPEN,
        col(ReceptionSession.starts_at) > now,
        col(ReceptionSession.booked) < col(ReceptionSession.capacity),
    )
    if start is not None:
        query = query.where(col(ReceptionSession.starts_at) >= start)
    if end is not None:
        query = query.where(col(ReceptionSession.starts_at) < end)
    if unit_ids is not None:
        query = query.where(col(ReceptionSession.unit_id).in_(unit_ids))
    order = (col(ReceptionSession.starts_at), col(ReceptionSession.id))
    query = query.order_by(*(o.desc() for o in order) if latest_first else order).limit(limit)
    return (await session.exec(query)).all()


async def open_bookings(
    session: AsyncSession, person_id: int, now: datetime
) -> Sequence[tuple[Booking, ReceptionSession]]:
    query = (
        select(Booking, ReceptionSession)
        .join(ReceptionSession, col(ReceptionSession.id) == Booking.session_id)
        .where(
            Booking.person_id == person_id,
            col(Booking.status) == BOOKED,
            col(ReceptionSession.ends_at) > now,
        )
        .order_by(col(ReceptionSession.starts_at))
    )
    return (await session.exec(query)).all()


async def bookings_of_session(session: AsyncSession, session_id: int) -> Sequence[Booking]:
    query = (
        select(Booking)
        .where(Booking.session_id == session_id, col(Booking.status) != CANCELLED_BOOKING)
        .order_by(col(Booking.queue_number))
    )
    return (await session.exec(query)).all()


async def of_schedule_from(
    session: AsyncSession, schedule_id: int, now: datetime
) -> Sequence[ReceptionSession]:
    """A schedule's sessions that have not started yet."""
    query = select(ReceptionSession).where(
        ReceptionSession.schedule_id == schedule_id, col(ReceptionSession.starts_at) > now
    )
    return (await session.exec(query.order_by(col(ReceptionSession.starts_at)))).all()


async def by_code(session: AsyncSession, code: str) -> Booking | None:
    return (await session.exec(select(Booking).where(Booking.code == code))).one_or_none()


async def active_schedules(session: AsyncSession) -> Sequence[ReceptionSchedule]:
    query = select(ReceptionSchedule).where(col(ReceptionSchedule.active))
    return (await session.exec(query)).all()


async def add_occurrence(
    session: AsyncSession,
    schedule: ReceptionSchedule,
    starts: datetime,
    ends: datetime,
    now: datetime,
) -> bool:
    """A schedule's session at ``starts``, unless it exists (False then)."""
    exists = await session.exec(
        select(func.count()).where(
            ReceptionSession.schedule_id == schedule.id, ReceptionSession.starts_at == starts
        )
    )
    if exists.one():
        return False
    try:
        async with session.begin_nested():
            session.add(
                ReceptionSession(
                    unit_id=schedule.unit_id,
                    schedule_id=schedule.id,
                    kind=schedule.kind,
                    starts_at=starts,
                    ends_at=ends,
                    place=schedule.place,
                    receiver_name=schedule.receiver_name,
                    receiver_title=schedule.receiver_title,
                    receiver_person_id=schedule.receiver_person_id,
                    capacity=schedule.capacity,
                    published_at=now,
                    created_at=now,
                )
            )
    except IntegrityError:  # another clock process generated it first
        return False
    return True


async def desk_session(
    session: AsyncSession,
    unit_id: int,
    kind: str,
    day: tuple[datetime, datetime],
    now: datetime,
    place: str,
    receiver_person_id: int | None = None,
) -> ReceptionSession:
    """The session of this kind at this unit starting within ``day`` (from, to), or a closed
    one created to hold the register lines of citizens received without booking (received by
    ``receiver_person_id``)."""
    query = select(ReceptionSession).where(
        ReceptionSession.unit_id == unit_id,
        ReceptionSession.kind == kind,
        col(ReceptionSession.starts_at) >= day[0],
        col(ReceptionSession.starts_at) < day[1],
    )
    found = (await session.exec(query.order_by(col(ReceptionSession.id)))).first()
    if found is not None:
        return found
    item = ReceptionSession(
        unit_id=unit_id,
        kind=kind,
        starts_at=now,
        ends_at=now,
        place=place,
        receiver_name="",
        receiver_title="",
        receiver_person_id=receiver_person_id,
        capacity=0,
        status=CLOSED,
        published_at=now,
        created_at=now,
    )
    session.add(item)
    await session.flush()
    return item


async def next_queue(session: AsyncSession, session_id: int) -> int:
    """A register number for a citizen received without booking (no capacity applies)."""
    await session.exec(
        update(ReceptionSession)
        .where(col(ReceptionSession.id) == session_id)
        .values(last_queue=col(ReceptionSession.last_queue) + 1)
        .execution_options(synchronize_session=False)
    )
    query = select(ReceptionSession.last_queue).where(ReceptionSession.id == session_id)
    return int((await session.exec(query)).one())


async def attended(
    session: AsyncSession, unit_ids: set[int], start: datetime, end: datetime
) -> Sequence[tuple[int, str]]:
    """(group size, session kind) of every citizen actually received in [start, end):
    attended bookings and desk records."""
    query = (
        select(Booking.group_size, ReceptionSession.kind)
        .join(ReceptionSession, col(ReceptionSession.id) == Booking.session_id)
        .where(
            col(ReceptionSession.unit_id).in_(unit_ids),
            col(Booking.status) == ATTENDED,
            col(ReceptionSession.starts_at) >= start,
            col(ReceptionSession.starts_at) < end,
        )
    )
    return (await session.exec(query)).all()


async def received_in(
    session: AsyncSession, unit_ids: set[int], start: datetime, end: datetime
) -> Sequence[tuple[Booking, ReceptionSession]]:
    """Every citizen actually received in [start, end) with their session, in the order they
    were received: the lines of a Sổ tiếp công dân."""
    if not unit_ids:
        return []
    query = (
        select(Booking, ReceptionSession)
        .join(ReceptionSession, col(ReceptionSession.id) == Booking.session_id)
        .where(
            col(ReceptionSession.unit_id).in_(unit_ids),
            col(Booking.status) == ATTENDED,
            col(ReceptionSession.starts_at) >= start,
            col(ReceptionSession.starts_at) < end,
        )
        .order_by(col(ReceptionSession.starts_at), col(Booking.queue_number), col(Booking.id))
    )
    return [(booking, item) for booking, item in (await session.exec(query)).all()]


async def same_schedule(
    session: AsyncSession, unit_id: int, weekday: int, start: str, place: str
) -> ReceptionSchedule | None:
    """An active schedule of the unit on that weekday, hour and place (a form sent twice)."""
    query = select(ReceptionSchedule).where(
        ReceptionSchedule.unit_id == unit_id,
        ReceptionSchedule.weekday == weekday,
        ReceptionSchedule.start_time == start,
        ReceptionSchedule.place == place,
        col(ReceptionSchedule.active),
    )
    return (await session.exec(query)).first()


async def same_session(
    session: AsyncSession, unit_id: int, starts: datetime, place: str
) -> ReceptionSession | None:
    """An open session of the unit starting then, at that place (a form sent twice)."""
    query = select(ReceptionSession).where(
        ReceptionSession.unit_id == unit_id,
        ReceptionSession.starts_at == starts,
        ReceptionSession.place == place,
        col(ReceptionSession.status) == OPEN,
    )
    return (await session.exec(query)).first()
