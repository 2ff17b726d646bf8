"""The desk's reception calendar: recurring schedules and one-off sessions added from plain
choices, a session moved or cancelled with a reason (everyone booked told through the outbox),
and the staff account who receives at a schedule or a session (the one person who sees a tố cáo
booking's identity). Rows go in through the calendar import (handlers/reception/schedule.py),
so the desk, the chat and the command line accept the same calendar; every change is audited.
Problems are keyed by the desk form's field names, so each is shown beside its field.

Size (about 410 lines): checking a schedule, a one-off and a move share the same rules on
days, hours and places, kept side by side."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import desk, people
from db import reception as rows
from db.conversations import ChatState
from db.models import ReceptionSchedule, ReceptionSession, Unit
from handlers import staff_accounts, texts
from handlers.access import ADMIN, Actor, audit_by, record_denied, scope
from handlers.clock import VN_TZ, format_datetime
from handlers.desk.names import name_of
from handlers.reception import staff as reception_staff
from handlers.reception.schedule import (
    WEEKDAY_NAMES,
    CalendarError,
    generate,
    import_calendar,
    move_session,
)
from handlers.reception.schedule import cancel_session as cancel_booked
from handlers.working_days import working_calendar
from knowledge.normalize import ascii_int

MAX_CAPACITY = 500
REASON_LENGTH = (10, 300)
# A session is planned within the coming year; 31/12/9999 is a slip (or a probe).
AHEAD = timedelta(days=366)


def span(starts: datetime, ends: datetime) -> str:
    """A session's time with its weekday: "Thứ Năm 03/12/2026, 07:30–10:30"."""
    first, last = starts.astimezone(VN_TZ), ends.astimezone(VN_TZ)
    return f"{texts.WEEKDAY_WORDS[first.weekday()]} {first:%d/%m/%Y}, {first:%H:%M}–{last:%H:%M}"


def day_off_warning(day: date) -> str:
    """What to say when a session is moved to a day the office is closed ("" on a working
    day; a make-up Saturday the Government sets is one)."""
    if working_calendar().is_working_day(day):
        return ""
    why = texts.WEEKDAY_WORDS[day.weekday()] if day.weekday() >= 5 else texts.DEADLINE_HOLIDAY
    return texts.CAL_MOVE_DAY_OFF.format(day=f"{day:%d/%m/%Y}", why=why)


@dataclass(frozen=True)
class Plan:
    """A recurring schedule (``weekdays``) or a one-off session (``day``) as typed."""

    unit_id: int
    kind: str
    one_off: bool
    weekdays: tuple[int, ...]
    day: date | None
    start: str
    end: str
    place: str
    title: str
    receiver_id: int | None
    capacity: int


@dataclass(frozen=True)
class ScheduleRow:
    id: int
    unit_id: int
    unit: str
    weekday: str
    start: str
    end: str
    kind: str
    place: str
    title: str
    receiver: str
    receiver_id: int | None
    capacity: int


def _number(typed: str, maximum: int) -> int:
    """The number typed, or -1 for anything else (refused by the checks, never a default)."""
    value = ascii_int(typed.strip(), maximum * 10) if typed.strip() else None
    return -1 if value is None else value


def plan_from(form: Mapping[str, str], weekdays: list[str], one_off: bool) -> Plan:
    day = None
    if one_off:
        try:
            day = date.fromisoformat(form.get("ngay", "").strip())
        except ValueError:
            day = None
    receiver = form.get("nguoi_tiep", "").strip()
    return Plan(
        unit_id=max(_number(form.get("don_vi", ""), 10**9), 0),
        kind=form.get("hinh_thuc", ""),
        one_off=one_off,
        weekdays=() if one_off else tuple(sorted({_number(w, 6) for w in weekdays})),
        day=day,
        start=form.get("bat_dau", "").strip(),
        end=form.get("ket_thuc", "").strip(),
        place=" ".join(form.get("dia_diem", "").split()),
        title=" ".join(form.get("chu_tri", "").split()),
        receiver_id=_number(receiver, 10**9) if receiver else None,
        capacity=_number(form.get("so_cho", ""), MAX_CAPACITY),
    )


