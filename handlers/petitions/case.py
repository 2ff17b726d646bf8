"""A đơn as a case: its statuses, the steps an official may take at each, and its legal dates
(due dates, the notices and windows a citizen is told of)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused
from db.models import Petition
from handlers import texts
from handlers.access import (
    ADMIN,
    Actor,
    scope,
)
from handlers.clock import VN_TZ
from handlers.petitions.filing import FIRST_STEP, REGISTERED, rule_book
from handlers.petitions.rules import Due, facts, rule_kind

PREFIX = "staff:pt:"
QUEUE = "staff:petitions"
FLOW = "pt-note"
SATISFACTION_PREFIX = "pt:sat:"
RECEIVED, PRELIMINARY, ACCEPTED, IN_PROGRESS = (
    "tiep_nhan",
    "xu_ly_ban_dau",
    "thu_ly",
    "dang_giai_quyet",
)
REJECTED, TRANSFERRED, EXTENDED = "khong_thu_ly", "chuyen", "gia_han"
# A tố cáo outside the unit's competence, to be transferred (Luật Tố cáo Điều 24 khoản 2).
AWAITING_TRANSFER = "cho_chuyen"
# Outside the unit's competence, and the filer told where to send it (hướng dẫn): a report
# counts it apart from a transfer.
GUIDED = "huong_dan"
SUSPENDED, STOPPED, RESOLVED, CLOSED, WITHDRAWN = (
    "tam_dinh_chi",
    "dinh_chi",
    "da_giai_quyet",
    "dong",
    "rut_don",
)
# Requests a citizen makes on their đơn: written to its history, they do not change its status
# (a closed case stays resolved in the figures, with the request counted beside it).
REOPEN_REQUESTED, WITHDRAW_REQUESTED = "de_nghi_xem_lai", "de_nghi_rut_don"
REQUESTS = frozenset({REOPEN_REQUESTED, WITHDRAW_REQUESTED})
FINAL = frozenset({REJECTED, TRANSFERRED, GUIDED, STOPPED, CLOSED, WITHDRAWN, "thong_tin"})
# The result of a resolved khiếu nại or tố cáo, chosen when the official closes it.
VERDICTS = ("dung", "sai", "dung_mot_phan")
JUDGED_KINDS = frozenset({"khieu_nai", "to_cao"})
# Which steps each status allows, and the button for each.
_BEFORE_ACCEPTING = ("acc", REJECTED, "outside", TRANSFERRED, GUIDED, "places", "kyluat")
_WHILE_RESOLVING = (
    RESOLVED,
    EXTENDED,
    SUSPENDED,
    STOPPED,
    "complex",
    "vcomplex",
    "remote",
    "kyluat",
    "thoiviec",
)
ACTIONS: dict[str, tuple[str, ...]] = {
    REGISTERED: ("recv",),
    RECEIVED: _BEFORE_ACCEPTING,
    PRELIMINARY: _BEFORE_ACCEPTING,
    AWAITING_TRANSFER: (TRANSFERRED,),
    ACCEPTED: _WHILE_RESOLVING,
    IN_PROGRESS: _WHILE_RESOLVING,
    EXTENDED: (RESOLVED, EXTENDED, SUSPENDED, STOPPED, "vcomplex"),
    SUSPENDED: ("acc", STOPPED),
    RESOLVED: ("close",),
}
# Facts an official records once (a button each), the kinds they apply to, and the field.
FACT_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "complex": (frozenset({"khieu_nai", "to_cao"}), "complex_case"),
    "vcomplex": (frozenset({"to_cao"}), "very_complex"),
    "remote": (frozenset({"khieu_nai"}), "remote_area"),
    "kyluat": (frozenset({"khieu_nai"}), "disciplinary"),
    "thoiviec": (frozenset({"khieu_nai"}), "dismissal"),
    "places": (frozenset({"to_cao"}), "several_places"),
}
LABELS = {
    "recv": texts.PT_RECEIVED,
    "acc": texts.PT_ACCEPT,
    REJECTED: texts.PT_REJECT,
    TRANSFERRED: texts.PT_TRANSFER,
    GUIDED: texts.PT_GUIDE,
    EXTENDED: texts.PT_EXTEND,
    SUSPENDED: texts.PT_SUSPEND,
    STOPPED: texts.PT_STOP,
    RESOLVED: texts.PT_RESULT,
    "close": texts.PT_CLOSE,
    "complex": texts.PT_COMPLEX,
    "remote": texts.PT_REMOTE,
    "vcomplex": texts.PT_VERY_COMPLEX,
    "kyluat": texts.PT_DISCIPLINARY,
    "thoiviec": texts.PT_DISMISSAL,
    "places": texts.PT_SEVERAL_PLACES,
    "outside": texts.PT_OUTSIDE,
}


# Steps an admin completes by typing a reason (the prompt, asked again if it is too short).
REASONED = {"reveal": texts.PT_REVEAL_ASK, "take": texts.PT_TAKE_REASON_ASK}


def offered(petition: Petition) -> tuple[str, ...]:
    """The steps this case allows now: by status, by kind, and as its rules allow."""
    shown = []
    for action in ACTIONS.get(petition.status, ()):
        if action in FACT_ACTIONS:
            kinds, field = FACT_ACTIONS[action]
            if petition.kind not in kinds or getattr(petition, field):
                continue
        if action == "outside" and petition.kind != "to_cao":
            continue
        # A tố cáo outside the unit's competence is transferred, not handed back (Luật Tố cáo
        # Điều 24 khoản 2).
        if action == GUIDED and petition.kind == "to_cao":
            continue
        # Buộc thôi việc matters only to a disciplinary complaint, which has no remote variant.
        if action == "thoiviec" and not petition.disciplinary:
            continue
        if action == "remote" and petition.disciplinary:
            continue
        if action == EXTENDED and petition.extensions >= _extensions_allowed(petition):
            continue
        shown.append(action)
    return tuple(shown)


def _extensions_allowed(petition: Petition) -> int:
    """Luật Tố cáo Điều 30: one extension for a complex case, two for a particularly complex
    one; the Luật Khiếu nại has none (a complex case has a longer period instead)."""
    if petition.accepted_at is None:
        return 0
    rule = rule_book().rule(
        rule_kind(petition), "resolve", _day(petition.accepted_at), petition.second_round
    )
    return rule.allowed_extensions(facts(petition)) if rule else 0


def _day(moment: datetime) -> date:
    return moment.astimezone(VN_TZ).date()


def handles(payload: str) -> bool:
    return payload == QUEUE or payload.startswith(PREFIX)


async def _case(session: AsyncSession, actor: Actor, petition_id: int) -> Petition | None:
    """A case the official may see: in their scope, and not one they are accused in."""
    petition = await session.get(Petition, petition_id)
    if petition is None or petition.unit_id not in await scope(session, actor):
        return None
    if await accused.is_marked(session, accused.PETITION, petition_id, actor.person_id):
        return None
    return petition


def due_words(petition: Petition, today: date) -> str:
    if petition.due_date is None:
        return texts.NO_DUE
    days = (petition.due_date - today).days
    if days > 0:
        words = texts.DAYS_LEFT.format(days=days)
    elif days == 0:
        words = texts.DUE_TODAY
    else:
        words = texts.DAYS_LATE.format(days=-days)
    return words + (texts.PETITION_ESTIMATE if petition.due_estimated else "")


def queue_line(petition: Petition, today: date) -> str:
    """A case in a list: never the filer's name, whatever the kind."""
    return texts.STAFF_PETITION_LINE.format(
        code=petition.code,
        kind=texts.PETITION_KIND_NAMES.get(petition.kind, petition.kind),
        source=texts.PETITION_SOURCES.get(petition.source, petition.source),
        status=texts.PETITION_STATUS_NAMES.get(petition.status, petition.status),
        due=due_words(petition, today),
    )


