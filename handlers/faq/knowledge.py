"""The knowledge base as the assistant serves it: database rows, seeded from YAML, indexed.

The database is the source of truth. Each process keeps a search index built from the rows
and rebuilds it when the version counter moves, so an admin's edit or an import in one
process reaches every other process without a restart.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import audit
from db import kb as kb_rows
from db.models import KbEntryRow, KbRevision
from knowledge.entries import Entry
from knowledge.index import FaqIndex


def entry_from_row(row: KbEntryRow) -> Entry:
    return Entry.model_validate(
        {
            "id": row.id,
            "group": row.group_name,
            "topic": row.topic,
            "questions": row.questions,
            "keywords": row.keywords,
            "answer": row.answer,
            "sources": row.sources,
            "status": row.status,
            "valid_from": row.valid_from,
            "review_after": row.review_after,
            "amended_note": row.amended_note,
        }
    )


def fill_row(row: KbEntryRow, entry: Entry, now: datetime, *, by_admin: bool = False) -> None:
    """Copy an entry into its row; an admin's version is marked so seeds never overwrite it."""
    data = entry.model_dump(mode="json")
    row.group_name = entry.group
    row.topic = entry.topic
    row.questions = list(entry.questions)
    row.keywords = list(entry.keywords)
    row.answer = entry.answer
    row.sources = data["sources"]
    row.status = entry.status.value
    row.valid_from = entry.valid_from
    row.review_after = entry.review_after
    row.amended_note = entry.amended_note
    row.seed_hash = None if by_admin else entry.content_hash()
    row.edited_by_admin = by_admin
    row.updated_at = now


def snapshot(entry: Entry) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude_none=True)


def record_revision(
    session: AsyncSession,
    entry_id: str,
    action: str,
    actor: str,
    now: datetime,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Keep the change as a revision (for `dccs kb revert`) and in the audit log."""
    session.add(
        KbRevision(
            entry_id=entry_id, at=now, actor=actor, action=action, before=before, after=after
        )
    )
    audit.record(
        session,
        at=now,
        actor=actor,
        action=f"kb.{action}",
        target=f"kb:{entry_id}",
        before=before,
        after=after,
    )


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_admin_edits: list[str] = field(default_factory=list)
    replaced_admin_edits: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.replaced_admin_edits)

    def summary(self) -> str:
        lines = [
            f"Thêm mới: {len(self.added)}",
            f"Cập nhật: {len(self.updated)}",
            f"Không đổi: {len(self.unchanged)}",
        ]
        if self.kept_admin_edits:
            lines.append(f"Giữ nguyên bản quản trị viên đã sửa: {len(self.kept_admin_edits)}")
        if self.kept_admin_edits:
            lines.append("  (dùng --force để ghi đè: " + ", ".join(self.kept_admin_edits) + ")")
        if self.replaced_admin_edits:
            lines.append(
                f"Đã ghi đè bản quản trị viên đã sửa: {len(self.replaced_admin_edits)} ("
                + ", ".join(self.replaced_admin_edits)
                + ")"
            )
        return "\n".join(lines)


async def import_entries(
    session: AsyncSession,
    entries: Iterable[Entry],
    now: datetime,
    *,
    force: bool = False,
    actor: str = "seed",
    by_admin: bool = False,
) -> ImportReport:
    """Upsert entries by id in the caller's transaction (so an import is all or nothing).

    Seeds (``by_admin`` false) never replace an entry an admin edited unless ``force``; the
    report names what was kept. A file an admin imports (``by_admin``) is itself an admin edit:
    it always applies (even over an earlier admin edit), and later seed imports leave those
    entries alone.
    """
    report = ImportReport()
    for entry in entries:
        row = await kb_rows.get(session, entry.id)
        before = None if row is None else snapshot(entry_from_row(row))
        if row is None:
            row = KbEntryRow(id=entry.id, topic="", answer="", status="", updated_at=now)
            session.add(row)
            report.added.append(entry.id)
        elif before == snapshot(entry):
            report.unchanged.append(entry.id)
            continue
        elif row.edited_by_admin and not force and not by_admin:
            report.kept_admin_edits.append(entry.id)
            continue
        elif row.edited_by_admin and not by_admin:
            report.replaced_admin_edits.append(entry.id)
        else:
            report.updated.append(entry.id)
        fill_row(row, entry, now, by_admin=by_admin)
        record_revision(session, entry.id, "import", actor, now, before, snapshot(entry))
    if report.changed:
        await kb_rows.bump_version(session)
    return report


class KnowledgeBase:
    """A per-process cache of the search index, refreshed when the database version moves.

    The version is read at most once every ``refresh_seconds`` so a busy process does not
    pay a query per message; 0 checks on every call.
    """

    def __init__(self, refresh_seconds: float = 2.0) -> None:
        self._refresh_seconds = refresh_seconds
        self._index = FaqIndex(())
        self._version = -1
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    @property
    def version(self) -> int:
        return self._version

    async def index(self, session: AsyncSession) -> FaqIndex:
        if time.monotonic() - self._checked_at < self._refresh_seconds:
            return self._index
        async with self._lock:
            current = await kb_rows.version(session)
            self._checked_at = time.monotonic()
            if current != self._version:
                rows = await kb_rows.all_rows(session)
                # Building a large index takes seconds; keep the event loop answering meanwhile.
                index = await asyncio.to_thread(FaqIndex, [entry_from_row(r) for r in rows])
                self._index = index
                self._version = current
        return self._index

    async def entry(self, session: AsyncSession, entry_id: str) -> Entry | None:
        return (await self.index(session)).get(entry_id)
