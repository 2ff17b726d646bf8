"""Seeding the knowledge base from YAML without trampling admins' edits."""

from __future__ import annotations

from sqlmodel import select

from db import kb as kb_rows
from db.engine import SessionFactory
from db.models import KbEntryRow
from handlers.clock import FixedClock
from handlers.faq.knowledge import KnowledgeBase, import_entries
from knowledge.entries import Entry

EDITED = "Câu trả lời do quản trị viên của xã viết lại, đã kiểm tra với văn bản gốc."


async def admin_edits(sessions: SessionFactory, entry_id: str) -> None:
    async with sessions() as session, session.begin():
        row = await kb_rows.get(session, entry_id)
        assert row is not None
        row.answer = EDITED
        row.edited_by_admin = True
        await kb_rows.bump_version(session)


async def test_an_empty_knowledge_base_is_seeded_from_the_curated_files(
    sessions: SessionFactory, clock: FixedClock, curated: list[Entry]
) -> None:
    async with sessions() as session, session.begin():
        report = await import_entries(session, curated, clock.now())
    assert len(report.added) == len(curated)
    async with sessions() as session:
        assert await kb_rows.count(session) == len(curated)
        assert await kb_rows.version(session) == 1


async def test_importing_again_changes_nothing_and_keeps_the_version(
    sessions: SessionFactory, clock: FixedClock, curated: list[Entry], seeded: None
) -> None:
    async with sessions() as session, session.begin():
        report = await import_entries(session, curated, clock.now())
    assert not report.changed and len(report.unchanged) == len(curated)
    async with sessions() as session:
        assert await kb_rows.version(session) == 1


async def test_an_admins_edit_survives_an_import_unless_forced(
    sessions: SessionFactory, clock: FixedClock, curated: list[Entry], seeded: None
) -> None:
    await admin_edits(sessions, "kn-thoi-hieu")
    async with sessions() as session, session.begin():
        report = await import_entries(session, curated, clock.now())
    assert report.kept_admin_edits == ["kn-thoi-hieu"]
    assert "--force" in report.summary()
    async with sessions() as session:
        row = await kb_rows.get(session, "kn-thoi-hieu")
        assert row is not None and row.answer == EDITED

    async with sessions() as session, session.begin():
        forced = await import_entries(session, curated, clock.now(), force=True)
    assert forced.replaced_admin_edits == ["kn-thoi-hieu"]
    assert "Đã ghi đè" in forced.summary()
    async with sessions() as session:
        row = await kb_rows.get(session, "kn-thoi-hieu")
        assert row is not None and row.answer.startswith("Thời hiệu khiếu nại là 90 ngày")


async def test_a_changed_seed_file_updates_an_unedited_entry(
    sessions: SessionFactory, clock: FixedClock, curated: list[Entry], seeded: None
) -> None:
    changed = curated[0].model_copy(update={"answer": curated[0].answer + " Bổ sung."})
    async with sessions() as session, session.begin():
        report = await import_entries(session, [changed], clock.now())
    assert report.updated == [changed.id]


async def test_another_process_sees_an_edit_without_restarting(
    sessions: SessionFactory, seeded: None
) -> None:
    other_process = KnowledgeBase(refresh_seconds=0)
    async with sessions() as session:
        before = (await other_process.index(session)).search("thoi hieu khieu nai")
    assert before.best is not None and before.best.entry.answer != EDITED

    await admin_edits(sessions, "kn-thoi-hieu")
    async with sessions() as session:
        after = (await other_process.index(session)).search("thoi hieu khieu nai")
    assert after.best is not None and after.best.entry.answer == EDITED


async def test_a_draft_row_is_stored_but_not_answered(
    sessions: SessionFactory, seeded: None
) -> None:
    async with sessions() as session, session.begin():
        row = (await session.exec(select(KbEntryRow).where(KbEntryRow.id == "kn-thoi-hieu"))).one()
        row.status = "draft"
        await kb_rows.bump_version(session)
    knowledge = KnowledgeBase(refresh_seconds=0)
    async with sessions() as session:
        assert await knowledge.entry(session, "kn-thoi-hieu") is None
