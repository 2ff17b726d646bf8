"""Đơn received on paper, by post, at the desk or from another body, entered by an official."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from db.models import Petition, PetitionEvent, PetitionParty
from handlers import texts
from handlers.clock import VN_TZ
from handlers.petitions.case import RECEIVED, redate
from handlers.petitions.filing import FIRST_STEP, new_code, rule_book
from handlers.petitions.routing import route, shield_leaders


async def enter_paper(
    session: AsyncSession, row: dict[str, Any], number: int, now: datetime, actor: str
) -> Petition:
    """A đơn that arrived on paper, by post, at the desk or forwarded by another body, entered
    by an official: received on the date given, so its legal clock runs from then."""
    where = f"Đơn thứ {number}"
    kind = str(row.get("kind") or "")
    if kind not in FIRST_STEP:
        raise PetitionError(
            f"{where}: 'kind' phải là khieu_nai, to_cao, kien_nghi, phan_anh hoặc kien_nghi_btnd."
        )
    source = str(row.get("source") or "paper")
    if source not in texts.PETITION_SOURCES or source == "chat":
        raise PetitionError(f"{where}: 'source' phải là paper, post, desk hoặc forwarded.")
    unit = await people.unit_by_code_or_name(session, str(row.get("unit") or ""))
    if unit is None or unit.id is None:
        raise PetitionError(f"{where}: không có đơn vị '{row.get('unit')}'.")
    try:
        received = datetime.strptime(str(row.get("received") or ""), "%d/%m/%Y").replace(
            hour=8, tzinfo=VN_TZ
        )
    except ValueError:
        raise PetitionError(f"{where}: 'received' phải có dạng ngày/tháng/năm.") from None
    summary = str(row.get("summary") or "").strip()
    name = str(row.get("name") or "").strip()
    if not summary or not name:
        raise PetitionError(f"{where}: cần 'name' (người gửi) và 'summary' (nội dung).")
    phone = str(row.get("phone") or "")
    routing = await route(session, rule_book(), unit.id, kind, str(row.get("accused") or ""))
    petition = Petition(
        code=new_code(kind, received.year),
        kind=kind,
        unit_id=routing.unit_id,
        against_leader=routing.against_leader,
        routed_from_unit_id=routing.routed_from,
        source=source,
        source_note=str(row.get("source_note") or "")[:300],
        status=RECEIVED,
        summary=summary[:2000],
        second_round=bool(row.get("second_round", False)),
        disciplinary=kind == "khieu_nai" and bool(row.get("disciplinary", False)),
        registered_at=received,
        received_at=received,
        phone_last4=phone[-4:],
        office_number=str(row.get("so_den") or "").strip()[:40] or None,
        created_at=now,
        updated_at=now,
    )
    redate(petition)
    session.add(petition)
    await session.flush()
    assert petition.id is not None
    await shield_leaders(session, petition, routing, now)
    session.add(
        PetitionParty(
            petition_id=petition.id,
            full_name=name[:200],
            phone=phone[:20],
            address=str(row.get("address") or "")[:300],
        )
    )
    session.add(
        PetitionEvent(
            petition_id=petition.id,
            at=received,
            actor=actor,
            status=RECEIVED,
            note=texts.PETITION_SOURCES[source],
        )
    )
    return petition


class PetitionError(ValueError):
    """A đơn row that cannot be entered; the message is Vietnamese, for the official."""
