"""Đơn thư for officials: the queue by due date, the case, its steps, pushes to the citizen.

Reached through ``staff.press`` (role checked on every press); a case is visible only to
officials of its unit or a parent unit. The filer of a tố cáo is shown to the assigned handler
only, and each showing of a filer's identity is audited (Luật Tố cáo 25/2018, Điều 8, 47, 56).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, outbox, people
from db.conversations import ChatState
from db.engine import SessionFactory
from db.models import Petition, PetitionEvent, PetitionParty, Unit
from handlers import texts, words
from handlers.access import (
    ADMIN,
    Actor,
    audit_by,
    person_label,
    scope,
    stated_reason,
    units_under,
)
from handlers.clock import VN_TZ, Clock
from handlers.contract import Button, Reply
from handlers.menu import BACK
from handlers.petitions.filing import FIRST_STEP, REGISTERED, due_text, new_code, rule_book
from handlers.petitions.routing import route, shield_leaders
from handlers.petitions.rules import Due, facts, rule_kind
from handlers.recipients import addresses
from handlers.staff import accounts as staff_accounts
from handlers.units import official_address
from knowledge.normalize import ascii_int, fold

PREFIX = "staff:pt:"
QUEUE = "staff:petitions"
FLOW = "pt-note"
SATISFACTION_PREFIX = "pt:sat:"
RECEIVED, PRELIMINARY, ACCEPTED, IN_PROGRESS = (
    "tiep_nhan",
    "xu_ly_ban_dau",
    "thu_ly",
    "dang_giai_quyet",
)
REJECTED, TRANSFERRED, EXTENDED = "khong_thu_ly", "chuyen", "gia_han"
# A tố cáo outside the unit's competence, to be transferred (Luật Tố cáo Điều 24 khoản 2).
AWAITING_TRANSFER = "cho_chuyen"
SUSPENDED, STOPPED, RESOLVED, CLOSED, WITHDRAWN = (
    "tam_dinh_chi",
    "dinh_chi",
    "da_giai_quyet",
    "dong",
    "rut_don",
)
FINAL = frozenset({REJECTED, TRANSFERRED, STOPPED, CLOSED, WITHDRAWN, "thong_tin"})
# Which steps each status allows, and the button for each.
_BEFORE_ACCEPTING = ("acc", REJECTED, "outside", TRANSFERRED, "places", "kyluat")
_WHILE_RESOLVING = (
    RESOLVED,
    EXTENDED,
    SUSPENDED,
    STOPPED,
    "complex",
    "vcomplex",
    "remote",
    "kyluat",
    "thoiviec",
)
ACTIONS: dict[str, tuple[str, ...]] = {
    REGISTERED: ("recv",),
    RECEIVED: _BEFORE_ACCEPTING,
    PRELIMINARY: _BEFORE_ACCEPTING,
    AWAITING_TRANSFER: (TRANSFERRED,),
    ACCEPTED: _WHILE_RESOLVING,
    IN_PROGRESS: _WHILE_RESOLVING,
    EXTENDED: (RESOLVED, EXTENDED, SUSPENDED, STOPPED, "vcomplex"),
    SUSPENDED: ("acc", STOPPED),
    RESOLVED: ("close",),
}
# Facts an official records once (a button each), the kinds they apply to, and the field.
FACT_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "complex": (frozenset({"khieu_nai", "to_cao"}), "complex_case"),
    "vcomplex": (frozenset({"to_cao"}), "very_complex"),
    "remote": (frozenset({"khieu_nai"}), "remote_area"),
    "kyluat": (frozenset({"khieu_nai"}), "disciplinary"),
    "thoiviec": (frozenset({"khieu_nai"}), "dismissal"),
    "places": (frozenset({"to_cao"}), "several_places"),
}
LABELS = {
    "recv": texts.PT_RECEIVED,
    "acc": texts.PT_ACCEPT,
    REJECTED: texts.PT_REJECT,
    TRANSFERRED: texts.PT_TRANSFER,
    EXTENDED: texts.PT_EXTEND,
    SUSPENDED: texts.PT_SUSPEND,
    STOPPED: texts.PT_STOP,
    RESOLVED: texts.PT_RESULT,
    "close": texts.PT_CLOSE,
    "complex": texts.PT_COMPLEX,
    "remote": texts.PT_REMOTE,
    "vcomplex": texts.PT_VERY_COMPLEX,
    "kyluat": texts.PT_DISCIPLINARY,
    "thoiviec": texts.PT_DISMISSAL,
    "places": texts.PT_SEVERAL_PLACES,
    "outside": texts.PT_OUTSIDE,
}


# Steps an admin completes by typing a reason (the prompt, asked again if it is too short).
REASONED = {"reveal": texts.PT_REVEAL_ASK, "take": texts.PT_TAKE_REASON_ASK}


def offered(petition: Petition) -> tuple[str, ...]:
    """The steps this case allows now: by status, by kind, and as its rules allow."""
    shown = []
    for action in ACTIONS.get(petition.status, ()):
        if action in FACT_ACTIONS:
            kinds, field = FACT_ACTIONS[action]
            if petition.kind not in kinds or getattr(petition, field):
                continue
        if action == "outside" and petition.kind != "to_cao":
            continue
        # Buộc thôi việc matters only to a disciplinary complaint, which has no remote variant.
        if action == "thoiviec" and not petition.disciplinary:
            continue
        if action == "remote" and petition.disciplinary:
            continue
        if action == EXTENDED and petition.extensions >= _extensions_allowed(petition):
            continue
        shown.append(action)
    return tuple(shown)


def _extensions_allowed(petition: Petition) -> int:
    """Luật Tố cáo Điều 30: one extension for a complex case, two for a particularly complex
    one; the Luật Khiếu nại has none (a complex case has a longer period instead)."""
    if petition.accepted_at is None:
        return 0
    rule = rule_book().rule(
        rule_kind(petition), "resolve", _day(petition.accepted_at), petition.second_round
    )
    return rule.allowed_extensions(facts(petition)) if rule else 0


def _day(moment: datetime) -> date:
    return moment.astimezone(VN_TZ).date()


def handles(payload: str) -> bool:
    return payload == QUEUE or payload.startswith(PREFIX)


async def _case(session: AsyncSession, actor: Actor, petition_id: int) -> Petition | None:
    """A case the official may see: in their scope, and not one they are accused in."""
    petition = await session.get(Petition, petition_id)
    if petition is None or petition.unit_id not in await scope(session, actor):
        return None
    if await accused.is_marked(session, accused.PETITION, petition_id, actor.person_id):
        return None
    return petition


def due_words(petition: Petition, today: date) -> str:
    if petition.due_date is None:
        return texts.NO_DUE
    days = (petition.due_date - today).days
    if days > 0:
        words = texts.DAYS_LEFT.format(days=days)
    elif days == 0:
        words = texts.DUE_TODAY
    else:
        words = texts.DAYS_LATE.format(days=-days)
    return words + (texts.PETITION_ESTIMATE if petition.due_estimated else "")


def queue_line(petition: Petition, today: date) -> str:
    """A case in a list: never the filer's name, whatever the kind."""
    return texts.STAFF_PETITION_LINE.format(
        code=petition.code,
        kind=texts.PETITION_KIND_NAMES.get(petition.kind, petition.kind),
        source=texts.PETITION_SOURCES.get(petition.source, petition.source),
        status=texts.PETITION_STATUS_NAMES.get(petition.status, petition.status),
        due=due_words(petition, today),
    )