def redate(petition: Petition) -> None:
    """The due date of the step the case stands at, under the rules and facts recorded."""
    if petition.received_at is None:
        return
    book, kind, known = rule_book(), rule_kind(petition), facts(petition)
    due: Due | None
    if petition.accepted_at is not None:
        accepted = _day(petition.accepted_at)
        if petition.suspended_at is not None:
            rule = book.rule(kind, "resolve", accepted, petition.second_round)
            if rule is not None and rule.pause_when_suspended:
                # The clock is stopped: no due date until the case resumes.
                petition.due_date = None
                return
        due = book.due(
            kind,
            "resolve",
            accepted,
            second_round=petition.second_round,
            facts=known,
            extensions=petition.extensions,
            suspended_days=petition.suspended_days,
        )
    else:
        first = FIRST_STEP.get(petition.kind, "answer")
        step = "transfer" if petition.status == AWAITING_TRANSFER else first
        received = _day(petition.received_at)
        due = book.due(kind, step, received, second_round=petition.second_round, facts=known)
    petition.due_date = due.day if due else None
    petition.due_estimated = due.estimated if due else True


def _estimate(due: Due) -> str:
    return texts.PETITION_ESTIMATE if due.estimated else ""


def _accept_notice(petition: Petition) -> str:
    """A tố cáo's filer must be told of the thụ lý (Luật Tố cáo Điều 29 khoản 3)."""
    if petition.kind != "to_cao" or petition.accepted_at is None:
        return ""
    due = rule_book().due(petition.kind, "notify_accept", _day(petition.accepted_at))
    if due is None:
        return ""
    return texts.PT_ACCEPT_NOTICE.format(
        due=f"{due.day:%d/%m/%Y}", estimate=_estimate(due), rule=due.rule.public_citation
    )


def _appeal_window(petition: Petition, now: datetime) -> str:
    """After a first-round decision on a khiếu nại: until when a second complaint may be filed,
    counted from today in case the citizen receives the decision today."""
    if petition.kind != "khieu_nai" or petition.second_round:
        return ""
    due = rule_book().due(
        rule_kind(petition), "limit", _day(now), second_round=True, facts=facts(petition)
    )
    if due is None:
        return ""
    return texts.PT_APPEAL_WINDOW.format(
        days=due.rule.period(facts(petition)),
        end=f"{due.day:%d/%m/%Y}",
        estimate=_estimate(due),
        court="" if petition.disciplinary else texts.PT_APPEAL_COURT,
        rule=due.rule.public_citation,
    )


def _handles(actor: Actor, petition: Petition) -> bool:
    return petition.handler_person_id == actor.person_id or actor.has(ADMIN)


def _dated(template: str, due: Due) -> str:
    return template.format(
        due=f"{due.day:%d/%m/%Y}", estimate=_estimate(due), rule=due.rule.citation
    )


def _early(petition: Petition) -> Due | None:
    """The earlier thụ lý date from an unconfirmed text, for reminders only."""
    if petition.received_at is None or petition.accepted_at is not None:
        return None
    if petition.status == AWAITING_TRANSFER:
        return None
    return rule_book().reminder(
        rule_kind(petition),
        FIRST_STEP.get(petition.kind, "answer"),
        _day(petition.received_at),
        second_round=petition.second_round,
        facts=facts(petition),
    )


def _main_citation(petition: Petition) -> str:
    if petition.received_at is None:
        return ""
    rule = rule_book().rule(
        rule_kind(petition),
        FIRST_STEP.get(petition.kind, "answer"),
        _day(petition.received_at),
        petition.second_round,
    )
    return rule.citation if rule else ""
