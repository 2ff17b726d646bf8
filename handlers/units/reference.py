"""Vietnam's administrative units since 01/7/2025, and where each former commune went.

`handlers/data/units_2025.json` (built by `handlers/units/build_data.py` from the MIT-licensed
`vietnamadminunits` package's data) lists the 34 provinces, the 3,321 communes, wards and
special zones with their official codes, and the 10,040 communes of before the merger (with
their district and province) with the new unit(s) each one went to: the first one is where most
of a commune that was split went.

`find` reads what a citizen typed ("xa tan tien dong phu", "Thị trấn Hà Lam, Huyện Thăng Bình,
Tỉnh Quảng Nam", "p. Phổ Hòa, tx Đức Phổ") and returns every place it can mean. It never
guesses between places: a name found in several districts or provinces comes back as several
places, and the caller asks. Pure and in memory; the data is read once.

Size (about 430 lines): the reading of a typed address (words, kinds, pairs of place and
parent) and the reference's indexes are one algorithm and are read together.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

from knowledge.normalize import fold

T = TypeVar("T")

DATA_PATH = Path(__file__).parent.parent / "data" / "units_2025.json"
LICENSE_PATH = Path(__file__).parent.parent / "data" / "units_2025.LICENSE.txt"
KIND_OF_TYPE = {"Xã": "xa", "Phường": "phuong", "Đặc khu": "dac_khu"}

# Words in front of a name that say which level it is (folded). "thanh pho" was a district
# (a provincial city) or a province (a centrally-run city): it says "not a commune".
_COMMUNE_WORDS = ("xa", "phuong", "thi tran", "dac khu")
_DISTRICT_WORDS = ("huyen", "quan", "thi xa")
_PROVINCE_WORDS = ("tinh",)
_UPPER_WORDS = ("thanh pho",)
_KIND_WORDS = _COMMUNE_WORDS + _DISTRICT_WORDS + _PROVINCE_WORDS + _UPPER_WORDS
_KIND_NAMES = (
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "xã",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
)
_KINDS_LONGEST_FIRST = sorted(_KIND_WORDS, key=lambda kind: -len(kind.split()))
_ROLES = sorted(
    [
        *((k, "commune") for k in _COMMUNE_WORDS),
        *((k, "district") for k in _DISTRICT_WORDS),
        *((k, "province") for k in _PROVINCE_WORDS),
        *((k, "upper") for k in _UPPER_WORDS),
    ],
    key=lambda pair: -len(pair[0].split()),
)
# Address shorthand people type ("tt Hà Lam", "tx Đức Phổ", "p.Phổ Hòa", "tp HCM").
_SHORTHAND = {
    "tt": "thi tran",
    "tx": "thi xa",
    "tp": "thanh pho",
    "tph": "thanh pho",
    "x": "xa",
    "p": "phuong",
    "h": "huyen",
    "q": "quan",
    "t": "tinh",
    "dk": "dac khu",
    "hcm": "ho chi minh",
    "tphcm": "thanh pho ho chi minh",
    "brvt": "ba ria vung tau",
}
_GLUED = re.compile(r"^(p|q)(\d+)$")
_SEPARATORS = re.compile(r"[,;\n]+")
_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_WORDS = 6


def _pairs(text: str) -> list[tuple[str, str]]:
    """(folded, accented) lower-case words, shorthand expanded, leading zeros dropped."""
    out: list[tuple[str, str]] = []
    for raw in _WORD.findall(unicodedata.normalize("NFC", text).lower()):
        raw = raw.replace("_", "")
        if not raw:
            continue
        if raw.isdigit():
            raw = raw.lstrip("0") or "0"
        folded = fold(raw)
        glued = _GLUED.match(folded)
        if glued:
            # "p12", "q1": a kind word glued to a number.
            expanded = [*_SHORTHAND[glued.group(1)].split(), glued.group(2).lstrip("0") or "0"]
            out.extend((w, w) for w in expanded)
        elif folded in _SHORTHAND:
            out.extend((w, w) for w in _SHORTHAND[folded].split())
        else:
            out.append((folded, raw))
    return out


def words(text: str) -> list[str]:
    """Folded words of a place name or an address, shorthand expanded."""
    return [folded for folded, _ in _pairs(text)]


def _strip_kind(folded: list[str]) -> list[str]:
    """Without the one kind word in front ("Xã Phương Phú" keeps "phuong phu")."""
    for kind in _KINDS_LONGEST_FIRST:
        head = kind.split()
        if folded[: len(head)] == head and len(folded) > len(head):
            return folded[len(head) :]
    return folded


def name_key(name: str) -> str:
    """ "Thị trấn Hà Lam" -> "ha lam"; "Phường 01" -> "1"; "Tỉnh Bà Rịa - Vũng Tàu" ->
    "ba ria vung tau"."""
    return " ".join(_strip_kind(words(name)))


@cache
def _accent_key(name: str) -> str:
    """ "Thị trấn Hà Lam" -> "hà lam": tells "Đồng Phú" from "Đông Phú" when both are typed
    with their marks."""
    pairs = _pairs(name)
    kept = _strip_kind([folded for folded, _ in pairs])
    return " ".join(accented for _, accented in pairs[len(pairs) - len(kept) :])


def lower_kind(name: str) -> str:
    """ "Xã Đồng Phú" -> "xã Đồng Phú", as it reads inside a sentence."""
    for kind in _KIND_NAMES:
        if name.lower().startswith(kind + " "):
            return kind + name[len(kind) :]
    return name


@dataclass(frozen=True)
class Commune:
    """A commune, ward or special zone since 01/7/2025."""

    code: str
    name: str
    kind: str
    province_code: str
    province: str

    def label(self) -> str:
        return f"{self.name}, {lower_kind(self.province)}"


@dataclass(frozen=True)
class Former:
    """A commune (or an island district) as it was before 01/7/2025."""

    code: str
    name: str
    district: str
    province: str
    now: tuple[str, ...]

    def label(self) -> str:
        if self.name == self.district:
            return f"{self.name}, {lower_kind(self.province)}"
        return f"{self.name}, {lower_kind(self.district)}, {lower_kind(self.province)}"

    def address(self) -> str:
        """As the former unit is kept in a loaded unit's aliases."""
        if self.name == self.district:
            return f"{self.name}, {self.province}"
        return f"{self.name}, {self.district}, {self.province}"