def _clock(typed: str) -> time | None:
    try:
        return datetime.strptime(typed, "%H:%M").time()
    except ValueError:
        return None


async def check(session: AsyncSession, actor: Actor, plan: Plan, now: datetime) -> dict[str, str]:
    found: dict[str, str] = {}
    if plan.unit_id not in await scope(session, actor):
        found["don_vi"] = texts.DESK_UNIT_OUT_OF_SCOPE
    if plan.kind not in texts.RECEPTION_KINDS:
        found["hinh_thuc"] = texts.WALK_IN_NO_KIND
    if plan.one_off and plan.day is None:
        found["ngay"] = texts.CAL_BAD_DAY
    if not plan.one_off and (
        not plan.weekdays or any(not 0 <= d < len(WEEKDAY_NAMES) for d in plan.weekdays)
    ):
        found["thu"] = texts.CAL_NO_WEEKDAY
    start, end = _clock(plan.start), _clock(plan.end)
    if start is None:
        found["bat_dau"] = texts.CAL_BAD_TIME
    if end is None:
        found["ket_thuc"] = texts.CAL_BAD_TIME
    elif start is not None and end <= start:
        found["ket_thuc"] = texts.CAL_END_BEFORE_START
    if plan.day is not None and start is not None:
        starts = datetime.combine(plan.day, start, tzinfo=VN_TZ)
        if starts <= now:
            found["ngay"] = texts.CAL_IN_PAST
        elif starts > now + AHEAD:
            found["ngay"] = texts.CAL_TOO_FAR
    if not 4 <= len(plan.place) <= 300:
        found["dia_diem"] = texts.CAL_BAD_PLACE
    if not 2 <= len(plan.title) <= 200:
        found["chu_tri"] = texts.CAL_BAD_TITLE
    if not 1 <= plan.capacity <= MAX_CAPACITY:
        found["so_cho"] = texts.CAL_BAD_CAPACITY
    if plan.receiver_id is not None and not await staff_accounts.is_unit_staff(
        session, plan.unit_id, plan.receiver_id
    ):
        found["nguoi_tiep"] = texts.CAL_BAD_RECEIVER
    return found


async def receiver_name(session: AsyncSession, person_id: int | None) -> str:
    if person_id is None:
        return texts.CAL_NO_RECEIVER
    names = await desk.names(session, [person_id])
    return name_of(person_id, names.get(person_id))


async def save(session: AsyncSession, actor: Actor, plan: Plan, now: datetime) -> str:
    """Add the schedule(s) or the one-off through the calendar import (audited); what to say.
    The caller has checked the plan."""
    unit = await session.get(Unit, plan.unit_id)
    assert unit is not None
    receiver = await receiver_name(session, plan.receiver_id)
    row = {
        "unit": unit.code or unit.name,
        "kind": plan.kind,
        "start": plan.start,
        "end": plan.end,
        "place": plan.place,
        "receiver_name": receiver if plan.receiver_id is not None else plan.title,
        "receiver_title": plan.title,
        "receiver_person_id": plan.receiver_id,
        "capacity": plan.capacity,
    }
    after = {**asdict(plan), "day": plan.day.isoformat() if plan.day else None}
    if plan.day is not None:
        starts = datetime.combine(plan.day, time.fromisoformat(plan.start), tzinfo=VN_TZ)
        if await rows.same_session(session, unit.id or 0, starts, plan.place) is not None:
            return texts.CAL_ALREADY
        report = await import_calendar(
            session, {"sessions": [{**row, "date": f"{plan.day:%d/%m/%Y}"}]}, now
        )
        audit_by(
            session, actor, "reception.session_added", now, target=f"unit:{unit.id}", after=after
        )
        text = texts.CAL_ONE_OFF_SAVED.format(when=f"{plan.start} {plan.day:%d/%m/%Y}")
        return "\n".join([text, *report.warnings])
    schedules = [
        {**row, "weekday": WEEKDAY_NAMES[day]}
        for day in plan.weekdays
        if await rows.same_schedule(session, unit.id or 0, day, plan.start, plan.place) is None
    ]
    if not schedules:
        return texts.CAL_ALREADY
    await import_calendar(session, {"schedules": schedules}, now)
    added = await generate(session, now, working_calendar().is_working_day)
    audit_by(session, actor, "reception.schedule_added", now, target=f"unit:{unit.id}", after=after)
    days = ", ".join(WEEKDAY_NAMES[day] for day in plan.weekdays)
    return texts.CAL_SCHEDULE_SAVED.format(days=days, count=added)


