"""Đơn thư for citizens: a guided form per type, a tracking code, the status of one's đơn.

A chat filing is an online registration: the legal clocks start only when an official records
the đơn as received, so every date shown before then says "dự kiến". Nothing is written before
the citizen consents; the filer's identity goes to ``petition_party``, apart from the case.

Size (about 600 lines): the fields of every type (run by handlers/forms.py), the type
suggested from free text, the files step, the read-back, the thời hiệu warning and the filing
transaction; a citizen's own đơn are in lookup.py.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.conversations import ChatState
from db.models import Person, Petition, PetitionEvent, PetitionParty, Unit
from handlers import returning, texts, words
from handlers.access import Actor
from handlers.clock import VN_TZ
from handlers.contract import Button, Incoming, Reply
from handlers.forms import (
    EDITING,
    Choice,
    Field,
    Form,
    Invalid,
    day_or_unknown,
    read_address,
    read_name,
    read_phone,
    text_between,
)
from handlers.menu import BACK, MENU_BOOK, with_menu
from handlers.petitions.routing import route, shield_leaders
from handlers.petitions.rules import DISCIPLINARY, RuleBook
from handlers.units.pick import address_note, advise_unserved
from handlers.words import means
from handlers.working_days import working_calendar
from knowledge.normalize import fold

FLOW = "petition"
PREFIX = "pt:"
KIND_PREFIX = "pt:k:"
CONFIRM_PREFIX = "pt:yes:"
SEND = "pt:send"
NOT_NOW = "pt:no"
FILES_DONE = "pt:files:done"
# The type a free-text request suggested, while the suggestion waits for a yes.
SUGGESTED = "suggested"
USE_PREVIOUS = "pt:prev"
NOT_ME = "pt:notme"
KINDS = ("khieu_nai", "to_cao", "kien_nghi", "phan_anh")
ANONYMOUS = "thong_tin"
CODE_PREFIX = {
    "khieu_nai": "KN",
    "to_cao": "TC",
    "kien_nghi": "KG",
    "phan_anh": "PA",
    ANONYMOUS: "TT",
    "kien_nghi_btnd": "BT",
}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CONSENT_VERSION = "2026-11"
LETTER_ATTACHMENT = "letter:"
# What each type asks, in order (Luật Khiếu nại Điều 8; Luật Tố cáo Điều 23; NĐ 20/2008 Điều 7).
# "decision_day" (the day the decision was received or learned of) dates the thời hiệu (Luật
# Khiếu nại Điều 9); it may be skipped.
STEPS = {
    "khieu_nai": ("name", "phone", "address", "decision", "decision_day", "content", "request"),
    "to_cao": ("name", "phone", "address", "accused", "act"),
    "kien_nghi": ("name", "phone", "address", "content"),
    "phan_anh": ("name", "phone", "address", "content", "place"),
    ANONYMOUS: ("content",),
}
FIRST_STEP = {
    "khieu_nai": "accept",
    "to_cao": "accept",
    "kien_nghi": "answer",
    "phan_anh": "answer",
    # Recorded by an official only (Luật Thực hiện dân chủ ở cơ sở Điều 40 khoản 1 điểm c).
    "kien_nghi_btnd": "answer",
}
SKIP_DAY = "pt:noday"
_FREE_TEXT = text_between(5, 2000, texts.PETITION_TOO_SHORT)
FORM = Form(
    PREFIX,
    {
        asked.key: asked
        for asked in (
            Field(
                "name",
                texts.PETITION_LABELS["name"],
                texts.PETITION_ASK["name"],
                read_name,
                also=("phone",),
            ),
            Field(
                "phone",
                texts.PETITION_LABELS["phone"],
                texts.PETITION_ASK["phone"],
                read_phone,
                ask_contact=True,
            ),
            Field(
                "address",
                texts.PETITION_LABELS["address"],
                texts.PETITION_ASK["address"],
                read_address,
            ),
            Field(
                "decision_day",
                texts.PETITION_LABELS["decision_day"],
                texts.PETITION_ASK["decision_day"],
                day_or_unknown(
                    texts.PETITION_DAY_NOT_GIVEN,
                    texts.PETITION_BAD_DAY + texts.PETITION_ASK["decision_day"],
                ),
                (
                    Choice(
                        texts.PETITION_NO_DAY,
                        SKIP_DAY,
                        texts.PETITION_DAY_NOT_GIVEN,
                        shown=texts.PETITION_DAY_NOT_GIVEN,
                    ),
                ),
            ),
            *(
                Field(key, texts.PETITION_LABELS[key], texts.PETITION_ASK[key], _FREE_TEXT)
                for key in ("decision", "content", "request", "accused", "act", "place")
            ),
        )
    },
)
REGISTERED, INFORMATION, WITHDRAWN = "dang_ky", "thong_tin", "rut_don"
# Before a result, a đơn may be withdrawn (Luật Khiếu nại Điều 10; Luật Tố cáo Điều 33).
WITHDRAWABLE = frozenset(
    {
        REGISTERED,
        "tiep_nhan",
        "xu_ly_ban_dau",
        "thu_ly",
        "dang_giai_quyet",
        "gia_han",
        "tam_dinh_chi",
    }
)
MAX_FILES = 5
# Form data that is not the đơn's content: the filer's identity (kept apart) and form state.
NOT_DETAILS = frozenset(
    {"kind", "name", "phone", "address", "editing", returning.KNOWN, returning.NOT_ME}
)
_KEYWORDS = (
    ("to_cao", ("to cao", "to giac")),
    ("khieu_nai", ("khieu nai",)),
    ("phan_anh", ("phan anh", "bao tin")),
    ("kien_nghi", ("kien nghi", "de nghi", "gop y", "de xuat")),
)


@lru_cache(maxsize=1)
def rule_book() -> RuleBook:
    return RuleBook.load(working_calendar())


def suggest_kind(text: str) -> str | None:
    folded = fold(text)
    for kind, keywords in _KEYWORDS:
        if any(word in folded for word in keywords):
            return kind
    return None


def choose_kind() -> Reply:
    buttons = tuple(
        Button(texts.PETITION_KIND_NAMES[kind], f"{KIND_PREFIX}{kind}") for kind in KINDS
    )
    return Reply(
        texts.PETITION_INTRO,
        (*buttons, Button(texts.PETITION_ANONYMOUS, f"{KIND_PREFIX}{ANONYMOUS}"), BACK),
    )


def start_from_text(state: ChatState, text: str) -> Reply:
    """Free text such as "tôi muốn khiếu nại quyết định xử phạt": suggest a type, ask to confirm.
    Only a button answers the suggestion: typed text is read afresh (see ``suggesting``)."""
    kind = suggest_kind(text)
    # Only the step changes: a form set aside as a draft is still there to resume.
    state.flow, state.step = FLOW, "kind"
    state.data.pop(SUGGESTED, None)
    if kind is None:
        reply = choose_kind()
        return Reply(reply.text, (*reply.buttons[:-1], Button(texts.PETITION_JUST_ASKING, NOT_NOW)))
    state.data[SUGGESTED] = kind
    name = texts.PETITION_KIND_NAMES[kind].lower()
    return Reply(
        texts.PETITION_SUGGEST.format(kind=name),
        (
            Button(texts.PETITION_YES.format(kind=name), f"{CONFIRM_PREFIX}{kind}"),
            Button(texts.PETITION_OTHER, "menu:petition"),
            Button(texts.PETITION_JUST_ASKING, NOT_NOW),
        ),
    )


def suggesting(state: ChatState) -> bool:
    """A type was suggested and not chosen yet: nothing typed has been asked for."""
    return state.flow == FLOW and state.step == "kind"


def _ask_files(state: ChatState, note: str = "") -> Reply:
    """The files step: photos or papers, or none; the way on is a button as well as a word."""
    taken = len(state.data.get("files", []))
    if taken >= MAX_FILES:
        text = texts.PETITION_FILES_FULL.format(limit=MAX_FILES)
    elif taken:
        text = texts.PETITION_FILE_TAKEN.format(count=taken)
    else:
        text = texts.PETITION_FILES.format(limit=MAX_FILES)
    go_on = texts.FILES_DONE if taken else texts.NO_FILES
    return Reply(
        note + text,
        (Button(go_on, FILES_DONE), *FORM.controls()),
        takes_files=taken < MAX_FILES,
    )


def _ask(state: ChatState, note: str = "") -> Reply:
    step = state.step or ""
    if step == "name":
        prompt, reuse = returning.offer(state, texts.PETITION_ASK[step], USE_PREVIOUS, NOT_ME)
        return FORM.ask(state, step, note, extra=reuse, prompt=prompt)
    return FORM.ask(state, step, note)


def resume(state: ChatState) -> Reply:
    """The question of the step the đơn stands at, asked again (nothing typed is lost)."""
    if state.step == "consent":
        return _consent(state)
    if state.step == "files":
        return _ask_files(state)
    if state.step in STEPS.get(str(state.data.get("kind", "")), ()):
        return _ask(state)
    return choose_kind()


def _steps(state: ChatState) -> tuple[str, ...]:
    return STEPS.get(str(state.data.get("kind", "")), ())


def _step_back(state: ChatState) -> Reply:
    """One step back, keeping what was typed; from the first question, back to the kinds."""
    steps = _steps(state)
    if state.step == "consent":
        state.step = "files"
        return _ask_files(state)
    if state.step == "files" and steps:
        state.step = steps[-1]
        return _ask(state)
    earlier = FORM.previous(state, steps)
    if earlier is None:
        state.flow = state.step = None
        state.data = {}
        return choose_kind()
    state.step = earlier
    return _ask(state)


def _begin(state: ChatState, kind: str) -> Reply:
    known = {k: v for k, v in state.data.items() if k == returning.KNOWN}
    state.flow, state.data = FLOW, {"kind": kind, **known}
    state.step = STEPS[kind][0]
    reply = _ask(state)
    if kind == ANONYMOUS:
        return Reply(texts.PETITION_ANON_NOTE + "\n\n" + reply.text, reply.buttons)
    return reply


def _quit(state: ChatState, text: str = texts.PETITION_QUIT) -> Reply:
    state.flow = state.step = None
    state.data = {}
    return with_menu(text)


async def press(
    session: AsyncSession,
    state: ChatState,
    actor: Actor,
    incoming: Incoming,
    payload: str,
    now: datetime,
) -> Reply:
    if payload == FORM.quit:
        return _quit(state)
    if payload == NOT_NOW:
        return _quit(state, texts.PETITION_ASK_AWAY)
    if payload == FORM.back and state.flow == FLOW:
        return _step_back(state)
    at_read_back = state.flow == FLOW and state.step == "consent"
    fields = _steps(state)
    if at_read_back and payload.startswith(FORM.edit_prefix):
        changing = FORM.change(state, payload, fields)
        if changing is not None:
            return changing
    if at_read_back and payload == FORM.edit:
        return FORM.pick_field(fields)
    for prefix in (KIND_PREFIX, CONFIRM_PREFIX):
        if payload.startswith(prefix):
            kind = payload.removeprefix(prefix)
            if kind in STEPS:
                state.data = {}
                await returning.note(session, state, actor.person_id)
                return _begin(state, kind)
    if payload == USE_PREVIOUS and state.flow == FLOW and state.step == "name":
        if await returning.fill(session, state, actor.person_id):
            state.step = fields[fields.index("address") + 1]
        return _ask(state)
    if payload == NOT_ME and state.flow == FLOW:
        returning.refuse(state)
        return _ask(state)
    if payload == FILES_DONE and takes_files(state):
        return _consent(state)
    chosen = FORM.chosen(state, payload) if state.flow == FLOW else None
    if chosen is not None:
        return _answer(state, state.step or "", chosen)
    if payload == SEND and state.flow == FLOW and state.step == "consent":
        return await _file(session, state, actor, incoming, now)
    return with_menu(texts.STALE_BUTTON)


async def text(
    session: AsyncSession,
    state: ChatState,
    actor: Actor,
    incoming: Incoming,
    raw: str,
    now: datetime,
) -> Reply:
    kind = state.data.get("kind")
    if means(raw, words.BACK):
        return _step_back(state)
    if state.step == "files":
        if means(raw, words.NO_MORE):
            return _consent(state)
        return _ask_files(state, _added_to_content(state, raw))
    if state.step == "consent":
        # "đồng ý" typed is the consent the button gives; anything else shows the read-back.
        if means(raw, words.YES):
            return await _file(session, state, actor, incoming, now)
        return _consent(state)
    if kind not in STEPS or state.step not in STEPS[kind]:
        return choose_kind()
    step = state.step
    today = now.astimezone(VN_TZ).date()
    value = FORM.read(step, raw, today, incoming.contact_phone)
    if isinstance(value, Invalid):
        return FORM.retry(step, value)
    answer = str(value)
    also = FORM.read_also(step, raw, today)
    if kind == ANONYMOUS and step == STEPS[kind][-1]:
        state.data[step] = answer
        return await _file(session, state, actor, incoming, now)
    if step == "decision_day":
        return _answer(state, step, answer, _limit_warning(state.data, answer, now))
    return _answer(state, step, answer, await _place_note(session, step, answer), also)


async def _place_note(session: AsyncSession, step: str, value: str) -> str:
    """An old address said back as today's unit; for where the matter is, advice when that
    commune is not one this office serves (the đơn is still taken)."""
    if step == "address":
        note = await address_note(session, value)
    elif step in ("place", "decision"):
        note = await advise_unserved(session, value)
    else:
        note = None
    return f"{note}\n\n" if note else ""


def _answer(
    state: ChatState, step: str, value: str, note: str = "", also: dict[str, Any] | None = None
) -> Reply:
    """Keep the answer (and any later one given with it) and ask the next question, or go back
    to the read-back after an edit."""
    editing = EDITING in state.data
    following = FORM.store(state, step, value, _steps(state), also)
    if following is not None:
        state.step = following
        return _ask(state, note)
    if editing:
        reply = _consent(state)
        return Reply(note + reply.text, reply.buttons)
    state.step = "files"
    return _ask_files(state, note)


def _added_to_content(state: ChatState, raw: str) -> str:
    """Text typed at the files step is more of what the person wants to say: it is added to
    the last free-text field of the đơn (never dropped), and said so."""
    typed = " ".join(raw.split())
    kind = str(state.data.get("kind", ""))
    written = [key for key in STEPS.get(kind, ()) if key in ("content", "act", "request")]
    if len(typed) < 5 or not written:
        return ""
    key = written[-1]
    added = f"{state.data.get(key, '')}\n{typed}".strip()
    if len(added) > 2000:
        return texts.PETITION_NOT_ADDED.format(label=FORM.fields[key].label) + "\n\n"
    state.data[key] = added
    return texts.PETITION_ADDED.format(label=FORM.fields[key].label) + "\n\n"


def _given_day(data: dict[str, object]) -> date | None:
    try:
        return datetime.strptime(str(data.get("decision_day", "")), "%d/%m/%Y").date()
    except ValueError:
        return None


def _limit_warning(data: dict[str, object], answer: str, now: datetime) -> str:
    """Said when the day given puts the đơn past the thời hiệu: a warning, never a refusal
    (time lost to illness, disasters or other obstacles is not counted)."""
    day = _given_day({"decision_day": answer})
    if day is None:
        return ""
    # A complaint about a disciplinary decision has 15 days, not 90 (Luật Khiếu nại Điều 48).
    kind = DISCIPLINARY if "ky luat" in fold(str(data.get("decision", ""))) else "khieu_nai"
    limit = rule_book().due(kind, "limit", day)
    if limit is None or now.astimezone(VN_TZ).date() <= limit.day:
        return ""
    return texts.PETITION_LIMIT_PASSED.format(
        day=f"{day:%d/%m/%Y}",
        days=limit.rule.period(frozenset()),
        end=f"{limit.day:%d/%m/%Y}",
        rule=limit.rule.public_citation,
    )


def attach(state: ChatState, incoming: Incoming) -> Reply:
    """Photos and documents sent while a đơn is being filed: kept as references to fetch once
    the đơn is filed (the clock downloads them, within size and type limits)."""
    files = list(state.data.get("files", []))
    room = MAX_FILES - len(files)
    files += list(incoming.attachments)[: max(room, 0)]
    state.data["files"] = files
    return _ask_files(state)


def files_denunciation(state: ChatState) -> bool:
    """A tố cáo is being filed: what the person types identifies them or whom they accuse."""
    return state.flow == FLOW and state.data.get("kind") == "to_cao"


def takes_files(state: ChatState) -> bool:
    return state.flow == FLOW and state.step == "files"


def _shown(state: ChatState) -> tuple[str, ...]:
    """The fields a read-back shows: a denouncer's identity is not echoed back (replies are
    kept in the inbox and outbox for a while)."""
    kind = str(state.data["kind"])
    secret = ("name", "phone", "address") if kind == "to_cao" else ()
    return tuple(key for key in STEPS[kind] if key not in secret)


def _consent(state: ChatState) -> Reply:
    kind = str(state.data["kind"])
    state.step = "consent"
    lines = [texts.PETITION_KIND_LINE.format(kind=texts.PETITION_KIND_NAMES.get(kind, kind))]
    if kind == "to_cao":
        lines.append(texts.PARTY_WITHHELD)
    lines += FORM.lines(state.data, _shown(state))
    lines.append(texts.PETITION_FILES_LINE.format(count=len(state.data.get("files", []))))
    summary = "\n".join(f"- {line}" for line in lines)
    return Reply(
        texts.PETITION_CONSENT.format(
            summary=summary, secrecy=texts.PETITION_SECRECY if kind == "to_cao" else ""
        ),
        (
            Button(texts.PETITION_SEND, SEND),
            Button(texts.EDIT_ONE, FORM.edit),
            *FORM.controls(),
        ),
    )


async def filing_unit(session: AsyncSession, actor: Actor) -> int | None:
    """The commune the citizen chose, else the deployment's first commune or ward."""
    person = await session.get(Person, actor.person_id)
    if person is not None and person.unit_id is not None:
        return person.unit_id
    query = select(Unit).order_by(col(Unit.id))
    units = (await session.exec(query)).all()
    local = [u for u in units if u.kind in ("xa", "phuong", "dac_khu")] or list(units)
    return local[0].id if local else None


