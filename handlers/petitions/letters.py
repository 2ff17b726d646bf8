"""The letter a citizen prints, signs (or fingerprints) and hands in: a đơn khiếu nại or đơn tố
cáo pre-filled in the usual layout (../shared/legal/forms.md), as a DOCX built on demand for the
filer only and never stored (Luật Tố cáo 25/2018, Điều 8: a denouncer's identity is secret)."""

from __future__ import annotations

import zipfile
from datetime import datetime
from io import BytesIO
from xml.sax.saxutils import escape

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from db.models import Petition, PetitionParty, Unit
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
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_OPENXML = "http://schemas.openxmlformats.org"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_OPENXML}/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_RELS_TYPE}"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_WORD_MAIN}"/></Types>'
)
_RELS = (
    f'{_XML}<Relationships xmlns="{_OPENXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Target="word/document.xml" '
    f'Type="{_OPENXML}/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def _paragraph(
    text: str, *, align: str = "left", bold: bool = False, underline: bool = False
) -> str:
    props = "<w:b/>" if bold else ""
    props += '<w:u w:val="single"/>' if underline else ""
    run_props = f'<w:rPr>{props}<w:sz w:val="26"/></w:rPr>'
    return (
        f'<w:p><w:pPr><w:jc w:val="{align}"/></w:pPr>'
        f'<w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )


def build_docx(lines: list[tuple[str, dict[str, object]]]) -> bytes:
    body = "".join(_paragraph(text, **style) for text, style in lines)  # type: ignore[arg-type]
    document = (
        f'{_XML}<w:document xmlns:w="{_OPENXML}/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def letter_lines(
    petition: Petition, party: PetitionParty, unit: Unit | None, now: datetime
) -> list[tuple[str, dict[str, object]]]:
    today = now.astimezone(VN_TZ)
    filer = "Người khiếu nại" if petition.kind == "khieu_nai" else "Người tố cáo"
    place = unit.name if unit else "…"
    lines: list[tuple[str, dict[str, object]]] = [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"align": "center", "bold": True}),
        ("Độc lập - Tự do - Hạnh phúc", {"align": "center", "bold": True, "underline": True}),
        (f"{place}, ngày {today:%d} tháng {today:%m} năm {today:%Y}", {"align": "right"}),
        (LETTER_KINDS[petition.kind], {"align": "center", "bold": True}),
        (f"Kính gửi: Chủ tịch Ủy ban nhân dân {place}", {"align": "center"}),
        (f"Họ và tên {filer.lower()}: {party.full_name}", {}),
        ("Số căn cước: ……………… Ngày cấp: ………… Nơi cấp: …………", {}),
        (f"Địa chỉ: {official_address(party.address)}", {}),
        (f"Số điện thoại: {party.phone}", {}),
    ]
    for key, label in FIELD_LABELS.items():
        if key in petition.details:
            lines.append((f"{label}: {petition.details[key]}", {}))
    lines += [
        ("Tài liệu, chứng cứ kèm theo (nếu có): …………………………", {}),
        (f"Mã đăng ký trực tuyến: {petition.code}", {}),
        (f"{filer}", {"align": "right", "bold": True}),
        ("(Ký, ghi rõ họ tên hoặc điểm chỉ)", {"align": "right"}),
    ]
    return lines


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
    return build_docx(letter_lines(petition, party, unit, now))