async def schedules(session: AsyncSession, actor: Actor) -> list[ScheduleRow]:
    """The active recurring schedules of the official's units."""
    units = await scope(session, actor)
    query = select(ReceptionSchedule).where(col(ReceptionSchedule.active))
    if units is not None:
        query = query.where(col(ReceptionSchedule.unit_id).in_(units))
    found = (
        await session.exec(
            query.order_by(col(ReceptionSchedule.weekday), col(ReceptionSchedule.start_time))
        )
    ).all()
    unit_names = await desk.unit_names(session, {item.unit_id for item in found})
    people_names = await desk.names(session, [i.receiver_person_id or 0 for i in found])
    return [
        ScheduleRow(
            id=item.id or 0,
            unit_id=item.unit_id,
            unit=unit_names.get(item.unit_id, ""),
            weekday=WEEKDAY_NAMES[item.weekday],
            start=item.start_time,
            end=item.end_time,
            kind=texts.RECEPTION_KINDS.get(item.kind, item.kind),
            place=item.place,
            title=item.receiver_title,
            receiver=(
                name_of(item.receiver_person_id, people_names.get(item.receiver_person_id))
                if item.receiver_person_id is not None
                else texts.CAL_NO_RECEIVER
            ),
            receiver_id=item.receiver_person_id,
            capacity=item.capacity,
        )
        for item in found
    ]


async def staff_choices(
    session: AsyncSession, unit_ids: set[int]
) -> dict[int, list[tuple[int, str]]]:
    """Per unit, the staff accounts that may receive there, by name (the receiver picker)."""
    return {
        unit_id: [
            (person_id, name_of(person_id, name))
            for person_id, name in await people.staff_of_units(session, [unit_id])
        ]
        for unit_id in unit_ids
    }


async def find_schedule(
    session: AsyncSession, actor: Actor, schedule_id: int, now: datetime
) -> ReceptionSchedule | None:
    item = await session.get(ReceptionSchedule, schedule_id)
    if item is None or not item.active or item.unit_id not in await scope(session, actor):
        record_denied(session, actor, f"desk:tcd-lich:{schedule_id}", now)
        return None
    return item


async def set_schedule_receiver(
    session: AsyncSession, actor: Actor, item: ReceptionSchedule, person_id: int, now: datetime
) -> tuple[bool, str]:
    if not await staff_accounts.is_unit_staff(session, item.unit_id, person_id):
        return False, texts.CAL_BAD_RECEIVER
    count = await reception_staff.schedule_receiver(session, actor, item, person_id, now)
    name = await receiver_name(session, person_id)
    return True, texts.CAL_RECEIVER_SAVED.format(name=name, count=count)


async def set_session_receiver(
    session: AsyncSession, actor: Actor, item: ReceptionSession, person_id: int, now: datetime
) -> tuple[bool, str]:
    """The chat's own step (the admin-only rule once a tố cáo is booked, the audit)."""
    if not await staff_accounts.is_unit_staff(session, item.unit_id, person_id):
        return False, texts.CAL_BAD_RECEIVER
    state = ChatState(channel="desk", chat_id=str(actor.person_id))
    payload = f"{reception_staff.RECEIVER_SET_PREFIX}{item.id}:{person_id}"
    reply = await reception_staff.press(session, state, actor, payload, now)
    if reply.text == texts.RECEIVER_ADMIN_ONLY:
        return False, texts.DESK_RECEIVER_ADMIN_ONLY
    if reply.text == texts.RECEIVER_ACCUSED:
        return False, reply.text
    return True, texts.DESK_RECEIVER_SET.format(
        name=await receiver_name(session, person_id), when=format_datetime(item.starts_at)
    )