async def press(
    session: AsyncSession, state: ChatState, actor: Actor, payload: str, now: datetime
) -> Reply:
    today = now.astimezone(VN_TZ).date()
    if payload == QUEUE:
        return await _queue(session, actor, today)
    action, _, number = payload.removeprefix(PREFIX).partition(":")
    number, _, person_text = number.partition(":")
    petition_id = ascii_int(number)
    petition = await _case(session, actor, petition_id) if petition_id is not None else None
    if petition is None:
        return Reply(texts.STALE_BUTTON, (BACK,))
    if action == "v":
        return await _detail(session, actor, petition, today, now)
    if action in ("take", "assign_to"):
        assignee = actor.person_id if action == "take" else ascii_int(person_text)
        if petition.kind == "to_cao" and not actor.has(ADMIN):
            # Whoever handles a tố cáo sees the denouncer: an admin chooses who, or else the
            # first official to press (the accused, perhaps) would.
            audit_by(session, actor, "petition.take_refused", now, target=petition.code)
            return Reply(texts.PT_TAKE_REFUSED, _back_to(petition))
        if assignee is None or not await _may_handle(session, petition, assignee):
            return Reply(texts.STALE_BUTTON, _back_to(petition))
        held = petition.handler_person_id not in (None, assignee)
        if petition.kind == "to_cao" and held:
            state.flow, state.step = FLOW, "take"
            state.data = {"petition": petition.id, "assignee": assignee}
            return Reply(texts.PT_TAKE_REASON_ASK, _back_to(petition))
        return await _assign(session, actor, petition, assignee, now)
    if action == "assign":
        if not actor.has(ADMIN):
            return Reply(texts.FORBIDDEN, _back_to(petition))
        return await _pick_handler(session, actor, petition)
    if action in ("acc_pick", "acc_mark"):
        if petition.kind != "to_cao" or not _handles(actor, petition):
            return Reply(texts.FORBIDDEN, _back_to(petition))
        if action == "acc_pick":
            return await _pick_accused(session, actor, petition)
        return await _mark_accused(session, actor, petition, ascii_int(person_text), now)
    if action == "reveal":
        if not actor.has(ADMIN):
            audit_by(session, actor, "petition.reveal_refused", now, target=petition.code)
            return Reply(texts.FORBIDDEN, _back_to(petition))
        state.flow, state.step, state.data = FLOW, "reveal", {"petition": petition.id}
        return Reply(texts.PT_REVEAL_ASK, _back_to(petition))
    if action not in offered(petition):
        return Reply(texts.PT_NOT_ALLOWED, _back_to(petition))
    if action in texts.PT_ASK_NOTE:
        state.flow, state.step, state.data = FLOW, action, {"petition": petition.id}
        return Reply(texts.PT_ASK_NOTE[action], _back_to(petition))
    return await apply(session, actor, petition, action, "", now)


