"""The desk's Kho câu hỏi (admins): entries listed and searched, one edited with the entry's
own checks (``Entry`` validation, through ``kb.curation``: a revision, an audit row, the
version bumped), previewed as a citizen reads it, its history with what changed and a revert,
and the questions nobody's entry answered (the gaps) to dismiss."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import kb as kb_rows
from db.models import UnansweredQuestion
from handlers import texts
from handlers.access import Actor, audit_by
from handlers.desk.names import label_names
from handlers.faq.knowledge import entry_from_row
from handlers.kb import curation
from knowledge.entries import MAX_ANSWER_CHARS, Entry, EntryStatus

STATUS_WORDS = {status.value: texts.KB_STATUS[status.value].capitalize() for status in EntryStatus}
FIELD_WORDS = {
    "topic": "Chủ đề",
    "group": "Nhóm",
    "questions": "Cách hỏi",
    "answer": "Câu trả lời",
    "sources": "Nguồn",
    "status": "Trạng thái",
    "keywords": "Từ khoá",
    "amended_note": "Ghi chú sửa đổi",
    "valid_from": "Hiệu lực từ",
    "review_after": "Rà soát sau",
}
MAX_LISTED = 300
SOURCE_SHAPE = texts.DESK_KB_SOURCE_SHAPE


@dataclass(frozen=True)
class Change:
    id: int
    at: datetime
    who: str
    action: str
    changed: list[str]
    can_revert: bool


async def entries(session: AsyncSession, typed: str) -> list[Entry]:
    found = [entry_from_row(row) for row in await kb_rows.all_rows(session)]
    found.sort(key=lambda entry: (entry.group, entry.topic))
    if typed.strip():
        found = curation.matching(found, typed, limit=MAX_LISTED)
    return found[:MAX_LISTED]


async def entry(session: AsyncSession, entry_id: str) -> Entry | None:
    row = await kb_rows.get(session, entry_id[:64])
    return entry_from_row(row) if row is not None else None


def form_of(entry: Entry) -> dict[str, str]:
    return {
        "topic": entry.topic,
        "group": entry.group,
        "questions": "\n".join(entry.questions),
        "answer": entry.answer,
        "sources": "\n".join(
            " | ".join(
                [source.law, source.number, source.article, *([source.note] if source.note else [])]
            )
            for source in entry.sources
        ),
        "status": entry.status.value,
    }


def changes_from(form: dict[str, str]) -> dict[str, Any] | str:
    """What the form changes, or a Vietnamese message on the sources' shape."""
    sources = []
    for line in (line.strip() for line in form.get("sources", "").splitlines()):
        if not line:
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (3, 4) or not all(parts[:3]):
            return texts.DESK_KB_BAD_SOURCE.format(line=line, shape=SOURCE_SHAPE)
        source = {"law": parts[0], "number": parts[1], "article": parts[2]}
        if len(parts) == 4 and parts[3]:
            source["note"] = parts[3]
        sources.append(source)
    return {
        "topic": " ".join(form.get("topic", "").split()),
        "group": " ".join(form.get("group", "").split()),
        "questions": [q.strip() for q in form.get("questions", "").splitlines() if q.strip()],
        "answer": form.get("answer", "").strip(),
        "sources": sources,
        "status": form.get("status", ""),
    }


async def save(
    session: AsyncSession, entry_id: str, form: dict[str, str], actor: str, now: datetime
) -> tuple[Entry | None, str]:
    changes = changes_from(form)
    if isinstance(changes, str):
        return None, changes
    try:
        saved = await curation.change(session, entry_id, changes, actor, now)
    except curation.EditError as problem:
        return None, texts.DESK_KB_NOT_SAVED.format(problem=problem)
    return saved, texts.DESK_KB_SAVED


async def history(session: AsyncSession, entry_id: str) -> list[Change]:
    revisions = await curation.revisions(session, entry_id)
    names = await label_names(session, [revision.actor for revision in revisions])
    return [
        Change(
            id=revision.id or 0,
            at=revision.at,
            who=names.get(revision.actor, revision.actor),
            action=revision.action,
            changed=[
                FIELD_WORDS.get(key, key)
                for key in sorted(set(revision.before or {}) | set(revision.after or {}))
                if (revision.before or {}).get(key) != (revision.after or {}).get(key)
            ],
            can_revert=revision.before is not None,
        )
        for revision in revisions
    ]


async def revert(
    session: AsyncSession, entry_id: str, revision_id: int, actor: str, now: datetime
) -> tuple[bool, str]:
    try:
        await curation.revert(session, entry_id, actor, now, revision_id)
    except curation.EditError as problem:
        return False, str(problem)
    return True, texts.DESK_KB_REVERTED


async def gaps(session: AsyncSession) -> Sequence[UnansweredQuestion]:
    return await curation.top_unanswered(session, limit=30)


async def dismiss_gap(session: AsyncSession, actor: Actor, question_id: int, now: datetime) -> None:
    await curation.resolve_unanswered(session, question_id, now)
    audit_by(session, actor, "kb.gap_dismissed", now, target=f"gap:{question_id}")


LIMIT = MAX_ANSWER_CHARS
