"""Queries of the staff desk: its sessions, the names it shows, the đơn queue. Repositories
never commit; what may be shown to whom is decided in handlers/desk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlmodel import col, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import (
    AuditLog,
    Booking,
    DeadlineDone,
    DeskSession,
    Outbox,
    Person,
    Petition,
    PetitionEvent,
    PetitionParty,
    Unit,
)


def create_session(session: AsyncSession, token_hash: str, person_id: int, now: datetime) -> None:
    session.add(
        DeskSession(token_hash=token_hash, person_id=person_id, created_at=now, last_seen_at=now)
    )


async def touch_session(
    session: AsyncSession, token_hash: str, now: datetime, idle_since: datetime
) -> int | None:
    """The person of a live session seen after ``idle_since``, marked seen now; else None."""
    query = select(DeskSession.person_id).where(
        DeskSession.token_hash == token_hash,
        col(DeskSession.ended_at).is_(None),
        col(DeskSession.last_seen_at) > idle_since,
    )
    person_id = (await session.exec(query)).first()
    if person_id is None:
        return None
    await session.exec(
        update(DeskSession)
        .where(col(DeskSession.token_hash) == token_hash)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(person_id)


async def end_session(session: AsyncSession, token_hash: str, now: datetime) -> None:
    await session.exec(
        update(DeskSession)
        .where(col(DeskSession.token_hash) == token_hash, col(DeskSession.ended_at).is_(None))
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )


async def end_sessions_of(session: AsyncSession, person_id: int, now: datetime) -> int:
    """End every live desk session of a person (their last role revoked); how many."""
    result = await session.exec(
        update(DeskSession)
        .where(col(DeskSession.person_id) == person_id, col(DeskSession.ended_at).is_(None))
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def case_targets(
    session: AsyncSession, petition_ids: set[int], booking_ids: set[int]
) -> set[str]:
    """How audit rows name these đơn and bookings: their codes and the desk's addresses."""
    found: set[str] = set()
    if petition_ids:
        query = select(Petition.id, Petition.code).where(col(Petition.id).in_(petition_ids))
        for pid, code in (await session.exec(query)).all():
            found |= {code, f"desk:don:{pid}", f"desk:in:{code}"}
    if booking_ids:
        rows = select(Booking.id, Booking.code).where(col(Booking.id).in_(booking_ids))
        for bid, code in (await session.exec(rows)).all():
            found |= {code, f"desk:tcd-luot:{bid}"}
    return found


async def names(session: AsyncSession, person_ids: Iterable[int]) -> dict[int, str | None]:
    wanted = {pid for pid in person_ids if pid}
    if not wanted:
        return {}
    query = select(Person.id, Person.display_name).where(col(Person.id).in_(wanted))
    return {int(pid): name for pid, name in (await session.exec(query)).all() if pid}


async def unit_names(session: AsyncSession, unit_ids: Iterable[int]) -> dict[int, str]:
    wanted = set(unit_ids)
    if not wanted:
        return {}
    query = select(Unit.id, Unit.name).where(col(Unit.id).in_(wanted))
    return {int(uid): name for uid, name in (await session.exec(query)).all() if uid}


async def petitions(
    session: AsyncSession,
    unit_ids: set[int],
    hidden: set[int],
    *,
    statuses: Sequence[str] | None = None,
    not_statuses: Iterable[str] = (),
    kind: str | None = None,
    handler: int | None = None,
    unhandled: bool = False,
    due_before: date | None = None,
    no_due: bool = False,
    ids: set[int] | None = None,
    code_part: str | None = None,
    limit: int = 200,
) -> Sequence[Petition]:
    """Đơn of these units, by due date (none last), without the hidden ones."""
    query = select(Petition).where(col(Petition.unit_id).in_(unit_ids))
    if hidden:
        query = query.where(col(Petition.id).not_in(hidden))
    if statuses is not None:
        query = query.where(col(Petition.status).in_(statuses))
    not_statuses = list(not_statuses)
    if not_statuses:
        query = query.where(col(Petition.status).not_in(not_statuses))
    if kind is not None:
        query = query.where(Petition.kind == kind)
    if handler is not None:
        query = query.where(Petition.handler_person_id == handler)
    if unhandled:
        query = query.where(col(Petition.handler_person_id).is_(None))
    if due_before is not None:
        query = query.where(col(Petition.due_date) <= due_before)
    if no_due:
        query = query.where(col(Petition.due_date).is_(None))
    if ids is not None:
        query = query.where(col(Petition.id).in_(ids))
    if code_part is not None:
        query = query.where(col(Petition.code).contains(code_part))
    query = query.order_by(
        col(Petition.due_date).is_(None), col(Petition.due_date), col(Petition.id)
    ).limit(limit)
    return (await session.exec(query)).all()


async def parties(
    session: AsyncSession, unit_ids: set[int]
) -> Sequence[tuple[int, str, int | None, str, str]]:
    """(đơn id, kind, handler, filer's name, phone) of every đơn of these units with a filer:
    what a search by name or phone reads (filtered for tố cáo by the caller)."""
    query = select(Petition.id, Petition.kind, Petition.handler_person_id, PetitionParty).join(
        PetitionParty, col(PetitionParty.petition_id) == Petition.id
    )
    query = query.where(col(Petition.unit_id).in_(unit_ids))
    return [
        (int(pid), kind, handler, party.full_name, party.phone)
        for pid, kind, handler, party in (await session.exec(query)).all()
        if pid
    ]