async def text(
    session: AsyncSession, state: ChatState, actor: Actor, typed: str, now: datetime
) -> Reply:
    """The reason, body or result an official types for the step they chose."""
    action = state.step or ""
    asked = (state.flow, state.step, dict(state.data))
    petition_id = int(state.data.get("petition", 0))
    assignee = int(state.data.get("assignee", actor.person_id))
    state.flow = state.step = None
    state.data = {}
    petition = await _case(session, actor, petition_id) if actor.is_staff else None
    if petition is not None and action in REASONED and actor.has(ADMIN):
        if words.means(typed, words.QUIT):
            return Reply(texts.REVEAL_DROPPED, _back_to(petition))
        reason = stated_reason(typed)
        if reason is None:
            # Still waiting for the reason: nothing is shown or changed without one.
            state.flow, state.step, state.data = asked
            return Reply(texts.REASON_TOO_SHORT + REASONED[action], _back_to(petition))
        if action == "reveal":
            return await _reveal(session, actor, petition, reason, now)
        return await _assign(session, actor, petition, assignee, now, reason)
    if petition is None or action not in offered(petition):
        return Reply(texts.STALE_BUTTON, (BACK,))
    return await apply(session, actor, petition, action, " ".join(typed.split())[:1000], now)


async def apply(
    session: AsyncSession,
    actor: Actor,
    petition: Petition,
    action: str,
    note: str,
    now: datetime,
) -> Reply:
    """One step of the case: status, dates, history, and the citizen told on their channel."""
    status = action
    extra = ""
    if action == "recv":
        status = RECEIVED
        petition.received_at = now
    elif action == "acc":
        status = IN_PROGRESS
        if petition.suspended_at is not None:
            # Back from a suspension: those days are not counted (Luật Tố cáo Điều 34 khoản 2).
            petition.suspended_days += (_day(now) - _day(petition.suspended_at)).days
            petition.suspended_at = None
        if petition.accepted_at is None:
            petition.accepted_at = now
            extra = _accept_notice(petition)
    elif action in FACT_ACTIONS:
        setattr(petition, FACT_ACTIONS[action][1], True)
        status = petition.status
    elif action == "outside":
        status = AWAITING_TRANSFER
    elif action == SUSPENDED:
        petition.suspended_at = now
    elif action == EXTENDED:
        petition.extensions += 1
    elif action == RESOLVED:
        petition.result = note
        extra = _appeal_window(petition, now)
    elif action == "close":
        status = CLOSED
        petition.closed_at = now
    petition.status = status
    if action in ("recv", "acc", "outside", SUSPENDED, EXTENDED, *FACT_ACTIONS):
        redate(petition)
    petition.updated_at = now
    session.add(petition)
    event = PetitionEvent(
        petition_id=petition.id or 0, at=now, actor=actor.label, status=status, note=note
    )
    session.add(event)
    await session.flush()
    audit_by(session, actor, f"petition.{status}", now, target=petition.code)
    await _tell_citizen(session, petition, status, note, event.id, now, extra)
    return Reply(
        texts.PT_DONE.format(
            code=petition.code, status=texts.PETITION_STATUS_NAMES.get(status, status)
        ),
        _back_to(petition),
    )


def redate(petition: Petition) -> None:
    """The due date of the step the case stands at, under the rules and facts recorded."""
    if petition.received_at is None:
        return
    book, kind, known = rule_book(), rule_kind(petition), facts(petition)
    due: Due | None
    if petition.accepted_at is not None:
        accepted = _day(petition.accepted_at)
        if petition.suspended_at is not None:
            rule = book.rule(kind, "resolve", accepted, petition.second_round)
            if rule is not None and rule.pause_when_suspended:
                # The clock is stopped: no due date until the case resumes.
                petition.due_date = None
                return
        due = book.due(
            kind,
            "resolve",
            accepted,
            second_round=petition.second_round,
            facts=known,
            extensions=petition.extensions,
            suspended_days=petition.suspended_days,
        )
    else:
        first = FIRST_STEP.get(petition.kind, "answer")
        step = "transfer" if petition.status == AWAITING_TRANSFER else first
        received = _day(petition.received_at)
        due = book.due(kind, step, received, second_round=petition.second_round, facts=known)
    petition.due_date = due.day if due else None
    petition.due_estimated = due.estimated if due else True


