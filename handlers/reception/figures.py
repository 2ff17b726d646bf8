"""The reception figures the seeds' reports give: lượt tiếp, số người, vụ việc, đoàn đông người."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from db import reception as rows

# "Đoàn đông người": five or more people on one matter (Luật Tiếp công dân 42/2013, Điều 29).
GROUP_FROM = 5


@dataclass
class ReceptionFigures:
    visits: int = 0
    people: int = 0
    cases: int = 0
    groups: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    people_by_kind: dict[str, int] = field(default_factory=dict)


async def figures(
    session: AsyncSession, unit_ids: set[int], start: datetime, end: datetime
) -> ReceptionFigures:
    """Citizens actually received (attended bookings and desk records) in [start, end)."""
    result = ReceptionFigures()
    for group_size, kind in await rows.attended(session, unit_ids, start, end):
        result.visits += 1
        result.people += group_size
        result.cases += 1
        result.groups += group_size >= GROUP_FROM
        result.by_kind[kind] = result.by_kind.get(kind, 0) + 1
        result.people_by_kind[kind] = result.people_by_kind.get(kind, 0) + group_size
    return result
