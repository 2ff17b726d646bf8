"""The desk's đơn queue: filters and a search by code, name or phone, inside the official's
scope (``access.scope``), without the đơn they are accused in.

A search by name or phone reads the filers' details, so it never matches a tố cáo through its
filer except for the tố cáo's handler: a hit would tell the searcher who filed it. The rows
themselves carry no filer, whatever the kind (as the chat's queue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, desk, people
from handlers import texts
from handlers.access import Actor, scope
from handlers.desk import wording
from handlers.desk.names import name_of
from handlers.petitions.case import FINAL, _day
from knowledge.normalize import fold

OPEN, ALL, ENDED = "open", "all", "ended"
DUE_CHOICES = {"overdue": "Quá hạn", "7": "Đến hạn trong 7 ngày", "none": "Chưa có hạn"}
CODE = re.compile(r"^([A-Za-z]{2})-?(\d{4})(?:-?([A-Za-z0-9]{1,6}))?$")
MAX_QUERY = 100
MAX_ROWS = 200


@dataclass(frozen=True)
class Filters:
    status: str = OPEN
    kind: str = ""
    due: str = ""
    # "", "me", "none" or a person id (as text, from a form).
    handler: str = ""
    unit: int | None = None
    q: str = ""

    @property
    def is_search(self) -> bool:
        return bool(self.q.strip())


@dataclass(frozen=True)
class Row:
    id: int
    code: str
    kind: str
    received: date | None
    registered: date
    due: date | None
    due_words: str
    overdue: bool
    status: str
    handler: str
    unit: str


@dataclass(frozen=True)
class Choices:
    """What the filter form offers: the statuses, kinds, units and handlers in scope."""

    statuses: dict[str, str]
    kinds: dict[str, str]
    units: list[tuple[int, str]]
    handlers: list[tuple[int, str]]


def digits(text: str) -> str:
    found = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    return "0" + found[2:] if found.startswith("84") and len(found) > 9 else found


async def choices(session: AsyncSession, actor: Actor) -> Choices:
    units = await scope(session, actor)
    unit_names = await desk.unit_names(session, units)
    staff = await people.staff_of_units(session, sorted(units))
    statuses = {OPEN: "Đang xử lý", ALL: "Tất cả", ENDED: "Đã kết thúc"}
    # Only the first letter: the rest may be a name (UBND) that lower-casing would spoil.
    named = texts.PETITION_STATUS_NAMES.items()
    statuses.update({key: name[:1].upper() + name[1:] for key, name in named})
    return Choices(
        statuses=statuses,
        kinds=dict(texts.PETITION_KIND_NAMES),
        units=sorted(unit_names.items(), key=lambda item: item[1]),
        handlers=[(pid, name_of(pid, name)) for pid, name in staff],
    )


async def rows(session: AsyncSession, actor: Actor, filters: Filters, today: date) -> list[Row]:
    units = await scope(session, actor)
    if filters.unit is not None:
        units &= await people.subtree_ids(session, filters.unit)
    if not units:
        return []
    hidden = await accused.targets_naming(session, accused.PETITION, actor.person_id)
    statuses: list[str] | None = None
    not_statuses: frozenset[str] = frozenset()
    if filters.status == OPEN:
        not_statuses = FINAL
    elif filters.status == ENDED:
        statuses = sorted(FINAL)
    elif filters.status in texts.PETITION_STATUS_NAMES:
        statuses = [filters.status]
    handler: int | None = None
    if filters.handler == "me":
        handler = actor.person_id
    elif filters.handler.isascii() and filters.handler.isdigit() and len(filters.handler) < 10:
        handler = int(filters.handler)
    ids, code_part = await _search(session, actor, units, filters.q)
    found = await desk.petitions(
        session,
        units,
        hidden,
        statuses=statuses,
        not_statuses=not_statuses,
        kind=filters.kind if filters.kind in texts.PETITION_KIND_NAMES else None,
        handler=handler,
        unhandled=filters.handler == "none",
        due_before=(
            today - timedelta(days=1)
            if filters.due == "overdue"
            else today + timedelta(days=7)
            if filters.due == "7"
            else None
        ),
        no_due=filters.due == "none",
        ids=ids,
        code_part=code_part,
        limit=MAX_ROWS,
    )
    if filters.due in ("overdue", "7"):
        # The due filters are about cases still running.
        found = [p for p in found if p.status not in FINAL]
    names = await desk.names(session, [p.handler_person_id or 0 for p in found])
    unit_names = await desk.unit_names(session, {p.unit_id for p in found})
    return [
        Row(
            id=p.id or 0,
            code=p.code,
            kind=texts.PETITION_KIND_NAMES.get(p.kind, p.kind),
            received=_day(p.received_at) if p.received_at else None,
            registered=_day(p.registered_at),
            due=p.due_date,
            due_words=wording.due_words(p, today),
            overdue=wording.overdue(p, today),
            status=texts.PETITION_STATUS_NAMES.get(p.status, p.status),
            handler=(
                name_of(p.handler_person_id, names.get(p.handler_person_id))
                if p.handler_person_id
                else texts.NO_HANDLER
            ),
            unit=unit_names.get(p.unit_id, ""),
        )
        for p in found
    ]


async def _search(
    session: AsyncSession, actor: Actor, units: set[int], typed: str
) -> tuple[set[int] | None, str | None]:
    """(đơn ids matched by a filer's name or phone, or a part of a code to match); (None,
    None) when nothing was typed."""
    query = " ".join(typed.split())[:MAX_QUERY]
    if not query:
        return None, None
    code = CODE.match(query)
    if code:
        prefix, year, rest = code.groups()
        return None, f"{prefix}-{year}-{rest or ''}".upper()
    wanted_digits = digits(query)
    by_phone = len(wanted_digits) >= 4 and len(wanted_digits) * 2 >= len(query.replace(" ", ""))
    wanted_name = fold(query)
    matched: set[int] = set()
    for petition_id, kind, handler, full_name, phone in await desk.parties(session, units):
        if kind == "to_cao" and handler != actor.person_id:
            continue
        if by_phone:
            if wanted_digits in digits(phone):
                matched.add(petition_id)
        elif wanted_name and wanted_name in fold(full_name):
            matched.add(petition_id)
    return matched, None