@dataclass(frozen=True)
class Place:
    """What a text can mean: a commune of today, reached through a former name or not. A
    former commune split between several new ones has them all in ``split`` (its ``commune``
    is where most of it went)."""

    commune: Commune
    former: Former | None = None
    split: tuple[Commune, ...] = ()

    @property
    def changed(self) -> bool:
        """The text named a unit that no longer exists under that name or province."""
        if self.former is None:
            return False
        return (
            len(self.split) > 1
            or name_key(self.former.name) != name_key(self.commune.name)
            or name_key(self.former.province) != name_key(self.commune.province)
        )


@dataclass(frozen=True)
class District:
    """A district that no longer exists, and the communes it is now split among."""

    name: str
    province: str
    communes: tuple[Commune, ...]

    def label(self) -> str:
        return f"{self.name}, {lower_kind(self.province)}"


@dataclass
class Found:
    places: list[Place] = field(default_factory=list)
    districts: list[District] = field(default_factory=list)

    @property
    def one(self) -> Place | None:
        return self.places[0] if len(self.places) == 1 else None


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    role: str | None  # "commune", "district", "province", "upper" or None: the word before it
    typed: str  # as typed, with the marks the person put (or none)

    def fits(self, name: str) -> bool:
        """Typed without marks, or with the name's own marks."""
        return fold(self.typed) == self.typed or self.typed == _accent_key(name)


