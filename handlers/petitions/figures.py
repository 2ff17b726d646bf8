"""The đơn thư figures periodic reports need, computed from the history as it stood at the end
of the period, for a unit and its children, whatever the source of the đơn."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Petition, PetitionEvent
from handlers.clock import VN_TZ
from handlers.petitions.case import (
    ACCEPTED,
    CLOSED,
    EXTENDED,
    IN_PROGRESS,
    PRELIMINARY,
    RECEIVED,
    RESOLVED,
    TRANSFERRED,
)

OPEN = frozenset({RECEIVED, PRELIMINARY, ACCEPTED, IN_PROGRESS, EXTENDED})
DONE = frozenset({RESOLVED, CLOSED})


@dataclass
class PetitionFigures:
    carried_over: int = 0
    received: int = 0
    within_competence: int = 0
    resolved: int = 0
    open_in_time: int = 0
    overdue: int = 0
    # Neither resolved nor open at the end: withdrawn, suspended, stopped, not accepted,
    # transferred. Reported as its own line rather than hidden.
    other: Counter[str] = field(default_factory=Counter)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    satisfied: int = 0
    unsatisfied: int = 0

    @property
    def total(self) -> int:
        return self.carried_over + self.received


def _status_at(events: list[PetitionEvent], moment: datetime) -> str | None:
    status = None
    for event in events:
        if event.at < moment:
            status = event.status
    return status


async def figures(
    session: AsyncSession, unit_ids: set[int], start: datetime, end: datetime
) -> PetitionFigures:
    query = select(Petition).where(
        col(Petition.unit_id).in_(unit_ids),
        col(Petition.received_at).is_not(None),
        col(Petition.received_at) < end,
        col(Petition.anonymous).is_(False),
    )
    petitions = (await session.exec(query)).all()
    ids = [p.id for p in petitions]
    history: dict[int, list[PetitionEvent]] = {}
    if ids:
        rows = await session.exec(
            select(PetitionEvent)
            .where(col(PetitionEvent.petition_id).in_(ids))
            .order_by(col(PetitionEvent.at), col(PetitionEvent.id))
        )
        for event in rows.all():
            history.setdefault(event.petition_id, []).append(event)
    result = PetitionFigures()
    end_day = end.astimezone(VN_TZ).date()
    for petition in petitions:
        assert petition.received_at is not None and petition.id is not None
        events: list[PetitionEvent] = history.get(petition.id, [])
        if petition.received_at < start:
            before = _status_at(events, start)
            if before not in OPEN:
                continue  # finished before the period: not part of it
            result.carried_over += 1
            bucket = "carried_over"
        else:
            result.received += 1
            bucket = "received"
        kind = result.by_kind.setdefault(petition.kind, Counter())
        kind[bucket] += 1
        status = _status_at(events, end) or RECEIVED
        if status != TRANSFERRED:
            result.within_competence += 1
        if status in DONE:
            result.resolved += 1
            kind["resolved"] += 1
        elif status in OPEN:
            late = petition.due_date is not None and petition.due_date < end_day
            result.overdue += late
            result.open_in_time += not late
            kind["overdue" if late else "open_in_time"] += 1
        else:
            result.other[status] += 1
            kind[status] += 1
        if petition.satisfied is not None and status in DONE:
            result.satisfied += petition.satisfied
            result.unsatisfied += not petition.satisfied
    return result
