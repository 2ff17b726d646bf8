"""Tiếp công dân for citizens: book a place in a session, see, cancel and move bookings.

The booking flow keeps its answers in the conversation state (so a restart loses nothing) and
writes nothing until the citizen consents; the place is then taken by one conditional UPDATE
(capacity can never be exceeded), the booking row and its two reminders are written in the same
transaction.

Size (about 600 lines): the form's steps, its read-back and the booking transaction share the
answers' shape and are read together; a citizen's own bookings, the schedule and the figures
live beside it (bookings.py, schedule.py, figures.py). The next cut is the form engine shared
with the đơn form (issue 16, forms as data).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox
from db import reception as rows
from db.conversations import ChatState
from db.models import Booking, Person, ReceptionSession
from handlers import texts, words
from handlers.access import Actor
from handlers.clock import VN_TZ, format_datetime
from handlers.contract import Button, Incoming, Reply
from handlers.conversation import returning
from handlers.menu import BACK, MENU_BOOK, MENU_MINE, MENU_RECEPTION_INFO, with_menu
from handlers.reception.figures import GROUP_FROM
from handlers.reception.walk_in import WalkIn
from handlers.reception.walk_in import record as record_walk_in
from handlers.units.pick import address_note
from knowledge.normalize import ascii_int, fold

FLOW = "booking"
PREFIX = "rc:"
SESSION_PREFIX = "rc:s:"
MATTER_PREFIX = "rc:m:"
CANCEL_PREFIX = "rc:cancel:"
CANCEL_YES_PREFIX = "rc:cancelyes:"
MOVE_PREFIX = "rc:move:"
CONSENT_YES = "rc:yes"
CONSENT_NO = "rc:no"
STEP_BACK = "rc:back"
STEP_QUIT = "rc:quit"
USE_PREVIOUS = "rc:prev"
NOT_ME = "rc:notme"
# Recorded with each consent, so what the citizen agreed to can be shown later.
CONSENT_VERSION = "2026-11"
MAX_OPEN_BOOKINGS = 2
# Channel of a register line an official wrote for a citizen received at the desk.
DESK = "desk"
# The number of people is 1 unless changed in the read-back ("Sửa một mục"); an official
# recording a walk-in is asked it after the summary.
STEPS = ("session", "name", "phone", "address", "matter", "summary", "consent")
EDITABLE = ("name", "phone", "address", "matter", "summary", "group")
EDIT = "rc:edit"
EDIT_PREFIX = "rc:edit:"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
EVE_AT = time(8, 0)
MORNING_AT = time(6, 30)
_PHONE_NOISE = re.compile(r"[\s.\-()]")
# A run that may be a phone number: a leading + or digit, then digits and separators.
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d\s.\-()]{7,16}\d")
# How many people come: the first number typed ("2 người", "1 mình tôi thôi"), or alone.
_FIRST_NUMBER = re.compile(r"(?<!\d)(\d{1,3})(?!\d)")
_ALONE = frozenset({"mot minh", "minh toi", "mot minh toi", "chi minh toi", "mot nguoi", "mot"})
_MOBILE = re.compile(r"0[35789]\d{8}")
_LANDLINE = re.compile(r"02\d{9}")
_NAME = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)+")


def takes_numbers(state: ChatState) -> bool:
    """At this step a typed number is an answer (how many people), not a menu choice."""
    return state.flow == FLOW and state.step == "group"


def normalize_phone(text: str) -> str | None:
    """A Vietnamese phone number as ten or eleven digits starting with 0, or None; also the
    number inside a sentence ("sdt cua toi la 091 234 5678")."""
    for candidate in _PHONE_IN_TEXT.findall(text):
        parts = candidate.split()
        # "số nhà 12 0912 345 678": the number may start after a space inside the run.
        for start in range(len(parts)):
            found = _phone(" ".join(parts[start:]))
            if found is not None:
                return found
    return None


def _phone(text: str) -> str | None:
    digits = _PHONE_NOISE.sub("", text.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return digits
    return None


def is_name(text: str) -> bool:
    """Two or more words of letters only ("Nguyễn Văn An"), as a person's name is written."""
    return bool(_NAME.fullmatch(text)) and len(text) <= 100


def people_count(text: str) -> int | None:
    """The number of people in an answer like "2", "2 người" or "1 mình tôi thôi"."""
    folded = fold(text)
    found = _FIRST_NUMBER.search(folded) if folded.isascii() else None
    if found is not None:
        return ascii_int(found.group(1))
    words = " ".join(folded.replace("thoi", " ").split())
    return 1 if words in _ALONE else None


