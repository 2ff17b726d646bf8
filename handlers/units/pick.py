"""Finding a commune by what people call it: new name, old name, old address, with or without
diacritics, and saying what an old address is now.

The deployment's own units (`unit` rows) come first; `handlers.admin_units` knows every 2025
commune and where each former one went. A name found in several places is asked about, never
guessed; a commune the deployment does not serve gets advice on whom to turn to, never a
refusal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz
from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from db.conversations import ChatState
from db.models import Unit
from handlers import texts
from handlers.access import Actor, set_person_unit
from handlers.contract import Button, Reply
from handlers.menu import BACK, with_menu
from handlers.units.reference import (
    Commune,
    District,
    Found,
    Place,
    Reference,
    lower_kind,
    name_key,
    reference,
)
from knowledge.normalize import fold, normalize

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
# Places listed in one answer; past that the person is asked to add the district or province.
MAX_LISTED = 6


def unit_key(name: str) -> str:
    # A loaded unit keeps its former units as "Xã Tân Tiến, Huyện Đồng Phú, Tỉnh Bình Phước":
    # the name is what comes before the first comma.
    key = normalize(name.split(",", 1)[0])
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


def _official(unit: Unit, ref: Reference) -> Commune | None:
    """The 2025 commune a row is (loaded with its official code), or None (typed by hand)."""
    commune = ref.communes.get(unit.code or "")
    if commune is None or name_key(commune.name) != name_key(unit.name):
        return None
    return commune


def _by_own_name(units: Sequence[Unit], text: str, ref: Reference) -> list[Unit]:
    """Served units named exactly: by today's name, or by a former name an admin typed in.
    A loaded unit's former names go through the reference, which asks when they are shared."""
    wanted = unit_key(text)
    if not wanted:
        return []
    found = []
    for unit in units:
        names = (unit.name,) if _official(unit, ref) else (unit.name, *unit.aliases)
        if wanted in {unit_key(n) for n in names}:
            found.append(unit)
    return found


def _serving(units: Sequence[Unit], commune: Commune) -> Unit | None:
    for unit in units:
        if unit.code == commune.code:
            return unit
    return None


# -- what an old address is now ---------------------------------------------------------------


def _old(place: Place) -> str:
    assert place.former is not None
    former = place.former
    if former.name == former.district:
        return former.name
    return f"{former.name}, {lower_kind(former.district)}"


def _parts(communes: Sequence[Commune]) -> str:
    return ", ".join(lower_kind(c.name) for c in communes)


def place_note(place: Place) -> str:
    """ "Xã Tân Tiến, huyện Đồng Phú (cũ) nay thuộc xã Đồng Phú, tỉnh Đồng Nai." """
    if len(place.split) > 1:
        return texts.UNIT_SPLIT.format(
            old=_old(place),
            parts=_parts(place.split),
            province=lower_kind(place.commune.province),
            main=lower_kind(place.commune.name),
        )
    return texts.UNIT_MOVED.format(old=_old(place), new=lower_kind(place.commune.label()))


def district_note(district: District) -> str:
    provinces = dict.fromkeys(lower_kind(c.province) for c in district.communes)
    return texts.UNIT_DISTRICT_SPLIT.format(
        district=district.name,
        parts=_parts(district.communes),
        province=", ".join(provinces),
    )


def describe_address(text: str) -> str | None:
    """A note on an address typed in a form: what its old commune is now ("Xã Tân Tiến,
    huyện Đồng Phú (cũ) nay thuộc xã Đồng Phú, tỉnh Đồng Nai."), or that its old name is
    shared and needs the district; None for an address of today or one we cannot read."""
    found = reference().find(text, strict=True)
    place = found.one
    if place is not None:
        return place_note(place) if place.changed else None
    changed = [p for p in found.places if p.changed]
    if not changed:
        return None
    first = changed[0].former
    assert first is not None
    places = "; ".join(p.former.label() for p in changed[:3] if p.former)
    if len(changed) > 3:
        places += "; " + texts.PICK_UNIT_MORE.format(count=len(changed) - 3)
    return texts.ADDRESS_SEVERAL.format(name=lower_kind(first.name), places=places)


# A day ("10/11/2026", "ngày 10 tháng 11 năm 2026") is not "phường 10, quận 11".
_DAYS = re.compile(
    r"(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?(?!\d)"
    r"|(?:ngày\s+|ngay\s+)?\d{1,2}\s+(?:tháng|thang)\s+\d{1,2}"
    r"(?:\s*,?\s*(?:năm|nam)\s+\d{4})?",
    re.IGNORECASE,
)


