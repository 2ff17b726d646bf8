"""The reception calendar officials keep: schedules, one-off sessions, import and export.

Schedules (a weekday, hours, place, who receives, capacity) produce sessions a few weeks ahead,
on working days only; one-off sessions are added directly. A session published less than 5
working days before it takes place is accepted with a warning (Luật Tiếp công dân 42/2013,
Điều 24 khoản 4 asks for the schedule to be posted at least 5 working days ahead).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox, people
from db import reception as rows
from db.engine import SessionFactory
from db.models import Booking, ReceptionSchedule, ReceptionSession
from handlers import texts
from handlers.clock import VN_TZ, Clock, format_datetime
from handlers.contract import Reply
from handlers.reception.booking import reminder_prefix, schedule_reminders
from handlers.working_days import working_calendar
from knowledge.normalize import fold

WEEKS_AHEAD = 4
NOTICE_WORKING_DAYS = 5
WEEKDAY_NAMES = ("Thứ 2", "Thứ 3", "Thứ 4", "Thứ 5", "Thứ 6", "Thứ 7", "Chủ nhật")
WEEKDAYS = {
    **{fold(name): number for number, name in enumerate(WEEKDAY_NAMES)},
    **{f"thu {word}": n for n, word in enumerate(("hai", "ba", "tu", "nam", "sau", "bay"))},
}


async def generate_sessions(sessions: SessionFactory, clock: Clock) -> int:
    async with sessions() as session, session.begin():
        return await generate(session, clock.now(), working_calendar().is_working_day)


def occurrence(day: date, schedule: ReceptionSchedule) -> tuple[datetime, datetime]:
    start = time.fromisoformat(schedule.start_time)
    end = time.fromisoformat(schedule.end_time)
    return datetime.combine(day, start, tzinfo=VN_TZ), datetime.combine(day, end, tzinfo=VN_TZ)


async def generate(
    session: AsyncSession,
    now: datetime,
    is_working_day: Callable[[date], bool],
    weeks: int = WEEKS_AHEAD,
) -> int:
    """Create the sessions of every active schedule for the coming ``weeks`` (skipping days off);
    occurrences that exist already are left alone. Returns how many were added."""
    added = 0
    today = now.astimezone(VN_TZ).date()
    for schedule in await rows.active_schedules(session):
        day = today
        while day <= today + timedelta(weeks=weeks):
            if day.weekday() == schedule.weekday and is_working_day(day):
                starts, ends = occurrence(day, schedule)
                if starts > now and await rows.add_occurrence(session, schedule, starts, ends, now):
                    added += 1
            day += timedelta(days=1)
    return added


class CalendarError(ValueError):
    """A calendar file row that cannot be used; the message is Vietnamese, for the admin."""


@dataclass
class ImportReport:
    schedules: int = 0
    sessions: int = 0
    warnings: list[str] = field(default_factory=list)


def _text(row: dict[str, Any], key: str, where: str) -> str:
    value = str(row.get(key) or "").strip()
    if not value:
        raise CalendarError(f"{where}: thiếu trường '{key}'.")
    return value


def _kind(row: dict[str, Any], where: str) -> str:
    kind = _text(row, "kind", where)
    if kind not in texts.RECEPTION_KINDS:
        raise CalendarError(
            f"{where}: 'kind' phải là một trong {', '.join(texts.RECEPTION_KINDS)}."
        )
    return kind


def _capacity(row: dict[str, Any], where: str) -> int:
    try:
        capacity = int(row.get("capacity", 0))
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 500:
        raise CalendarError(f"{where}: 'capacity' phải là số chỗ từ 1 đến 500.")
    return capacity


def _hhmm(row: dict[str, Any], key: str, where: str) -> str:
    value = _text(row, key, where)
    try:
        parsed = datetime.strptime(value, "%H:%M")
    except ValueError:
        raise CalendarError(f"{where}: '{key}' phải có dạng giờ:phút, ví dụ 07:30.") from None
    return f"{parsed:%H:%M}"


async def import_calendar(
    session: AsyncSession, data: dict[str, Any], now: datetime
) -> ImportReport:
    """Add the schedules and one-off sessions of a calendar file (all or nothing: the caller's
    transaction is rolled back when any row is wrong; every wrong row is named at once)."""
    report = ImportReport()
    problems: list[str] = []
    for number, row in enumerate(data.get("schedules") or [], start=1):
        try:
            await _add_schedule(session, row, f"Lịch định kỳ thứ {number}", now)
            report.schedules += 1
        except CalendarError as exc:
            problems.append(str(exc))
    for number, row in enumerate(data.get("sessions") or [], start=1):
        try:
            await _add_session(session, row, f"Buổi tiếp thứ {number}", now, report)
            report.sessions += 1
        except CalendarError as exc:
            problems.append(str(exc))
    if problems:
        raise CalendarError("\n".join(problems))
    await session.flush()
    return report


async def _add_schedule(session: AsyncSession, row: Any, where: str, now: datetime) -> None:
    unit = await people.unit_by_code_or_name(session, _text(row, "unit", where))
    if unit is None or unit.id is None:
        raise CalendarError(f"{where}: không có đơn vị '{row.get('unit')}'.")
    weekday = WEEKDAYS.get(" ".join(fold(_text(row, "weekday", where)).split()))
    if weekday is None:
        raise CalendarError(f"{where}: 'weekday' phải là Thứ 2 ... Thứ 7 hoặc Chủ nhật.")
    session.add(
        ReceptionSchedule(
            unit_id=unit.id,
            kind=_kind(row, where),
            weekday=weekday,
            start_time=_hhmm(row, "start", where),
            end_time=_hhmm(row, "end", where),
            place=_text(row, "place", where),
            receiver_name=_text(row, "receiver_name", where),
            receiver_title=_text(row, "receiver_title", where),
            receiver_person_id=row.get("receiver_person_id"),
            capacity=_capacity(row, where),
            created_at=now,
        )
    )


async def _add_session(
    session: AsyncSession, row: Any, where: str, now: datetime, report: ImportReport
) -> None:
    calendar = working_calendar()
    unit = await people.unit_by_code_or_name(session, _text(row, "unit", where))
    if unit is None or unit.id is None:
        raise CalendarError(f"{where}: không có đơn vị '{row.get('unit')}'.")
    try:
        day = datetime.strptime(_text(row, "date", where), "%d/%m/%Y").date()
    except ValueError:
        raise CalendarError(f"{where}: 'date' phải có dạng ngày/tháng/năm.") from None
    starts = datetime.combine(
        day, datetime.strptime(_hhmm(row, "start", where), "%H:%M").time(), tzinfo=VN_TZ
    )
    ends = datetime.combine(
        day, datetime.strptime(_hhmm(row, "end", where), "%H:%M").time(), tzinfo=VN_TZ
    )
    if ends <= starts:
        raise CalendarError(f"{where}: giờ kết thúc phải sau giờ bắt đầu.")
    if starts <= now:
        raise CalendarError(f"{where}: buổi tiếp đã qua.")
    if day < calendar.working_days_after(now.astimezone(VN_TZ).date(), NOTICE_WORKING_DAYS):
        report.warnings.append(
            f"{where} ({day:%d/%m/%Y}) được công bố chưa đủ {NOTICE_WORKING_DAYS} ngày làm "
            "việc trước ngày tiếp (Luật Tiếp công dân, Điều 24)."
        )
    session.add(
        ReceptionSession(
            unit_id=unit.id,
            kind=_kind(row, where),
            starts_at=starts,
            ends_at=ends,
            place=_text(row, "place", where),
            receiver_name=_text(row, "receiver_name", where),
            receiver_title=_text(row, "receiver_title", where),
            receiver_person_id=row.get("receiver_person_id"),
            capacity=_capacity(row, where),
            published_at=now,
            created_at=now,
        )
    )


async def export_calendar(session: AsyncSession, now: datetime) -> dict[str, Any]:
    units = {unit.id: unit.name for unit in await people.units(session)}
    schedules = (
        await session.exec(select(ReceptionSchedule).where(col(ReceptionSchedule.active)))
    ).all()
    upcoming = await rows.upcoming(session, None, now, limit=500)
    return {
        "schedules": [
            {
                "unit": units.get(item.unit_id),
                "kind": item.kind,
                "weekday": WEEKDAY_NAMES[item.weekday],
                "start": item.start_time,
                "end": item.end_time,
                "place": item.place,
                "receiver_name": item.receiver_name,
                "receiver_title": item.receiver_title,
                "capacity": item.capacity,
            }
            for item in schedules
        ],
        "sessions": [
            {
                "unit": units.get(item.unit_id),
                "kind": item.kind,
                "date": f"{item.starts_at.astimezone(VN_TZ):%d/%m/%Y}",
                "start": f"{item.starts_at.astimezone(VN_TZ):%H:%M}",
                "end": f"{item.ends_at.astimezone(VN_TZ):%H:%M}",
                "place": item.place,
                "receiver_name": item.receiver_name,
                "receiver_title": item.receiver_title,
                "capacity": item.capacity,
                "booked": item.booked,
            }
            for item in upcoming
            if item.schedule_id is None
        ],
    }


async def cancel_session(
    session: AsyncSession, session_id: int, now: datetime, reason: str = ""
) -> int:
    """Cancel a session and tell everyone booked, on the channel they booked from (with the
    reason, when the official gave one)."""
    item = await session.get(ReceptionSession, session_id)
    if item is None or item.status != rows.OPEN:
        return 0
    item.status = rows.CANCELLED
    session.add(item)

    async def cancel(booking: Booking) -> str:
        booking.status = rows.CANCELLED_BOOKING
        booking.updated_at = now
        session.add(booking)
        await outbox.withdraw_prefix(session, reminder_prefix(booking))
        return texts.SESSION_CANCELLED_NOTICE.format(
            start=format_datetime(item.starts_at), place=item.place, code=booking.code
        ) + _reason_line(reason)

    return await _tell_booked(session, item, now, f"session-cancelled:{session_id}", cancel)


async def move_session(
    session: AsyncSession, session_id: int, starts: datetime, now: datetime, reason: str = ""
) -> int:
    """Move a session (same length) and tell everyone booked (with the reason, when given);
    their reminders move with it."""
    item = await session.get(ReceptionSession, session_id)
    if item is None or item.status != rows.OPEN:
        raise CalendarError(f"Không có buổi tiếp số {session_id} đang mở.")
    if starts <= now:
        raise CalendarError("Thời gian mới phải ở tương lai.")
    if item.schedule_id is not None:
        await _free_slot(session, item, starts)
    old_start, old_end = item.starts_at, item.ends_at
    item.ends_at = starts + (item.ends_at - item.starts_at)
    item.starts_at = starts
    session.add(item)
    await session.flush()
    if item.schedule_id is not None:
        # The schedule's slot stays taken, or the generator would open it again next tick.
        session.add(
            ReceptionSession(
                unit_id=item.unit_id,
                schedule_id=item.schedule_id,
                kind=item.kind,
                starts_at=old_start,
                ends_at=old_end,
                place=item.place,
                receiver_name=item.receiver_name,
                receiver_title=item.receiver_title,
                capacity=0,
                status=rows.CANCELLED,
                published_at=now,
                created_at=now,
            )
        )

    async def move(booking: Booking) -> str:
        await outbox.withdraw_prefix(session, reminder_prefix(booking))
        await schedule_reminders(session, booking, item, now)
        return texts.SESSION_MOVED_NOTICE.format(
            old=format_datetime(old_start),
            new=format_datetime(starts),
            place=item.place,
            code=booking.code,
        ) + _reason_line(reason)

    return await _tell_booked(
        session, item, now, f"session-moved:{session_id}:{starts:%Y%m%d%H%M}", move
    )


async def _free_slot(session: AsyncSession, item: ReceptionSession, starts: datetime) -> None:
    """The schedule's occurrence at ``starts`` must be free: a slot left by an earlier move is
    taken back, a real session there is refused."""
    query = select(ReceptionSession).where(
        ReceptionSession.schedule_id == item.schedule_id,
        ReceptionSession.starts_at == starts,
        col(ReceptionSession.id) != item.id,
    )
    other = (await session.exec(query)).first()
    if other is None:
        return
    if other.status != rows.CANCELLED or other.capacity != 0:
        raise CalendarError(texts.CAL_SLOT_TAKEN)
    await session.delete(other)
    await session.flush()


def _reason_line(reason: str) -> str:
    return texts.CAL_REASON_LINE.format(reason=reason) if reason else ""


async def _tell_booked(
    session: AsyncSession,
    item: ReceptionSession,
    now: datetime,
    key: str,
    change: Callable[[Booking], Awaitable[str]],
) -> int:
    """Apply ``change`` to every open booking of a session and push the notice it returns to
    the citizen, on the channel they booked from. Returns how many were told."""
    assert item.id is not None
    told = 0
    for booking in await rows.bookings_of_session(session, item.id):
        if booking.status != rows.BOOKED:
            continue
        notice = await change(booking)
        await outbox.enqueue(
            session,
            booking.channel,
            booking.chat_id,
            Reply(notice).to_json(),
            now,
            f"{key}:{booking.id}",
        )
        told += 1
    return told