def new_code() -> str:
    return "LH-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def walk_in_code() -> str:
    """A register line's code: like a booking's, "TD-" for tiếp trực tiếp."""
    return new_code().replace("LH-", "TD-")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(VN_TZ)


def describe(item: ReceptionSession) -> str:
    start, end = _local(item.starts_at), _local(item.ends_at)
    return texts.SESSION_LINE.format(
        day=f"{start:%d/%m/%Y}",
        start=f"{start:%H:%M}",
        end=f"{end:%H:%M}",
        kind=texts.RECEPTION_KINDS.get(item.kind, item.kind),
        receiver=f"{item.receiver_title} {item.receiver_name}".strip(),
        left=max(item.capacity - item.booked, 0),
    )


def when(item: ReceptionSession) -> str:
    return format_datetime(item.starts_at)


def reception_menu() -> Reply:
    return Reply(
        texts.RECEPTION_MENU,
        (
            Button(texts.RECEPTION_BOOK, MENU_BOOK),
            Button(texts.RECEPTION_MINE, MENU_MINE),
            Button(texts.RECEPTION_INFO, MENU_RECEPTION_INFO),
            BACK,
        ),
    )


def _controls() -> tuple[Button, ...]:
    return (Button(texts.BACK_STEP, STEP_BACK), Button(texts.QUIT_FLOW, STEP_QUIT))


async def _scope(session: AsyncSession, actor: Actor) -> set[int] | None:
    """The units whose sessions this citizen is offered: the commune they chose, or all."""
    person = await session.get(Person, actor.person_id)
    return {person.unit_id} if person is not None and person.unit_id is not None else None


def wants_booking(text: str) -> bool:
    """A request to book ("đăng ký gặp chủ tịch xã", "dat lich tiep dan"), not about bookings
    already made."""
    folded = f" {fold(text)} "
    asks = any(w in folded for w in (" dang ky ", " dat lich ", " gap ", " hen gap "))
    return asks and not any(w in folded for w in (" huy ", " doi ", " cua toi ", " xem lich "))


async def start(
    session: AsyncSession,
    state: ChatState,
    actor: Actor,
    now: datetime,
    moving: str | None = None,
    prefer: str | None = None,
    *,
    keep: bool = False,
) -> Reply:
    """The sessions open for booking; ``prefer`` (folded words of a receiver's title, e.g.
    "chu tich") puts theirs first. With ``keep`` the answers given so far stay: only another
    session is asked for, then the read-back comes back."""
    if not moving and len(await rows.open_bookings(session, actor.person_id, now)) >= (
        MAX_OPEN_BOOKINGS
    ):
        # Told before the first question, not after everything has been typed.
        state.flow = state.step = None
        return with_menu(texts.TOO_MANY_BOOKINGS)
    choices = await rows.upcoming(session, await _scope(session, actor), now)
    choices = [item for item in choices if item.booked < item.capacity]
    if not choices:
        state.flow = state.step = None
        return with_menu(texts.NO_SESSIONS)
    if prefer:
        choices.sort(key=lambda item: prefer not in fold(item.receiver_title))
    state.flow, state.step = FLOW, "session"
    if keep:
        state.data["choosing_again"] = True
    else:
        state.data = {"moving": moving} if moving else {}
    prompt = texts.PICK_NEW_SESSION.format(code=moving) if moving else texts.PICK_SESSION
    lines = [prompt] + [f"- {describe(item)}" for item in choices]
    buttons = tuple(
        Button(
            texts.SESSION_BUTTON.format(
                day=f"{_local(item.starts_at):%d/%m}",
                start=f"{_local(item.starts_at):%H:%M}",
                receiver_title=item.receiver_title,
            ),
            f"{SESSION_PREFIX}{item.id}",
        )
        for item in choices
    )
    return Reply("\n".join(lines), (*buttons, Button(texts.QUIT_FLOW, STEP_QUIT)))


def _ask(state: ChatState, step: str) -> Reply:
    state.step = step
    if step == "name":
        prompt, reuse = returning.offer(state, texts.ASK_NAME, USE_PREVIOUS, NOT_ME)
        return Reply(prompt, (*reuse, *_controls()))
    if step == "phone":
        # Channels that can (Telegram) add a button sharing the account's own number.
        return Reply(texts.ASK_PHONE, _controls(), ask_contact=True)
    if step == "address":
        return Reply(texts.ASK_ADDRESS, _controls())
    if step == "matter":
        kinds = tuple(
            Button(label, f"{MATTER_PREFIX}{key}") for key, label in texts.MATTER_KINDS.items()
        )
        return Reply(texts.ASK_MATTER, (*kinds, *_controls()))
    if step == "summary":
        return Reply(texts.ASK_SUMMARY, _controls())
    if step == "group":
        return Reply(texts.ASK_GROUP, _controls())
    raise ValueError(step)


