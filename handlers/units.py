"""Finding a commune by what people call it: new name, old name, with or without diacritics."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz
from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from db.conversations import ChatState
from db.models import Unit
from handlers import texts
from handlers.access import Actor, set_person_unit
from handlers.contract import Button, Reply
from handlers.menu import BACK, with_menu
from knowledge.normalize import normalize

COMMUNE_KINDS = frozenset({"xa", "phuong", "dac_khu"})

# Words in front of a name that say what kind of unit it is, not which one.
_PREFIXES = (
    "uy ban nhan dan ",
    "ubnd ",
    "xa ",
    "phuong ",
    "dac khu ",
    "thi tran ",
    "tinh ",
    "thanh pho ",
)
MIN_SIMILARITY = 85


def unit_key(name: str) -> str:
    key = normalize(name)
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix):
                key = key.removeprefix(prefix)
                changed = True
    for suffix in (" cu", " du lieu mau"):
        key = key.removesuffix(suffix)
    return key.strip()


def match_units(units: Sequence[Unit], text: str, limit: int = 3) -> list[Unit]:
    """Units whose name or a former name matches ``text``: exact first, then close spellings."""
    wanted = unit_key(text)
    if not wanted:
        return []
    exact = [u for u in units if wanted in {unit_key(n) for n in (u.name, *u.aliases)}]
    if exact:
        return exact[:limit]
    scored = []
    for unit in units:
        best = max(fuzz.ratio(wanted, unit_key(n)) for n in (unit.name, *unit.aliases))
        if best >= MIN_SIMILARITY:
            scored.append((best, unit))
    scored.sort(key=lambda pair: -pair[0])
    return [unit for _, unit in scored[:limit]]


PICK_FLOW = "pick_unit"
PICK_PREFIX = "unit:"
PICK_COMMAND = "/xa"


def ask_unit(state: ChatState) -> Reply:
    state.flow, state.step = PICK_FLOW, "name"
    return Reply(texts.PICK_UNIT_ASK, (BACK,))


async def choose_unit(session: AsyncSession, state: ChatState, actor: Actor, text: str) -> Reply:
    """The person typed a commune name: take it if it is one, offer choices if several."""
    communes = [u for u in await people.units(session) if u.kind in COMMUNE_KINDS]
    if not communes:
        state.flow = state.step = None
        return with_menu(texts.NO_UNITS)
    found = match_units(communes, text)
    if len(found) == 1:
        return await confirm_unit(session, state, actor, found[0])
    if not found:
        return Reply(texts.PICK_UNIT_NONE, (BACK,))
    buttons = tuple(Button(unit.name, f"{PICK_PREFIX}{unit.id}") for unit in found)
    return Reply(texts.PICK_UNIT_CHOOSE, (*buttons, BACK))


async def confirm_unit(session: AsyncSession, state: ChatState, actor: Actor, unit: Unit) -> Reply:
    assert unit.id is not None
    await set_person_unit(session, actor, unit.id)
    state.flow = state.step = None
    return with_menu(texts.PICK_UNIT_DONE.format(unit=unit.name))
