"""Tiếp công dân for citizens: book a place in a session, see, cancel and move bookings.

The booking flow keeps its answers in the conversation state (so a restart loses nothing) and
writes nothing until the citizen consents; the place is then taken by one conditional UPDATE
(capacity can never be exceeded), the booking row and its two reminders are written in the same
transaction.

Size (about 720 lines): the form's fields (run by handlers/forms.py), the session choice before
them (paged, or found by a typed day), the read-back, the booking transaction, its reminders
and the walk-in record share the answers' shape and are read together; a citizen's own
bookings, the schedule and the figures live beside it (bookings.py, schedule.py, figures.py).
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox
from db import reception as rows
from db.conversations import ChatState
from db.models import Booking, Person, ReceptionSession
from handlers import returning, texts, words
from handlers.access import Actor
from handlers.clock import VN_TZ, format_datetime
from handlers.contract import Button, Incoming, Reply
from handlers.forms import (
    Choice,
    Field,
    Form,
    Invalid,
    phone_or_none,
    read_address,
    read_name,
    read_people,
    text_between,
)
from handlers.menu import BACK, MENU_BOOK, MENU_MINE, MENU_RECEPTION_INFO, with_menu
from handlers.petitions.routing import shield_leaders_from_booking
from handlers.reception.figures import GROUP_FROM
from handlers.reception.walk_in import WalkIn
from handlers.reception.walk_in import record as record_walk_in
from handlers.spoken_dates import read_wanted_day
from handlers.units.pick import address_note
from knowledge.normalize import ascii_int, fold

FLOW = "booking"
# Where drafts.py keeps a form set aside (the key is shared, the module imports this one).
DRAFT = "draft"
PREFIX = "rc:"
SESSION_PREFIX = "rc:s:"
PAGE_PREFIX = "rc:page:"
MATTER_PREFIX = "rc:m:"
CANCEL_PREFIX = "rc:cancel:"
CANCEL_YES_PREFIX = "rc:cancelyes:"
MOVE_PREFIX = "rc:move:"
CONSENT_YES = "rc:yes"
CONSENT_NO = "rc:no"
USE_PREVIOUS = "rc:prev"
NO_PHONE = "rc:nophone"
SAVE_WALK_IN = "rc:save"
CHANGE_SESSION = "rc:edit:session"
NOT_ME = "rc:notme"
# Recorded with each consent, so what the citizen agreed to can be shown later.
CONSENT_VERSION = "2026-11"
MAX_OPEN_BOOKINGS = 2
WALK_IN_KIND = "staff:rc:wk:"
# Channel of a register line an official wrote for a citizen received at the desk.
DESK = "desk"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
# Sessions offered in one list, and how many upcoming ones are looked at to choose them.
SHOWN, LOOKED_AT = 8, 60
# Where the page of the session list and the receiver asked for are kept in the state.
PAGE, PREFER = "page", "prefer"
# At the session list, a message naming a day this short chooses by day; a longer one is a
# new request.
DAY_WORDS = 8
EVE_AT = time(8, 0)
MORNING_AT = time(6, 30)


def _matter(typed: str, today: date) -> Invalid:
    # Only a button or a type's name answers this step (the form engine reads those).
    return Invalid(texts.ASK_MATTER)


FORM = Form(
    PREFIX,
    {
        asked.key: asked
        for asked in (
            Field("name", texts.BOOKING_FIELDS["name"], texts.ASK_NAME, read_name, also=("phone",)),
            Field(
                "phone",
                texts.BOOKING_FIELDS["phone"],
                texts.ASK_PHONE,
                phone_or_none,
                (Choice(texts.NO_PHONE, NO_PHONE, "", shown=texts.NO_PHONE_SHOWN),),
                ask_contact=True,
            ),
            Field("address", texts.BOOKING_FIELDS["address"], texts.ASK_ADDRESS, read_address),
            Field(
                "matter",
                texts.BOOKING_FIELDS["matter"],
                texts.ASK_MATTER,
                _matter,
                tuple(
                    Choice(label, f"{MATTER_PREFIX}{key}", key)
                    for key, label in texts.MATTER_KINDS.items()
                ),
            ),
            Field(
                "summary",
                texts.BOOKING_FIELDS["summary"],
                texts.ASK_SUMMARY,
                text_between(10, 1000, texts.BAD_SUMMARY),
            ),
            Field("group", texts.BOOKING_FIELDS["group"], texts.ASK_GROUP, read_people),
        )
    },
)
# The same fields, asked of the official about the person at the desk.
WALK_IN_FORM = Form(
    PREFIX,
    {key: replace(asked, prompt=texts.WALK_IN_ASK[key]) for key, asked in FORM.fields.items()},
)
# The number of people is 1 unless changed in the read-back ("Sửa một mục"); an official
# recording a walk-in is asked it after the summary.
# The matter comes first: a tố cáo is known before the person gives their name, so every turn
# that identifies a denouncer is hidden from the history a shared computer shows back.
CITIZEN_STEPS = ("matter", "name", "phone", "address", "summary")
WALK_IN_STEPS = (*CITIZEN_STEPS, "group")


def takes_numbers(state: ChatState) -> bool:
    """At this step a typed number is an answer (how many people), not a menu choice."""
    return state.flow == FLOW and state.step == "group"


def files_denunciation(state: ChatState) -> bool:
    """A booking to tố cáo: what the person types next identifies them or whom they accuse."""
    return state.flow == FLOW and state.data.get("matter") == "to_cao"


def _form(state: ChatState) -> Form:
    return WALK_IN_FORM if state.data.get("walk_in") else FORM


def walk_in_kinds() -> Reply:
    """The official's first question: in which kind of reception the person was received."""
    kinds = tuple(
        Button(label, f"{WALK_IN_KIND}{kind}") for kind, label in texts.RECEPTION_KINDS.items()
    )
    return Reply(texts.WALK_IN_KIND, (*kinds, BACK))