async def _same_as_before(
    session: AsyncSession, person_id: int, kind: str, summary: str
) -> Petition | None:
    """The same citizen sending the same content again is the same đơn, not a second one."""
    query = select(Petition).where(
        Petition.person_id == person_id,
        Petition.kind == kind,
        col(Petition.status).in_(WITHDRAWABLE),
    )
    wanted = fold(summary)
    for earlier in (await session.exec(query)).all():
        if fold(earlier.summary) == wanted:
            return earlier
    return None


def new_code(kind: str, year: int) -> str:
    random_part = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{CODE_PREFIX[kind]}-{year}-{random_part}"


def _summary(kind: str, data: dict[str, str]) -> str:
    told = ("name", "phone", "address", "decision_day")
    parts = [data[step] for step in STEPS[kind] if step not in told]
    return " | ".join(parts)[:2000]


async def _file(
    session: AsyncSession, state: ChatState, actor: Actor, incoming: Incoming, now: datetime
) -> Reply:
    data = dict(state.data)
    kind = str(data["kind"])
    unit_id = await filing_unit(session, actor)
    if unit_id is None:
        return _quit(state, texts.PETITION_NO_UNIT)
    anonymous = kind == ANONYMOUS
    summary = _summary(kind, data)
    if not anonymous:
        earlier = await _same_as_before(session, actor.person_id, kind, summary)
        if earlier is not None:
            return _quit(state, texts.PT_DUPLICATE.format(code=earlier.code))
    routing = await route(session, rule_book(), unit_id, kind, data.get("accused", ""))
    today = now.astimezone(VN_TZ).date()
    due = None if anonymous else rule_book().due(kind, FIRST_STEP[kind], today)
    petition = Petition(
        code=new_code(kind, today.year),
        kind=kind,
        unit_id=routing.unit_id,
        against_leader=routing.against_leader,
        routed_from_unit_id=routing.routed_from,
        decision_day=_given_day(data),
        source="chat",
        channel=None if anonymous else incoming.channel,
        chat_id=None if anonymous else incoming.chat_id,
        person_id=None if anonymous else actor.person_id,
        anonymous=anonymous,
        status=INFORMATION if anonymous else REGISTERED,
        summary=summary,
        details={k: v for k, v in data.items() if k not in NOT_DETAILS},
        registered_at=now,
        due_date=due.day if due else None,
        due_estimated=True,
        phone_last4=str(data.get("phone", ""))[-4:],
        created_at=now,
        updated_at=now,
    )
    session.add(petition)
    await session.flush()
    assert petition.id is not None
    await shield_leaders(session, petition, routing, now)
    if not anonymous:
        session.add(
            PetitionParty(
                petition_id=petition.id,
                full_name=data["name"],
                phone=data["phone"],
                address=data["address"],
                consent_at=now,
                consent_version=CONSENT_VERSION,
            )
        )
    session.add(
        PetitionEvent(petition_id=petition.id, at=now, actor="citizen", status=petition.status)
    )
    state.flow = state.step = None
    state.data = {}
    if anonymous:
        return with_menu(texts.PETITION_ANON_FILED)
    signed = kind in ("khieu_nai", "to_cao")
    text = texts.PETITION_FILED.format(
        kind=texts.PETITION_KIND_NAMES[kind].lower(),
        code=petition.code,
        next=texts.PETITION_SIGN if signed else texts.PETITION_NEXT_PLAIN,
        due=f"{due.day:%d/%m/%Y}" if due else "—",
        rule=due.rule.public_citation if due else "",
    )
    buttons = (Button(texts.RECEPTION_BOOK, MENU_BOOK),) if signed else ()
    # Channels that can offer files (the web page) link the filled-in letter to print and sign.
    letter = (f"{LETTER_ATTACHMENT}{petition.code}",) if signed else ()
    return Reply(text, (*buttons, BACK), letter)
