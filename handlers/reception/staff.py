"""Tiếp công dân for officials: the sessions of their units, who booked, attendance, outcomes.

Reached only through ``staff.press`` (role checked on every press). An official sees sessions
of the units they hold a role for and of those units' children. A booking whose matter is a tố
cáo never shows the denouncer's name or summary in the list or the briefing sheet (Luật Tiếp
công dân 42/2013, Điều 3: giữ bí mật cho người tố cáo). Its identity is shown only to the staff
account linked as the session's receiver, or to an admin who types a reason; a staff account
marked as accused does not see the booking at all. Every opening is audited.

Size (about 610 lines): the session list, a booking's detail with its secrecy rules, the
outcome step and the briefing sheet all read one session's bookings through the same secrecy
predicate (`_sees_identity`), kept in one place on purpose.
"""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, outbox
from db import reception as rows
from db.conversations import ChatState
from db.models import Booking, ReceptionSchedule, ReceptionSession, Unit
from handlers import staff_accounts, texts, words
from handlers.access import (
    ADMIN,
    Actor,
    audit_by,
    person_label,
    scope,
    stated_reason,
)
from handlers.clock import VN_TZ, format_datetime
from handlers.contract import Button, Reply
from handlers.menu import BACK
from handlers.reception import attendance
from handlers.reception.booking import DESK, WALK_IN_KIND, start_walk_in, walk_in_kinds
from handlers.reception.schedule import CalendarError, cancel_session, import_calendar
from handlers.units.pick import official_address
from knowledge.normalize import ascii_int

PREFIX = "staff:rc:"
SESSIONS = "staff:reception"
SESSION_PREFIX = "staff:rc:s:"
BOOKING_PREFIX = "staff:rc:b:"
ATTENDED_PREFIX = "staff:rc:att:"
ABSENT_PREFIX = "staff:rc:abs:"
SEND_PREFIX = "staff:rc:send:"
CANCEL_PREFIX = "staff:rc:cancel:"
CANCEL_YES_PREFIX = "staff:rc:cancelyes:"
WALK_IN = "staff:rc:walkin"
REVEAL_PREFIX = "staff:rc:reveal:"
RECEIVER_PREFIX = "staff:rc:rcv:"
RECEIVER_SET_PREFIX = "staff:rc:rcvp:"
RECEIVER_ALL_PREFIX = "staff:rc:rcva:"
ACCUSE_PREFIX = "staff:rc:acc:"
ACCUSE_SET_PREFIX = "staff:rc:accp:"
FLOW = "rc-outcome"
TO_CAO = "to_cao"


def handles(payload: str) -> bool:
    return payload == SESSIONS or payload.startswith(PREFIX)


async def _session_in_scope(
    session: AsyncSession, actor: Actor, session_id: int
) -> ReceptionSession | None:
    item = await session.get(ReceptionSession, session_id)
    if item is None or item.unit_id not in await scope(session, actor):
        return None
    return item


async def _booking_in_scope(
    session: AsyncSession, actor: Actor, booking_id: int
) -> tuple[Booking, ReceptionSession] | None:
    booking = await session.get(Booking, booking_id)
    if booking is None:
        return None
    if await accused.is_marked(session, accused.BOOKING, booking_id, actor.person_id):
        return None
    item = await _session_in_scope(session, actor, booking.session_id)
    return (booking, item) if item is not None else None


def _local(moment: datetime) -> datetime:
    return moment.astimezone(VN_TZ)


def booking_line(booking: Booking) -> str:
    hidden = booking.matter_kind == TO_CAO
    return texts.STAFF_BOOKING_LINE.format(
        queue=booking.queue_number,
        name=texts.HIDDEN_DENUNCIATION if hidden else booking.full_name,
        group=booking.group_size,
        matter=texts.MATTER_KINDS.get(booking.matter_kind, booking.matter_kind),
        summary="…" if hidden else booking.summary,
        status=texts.BOOKING_STATUS_NAMES.get(booking.status, booking.status),
    )