# A hamlet's or a house's number ("thôn 2 - thôn 3", "tổ 5", "số 12") is not "phường 2, quận 3".
_LOCAL_NUMBERS = re.compile(
    r"\b(?:thôn|thon|xóm|xom|tổ|to|ấp|ap|khu|khóm|khom|đội|doi|bản|ban|số|so|đường|duong|"
    r"ngõ|ngo|ngách|ngach|hẻm|hem|kiệt|kiet|lô|lo|km)\s*\d+\b",
    re.IGNORECASE,
)


def without_days(text: str) -> str:
    """``text`` with the days and the hamlets' or houses' numbers it mentions taken out (before
    looking for places in it)."""
    return _LOCAL_NUMBERS.sub(" ", _DAYS.sub(" ", text))


async def address_note(session: AsyncSession, text: str) -> str | None:
    """``describe_address`` for a form, except for an address that names, in full, a commune
    this deployment serves (the sample "Xã Minh Hòa" is one of six of that name)."""
    text = without_days(text)
    words = f" {' '.join(_WORDS.findall(fold(text)))} "
    for unit in await people.units(session):
        if unit.kind in COMMUNE_KINDS and f" {' '.join(_WORDS.findall(fold(unit.name)))} " in words:
            return None
    return describe_address(text)


_WORDS = re.compile(r"\w+")


def official_address(text: str) -> str:
    """An address as officials see it: today's unit first, the old one in brackets ("Tổ 3, ấp
    2, xã Đồng Phú, tỉnh Đồng Nai (cũ: xã Tân Tiến, huyện Đồng Phú, Bình Phước)"). An address
    of today, or one that could mean several places, is shown as typed."""
    ref = reference()
    place = ref.find(text, strict=True).one
    if place is None or not place.changed or place.former is None:
        return text
    segments = [s.strip() for s in text.split(",")]
    start = 0
    for index, segment in enumerate(segments):
        if any(p.former == place.former for p in ref.find(segment).places):
            start = index
            break
    street = ", ".join(s for s in segments[:start] if s)
    new = texts.OFFICIAL_ADDRESS_OR.join(
        lower_kind(c.name) for c in (place.split or (place.commune,))
    )
    new = f"{new}, {lower_kind(place.commune.province)}"
    return texts.OFFICIAL_ADDRESS.format(
        street=f"{street}, " if street else "",
        new=new if street else new[0].upper() + new[1:],
        old=", ".join(segments[start:]),
    )


async def advise_unserved(session: AsyncSession, text: str) -> str | None:
    """Advice when ``text`` names one commune (old or new) the deployment does not serve: who
    may be competent and that the citizen can still file here; None otherwise. For the form
    fields that say where the matter is (a phản ánh's place, the body behind a decision)."""
    place = reference().find(without_days(text), strict=True).one
    if place is None:
        return None
    units = [u for u in await people.units(session) if u.kind in COMMUNE_KINDS]
    if any(_serving(units, c) for c in (place.split or (place.commune,))):
        return None
    if any(name_key(u.name) == name_key(place.commune.name) for u in units):
        return None  # a unit typed by hand under that name: served, as far as we can tell
    return _not_served(place)


def _not_served(place: Place) -> str:
    advice = texts.UNIT_NOT_SERVED.format(
        unit=place.commune.name,
        unit_lower=lower_kind(place.commune.name),
        province=lower_kind(place.commune.province),
    )
    return f"{place_note(place)} {advice}" if place.changed else advice


# -- the citizen's /xa pick ----------------------------------------------------------------------

PICK_FLOW = "pick_unit"
PICK_PREFIX = "unit:"
PICK_COMMAND = "/xa"


def ask_unit(state: ChatState) -> Reply:
    state.flow, state.step = PICK_FLOW, "name"
    return Reply(texts.PICK_UNIT_ASK, (BACK,))


def _buttons(units: Sequence[Unit]) -> tuple[Button, ...]:
    return tuple(Button(unit.name, f"{PICK_PREFIX}{unit.id}") for unit in units)


