"""A đơn on the desk: everything the chat's case view shows, laid out for a screen, and its
steps taken through the chat's own handlers (handlers/petitions/staff.py), so the desk adds no
rule of its own. A tố cáo's filer is shown to its handler only, each showing audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, desk, people
from db.conversations import ChatState
from db.models import Petition, PetitionParty
from handlers import texts
from handlers.access import ADMIN, Actor, audit_by, record_denied, stated_reason
from handlers.desk import printing, wording
from handlers.desk.names import label_names, name_of
from handlers.desk.wording import DETAIL_LABELS
from handlers.petitions import staff as petitions_staff
from handlers.petitions.case import (
    CLOSED,
    FINAL,
    JUDGED_KINDS,
    LABELS,
    PREFIX,
    REASONED,
    RESOLVED,
    VERDICTS,
    _case,
    _day,
    _handles,
    offered,
)
from handlers.petitions.fields import field_list
from handlers.petitions.fields import label as field_label
from handlers.petitions.views import _deadline_notes
from handlers.units.pick import official_address

# Kept out of the content list: files are listed apart, the rest is bookkeeping.
NOT_SHOWN = frozenset({"stored", "files"})
# Steps that need no confirmation: they change nothing the citizen is told that cannot be
# corrected (the receipt date stays editable; a handler can be changed).
UNCONFIRMED = frozenset({"recv", "take"})


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    # The label of what the official must type, or "" for a step without a note.
    prompt: str
    confirm: bool
    # Closing a khiếu nại or tố cáo records its result for the report: (index, label).
    verdicts: tuple[tuple[int, str], ...] = ()


@dataclass
class CaseView:
    petition: Petition
    kind: str
    source: str
    status: str
    unit: str
    handler: str
    due_words: str
    overdue: bool
    summary: list[tuple[str, str]]
    field_name: str
    fields: list[tuple[int, str]]
    field_index: int | None
    verdict: str
    registered: date
    received: date | None
    accepted: date | None
    details: list[tuple[str, str]]
    filer: str | None
    filer_hidden: bool
    files: list[dict[str, Any]]
    files_waiting: int
    notes: list[str]
    history: list[tuple[datetime, str, str, str]]
    steps: list[Step]
    can_take: bool
    assignees: list[tuple[int, str]]
    assign_needs_reason: bool
    can_reveal: bool
    accusable: list[tuple[int, str]]
    can_edit_received: bool
    is_handler: bool
    extra: dict[str, Any] = field(default_factory=dict)


async def find(
    session: AsyncSession, actor: Actor, petition_id: int, now: datetime
) -> Petition | None:
    """A case the official may open (their scope, not accused in it); a refusal is audited."""
    petition = await _case(session, actor, petition_id)
    if petition is None:
        record_denied(session, actor, f"desk:don:{petition_id}", now)
    return petition


async def view(session: AsyncSession, actor: Actor, petition: Petition, now: datetime) -> CaseView:
    assert petition.id is not None
    today = _day(now)
    party = await session.get(PetitionParty, petition.id)
    secret = petition.kind == "to_cao"
    is_handler = petition.handler_person_id == actor.person_id
    filer: str | None = None
    filer_hidden = False
    if party is not None:
        if secret and not is_handler:
            filer_hidden = True
        else:
            filer = f"{party.full_name}, {party.phone}, {official_address(party.address)}"
            audit_by(session, actor, "petition.filer_viewed", now, target=petition.code)
    events = await desk.history(session, petition.id)
    shown = await label_names(session, [event.actor for event in events], petition.person_id)
    verdict = texts.PT_VERDICTS.get(petition.verdict or "", petition.verdict or "")
    history = []
    before: str | None = None
    for event in events:
        note = event.note
        if event.status == CLOSED and verdict and not note:
            # The result chosen at closing belongs to that line; the chat's step has no note.
            note = texts.PT_VERDICT_LINE.format(verdict=verdict)
        what = wording.event_words(event.status, before)
        history.append((event.at, shown.get(event.actor, event.actor), what, note))
        before = event.status
    names = await desk.names(session, [petition.handler_person_id or 0])
    unit_names = await desk.unit_names(session, [petition.unit_id])
    accused_ids = await accused.of(session, accused.PETITION, petition.id)
    staff = await people.staff_of_units(session, [petition.unit_id])
    steps = [
        Step(
            action,
            LABELS[action],
            texts.DESK_STEP_NOTES[action][0] if action in texts.PT_ASK_NOTE else "",
            action not in UNCONFIRMED,
            _verdicts(petition) if action == "close" else (),
        )
        for action in offered(petition)
        if action in LABELS
    ]
    admin = actor.has(ADMIN)
    open_case = petition.status not in FINAL
    # As the chat: an official takes any case but a tố cáo, which an admin assigns.
    can_take = open_case and not is_handler and (not secret or admin)
    may_assign = open_case and (admin or not secret)
    assignees = [
        (pid, name_of(pid, name))
        for pid, name in staff
        if may_assign and pid not in accused_ids and pid != petition.handler_person_id
    ]
    accusable = []
    if secret and _handles(actor, petition):
        unmarkable = await petitions_staff.unmarkable(session, actor, petition)
        accusable = [
            (pid, name_of(pid, name))
            for pid, name in staff
            if pid not in accused_ids | unmarkable and pid != actor.person_id
        ]
    summary = wording.summary_parts(petition)
    # A part the summary already shows under its label is not listed twice.
    in_summary = {(label, text) for label, text in summary if label}
    details = [
        (DETAIL_LABELS.get(key, key), _detail_text(value))
        for key, value in petition.details.items()
        if key not in NOT_SHOWN and value not in (None, "")
    ]
    details = [pair for pair in details if (pair[0], pair[1].strip()) not in in_summary]
    keys = list(field_list())
    stored = [item for item in petition.details.get("stored") or [] if isinstance(item, dict)]
    return CaseView(
        petition=petition,
        kind=texts.PETITION_KIND_NAMES.get(petition.kind, petition.kind),
        source=texts.PETITION_SOURCES.get(petition.source, petition.source)
        + (f": {petition.source_note}" if petition.source_note else ""),
        status=texts.PETITION_STATUS_NAMES.get(petition.status, petition.status),
        unit=unit_names.get(petition.unit_id, ""),
        handler=(
            name_of(petition.handler_person_id, names.get(petition.handler_person_id or 0))
            if petition.handler_person_id
            else texts.NO_HANDLER
        ),
        due_words=wording.due_words(petition, today),
        overdue=wording.overdue(petition, today),
        summary=summary,
        field_name=field_label(petition.field) if petition.field else texts.DESK_FIELD_NONE,
        fields=[(index, field_list()[key]) for index, key in enumerate(keys)],
        field_index=keys.index(petition.field) if petition.field in keys else None,
        verdict=verdict,
        registered=_day(petition.registered_at),
        received=_day(petition.received_at) if petition.received_at else None,
        accepted=_day(petition.accepted_at) if petition.accepted_at else None,
        details=details,
        filer=filer,
        filer_hidden=filer_hidden,
        files=stored,
        files_waiting=len(petition.details.get("files") or []),
        notes=await _deadline_notes(session, petition),
        history=history,
        steps=steps,
        can_take=can_take,
        assignees=assignees,
        assign_needs_reason=secret,
        can_reveal=secret and admin and not is_handler and party is not None,
        accusable=accusable,
        can_edit_received=petition.received_at is not None
        and _handles(actor, petition)
        and petition.status not in FINAL | {RESOLVED},
        is_handler=is_handler,
        extra={"printables": printing.available(petition, actor)},
    )


def _detail_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _verdicts(petition: Petition) -> tuple[tuple[int, str], ...]:
    if petition.kind not in JUDGED_KINDS:
        return ()
    return tuple((index, texts.PT_VERDICTS[v]) for index, v in enumerate(VERDICTS))


async def step(
    session: AsyncSession,
    actor: Actor,
    petition: Petition,
    action: str,
    note: str,
    now: datetime,
    verdict: int | None = None,
) -> tuple[bool, str]:
    """One of the chat's steps on this case, with the note it asks for: (done, message)."""
    state = ChatState(channel="desk", chat_id=str(actor.person_id))
    note = " ".join(note.split())[:1000]
    if action in texts.PT_ASK_NOTE and not note:
        return False, missing_note(action)
    payload = f"{PREFIX}{action}:{petition.id}"
    if action == "close" and petition.kind in JUDGED_KINDS:
        # The chat asks the result with buttons; the desk's form sends it with the step.
        if verdict not in range(len(VERDICTS)):
            kind = texts.PETITION_KIND_NAMES.get(petition.kind, petition.kind).lower()
            return False, texts.PT_VERDICT_ASK.format(code=petition.code, kind=kind)
        payload = f"{PREFIX}closev:{petition.id}:{verdict}"
    reply = await petitions_staff.press(session, state, actor, payload, now)
    if state.flow is not None:
        reply = await petitions_staff.text(session, state, actor, note, now)
    if state.flow is not None:
        return False, reply.text
    if action == "take":
        taken = petition.handler_person_id == actor.person_id
        return taken, texts.DESK_TAKEN.format(code=petition.code) if taken else reply.text
    return reply.text.startswith(texts.PT_DONE.split("{", 1)[0]), reply.text


