"""Changing the knowledge base: every change is a revision (who, when, before, after) that
can be reverted, is audited, and bumps the version so every process reindexes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import audit
from db import kb as kb_rows
from db.models import KbEntryRow, KbRevision, UnansweredQuestion
from handlers.faq.knowledge import entry_from_row, fill_row, record_revision, snapshot
from handlers.privacy import mask_personal
from knowledge.entries import Entry, EntryStatus, describe
from knowledge.normalize import normalize, plain


class EditError(ValueError):
    """An edit that would make an invalid entry; the message says what to fix."""


def new_id(topic: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", plain(topic))[:48].strip("-")
    # Ids are at least 3 characters of [a-z0-9_.-]: a two-letter topic ("Ly") gets a prefix.
    base = base if len(base) >= 3 else f"muc-{base}".strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


async def save(
    session: AsyncSession, data: dict[str, Any], actor: str, now: datetime, action: str
) -> Entry:
    """Create or replace an entry from plain data, as an admin edit."""
    try:
        entry = Entry.model_validate(data)
    except ValidationError as exc:
        raise EditError(describe(exc)) from exc
    row = await kb_rows.get(session, entry.id)
    before = snapshot(entry_from_row(row)) if row is not None else None
    if row is None:
        row = KbEntryRow(id=entry.id, topic="", answer="", status="", updated_at=now)
        session.add(row)
    fill_row(row, entry, now, by_admin=True)
    record_revision(session, entry.id, action, actor, now, before, snapshot(entry))
    await kb_rows.bump_version(session)
    return entry


async def change(
    session: AsyncSession,
    entry_id: str,
    changes: dict[str, Any],
    actor: str,
    now: datetime,
    action: str = "edit",
) -> Entry:
    row = await kb_rows.get(session, entry_id)
    if row is None:
        raise EditError(f"Không có mục {entry_id}.")
    return await save(session, {**snapshot(entry_from_row(row)), **changes}, actor, now, action)


async def set_status(
    session: AsyncSession, entry_id: str, status: EntryStatus, actor: str, now: datetime
) -> Entry:
    action = "hide" if status is not EntryStatus.published else "show"
    return await change(session, entry_id, {"status": status.value}, actor, now, action)


async def revisions(session: AsyncSession, entry_id: str) -> Sequence[KbRevision]:
    query = (
        select(KbRevision)
        .where(KbRevision.entry_id == entry_id)
        .order_by(col(KbRevision.id).desc())
    )
    return (await session.exec(query)).all()


async def revert(
    session: AsyncSession, entry_id: str, actor: str, now: datetime, revision_id: int | None = None
) -> Entry:
    """Put an entry back as it was before its latest change (or before ``revision_id``)."""
    history = await revisions(session, entry_id)
    target = next((r for r in history if revision_id is None or r.id == revision_id), None)
    if target is None or target.before is None:
        raise EditError(f"Mục {entry_id} không có bản trước để hoàn tác.")
    return await save(session, target.before, actor, now, "revert")


def matching(entries: Sequence[Entry], words: str, limit: int = 8) -> list[Entry]:
    """Entries whose id, topic or phrasings contain every word typed (without diacritics)."""
    wanted = normalize(words).split()
    found = []
    for entry in entries:
        haystack = normalize(" ".join((entry.id, entry.topic, *entry.questions)))
        if all(word in haystack for word in wanted):
            found.append(entry)
    return found[:limit]


async def record_unanswered(
    session: AsyncSession, text: str, best_entry_id: str | None, score: float, now: datetime
) -> None:
    """Keep a declined or uncertain question, masked and counted, for admins to review."""
    sample = mask_personal(text)[:500]
    key = normalize(sample)[:300]
    if not key:
        return
    found = (
        await session.exec(select(UnansweredQuestion).where(UnansweredQuestion.key == key))
    ).one_or_none()
    if found is None:
        session.add(
            UnansweredQuestion(
                key=key,
                sample=sample,
                best_entry_id=best_entry_id,
                best_score=score,
                first_seen=now,
                last_seen=now,
            )
        )
        await session.flush()
        return
    found.count += 1
    found.last_seen = now
    # Asked again after an admin made an entry for it: it is a gap again. A dismissed one
    # ("thời tiết hôm nay") stays dismissed.
    found.resolved_at = None


async def top_unanswered(session: AsyncSession, limit: int = 10) -> Sequence[UnansweredQuestion]:
    query = (
        select(UnansweredQuestion)
        .where(
            col(UnansweredQuestion.resolved_at).is_(None),
            col(UnansweredQuestion.dismissed_at).is_(None),
        )
        .order_by(col(UnansweredQuestion.count).desc(), col(UnansweredQuestion.last_seen).desc())
        .limit(limit)
    )
    return (await session.exec(query)).all()


async def resolve_unanswered(session: AsyncSession, question_id: int, now: datetime) -> None:
    found = await session.get(UnansweredQuestion, question_id)
    if found is not None:
        found.resolved_at = now


async def dismiss_unanswered(
    session: AsyncSession, question_id: int, actor: str, now: datetime
) -> UnansweredQuestion | None:
    """An admin says a gap is not for the knowledge base: it leaves the list for good."""
    found = await session.get(UnansweredQuestion, question_id)
    if found is None or found.dismissed_at is not None:
        return None
    found.dismissed_at = now
    audit.record(
        session,
        at=now,
        actor=actor,
        action="kb.gap_dismiss",
        target=f"gap:{question_id}",
        before=None,
        after={"sample": gap_text(found)},
    )
    return found


def gap_text(gap: UnansweredQuestion) -> str:
    """The kept sample, masked again with today's rules (rows kept before a rule was added)."""
    return mask_personal(gap.sample)