async def press(
    session: AsyncSession, state: ChatState, actor: Actor, payload: str, now: datetime
) -> Reply:
    if payload == SESSIONS:
        return await _sessions(session, actor, now)
    if payload == NEW:
        return new_session_kind()
    if payload.startswith(NEW_KIND_PREFIX):
        kind = payload.removeprefix(NEW_KIND_PREFIX)
        if kind not in texts.RECEPTION_KINDS:
            return Reply(texts.STALE_BUTTON, (BACK,))
        return start_new_session(state, kind)
    if payload == WALK_IN:
        return walk_in_kinds()
    if payload.startswith(WALK_IN_KIND):
        kind = payload.removeprefix(WALK_IN_KIND)
        if kind not in texts.RECEPTION_KINDS or not actor.roles:
            return Reply(texts.STALE_BUTTON, (BACK,))
        return start_walk_in(state, actor.roles[0][1], kind)
    if payload.startswith((RECEIVER_SET_PREFIX, ACCUSE_SET_PREFIX)):
        return await _pair(session, actor, payload, now)
    key = ascii_int(payload.rsplit(":", 1)[-1])
    if key is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    if payload.startswith(SESSION_PREFIX):
        return await _bookings(session, actor, key)
    if payload.startswith(CANCEL_PREFIX):
        item = await _session_in_scope(session, actor, key)
        if item is None:
            return Reply(texts.STALE_BUTTON, (BACK,))
        question = texts.CONFIRM_CANCEL_SESSION.format(
            start=format_datetime(item.starts_at), booked=item.booked
        )
        yes = Button(texts.CANCEL_SESSION_YES, f"{CANCEL_YES_PREFIX}{key}")
        return Reply(question, (yes, *_back_to(item)))
    if payload.startswith(CANCEL_YES_PREFIX):
        item = await _session_in_scope(session, actor, key)
        if item is None:
            return Reply(texts.STALE_BUTTON, (BACK,))
        told = await cancel_session(session, key, now)
        audit_by(session, actor, "reception.session_cancelled", now, target=str(key))
        return Reply(
            texts.SESSION_CANCEL_DONE.format(count=told), (Button(texts.STAFF_RECEPTION, SESSIONS),)
        )
    if payload.startswith(RECEIVER_PREFIX):
        return await _pick_receiver(session, actor, key)
    if payload.startswith(RECEIVER_ALL_PREFIX):
        return await _receiver_for_schedule(session, actor, key, now)
    found = await _booking_in_scope(session, actor, key)
    if found is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    booking, item = found
    if payload.startswith(BOOKING_PREFIX):
        return await _detail(session, actor, booking, item, now)
    if payload.startswith(REVEAL_PREFIX):
        if not actor.has(ADMIN):
            audit_by(session, actor, "reception.reveal_refused", now, target=booking.code)
            return Reply(texts.FORBIDDEN, _back_to(item))
        state.flow, state.step, state.data = FLOW, "reveal", {"booking": booking.id}
        return Reply(texts.PT_REVEAL_ASK, _back_to(item))
    if payload.startswith(ACCUSE_PREFIX):
        if not (_sees_identity(actor, booking, item) or actor.has(ADMIN)):
            return Reply(texts.FORBIDDEN, _back_to(item))
        return await _pick_accused(session, actor, booking, item)
    if payload.startswith(ATTENDED_PREFIX) or payload.startswith(ABSENT_PREFIX):
        if not attendance.may_record(item, now):
            day = f"{attendance.session_day(item):%d/%m/%Y}"
            return Reply(texts.ATTENDANCE_TOO_EARLY.format(day=day), _back_to(item))
        attended = payload.startswith(ATTENDED_PREFIX)
        booking.status = rows.ATTENDED if attended else rows.ABSENT
        booking.updated_at = now
        session.add(booking)
        audit_by(session, actor, f"reception.{booking.status}", now, target=booking.code)
        if not attended:
            return Reply(texts.MARKED_ABSENT, _back_to(item))
        state.flow, state.step, state.data = FLOW, "outcome", {"booking": booking.id}
        return Reply(texts.ASK_OUTCOME, _back_to(item))
    if payload.startswith(SEND_PREFIX) and booking.outcome and booking.channel != DESK:
        notice = texts.OUTCOME_NOTICE.format(
            day=f"{_local(item.starts_at):%d/%m/%Y}", code=booking.code, outcome=booking.outcome
        )
        await outbox.enqueue(
            session,
            booking.channel,
            booking.chat_id,
            Reply(notice).to_json(),
            now,
            f"outcome:{booking.id}:{booking.updated_at.timestamp():.0f}",
        )
        audit_by(session, actor, "reception.outcome_sent", now, target=booking.code)
        return Reply(texts.OUTCOME_SENT, _back_to(item))
    return Reply(texts.STALE_BUTTON, (BACK,))


