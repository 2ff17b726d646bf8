"""Time comes from an injected clock so flows and tests agree on "now"."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime in Asia/Ho_Chi_Minh."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(VN_TZ)


class FixedClock:
    """A clock that stands still until moved: for tests and `dccs clock --now` rehearsals."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            at = at.replace(tzinfo=VN_TZ)
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class StartedClock:
    """A clock that starts at a given moment and then runs at real speed: a clock process
    rehearsing a day (`dccs clock --now`), or a test handing a subprocess a fixed start."""

    def __init__(self, at: datetime) -> None:
        self._at = at if at.tzinfo is not None else at.replace(tzinfo=VN_TZ)
        self._started = time.monotonic()

    def now(self) -> datetime:
        return self._at + timedelta(seconds=time.monotonic() - self._started)


TEST_TODAY_ENV = "DCCS_TEST_TODAY"


def suite_start(today: str | None) -> datetime | None:
    """The moment the test suite's clocks start at when ``DCCS_TEST_TODAY=DD/MM/YYYY`` is set
    (09:00 that day), so one switch moves fixtures and subprocesses to a Sunday or Tết."""
    if not today:
        return None
    return datetime.strptime(today.strip(), "%d/%m/%Y").replace(hour=9, tzinfo=VN_TZ)


def format_date(moment: datetime) -> str:
    """Dates as Vietnamese readers expect them: dd/mm/yyyy."""
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y")


def format_datetime(moment: datetime) -> str:
    """A moment as Vietnamese readers expect it: "14:05 ngày 25/11/2026"."""
    local = moment.astimezone(VN_TZ)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"
