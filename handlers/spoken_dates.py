"""A day as people type it in a sentence: "toi nhan qd hom 10/11", "ngay 5 thang 11 nam 2026",
"05-11-26", "hom qua". Without diacritics, with or without the year."""

from __future__ import annotations

import re
from datetime import date, timedelta

from knowledge.normalize import fold

_NUMERIC = re.compile(
    r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}|\d{2}))?(?!\d)", re.ASCII
)
_WORDS = re.compile(
    r"(?<!\d)(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:,\s*)?nam\s+(\d{4}))?(?!\d)", re.ASCII
)
_RELATIVE = {"hom nay": 0, "hom qua": 1, "hom kia": 2}


def read_day(text: str, today: date) -> date | None:
    """The last day mentioned, if it is a real day not after ``today``. A day without a year is
    the latest such day (typed in January, "20/12" is last December)."""
    folded = fold(text)
    found: list[tuple[int, date | None]] = []
    for pattern in (_NUMERIC, _WORDS):
        for match in pattern.finditer(folded):
            found.append((match.start(), _day(match.groups(), today)))
    for words, back in _RELATIVE.items():
        at = folded.rfind(words)
        if at >= 0:
            found.append((at, today - timedelta(days=back)))
    if not found:
        return None
    day = max(found, key=lambda item: item[0])[1]
    return day if day is not None and day <= today else None


def _day(groups: tuple[str | None, ...], today: date) -> date | None:
    day_text, month_text, year_text = groups
    try:
        if year_text is None:
            guess = date(today.year, int(month_text or 0), int(day_text or 0))
            return guess if guess <= today else guess.replace(year=today.year - 1)
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return date(year, int(month_text or 0), int(day_text or 0))
    except ValueError:
        return None


def read_coming_day(text: str, today: date) -> date | None:
    """The first day mentioned, if it is a real day not before ``today`` (a deadline). A day
    without a year is the next such day (typed in December, "15/01" is next January)."""
    folded = fold(text)
    found = [m for pattern in (_NUMERIC, _WORDS) for m in pattern.finditer(folded)]
    if not found:
        return None
    day_text, month_text, year_text = min(found, key=lambda m: m.start()).groups()
    try:
        if year_text is None:
            guess = date(today.year, int(month_text or 0), int(day_text or 0))
            return guess if guess >= today else guess.replace(year=today.year + 1)
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        day = date(year, int(month_text or 0), int(day_text or 0))
    except ValueError:
        return None
    return day if day >= today else None