async def text(
    session: AsyncSession, state: ChatState, actor: Actor, typed: str, now: datetime
) -> Reply:
    """The outcome an official types after marking a citizen present, or the reason an admin
    gives for seeing a denouncer's identity."""
    booking_id = int(state.data.get("booking", 0))
    step = state.step
    asked = (state.flow, state.step, dict(state.data))
    state.flow = state.step = None
    state.data = {}
    found = await _booking_in_scope(session, actor, booking_id) if actor.is_staff else None
    if found is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    booking, item = found
    if step == "reveal":
        if words.means(typed, words.QUIT):
            return Reply(texts.REVEAL_DROPPED, _back_to(item))
        reason = stated_reason(typed)
        if actor.has(ADMIN) and reason is None:
            state.flow, state.step, state.data = asked  # still waiting for a reason
            return Reply(texts.REASON_TOO_SHORT + texts.PT_REVEAL_ASK, _back_to(item))
        return _reveal(session, actor, booking, item, reason or "", now)
    booking.outcome = typed.strip()[:1000]
    booking.updated_at = now
    session.add(booking)
    audit_by(session, actor, "reception.outcome", now, target=booking.code)
    send = (Button(texts.SEND_OUTCOME, f"{SEND_PREFIX}{booking.id}"),)
    buttons = (*(send if booking.channel != DESK else ()), *_back_to(item))
    return Reply(texts.OUTCOME_SAVED, buttons)


def _back_to(item: ReceptionSession) -> tuple[Button, ...]:
    start = _local(item.starts_at)
    label = texts.STAFF_SESSION_BUTTON.format(
        day=f"{start:%d/%m}", start=f"{start:%H:%M}", booked=item.booked, capacity=item.capacity
    )
    return (Button(label, f"{SESSION_PREFIX}{item.id}"), Button(texts.STAFF_RECEPTION, SESSIONS))


def _sees_identity(actor: Actor, booking: Booking, item: ReceptionSession) -> bool:
    """Everyone in scope sees a booking; a tố cáo's identity only its session's receiver, or
    for a walk-in line, the official who wrote it down."""
    if booking.matter_kind != TO_CAO:
        return True
    return actor.person_id in (item.receiver_person_id, booking.recorded_by_person_id)


def booking_fields(booking: Booking, shown: bool) -> dict[str, Any]:
    """A booking as officials read it (chat and desk alike); a tố cáo's identity and matter
    only when ``shown``."""
    return {
        "code": booking.code,
        "queue": booking.queue_number,
        "name": booking.full_name if shown else texts.HIDDEN_DENUNCIATION,
        "phone": booking.phone if shown else "—",
        "address": official_address(booking.address) if shown else "—",
        "matter": texts.MATTER_KINDS.get(booking.matter_kind, booking.matter_kind),
        "summary": booking.summary if shown else "…",
        "group": booking.group_size,
        "status": texts.BOOKING_STATUS_NAMES.get(booking.status, booking.status),
    }


def _detail_text(booking: Booking, shown: bool) -> str:
    return texts.STAFF_BOOKING_DETAIL.format(**booking_fields(booking, shown))


async def _detail(
    session: AsyncSession, actor: Actor, booking: Booking, item: ReceptionSession, now: datetime
) -> Reply:
    shown = _sees_identity(actor, booking, item)
    action = "reception.denouncer_viewed" if booking.matter_kind == TO_CAO and shown else None
    audit_by(session, actor, action or "reception.booking_viewed", now, target=booking.code)
    text = _detail_text(booking, shown)
    buttons = []
    if attendance.may_record(item, now):
        buttons += [
            Button(texts.MARK_ATTENDED, f"{ATTENDED_PREFIX}{booking.id}"),
            Button(texts.MARK_ABSENT, f"{ABSENT_PREFIX}{booking.id}"),
        ]
    if booking.outcome and booking.channel != DESK:
        buttons.append(Button(texts.SEND_OUTCOME, f"{SEND_PREFIX}{booking.id}"))
    if booking.matter_kind == TO_CAO and shown:
        buttons.append(Button(texts.MARK_ACCUSED, f"{ACCUSE_PREFIX}{booking.id}"))
    if not shown:
        receiver = await _receiver_name(session, item)
        text += "\n\n" + texts.BOOKING_SECRET_NOTE.format(receiver=receiver)
        if actor.has(ADMIN):
            buttons.append(Button(texts.REVEAL_IDENTITY, f"{REVEAL_PREFIX}{booking.id}"))
    return Reply(text, (*buttons, Button(texts.STAFF_RECEPTION, SESSIONS)))


