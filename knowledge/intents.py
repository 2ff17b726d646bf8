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
from dataclasses import dataclass
from enum import StrEnum

from knowledge.normalize import fold, normalize


class Intent(StrEnum):
    faq = "faq"
    reception = "reception"
    petition = "petition"
    petition_status = "petition_status"
    greeting = "greeting"
    fallback = "fallback"


class Request(StrEnum):
    """What exactly an action intent asks for, typed in words instead of tapped."""

    book = "book"
    my_bookings = "my_bookings"
    file = "file"
    my_petitions = "my_petitions"
    lookup = "lookup"


@dataclass(frozen=True)
class Code:
    """A đơn's tracking code found in a message, with the last four phone digits if given."""

    code: str
    last4: str | None

    def lookup_text(self) -> str:
        """The code as `handlers.petitions.lookup` reads it ("PA-2026-H38G65 4321")."""
        return f"{self.code} {self.last4}" if self.last4 else self.code


# "PA-2026-H38G65", "pa 2026 h38g65", "KN2026AB12CD", "mã PA 2026 H38G65 số cuối 4321": the
# kind, the year and six letters or digits, with anything but letters between them; the phone
# digits may follow at once ("KN-2026-AB12CD5678").
_CODE = re.compile(r"(?<![a-z0-9])(kn|tc|kg|pa)[\s._/-]*(\d{4})[\s._/-]*([a-z0-9]{6})(?![a-z])")
# The phone digits follow the code within a short phrase ("số cuối", "sđt đuôi", ", ").
_DIGITS_AFTER = re.compile(r"^\D{0,30}?((?:\d[\s.]?){4,11})")


def find_code(text: str) -> Code | None:
    folded = fold(text)
    found = _CODE.search(folded)
    if found is None:
        return None
    code = "-".join(found.groups()).upper()
    digits = _DIGITS_AFTER.match(folded[found.end() :])
    last4 = re.sub(r"\D", "", digits.group(1))[-4:] if digits else None
    return Code(code, last4)


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
    r"|khac nhau|khac gi|giay to gi|can gi|mang gi|(?<!khong )ai giai quyet|ai co tham quyen|o dau"
    r"|co phai|quy dinh|luat|dieu|nghi dinh|co duoc khong|co bi|co can|phai co|noi dung gi"
    r"|the nao la|co mat|hieu luc|nhung gi|gom nhung)\b"
    # A yes/no question: "... có được xử lý không", "... được không".
    r"|\bkhong$|\bgi$|\bchua$"
    # Where, to whom, how and what then: asking about the way, not taking it.
    r"|\b(?:cho ai|gui ai|voi ai|bao ai|o dau|thi sao|lam sao|ra sao|the nao|khi nao|bao gio"
    r"|co tinh|tinh la|trong may|mat may|co ai|lam gi|phai lam gi|duoc khong|duoc ko)\b"
)

# Bookings already made, typed: "lịch hẹn của tôi", "đổi lịch hẹn", "huỷ lịch hẹn", "dời lịch".
_MY_BOOKINGS = re.compile(
    r"\blich hen\b"
    r"|\b(?:huy|doi|hoan|xem lai|xem) (?:lich|buoi hen|cuoc hen|hen)\b"
    r"|\b(?:lich|buoi) (?:tiep dan|tiep cong dan|tiep|gap)\b.*\b(?:da dang ky|da dat|dang ky roi"
    r"|dat roi|cua toi|cua em|cua minh)\b"
    r"|\b(?:da dat lich|dat lich roi|dang ky lich roi)\b.*\b(?:doi|huy|hoan|xem|qua|sang)\b"
)

