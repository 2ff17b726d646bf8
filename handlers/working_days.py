"""Counting days the way Vietnamese law counts them.

Bộ luật Dân sự 2015, Điều 147: a period in days starts on the day after the event. Điều 148:
when the last day of a period falls on a weekend day or a public holiday, the period ends on
the next working day. Working days exclude Saturdays, Sundays and public holidays, except the
Saturdays the Government sets as make-up working days.

Public holidays come from the `holidays` package (one pinned version);
`data/calendar_overrides.yaml` records what the Government decides year by year (extra days off,
make-up Saturdays) with its source. A day no text in ../shared/legal/ settles is marked
unconfirmed there: a date counted across one is an estimate (``WorkingCalendar.settled``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

OVERRIDES = Path(__file__).parent / "data" / "calendar_overrides.yaml"
ONE_DAY = timedelta(days=1)


def _public_holidays() -> Any:
    # Imported on first use: the package's country tables cost start-up time of every command.
    import holidays

    return holidays.country_holidays("VN")


@dataclass(frozen=True)
class WorkingCalendar:
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    # Days whose status no source in ../shared/legal/ settles.
    unconfirmed: frozenset[date] = frozenset()
    _public: Any = field(default_factory=_public_holidays, compare=False, repr=False)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day.weekday() >= 5 or day in self.extra_days_off:
            return False
        return day not in self._public

    def settled(self, event: date, last: date) -> bool:
        """Whether a date counted from ``event`` to ``last`` crossed no unconfirmed day (if it
        did, the date may be off by that day and is an estimate)."""
        return not any(event < day <= last for day in self.unconfirmed)

    def next_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def days_after(self, event: date, days: int) -> date:
        """The last day of a period of ``days`` calendar days counted from ``event``."""
        return self.next_working_day(event + timedelta(days=days))

    def working_days_after(self, event: date, days: int) -> date:
        """The last day of a period of ``days`` working days counted from ``event``."""
        day = event
        counted = 0
        while counted < days:
            day += ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day


def load_calendar(path: Path = OVERRIDES) -> WorkingCalendar:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def dates(key: str) -> frozenset[date]:
        return frozenset(item["date"] for item in data.get(key) or [])

    unconfirmed = frozenset(
        item["date"]
        for key in ("days_off", "working_days")
        for item in data.get(key) or []
        if not item.get("confirmed", True)
    )
    return WorkingCalendar(dates("days_off"), dates("working_days"), unconfirmed)


@lru_cache(maxsize=1)
def working_calendar() -> WorkingCalendar:
    """The calendar of the shipped overrides file, loaded once per process."""
    return load_calendar()