def _reveal(
    session: AsyncSession,
    actor: Actor,
    booking: Booking,
    item: ReceptionSession,
    reason: str,
    now: datetime,
) -> Reply:
    """An admin who does not receive the session sees a denouncer, with the reason recorded."""
    if not actor.has(ADMIN):
        return Reply(texts.FORBIDDEN, _back_to(item))
    audit_by(
        session,
        actor,
        "reception.denouncer_viewed",
        now,
        target=booking.code,
        after={"reason": reason, "by_admin": True},
    )
    party = f"{booking.full_name}, {booking.phone}, {official_address(booking.address)}"
    return Reply(texts.PT_REVEALED.format(party=party), _back_to(item))


async def _receiver_name(session: AsyncSession, item: ReceptionSession) -> str:
    if item.receiver_person_id is None:
        return texts.NO_RECEIVER_ACCOUNT
    return await person_label(session, item.receiver_person_id)


async def _has_denunciation(session: AsyncSession, session_id: int) -> bool:
    return any(b.matter_kind == TO_CAO for b in await rows.bookings_of_session(session, session_id))


async def _accused_at(session: AsyncSession, session_id: int) -> set[int]:
    """Staff named in a tố cáo booked at the session: never its receiver."""
    named: set[int] = set()
    for booking in await rows.bookings_of_session(session, session_id):
        if booking.matter_kind == TO_CAO and booking.id is not None:
            named |= await accused.of(session, accused.BOOKING, booking.id)
    return named


async def _pick_receiver(session: AsyncSession, actor: Actor, session_id: int) -> Reply:
    item = await _session_in_scope(session, actor, session_id)
    if item is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    if not actor.has(ADMIN) and await _has_denunciation(session, session_id):
        return Reply(texts.RECEIVER_ADMIN_ONLY, _back_to(item))
    buttons = await staff_accounts.picker(
        session,
        item.unit_id,
        RECEIVER_SET_PREFIX,
        session_id,
        await _accused_at(session, session_id),
    )
    if not buttons:
        return Reply(texts.NO_STAFF_ACCOUNTS, _back_to(item))
    text = texts.PICK_RECEIVER.format(when=format_datetime(item.starts_at))
    return Reply(text, (*buttons, *_back_to(item)))


async def _pair(session: AsyncSession, actor: Actor, payload: str, now: datetime) -> Reply:
    """A receiver chosen for a session, or an accused marked on a booking: two ids."""
    head, _, person_text = payload.rpartition(":")
    target, person_id = ascii_int(head.rsplit(":", 1)[-1]), ascii_int(person_text)
    if target is None or person_id is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    if payload.startswith(RECEIVER_SET_PREFIX):
        return await _set_receiver(session, actor, target, person_id, now)
    found = await _booking_in_scope(session, actor, target)
    if found is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    booking, item = found
    if not (_sees_identity(actor, booking, item) or actor.has(ADMIN)):
        return Reply(texts.FORBIDDEN, _back_to(item))
    if not await staff_accounts.is_unit_staff(session, item.unit_id, person_id):
        return Reply(texts.STALE_BUTTON, (BACK,))
    marked = await staff_accounts.mark_accused(
        session, actor, accused.BOOKING, target, booking.code, person_id, now
    )
    return Reply(marked, _back_to(item))


async def _set_receiver(
    session: AsyncSession, actor: Actor, session_id: int, person_id: int, now: datetime
) -> Reply:
    item = await _session_in_scope(session, actor, session_id)
    if item is None or not await staff_accounts.is_unit_staff(session, item.unit_id, person_id):
        return Reply(texts.STALE_BUTTON, (BACK,))
    changing = item.receiver_person_id != person_id
    if changing and not actor.has(ADMIN) and await _has_denunciation(session, session_id):
        # Otherwise naming oneself receiver would be a way round the denouncer's secrecy.
        audit_by(session, actor, "reception.receiver_refused", now, target=str(session_id))
        return Reply(texts.RECEIVER_ADMIN_ONLY, _back_to(item))
    if person_id in await _accused_at(session, session_id):
        audit_by(session, actor, "reception.receiver_refused", now, target=str(session_id))
        return Reply(texts.RECEIVER_ACCUSED, _back_to(item))
    before = {"receiver": item.receiver_person_id}
    item.receiver_person_id = person_id
    session.add(item)
    audit_by(
        session,
        actor,
        "reception.receiver_set",
        now,
        target=str(session_id),
        before=before,
        after={"receiver": person_id},
    )
    name = await person_label(session, person_id)
    text = texts.RECEIVER_SET.format(name=name, when=format_datetime(item.starts_at))
    extra = (
        (Button(texts.RECEIVER_APPLY_ALL, f"{RECEIVER_ALL_PREFIX}{session_id}"),)
        if item.schedule_id is not None
        else ()
    )
    return Reply(text, (*extra, *_back_to(item)))