class Reference:
    """The 2025 units and the former ones, indexed by folded name."""

    def __init__(self, data: dict[str, object]) -> None:
        self.source: dict[str, str] = dict(data["source"])  # type: ignore[call-overload]
        provinces: list[dict[str, str]] = data["provinces"]  # type: ignore[assignment]
        self.provinces = {p["code"]: p["name"] for p in provinces}
        rows: list[dict[str, str]] = data["communes"]  # type: ignore[assignment]
        self.communes = {
            r["code"]: Commune(
                r["code"], r["name"], r["kind"], r["province"], self.provinces[r["province"]]
            )
            for r in rows
        }
        formers: dict[str, dict[str, list[list[object]]]] = data["former"]  # type: ignore[assignment]
        self.formers: list[Former] = []
        for province, districts in formers.items():
            for district, entries in districts.items():
                for name, code, now in entries:
                    self.formers.append(
                        Former(str(code), str(name), district, province, tuple(now))  # type: ignore[arg-type]
                    )
        self._units: dict[str, list[Commune | Former]] = {}
        for commune in self.communes.values():
            self._units.setdefault(name_key(commune.name), []).append(commune)
        for former in self.formers:
            if former.name != former.district:
                self._units.setdefault(name_key(former.name), []).append(former)
        self._districts: dict[str, set[tuple[str, str]]] = {}
        self.district_formers: dict[tuple[str, str], list[Former]] = {}
        for former in self.formers:
            place = (former.province, former.district)
            self._districts.setdefault(name_key(former.district), set()).add(place)
            self.district_formers.setdefault(place, []).append(former)
        self._provinces: dict[str, set[str]] = {}
        for name in {*self.provinces.values(), *(f.province for f in self.formers)}:
            self._provinces.setdefault(name_key(name), set()).add(name)
        self.formers_of: dict[str, list[Former]] = {}
        for former in self.formers:
            for code in former.now:
                self.formers_of.setdefault(code, []).append(former)

    # -- provinces and communes by name ---------------------------------------------------

    def province_codes(self, text: str) -> list[str]:
        """The 2025 province(s) a name or code means ("Đồng Nai", "dong nai", "75")."""
        key = text.strip()
        if key in self.provinces:
            return [key]
        wanted = name_key(key)
        return [code for code, name in self.provinces.items() if name_key(name) == wanted]

    def communes_in(self, province_code: str) -> list[Commune]:
        return [c for c in self.communes.values() if c.province_code == province_code]

    def communes_named(self, text: str, province_code: str | None = None) -> list[Commune]:
        """Communes of today by code or name ("Xã Đồng Phú", "dong phu", "25363")."""
        key = text.strip()
        if key in self.communes:
            found = [self.communes[key]]
        else:
            wanted = name_key(key)
            found = [c for c in self.communes.values() if name_key(c.name) == wanted]
            # "Xã Đồng Phú" typed with its marks is not "Xã Đông Phú".
            marked = [c for c in found if _accent_key(c.name) == _accent_key(key)]
            found = marked or found
        return [c for c in found if province_code is None or c.province_code == province_code]

    def district_split(self, province: str, district: str) -> District:
        codes = dict.fromkeys(
            code for f in self.district_formers[(province, district)] for code in f.now
        )
        return District(district, province, tuple(self.communes[c] for c in codes))

    # -- reading an address -----------------------------------------------------------------

    def find(self, text: str, limit: int = 40, *, strict: bool = False) -> Found:
        """Every place ``text`` can mean; several when the text does not decide. ``strict``
        (for an address inside other words, "nhà tôi gần chợ") takes a name only after its
        kind word ("xã", "p."), or confirmed by its district or province, or typed alone."""
        segments = [_pairs(part) for part in _SEPARATORS.split(text[:500])]
        flat: list[str] = []
        marked: list[str] = []
        bounds: list[tuple[int, int]] = []
        for segment in segments:
            bounds.append((len(flat), len(flat) + len(segment)))
            flat.extend(folded for folded, _ in segment)
            marked.extend(accented for _, accented in segment)
        units: list[tuple[_Hit, Commune | Former]] = []
        districts: list[tuple[_Hit, tuple[str, str]]] = []
        provinces: list[tuple[_Hit, str]] = []
        for start_at, end_at in bounds:
            for i in range(start_at, end_at):
                role = _role_before(flat, i, start_at)
                for j in range(i + 1, min(end_at, i + _MAX_WORDS) + 1):
                    key = " ".join(flat[i:j])
                    hit = _Hit(i, j, role, " ".join(marked[i:j]))
                    units.extend((hit, u) for u in self._units.get(key, ()))
                    districts.extend((hit, d) for d in self._districts.get(key, ()))
                    provinces.extend((hit, p) for p in self._provinces.get(key, ()))
        districts, provinces = _outer(districts), _outer(provinces)
        # What a "huyện", "tỉnh" or "thành phố" word names is no commune, nor any part of it.
        upper_spans = [
            (h.start, h.end)
            for h, _ in (*districts, *provinces)
            if h.role in ("district", "province", "upper")
        ]
        scored: list[tuple[tuple[int, int, int], Place]] = []
        for hit, unit in units:
            if hit.role not in (None, "commune") or any(
                s <= hit.start and hit.end <= e for s, e in upper_spans
            ):
                continue
            rest = [
                (h, d)
                for h, d in districts
                if _apart(h, hit) and h.role != "commune" and h.fits(d[1])
            ]
            upper = [
                (h, p) for h, p in provinces if _apart(h, hit) and h.role != "commune" and h.fits(p)
            ]
            if isinstance(unit, Commune):
                support = int(any(p == unit.province for _, p in upper))
                place = Place(unit)
            else:
                in_district = any(d == (unit.province, unit.district) for _, d in rest)
                now_provinces = {self.communes[c].province for c in unit.now}
                in_province = any(p == unit.province or p in now_provinces for _, p in upper)
                support = int(in_district) + int(in_province)
                split = tuple(self.communes[c] for c in unit.now)
                place = Place(split[0], unit, split if len(split) > 1 else ())
            if not hit.fits(unit.name):
                continue  # typed with other marks: another word ("chợ" is not "Chờ")
            alone = hit.start == 0 and hit.end == len(flat)
            if strict and not (support or alone or hit.role == "commune"):
                continue
            scored.append(((support, hit.end - hit.start, 0), place))
        found = Found()
        if scored:
            # The most levels confirmed (district, province), then the longest name, then
            # the marks as typed.
            best = max(score for score, _ in scored)
            kept = [place for score, place in scored if score == best]
            found.places = _distinct(kept)[:limit]
            return found
        # No commune named: a former district alone ("huyện Đồng Phú") says where to look.
        for hit, (province, district) in districts:
            if hit.role == "commune" or not hit.fits(district):
                continue
            named_province = [
                p for h, p in provinces if _apart(h, hit) and name_key(p) == name_key(province)
            ]
            if named_province or not any(_apart(h, hit) for h, _ in provinces):
                found.districts.append(self.district_split(province, district))
        found.districts = list({(d.province, d.name): d for d in found.districts}.values())
        return found