def missing_note(action: str) -> str:
    """What a step's empty note lacks, in the desk's words (the chat would ask again)."""
    return texts.DESK_NOTE_MISSING.format(
        what=texts.DESK_STEP_NOTES[action][1], step=LABELS.get(action, action)
    )


async def set_field(
    session: AsyncSession, actor: Actor, petition: Petition, index: int | None, now: datetime
) -> tuple[bool, str]:
    """Lĩnh vực from the office's list, by the chat's step (audited there)."""
    if index not in range(len(field_list())):
        return False, texts.DESK_FIELD_PICK
    state = ChatState(channel="desk", chat_id=str(actor.person_id))
    payload = f"{PREFIX}fset:{petition.id}:{index}"
    reply = await petitions_staff.press(session, state, actor, payload, now)
    return petition.field == list(field_list())[index or 0], reply.text


async def assign(
    session: AsyncSession,
    actor: Actor,
    petition: Petition,
    assignee: int,
    reason: str,
    now: datetime,
) -> tuple[bool, str]:
    """Give the case to a colleague (both told by the chat's handler). A tố cáo only by an
    admin and with a reason, kept in the audit log."""
    state = ChatState(channel="desk", chat_id=str(actor.person_id))
    if petition.kind == "to_cao":
        if not actor.has(ADMIN):
            audit_by(session, actor, "petition.take_refused", now, target=petition.code)
            return False, texts.PT_TAKE_REFUSED
        if stated_reason(reason) is None:
            return False, texts.REASON_TOO_SHORT + REASONED["take"]
        if not await petitions_staff._may_handle(session, petition, assignee):
            _assign_refused(session, actor, petition, assignee, now)
            return False, texts.DESK_BAD_ASSIGNEE
        state.flow, state.step = "pt-note", "take"
        state.data = {"petition": petition.id, "assignee": assignee}
        reply = await petitions_staff.text(session, state, actor, reason, now)
        return True, reply.text
    payload = f"{PREFIX}assign_to:{petition.id}:{assignee}"
    reply = await petitions_staff.press(session, state, actor, payload, now)
    if reply.text == texts.STALE_BUTTON:
        _assign_refused(session, actor, petition, assignee, now)
        return False, texts.DESK_BAD_ASSIGNEE
    return True, reply.text