async def _receiver_for_schedule(
    session: AsyncSession, actor: Actor, session_id: int, now: datetime
) -> Reply:
    """The session's receiver becomes its schedule's, and of the schedule's coming sessions;
    a session that already holds a tố cáo booking changes receiver only by an admin."""
    item = await _session_in_scope(session, actor, session_id)
    if item is None or item.schedule_id is None or item.receiver_person_id is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    schedule = await session.get(ReceptionSchedule, item.schedule_id)
    if schedule is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    count = await schedule_receiver(session, actor, schedule, item.receiver_person_id, now)
    name = await person_label(session, item.receiver_person_id)
    return Reply(texts.RECEIVER_APPLIED_ALL.format(name=name, count=count), _back_to(item))


async def schedule_receiver(
    session: AsyncSession,
    actor: Actor,
    schedule: ReceptionSchedule,
    person_id: int,
    now: datetime,
) -> int:
    """``person_id`` receives at the schedule and its coming sessions (audited); a session that
    already holds a tố cáo booking changes receiver only by an admin. The caller has checked the
    scope and that the person is the unit's staff. Returns how many coming sessions are theirs."""
    schedule.receiver_person_id = person_id
    session.add(schedule)
    count = 0
    assert schedule.id is not None
    for later in await rows.of_schedule_from(session, schedule.id, now):
        if later.receiver_person_id == person_id:
            count += 1
            continue
        if not actor.has(ADMIN) and await _has_denunciation(session, later.id or 0):
            continue
        if person_id in await _accused_at(session, later.id or 0):
            continue
        later.receiver_person_id = person_id
        session.add(later)
        count += 1
    audit_by(
        session,
        actor,
        "reception.receiver_set",
        now,
        target=f"schedule:{schedule.id}",
        after={"receiver": person_id},
    )
    return count


async def _pick_accused(
    session: AsyncSession, actor: Actor, booking: Booking, item: ReceptionSession
) -> Reply:
    assert booking.id is not None
    skip = {actor.person_id} | await accused.of(session, accused.BOOKING, booking.id)
    buttons = await staff_accounts.picker(
        session, item.unit_id, ACCUSE_SET_PREFIX, booking.id, skip
    )
    if not buttons:
        return Reply(texts.NO_STAFF_ACCOUNTS, _back_to(item))
    return Reply(texts.PICK_ACCUSED, (*buttons, *_back_to(item)))