def _steps(state: ChatState) -> tuple[str, ...]:
    return WALK_IN_STEPS if state.data.get("walk_in") else CITIZEN_STEPS


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
    choices = await _choices(session, actor, now, prefer)
    if not choices:
        state.flow = state.step = None
        return with_menu(texts.NO_SESSIONS)
    state.flow, state.step = FLOW, "session"
    if keep:
        state.data["choosing_again"] = True
    elif moving:
        # Moving a booking is not a form: a draft set aside waits through it.
        state.data = {"moving": moving, **_waiting_draft(state)}
    else:
        state.data = {}
    state.data.pop(PAGE, None)
    state.data.pop(PREFER, None)
    if prefer:
        state.data[PREFER] = prefer
    return _listing(state, choices)


async def _choices(
    session: AsyncSession, actor: Actor, now: datetime, prefer: str | None
) -> list[ReceptionSession]:
    # Looked for further ahead than is shown: the chairman's sessions asked for may come after
    # a week of daily ones, and the later pages are turned through the same list.
    choices = list(await rows.bookable(session, await _scope(session, actor), now, LOOKED_AT))
    if prefer:
        choices.sort(key=lambda item: prefer not in fold(item.receiver_title))
    return choices


async def _sessions(session: AsyncSession, state: ChatState, actor: Actor, now: datetime) -> Reply:
    """The page of the session list the conversation stands at (its number is in the state)."""
    choices = await _choices(session, actor, now, state.data.get(PREFER))
    if not choices:
        state.flow = state.step = None
        return with_menu(texts.NO_SESSIONS)
    return _listing(state, choices)


def _session_button(item: ReceptionSession) -> Button:
    start = _local(item.starts_at)
    label = texts.SESSION_BUTTON.format(
        day=f"{start:%d/%m}", start=f"{start:%H:%M}", receiver_title=item.receiver_title
    )
    return Button(label, f"{SESSION_PREFIX}{item.id}")


def _closing(state: ChatState) -> tuple[Button, ...]:
    # Choosing again from the read-back: "Quay lại" returns to it with nothing lost.
    back = (Button(texts.BACK_STEP, FORM.back),) if state.data.get("choosing_again") else ()
    return (*back, Button(texts.QUIT_FLOW, FORM.quit))