async def choose_unit(session: AsyncSession, state: ChatState, actor: Actor, text: str) -> Reply:
    """The person typed a commune name or an address: take it if it is one of ours, offer
    choices if several, say what an old name is now, advise if it is not served here."""
    communes = [u for u in await people.units(session) if u.kind in COMMUNE_KINDS]
    if not communes:
        state.flow = state.step = None
        return with_menu(texts.NO_UNITS)
    ref = reference()
    named = _by_own_name(communes, text, ref)
    found = ref.find(text)
    if len(named) == 1 and not _also_former_elsewhere(found, named[0], communes):
        return await confirm_unit(session, state, actor, named[0])
    if len(named) > 1:
        return Reply(texts.PICK_UNIT_CHOOSE, (*_buttons(named), BACK))
    close = match_units(communes, text)
    if (found.places or found.districts) and (_served_in(found, communes) or not close):
        return await _answer(session, state, actor, found, communes)
    if len(close) == 1:
        return await confirm_unit(session, state, actor, close[0])
    if not close:
        return Reply(texts.PICK_UNIT_NONE, (BACK,))
    return Reply(texts.PICK_UNIT_CHOOSE, (*_buttons(close), BACK))


def _also_former_elsewhere(found: Found, unit: Unit, communes: Sequence[Unit]) -> bool:
    """Today's name of one served unit is also the old name of a part of another served unit
    ("Tân Tiến" in a deployment serving both xã Tân Tiến and xã Đồng Phú): then we ask."""
    for place in found.places:
        if place.former is None:
            continue
        for commune in place.split or (place.commune,):
            other = _serving(communes, commune)
            if other is not None and other.id != unit.id:
                return True
    return False


def _once(units: Iterable[Unit]) -> list[Unit]:
    return list({u.id: u for u in units}.values())


def _served_in(found: Found, communes: Sequence[Unit]) -> bool:
    candidates = [c for p in found.places for c in (p.split or (p.commune,))]
    candidates += [c for d in found.districts for c in d.communes]
    return any(_serving(communes, c) for c in candidates)


async def _answer(
    session: AsyncSession, state: ChatState, actor: Actor, found: Found, communes: Sequence[Unit]
) -> Reply:
    place = found.one
    if place is not None:
        parts = place.split or (place.commune,)
        served = [u for u in (_serving(communes, c) for c in parts) if u is not None]
        if len(parts) == 1 and served:
            note = place_note(place) if place.changed else None
            return await confirm_unit(session, state, actor, served[0], note)
        if served:
            text = f"{place_note(place)} {texts.PICK_UNIT_WHICH_PART}"
            return Reply(text, (*_buttons(served), BACK))
        state.flow = state.step = None
        return with_menu(_not_served(place))
    if not found.places:
        notes = " ".join(district_note(d) for d in found.districts[:3])
        within = [c for d in found.districts for c in d.communes]
        served = _once(u for c in within if (u := _serving(communes, c)))
        return Reply(f"{notes} {texts.PICK_UNIT_WHICH_COMMUNE}", (*_buttons(served), BACK))
    # The places this deployment serves first.
    options = sorted(
        found.places,
        key=lambda p: not any(_serving(communes, c) for c in (p.split or (p.commune,))),
    )
    lines = []
    for option in options[:MAX_LISTED]:
        new = lower_kind(option.commune.label())
        if option.former is not None and option.changed:
            lines.append(texts.PLACE_LINE.format(old=option.former.label(), new=new))
        else:
            lines.append(texts.PLACE_LINE_NOW.format(new=option.commune.label()))
    if len(found.places) > MAX_LISTED:
        lines.append(texts.PICK_UNIT_MORE.format(count=len(found.places) - MAX_LISTED))
    example = next((p.former for p in options if p.former is not None), None)
    served = _once(
        u
        for option in found.places
        for c in (option.split or (option.commune,))
        if (u := _serving(communes, c))
    )
    reply = texts.PICK_UNIT_SEVERAL.format(
        places="\n".join(lines),
        example=example.label() if example else found.places[0].commune.label(),
    )
    return Reply(reply, (*_buttons(served), BACK))


async def confirm_unit(
    session: AsyncSession, state: ChatState, actor: Actor, unit: Unit, note: str | None = None
) -> Reply:
    assert unit.id is not None
    await set_person_unit(session, actor, unit.id)
    state.flow = state.step = None
    done = texts.PICK_UNIT_DONE.format(unit=unit.name)
    return with_menu(f"{note} {done}" if note else done)