async def _ask_consent(session: AsyncSession, state: ChatState) -> Reply:
    state.step = "consent"
    data = state.data
    chosen = await session.get(ReceptionSession, int(data["session_id"]))
    group = int(data["group"])
    # A denouncer's identity is not echoed back: replies are kept (inbox, outbox) for a while.
    secret = data["matter"] == "to_cao"
    text = texts.ASK_CONSENT.format(
        group_rule=texts.GROUP_RULE if group >= GROUP_FROM else "",
        session=describe(chosen) if chosen else "?",
        name=texts.WITHHELD if secret else data["name"],
        phone=texts.WITHHELD if secret else data["phone"],
        address=texts.WITHHELD if secret else data["address"],
        matter=texts.MATTER_KINDS[data["matter"]],
        summary=data["summary"],
        group=group,
    )
    return Reply(
        text,
        (
            Button(texts.CONSENT_YES, CONSENT_YES),
            Button(texts.EDIT_ONE, EDIT),
            Button(texts.CONSENT_NO, CONSENT_NO),
            *_controls(),
        ),
    )


async def _then(session: AsyncSession, state: ChatState, following: str) -> Reply:
    """The next question, or, when one answer was being changed, the read-back again."""
    if state.data.pop("editing", None):
        return await _ask_consent(session, state)
    return _ask(state, following)


async def resume(session: AsyncSession, state: ChatState, actor: Actor, now: datetime) -> Reply:
    """The question of the step the booking stands at, asked again (nothing typed is lost)."""
    step = state.step or "session"
    if step == "session":
        keep = "summary" in state.data  # choosing again after the session filled
        return await start(session, state, actor, now, state.data.get("moving"), keep=keep)
    if step == "consent":
        return await _ask_consent(session, state)
    return _ask(state, step)


def _quit(state: ChatState, text: str = texts.BOOKING_QUIT) -> Reply:
    state.flow = state.step = None
    state.data = {}
    return with_menu(text)


async def _back(session: AsyncSession, state: ChatState, actor: Actor, now: datetime) -> Reply:
    step = state.step or "session"
    if step == "group":
        return _ask(state, "summary")
    position = STEPS.index(step) if step in STEPS else 0
    if state.data.get("walk_in") and position <= 1:
        return _quit(state)
    if position <= 1 or state.data.get("moving"):
        return await start(session, state, actor, now, state.data.get("moving"))
    return _ask(state, STEPS[position - 1])


async def text(
    session: AsyncSession,
    state: ChatState,
    actor: Actor,
    incoming: Incoming,
    raw: str,
    now: datetime,
) -> Reply:
    """A typed answer at the current step (or a shared contact on Telegram)."""
    folded = fold(raw).strip(" .!")
    if words.means(raw, words.BACK):
        return await _back(session, state, actor, now)
    step, data = state.step, state.data
    if step == "session":
        # The list again, with its buttons: a typed number then picks a session, never "Huỷ".
        listed = await resume(session, state, actor, now)
        return Reply(texts.PICK_SESSION_AGAIN + "\n" + listed.text, listed.buttons)
    if step == "name":
        name = " ".join(raw.split())
        if not is_name(name):
            return Reply(texts.BAD_NAME, _controls())
        data["name"] = name
        return await _then(session, state, "phone")
    if step == "phone":
        phone = normalize_phone(incoming.contact_phone or raw)
        if phone is None:
            return Reply(texts.BAD_PHONE, _controls())
        data["phone"] = phone
        return await _then(session, state, "address")
    if step == "address":
        address = " ".join(raw.split())
        # "Tổ 5" is an address in a commune: short, but enough for the office.
        if len(address) < 4 or len(address) > 300:
            return Reply(texts.BAD_ADDRESS, _controls())
        data["address"] = address
        following = await _then(session, state, "matter")
        # An old address ("xã Tân Tiến, huyện Đồng Phú") is said back as today's unit.
        note = await address_note(session, address)
        return Reply(f"{note}\n\n{following.text}", following.buttons) if note else following
    if step == "matter":
        for key, label in texts.MATTER_KINDS.items():
            if folded == fold(label) or folded == key.replace("_", " "):
                data["matter"] = key
                return await _then(session, state, "summary")
        return _ask(state, "matter")
    if step == "summary":
        summary = raw.strip()
        if not 10 <= len(summary) <= 1000:
            return Reply(texts.BAD_SUMMARY, _controls())
        data["summary"] = summary
        if data.get("walk_in"):
            return _ask(state, "group")
        data.setdefault("group", 1)
        data.pop("editing", None)
        return await _ask_consent(session, state)
    if step == "group":
        group = people_count(raw)
        if group is None or not 1 <= group <= 200:
            return Reply(texts.BAD_GROUP, _controls())
        data["group"] = group
        data.pop("editing", None)
        if data.get("walk_in"):
            return await _save_walk_in(session, state, actor, now)
        return await _ask_consent(session, state)
    if step == "consent":
        if words.means(raw, words.YES):
            return await _book(session, state, actor, incoming, now)
        return await _ask_consent(session, state)
    return _quit(state)


