"""What the desk prints and for whom: which of a đơn's documents its step allows, the data each
needs (handlers/desk/printables.py lays them out), and the two registers of a period.

The caller has already found the đơn in the official's scope (``cases.find``). A tố cáo's
documents are for its handler only, the one person who may see who filed it; printing the one
that names the denouncer is audited. On the registers a tố cáo's filer is always masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, desk, people
from db import reception as reception_rows
from db.models import Petition, PetitionEvent, PetitionParty
from handlers import texts
from handlers.access import Actor, audit_by, scope
from handlers.clock import VN_TZ
from handlers.desk import printables
from handlers.desk.names import name_of
from handlers.desk.printables import CaseFacts, Filer, Issuer, PetitionLine, ReceptionLine
from handlers.desk.wording import summary_parts, summary_text, title_address, title_name
from handlers.petitions.case import (
    ACCEPTED,
    FINAL,
    JUDGED_KINDS,
    REJECTED,
    RESOLVED,
    TRANSFERRED,
    _day,
)
from handlers.units.pick import COMMUNE_KINDS, official_address

TO_CAO = "to_cao"
ANSWERED_KINDS = frozenset({"kien_nghi", "phan_anh"})
# Addressed to the filer: printing one of a tố cáo is audited.
NAMES_FILER = frozenset({"thong-bao-thu-ly-to-cao", "thong-bao-khong-thu-ly", "thong-bao-chuyen"})
# A register covers at most a year: a longer one is a different document (the yearly report).
MAX_DAYS = 366
# The địa danh before the date is the unit's name without its kind ("Minh Hòa, ngày …").
UNIT_KIND_WORDS = ("Xã ", "Phường ", "Đặc khu ", "Tỉnh ", "Thành phố ")
ISSUING_KINDS = COMMUNE_KINDS | {"tinh"}


@dataclass(frozen=True)
class Printable:
    key: str  # the ?mau= of the download address
    label: str  # the button
    title: str  # the file's name, before the code


DOCUMENTS = {
    p.key: p
    for p in (
        Printable("thong-bao-thu-ly", "Tải thông báo thụ lý (DOCX)", "Thông báo thụ lý"),
        Printable(
            "thong-bao-khong-thu-ly", "Tải thông báo không thụ lý (DOCX)", "Thông báo không thụ lý"
        ),
        Printable(
            "quyet-dinh-thu-ly", "Tải quyết định thụ lý tố cáo (DOCX)", "Quyết định thụ lý tố cáo"
        ),
        Printable(
            "thong-bao-thu-ly-to-cao",
            "Tải thông báo thụ lý gửi người tố cáo (DOCX)",
            "Thông báo thụ lý tố cáo",
        ),
        Printable("tra-loi", "Tải thông báo trả lời (DOCX)", "Thông báo trả lời"),
        Printable("thong-bao-chuyen", "Tải thông báo chuyển đơn (DOCX)", "Thông báo chuyển đơn"),
        Printable("phieu-chuyen", "Tải phiếu chuyển đơn (DOCX)", "Phiếu chuyển đơn"),
    )
}


def may_print(petition: Petition, actor: Actor) -> bool:
    """A tố cáo's documents are its handler's alone; anyone who may open another đơn may print
    its documents."""
    return petition.kind != TO_CAO or petition.handler_person_id == actor.person_id


def available(petition: Petition, actor: Actor) -> list[Printable]:
    """The documents this đơn's step calls for, that this official may print."""
    kind, status = petition.kind, petition.status
    if not may_print(petition, actor):
        return []
    keys: list[str] = []
    accepted = petition.accepted_at is not None and status != REJECTED
    if kind == "khieu_nai" and accepted:
        keys.append("thong-bao-thu-ly")
    if kind in JUDGED_KINDS and status == REJECTED:
        keys.append("thong-bao-khong-thu-ly")
    if kind == TO_CAO and accepted:
        keys += ["quyet-dinh-thu-ly", "thong-bao-thu-ly-to-cao"]
    if kind in ANSWERED_KINDS and status in (RESOLVED, "dong") and petition.result:
        keys.append("tra-loi")
    if status == TRANSFERRED:
        # Anonymous information has nobody to tell.
        keys += ["phieu-chuyen"] if kind == "thong_tin" else ["thong-bao-chuyen", "phieu-chuyen"]
    return [DOCUMENTS[key] for key in keys]


