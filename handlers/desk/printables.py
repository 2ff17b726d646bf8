"""The desk's printable documents, as DOCX bytes from plain data (no database, no clock: the
caller passes the day): the Sổ theo dõi đơn and the Sổ tiếp công dân of a period, and a đơn's
notices, decision and phiếu chuyển đơn.

Layouts follow the commune documents in ../shared/seeds (the issuing body and "Số: …/TB-UBND"
on the left, place and date, title, "Nơi nhận"). No official form number is printed: none of
these documents' forms is among the legal texts we hold. Articles are not cited either: the laws
were amended from 01/7/2026 (Luật 136/2025/QH15) and the amended wording is not here; a
document dated from then says the law was amended.

Who signs: a khiếu nại's thụ lý is the resolver's, the Chủ tịch UBND xã (Luật Khiếu nại Điều
17, 27); a tố cáo's thụ lý decision is the Chủ tịch UBND's (Luật Tố cáo Điều 13, 29); what the
UBND itself answers or sends on is signed "TM. Ủy ban nhân dân / Chủ tịch" (the layout of
seeds/004). A register is signed by the official who printed it.

Size (about 410 lines): the documents share their header, signature and "Nơi nhận" blocks,
which are read together with each layout.

A tố cáo's filer is never on a register (``SECRET``); a tố cáo's documents are built only for
its handler (handlers/desk/printing.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from handlers import documents

if TYPE_CHECKING:
    from docx.document import Document

SECRET = "(giữ bí mật)"
SECRET_SUMMARY = "(nội dung tố cáo: xem hồ sơ)"
AMENDED_FROM = date(2026, 7, 1)
CHAIR = "Chủ tịch"
ON_BEHALF = "TM. Ủy ban nhân dân\nChủ tịch"
REGISTER_SIGNER = "Người lập sổ"
BLANK_NAME = "……………………"
FILING = "Lưu: VT, hồ sơ đơn"
# Luật Tố cáo Điều 9 khoản 1 điểm b.
SECRECY = (
    "Họ tên, địa chỉ, bút tích và thông tin cá nhân khác của người tố cáo được giữ bí mật theo "
    "quy định của Luật Tố cáo."
)


@dataclass(frozen=True)
class Issuer:
    """The commune (or province) whose Ủy ban nhân dân issues the document."""

    name: str  # "Xã Minh Hòa"
    place: str  # "Minh Hòa": the địa danh before the date

    @property
    def body(self) -> str:
        return f"Ủy ban nhân dân\n{self.name}"

    @property
    def committee(self) -> str:
        """ "Ủy ban nhân dân xã Minh Hòa" inside a sentence."""
        return f"Ủy ban nhân dân {self.name[:1].lower()}{self.name[1:]}"

    @property
    def chair(self) -> str:
        return f"Chủ tịch {self.committee}"


@dataclass(frozen=True)
class Filer:
    name: str
    address: str


@dataclass(frozen=True)
class CaseFacts:
    """What a đơn's document says. ``day`` is the day of the step it records (thụ lý, transfer,
    reply); ``detail`` the step's words (reason, receiving office, result)."""

    code: str
    kind: str  # "khiếu nại", "tố cáo", "kiến nghị", "phản ánh"
    received: date | None
    accepted: date | None
    due: date | None
    summary: str
    filer: Filer | None
    day: date
    detail: str = ""
    accused: str = ""
    act: str = ""
    handler: str = ""
    # The summary's labelled parts (a khiếu nại's decision, content and request), each printed
    # on its own line; empty when the summary is one text.
    parts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PetitionLine:
    """One line of the Sổ theo dõi đơn; ``filer`` already masked for a tố cáo."""

    received: date
    number: str
    filer: str
    summary: str
    kind: str
    source: str
    outcome: str
    due: date | None
    handler: str


@dataclass(frozen=True)
class ReceptionLine:
    """One citizen received, for the Sổ tiếp công dân; a tố cáo already masked."""

    day: date
    person: str
    summary: str
    matter: str
    group: int
    outcome: str
    receiver: str


