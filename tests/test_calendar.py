"""Legal deadlines counted as Bộ luật Dân sự 2015 Điều 147-148 says, with Vietnam's holidays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from handlers.calendar import WorkingCalendar, load_calendar


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
