"""Admins curate the knowledge base in the chat, step by step (web chat, console, later
Telegram and Zalo alike). Every `kbadm:` press is checked against the admin role on the server,
and saving needs the conversation to be in the step it claims to finish.

Size (about 480 lines): the entry's fields (run by handlers/forms.py) and their parsers, the
entry view, the find, edit, hide, revert and gaps actions share the admin check and the entry's
shape; curation itself (revisions, audit) is in curation.py, the files in files.py."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from db import kb as kb_rows
from db.conversations import ChatState
from db.models import UnansweredQuestion
from handlers import texts
from handlers.access import ADMIN, Actor, record_denied
from handlers.clock import VN_TZ
from handlers.contract import Button, Reply
from handlers.faq.knowledge import KnowledgeBase, entry_from_row, snapshot
from handlers.forms import EDITING, Field, Form, Invalid, Reader
from handlers.kb import curation as kb_admin
from handlers.menu import BACK
from handlers.words import BACK as BACK_WORDS
from handlers.words import QUIT as QUIT_WORDS
from handlers.words import means
from knowledge.entries import MAX_ANSWER_CHARS, Entry, EntryStatus, describe, problem
from knowledge.normalize import ascii_int, normalize

PREFIX = "kbadm:"
COMMAND = "/kb"
MENU = "kbadm:menu"
ADD_FLOW, FIND_FLOW, EDIT_FLOW = "kb_add", "kb_find", "kb_edit"
FLOWS = frozenset({ADD_FLOW, FIND_FLOW, EDIT_FLOW})
MENU_BACK = Button(texts.KB_BACK, MENU)
ASK_ADD = {
    "questions": texts.KB_ASK_QUESTIONS,
    "answer": texts.KB_ASK_ANSWER,
    "sources": texts.KB_ASK_SOURCES,
    "topic": texts.KB_ASK_TOPIC,
    "group": texts.KB_ASK_GROUP,
}
_SPLIT = re.compile(r"\s*[;\n]\s*")
_NO_SOURCE = frozenset({"", "khong", "khong co", "chua co", "khong can", "bo qua"})
# A valid entry to check one field against, so each step is checked by the model's own rules.
_SAMPLE: dict[str, Any] = {
    "id": "mau",
    "group": "Khác",
    "topic": "Mẫu",
    "questions": ["Câu hỏi một?", "Câu hỏi hai?"],
    "answer": "Câu trả lời mẫu đủ dài để hợp lệ.",
    "sources": [{"law": "Luật mẫu", "number": "01/2020/QH14", "article": "Điều 1"}],
}


def _step_buttons() -> tuple[Button, ...]:
    return FORM.controls()


def _save_buttons() -> tuple[Button, ...]:
    return (Button(texts.KB_SAVE, "kbadm:save"), *FORM.controls())


def is_kb_payload(payload: str) -> bool:
    return payload.startswith(PREFIX) or payload == COMMAND


def _menu() -> Reply:
    return Reply(
        texts.KB_ADMIN_MENU,
        (
            Button(texts.KB_ADD, "kbadm:add"),
            Button(texts.KB_FIND, "kbadm:find"),
            Button(texts.KB_GAPS, "kbadm:gaps"),
            BACK,
        ),
    )


def _parse_questions(text: str) -> list[str] | None:
    questions = [q for q in _SPLIT.split(text.strip()) if q]
    return questions if len(questions) >= 2 else None


def _parse_sources(text: str) -> list[dict[str, str]] | str:
    """Sources as dicts, or the first piece that is not "law | number | article"."""
    sources = []
    for piece in (p for p in _SPLIT.split(text.strip()) if p):
        parts = [part.strip() for part in piece.split("|")]
        if len(parts) != 3 or not all(parts):
            return piece
        sources.append({"law": parts[0], "number": parts[1], "article": parts[2]})
    return sources or text


def _field_problem(field: str, value: Any) -> str | None:
    """What is wrong with one field of an entry, in Vietnamese, or None."""
    if field == "answer" and isinstance(value, str) and len(value) > MAX_ANSWER_CHARS:
        return texts.KB_ANSWER_TOO_LONG.format(length=len(value), limit=MAX_ANSWER_CHARS)
    if field == "sources" and value == []:
        return texts.KB_NEED_SOURCE
    try:
        Entry.model_validate({**_SAMPLE, field: value})
    except ValidationError as exc:
        found = []
        for err in exc.errors():
            loc = err["loc"]
            if not loc or loc[0] != field:
                continue
            where = ""
            if field == "sources" and len(loc) >= 3:
                part = texts.KB_SOURCE_PARTS.get(str(loc[2]), str(loc[2]))
                where = f"căn cứ thứ {int(loc[1]) + 1}, {part} "
            elif field == "questions" and len(loc) >= 2:
                where = f"cách hỏi thứ {int(loc[1]) + 1} "
            found.append(where + problem(err))
        if found:
            return texts.KB_STEP_PROBLEM.format(
                label=texts.KB_FIELD_LABELS.get(field, field), problem="; ".join(found)
            )
    return None


def _typed(field: str, value: Any) -> str:
    """A value as the admin would type it again."""
    if field == "questions":
        return "; ".join(value)
    if field == "sources":
        return "; ".join(" | ".join((s["law"], s["number"], s["article"])) for s in value)
    return str(value)


def _checked(field: str, parse: Any) -> Reader:
    """A reader that parses what was typed and checks it by the entry model's own rules."""

    def read(typed: str, today: date) -> Any:
        value = parse(typed)
        if isinstance(value, Invalid):
            return value
        wrong = _field_problem(field, value)
        return Invalid(wrong) if wrong is not None else value

    return read