async def history(session: AsyncSession, petition_id: int) -> Sequence[PetitionEvent]:
    query = (
        select(PetitionEvent)
        .where(PetitionEvent.petition_id == petition_id)
        .order_by(col(PetitionEvent.at), col(PetitionEvent.id))
    )
    return (await session.exec(query)).all()


async def deadlines_done(
    session: AsyncSession, deadline_ids: Iterable[int]
) -> Sequence[DeadlineDone]:
    wanted = set(deadline_ids)
    if not wanted:
        return []
    query = select(DeadlineDone).where(col(DeadlineDone.deadline_id).in_(wanted))
    return (await session.exec(query)).all()


async def undo_deadline_done(
    session: AsyncSession, deadline_id: int, occurrence: date
) -> DeadlineDone | None:
    """Remove an occurrence's done mark; the mark removed, or None if there was none."""
    query = select(DeadlineDone).where(
        DeadlineDone.deadline_id == deadline_id, DeadlineDone.occurrence == occurrence
    )
    found = (await session.exec(query)).one_or_none()
    if found is not None:
        await session.delete(found)
        await session.flush()
    return found


async def audit_rows(
    session: AsyncSession,
    person_ids: set[int],
    *,
    action_prefix: str | None = None,
    person_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    hidden_targets: set[str] | None = None,
    limit: int = 200,
) -> Sequence[AuditLog]:
    """Audit rows by these people (newest first), narrowed by the filters given. A row names
    its actor by account (``actor_person_id``) or only by label ("person:12", as the role
    changes write it): either counts."""
    labels = [f"person:{pid}" for pid in person_ids]
    query = select(AuditLog).where(
        or_(col(AuditLog.actor_person_id).in_(person_ids), col(AuditLog.actor).in_(labels))
    )
    if action_prefix:
        query = query.where(col(AuditLog.action).startswith(action_prefix))
    if person_id is not None:
        query = query.where(
            or_(AuditLog.actor_person_id == person_id, AuditLog.actor == f"person:{person_id}")
        )
    if since is not None:
        query = query.where(col(AuditLog.at) >= since)
    if until is not None:
        query = query.where(col(AuditLog.at) < until)
    if hidden_targets:
        query = query.where(
            or_(col(AuditLog.target).is_(None), col(AuditLog.target).not_in(hidden_targets))
        )
    query = query.order_by(col(AuditLog.id).desc()).limit(limit)
    return (await session.exec(query)).all()


async def form_used(
    session: AsyncSession, action: str, actor: str, nonce: str, since: datetime
) -> datetime | None:
    """When this actor's ``action`` since then was made by the desk form carrying ``nonce``
    (kept as "form" in the row's after), or None."""
    query = select(AuditLog.at, AuditLog.after).where(
        AuditLog.action == action, AuditLog.actor == actor, col(AuditLog.at) >= since
    )
    for at, after in (await session.exec(query)).all():
        if isinstance(after, dict) and after.get("form") == nonce:
            return at
    return None


async def reminders_sent(
    session: AsyncSession, deadline_ids: Iterable[int]
) -> Sequence[tuple[str, datetime | None]]:
    """(dedupe key, sent at) of these deadlines' reminders delivered and still kept (outbox
    rows live until retention): who was reminded of what."""
    prefixes = [col(Outbox.dedupe_key).startswith(f"dl:{did}:") for did in set(deadline_ids)]
    if not prefixes:
        return []
    query = select(Outbox.dedupe_key, Outbox.sent_at).where(or_(*prefixes), Outbox.status == "sent")
    return [(key, at) for key, at in (await session.exec(query)).all() if key]


async def received_between(
    session: AsyncSession, unit_ids: set[int], hidden: set[int], start: datetime, end: datetime
) -> Sequence[Petition]:
    """Đơn of these units received in [start, end), in the order they were received: the lines
    of a Sổ theo dõi đơn."""
    if not unit_ids:
        return []
    query = select(Petition).where(
        col(Petition.unit_id).in_(unit_ids),
        col(Petition.received_at) >= start,
        col(Petition.received_at) < end,
    )
    if hidden:
        query = query.where(col(Petition.id).not_in(hidden))
    query = query.order_by(col(Petition.received_at), col(Petition.id))
    return (await session.exec(query)).all()


async def parties_of(
    session: AsyncSession, petition_ids: Iterable[int]
) -> dict[int, PetitionParty]:
    wanted = set(petition_ids)
    if not wanted:
        return {}
    query = select(PetitionParty).where(col(PetitionParty.petition_id).in_(wanted))
    return {party.petition_id: party for party in (await session.exec(query)).all()}


async def events_of(session: AsyncSession, petition_ids: Iterable[int]) -> Sequence[PetitionEvent]:
    """The history lines of these đơn, oldest first."""
    wanted = set(petition_ids)
    if not wanted:
        return []
    query = (
        select(PetitionEvent)
        .where(col(PetitionEvent.petition_id).in_(wanted))
        .order_by(col(PetitionEvent.at), col(PetitionEvent.id))
    )
    return (await session.exec(query)).all()