def _assign_refused(
    session: AsyncSession, actor: Actor, petition: Petition, assignee: int, now: datetime
) -> None:
    """Every refused attempt is audited, a pick of an accused colleague above all."""
    audit_by(
        session,
        actor,
        "petition.assign_refused",
        now,
        target=petition.code,
        after={"assignee": assignee},
    )


async def reveal(
    session: AsyncSession, actor: Actor, petition: Petition, reason: str, now: datetime
) -> tuple[bool, str]:
    """An admin who is not the handler sees a denouncer, stating a reason (the chat's step)."""
    state = ChatState(channel="desk", chat_id=str(actor.person_id))
    reply = await petitions_staff.press(session, state, actor, f"{PREFIX}reveal:{petition.id}", now)
    if state.flow is None:
        return False, reply.text
    reply = await petitions_staff.text(session, state, actor, reason, now)
    return state.flow is None, reply.text


async def mark_accused(
    session: AsyncSession, actor: Actor, petition: Petition, person_id: int, now: datetime
) -> tuple[bool, str]:
    state = ChatState(channel="desk", chat_id=str(actor.person_id))
    payload = f"{PREFIX}acc_mark:{petition.id}:{person_id}"
    reply = await petitions_staff.press(session, state, actor, payload, now)
    refused = (texts.STALE_BUTTON, texts.FORBIDDEN, texts.ACCUSED_ADMIN_ONLY)
    return reply.text not in refused, reply.text