def _estimate(due: Due) -> str:
    return texts.PETITION_ESTIMATE if due.estimated else ""


def _accept_notice(petition: Petition) -> str:
    """A tố cáo's filer must be told of the thụ lý (Luật Tố cáo Điều 29 khoản 3)."""
    if petition.kind != "to_cao" or petition.accepted_at is None:
        return ""
    due = rule_book().due(petition.kind, "notify_accept", _day(petition.accepted_at))
    if due is None:
        return ""
    return texts.PT_ACCEPT_NOTICE.format(
        due=f"{due.day:%d/%m/%Y}", estimate=_estimate(due), rule=due.rule.public_citation
    )


def _appeal_window(petition: Petition, now: datetime) -> str:
    """After a first-round decision on a khiếu nại: until when a second complaint may be filed,
    counted from today in case the citizen receives the decision today."""
    if petition.kind != "khieu_nai" or petition.second_round:
        return ""
    due = rule_book().due(
        rule_kind(petition), "limit", _day(now), second_round=True, facts=facts(petition)
    )
    if due is None:
        return ""
    return texts.PT_APPEAL_WINDOW.format(
        days=due.rule.period(facts(petition)),
        end=f"{due.day:%d/%m/%Y}",
        estimate=_estimate(due),
        court="" if petition.disciplinary else texts.PT_APPEAL_COURT,
        rule=due.rule.public_citation,
    )


async def _tell_citizen(
    session: AsyncSession,
    petition: Petition,
    status: str,
    note: str,
    event_id: int | None,
    now: datetime,
    extra: str = "",
) -> None:
    if not petition.channel or not petition.chat_id:
        return
    message = texts.PETITION_UPDATE.format(
        code=petition.code,
        status=texts.PETITION_STATUS_NAMES.get(status, status),
        note=f" {note}." if note and status != EXTENDED else "",
        due=due_text(petition) if status not in FINAL | {RESOLVED} else "",
        extra=extra,
    )
    buttons: tuple[Button, ...] = ()
    if status == CLOSED:
        message += "\n" + texts.PT_SATISFACTION.format(code=petition.code)
        buttons = tuple(
            Button(label, f"{SATISFACTION_PREFIX}{answer}:{petition.id}")
            for label, answer in (
                (texts.PT_SATISFIED, "yes"),
                (texts.PT_UNSATISFIED, "no"),
                (texts.PT_REOPEN, "reopen"),
            )
        )
    await outbox.enqueue(
        session,
        petition.channel,
        petition.chat_id,
        Reply(message, buttons).to_json(),
        now,
        f"petition:{petition.id}:event:{event_id}",
    )


async def satisfaction(session: AsyncSession, actor: Actor, payload: str, now: datetime) -> Reply:
    """The citizen's answer to "hài lòng?" on a closed đơn (their own đơn only)."""
    answer, _, number = payload.removeprefix(SATISFACTION_PREFIX).partition(":")
    petition_id = ascii_int(number)
    petition = await session.get(Petition, petition_id) if petition_id is not None else None
    if petition is None or petition.person_id != actor.person_id or petition.status != CLOSED:
        return Reply(texts.STALE_BUTTON, (BACK,))
    if answer == "reopen":
        session.add(
            PetitionEvent(
                petition_id=petition.id or 0,
                at=now,
                actor=actor.label,
                status="de_nghi_xem_lai",
                note="",
            )
        )
        return Reply(texts.PT_REOPEN_NOTED.format(code=petition.code), (BACK,))
    petition.satisfied = answer == "yes"
    session.add(petition)
    return Reply(texts.PT_THANKS, (BACK,))


async def _reveal(
    session: AsyncSession, actor: Actor, petition: Petition, reason: str, now: datetime
) -> Reply:
    """An admin who is not the handler sees a denouncer's identity, with the reason recorded."""
    party = await session.get(PetitionParty, petition.id)
    audit_by(
        session,
        actor,
        "petition.filer_viewed",
        now,
        target=petition.code,
        after={"reason": reason, "by_admin": True},
    )
    shown = f"{party.full_name}, {party.phone}, {official_address(party.address)}" if party else "—"
    return Reply(texts.PT_REVEALED.format(party=shown), _back_to(petition))