async def issuer_of(session: AsyncSession, unit_id: int) -> Issuer:
    """The commune (or province) above a unit: an office's documents are its UBND's."""
    units = {unit.id: unit for unit in await people.units(session)}
    unit = units.get(unit_id)
    while unit is not None and unit.kind not in ISSUING_KINDS and unit.parent_id is not None:
        unit = units.get(unit.parent_id)
    name = unit.name if unit is not None else ""
    place = next((name.removeprefix(w) for w in UNIT_KIND_WORDS if name.startswith(w)), name)
    return Issuer(name=name, place=place)


def _last(events: list[PetitionEvent], status: str) -> PetitionEvent | None:
    return next((event for event in reversed(events) if event.status == status), None)


def _filer(party: PetitionParty | None) -> Filer | None:
    if party is None:
        return None
    return Filer(title_name(party.full_name), _address(party.address))


def _address(typed: str) -> str:
    """As a document writes it: capitals where the citizen left them out, today's unit named."""
    return official_address(title_address(typed))


async def case_document(
    session: AsyncSession, actor: Actor, petition: Petition, key: str, now: datetime
) -> tuple[str, bytes] | None:
    """(file name, DOCX) of one of the đơn's documents, or None when its step has none such
    or the official may not print it."""
    if key not in {p.key for p in available(petition, actor)}:
        return None
    assert petition.id is not None
    events = list(await desk.history(session, petition.id))
    step = {
        "thong-bao-khong-thu-ly": REJECTED,
        "tra-loi": RESOLVED,
        "thong-bao-chuyen": TRANSFERRED,
        "phieu-chuyen": TRANSFERRED,
    }.get(key, ACCEPTED)
    event = _last(events, step)
    if step == ACCEPTED and petition.accepted_at is not None:
        day = _day(petition.accepted_at)
    else:
        day = _day(event.at) if event is not None else _day(now)
    detail = event.note if event is not None else ""
    if key == "tra-loi":
        detail = petition.result or detail
    handler = ""
    if petition.handler_person_id:
        names = await desk.names(session, [petition.handler_person_id])
        handler = name_of(petition.handler_person_id, names.get(petition.handler_person_id))
    party = await session.get(PetitionParty, petition.id)
    facts = CaseFacts(
        code=petition.code,
        kind=texts.PETITION_KIND_NAMES.get(petition.kind, petition.kind).lower(),
        received=_day(petition.received_at) if petition.received_at else None,
        accepted=_day(petition.accepted_at) if petition.accepted_at else None,
        due=petition.due_date,
        summary=summary_text(petition),
        parts=tuple(summary_parts(petition)),
        filer=_filer(party),
        day=day,
        detail=detail,
        accused=str(petition.details.get("accused") or ""),
        act=str(petition.details.get("act") or ""),
        handler=handler,
    )
    issuer = await issuer_of(session, petition.unit_id)
    secret = petition.kind == TO_CAO
    builders = {
        "thong-bao-thu-ly": printables.complaint_accepted,
        "thong-bao-khong-thu-ly": printables.not_accepted,
        "quyet-dinh-thu-ly": printables.denunciation_decision,
        "thong-bao-thu-ly-to-cao": printables.denunciation_accepted,
        "tra-loi": printables.reply,
        "thong-bao-chuyen": printables.transfer_notice,
    }
    if key == "phieu-chuyen":
        data = printables.transfer_slip(issuer, facts, secret)
    else:
        data = builders[key](issuer, facts)
    if secret and key in NAMES_FILER:
        audit_by(session, actor, "petition.filer_printed", now, target=petition.code)
    return f"{DOCUMENTS[key].title} {petition.code}.docx", data