def _questions(typed: str) -> list[str] | Invalid:
    return _parse_questions(typed) or Invalid(texts.KB_NEED_TWO)


def _sources(typed: str) -> list[dict[str, str]] | Invalid:
    if normalize(typed) in _NO_SOURCE:
        return Invalid(texts.KB_NEED_SOURCE)
    sources = _parse_sources(typed)
    return (
        Invalid(texts.KB_BAD_SOURCE.format(source=sources)) if isinstance(sources, str) else sources
    )


def _stripped(typed: str) -> str:
    return typed.strip()


FORM = Form(
    PREFIX,
    {
        key: Field(key, texts.KB_FIELD_LABELS[key], ASK_ADD[key], _checked(key, parse))
        for key, parse in (
            ("questions", _questions),
            ("answer", _stripped),
            ("sources", _sources),
            ("topic", _stripped),
            ("group", _stripped),
        )
    },
)
FIELDS = tuple(FORM.fields)


def _show(entry: Entry) -> str:
    return texts.KB_ENTRY.format(
        id=entry.id,
        status=texts.KB_STATUS.get(entry.status.value, entry.status.value),
        topic=entry.topic,
        questions="; ".join(entry.questions),
        answer=entry.answer,
        citation=entry.citation(),
    )


def _entry_view(entry: Entry) -> Reply:
    hidden = entry.status is not EntryStatus.published
    toggle = (
        Button(texts.KB_SHOW, f"kbadm:show:{entry.id}")
        if hidden
        else Button(texts.KB_HIDE, f"kbadm:hide:{entry.id}")
    )
    return Reply(
        _show(entry),
        (
            Button(texts.KB_EDIT_ANSWER, f"kbadm:edit:answer:{entry.id}"),
            Button(texts.KB_EDIT_QUESTIONS, f"kbadm:edit:questions:{entry.id}"),
            Button(texts.KB_EDIT_SOURCES, f"kbadm:edit:sources:{entry.id}"),
            toggle,
            Button(texts.KB_REVERT, f"kbadm:revert:{entry.id}"),
            MENU_BACK,
        ),
    )


