"""An admin's own knowledge-base files always apply; seed imports never overwrite them;
exported workbooks read like an office's own sheet and come back in."""

from __future__ import annotations

from db import kb as kb_rows
from db.engine import SessionFactory
from handlers.clock import FixedClock
from handlers.faq.knowledge import entry_from_row, import_entries
from knowledge.entries import Entry


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