async def _sessions(session: AsyncSession, actor: Actor, now: datetime) -> Reply:
    # Sessions of today that have started stay listed, so attendance can be recorded.
    since = now.astimezone(VN_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    found = await rows.upcoming(session, await scope(session, actor), since, limit=12)
    if not found:
        return Reply(
            texts.STAFF_NO_SESSIONS,
            (Button(texts.NEW_SESSION, NEW), Button(texts.WALK_IN, WALK_IN), BACK),
        )
    return Reply(
        texts.STAFF_SESSIONS,
        (
            *(_back_to(item)[0] for item in found),
            Button(texts.NEW_SESSION, NEW),
            Button(texts.WALK_IN, WALK_IN),
            BACK,
        ),
    )


async def _bookings(session: AsyncSession, actor: Actor, session_id: int) -> Reply:
    item = await _session_in_scope(session, actor, session_id)
    if item is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    hidden = await accused.targets_naming(session, accused.BOOKING, actor.person_id)
    bookings = [
        b for b in await rows.bookings_of_session(session, session_id) if b.id not in hidden
    ]
    head = texts.STAFF_BOOKINGS.format(
        start=format_datetime(item.starts_at),
        place=item.place,
        booked=item.booked,
        capacity=item.capacity,
    )
    lines = [head] + ([booking_line(b) for b in bookings] or [texts.STAFF_NO_BOOKINGS])
    buttons = [
        Button(
            f"{b.queue_number}. {texts.MATTER_KINDS.get(b.matter_kind, '')}",
            f"{BOOKING_PREFIX}{b.id}",
        )
        for b in bookings
    ]
    receiver = texts.SET_RECEIVER.format(name=await _receiver_name(session, item))
    buttons.append(Button(receiver, f"{RECEIVER_PREFIX}{item.id}"))
    buttons.append(Button(texts.CANCEL_SESSION, f"{CANCEL_PREFIX}{item.id}"))
    return Reply("\n".join(lines), (*buttons, Button(texts.STAFF_RECEPTION, SESSIONS)))


def briefing_sheet(item: ReceptionSession, bookings: list[Booking]) -> bytes:
    """The session's list as an XLSX sheet; every cell citizens typed is written as text."""
    # openpyxl is imported here: only this file needs it, and it costs start-up time.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sach"
    start = _local(item.starts_at)
    sheet.append([f"Buổi tiếp {start:%H:%M ngày %d/%m/%Y}, {item.place}"])
    sheet.append([f"Người tiếp: {item.receiver_title} {item.receiver_name}"])
    sheet.append(
        [
            "STT",
            "Mã",
            "Họ tên",
            "Điện thoại",
            "Địa chỉ",
            "Loại việc",
            "Nội dung",
            "Số người",
            "Trạng thái",
        ]
    )
    for booking in bookings:
        hidden = booking.matter_kind == TO_CAO
        values = [
            booking.queue_number,
            booking.code,
            texts.HIDDEN_DENUNCIATION if hidden else booking.full_name,
            "" if hidden else booking.phone,
            "" if hidden else official_address(booking.address),
            texts.MATTER_KINDS.get(booking.matter_kind, booking.matter_kind),
            "" if hidden else booking.summary,
            booking.group_size,
            texts.BOOKING_STATUS_NAMES.get(booking.status, booking.status),
        ]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=1+1" typed by a citizen stays text
    out = BytesIO()
    book.save(out)
    return out.getvalue()


NEW = "staff:rc:new"
NEW_KIND_PREFIX = "staff:rc:nk:"
NEW_FLOW = "rc-new"
NEW_STEPS = ("when", "place", "receiver", "capacity")
_WHEN = re.compile(r"(\d{1,2}/\d{1,2}/\d{4})\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})")


def takes_numbers(state: ChatState) -> bool:
    return state.flow == NEW_FLOW and state.step == "capacity"


def new_session_kind() -> Reply:
    kinds = tuple(
        Button(label, f"{NEW_KIND_PREFIX}{kind}") for kind, label in texts.RECEPTION_KINDS.items()
    )
    return Reply(texts.NEW_SESSION_KIND, (*kinds, BACK))


def start_new_session(state: ChatState, kind: str) -> Reply:
    state.flow, state.step, state.data = NEW_FLOW, "when", {"kind": kind}
    return Reply(texts.NEW_SESSION_ASK["when"], (BACK,))


async def new_session_text(
    session: AsyncSession, state: ChatState, actor: Actor, typed: str, now: datetime
) -> Reply:
    """An official adds a one-off session step by step; the calendar import checks it."""
    if not actor.is_staff or not actor.roles:
        state.flow = state.step = None
        return Reply(texts.FORBIDDEN, (BACK,))
    step = state.step or "when"
    value = " ".join(typed.split())
    if step == "when":
        found = _WHEN.fullmatch(value)
        if found is None:
            return Reply(texts.NEW_SESSION_BAD + texts.NEW_SESSION_ASK["when"], (BACK,))
        state.data.update(date=found.group(1), start=found.group(2), end=found.group(3))
    elif step == "receiver":
        title, _, name = value.partition(",")
        state.data.update(receiver_title=title.strip(), receiver_name=name.strip() or title.strip())
    else:
        state.data[step] = value
    position = NEW_STEPS.index(step)
    if position + 1 < len(NEW_STEPS):
        state.step = NEW_STEPS[position + 1]
        return Reply(texts.NEW_SESSION_ASK[state.step], (BACK,))
    unit = await session.get(Unit, actor.roles[0][1])
    row = {**state.data, "unit": unit.name if unit else ""}
    try:
        async with session.begin_nested():
            report = await import_calendar(session, {"sessions": [row]}, now)
    except CalendarError as error:
        state.step = "when"
        return Reply(f"{error}\n{texts.NEW_SESSION_ASK['when']}", (BACK,))
    state.flow = state.step = None
    state.data = {}
    audit_by(session, actor, "reception.session_added", now, target=str(row["date"]))
    text = texts.NEW_SESSION_SAVED.format(when=f"{row['date']} {row['start']}")
    if report.warnings:
        text += "\n" + "\n".join(report.warnings)
    return Reply(text, (Button(texts.STAFF_RECEPTION, SESSIONS), BACK))
