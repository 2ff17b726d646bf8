"""The real date a đơn was received, corrected by its handler (a paper đơn entered days after it
reached the office, a "received" pressed late): the legal period runs from that day, so the due
date is recomputed and the change is kept in the case's history with its reason."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Petition, PetitionEvent
from handlers import texts
from handlers.access import Actor, audit_by, stated_reason
from handlers.clock import VN_TZ
from handlers.petitions.case import _day, _handles, redate

# A receipt date further back than this is a typing mistake, not a late entry.
OLDEST = timedelta(days=366)
RECEIVED_HOUR = 8


async def set_received(
    session: AsyncSession,
    actor: Actor,
    petition: Petition,
    day: date,
    typed_reason: str,
    now: datetime,
) -> tuple[bool, str]:
    """(done, what to tell the official). The case must already be in the actor's scope."""
    today = _day(now)
    if not _handles(actor, petition):
        audit_by(session, actor, "petition.received_date_refused", now, target=petition.code)
        return False, texts.RECEIVED_NOT_HANDLER
    if petition.received_at is None:
        return False, texts.RECEIVED_NOT_YET
    if day > today:
        return False, texts.RECEIVED_IN_FUTURE
    if day < today - OLDEST:
        return False, texts.RECEIVED_TOO_OLD
    if petition.accepted_at is not None and day > _day(petition.accepted_at):
        return False, texts.RECEIVED_AFTER_ACCEPTED.format(
            day=f"{_day(petition.accepted_at):%d/%m/%Y}"
        )
    reason = stated_reason(typed_reason)
    if reason is None:
        return False, texts.RECEIVED_NO_REASON
    before = _day(petition.received_at)
    if before == day:
        return False, texts.RECEIVED_SAME_DAY.format(day=f"{day:%d/%m/%Y}")
    petition.received_at = datetime(day.year, day.month, day.day, RECEIVED_HOUR, tzinfo=VN_TZ)
    old_due = petition.due_date
    redate(petition)
    petition.updated_at = now
    session.add(petition)
    note = texts.RECEIVED_HISTORY_NOTE.format(
        day=f"{day:%d/%m/%Y}", before=f"{before:%d/%m/%Y}", reason=reason
    )
    session.add(
        PetitionEvent(
            petition_id=petition.id or 0,
            at=now,
            actor=actor.label,
            status=petition.status,
            note=note[:1000],
        )
    )
    audit_by(
        session,
        actor,
        "petition.received_date",
        now,
        target=petition.code,
        before={"received": before.isoformat(), "due": old_due and old_due.isoformat()},
        after={
            "received": day.isoformat(),
            "due": petition.due_date and petition.due_date.isoformat(),
            "reason": reason,
        },
    )
    due = f"{petition.due_date:%d/%m/%Y}" if petition.due_date else texts.NO_DUE
    return True, texts.RECEIVED_DONE.format(code=petition.code, day=f"{day:%d/%m/%Y}", due=due)