async def _may_handle(session: AsyncSession, petition: Petition, person_id: int) -> bool:
    """Staff of the case's unit (or above it), and not accused in it."""
    assert petition.id is not None
    if await accused.is_marked(session, accused.PETITION, petition.id, person_id):
        return False
    grants = await people.active_roles(session, person_id)
    return petition.unit_id in await units_under(session, [grant.unit_id for grant in grants])


async def _assign(
    session: AsyncSession,
    actor: Actor,
    petition: Petition,
    assignee: int,
    now: datetime,
    reason: str = "",
) -> Reply:
    """The case gets its handler (audited). Taking a tố cáo from another handler needs the
    admin's reason; that handler is told, and so is an assignee who did not press."""
    previous = petition.handler_person_id
    petition.handler_person_id = assignee
    session.add(petition)
    after: dict[str, Any] = {"handler": assignee, **({"reason": reason} if reason else {})}
    audit_by(
        session,
        actor,
        "petition.assigned",
        now,
        target=petition.code,
        before={"handler": previous},
        after=after,
    )
    told = []
    if previous is not None and previous != assignee:
        notice = texts.PT_TAKEN_OVER.format(code=petition.code, reason=reason)
        told.append(("taken", previous, notice))
    if assignee != actor.person_id:
        told.append(("assigned", assignee, texts.PT_ASSIGNED.format(code=petition.code)))
    for event, person_id, notice in told:
        address = await _handler_address(session, person_id)
        if address is not None:
            button = Button(petition.code, f"{PREFIX}v:{petition.id}")
            await outbox.enqueue(
                session,
                address[0],
                address[1],
                Reply(notice, (button,)).to_json(),
                now,
                f"petition:{petition.id}:{event}:{person_id}:{now.timestamp():.0f}",
            )
    if assignee != actor.person_id:
        name = await person_label(session, assignee)
        return Reply(texts.PT_ASSIGNED_TO.format(code=petition.code, name=name), _back_to(petition))
    return await _detail(session, actor, petition, now.astimezone(VN_TZ).date(), now)


async def _pick_handler(session: AsyncSession, actor: Actor, petition: Petition) -> Reply:
    assert petition.id is not None
    skip = await accused.of(session, accused.PETITION, petition.id)
    if petition.handler_person_id is not None:
        skip.add(petition.handler_person_id)
    buttons = await staff_accounts.picker(
        session, petition.unit_id, f"{PREFIX}assign_to:", petition.id, skip
    )
    if not buttons:
        return Reply(texts.NO_STAFF_ACCOUNTS, _back_to(petition))
    return Reply(texts.PT_PICK_HANDLER.format(code=petition.code), (*buttons, *_back_to(petition)))


def _handles(actor: Actor, petition: Petition) -> bool:
    return petition.handler_person_id == actor.person_id or actor.has(ADMIN)


async def _pick_accused(session: AsyncSession, actor: Actor, petition: Petition) -> Reply:
    assert petition.id is not None
    skip = {actor.person_id} | await accused.of(session, accused.PETITION, petition.id)
    buttons = await staff_accounts.picker(
        session, petition.unit_id, f"{PREFIX}acc_mark:", petition.id, skip
    )
    if not buttons:
        return Reply(texts.NO_STAFF_ACCOUNTS, _back_to(petition))
    return Reply(texts.PICK_ACCUSED, (*buttons, *_back_to(petition)))


async def _mark_accused(
    session: AsyncSession, actor: Actor, petition: Petition, person_id: int | None, now: datetime
) -> Reply:
    """A staff account named in the tố cáo stops seeing it; if it handled it, it no longer
    does."""
    assert petition.id is not None
    if person_id is None or person_id == actor.person_id:
        return Reply(texts.STALE_BUTTON, _back_to(petition))
    if not await staff_accounts.is_unit_staff(session, petition.unit_id, person_id):
        return Reply(texts.STALE_BUTTON, _back_to(petition))
    if petition.handler_person_id == person_id:
        petition.handler_person_id = None
        session.add(petition)
    marked = await staff_accounts.mark_accused(
        session, actor, accused.PETITION, petition.id, petition.code, person_id, now
    )
    return Reply(marked, _back_to(petition))


def _back_to(petition: Petition) -> tuple[Button, ...]:
    return (
        Button(petition.code, f"{PREFIX}v:{petition.id}"),
        Button(texts.STAFF_PETITIONS, QUEUE),
    )