def period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The days a register covers: as asked (either order), this month so far by default, at
    most a year back from its end."""
    end = end or today
    start = start or end.replace(day=1)
    if start > end:
        start, end = end, start
    return max(start, end - timedelta(days=MAX_DAYS - 1)), end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time(), VN_TZ),
        datetime.combine(end + timedelta(days=1), time(), VN_TZ),
    )


async def _issuer_for(session: AsyncSession, actor: Actor) -> Issuer:
    unit_ids = sorted(unit_id for _, unit_id in actor.roles)
    return await issuer_of(session, unit_ids[0] if unit_ids else 0)


def _outcome(petition: Petition, events: list[PetitionEvent]) -> str:
    """Where the đơn stands, with the reason, the receiving office or the result."""
    words = texts.PETITION_STATUS_NAMES.get(petition.status, petition.status)
    line = words[:1].upper() + words[1:]
    if petition.accepted_at is not None and petition.kind in ("khieu_nai", TO_CAO):
        line = f"Thụ lý ngày {_day(petition.accepted_at):%d/%m/%Y}; {words}"
    last = next((e for e in reversed(events) if e.status == petition.status), None)
    if petition.result:
        line += f": {petition.result}"
    elif petition.status in FINAL and last is not None and last.note:
        line += f": {last.note}"
    return line


async def petition_register(
    session: AsyncSession, actor: Actor, by: str, start: date, end: date, now: datetime
) -> bytes:
    """Sổ theo dõi đơn of the official's units: đơn received in the period, a tố cáo's filer
    masked whoever prints it, a đơn the official is accused in left out."""
    units = await scope(session, actor)
    hidden = await accused.targets_naming(session, accused.PETITION, actor.person_id)
    found = await desk.received_between(session, units, hidden, *_bounds(start, end))
    ids = [p.id for p in found if p.id is not None]
    parties = await desk.parties_of(session, ids)
    events: dict[int, list[PetitionEvent]] = {}
    for event in await desk.events_of(session, ids):
        events.setdefault(event.petition_id, []).append(event)
    names = await desk.names(session, [p.handler_person_id or 0 for p in found])
    lines = []
    for p in found:
        assert p.id is not None and p.received_at is not None
        party = parties.get(p.id)
        if p.kind == TO_CAO:
            filer = printables.SECRET
        elif party is None:
            filer = "(không nêu tên)" if p.anonymous or p.kind == "thong_tin" else "—"
        else:
            filer = f"{title_name(party.full_name)}, {_address(party.address)}"
        lines.append(
            PetitionLine(
                received=_day(p.received_at),
                number=f"{p.office_number} ({p.code})" if p.office_number else p.code,
                filer=filer,
                summary=summary_text(p),
                kind=texts.PETITION_KIND_NAMES.get(p.kind, p.kind),
                source=texts.PETITION_SOURCES.get(p.source, p.source),
                outcome=_outcome(p, events.get(p.id, [])),
                due=p.due_date if p.status not in FINAL else None,
                handler=(
                    name_of(p.handler_person_id, names.get(p.handler_person_id))
                    if p.handler_person_id
                    else texts.NO_HANDLER
                ),
            )
        )
    issuer = await _issuer_for(session, actor)
    return printables.petition_register(issuer, start, end, lines, _day(now), by)


async def reception_register(
    session: AsyncSession, actor: Actor, by: str, start: date, end: date, now: datetime
) -> bytes:
    """Sổ tiếp công dân of the official's units: everyone received in the period; a tố cáo's
    person and matter masked whoever prints it (the register is read by all the office), a
    booking the official is accused in left out."""
    units = await scope(session, actor)
    hidden = await accused.targets_naming(session, accused.BOOKING, actor.person_id)
    lines = []
    for booking, item in await reception_rows.received_in(session, units, *_bounds(start, end)):
        if booking.id in hidden:
            continue
        secret = booking.matter_kind == TO_CAO
        person = booking.full_name
        if booking.address:
            person += f", {official_address(booking.address)}"
        lines.append(
            ReceptionLine(
                day=_day(item.starts_at),
                person=printables.SECRET if secret else person,
                summary=printables.SECRET_SUMMARY if secret else booking.summary,
                matter=texts.MATTER_KINDS.get(booking.matter_kind, booking.matter_kind),
                group=booking.group_size,
                outcome=booking.outcome or "",
                receiver=item.receiver_name,
            )
        )
    issuer = await _issuer_for(session, actor)
    return printables.reception_register(issuer, start, end, lines, _day(now), by)
