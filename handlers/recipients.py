"""Where a person gets pushes (reminders, alerts, digests): the channel they chose, else the
push channel they last wrote on, else the web chat as a last resort."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Identity, Person
from handlers.clock import VN_TZ

PUSH_CHANNELS = ("telegram", "zalo_bot", "zalo_oa")


def _best_address(found: list[Identity], chosen: str | None = None) -> Identity | None:
    """Where a person gets pushes: the channel they chose, else the push channel they last
    wrote on (web as a last resort)."""
    reachable = [i for i in found if i.unreachable_at is None]
    preferred = [i for i in reachable if i.channel == chosen]
    if preferred:
        return preferred[0]
    pushable = [i for i in reachable if i.channel in PUSH_CHANNELS]
    pool = pushable or [i for i in reachable if i.channel == "web"]
    if not pool:
        return None
    epoch = datetime(2000, 1, 1, tzinfo=VN_TZ)
    return max(pool, key=lambda i: i.last_seen_at or i.created_at or epoch)


async def addresses(session: AsyncSession, person_ids: list[int]) -> dict[int, Identity]:
    """Each person's address, in one query (a fan-out may concern thousands)."""
    if not person_ids:
        return {}
    query = select(Identity).where(col(Identity.person_id).in_(person_ids))
    by_person: dict[int, list[Identity]] = {}
    for identity in (await session.exec(query)).all():
        by_person.setdefault(identity.person_id, []).append(identity)
    chosen_query = select(Person.id, Person.notify_channel).where(
        col(Person.id).in_(person_ids), col(Person.notify_channel).is_not(None)
    )
    chosen = {
        pid: str(channel)
        for pid, channel in (await session.exec(chosen_query)).all()
        if pid is not None
    }
    result = {}
    for person_id, found in by_person.items():
        best = _best_address(found, chosen.get(person_id))
        if best is not None:
            result[person_id] = best
    return result