async def press(
    session: AsyncSession,
    state: ChatState,
    actor: Actor,
    incoming: Incoming,
    payload: str,
    now: datetime,
) -> list[Reply]:
    """A booking button (checked as offered by the caller)."""
    if payload == STEP_QUIT:
        return [_quit(state)]
    if payload == STEP_BACK:
        return [await _back(session, state, actor, now)]
    if payload == CONSENT_NO:
        return [_quit(state, texts.CONSENT_REFUSED)]
    if payload.startswith(SESSION_PREFIX) and state.flow == FLOW:
        state.data["session_id"] = int(payload.removeprefix(SESSION_PREFIX))
        if state.data.get("moving"):
            return [await _move(session, state, actor, now)]
        if state.data.pop("choosing_again", False) and "summary" in state.data:
            return [await _ask_consent(session, state)]
        await returning.note(session, state, actor.person_id)
        return [_ask(state, "name")]
    if payload == USE_PREVIOUS and state.flow == FLOW and state.step == "name":
        if await returning.fill(session, state, actor.person_id):
            return [await _then(session, state, "matter")]
        return [_ask(state, "name")]
    if payload == NOT_ME and state.flow == FLOW:
        returning.refuse(state)
        return [_ask(state, "name")]
    if payload.startswith(MATTER_PREFIX) and state.flow == FLOW:
        state.data["matter"] = payload.removeprefix(MATTER_PREFIX)
        return [await _then(session, state, "summary")]
    if payload.startswith(EDIT_PREFIX) and state.flow == FLOW and state.step == "consent":
        field = payload.removeprefix(EDIT_PREFIX)
        if field in EDITABLE:
            state.data["editing"] = True
            return [_ask(state, field)]
    if payload == EDIT and state.flow == FLOW and state.step == "consent":
        fields = tuple(Button(texts.BOOKING_FIELDS[f], f"{EDIT_PREFIX}{f}") for f in EDITABLE)
        return [Reply(texts.PICK_FIELD, (*fields, *_controls()))]
    if payload == CONSENT_YES and state.flow == FLOW:
        return [await _book(session, state, actor, incoming, now)]
    return [with_menu(texts.STALE_BUTTON)]


async def own_booking(session: AsyncSession, actor: Actor, code: str) -> Booking | None:
    booking = await rows.by_code(session, code)
    if booking is None or booking.person_id != actor.person_id or booking.status != rows.BOOKED:
        return None
    return booking


async def _book(
    session: AsyncSession, state: ChatState, actor: Actor, incoming: Incoming, now: datetime
) -> Reply:
    data = state.data
    await rows.lock_person(session, actor.person_id)
    if len(await rows.open_bookings(session, actor.person_id, now)) >= MAX_OPEN_BOOKINGS:
        return _quit(state, texts.TOO_MANY_BOOKINGS)
    session_id = int(data["session_id"])
    queue = await rows.take_place(session, session_id, now)
    if queue is None:
        # The session filled while the form was being filled: everything typed is kept.
        reply = await start(session, state, actor, now, keep=True)
        return Reply(texts.SESSION_FULL + "\n" + reply.text, reply.buttons)
    booking = Booking(
        code=new_code(),
        session_id=session_id,
        person_id=actor.person_id,
        channel=incoming.channel,
        chat_id=incoming.chat_id,
        queue_number=queue,
        full_name=data["name"],
        phone=data["phone"],
        address=data["address"],
        matter_kind=data["matter"],
        summary=data["summary"],
        group_size=int(data["group"]),
        consent_at=now,
        consent_version=CONSENT_VERSION,
        created_at=now,
        updated_at=now,
    )
    session.add(booking)
    await session.flush()
    chosen = await session.get(ReceptionSession, session_id)
    assert chosen is not None
    await schedule_reminders(session, booking, chosen, now)
    state.flow = state.step = None
    state.data = {}
    return with_menu(_confirmation(texts.BOOKED, booking, chosen))


