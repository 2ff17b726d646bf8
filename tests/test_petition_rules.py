"""Legal time limits for đơn, checked against dates computed by hand (Tết 2027: 04-10/02)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from handlers.petitions.rules import DISCIPLINARY, RuleBook
from handlers.working_days import load_calendar

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
    complex_ = BOOK.due("khieu_nai", "resolve", accepted, facts={"complex"})
    assert complex_ is not None and complex_.day == date(2027, 1, 4)
    remote_complex = BOOK.due("khieu_nai", "resolve", accepted, facts={"complex", "remote"})
    assert remote_complex is not None and remote_complex.day == date(2027, 1, 19)
    second = BOOK.due("khieu_nai", "resolve", accepted, second_round=True)
    assert second is not None and second.day == date(2027, 1, 4)


def test_denunciation_extended_once_if_complex_twice_if_very_complex_luat_to_cao_dieu_30() -> None:
    accepted = date(2027, 1, 4)
    plain = BOOK.due("to_cao", "resolve", accepted)
    assert plain is not None and plain.day == date(2027, 2, 3)
    # An ordinary case has no extension at all: pressing for one changes nothing.
    pressed = BOOK.due("to_cao", "resolve", accepted, extensions=1)
    assert pressed is not None and pressed.day == date(2027, 2, 3)
    once = BOOK.due("to_cao", "resolve", accepted, facts={"complex"}, extensions=2)
    assert once is not None and once.day == date(2027, 3, 5)  # one extension only (khoản 2)
    twice = BOOK.due("to_cao", "resolve", accepted, facts={"very_complex"}, extensions=3)
    assert twice is not None and twice.day == date(2027, 4, 5)  # two (khoản 3); 04/4 is Sunday
    rule = BOOK.rule("to_cao", "resolve", accepted)
    assert rule is not None and "Điều 30" in rule.citation
    assert rule.allowed_extensions(frozenset()) == 0
    assert rule.allowed_extensions(frozenset({"complex"})) == 1


def test_ten_days_suspended_move_a_denunciations_due_date_ten_days_luat_to_cao_dieu_34() -> None:
    # Accepted 04/01/2027, suspended 10 days: 30 + 10 days = Sat 13/02/2027 -> Mon 15/02.
    due = BOOK.due("to_cao", "resolve", date(2027, 1, 4), suspended_days=10)
    assert due is not None and due.day == date(2027, 2, 15)
    assert "Điều 34 khoản 2" in due.rule.citation
    # Luật Khiếu nại has no such rule in the texts we hold: a complaint's date does not move.
    complaint = BOOK.due("khieu_nai", "resolve", date(2027, 1, 4), suspended_days=10)
    assert complaint is not None and complaint.day == date(2027, 2, 3)


def test_initial_handling_of_a_denunciation_seven_or_ten_working_days_luat_to_cao_dieu_24() -> None:
    received = date(2026, 3, 2)  # a Monday
    usual = BOOK.due("to_cao", "accept", received)
    assert usual is not None and usual.day == date(2026, 3, 11)
    assert usual.rule.citation.endswith("Điều 24 khoản 1") and not usual.estimated
    # Verification at several places or delegated: at most 10 working days.
    longer = BOOK.due("to_cao", "accept", received, facts={"several_places"})
    assert longer is not None and longer.day == date(2026, 3, 16)
    # Outside the unit's competence: transferred within 05 working days (khoản 2).
    transfer = BOOK.due("to_cao", "transfer", received)
    assert transfer is not None and transfer.day == date(2026, 3, 9)
    assert transfer.rule.citation.endswith("Điều 24 khoản 2")


def test_the_denouncer_is_told_of_the_thu_ly_within_five_working_days_luat_to_cao_dieu_29() -> None:
    notice = BOOK.due("to_cao", "notify_accept", date(2026, 3, 2))
    assert notice is not None and notice.day == date(2026, 3, 9)
    assert notice.rule.citation.endswith("Điều 29 khoản 3")


def test_disciplinary_complaint_is_accepted_within_10_days_luat_khieu_nai_dieu_50() -> None:
    accept = BOOK.due(DISCIPLINARY, "accept", date(2026, 3, 2))
    assert accept is not None and accept.day == date(2026, 3, 12)
    assert accept.rule.citation.endswith("Điều 50")
    accepted = date(2026, 3, 12)
    # 30 days: Sat 11/4/2026 -> Mon 13/4; both rounds alike.
    for second_round in (False, True):
        due = BOOK.due(DISCIPLINARY, "resolve", accepted, second_round=second_round)
        assert due is not None and due.day == date(2026, 4, 13)
    # Complex: 45 days = Sun 26/4 (Giỗ Tổ, observed Mon 27/4) -> Tue 28/4.
    complex_ = BOOK.due(DISCIPLINARY, "resolve", accepted, facts={"complex"})
    assert complex_ is not None and complex_.day == date(2026, 4, 28)
    # No remote-area variant, unlike an ordinary complaint (Điều 28: 45 days).
    remote = BOOK.due(DISCIPLINARY, "resolve", accepted, facts={"remote"})
    assert remote is not None and remote.day == date(2026, 4, 13)
    ordinary_remote = BOOK.due("khieu_nai", "resolve", accepted, facts={"remote"})
    assert ordinary_remote is not None and ordinary_remote.day == date(2026, 4, 28)


def test_disciplinary_complaint_limits_15_then_10_or_30_days_luat_khieu_nai_dieu_48() -> None:
    received_decision = date(2026, 3, 2)
    first = BOOK.due(DISCIPLINARY, "limit", received_decision)
    assert first is not None and first.day == date(2026, 3, 17)
    second = BOOK.due(DISCIPLINARY, "limit", received_decision, second_round=True)
    assert second is not None and second.day == date(2026, 3, 12)
    dismissal = BOOK.due(
        DISCIPLINARY, "limit", received_decision, second_round=True, facts={"dismissal"}
    )
    assert dismissal is not None and dismissal.day == date(2026, 4, 1)
    assert first.rule.citation.endswith("Điều 48")


def test_complaint_within_90_days_of_learning_of_the_decision_luat_khieu_nai_dieu_9() -> None:
    # 02/3/2026 + 90 days = Sun 31/5/2026 -> Mon 01/6/2026.
    limit = BOOK.due("khieu_nai", "limit", date(2026, 3, 2))
    assert limit is not None and limit.day == date(2026, 6, 1)
    assert limit.rule.citation.endswith("Điều 9") and not limit.estimated


def test_second_complaint_within_30_days_or_45_in_remote_areas_luat_khieu_nai_dieu_33() -> None:
    first_decision = date(2026, 3, 2)
    window = BOOK.due("khieu_nai", "limit", first_decision, second_round=True)
    assert window is not None and window.day == date(2026, 4, 1)
    remote = BOOK.due("khieu_nai", "limit", first_decision, second_round=True, facts={"remote"})
    assert remote is not None and remote.day == date(2026, 4, 16)
    # No decision by the Điều 28 due date (13/4/2026): 30 days from then.
    unresolved = BOOK.due("khieu_nai", "limit", date(2026, 4, 13), second_round=True)
    assert unresolved is not None and unresolved.day == date(2026, 5, 13)
    assert unresolved.rule.start == "first_decision_or_deadline"
    assert unresolved.rule.citation.endswith("Điều 33 khoản 1")


def test_unconfirmed_seven_working_days_only_remind_earlier_nd_155_2026_dieu_10() -> None:
    received = date(2026, 11, 25)
    due = BOOK.due("khieu_nai", "accept", received)
    # 10 days: Sat 05/12/2026 -> Mon 07/12; the due date still comes from the Luật Khiếu nại.
    assert due is not None and due.day == date(2026, 12, 7) and due.rule.id == "kn-thu-ly-2026"
    early = BOOK.reminder("khieu_nai", "accept", received)
    # 07 working days: 26, 27, 30/11, 01, 02, 03, 04/12.
    assert early is not None and early.day == date(2026, 12, 4)
    assert "Nghị định 155/2026/NĐ-CP, Điều 10" in early.rule.citation and early.estimated
    for_disciplinary = BOOK.reminder(DISCIPLINARY, "accept", received)
    assert for_disciplinary is not None and for_disciplinary.day == date(2026, 12, 4)
    # Before 01/7/2026 there is no such lead.
    assert BOOK.reminder("khieu_nai", "accept", date(2026, 3, 2)) is None


def test_the_people_s_inspection_board_is_answered_in_15_days_luat_10_2022_dieu_40() -> None:
    due = BOOK.due("kien_nghi_btnd", "answer", date(2026, 3, 2))
    assert due is not None and due.day == date(2026, 3, 17) and not due.estimated
    assert due.rule.citation.endswith("Điều 40 khoản 1 điểm c")


def test_a_date_that_lands_on_the_unconfirmed_24_november_is_an_estimate() -> None:
    # 09/11/2026 + 15 days = 24/11/2026, a day off only per the holidays package: -> 25/11.
    due = BOOK.due("kien_nghi_btnd", "answer", date(2026, 11, 9))
    assert due is not None and due.day == date(2026, 11, 25)
    assert due.rule.confirmed and due.estimated
    before = BOOK.due("kien_nghi_btnd", "answer", date(2026, 10, 1))
    assert before is not None and not before.estimated


def test_every_rule_is_listed_with_its_citation_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for rule in BOOK.rules():
        assert f"`{rule.id}`" in readme, rule.id


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
