"""How the desk shows and prints what a citizen typed and where a đơn stands: names and
addresses as a document writes them, the " | "-joined summary of a chat-filed đơn as labelled
sentences, and due dates without a countdown once the đơn is settled.

The stored data stays as typed (the chat, lookups and reports read it); only what a page or a
printed document shows is reworded here."""

from __future__ import annotations

from datetime import date

from db.models import Petition
from handlers import texts
from handlers.petitions.case import FINAL, IN_PROGRESS, RESOLVED
from handlers.petitions.filing import STEPS
from knowledge.normalize import fold

DETAIL_LABELS = {
    "decision": "Quyết định, hành vi bị khiếu nại",
    "decision_day": "Ngày nhận hoặc biết quyết định, hành vi",
    "content": "Nội dung, lý do",
    "request": "Yêu cầu giải quyết",
    "accused": "Người bị tố cáo",
    "act": "Hành vi vi phạm pháp luật bị tố cáo",
    "place": "Địa điểm xảy ra sự việc",
}
# What the chat's form joins with " | " into a đơn's summary (handlers/petitions/filing.py).
SUMMARY_JOIN = " | "
NOT_IN_SUMMARY = frozenset({"name", "phone", "address", "decision_day"})
# A settled đơn keeps its due date on record, with no countdown: nothing is due any more.
SETTLED = FINAL | {RESOLVED}
# The words that open an address segment ("thôn 3", "xã Minh Hòa"), compared without marks:
# they stay as typed, the name after them is capitalised.
PLACE_WORDS = (
    "to dan pho",
    "khu pho",
    "thanh pho",
    "thi tran",
    "thi xa",
    "dac khu",
    "khu",
    "thon",
    "xom",
    "ap",
    "ban",
    "buon",
    "soc",
    "lang",
    "to",
    "xa",
    "phuong",
    "quan",
    "huyen",
    "tinh",
    "duong",
    "pho",
    "ngo",
    "hem",
    "so",
)


def title_word(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def title_name(name: str) -> str:
    """ "nguyen van hung" → "Nguyen Van Hung", "NGUYỄN văn HÙNG" → "Nguyễn Văn Hùng": each word
    capitalised, its marks kept as typed."""
    return " ".join(title_word(word) for word in name.split())


def title_address(address: str) -> str:
    """ "thon 3, xa minh hoa" → "Thon 3, xa Minh Hoa": each segment opens with a capital, a
    place word stays as typed and the name after it is capitalised."""
    segments = []
    for segment in address.split(","):
        words = segment.split()
        if not words:
            continue
        folded = [fold(word) for word in words]
        lead = next(
            (
                len(kind.split())
                for kind in PLACE_WORDS
                if folded[: len(kind.split())] == kind.split() and len(words) > len(kind.split())
            ),
            0,
        )
        shaped = words[:lead] + [title_word(word) for word in words[lead:]]
        segments.append(" ".join(shaped))
    if not segments:
        return address.strip()
    segments[0] = segments[0][:1].upper() + segments[0][1:]
    return ", ".join(segments)


def summary_parts(petition: Petition) -> list[tuple[str, str]]:
    """(label, text) of each part of a đơn's summary; a summary not joined by the chat's form
    (a paper đơn, a walk-in) is one part without a label."""
    keys = [key for key in STEPS.get(petition.kind, ()) if key not in NOT_IN_SUMMARY]
    parts = [part.strip() for part in petition.summary.split(SUMMARY_JOIN)]
    if len(keys) > 1 and len(parts) == len(keys):
        # A phản ánh opens with what it is about: that is its content, with no label of its own.
        return [
            ("" if index == 0 and key == "content" else DETAIL_LABELS.get(key, key), part)
            for index, (key, part) in enumerate(zip(keys, parts, strict=True))
        ]
    return [("", petition.summary.strip())]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


def summary_text(petition: Petition) -> str:
    """The summary as labelled sentences, for a printed line or a register's cell."""
    parts = summary_parts(petition)
    if len(parts) == 1:
        return parts[0][1]
    return " ".join(_sentence(f"{label}: {text}" if label else text) for label, text in parts)


def due_words(petition: Petition, today: date) -> str:
    """The countdown beside a due date ("còn 10 ngày, dự kiến"), or "" once settled."""
    if petition.status in SETTLED:
        return ""
    if petition.due_date is None:
        return texts.NO_DUE
    days = (petition.due_date - today).days
    if days > 0:
        words = texts.DAYS_LEFT.format(days=days)
    elif days == 0:
        words = texts.DUE_TODAY
    else:
        words = texts.DAYS_LATE.format(days=-days)
    return words + (texts.DESK_DUE_ESTIMATE if petition.due_estimated else "")


def overdue(petition: Petition, today: date) -> bool:
    return (
        petition.status not in SETTLED
        and petition.due_date is not None
        and petition.due_date < today
    )


def event_words(status: str, before: str | None) -> str:
    """A history line's "Việc": the step pressed, not only the status it leads to. Thụ lý puts
    the đơn "đang giải quyết"; the line says it was accepted."""
    if status == IN_PROGRESS and before != IN_PROGRESS:
        return texts.DESK_EVENT_ACCEPTED
    return texts.PETITION_STATUS_NAMES.get(status, status)
