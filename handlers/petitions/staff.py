"""Đơn thư for officials: the steps of a case, who handles it, pushes to the citizen.

Reached through ``staff.press`` (role checked on every press); a case is visible only to
officials of its unit or a parent unit. The filer of a tố cáo is shown to the assigned handler
only, and each showing of a filer's identity is audited (Luật Tố cáo 25/2018, Điều 8, 47, 56).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, outbox, people
from db.conversations import ChatState
from db.models import Petition, PetitionEvent, PetitionParty
from handlers import staff_accounts, texts, words
from handlers.access import (
    ADMIN,
    Actor,
    audit_by,
    person_label,
    stated_reason,
    units_under,
)
from handlers.clock import VN_TZ
from handlers.contract import Button, Reply
from handlers.menu import BACK
from handlers.petitions import classify
from handlers.petitions.alerts import _handler_address, tell_staff
from handlers.petitions.case import (
    AWAITING_TRANSFER,
    CLOSED,
    EXTENDED,
    FACT_ACTIONS,
    FINAL,
    FLOW,
    IN_PROGRESS,
    JUDGED_KINDS,
    PREFIX,
    QUEUE,
    REASONED,
    RECEIVED,
    REOPEN_REQUESTED,
    RESOLVED,
    SATISFACTION_PREFIX,
    SUSPENDED,
    VERDICTS,
    _accept_notice,
    _appeal_window,
    _case,
    _day,
    _handles,
    due_words,
    offered,
    redate,
)
from handlers.petitions.lookup import due_text
from handlers.petitions.views import _back_to, _detail, _queue
from handlers.units.pick import official_address
from knowledge.normalize import ascii_int


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
    if action in ("field", "fset"):
        return classify.field(session, actor, petition, action, person_text, now)
    if action == "closev":
        verdict = ascii_int(person_text)
        if "close" not in offered(petition) or verdict not in range(len(VERDICTS)):
            return Reply(texts.PT_NOT_ALLOWED, _back_to(petition))
        assert verdict is not None
        petition.verdict = VERDICTS[verdict]
        return await apply(session, actor, petition, "close", "", now)
    if action not in offered(petition):
        return Reply(texts.PT_NOT_ALLOWED, _back_to(petition))
    if action == "close" and petition.kind in JUDGED_KINDS:
        return classify.ask_verdict(petition)
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
    redated = action in ("recv", "acc", "outside", SUSPENDED, EXTENDED, *FACT_ACTIONS)
    if redated:
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
    done = texts.PT_DONE.format(
        code=petition.code, status=texts.PETITION_STATUS_NAMES.get(status, status)
    )
    if redated and petition.due_date is not None:
        # A step that changes the legal period says the date it now gives, at once.
        due = f"{petition.due_date:%d/%m/%Y}"
        done += texts.PT_DUE_NOW.format(due=due, words=due_words(petition, _day(now)))
    return Reply(done, _back_to(petition))


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
        # The official's note as typed, ending with one full stop ("…đồng." not "…đồng..").
        note=f" {note.rstrip(' .')}." if note and status != EXTENDED else "",
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
        event = PetitionEvent(
            petition_id=petition.id or 0, at=now, actor=actor.label, status=REOPEN_REQUESTED
        )
        session.add(event)
        await session.flush()
        await tell_staff(
            session,
            petition,
            texts.PT_REOPEN_ALERT.format(code=petition.code),
            now,
            f"petition:{petition.id}:reopen:{event.id}",
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


async def _pick_accused(session: AsyncSession, actor: Actor, petition: Petition) -> Reply:
    assert petition.id is not None
    skip = {actor.person_id} | await accused.of(session, accused.PETITION, petition.id)
    skip |= await unmarkable(session, actor, petition)
    buttons = await staff_accounts.picker(
        session, petition.unit_id, f"{PREFIX}acc_mark:", petition.id, skip
    )
    if not buttons:
        return Reply(texts.NO_STAFF_ACCOUNTS, _back_to(petition))
    return Reply(texts.PICK_ACCUSED, (*buttons, *_back_to(petition)))


async def unmarkable(session: AsyncSession, actor: Actor, petition: Petition) -> set[int]:
    """Whom this actor may not mark accused: a handler marking the unit's admin would lock out
    the only people who can take the case back from them, so only an admin marks an admin."""
    if actor.has(ADMIN):
        return set()
    return await people.holders_of(session, petition.unit_id, ADMIN)


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
    if person_id in await unmarkable(session, actor, petition):
        audit_by(
            session,
            actor,
            "petition.accused_refused",
            now,
            target=petition.code,
            after={"person": person_id},
        )
        return Reply(texts.ACCUSED_ADMIN_ONLY, _back_to(petition))
    if petition.handler_person_id == person_id:
        petition.handler_person_id = None
        session.add(petition)
    marked = await staff_accounts.mark_accused(
        session, actor, accused.PETITION, petition.id, petition.code, person_id, now
    )
    return Reply(marked, _back_to(petition))
