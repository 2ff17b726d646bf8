"""Legal time limits for đơn, checked against dates computed by hand (Tết 2027: 04-10/02)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from handlers.calendar import load_calendar
from handlers.petition_rules import RuleBook

BOOK = RuleBook.load(load_calendar())


def test_a_denunciation_received_before_tet_is_first_handled_in_seven_working_days() -> None:
    # Thu 04 - Wed 10/02/2027 are Tết; the 7 working days are 11, 12, 15, 16, 17, 18, 19/02.
    due = BOOK.due("to_cao", "accept", date(2027, 2, 3))
    assert due is not None and due.day == date(2027, 2, 19)
    assert due.estimated  # 2027: the amended Luật Tố cáo's wording is not verified
    assert "Điều 24 khoản 1" in due.rule.citation


def test_ten_days_to_accept_a_complaint_ending_in_tet_move_to_the_next_working_day() -> None:
    # 28/01/2027 + 10 days = Sun 07/02 (Tết) -> Thu 11/02/2027 (BLDS 2015, Điều 148).
    due = BOOK.due("khieu_nai", "accept", date(2027, 1, 28))
    assert due is not None and due.day == date(2027, 2, 11)
    # 10 days (Luật Khiếu nại) and 10 working days (Luật Tiếp công dân) are different rules.
    answer = BOOK.due("kien_nghi", "answer", date(2027, 1, 28))
    assert answer is not None and answer.day == date(2027, 2, 18)


def test_complaint_resolution_periods_normal_complex_remote_and_second_round() -> None:
    accepted = date(2026, 11, 20)
    normal = BOOK.due("khieu_nai", "resolve", accepted)
    assert normal is not None and normal.day == date(2026, 12, 21)  # 20/12 is a Sunday
    complex_ = BOOK.due("khieu_nai", "resolve", accepted, complex_case=True)
    assert complex_ is not None and complex_.day == date(2027, 1, 4)
    remote_complex = BOOK.due("khieu_nai", "resolve", accepted, complex_case=True, remote_area=True)
    assert remote_complex is not None and remote_complex.day == date(2027, 1, 19)
    second = BOOK.due("khieu_nai", "resolve", accepted, second_round=True)
    assert second is not None and second.day == date(2027, 1, 4)


def test_a_denunciation_may_be_extended_twice_by_thirty_days() -> None:
    accepted = date(2027, 1, 4)
    assert BOOK.due("to_cao", "resolve", accepted).day == date(2027, 2, 3)  # type: ignore[union-attr]
    once = BOOK.due("to_cao", "resolve", accepted, extensions=1)
    assert once is not None and once.day == date(2027, 3, 5)
    thrice = BOOK.due("to_cao", "resolve", accepted, extensions=3)
    assert thrice is not None and thrice.day == date(2027, 4, 5)  # capped at two: 04/4 is Sunday


def test_rules_before_the_amendment_are_confirmed_and_a_new_row_needs_no_code(
    tmp_path: Path,
) -> None:
    before = BOOK.due("khieu_nai", "accept", date(2026, 3, 2))
    assert before is not None and not before.estimated
    extra = tmp_path / "rules.yaml"
    extra.write_text(
        "rules:\n"
        "  - {id: kn-thu-ly-moi, kinds: [khieu_nai], step: accept, start: received, days: 7,\n"
        "     count: working, valid_from: 2026-07-01, confirmed: true, citation: 'Luật mới'}\n",
        encoding="utf-8",
    )
    book = RuleBook.load(load_calendar(), extra)
    due = book.due("khieu_nai", "accept", date(2026, 12, 1))
    assert due is not None and due.day == date(2026, 12, 10) and not due.estimated