def _d(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day is not None else "…/…/……"


def _law(name: str, passed: str, day: date) -> str:
    amended = ", được sửa đổi, bổ sung bởi Luật số 136/2025/QH15" if day >= AMENDED_FROM else ""
    return f"Căn cứ Luật {name} ngày {passed}{amended};"


def _period(start: date, end: date) -> str:
    return f"Từ ngày {_d(start)} đến ngày {_d(end)}"


def _addressee(doc: Document, filer: Filer | None) -> str:
    """The "Kính gửi" line and how the body names the person."""
    if filer is None:
        documents.add_paragraph(doc, "Kính gửi: Người gửi đơn.", align="center")
        return "người gửi đơn"
    documents.add_paragraph(doc, f"Kính gửi: Ông/Bà {filer.name}", align="center")
    documents.add_paragraph(doc, f"Địa chỉ: {filer.address}", align="center")
    return f"ông/bà {filer.name}"


def _content(heading: str, facts: CaseFacts) -> list[str]:
    """ "Nội dung …: summary", or one line per part of it: under the heading when each part has
    a label, after it when the first has none (a phản ánh's content, then where)."""
    if len(facts.parts) < 2:
        return [f"{heading}: {facts.summary}"]
    (label, text), rest = facts.parts[0], facts.parts[1:]
    if not label:
        return [f"{heading}: {text}", *(f"{label}: {text}" for label, text in rest)]
    return [f"{heading}:", *(f"- {label}: {text}" for label, text in facts.parts)]


def _notice(issuer: Issuer, facts: CaseFacts, subtitle: str, number: str = "TB") -> Document:
    return documents.new_document(
        issuer.body,
        "Thông báo",
        subtitle,
        place=issuer.place,
        day=facts.day,
        number=f"Số:       /{number}-UBND",
    )


def _close(doc: Document, position: str, recipients: list[str]) -> bytes:
    documents.add_signature(doc, position, BLANK_NAME, note="")
    documents.add_recipients(doc, recipients)
    return documents.to_bytes(doc)


def complaint_accepted(issuer: Issuer, facts: CaseFacts) -> bytes:
    """Thông báo thụ lý giải quyết khiếu nại, to the complainant."""
    doc = _notice(issuer, facts, "Về việc thụ lý giải quyết khiếu nại")
    who = _addressee(doc, facts.filer)
    for line in (
        f"Ngày {_d(facts.received)}, {issuer.committee} nhận được đơn khiếu nại (mã đơn "
        f"{facts.code}) của {who}.",
        *_content("Nội dung khiếu nại", facts),
        f"Xét khiếu nại đủ điều kiện thụ lý và thuộc thẩm quyền giải quyết, ngày "
        f"{_d(facts.accepted)} {issuer.chair} đã thụ lý giải quyết khiếu nại.",
        f"Thời hạn giải quyết khiếu nại: đến hết ngày {_d(facts.due)}.",
        f"{issuer.chair} thông báo để {who} biết.",
    ):
        documents.add_paragraph(doc, line)
    return _close(doc, CHAIR, ["Như trên", FILING])


def not_accepted(issuer: Issuer, facts: CaseFacts) -> bytes:
    """Thông báo không thụ lý, with the reason: a khiếu nại's (Luật Khiếu nại Điều 27) or a tố
    cáo's, told to the denouncer (Luật Tố cáo Điều 24 khoản 1)."""
    complaint = facts.kind == "khiếu nại"
    step = "thụ lý giải quyết" if complaint else "thụ lý"
    doc = _notice(issuer, facts, f"Về việc không {step} {facts.kind}")
    who = _addressee(doc, facts.filer)
    lines = [
        f"Ngày {_d(facts.received)}, {issuer.committee} nhận được đơn {facts.kind} (mã đơn "
        f"{facts.code}) của {who}.",
        *_content(f"Nội dung {facts.kind}", facts),
        f"{facts.kind.capitalize()} không đủ điều kiện {step}. Lý do: {facts.detail}",
    ]
    if not complaint:
        lines.append(SECRECY)
    for line in (*lines, f"{issuer.chair} thông báo để {who} biết."):
        documents.add_paragraph(doc, line)
    return _close(doc, CHAIR, ["Như trên", FILING])


def denunciation_decision(issuer: Issuer, facts: CaseFacts) -> bytes:
    """Quyết định thụ lý tố cáo with what Luật Tố cáo Điều 29 khoản 2 requires: its date, its
    basis, the content accepted and the time limit. It names no denouncer: the content is
    made known to the accused (Điều 29 khoản 3)."""
    doc = documents.new_document(
        issuer.body,
        "Quyết định",
        "Về việc thụ lý tố cáo",
        place=issuer.place,
        day=facts.day,
        number="Số:       /QĐ-UBND",
    )
    documents.add_paragraph(doc, issuer.chair.upper(), bold=True, align="center")
    documents.add_paragraph(doc, _law("Tố cáo", "12 tháng 6 năm 2018", facts.day), italic=True)
    documents.add_paragraph(
        doc, f"Xét đơn tố cáo mã {facts.code} nhận ngày {_d(facts.received)},", italic=True
    )
    documents.add_paragraph(doc, "QUYẾT ĐỊNH:", bold=True, align="center")
    against = facts.accused or "người bị tố cáo nêu trong đơn"
    documents.add_paragraph(doc, f"Điều 1. Thụ lý tố cáo đối với {against}.")
    content = facts.act or facts.summary
    documents.add_paragraph(doc, f"Nội dung tố cáo được thụ lý: {content}")
    documents.add_paragraph(
        doc, f"Điều 2. Thời hạn giải quyết tố cáo: đến hết ngày {_d(facts.due)}."
    )
    carrying = f"công chức được giao xử lý đơn ({facts.handler})" if facts.handler else ""
    documents.add_paragraph(
        doc,
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. "
        + (f"{carrying[:1].upper()}{carrying[1:]}, c" if carrying else "C")
        + "ơ quan, tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.",
    )
    return _close(doc, CHAIR, ["Như Điều 3", FILING])


def denunciation_accepted(issuer: Issuer, facts: CaseFacts) -> bytes:
    """Thông báo thụ lý tố cáo, to the denouncer (Luật Tố cáo Điều 29 khoản 3): the one document
    naming them."""
    doc = _notice(issuer, facts, "Về việc thụ lý tố cáo")
    who = _addressee(doc, facts.filer)
    for line in (
        f"Ngày {_d(facts.received)}, {issuer.committee} nhận được đơn tố cáo (mã đơn "
        f"{facts.code}) của {who}.",
        f"Ngày {_d(facts.accepted)}, {issuer.chair} đã ra quyết định thụ lý tố cáo.",
        f"Nội dung tố cáo được thụ lý: {facts.act or facts.summary}",
        f"Thời hạn giải quyết tố cáo: đến hết ngày {_d(facts.due)}.",
        SECRECY,
        f"{issuer.chair} thông báo để {who} biết.",
    ):
        documents.add_paragraph(doc, line)
    return _close(doc, CHAIR, ["Như trên", FILING])


def reply(issuer: Issuer, facts: CaseFacts) -> bytes:
    """The UBND's answer to a kiến nghị or phản ánh (they have no thụ lý step)."""
    doc = _notice(issuer, facts, f"Về việc trả lời {facts.kind}")
    who = _addressee(doc, facts.filer)
    for line in (
        f"Ngày {_d(facts.received)}, {issuer.committee} nhận được {facts.kind} (mã đơn "
        f"{facts.code}) của {who}.",
        *_content("Nội dung", facts),
        f"Sau khi xem xét, {issuer.committee} trả lời như sau: {facts.detail}",
        f"{issuer.committee} thông báo để {who} biết.",
    ):
        documents.add_paragraph(doc, line)
    return _close(doc, ON_BEHALF, ["Như trên", FILING])


def transfer_notice(issuer: Issuer, facts: CaseFacts) -> bytes:
    """Telling the filer where their đơn was sent (a tố cáo's: Luật Tố cáo Điều 24 khoản 2)."""
    doc = _notice(issuer, facts, f"Về việc chuyển đơn {facts.kind}")
    who = _addressee(doc, facts.filer)
    lines = [
        f"Ngày {_d(facts.received)}, {issuer.committee} nhận được đơn {facts.kind} (mã đơn "
        f"{facts.code}) của {who}.",
        *_content("Nội dung", facts),
        f"Nội dung đơn không thuộc thẩm quyền giải quyết của {issuer.committee}. Ngày "
        f"{_d(facts.day)}, {issuer.committee} đã chuyển đơn đến {facts.detail} để xem xét, "
        "giải quyết theo thẩm quyền.",
    ]
    if facts.kind == "tố cáo":
        lines.append(SECRECY)
    for line in (*lines, f"{issuer.committee} thông báo để {who} biết và liên hệ {facts.detail}."):
        documents.add_paragraph(doc, line)
    return _close(doc, ON_BEHALF, ["Như trên", FILING])


def transfer_slip(issuer: Issuer, facts: CaseFacts, secret: bool) -> bytes:
    """Phiếu chuyển đơn to the competent office; a tố cáo's denouncer is not written on it
    (the đơn itself goes with it)."""
    doc = documents.new_document(
        issuer.body,
        "Phiếu chuyển đơn",
        place=issuer.place,
        day=facts.day,
        number="Số:       /PC-UBND",
    )
    documents.add_paragraph(doc, f"Kính gửi: {facts.detail}", align="center")
    if secret or facts.filer is None:
        whose = "của người tố cáo (thông tin người tố cáo được giữ bí mật)" if secret else ""
    else:
        whose = f"của ông/bà {facts.filer.name}, địa chỉ: {facts.filer.address}"
    for line in (
        f"Ngày {_d(facts.received)}, {issuer.committee} nhận được đơn {facts.kind} (mã đơn "
        f"{facts.code}) {whose}".rstrip()
        + ".",
        *_content("Nội dung", facts),
        f"Nội dung đơn không thuộc thẩm quyền giải quyết của {issuer.committee}. "
        f"{issuer.committee} chuyển đơn đến {facts.detail} để xem xét, giải quyết theo "
        "thẩm quyền.",
        "Kèm theo: đơn và tài liệu kèm theo (nếu có).",
    ):
        documents.add_paragraph(doc, line)
    recipients = ["Như trên", *([] if secret else ["Người gửi đơn (để biết)"]), FILING]
    return _close(doc, ON_BEHALF, recipients)


def petition_register(
    issuer: Issuer, start: date, end: date, lines: list[PetitionLine], today: date, by: str
) -> bytes:
    """Sổ theo dõi đơn of a period, one row per đơn received in it."""
    doc = documents.new_document(
        issuer.body,
        "Sổ theo dõi đơn",
        _period(start, end),
        place=issuer.place,
        day=today,
        landscape=True,
    )
    headers = (
        "STT",
        "Ngày nhận",
        "Số, mã đơn",
        "Họ tên, địa chỉ người gửi",
        "Nội dung tóm tắt",
        "Loại đơn",
        "Nguồn đơn",
        "Hướng xử lý, kết quả",
        "Hạn xử lý",
        "Người xử lý",
    )
    rows = [
        [
            number,
            _d(line.received),
            line.number,
            line.filer,
            line.summary,
            line.kind,
            line.source,
            line.outcome,
            _d(line.due) if line.due else "—",
            line.handler,
        ]
        for number, line in enumerate(lines, start=1)
    ]
    documents.add_table(doc, headers, rows)
    if not lines:
        documents.add_paragraph(doc, "Không có đơn nào được nhận trong kỳ.", italic=True)
    documents.add_signature(doc, REGISTER_SIGNER, by, note="")
    return documents.to_bytes(doc)


def reception_register(
    issuer: Issuer, start: date, end: date, lines: list[ReceptionLine], today: date, by: str
) -> bytes:
    """Sổ tiếp công dân of a period, one row per citizen or group received (the fields of
    Luật Tiếp công dân Điều 25 khoản 1 that the assistant records)."""
    doc = documents.new_document(
        issuer.body,
        "Sổ tiếp công dân",
        _period(start, end),
        place=issuer.place,
        day=today,
        landscape=True,
    )
    headers = (
        "STT",
        "Ngày tiếp",
        "Họ tên, địa chỉ",
        "Nội dung vụ việc",
        "Loại việc",
        "Số người",
        "Tiếp nhận, xử lý",
        "Người tiếp",
    )
    rows = [
        [
            number,
            _d(line.day),
            line.person,
            line.summary,
            line.matter,
            line.group,
            line.outcome,
            line.receiver,
        ]
        for number, line in enumerate(lines, start=1)
    ]
    documents.add_table(doc, headers, rows)
    if not lines:
        documents.add_paragraph(doc, "Không có lượt tiếp công dân nào trong kỳ.", italic=True)
    documents.add_signature(doc, REGISTER_SIGNER, by, note="")
    return documents.to_bytes(doc)
