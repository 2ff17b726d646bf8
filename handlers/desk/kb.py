"""The desk's Kho câu hỏi (admins): entries listed and searched, one edited with the entry's
own checks (``Entry`` validation, through ``kb.curation``: a revision, an audit row, the
version bumped), previewed as the chat's ``answer_reply`` sends it, its history with what
changed word by word and a revert, new entries (from a gap's question too), the questions
nobody's entry answered (the gaps) to dismiss, and the whole base exported and imported in
the files `dccs kb` reads."""

from __future__ import annotations

import asyncio
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from db import kb as kb_rows
from db.models import UnansweredQuestion
from handlers import texts
from handlers.access import Actor, audit_by
from handlers.desk.names import label_names
from handlers.faq.answers import answer_reply
from handlers.faq.knowledge import entry_from_row, import_entries
from handlers.kb import curation
from handlers.kb import files as kb_files
from knowledge.entries import MAX_ANSWER_CHARS, Entry, EntryStatus, describe
from knowledge.index import FaqIndex

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


# -- a new entry, its preview, the diff of each change, import and export ----------------------

# The id of an entry not saved yet, only for its preview.
PREVIEW_ID = "xem-truoc"


def blank_form(question: str = "") -> dict[str, str]:
    """The new entry form; a gap's question (already masked) is its first phrasing."""
    return {
        "topic": "",
        "group": "",
        "questions": question,
        "answer": "",
        "sources": "",
        "status": EntryStatus.published.value,
    }


async def gap_question(session: AsyncSession, gap_id: int | None) -> str:
    if gap_id is None:
        return ""
    gap = await session.get(UnansweredQuestion, gap_id)
    return curation.gap_text(gap) if gap is not None else ""


@dataclass(frozen=True)
class Preview:
    """An answer as the chat sends it: the text, then the buttons under it."""

    text: str
    buttons: list[str]
    shown: bool


def preview(entry: Entry, index: FaqIndex | None = None) -> Preview:
    """``index`` adds the related questions the chat offers under a saved entry's answer (an
    entry not saved yet has none: the index caches them by id)."""
    reply = answer_reply(entry, index)
    return Preview(
        reply.text,
        [button.label for button in reply.buttons],
        entry.status is EntryStatus.published,
    )


def draft(form: dict[str, str]) -> Entry | str:
    """The form as an entry, checked as a save checks it, for the preview; or what is wrong."""
    changes = changes_from(form)
    if isinstance(changes, str):
        return changes
    try:
        return Entry.model_validate({**changes, "id": PREVIEW_ID})
    except ValidationError as problem:
        return texts.DESK_KB_NOT_SAVED.format(problem=describe(problem))


async def create(
    session: AsyncSession, actor: Actor, form: dict[str, str], gap_id: int | None, now: datetime
) -> tuple[Entry | None, str]:
    """A new entry through ``kb.curation`` (a revision, an audit row, the version bumped); the
    gap it answers leaves the gaps list, as the chat's add does."""
    changes = changes_from(form)
    if isinstance(changes, str):
        return None, changes
    taken = {row.id for row in await kb_rows.all_rows(session)}
    entry_id = curation.new_id(str(changes["topic"]), taken)
    try:
        saved = await curation.save(session, {**changes, "id": entry_id}, actor.label, now, "add")
    except curation.EditError as problem:
        return None, texts.DESK_KB_NOT_SAVED.format(problem=problem)
    if gap_id is not None:
        await curation.resolve_unanswered(session, gap_id, now)
    return saved, texts.DESK_KB_CREATED.format(id=saved.id)


@dataclass(frozen=True)
class FieldDiff:
    """One field of one change: the words before with those removed marked, and the words
    after with those added marked (("same" | "del" | "ins", text) pieces)."""

    name: str
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]


@dataclass(frozen=True)
class RevisionDiff:
    id: int
    at: datetime
    who: str
    action: str
    fields: list[FieldDiff]


def _as_text(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "sources" and isinstance(value, list):
        return "\n".join(
            " | ".join(
                str(part)
                for part in (s.get("law"), s.get("number"), s.get("article"), s.get("note"))
                if part
            )
            for s in value
            if isinstance(s, dict)
        )
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if key == "status":
        return STATUS_WORDS.get(str(value), str(value))
    return str(value)


def word_diff(before: str, after: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The two texts cut into words and spaces, matched by difflib."""
    old, new = re.findall(r"\s+|[^\s]+", before), re.findall(r"\s+|[^\s]+", after)
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            left.append(("same", "".join(old[a1:a2])))
            right.append(("same", "".join(new[b1:b2])))
            continue
        if a2 > a1:
            left.append(("del", "".join(old[a1:a2])))
        if b2 > b1:
            right.append(("ins", "".join(new[b1:b2])))
    return left, right


async def diffs(session: AsyncSession, entry_id: str) -> list[RevisionDiff]:
    """Every change of an entry, newest first, with what each changed word by word."""
    revisions = await curation.revisions(session, entry_id)
    names = await label_names(session, [revision.actor for revision in revisions])
    shown = []
    for revision in revisions:
        before, after = revision.before or {}, revision.after or {}
        fields = []
        for key in FIELD_WORDS:
            old, new = _as_text(key, before.get(key)), _as_text(key, after.get(key))
            if old != new:
                left, right = word_diff(old, new)
                fields.append(FieldDiff(FIELD_WORDS[key], left, right))
        shown.append(
            RevisionDiff(
                id=revision.id or 0,
                at=revision.at,
                who=names.get(revision.actor, revision.actor),
                action=ACTION_WORDS.get(revision.action, revision.action),
                fields=fields,
            )
        )
    return shown


ACTION_WORDS = {
    "add": "Tạo mục",
    "edit": "Sửa",
    "revert": "Hoàn tác",
    "import": "Nạp từ tệp",
    "hide": "Ẩn",
    "show": "Hiện lại",
}


async def export(session: AsyncSession) -> bytes:
    """Every entry (hidden ones too) in the YAML seed format `dccs kb import` reads back."""
    entries = [entry_from_row(row) for row in await kb_rows.all_rows(session)]
    entries.sort(key=lambda entry: entry.id)
    return kb_files.export(entries, "yaml")


async def import_file(
    session: AsyncSession, actor: Actor, raw: bytes, name: str, now: datetime
) -> tuple[str, list[str]]:
    """An uploaded file checked as `dccs kb import FILE` checks it: every problem named by
    entry and field and nothing changed, or every entry imported as this admin's edit (each
    one a revision and an audit row). (message, problems)."""
    try:
        # Off the event loop: checking a whole knowledge base takes a while.
        entries = await asyncio.to_thread(kb_files.parse, raw, kb_files.format_of(name), name)
    except kb_files.KbFileError as refused:
        return texts.DESK_KB_IMPORT_REFUSED.format(count=len(refused.problems)), refused.problems
    report = await import_entries(session, entries, now, actor=actor.label, by_admin=True)
    return texts.DESK_KB_IMPORTED.format(summary=report.summary().replace("\n", "; ")), []
