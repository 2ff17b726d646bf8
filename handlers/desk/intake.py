"""A đơn created from a reception ("Tạo đơn từ lượt tiếp"): a roster row or a walk-in gives the
đơn's type, the citizen's name, phone, address and content; the official reads it back and
confirms. The đơn is entered as the office enters a đơn handed in at the desk
(handlers/petitions/paper.py: its code, routing, received on the reception's day, legal dates),
linked to the booking both ways (the booking keeps the đơn, the đơn's source note names the
booking), and audited. A tố cáo reception is turned into a đơn only by the one who may see its
filer: the session's receiver."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Booking, Petition, ReceptionSession, Unit
from handlers import texts
from handlers.access import Actor, audit_by, record_denied
from handlers.forms import is_name, normalize_phone
from handlers.petitions.filing import FIRST_STEP
from handlers.petitions.paper import enter_paper
from handlers.reception import attendance
from handlers.reception import staff as reception_staff
from handlers.reception.walk_in import is_group_name

SUMMARY_LENGTH = (10, 2000)


@dataclass(frozen=True)
class Draft:
    kind: str
    name: str
    phone: str
    address: str
    summary: str
    # Who a tố cáo names (it decides routing: a commune leader's goes up and is kept from them).
    accused: str = ""


async def reception_of(
    session: AsyncSession, actor: Actor, booking_id: int, now: datetime
) -> tuple[Booking, ReceptionSession] | None:
    """A booking the official may turn into a đơn: in scope, not accusing them, and for a tố
    cáo, only its receiver. Refusals are audited."""
    found = await reception_staff._booking_in_scope(session, actor, booking_id)
    if found is None or not reception_staff._sees_identity(actor, *found):
        record_denied(session, actor, f"desk:tcd-tao-don:{booking_id}", now)
        return None
    return found


def draft_of(booking: Booking) -> Draft:
    """The đơn as the reception gives it; a matter that is no đơn ("việc khác") picks none."""
    return Draft(
        kind=booking.matter_kind if booking.matter_kind in FIRST_STEP else "",
        name=booking.full_name,
        phone=booking.phone,
        address=booking.address,
        summary=booking.summary,
    )


def draft_from(form: Mapping[str, str]) -> Draft:
    typed = form.get("dien_thoai", "").strip()
    return Draft(
        kind=form.get("loai", ""),
        name=" ".join(form.get("ten", "").split()),
        # Read back and kept as the normalised number; a wrong one stays as typed, refused.
        phone=(normalize_phone(typed) or typed) if typed else "",
        address=" ".join(form.get("dia_chi", "").split()),
        summary=form.get("noi_dung", "").strip(),
        accused=" ".join(form.get("bi_to_cao", "").split())[:300],
    )


def problems(
    draft: Draft, booking: Booking, item: ReceptionSession, now: datetime
) -> dict[str, str]:
    """What stops the đơn, keyed by the form's field names ("" for the reception itself)."""
    found: dict[str, str] = {}
    if not attendance.may_record(item, now):
        day = f"{attendance.session_day(item):%d/%m/%Y}"
        found[""] = texts.INTAKE_NOT_YET.format(day=day)
    if draft.kind not in FIRST_STEP:
        found["loai"] = texts.INTAKE_NO_KIND
    group = booking.group_size > 1 and is_group_name(draft.name)
    if not (is_name(draft.name) or group):
        found["ten"] = texts.WALK_IN_BAD_NAME
    if draft.phone and normalize_phone(draft.phone) is None:
        found["dien_thoai"] = texts.WALK_IN_BAD_PHONE
    if not 4 <= len(draft.address) <= 300:
        found["dia_chi"] = texts.WALK_IN_BAD_ADDRESS
    low, high = SUMMARY_LENGTH
    if not low <= len(draft.summary) <= high:
        found["noi_dung"] = texts.INTAKE_BAD_SUMMARY
    return found


async def existing(session: AsyncSession, booking: Booking) -> Petition | None:
    """The đơn made from this reception, read under a row lock (PostgreSQL; SQLite has one
    writer) held to the end of the request, so two presses of "Tạo đơn" make one đơn."""
    await session.refresh(booking, with_for_update=True)
    if booking.petition_id is None:
        return None
    return await session.get(Petition, booking.petition_id)


async def create(
    session: AsyncSession,
    actor: Actor,
    booking: Booking,
    item: ReceptionSession,
    draft: Draft,
    now: datetime,
) -> Petition:
    """Enter the đơn (the caller has checked ``problems`` and that none exists yet)."""
    unit = await session.get(Unit, item.unit_id)
    assert unit is not None and booking.id is not None
    day = attendance.session_day(item)
    row = {
        "kind": draft.kind,
        "source": "desk",
        "source_note": texts.INTAKE_NOTE.format(code=booking.code, day=f"{day:%d/%m/%Y}"),
        "unit": unit.code or unit.name,
        "received": f"{day:%d/%m/%Y}",
        "name": draft.name,
        "phone": draft.phone,
        "address": draft.address,
        "summary": draft.summary,
        "accused": draft.accused if draft.kind == "to_cao" else "",
    }
    petition = await enter_paper(session, row, 1, now, actor.label)
    booking.petition_id = petition.id
    booking.updated_at = now
    session.add(booking)
    audit_by(
        session,
        actor,
        "petition.from_reception",
        now,
        target=petition.code,
        after={"booking": booking.code, "kind": draft.kind},
    )
    return petition