def _confirmation(template: str, booking: Booking, item: ReceptionSession) -> str:
    return template.format(
        code=booking.code,
        queue=booking.queue_number,
        start=when(item),
        end=f"{_local(item.ends_at):%H:%M}",
        place=item.place,
        receiver=f"{item.receiver_title} {item.receiver_name}".strip(),
    )


def reminder_prefix(booking: Booking) -> str:
    """The start of every reminder key of a booking, to withdraw them all at once."""
    return f"booking:{booking.id}:"


def _reminder_keys(booking: Booking, item: ReceptionSession) -> list[str]:
    # The session's start is in the key: a moved session gets fresh reminders even if the
    # old ones went out already.
    start = f"{item.starts_at.astimezone(VN_TZ):%Y%m%d%H%M}"
    return [f"{reminder_prefix(booking)}{item.id}:{start}:{lead}" for lead in ("eve", "morning")]


async def schedule_reminders(
    session: AsyncSession, booking: Booking, item: ReceptionSession, now: datetime
) -> None:
    start = _local(item.starts_at)
    eve = datetime.combine(start.date() - timedelta(days=1), EVE_AT, tzinfo=VN_TZ)
    morning = datetime.combine(start.date(), MORNING_AT, tzinfo=VN_TZ)
    values = {
        "start": f"{start:%H:%M}",
        "place": item.place,
        "code": booking.code,
        "queue": booking.queue_number,
    }
    plans = (
        (eve, texts.REMINDER_EVE.format(**values)),
        (morning, texts.REMINDER_MORNING.format(**values)),
    )
    for key, (due, message) in zip(_reminder_keys(booking, item), plans, strict=True):
        if now < due < start:
            await outbox.enqueue(
                session,
                booking.channel,
                booking.chat_id,
                Reply(message).to_json(),
                now,
                key,
                due=due,
            )


def start_walk_in(state: ChatState, unit_id: int, kind: str) -> Reply:
    """An official records a citizen received at the desk: the same questions, no booking."""
    state.flow = FLOW
    state.data = {"walk_in": kind, "unit_id": unit_id}
    return _ask(state, "name")


async def _save_walk_in(
    session: AsyncSession, state: ChatState, actor: Actor, now: datetime
) -> Reply:
    data = state.data
    state.flow = state.step = None
    state.data = {}
    if not actor.is_staff:  # the role is checked again when the line is written
        return with_menu(texts.FORBIDDEN)
    walk_in = WalkIn(
        unit_id=int(data["unit_id"]),
        kind=str(data["walk_in"]),
        day=now.astimezone(VN_TZ).date(),
        name=data["name"],
        phone=data["phone"],
        address=data["address"],
        matter=data["matter"],
        summary=data["summary"],
        group=int(data["group"]),
    )
    booking = await record_walk_in(session, actor, walk_in, now, walk_in_code())
    return Reply(
        texts.WALK_IN_SAVED.format(code=booking.code, queue=booking.queue_number),
        (Button(texts.STAFF_RECEPTION, "staff:reception"), BACK),
    )


async def release(session: AsyncSession, booking: Booking, status: str, now: datetime) -> None:
    booking.status = status
    booking.updated_at = now
    session.add(booking)
    await rows.release_place(session, booking.session_id)
    await outbox.withdraw_prefix(session, reminder_prefix(booking))


async def _move(session: AsyncSession, state: ChatState, actor: Actor, now: datetime) -> Reply:
    old = await own_booking(session, actor, str(state.data["moving"]))
    if old is None:
        return _quit(state, texts.BOOKING_GONE)
    new_id = int(state.data["session_id"])
    if new_id == old.session_id:
        state.flow = state.step = None
        state.data = {}
        return with_menu(texts.BOOKING_SAME_SESSION.format(code=old.code, queue=old.queue_number))
    queue = await rows.take_place(session, new_id, now)
    if queue is None:
        reply = await start(session, state, actor, now, old.code)
        return Reply(texts.SESSION_FULL + "\n" + reply.text, reply.buttons)
    await outbox.withdraw_prefix(session, reminder_prefix(old))
    await rows.release_place(session, old.session_id)
    old.session_id, old.queue_number, old.updated_at = new_id, queue, now
    session.add(old)
    item = await session.get(ReceptionSession, new_id)
    assert item is not None
    await schedule_reminders(session, old, item, now)
    state.flow = state.step = None
    state.data = {}
    return with_menu(_confirmation(texts.BOOKING_MOVED, old, item))