def _listing(state: ChatState, choices: list[ReceptionSession]) -> Reply:
    pages = -(-len(choices) // SHOWN)
    page = min(max(int(state.data.get(PAGE, 0)), 0), pages - 1)
    if page:
        state.data[PAGE] = page
    else:
        state.data.pop(PAGE, None)
    shown = choices[page * SHOWN : (page + 1) * SHOWN]
    moving = state.data.get("moving")
    prompt = texts.PICK_NEW_SESSION.format(code=moving) if moving else texts.PICK_SESSION
    lines = [prompt] + [f"- {describe(item)}" for item in shown]
    if pages > 1:
        lines.append(texts.SESSIONS_PAGE.format(page=page + 1, pages=pages))
    # After the sessions, so the numbers typed on a text-only channel stay 1 to 8 on every page.
    turns = (
        *((Button(texts.LATER_SESSIONS, f"{PAGE_PREFIX}{page + 1}"),) if page + 1 < pages else ()),
        *((Button(texts.EARLIER_SESSIONS, f"{PAGE_PREFIX}{page - 1}"),) if page else ()),
    )
    buttons = tuple(_session_button(item) for item in shown)
    return Reply("\n".join(lines), (*buttons, *turns, *_closing(state)))


def page_buttons() -> list[Button]:
    """Every paging button the session list can offer (their labels may be typed)."""
    pages = range(-(-LOOKED_AT // SHOWN))
    return [
        Button(label, f"{PAGE_PREFIX}{page}")
        for page in pages
        for label in (texts.LATER_SESSIONS, texts.EARLIER_SESSIONS, texts.ALL_SESSIONS)
    ]


def names_a_day(typed: str, now: datetime) -> bool:
    """At the session list, a short message naming a day ("ngay 14/12") chooses by day."""
    today = now.astimezone(VN_TZ).date()
    return len(typed.split()) <= DAY_WORDS and read_wanted_day(typed, today) is not None


async def _on_day(
    session: AsyncSession, state: ChatState, actor: Actor, now: datetime, day: date
) -> Reply:
    """The sessions of a typed day; none, the nearest ones before and after it."""
    scope = await _scope(session, actor)
    start = datetime.combine(day, time(0, 0), tzinfo=VN_TZ)
    end = start + timedelta(days=1)
    shown = f"{day:%d/%m/%Y}"
    found = await rows.bookable(session, scope, now, SHOWN, start=start, end=end)
    everything = (Button(texts.ALL_SESSIONS, f"{PAGE_PREFIX}{state.data.get(PAGE, 0)}"),)
    if len(found) == 1:
        text = texts.SESSION_ON_DAY.format(day=shown, line=describe(found[0]))
    elif found:
        lines = [f"- {describe(item)}" for item in found]
        text = "\n".join([texts.SESSIONS_ON_DAY.format(day=shown, count=len(found)), *lines])
    else:
        before = await rows.bookable(session, scope, now, 1, end=start, latest_first=True)
        after = await rows.bookable(session, scope, now, 1, start=end)
        found = [*before, *after]
        past = day < now.astimezone(VN_TZ).date()
        lines = [(texts.DAY_PASSED if past else texts.NO_SESSION_ON_DAY).format(day=shown)]
        lines += [texts.NEAREST_BEFORE.format(line=describe(item)) for item in before]
        lines += [texts.NEAREST_AFTER.format(line=describe(item)) for item in after]
        text = "\n".join(lines if found else [*lines, texts.NO_SESSION_NEAR])
    buttons = tuple(_session_button(item) for item in found)
    return Reply(text, (*buttons, *everything, *_closing(state)))


def _ask(state: ChatState, step: str) -> Reply:
    if step == "name" and not state.data.get("walk_in"):
        prompt, reuse = returning.offer(state, texts.ASK_NAME, USE_PREVIOUS, NOT_ME)
        return _form(state).ask(state, step, extra=reuse, prompt=prompt)
    return _form(state).ask(state, step)


async def _ask_consent(session: AsyncSession, state: ChatState) -> Reply:
    state.step = "consent"
    data = state.data
    if data.get("walk_in"):
        fields = WALK_IN_FORM.lines(data, WALK_IN_STEPS)
        return Reply(
            texts.WALK_IN_READ_BACK.format(fields="\n".join(f"- {line}" for line in fields)),
            (
                Button(texts.WALK_IN_SAVE, SAVE_WALK_IN),
                Button(texts.EDIT_ONE, FORM.edit),
                *FORM.controls(),
            ),
        )
    chosen = await session.get(ReceptionSession, int(data["session_id"]))
    # A denouncer's identity is not echoed back: replies are kept (inbox, outbox) for a while.
    secret = ("name", "phone", "address") if data["matter"] == "to_cao" else ()
    fields = FORM.lines(data, WALK_IN_STEPS, withheld=secret)
    text = texts.ASK_CONSENT.format(
        group_rule=texts.GROUP_RULE if int(data["group"]) >= GROUP_FROM else "",
        session=describe(chosen) if chosen else "?",
        fields="\n".join(f"- {line}" for line in fields),
    )
    return Reply(
        text,
        (
            Button(texts.CONSENT_YES, CONSENT_YES),
            Button(texts.EDIT_ONE, FORM.edit),
            Button(texts.CONSENT_NO, CONSENT_NO),
            *FORM.controls(),
        ),
    )


async def resume(session: AsyncSession, state: ChatState, actor: Actor, now: datetime) -> Reply:
    """The question of the step the booking stands at, asked again (nothing typed is lost)."""
    step = state.step or "session"
    if step == "session":
        return await _sessions(session, state, actor, now)
    if step == "consent":
        return await _ask_consent(session, state)
    return _ask(state, step)


def _waiting_draft(state: ChatState) -> dict[str, object]:
    return {DRAFT: state.data[DRAFT]} if DRAFT in state.data else {}


def _quit(state: ChatState, text: str = texts.BOOKING_QUIT) -> Reply:
    moving, walk_in = state.data.get("moving"), state.data.get("walk_in")
    state.flow = state.step = None
    state.data = _waiting_draft(state) if moving else {}
    if walk_in:
        return Reply(texts.WALK_IN_QUIT, (Button(texts.STAFF_RECEPTION, "staff:reception"), BACK))
    return with_menu(texts.BOOKING_MOVE_QUIT.format(code=moving) if moving else text)


async def _back(session: AsyncSession, state: ChatState, actor: Actor, now: datetime) -> Reply:
    if state.step == "session" and state.data.pop("choosing_again", None):
        return await _ask_consent(session, state)
    if state.step == "consent":
        return _ask(state, _steps(state)[-1])
    earlier = FORM.previous(state, _steps(state))
    if earlier is not None:
        return _ask(state, earlier)
    if state.data.get("walk_in"):
        state.flow = state.step = None
        state.data = {}
        return walk_in_kinds()
    return await start(session, state, actor, now, state.data.get("moving"))


async def text(
    session: AsyncSession,
    state: ChatState,
    actor: Actor,
    incoming: Incoming,
    raw: str,
    now: datetime,
) -> Reply:
    """A typed answer at the current step (or a shared contact on Telegram)."""
    if words.means(raw, words.BACK):
        return await _back(session, state, actor, now)
    step = state.step or ""
    if step == "session":
        if names_a_day(raw, now):
            day = read_wanted_day(raw, now.astimezone(VN_TZ).date())
            assert day is not None
            return await _on_day(session, state, actor, now, day)
        offered = [p for p in state.offered if p.startswith(SESSION_PREFIX)]
        if len(offered) == 1 and words.means(raw, words.YES):
            # "đúng" to the one session of the day typed: as if it were tapped.
            return (await press(session, state, actor, incoming, offered[0], now))[0]
        # The list again, with its buttons: a typed number then picks a session, never "Huỷ".
        listed = await resume(session, state, actor, now)
        return Reply(texts.PICK_SESSION_AGAIN + "\n" + listed.text, listed.buttons)
    if step == "consent":
        if not words.means(raw, words.YES):
            return await _ask_consent(session, state)
        if state.data.get("walk_in"):
            return await _save_walk_in(session, state, actor, now)
        return await _book(session, state, actor, incoming, now)
    form = _form(state)
    if step not in form.fields:
        return _quit(state)
    today = now.astimezone(VN_TZ).date()
    value = form.read(step, raw, today, incoming.contact_phone)
    if isinstance(value, Invalid):
        return form.retry(step, value)
    also = form.read_also(step, raw, today)
    return await _answered(session, state, actor, step, value, now, also)


async def _answered(
    session: AsyncSession,
    state: ChatState,
    actor: Actor,
    step: str,
    value: str | int,
    now: datetime,
    also: dict[str, Any] | None = None,
) -> Reply:
    """Keep an answer (and any later one given with it) and ask the next question, or go on to
    the read-back."""
    following = FORM.store(state, step, value, _steps(state), also)
    if following is not None:
        reply = _ask(state, following)
    else:
        state.data.setdefault("group", 1)
        reply = await _ask_consent(session, state)
    # An old address ("xã Tân Tiến, huyện Đồng Phú") is said back as today's unit.
    note = await address_note(session, str(value)) if step == "address" else None
    if note is None:
        return reply
    return Reply(f"{note}\n\n{reply.text}", reply.buttons, ask_contact=reply.ask_contact)


async def press(
    session: AsyncSession,
    state: ChatState,
    actor: Actor,
    incoming: Incoming,
    payload: str,
    now: datetime,
) -> list[Reply]:
    """A booking button (checked as offered by the caller)."""
    if payload == FORM.quit:
        return [_quit(state)]
    if payload == FORM.back:
        return [await _back(session, state, actor, now)]
    if payload == CONSENT_NO:
        return [_quit(state, texts.CONSENT_REFUSED)]
    if payload.startswith(PAGE_PREFIX) and state.flow == FLOW and state.step == "session":
        # The page is in the payload, not "one further": a second press changes nothing.
        state.data[PAGE] = ascii_int(payload.removeprefix(PAGE_PREFIX), LOOKED_AT) or 0
        return [await _sessions(session, state, actor, now)]
    if payload.startswith(SESSION_PREFIX) and state.flow == FLOW:
        state.data["session_id"] = int(payload.removeprefix(SESSION_PREFIX))
        state.data.pop(PAGE, None)
        state.data.pop(PREFER, None)
        if state.data.get("moving"):
            return [await _move(session, state, actor, now)]
        if state.data.pop("choosing_again", False) and "summary" in state.data:
            return [await _ask_consent(session, state)]
        await returning.note(session, state, actor.person_id)
        return [_ask(state, CITIZEN_STEPS[0])]
    if payload == USE_PREVIOUS and state.flow == FLOW and state.step == "name":
        if await returning.fill(session, state, actor.person_id):
            return [_ask(state, "summary")]
        return [_ask(state, "name")]
    if payload == NOT_ME and state.flow == FLOW:
        returning.refuse(state)
        return [_ask(state, "name")]
    if payload == SAVE_WALK_IN and state.step == "consent" and state.data.get("walk_in"):
        return [await _save_walk_in(session, state, actor, now)]
    chosen = _form(state).chosen(state, payload) if state.flow == FLOW else None
    if chosen is not None:
        return [await _answered(session, state, actor, state.step or "", chosen, now)]
    at_read_back = state.flow == FLOW and state.step == "consent"
    if at_read_back and payload == CHANGE_SESSION and not state.data.get("walk_in"):
        return [await start(session, state, actor, now, keep=True)]
    if at_read_back and payload.startswith(FORM.edit_prefix):
        changing = _form(state).change(state, payload, WALK_IN_STEPS)
        if changing is not None:
            return [changing]
    if at_read_back and payload == FORM.edit:
        fields = _form(state).pick_field(WALK_IN_STEPS)
        if state.data.get("walk_in"):
            return [fields]
        return [Reply(fields.text, (Button(texts.SESSION_FIELD, CHANGE_SESSION), *fields.buttons))]
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
    await shield_leaders_from_booking(session, booking, chosen, now)
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
    return _ask(state, WALK_IN_STEPS[0])


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
        state.data = _waiting_draft(state)
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
    state.data = _waiting_draft(state)
    return with_menu(_confirmation(texts.BOOKING_MOVED, old, item))
