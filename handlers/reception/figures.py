"""The reception figures the seeds' reports give: lượt tiếp, số người, vụ việc, đoàn đông người."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from db import reception as rows

# "Đoàn đông người": five or more people on one matter (Luật Tiếp công dân 42/2013, Điều 29).
GROUP_FROM = 5


# The kinds of session a report always lists, with a zero when there was none.
REPORTED_KINDS = ("thuong_xuyen", "dinh_ky", "dot_xuat")


@dataclass
class ReceptionFigures:
    visits: int = 0
    people: int = 0
    cases: int = 0
    groups: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    people_by_kind: dict[str, int] = field(default_factory=dict)
    groups_by_kind: dict[str, int] = field(default_factory=dict)


def tally(received: Iterable[tuple[int, str]]) -> ReceptionFigures:
    """The figures of (group size, session kind) rows, one per citizen or group received."""
    result = ReceptionFigures()
    for group_size, kind in received:
        result.visits += 1
        result.people += group_size
        result.cases += 1
        group = group_size >= GROUP_FROM
        result.groups += group
        result.by_kind[kind] = result.by_kind.get(kind, 0) + 1
        result.people_by_kind[kind] = result.people_by_kind.get(kind, 0) + group_size
        result.groups_by_kind[kind] = result.groups_by_kind.get(kind, 0) + group
    return result


async def figures(
    session: AsyncSession, unit_ids: set[int], start: datetime, end: datetime
) -> ReceptionFigures:
    """Citizens actually received (attended bookings and desk records) in [start, end)."""
    return tally(await rows.attended(session, unit_ids, start, end))
