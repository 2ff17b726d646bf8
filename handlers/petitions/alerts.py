"""The clock's alerts to handlers: a case due soon or overdue, and the earlier reminders of
unconfirmed texts."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, outbox, people
from db.engine import SessionFactory
from db.models import Petition
from handlers import texts
from handlers.clock import VN_TZ, Clock
from handlers.contract import Button, Reply
from handlers.petitions.case import (
    FINAL,
    PREFIX,
    PRELIMINARY,
    RECEIVED,
    RESOLVED,
    _early,
    _main_citation,
    due_words,
)
from handlers.recipients import addresses


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


async def tell_staff(
    session: AsyncSession, petition: Petition, notice: str, now: datetime, key: str
) -> None:
    """A push to whoever handles the case, or to the unit's officials when nobody does yet,
    written to the outbox in the turn's own transaction (sent only if the turn commits)."""
    if petition.handler_person_id is not None:
        targets = [petition.handler_person_id]
    else:
        assert petition.id is not None
        skip = await accused.of(session, accused.PETITION, petition.id)
        staff = await people.staff_of_units(session, [petition.unit_id])
        targets = [person_id for person_id, _ in staff if person_id not in skip]
    button = Button(petition.code, f"{PREFIX}v:{petition.id}")
    for person_id in targets:
        address = await _handler_address(session, person_id)
        if address is not None:
            await outbox.enqueue(
                session,
                address[0],
                address[1],
                Reply(notice, (button,)).to_json(),
                now,
                f"{key}:{person_id}",
            )