class KbAdmin:
    """The chat side of knowledge-base curation."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self._knowledge = knowledge

    async def _all_entries(self, session: AsyncSession) -> list[Entry]:
        return [entry_from_row(row) for row in await kb_rows.all_rows(session)]

    def _reset(self, state: ChatState) -> None:
        state.flow = state.step = None
        state.data = {}

    async def press(
        self, session: AsyncSession, state: ChatState, actor: Actor, payload: str, now: datetime
    ) -> Reply:
        if not actor.has(ADMIN):
            record_denied(session, actor, payload, now)
            return Reply(texts.ADMIN_ONLY, (BACK,))
        if not actor.private:
            return Reply(texts.STAFF_PRIVATE_ONLY, (BACK,))
        parts = payload.removeprefix(PREFIX).split(":")
        action, args = parts[0], parts[1:]
        if payload == COMMAND or action == "menu":
            self._reset(state)
            return _menu()
        if action == "add":
            self._reset(state)
            state.flow, state.step = ADD_FLOW, "questions"
            return await self._ask(session, state)
        if action == "find":
            self._reset(state)
            state.flow, state.step = FIND_FLOW, "words"
            return Reply(texts.KB_ASK_WORDS, (MENU_BACK,))
        if action == "gaps":
            return await self._gaps(session)
        gap = ascii_int(args[0]) if args else None
        if action == "gap" and gap is not None:
            return await self._gap_to_entry(session, state, gap, now)
        if action == "dismiss" and gap is not None:
            dismissed = await kb_admin.dismiss_unanswered(session, gap, actor.label, now)
            if dismissed is None:
                return Reply(texts.KB_GAP_GONE, (MENU_BACK,))
            sample = kb_admin.gap_text(dismissed)[:80]
            return Reply(
                texts.KB_GAP_DISMISSED.format(sample=sample),
                (Button(texts.KB_GAPS, "kbadm:gaps"), MENU_BACK),
            )
        if action == "save":
            return await self._save(session, state, actor, now)
        if action in ("cancel", "quit"):
            self._reset(state)
            return Reply(texts.KB_CANCELLED, (MENU_BACK,))
        if action == "back" and state.flow in (ADD_FLOW, EDIT_FLOW):
            return await self._back(session, state)
        if action == "group" and args and state.flow == ADD_FLOW and state.step == "group":
            index = await self._knowledge.index(session)
            name = index.groups.get(args[0], (args[0], ()))[0]
            return self._preview_new(state, name)
        entry_id = args[-1] if args else ""
        return await self._on_entry(session, state, actor, action, args, entry_id, now)

    async def _on_entry(
        self,
        session: AsyncSession,
        state: ChatState,
        actor: Actor,
        action: str,
        args: list[str],
        entry_id: str,
        now: datetime,
    ) -> Reply:
        entries = {e.id: e for e in await self._all_entries(session)}
        entry = entries.get(entry_id)
        if entry is None:
            return Reply(texts.ENTRY_GONE, (MENU_BACK,))
        if action == "open":
            return _entry_view(entry)
        if action == "edit" and len(args) == 2 and args[0] in texts.KB_ASK_NEW:
            self._reset(state)
            state.flow, state.step = EDIT_FLOW, args[0]
            state.data = {"id": entry.id}
            return Reply(texts.KB_ASK_NEW[args[0]], _step_buttons())
        try:
            if action == "hide":
                await kb_admin.set_status(session, entry.id, EntryStatus.retired, actor.label, now)
                return Reply(texts.KB_HIDDEN.format(id=entry.id), (MENU_BACK,))
            if action == "show":
                await kb_admin.set_status(
                    session, entry.id, EntryStatus.published, actor.label, now
                )
                return Reply(texts.KB_SHOWN.format(id=entry.id), (MENU_BACK,))
            if action == "revert":
                await kb_admin.revert(session, entry.id, actor.label, now)
                return Reply(texts.KB_REVERTED.format(id=entry.id), (MENU_BACK,))
        except kb_admin.EditError as exc:
            return Reply(texts.KB_NOT_SAVED.format(error=exc), (MENU_BACK,))
        return Reply(texts.STALE_BUTTON, (MENU_BACK,))

    async def text(
        self, session: AsyncSession, state: ChatState, actor: Actor, text: str, now: datetime
    ) -> Reply:
        """A typed answer to the step the admin is on."""
        if not actor.has(ADMIN):
            self._reset(state)
            return Reply(texts.ADMIN_ONLY, (BACK,))
        if state.flow in (ADD_FLOW, EDIT_FLOW) and means(text, QUIT_WORDS):
            self._reset(state)
            return Reply(texts.KB_CANCELLED, (MENU_BACK,))
        if state.flow in (ADD_FLOW, EDIT_FLOW) and means(text, BACK_WORDS):
            return await self._back(session, state)
        if state.flow == FIND_FLOW:
            found = kb_admin.matching(await self._all_entries(session), text)
            if not found:
                return Reply(texts.KB_NOT_FOUND, (MENU_BACK,))
            buttons = tuple(Button(e.topic, f"kbadm:open:{e.id}") for e in found)
            return Reply(texts.KB_FOUND, (*buttons, MENU_BACK))
        if state.flow == EDIT_FLOW:
            return await self._edit_value(session, state, text, now)
        return await self._add_step(session, state, text, now)

    async def _ask(self, session: AsyncSession, state: ChatState, note: str | None = None) -> Reply:
        """The prompt of the add step the admin is on, with what they typed there before."""
        step = str(state.step)
        lines = [note] if note else []
        lines.append(ASK_ADD[step])
        if step in state.data:
            lines.append(texts.KB_NOW_TYPED.format(value=_typed(step, state.data[step])))
        extra: tuple[Button, ...] = ()
        if step == "group":
            index = await self._knowledge.index(session)
            extra = tuple(
                Button(name, f"kbadm:group:{slug}") for slug, (name, _) in index.groups.items()
            )
        return FORM.ask(state, step, extra=extra, prompt="\n\n".join(lines))

    async def _back(self, session: AsyncSession, state: ChatState) -> Reply:
        """One step back; from the first step, the knowledge-base menu (nothing saved)."""
        if state.flow == EDIT_FLOW:
            if state.step == "confirm":
                field = next(iter(state.data.get("changes") or {"answer": None}))
                state.step = field
                return Reply(texts.KB_ASK_NEW[field], _step_buttons())
            entry_id = str(state.data.get("id"))
            self._reset(state)
            row = await kb_rows.get(session, entry_id)
            return _entry_view(entry_from_row(row)) if row else _menu()
        earlier = FIELDS[-1] if state.step == "confirm" else FORM.previous(state, FIELDS)
        if earlier is None:
            self._reset(state)
            return _menu()
        state.step = earlier
        return await self._ask(session, state)

    async def _add_step(
        self, session: AsyncSession, state: ChatState, text: str, now: datetime
    ) -> Reply:
        step = str(state.step)
        if step not in FORM.fields:
            return Reply(texts.STALE_BUTTON, (*_save_buttons(), MENU_BACK))
        value = FORM.read(step, text, now.astimezone(VN_TZ).date())
        if isinstance(value, Invalid):
            return FORM.retry(step, value)
        following = FORM.store(state, step, value, FIELDS)
        if following is None:
            return self._preview_new(state, str(state.data["group"]))
        state.step = following
        return await self._ask(session, state)

    def _preview_new(self, state: ChatState, group: str) -> Reply:
        state.data = {**state.data, "group": group}
        state.data.pop(EDITING, None)
        state.step = "confirm"
        draft = {**state.data, "id": "moi"}
        draft.pop("gap", None)
        try:
            preview = _show(Entry.model_validate(draft))
        except ValidationError:
            # Each step was checked; a draft from before that check goes back to its first step.
            state.step = "questions"
            return Reply(texts.KB_ASK_QUESTIONS, _step_buttons())
        return Reply(texts.KB_PREVIEW.format(preview=preview), _save_buttons())

    async def _edit_value(
        self, session: AsyncSession, state: ChatState, text: str, now: datetime
    ) -> Reply:
        field = state.step or ""
        if field == "confirm":
            return Reply(texts.STALE_BUTTON, _save_buttons())
        if field not in FORM.fields:
            self._reset(state)
            return Reply(texts.ENTRY_GONE, (MENU_BACK,))
        change = FORM.read(field, text, now.astimezone(VN_TZ).date())
        if isinstance(change, Invalid):
            return FORM.retry(field, change)
        entries = {e.id: e for e in await self._all_entries(session)}
        entry = entries.get(str(state.data.get("id")))
        if entry is None:
            self._reset(state)
            return Reply(texts.ENTRY_GONE, (MENU_BACK,))
        try:
            preview = _show(Entry.model_validate({**snapshot(entry), field: change}))
        except ValidationError as exc:
            return Reply(texts.KB_NOT_SAVED.format(error=describe(exc)), _step_buttons())
        state.data = {**state.data, "changes": {field: change}}
        state.step = "confirm"
        return Reply(texts.KB_PREVIEW.format(preview=preview), _save_buttons())

    async def _save(
        self, session: AsyncSession, state: ChatState, actor: Actor, now: datetime
    ) -> Reply:
        if state.flow not in (ADD_FLOW, EDIT_FLOW) or state.step != "confirm":
            return Reply(texts.STALE_BUTTON, (MENU_BACK,))
        data = dict(state.data)
        try:
            if state.flow == ADD_FLOW:
                taken = {e.id for e in await self._all_entries(session)}
                entry_id = kb_admin.new_id(str(data.get("topic", "")), taken)
                gap = data.pop("gap", None)
                saved = await kb_admin.save(
                    session, {**data, "id": entry_id}, actor.label, now, "add"
                )
                if gap is not None:
                    await kb_admin.resolve_unanswered(session, int(gap), now)
            else:
                saved = await kb_admin.change(
                    session, str(data["id"]), data["changes"], actor.label, now
                )
        except kb_admin.EditError as exc:
            # Kept at the read-back: "Quay lại" fixes the step, nothing typed is lost.
            return Reply(texts.KB_NOT_SAVED.format(error=exc), _save_buttons())
        self._reset(state)
        return Reply(texts.KB_SAVED.format(id=saved.id), (MENU_BACK,))

    async def _gaps(self, session: AsyncSession) -> Reply:
        gaps = await kb_admin.top_unanswered(session)
        if not gaps:
            return Reply(texts.KB_NO_GAPS, (MENU_BACK,))
        lines = "\n".join(f"{g.count} lần: {kb_admin.gap_text(g)}" for g in gaps)
        buttons: list[Button] = []
        for gap in gaps[:4]:
            sample = kb_admin.gap_text(gap)[:40]
            buttons.append(Button(texts.KB_GAP_ADD.format(sample=sample), f"kbadm:gap:{gap.id}"))
            buttons.append(
                Button(texts.KB_GAP_DISMISS.format(sample=sample), f"kbadm:dismiss:{gap.id}")
            )
        return Reply(texts.KB_GAPS_LIST.format(lines=lines), (*buttons, MENU_BACK))

    async def _gap_to_entry(
        self, session: AsyncSession, state: ChatState, gap_id: int, now: datetime
    ) -> Reply:
        gap = await session.get(UnansweredQuestion, gap_id)
        if gap is None:
            return Reply(texts.STALE_BUTTON, (MENU_BACK,))
        self._reset(state)
        state.flow, state.step = ADD_FLOW, "questions"
        state.data = {"gap": gap.id}
        return await self._ask(session, state, kb_admin.gap_text(gap))