# A question about the rules, even when it mentions one's own đơn ("đơn của tôi gửi qua trợ lý
# có được tính là nộp đơn không").
_RULE = re.compile(
    r"\b(?:co duoc tinh|duoc tinh|co tinh|tinh nhu|tinh la|co phai|la gi|quy dinh|thoi han"
    r"|thoi hieu|may ngay|bao nhieu ngay|co bi|co hop le)\b"
)
_FIRST_PERSON_WISH = re.compile(r"\b(?:toi|em|minh|chung toi|con|chau) (?:muon|can|xin|dinh)\b")
_HOW = re.compile(r"\b(?:nhu the nao|the nao|lam sao|ra sao|lam gi|phai lam gi)\b")

_STATUS = re.compile(
    r"\b(?:tra cuu|theo doi|kiem tra|xem)\b.*\b(?:don|ho so|ma)\b"
    r"|\b(?:don|ho so)\b.*\b(?:cua toi|cua minh|cua em|toi da gui|toi gui|minh gui|da gui"
    r"|da nop|toi nop|minh nop|em nop|em gui)\b.*\b(?:roi|chua|sao|dau|nao)\b"
    r"|\b(?:don|ho so) (?:cua toi|cua minh|cua em|toi gui|em gui|minh gui|toi nop|em nop)$"
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
    rf"|\b(?:toi|minh|chung toi|gia dinh toi|em) (?:muon |can |xin |co )?"
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


@dataclass(frozen=True)
class Reading:
    intent: Intent
    request: Request | None = None
    code: Code | None = None


def asks_a_fact(text: str) -> bool:
    """Question words ("bao lâu", "là gì", "mấy ngày") without a question mark."""
    return bool(_FACT_QUESTION.search(normalize(text)))


def read(text: str) -> Reading:
    """The action a message asks for, or ``faq`` when it is a question for the knowledge base.

    ``fallback`` is returned only for a message with no words: only the knowledge base can tell
    that a question is out of its scope.
    """
    folded = normalize(text)
    if not folded:
        return Reading(Intent.fallback)
    code = find_code(text)
    if code is not None:
        return Reading(Intent.petition_status, Request.lookup, code)
    if is_greeting(folded):
        return Reading(Intent.greeting)
    if _MY_BOOKINGS.search(folded):
        return Reading(Intent.reception, Request.my_bookings)
    if (_STATUS.search(folded) or _STATUS_POSSESSIVE.search(folded)) and not _RULE.search(folded):
        return Reading(Intent.petition_status, Request.my_petitions)
    asks_fact = bool(_FACT_QUESTION.search(folded))
    if asks_fact and _FIRST_PERSON_WISH.search(folded):
        # "tôi muốn gặp chủ tịch thì đăng ký thế nào": asking how to do what one wants done is
        # a request to do it; "tôi muốn biết ... mấy ngày" still asks a fact.
        asks_fact = bool(_FACT_QUESTION.search(_HOW.sub(" ", folded)))
    if _STATUS_FILED.search(folded) and not asks_fact:
        return Reading(Intent.petition_status, Request.my_petitions)
    if _RECEPTION.search(folded) and not asks_fact:
        return Reading(Intent.reception, Request.book)
    if _PETITION.search(folded) and not asks_fact:
        return Reading(Intent.petition, Request.file)
    return Reading(Intent.faq)


def classify(text: str) -> Intent:
    return read(text).intent


# Long messages: a story, then the question (or the wish). Sentences end at . ? ! ; or a line.
LONG_MESSAGE = 160
_SENTENCE_END = re.compile(r"(?<=[.?!;…])\s+|\n+")
_ASKS = re.compile(
    r"\b(?:khong|chua|gi|nao|sao|ai|dau|bao lau|bao nhieu|may|the nao|lam sao|duoc khong"
    r"|co phai|phai khong|hay khong|co duoc|xin hoi|cho hoi|muon hoi|muon biet)\b"
)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def is_long(text: str) -> bool:
    return len(text) > LONG_MESSAGE or len(sentences(text)) > 2


def questions_in(text: str) -> list[str]:
    """The sentences of a message that ask something, in order: a "?" or a question word."""
    return [s for s in sentences(text) if "?" in s or _ASKS.search(normalize(s))]
