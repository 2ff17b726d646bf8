"""What an official reads: the queue by due date and a case with its history, files and legal
notes (a tố cáo's filer only for its handler)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused
from db.models import Petition, PetitionEvent, PetitionParty, Unit
from handlers import texts
from handlers.access import (
    ADMIN,
    Actor,
    audit_by,
    person_label,
    scope,
)
from handlers.contract import Button, Reply
from handlers.menu import BACK
from handlers.petitions.case import (
    AWAITING_TRANSFER,
    CLOSED,
    FINAL,
    LABELS,
    PREFIX,
    QUEUE,
    REOPEN_REQUESTED,
    RESOLVED,
    _dated,
    _day,
    _early,
    _estimate,
    _handles,
    _main_citation,
    due_words,
    offered,
    queue_line,
)
from handlers.petitions.fields import label as field_label
from handlers.petitions.filing import rule_book
from handlers.petitions.rules import facts, rule_kind
from handlers.units.pick import official_address
from knowledge.normalize import fold


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
    text += "\n" + texts.PT_FIELD.format(
        field=field_label(petition.field) if petition.field else texts.PT_FIELD_NONE
    )
    if petition.verdict:
        text += "\n" + verdict_line(petition)
    asked = await _review_asked(session, petition)
    if asked is not None:
        text += "\n" + texts.PT_REOPEN_LINE.format(day=f"{_day(asked):%d/%m/%Y}")
    notes = await _deadline_notes(session, petition)
    if notes:
        text += "\n" + "\n".join(notes)
    text += _files_line(petition)
    buttons = [
        Button(LABELS[action], f"{PREFIX}{action}:{petition.id}")
        for action in offered(petition)
        if action in LABELS
    ]
    buttons.append(Button(texts.PT_FIELD_BUTTON, f"{PREFIX}field:{petition.id}"))
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


async def _review_asked(session: AsyncSession, petition: Petition) -> datetime | None:
    """When the citizen last asked for a review of the closed case, if they did."""
    if petition.status != CLOSED:
        return None
    query = (
        select(PetitionEvent.at)
        .where(
            PetitionEvent.petition_id == petition.id,
            PetitionEvent.status == REOPEN_REQUESTED,
        )
        .order_by(col(PetitionEvent.at).desc())
        .limit(1)
    )
    return (await session.exec(query)).first()


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


def verdict_line(petition: Petition) -> str:
    """The result recorded at closing ("Kết quả giải quyết: Đúng một phần"), for the report."""
    verdict = petition.verdict or ""
    return texts.PT_VERDICT_LINE.format(verdict=texts.PT_VERDICTS.get(verdict, verdict))