async def clear_session_receiver(
    session: AsyncSession, actor: Actor, item: ReceptionSession, now: datetime
) -> tuple[bool, str]:
    """The session back to no receiver ("Chưa chọn"), audited; once a tố cáo is booked only an
    admin changes who receives, as when choosing one."""
    assert item.id is not None
    when = format_datetime(item.starts_at)
    if item.receiver_person_id is None:
        return True, texts.DESK_RECEIVER_CLEARED.format(when=when)
    if not actor.has(ADMIN) and await reception_staff._has_denunciation(session, item.id):
        audit_by(session, actor, "reception.receiver_refused", now, target=str(item.id))
        return False, texts.DESK_RECEIVER_ADMIN_ONLY
    before = {"receiver": item.receiver_person_id}
    item.receiver_person_id = None
    session.add(item)
    audit_by(
        session,
        actor,
        "reception.receiver_set",
        now,
        target=str(item.id),
        before=before,
        after={"receiver": None},
    )
    return True, texts.DESK_RECEIVER_CLEARED.format(when=when)


def stated_reason(typed: str) -> str | None:
    reason = " ".join(typed.split())
    low, high = REASON_LENGTH
    return reason if low <= len(reason) <= high else None


def new_start(
    item: ReceptionSession, day_typed: str, time_typed: str, reason: str, now: datetime
) -> tuple[datetime | None, dict[str, str]]:
    """Where a session is to move, and what is wrong with the request (keyed by field)."""
    found: dict[str, str] = {}
    if item.status != rows.OPEN:
        found["ngay"] = texts.CAL_NOT_OPEN
    try:
        day: date | None = date.fromisoformat(day_typed.strip())
    except ValueError:
        day = None
        found["ngay"] = texts.CAL_BAD_DAY
    start = _clock(time_typed.strip())
    if start is None:
        found["gio"] = texts.CAL_BAD_TIME
    if stated_reason(reason) is None:
        found["ly_do"] = texts.CAL_BAD_REASON
    if day is None or start is None:
        return None, found
    starts = datetime.combine(day, start, tzinfo=VN_TZ)
    if starts <= now:
        found["ngay"] = texts.CAL_IN_PAST
    elif starts > now + AHEAD:
        found["ngay"] = texts.CAL_TOO_FAR
    elif starts == item.starts_at:
        found["ngay"] = texts.CAL_SAME_TIME
    return starts, found


async def move(
    session: AsyncSession,
    actor: Actor,
    item: ReceptionSession,
    starts: datetime,
    reason: str,
    now: datetime,
) -> tuple[bool, str]:
    """Move a session checked by ``new_start``; everyone booked is told with the reason."""
    assert item.id is not None
    before = {"starts_at": item.starts_at.isoformat()}
    try:
        told = await move_session(session, item.id, starts, now, reason)
    except CalendarError as error:
        return False, str(error)
    audit_by(
        session,
        actor,
        "reception.session_moved",
        now,
        target=str(item.id),
        before=before,
        after={"starts_at": starts.isoformat(), "reason": reason},
    )
    ends = starts + (item.ends_at - item.starts_at)
    told_text = texts.CAL_TOLD.format(count=told) if told else texts.CAL_NOBODY_BOOKED
    return True, texts.CAL_MOVED.format(when=span(starts, ends), told=told_text)


async def cancel(
    session: AsyncSession, actor: Actor, item: ReceptionSession, reason: str, now: datetime
) -> tuple[bool, str]:
    """Cancel a session with a reason; everyone booked is told it (audited)."""
    assert item.id is not None
    if item.status != rows.OPEN:
        return False, texts.CAL_NOT_OPEN
    told = await cancel_booked(session, item.id, now, reason)
    audit_by(
        session,
        actor,
        "reception.session_cancelled",
        now,
        target=str(item.id),
        after={"reason": reason},
    )
    if not told:
        return True, texts.SESSION_CANCEL_DONE_NOBODY
    return True, texts.SESSION_CANCEL_DONE.format(count=told)