async def _queue(session: AsyncSession, actor: Actor, today: date) -> Reply:
    hidden = await accused.targets_naming(session, accused.PETITION, actor.person_id)
    query = (
        select(Petition)
        .where(
            col(Petition.unit_id).in_(await scope(session, actor)),
            col(Petition.status).not_in(FINAL),
            col(Petition.id).not_in(hidden),
        )
        .order_by(col(Petition.due_date).is_(None), col(Petition.due_date), col(Petition.id))
        .limit(20)
    )
    found = (await session.exec(query)).all()
    if not found:
        return Reply(texts.STAFF_NO_PETITIONS, (BACK,))
    lines = [texts.STAFF_PETITION_QUEUE] + [f"- {queue_line(p, today)}" for p in found]
    groups = _same_matter(found)
    if groups:
        lines += [texts.PT_GROUPS] + [
            texts.PT_GROUP_LINE.format(count=len(codes), codes=", ".join(codes)) for codes in groups
        ]
    buttons = [Button(p.code, f"{PREFIX}v:{p.id}") for p in found[:10]]
    return Reply("\n".join(lines), (*buttons, BACK))


def _same_matter(petitions: Sequence[Petition]) -> list[list[str]]:
    """Open đơn of one kind whose content is the same from different people: offered to
    officials as one group case (vụ việc đông người) rather than counted as unrelated."""
    by_matter: dict[tuple[str, int, str], list[Petition]] = {}
    for petition in petitions:
        key = (petition.kind, petition.unit_id, " ".join(fold(petition.summary).split()))
        by_matter.setdefault(key, []).append(petition)
    return [
        [p.code for p in group]
        for group in by_matter.values()
        if len({p.person_id or -(p.id or 0) for p in group}) > 1
    ]


async def _detail(
    session: AsyncSession, actor: Actor, petition: Petition, today: date, now: datetime
) -> Reply:
    party = await session.get(PetitionParty, petition.id)
    if party is None:
        filer = "—"
    elif petition.kind == "to_cao" and petition.handler_person_id != actor.person_id:
        filer = texts.HIDDEN_FILER
    else:
        filer = f"{party.full_name}, {party.phone}, {official_address(party.address)}"
        audit_by(session, actor, "petition.filer_viewed", now, target=petition.code)
    handler = texts.NO_HANDLER
    if petition.handler_person_id is not None:
        handler = await person_label(session, petition.handler_person_id)
    text = texts.STAFF_PETITION_DETAIL.format(
        code=petition.code,
        kind=texts.PETITION_KIND_NAMES.get(petition.kind, petition.kind),
        source=texts.PETITION_SOURCES.get(petition.source, petition.source),
        note=f": {petition.source_note}" if petition.source_note else "",
        status=texts.PETITION_STATUS_NAMES.get(petition.status, petition.status),
        due=due_words(petition, today),
        summary=petition.summary,
        party=filer,
        handler=handler,
    )
    notes = await _deadline_notes(session, petition)
    if notes:
        text += "\n" + "\n".join(notes)
    text += _files_line(petition)
    buttons = [
        Button(LABELS[action], f"{PREFIX}{action}:{petition.id}")
        for action in offered(petition)
        if action in LABELS
    ]
    secret = petition.kind == "to_cao"
    if petition.handler_person_id != actor.person_id and (not secret or actor.has(ADMIN)):
        buttons.insert(0, Button(texts.PT_TAKE, f"{PREFIX}take:{petition.id}"))
    if actor.has(ADMIN):
        buttons.insert(1, Button(texts.PT_ASSIGN, f"{PREFIX}assign:{petition.id}"))
        if secret and petition.handler_person_id != actor.person_id:
            buttons.insert(2, Button(texts.PT_REVEAL, f"{PREFIX}reveal:{petition.id}"))
    if petition.kind == "to_cao" and _handles(actor, petition):
        buttons.append(Button(texts.MARK_ACCUSED, f"{PREFIX}acc_pick:{petition.id}"))
    return Reply(text, (*buttons, Button(texts.STAFF_PETITIONS, QUEUE), BACK))


def _files_line(petition: Petition) -> str:
    """The photos and papers the citizen sent: where they are kept, or that they are still
    being fetched (the clock fetches them within minutes of filing)."""
    stored = petition.details.get("stored") or []
    waiting = petition.details.get("files") or []
    if not stored and not waiting:
        return ""
    names = ", ".join(str(item.get("name", "")) for item in stored if isinstance(item, dict))
    return "\n" + texts.PT_FILES.format(
        count=len(stored),
        names=names or "—",
        folder=f"files/petitions/{petition.code}",
        waiting=texts.PT_FILES_WAITING.format(count=len(waiting)) if waiting else "",
    )