def _role_before(flat: Sequence[str], i: int, start_at: int) -> str | None:
    for kind, role in _ROLES:
        head = kind.split()
        if i - len(head) >= start_at and list(flat[i - len(head) : i]) == head:
            return role
    return None


def _outer(hits: list[tuple[_Hit, T]]) -> list[tuple[_Hit, T]]:
    """Without the hits lying inside a longer hit of the same list ("vinh" in "vinh cuu")."""
    spans = {(h.start, h.end) for h, _ in hits}
    return [
        (h, x)
        for h, x in hits
        if not any(s <= h.start and h.end <= e and e - s > h.end - h.start for s, e in spans)
    ]


def _apart(a: _Hit, b: _Hit) -> bool:
    return a.end <= b.start or b.end <= a.start


def _distinct(places: Iterable[Place]) -> list[Place]:
    """One place per new commune: a former name and today's name of the same unit are one
    answer; of several former units going to it, the first found stays."""
    by_commune: dict[tuple[str, ...], Place] = {}
    for place in places:
        key = tuple(c.code for c in place.split) or (place.commune.code,)
        kept = by_commune.get(key)
        if kept is None or (kept.changed and not place.changed):
            by_commune[key] = place
    return list(by_commune.values())


@cache
def reference() -> Reference:
    return Reference(json.loads(DATA_PATH.read_text(encoding="utf-8")))
