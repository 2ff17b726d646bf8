"""An admin's own knowledge-base files always apply; seed imports never overwrite them;
exported workbooks read like an office's own sheet and come back in."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest

from db import kb as kb_rows
from db.engine import SessionFactory
from handlers import texts
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from handlers.faq.knowledge import entry_from_row, import_entries
from handlers.kb import files as kb_files
from knowledge.entries import Entry, EntryStatus
from tests.test_kb_admin import button, make_admin, msg


def edited(entry: Entry, answer: str) -> Entry:
    return entry.model_copy(update={"answer": answer})


async def test_an_admins_second_file_edit_applies_and_a_seed_import_keeps_it(
    sessions: SessionFactory, clock: FixedClock, curated: list[Entry], seeded: None
) -> None:
    entry = next(e for e in curated if e.id == "kn-thoi-hieu")
    first = edited(entry, "Thời hiệu khiếu nại là 90 ngày (bản xã sửa lần một).")
    second = edited(entry, "Thời hiệu khiếu nại là 90 ngày (bản xã sửa lần hai).")
    async with sessions() as session, session.begin():
        report = await import_entries(session, [first], clock.now(), actor="cli", by_admin=True)
    assert report.updated == ["kn-thoi-hieu"]
    async with sessions() as session, session.begin():
        report = await import_entries(session, [second], clock.now(), actor="cli", by_admin=True)
    # The admin's second edit is not "kept as the admin's earlier edit": it is the admin's.
    assert report.updated == ["kn-thoi-hieu"] and not report.kept_admin_edits
    assert "Giữ nguyên" not in report.summary()
    async with sessions() as session, session.begin():
        seed = await import_entries(session, curated, clock.now())
    assert seed.kept_admin_edits == ["kn-thoi-hieu"]
    assert "Giữ nguyên bản quản trị viên đã sửa: 1" in seed.summary()
    async with sessions() as session:
        row = await kb_rows.get(session, "kn-thoi-hieu")
        assert row is not None and "lần hai" in entry_from_row(row).answer


async def test_a_new_entry_is_checked_at_each_step_in_vietnamese_and_nothing_typed_is_lost(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await make_admin(assistant, sessions, clock)
    [menu] = await assistant.dispatch(msg("/kb"))
    [step] = await assistant.dispatch(msg(button=button(menu, texts.KB_ADD)))
    labels = [b.label for b in step.buttons]
    assert texts.BACK_STEP in labels and texts.QUIT_FLOW in labels
    await assistant.dispatch(msg("Giờ làm việc của ủy ban xã?; Mấy giờ ủy ban xã mở cửa?"))
    [too_long] = await assistant.dispatch(msg("Ủy ban xã làm việc " + "rất " * 300))
    assert too_long.text.startswith("Câu trả lời dài 1218 ký tự, quá giới hạn 900 ký tự")
    assert "String should" not in too_long.text
    assert [b.label for b in too_long.buttons] == [texts.BACK_STEP, texts.QUIT_FLOW]
    [short] = await assistant.dispatch(msg("Có."))
    assert short.text.startswith("Câu trả lời: quá ngắn (ít nhất 20 ký tự)")
    [sources] = await assistant.dispatch(msg("Ủy ban xã làm việc giờ hành chính các ngày thường."))
    assert sources.text.startswith(texts.KB_ASK_SOURCES)
    [none] = await assistant.dispatch(msg("không có"))
    assert none.text == texts.KB_NEED_SOURCE
    [tiny] = await assistant.dispatch(msg("Luật Tiếp công dân | 42 | Điều 24"))
    assert "căn cứ thứ 1, số hiệu quá ngắn (ít nhất 3 ký tự)" in tiny.text
    # "Quay lại" shows the answer typed before, and typing it again moves on.
    [back] = await assistant.dispatch(msg("quay lai"))
    assert back.text.startswith(texts.KB_ASK_ANSWER)
    assert "Đang ghi: Ủy ban xã làm việc giờ hành chính" in back.text
    await assistant.dispatch(msg("Ủy ban xã làm việc giờ hành chính các ngày thường."))
    await assistant.dispatch(msg("Luật Tiếp công dân | 42/2013/QH13 | Điều 24"))
    [group] = await assistant.dispatch(msg("G"))
    assert group.text.startswith("Tiêu đề: quá ngắn")
    [groups] = await assistant.dispatch(msg("Giờ làm việc"))
    [long_group] = await assistant.dispatch(msg("Chủ đề " + "x" * 90))
    assert long_group.text.startswith("Chủ đề: quá dài (tối đa 80 ký tự)")
    [preview] = await assistant.dispatch(msg(button=button(groups, "Tiếp công dân")))
    assert preview.text.startswith("Xem trước mục sẽ lưu:")
    assert [b.label for b in preview.buttons] == [texts.KB_SAVE, texts.BACK_STEP, texts.QUIT_FLOW]
    [again] = await assistant.dispatch(msg(button="kbadm:back"))
    assert again.text.startswith(texts.KB_ASK_GROUP) and "Đang ghi: Tiếp công dân" in again.text
    [preview] = await assistant.dispatch(msg("Tiếp công dân"))
    [saved] = await assistant.dispatch(msg(button="kbadm:save"))
    assert saved.text.startswith("Đã lưu mục gio-lam-viec")


async def test_an_edited_answer_that_is_too_long_is_refused_at_its_step_and_cancel_is_offered(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await make_admin(assistant, sessions, clock)
    [step] = await assistant.dispatch(msg(button="kbadm:edit:answer:kn-thoi-hieu"))
    assert [b.label for b in step.buttons] == [texts.BACK_STEP, texts.QUIT_FLOW]
    [refused] = await assistant.dispatch(msg("Thời hiệu " * 100))
    assert refused.text.startswith("Câu trả lời dài 999 ký tự, quá giới hạn 900 ký tự")
    [preview] = await assistant.dispatch(msg("Thời hiệu khiếu nại là 90 ngày kể từ ngày biết."))
    assert preview.text.startswith("Xem trước mục sẽ lưu:")
    [back] = await assistant.dispatch(msg(button="kbadm:back"))
    assert back.text == texts.KB_ASK_NEW["answer"]
    [back] = await assistant.dispatch(msg(button="kbadm:back"))
    assert back.text.startswith("kn-thoi-hieu")
    [step] = await assistant.dispatch(msg(button="kbadm:edit:sources:kn-thoi-hieu"))
    [cancelled] = await assistant.dispatch(msg("huỷ"))
    assert cancelled.text == texts.KB_CANCELLED


def test_the_exported_workbook_reads_like_an_offices_sheet_and_comes_back(
    curated: list[Entry],
) -> None:
    from openpyxl import Workbook, load_workbook

    entry = next(e for e in curated if e.id == "kn-thoi-hieu")
    dated = entry.model_copy(
        update={"review_after": date(2027, 1, 31), "status": EntryStatus.retired}
    )
    sheet = load_workbook(io.BytesIO(kb_files.export([dated], "xlsx"))).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Mã mục", "Chủ đề", "Tiêu đề", "Cách hỏi"]
    assert "Câu trả lời" in header and "Trạng thái" in header and "Rà soát từ ngày" in header
    row = dict(zip(header, (cell.value for cell in sheet[2]), strict=True))
    assert row["Trạng thái"] == "đã ẩn" and row["Rà soát từ ngày"] == "31/01/2027"
    assert sheet.column_dimensions["F"].width == 70 and sheet.freeze_panes == "A2"
    [back] = kb_files.parse(kb_files.export([dated], "xlsx"), "xlsx")
    assert back == dated

    # A workbook exported before (field-name headers, ISO dates, English status) still reads,
    # and so does one an office typed with a real date cell.
    old = Workbook()
    old_sheet = old.active
    assert old_sheet is not None
    old_sheet.append(list(kb_files.COLUMNS))
    old_sheet.append(
        [
            dated.id,
            dated.group,
            dated.topic,
            "\n".join(dated.questions),
            "",
            dated.answer,
            "\n".join(f"{s.law} | {s.number} | {s.article}" for s in dated.sources),
            "retired",
            "",
            datetime(2027, 1, 31),
            dated.amended_note or "",
        ]
    )
    out = io.BytesIO()
    old.save(out)
    [from_old] = kb_files.parse(out.getvalue(), "xlsx")
    assert from_old.review_after == date(2027, 1, 31)
    assert from_old.status is EntryStatus.retired and from_old.answer == dated.answer


def test_a_workbook_with_a_bad_date_and_status_names_the_row_and_column(
    curated: list[Entry],
) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(kb_files.export(curated[:2], "xlsx")))
    sheet = book.active
    assert sheet is not None
    sheet["H3"] = "đang sửa"
    sheet["J2"] = "31/02/2027"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(kb_files.KbFileError) as failed:
        kb_files.parse(out.getvalue(), "xlsx")
    assert "Dòng 2, cột Rà soát từ ngày: ngày không hợp lệ (dùng dạng ngày/tháng/năm" in str(
        failed.value
    )
    assert "Dòng 3, cột Trạng thái: giá trị không hợp lệ" in str(failed.value)
