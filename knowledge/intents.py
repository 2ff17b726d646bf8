"""Routing free text to what the person wants to do.

A message either asks for something to be done (book a reception slot, file a đơn, look up a
đơn), greets, or asks a question. Action intents are recognised by their verbs and objects on
the folded text; anything else is a question for the knowledge base, which decides between
answering and declining (``fallback``) by its own confidence.

The distinction that matters most: "tôi muốn khiếu nại" is an action, "khiếu nại giải quyết
trong bao lâu" is a question about khiếu nại. Fact-seeking question words win over the bare
presence of a petition word, but not over an explicit wish to act ("tôi muốn gửi đơn").
"""

from __future__ import annotations

import re
from enum import StrEnum

from knowledge.normalize import normalize


class Intent(StrEnum):
    faq = "faq"
    reception = "reception"
    petition = "petition"
    petition_status = "petition_status"
    greeting = "greeting"
    fallback = "fallback"


TRACKING_CODE = re.compile(r"\b(?:kn|tc|kg|pa)-?\d{4}-?[a-z0-9]{6}\b")

_GREETING_WORDS = frozenset(
    "xin chao chao hello hi helo alo a lo tro ly ban oi ad admin start menu bat dau cam on "
    "buoi sang chieu toi em anh chi nhe nha a ah vang".split()
)
_GREETING_CORE = frozenset("chao hello hi helo alo start menu bat cam".split())

# Verbs and phrases that say "I want this done", on the folded text.
_WISH = r"(?:muon|can|xin|nho|giup|cho toi|de nghi|yeu cau|dinh|se)"
_PETITION_KIND = r"(?:khieu nai|to cao|kien nghi|phan anh|don thu|don)"
_FILE_VERB = r"(?:gui|nop|lam|viet|dang ky|soan|tao|dien|ghi)"

_RECEPTION_TARGET = (
    r"(?:tiep cong dan|tiep dan|lich tiep|buoi tiep|chu tich|pho chu tich|lanh dao|can bo"
    r"|uy ban nhan dan)"
)
_RECEPTION_ACTION = (
    r"(?:dang ky|dat lich|dat cho|dat hen|hen gap|xin gap|muon gap|can gap|gap truc tiep"
    r"|lay so|xin lich|len xa gap|len uy ban|ra xa gap|den gap)"
)

# Question words that ask for a fact rather than for an action.
_FACT_QUESTION = re.compile(
    r"\b(?:bao lau|bao nhieu|may ngay|may nguoi|may lan|thoi han|thoi hieu|la gi|nghia la"
    r"|khac nhau|khac gi|giay to gi|can gi|mang gi|ai giai quyet|ai co tham quyen|o dau"
    r"|co phai|quy dinh|luat|dieu|nghi dinh|co duoc khong|co bi|co can|phai co|noi dung gi"
    r"|the nao la|co mat|hieu luc|nhung gi|gom nhung)\b"
    # A yes/no question: "... có được xử lý không", "... được không".
    r"|\bkhong$|\bgi$|\bchua$"
)

_STATUS = re.compile(
    r"\b(?:tra cuu|theo doi|kiem tra|xem)\b.*\b(?:don|ho so|ma)\b"
    r"|\b(?:don|ho so)\b.*\b(?:cua toi|cua minh|toi da gui|toi gui|minh gui|da gui|da nop"
    r"|toi nop|minh nop)\b"
    r"|\b(?:don|ho so)\b.*\b(?:chua|den dau|the nao roi|ra sao roi|tinh trang|trang thai"
    r"|ket qua)\b.*\b(?:toi|minh|cua)\b"
    r"|\b(?:tinh trang|trang thai|tien do)\b.*\bdon\b"
    r"|\bma (?:ho so|don|theo doi|tra cuu)\b"
    # "tố cáo của tôi có kết quả chưa": about one already sent.
    r"|\b(?:don|khieu nai|to cao|kien nghi|phan anh) (?:cua toi|cua minh|cua em)\b"
)
# "tôi đã gửi đơn mà chưa thấy trả lời" is about that đơn, unless it asks a general fact
# ("tôi đã nộp đơn tố cáo thì bao lâu có kết quả").
_STATUS_FILED = re.compile(
    r"\b(?:toi|minh|em) da (?:gui|nop|lam)\b.*\b(?:don|khieu nai|to cao|kien nghi|phan anh)\b"
)
_STATUS_POSSESSIVE = re.compile(r"\bdon\b.*\b(?:da duoc|duoc)\b.*\b(?:chua|den dau)\b")

_RECEPTION = re.compile(
    rf"\b{_RECEPTION_ACTION}\b.*\b{_RECEPTION_TARGET}\b"
    rf"|\b{_RECEPTION_TARGET}\b.*\b{_RECEPTION_ACTION}\b"
    rf"|\b(?:dang ky|dat lich|dat cho)\b.*\b(?:tiep|gap)\b"
    rf"|\b{_WISH} (?:duoc )?(?:gap|tiep xuc|gap mat)\b"
)

_PETITION = re.compile(
    rf"\b{_WISH}\b.*\b{_FILE_VERB}?\s*\b{_PETITION_KIND}\b"
    rf"|\b{_FILE_VERB} {_PETITION_KIND}\b"
    rf"|\b(?:toi|minh|chung toi|gia dinh toi|em) (?:muon |can |xin )?"
    rf"(?:khieu nai|to cao|kien nghi|phan anh)\b"
    # "khiếu nại quyết định xử phạt", "tố cáo cán bộ": the act and its object. A bare
    # "khiếu nại" is a topic, answered from the knowledge base.
    rf"|^(?:khieu nai|to cao|kien nghi|phan anh) (?!(?:la|co|thi|lan|duoc|phai|bao|trong|va|voi"
    rf"|khac)\b)\w+"
)


def is_greeting(folded: str) -> bool:
    words = folded.split()
    if not words or len(words) > 6:
        return False
    return all(w in _GREETING_WORDS for w in words) and any(w in _GREETING_CORE for w in words)


def classify(text: str) -> Intent:
    """The action intent of a message, or ``faq`` when it is a question for the knowledge base.

    ``fallback`` is never returned here: only the knowledge base can tell that a question is
    out of its scope.
    """
    folded = normalize(text)
    if not folded:
        return Intent.fallback
    if TRACKING_CODE.search(folded.replace(" ", "")) or TRACKING_CODE.search(folded):
        return Intent.petition_status
    if is_greeting(folded):
        return Intent.greeting
    if _STATUS.search(folded) or _STATUS_POSSESSIVE.search(folded):
        return Intent.petition_status
    asks_fact = bool(_FACT_QUESTION.search(folded))
    if _STATUS_FILED.search(folded) and not asks_fact:
        return Intent.petition_status
    if _RECEPTION.search(folded) and not asks_fact:
        return Intent.reception
    if _PETITION.search(folded) and not asks_fact:
        return Intent.petition
    return Intent.faq
