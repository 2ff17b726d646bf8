"""The letter a citizen prints, signs (or fingerprints) and hands in: a đơn khiếu nại or đơn tố
cáo pre-filled in the usual layout (../shared/legal/forms.md), as a DOCX built on demand for the
filer only and never stored (Luật Tố cáo 25/2018, Điều 8: a denouncer's identity is secret)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from db.models import Petition, PetitionParty, Unit
from handlers import documents
from handlers.clock import VN_TZ
from handlers.units.pick import official_address

LETTER_KINDS = {"khieu_nai": "ĐƠN KHIẾU NẠI", "to_cao": "ĐƠN TỐ CÁO"}
FIELD_LABELS = {
    "decision": "Quyết định, hành vi bị khiếu nại",
    "content": "Nội dung, lý do",
    "request": "Yêu cầu giải quyết",
    "accused": "Người bị tố cáo",
    "act": "Hành vi vi phạm pháp luật bị tố cáo",
}


def letter(petition: Petition, party: PetitionParty, unit: Unit | None, now: datetime) -> bytes:
    today = now.astimezone(VN_TZ).date()
    filer = "Người khiếu nại" if petition.kind == "khieu_nai" else "Người tố cáo"
    place = unit.name if unit else "…"
    doc = documents.new_document("", LETTER_KINDS[petition.kind], place=place, day=today)
    documents.add_paragraph(doc, f"Kính gửi: Chủ tịch Ủy ban nhân dân {place}", align="center")
    lines = [
        f"Họ và tên {filer.lower()}: {party.full_name}",
        "Số căn cước: ……………… Ngày cấp: ………… Nơi cấp: …………",
        f"Địa chỉ: {official_address(party.address)}",
        f"Số điện thoại: {party.phone}",
    ]
    lines += [
        f"{label}: {petition.details[key]}"
        for key, label in FIELD_LABELS.items()
        if key in petition.details
    ]
    lines += [
        "Tài liệu, chứng cứ kèm theo (nếu có): …………………………",
        f"Mã đăng ký trực tuyến: {petition.code}",
    ]
    for line in lines:
        documents.add_paragraph(doc, line)
    documents.add_signature(doc, filer, party.full_name, "(Ký, ghi rõ họ tên hoặc điểm chỉ)")
    return documents.to_bytes(doc)


async def letter_for(
    session: AsyncSession, channel: str, external_id: str, code: str, now: datetime
) -> bytes | None:
    """The filled-in letter, for the person who filed the đơn and nobody else."""
    identity = await people.identity(session, channel, external_id)
    petition = (await session.exec(select(Petition).where(Petition.code == code))).one_or_none()
    if (
        identity is None
        or petition is None
        or petition.person_id != identity.person_id
        or petition.kind not in LETTER_KINDS
    ):
        return None
    party = await session.get(PetitionParty, petition.id)
    if party is None:
        return None
    unit = await session.get(Unit, petition.unit_id)
    return letter(petition, party, unit, now)
