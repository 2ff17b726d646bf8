"""Reports in the officials' chat: the period, the unit when the official has several, the
paragraphs, and a link to the same report on the staff desk, where the workbook, the document
and the chart are (behind the desk's session and scope)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from db.models import Unit
from handlers import texts
from handlers.access import Actor, units_under
from handlers.clock import VN_TZ
from handlers.contract import Button, Reply
from handlers.desk.reports import page_url
from handlers.menu import BACK
from handlers.reports import QUICK_PERIODS, build, paragraphs, quick_period
from knowledge.normalize import ascii_int

PREFIX = "staff:rp:"
MENU = "staff:reports"


def menu() -> Reply:
    buttons = tuple(Button(texts.REPORT_PERIODS[name], f"{PREFIX}{name}") for name in QUICK_PERIODS)
    return Reply(texts.REPORT_PICK, (*buttons, BACK))


# A chat menu of more units than this is unreadable; the CLI's --unit reaches any unit.
MOST_UNITS_SHOWN = 12


async def _units_to_pick(session: AsyncSession, actor: Actor) -> list[Unit]:
    """The units an official may report on from the chat: those they hold a role for, and the
    units directly below them (a ward's report, from a province account)."""
    held = list(dict.fromkeys(unit_id for _, unit_id in actor.roles))
    found: list[Unit] = []
    for unit in await people.units(session):
        if unit.id in held or unit.parent_id in held:
            found.append(unit)
    found.sort(
        key=lambda unit: (unit.id not in held, held.index(unit.id) if unit.id in held else 0)
    )
    return found[:MOST_UNITS_SHOWN]


async def press(
    session: AsyncSession,
    actor: Actor,
    payload: str,
    now: datetime,
    cutoff: int | None,
    public_url: str | None = None,
) -> Reply:
    if payload == MENU:
        return menu()
    name, _, chosen = payload.removeprefix(PREFIX).partition(":")
    if name not in QUICK_PERIODS or not actor.roles:
        return Reply(texts.STALE_BUTTON, (BACK,))
    today = now.astimezone(VN_TZ).date()
    period = quick_period(name, today, cutoff)
    units = await _units_to_pick(session, actor)
    if not chosen and len(units) > 1:
        # Several units: the official says which, as the CLI asks for --unit.
        buttons = tuple(Button(unit.name, f"{PREFIX}{name}:{unit.id}") for unit in units)
        return Reply(texts.REPORT_UNIT_ASK, (*buttons, Button(texts.STAFF_REPORTS, MENU), BACK))
    unit_id = ascii_int(chosen) if chosen else (units[0].id if units else None)
    if unit_id is None or unit_id not in await units_under(session, [u for _, u in actor.roles]):
        return Reply(texts.STALE_BUTTON, (BACK,))
    built = await build(session, unit_id, period, today)
    said = paragraphs(built)
    if public_url:
        said.append(texts.REPORT_DESK_LINK.format(url=page_url(public_url, unit_id, period)))
    buttons = (Button(texts.STAFF_REPORTS, MENU), BACK)
    return Reply("\n\n".join(said), buttons, no_preview=True)
