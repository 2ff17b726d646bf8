"""The đơn thư figures periodic reports need, computed from the history as it stood at the end
of the period, for a unit and its children, whatever the source of the đơn.

Every breakdown adds up to the đơn it covers: ``total`` (kỳ trước chuyển qua + tiếp nhận trong
kỳ) splits by kind, by lĩnh vực, by đủ / không đủ điều kiện xử lý, by thuộc / không thuộc thẩm
quyền, and by where each đơn stands at the end (resolved, open in time, overdue, other);
``resolved`` splits by result (đúng, sai, đúng một phần, not recorded).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Petition, PetitionEvent
from handlers.clock import VN_TZ
from handlers.petitions.case import (
    ACCEPTED,
    AWAITING_TRANSFER,
    CLOSED,
    EXTENDED,
    GUIDED,
    IN_PROGRESS,
    PRELIMINARY,
    RECEIVED,
    REJECTED,
    REOPEN_REQUESTED,
    REQUESTS,
    RESOLVED,
    TRANSFERRED,
)

OPEN = frozenset({RECEIVED, PRELIMINARY, ACCEPTED, IN_PROGRESS, EXTENDED})
DONE = frozenset({RESOLVED, CLOSED})
# The kinds a report always lists, with a zero when there is none.
REPORTED_KINDS = ("khieu_nai", "to_cao", "kien_nghi", "phan_anh")
# Where a đơn stands at the end of the period: one of these, or its status ("other").
STANDINGS = ("resolved", "open_in_time", "overdue")


@dataclass
class PetitionFigures:
    carried_over: int = 0
    received: int = 0
    within_competence: int = 0
    # Không thuộc thẩm quyền: the citizen was guided to the right body, or the đơn transferred.
    guided: int = 0
    transferred: int = 0
    # Không đủ điều kiện xử lý: đơn not accepted (không thụ lý).
    not_eligible: int = 0
    resolved: int = 0
    open_in_time: int = 0
    overdue: int = 0
    # Neither resolved nor open at the end: withdrawn, suspended, stopped, not accepted,
    # transferred. Reported as its own line rather than hidden.
    other: Counter[str] = field(default_factory=Counter)
    # kind -> {carried_over, received, resolved, open_in_time, overdue, other}
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    # lĩnh vực key ("" when not recorded) -> đơn
    by_field: Counter[str] = field(default_factory=Counter)
    # result of each resolved đơn ("" when not recorded): dung, sai, dung_mot_phan
    verdicts: Counter[str] = field(default_factory=Counter)
    # Of those, the ones whose citizen then asked for a review ("Đề nghị xem xét lại"): still
    # resolved, counted here as well.
    reopened_by_verdict: Counter[str] = field(default_factory=Counter)
    satisfied: int = 0
    unsatisfied: int = 0

    @property
    def total(self) -> int:
        return self.carried_over + self.received

    @property
    def reopen_requested(self) -> int:
        return sum(self.reopened_by_verdict.values())

    @property
    def eligible(self) -> int:
        return self.total - self.not_eligible


def _standing_at(events: Sequence[PetitionEvent], moment: datetime) -> tuple[str | None, bool]:
    """The status before ``moment``, and whether a review was asked after the last status."""
    status, reopened = None, False
    for event in events:
        if event.at >= moment:
            break
        if event.status in REQUESTS:
            reopened = reopened or event.status == REOPEN_REQUESTED
            continue
        status, reopened = event.status, False
    return status, reopened


def tally(
    petitions: Iterable[Petition],
    history: Mapping[int, Sequence[PetitionEvent]],
    start: datetime,
    end: datetime,
) -> PetitionFigures:
    """The figures of [start, end) from the đơn received before ``end`` and their histories
    (each in time order)."""
    result = PetitionFigures()
    for kind in REPORTED_KINDS:
        result.by_kind[kind] = Counter()
    end_day = end.astimezone(VN_TZ).date()
    for petition in petitions:
        if petition.received_at is None or petition.received_at >= end or petition.anonymous:
            continue
        events = history.get(petition.id or 0, ())
        if petition.received_at < start:
            before, _ = _standing_at(events, start)
            if before not in OPEN:
                continue  # finished before the period: not part of it
            result.carried_over += 1
            bucket = "carried_over"
        else:
            result.received += 1
            bucket = "received"
        counts = result.by_kind.setdefault(petition.kind, Counter())
        counts[bucket] += 1
        result.by_field[petition.field or ""] += 1
        found, reopened = _standing_at(events, end)
        status = found or RECEIVED
        if status in (TRANSFERRED, AWAITING_TRANSFER):
            result.transferred += 1
        elif status == GUIDED:
            result.guided += 1
        else:
            result.within_competence += 1
        result.not_eligible += status == REJECTED
        if status in DONE:
            result.resolved += 1
            counts["resolved"] += 1
            result.verdicts[petition.verdict or ""] += 1
            result.reopened_by_verdict[petition.verdict or ""] += reopened
            if petition.satisfied is not None:
                result.satisfied += petition.satisfied
                result.unsatisfied += not petition.satisfied
        elif status in OPEN:
            late = petition.due_date is not None and petition.due_date < end_day
            result.overdue += late
            result.open_in_time += not late
            counts["overdue" if late else "open_in_time"] += 1
        else:
            result.other[status] += 1
            counts["other"] += 1
    return result


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
    return tally(petitions, history, start, end)
