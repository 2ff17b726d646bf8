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


# "ngày 14", "ng 14", "mùng 4": a day of the month, the month left out.
_DAY_ONLY = re.compile(
    r"\b(?:ngay|ng|mung|mong)\s+(\d{1,2})\b(?!\s*(?:[/.-]\s*\d|thang))", re.ASCII
)
# "thứ 2", "thứ hai", "t2", "chủ nhật", "cn", then "tuần sau" / "tuần tới" for next week's.
_WEEKDAY = re.compile(
    r"\b(?:(?:thu|th|t)\s*(2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)|(chu nhat|cn))\b"
    r"(\s+(?:tuan|t)\s*(?:sau|toi))?",
    re.ASCII,
)
_WEEKDAYS = {"2": 0, "hai": 0, "3": 1, "ba": 1, "4": 2, "tu": 2, "5": 3, "nam": 3, "6": 4}
_WEEKDAYS |= {"sau": 4, "7": 5, "bay": 5}
PAST_SLIP = timedelta(days=31)
WANTED_YEARS_AHEAD = 2
_COMING = {"hom nay": 0, "ngay mai": 1, "mai": 1, "ngay kia": 2, "ngay mot": 2}


def read_wanted_day(text: str, today: date) -> date | None:
    """The day someone wants to come ("14/12", "ngay 14", "thu 2 tuan sau", "mai"), past or
    not. A day without a year is the next such day (unless it passed in the last month), one
    without a month the next such day of a month; a weekday is the next one, or next week's
    with "tuần sau"."""
    folded = fold(text)
    found = [m for pattern in (_NUMERIC, _WORDS) for m in pattern.finditer(folded)]
    if found:
        day_text, month_text, year_text = min(found, key=lambda m: m.start()).groups()
        try:
            if year_text is not None:
                year = int(year_text) + (2000 if len(year_text) == 2 else 0)
                if not today.year - 1 <= year <= today.year + WANTED_YEARS_AHEAD:
                    return None  # "01/01/0001" is no day anyone means to come
                return date(year, int(month_text or 0), int(day_text or 0))
            guess = date(today.year, int(month_text or 0), int(day_text or 0))
        except ValueError:
            return None
        # A day of the last month is one the person mistook, not one a year ahead.
        return guess if guess >= today - PAST_SLIP else guess.replace(year=today.year + 1)
    day_only = _DAY_ONLY.search(folded)
    if day_only is not None:
        return _next_of_month(int(day_only.group(1)), today)
    weekday = _WEEKDAY.search(folded)
    if weekday is not None:
        wanted = 6 if weekday.group(2) else _WEEKDAYS[weekday.group(1)]
        if weekday.group(3):
            monday = today + timedelta(days=7 - today.weekday())
            return monday + timedelta(days=wanted)
        return today + timedelta(days=(wanted - today.weekday()) % 7)
    for words, ahead in _COMING.items():
        if re.search(rf"\b{words}\b", folded):
            return today + timedelta(days=ahead)
    return None


def _next_of_month(day: int, today: date) -> date | None:
    """The next day numbered ``day`` from today (this month's, else a later month's)."""
    year, month = today.year, today.month
    for _ in range(3):  # a 31st may skip a month or two
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None