async def _deadline_notes(session: AsyncSession, petition: Petition) -> list[str]:
    """What an official must know beyond the due date: the facts recorded, the other legal
    dates of the step the case stands at, and how the case was routed."""
    book, kind, known = rule_book(), rule_kind(petition), facts(petition)
    shown = set(known)
    for name in ("disciplinary", "second_round"):
        if getattr(petition, name):
            shown.add(name)
    notes = []
    if shown:
        names = [texts.PT_FACT_NAMES[name] for name in texts.PT_FACT_NAMES if name in shown]
        notes.append(texts.PT_FACTS.format(facts="; ".join(names)))
    if petition.disciplinary:
        notes.append(texts.PT_DISCIPLINARY_FORM)
    open_case = petition.status not in FINAL | {RESOLVED}
    received = _day(petition.received_at) if petition.received_at else None
    if open_case and received and petition.accepted_at is None:
        if petition.kind == "to_cao" and petition.status != AWAITING_TRANSFER:
            transfer = book.due(kind, "transfer", received, second_round=petition.second_round)
            if transfer is not None:
                notes.append(_dated(texts.PT_TRANSFER_DUE, transfer))
        early = _early(petition)
        if early is not None and petition.due_date is not None:
            notes.append(
                texts.PT_EARLY_DUE.format(
                    due=f"{early.day:%d/%m/%Y}",
                    rule=early.rule.citation,
                    main=f"{petition.due_date:%d/%m/%Y}",
                    main_rule=_main_citation(petition),
                )
            )
    if open_case and petition.kind == "to_cao" and petition.accepted_at is not None:
        notify = book.due(kind, "notify_accept", _day(petition.accepted_at))
        if notify is not None:
            notes.append(_dated(texts.PT_NOTIFY_DUE, notify))
    if petition.suspended_at is not None:
        rule = book.rule(kind, "resolve", _day(petition.accepted_at or petition.suspended_at))
        if rule is not None and rule.pause_when_suspended:
            notes.append(
                texts.PT_SUSPENDED_LINE.format(
                    since=f"{_day(petition.suspended_at):%d/%m/%Y}", rule=rule.citation
                )
            )
    if petition.decision_day is not None and petition.kind == "khieu_nai":
        limit = book.due(
            kind, "limit", petition.decision_day, second_round=petition.second_round, facts=known
        )
        if limit is not None:
            line = texts.PT_LIMIT_LINE.format(
                day=f"{petition.decision_day:%d/%m/%Y}",
                days=limit.rule.period(known),
                end=f"{limit.day:%d/%m/%Y}",
                estimate=_estimate(limit),
                rule=limit.rule.citation,
            )
            if _day(petition.registered_at) > limit.day:
                line += texts.PT_LIMIT_PASSED
            notes.append(line)
    if petition.against_leader:
        if petition.routed_from_unit_id is not None:
            commune = await session.get(Unit, petition.routed_from_unit_id)
            notes.append(texts.PT_ROUTED_UP.format(unit=commune.name if commune else "xã"))
        else:
            notes.append(texts.PT_KEPT_AT_COMMUNE)
    return notes


def _dated(template: str, due: Due) -> str:
    return template.format(
        due=f"{due.day:%d/%m/%Y}", estimate=_estimate(due), rule=due.rule.citation
    )


def _early(petition: Petition) -> Due | None:
    """The earlier thụ lý date from an unconfirmed text, for reminders only."""
    if petition.received_at is None or petition.accepted_at is not None:
        return None
    if petition.status == AWAITING_TRANSFER:
        return None
    return rule_book().reminder(
        rule_kind(petition),
        FIRST_STEP.get(petition.kind, "answer"),
        _day(petition.received_at),
        second_round=petition.second_round,
        facts=facts(petition),
    )


def _main_citation(petition: Petition) -> str:
    if petition.received_at is None:
        return ""
    rule = rule_book().rule(
        rule_kind(petition),
        FIRST_STEP.get(petition.kind, "answer"),
        _day(petition.received_at),
        petition.second_round,
    )
    return rule.citation if rule else ""


