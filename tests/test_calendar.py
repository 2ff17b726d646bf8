"""Legal deadlines counted as Bộ luật Dân sự 2015 Điều 147-148 says, with Vietnam's holidays."""

from __future__ import annotations

import re
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path

import yaml

from handlers.working_days import OVERRIDES, WorkingCalendar, load_calendar

ROOT = Path(__file__).parent.parent


def test_thirty_days_from_10_november_2026_end_on_10_december() -> None:
    assert load_calendar().days_after(date(2026, 11, 10), 30) == date(2026, 12, 10)


def test_ten_working_days_across_tet_2027_end_on_22_february() -> None:
    # 04-10/02/2027 are off for Tết.
    assert load_calendar().working_days_after(date(2027, 2, 1), 10) == date(2027, 2, 22)


def test_a_period_ending_on_a_sunday_ends_on_monday() -> None:
    # 13/12/2026 is a Sunday.
    assert load_calendar().days_after(date(2026, 11, 13), 30) == date(2026, 12, 14)


def test_a_period_ending_on_national_day_moves_past_the_holiday() -> None:
    assert load_calendar().days_after(date(2026, 8, 2), 31) == date(2026, 9, 3)


def test_a_make_up_saturday_counts_as_a_working_day() -> None:
    calendar = load_calendar()
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 29))


def test_overrides_add_days_off_from_the_data_file(tmp_path: Path) -> None:
    file = tmp_path / "o.yaml"
    file.write_text("days_off:\n  - {date: 2026-12-01}\nworking_days: []\n", encoding="utf-8")
    calendar = load_calendar(file)
    assert not calendar.is_working_day(date(2026, 12, 1))
    assert calendar.working_days_after(date(2026, 11, 30), 1) == date(2026, 12, 2)
    assert WorkingCalendar().is_working_day(date(2026, 12, 1))


def test_saturday_22_august_2026_is_worked_and_monday_31_august_is_off() -> None:
    # The 2026 swap for Quốc khánh: work Sat 22/8, rest Mon 31/8 (calendar_overrides.yaml).
    calendar = load_calendar()
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 31))
    # One working day after Fri 21/8 is that Saturday; after Fri 28/8 it is Thu 03/9
    # (weekend, the swapped 31/8, National Day 01-02/9).
    assert calendar.working_days_after(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert calendar.working_days_after(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_the_days_off_of_2026_are_the_ones_checked_with_the_pinned_holidays_version() -> None:
    pinned = re.search(
        r'"holidays==([\d.]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    )
    assert pinned is not None and version("holidays") == pinned.group(1)
    calendar = load_calendar()
    weekdays_off = [
        day
        for day in (date(2026, 1, 1) + timedelta(days=n) for n in range(365))
        if day.weekday() < 5 and not calendar.is_working_day(day)
    ]
    assert [f"{day:%d/%m}" for day in weekdays_off] == [
        "01/01",
        "16/02",
        "17/02",
        "18/02",
        "19/02",
        "20/02",
        "27/04",
        "30/04",
        "01/05",
        "31/08",
        "01/09",
        "02/09",
        "24/11",
    ]


def test_days_no_legal_text_settles_are_recorded_as_unconfirmed_with_their_source() -> None:
    data = yaml.safe_load(OVERRIDES.read_text(encoding="utf-8"))
    entries = {item["date"]: item for key in ("days_off", "working_days") for item in data[key]}
    assert all(item["basis"] and item["source"] for item in entries.values())
    assert entries[date(2026, 11, 24)]["confirmed"] is False
    assert date(2026, 11, 24) in load_calendar().unconfirmed