async def enter_paper(
    session: AsyncSession, row: dict[str, Any], number: int, now: datetime, actor: str
) -> Petition:
    """A đơn that arrived on paper, by post, at the desk or forwarded by another body, entered
    by an official: received on the date given, so its legal clock runs from then."""
    where = f"Đơn thứ {number}"
    kind = str(row.get("kind") or "")
    if kind not in FIRST_STEP:
        raise PetitionError(
            f"{where}: 'kind' phải là khieu_nai, to_cao, kien_nghi, phan_anh hoặc kien_nghi_btnd."
        )
    source = str(row.get("source") or "paper")
    if source not in texts.PETITION_SOURCES or source == "chat":
        raise PetitionError(f"{where}: 'source' phải là paper, post, desk hoặc forwarded.")
    unit = await people.unit_by_code_or_name(session, str(row.get("unit") or ""))
    if unit is None or unit.id is None:
        raise PetitionError(f"{where}: không có đơn vị '{row.get('unit')}'.")
    try:
        received = datetime.strptime(str(row.get("received") or ""), "%d/%m/%Y").replace(
            hour=8, tzinfo=VN_TZ
        )
    except ValueError:
        raise PetitionError(f"{where}: 'received' phải có dạng ngày/tháng/năm.") from None
    summary = str(row.get("summary") or "").strip()
    name = str(row.get("name") or "").strip()
    if not summary or not name:
        raise PetitionError(f"{where}: cần 'name' (người gửi) và 'summary' (nội dung).")
    phone = str(row.get("phone") or "")
    routing = await route(session, rule_book(), unit.id, kind, str(row.get("accused") or ""))
    petition = Petition(
        code=new_code(kind, received.year),
        kind=kind,
        unit_id=routing.unit_id,
        against_leader=routing.against_leader,
        routed_from_unit_id=routing.routed_from,
        source=source,
        source_note=str(row.get("source_note") or "")[:300],
        status=RECEIVED,
        summary=summary[:2000],
        second_round=bool(row.get("second_round", False)),
        disciplinary=kind == "khieu_nai" and bool(row.get("disciplinary", False)),
        registered_at=received,
        received_at=received,
        phone_last4=phone[-4:],
        created_at=now,
        updated_at=now,
    )
    redate(petition)
    session.add(petition)
    await session.flush()
    assert petition.id is not None
    await shield_leaders(session, petition, routing, now)
    session.add(
        PetitionParty(
            petition_id=petition.id,
            full_name=name[:200],
            phone=phone[:20],
            address=str(row.get("address") or "")[:300],
        )
    )
    session.add(
        PetitionEvent(
            petition_id=petition.id,
            at=received,
            actor=actor,
            status=RECEIVED,
            note=texts.PETITION_SOURCES[source],
        )
    )
    return petition


class PetitionError(ValueError):
    """A đơn row that cannot be entered; the message is Vietnamese, for the official."""


async def due_alerts(session: AsyncSession, now: datetime, soon_days: int = 2) -> int:
    """Tell each handler, once per due date, when a case is due within ``soon_days`` days and
    again when it is overdue. Runs on the clock; the dedupe key makes repeats no-ops."""
    today = now.astimezone(VN_TZ).date()
    query = select(Petition).where(
        col(Petition.status).not_in(FINAL | {RESOLVED}),
        col(Petition.due_date).is_not(None),
        col(Petition.handler_person_id).is_not(None),
    )
    queued = 0
    for petition in (await session.exec(query)).all():
        assert petition.due_date is not None and petition.handler_person_id is not None
        days = (petition.due_date - today).days
        if days > soon_days:
            continue
        kind = "overdue" if days < 0 else "soon"
        identity = await _handler_address(session, petition.handler_person_id)
        if identity is None:
            continue
        text = texts.PT_DUE_ALERT.format(code=petition.code, due=due_words(petition, today))
        key = f"petition:{petition.id}:due:{petition.due_date:%Y%m%d}:{kind}"
        button = Button(petition.code, f"{PREFIX}v:{petition.id}")
        if await outbox.enqueue(
            session, identity[0], identity[1], Reply(text, (button,)).to_json(), now, key
        ):
            queued += 1
    return queued + await _early_alerts(session, today, now, soon_days)


async def _early_alerts(session: AsyncSession, today: date, now: datetime, soon_days: int) -> int:
    """Reminders by the earlier thụ lý date of an unconfirmed text (NĐ 155/2026 Điều 10), each
    saying which text each date comes from; the due date and overdue counts are untouched."""
    query = select(Petition).where(
        col(Petition.status).in_((RECEIVED, PRELIMINARY)),
        col(Petition.accepted_at).is_(None),
        col(Petition.handler_person_id).is_not(None),
    )
    queued = 0
    for petition in (await session.exec(query)).all():
        early = _early(petition)
        if early is None or petition.due_date is None or (early.day - today).days > soon_days:
            continue
        assert petition.handler_person_id is not None
        identity = await _handler_address(session, petition.handler_person_id)
        if identity is None:
            continue
        text = texts.PT_EARLY_ALERT.format(
            code=petition.code,
            early=f"{early.day:%d/%m/%Y}",
            early_rule=early.rule.citation,
            main=f"{petition.due_date:%d/%m/%Y}",
            main_rule=_main_citation(petition),
        )
        key = f"petition:{petition.id}:early:{early.day:%Y%m%d}"
        button = Button(petition.code, f"{PREFIX}v:{petition.id}")
        if await outbox.enqueue(
            session, identity[0], identity[1], Reply(text, (button,)).to_json(), now, key
        ):
            queued += 1
    return queued


async def _handler_address(session: AsyncSession, person_id: int) -> tuple[str, str] | None:
    found = (await addresses(session, [person_id])).get(person_id)
    return (found.channel, found.external_id) if found else None


async def queue_due_alerts(sessions: SessionFactory, clock: Clock) -> int:
    """The clock's job for đơn due dates."""
    async with sessions() as session, session.begin():
        return await due_alerts(session, clock.now())
