"""The desk's downloads: a đơn's notice, decision or phiếu chuyển đơn from its case page, and
the Sổ theo dõi đơn and Sổ tiếp công dân of a period. The case is found as its page finds it
(same scope, same refusal); what may be printed is decided in handlers/desk/printing.py."""

from __future__ import annotations

import unicodedata
from datetime import date
from urllib.parse import quote

from aiohttp import web

from bot.desk.petitions import _case_or_refusal, _show
from bot.desk.web import HEADERS, YEARS, Desk, clean_text, page, parse_day
from handlers import access, texts
from handlers.desk import printing

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(name: str, data: bytes) -> web.Response:
    """The file with its Vietnamese name (RFC 6266: an ASCII fallback, then UTF-8)."""
    spelled = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in spelled if ch.isascii() and ch not in '"\\')
    response = web.Response(body=data, content_type=DOCX)
    response.headers.update(HEADERS)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@page()
async def case_document(desk: Desk) -> web.StreamResponse:
    petition = await _case_or_refusal(desk)
    if isinstance(petition, web.StreamResponse):
        return petition
    key = desk.request.query.get("mau", "")
    if key not in printing.DOCUMENTS:
        raise web.HTTPSeeOther(f"/desk/don/{petition.id}")
    if not printing.may_print(petition, desk.user.actor):
        access.record_denied(desk.session, desk.user.actor, f"desk:in:{petition.code}", desk.now)
        return desk.render("forbidden.html", status=403)
    found = await printing.case_document(desk.session, desk.user.actor, petition, key, desk.now)
    if found is None:
        return await _show(desk, petition, texts.DESK_NOTHING_TO_PRINT, ok=False, status=409)
    return _download(*found)


def _period(desk: Desk, title: str) -> tuple[date, date] | web.StreamResponse:
    """The register's days, or its form again with what was typed and why it is refused."""
    query = desk.request.query
    typed = {name: clean_text(query.get(name, "")[:20]) for name in ("tu", "den")}
    days = {name: parse_day(value) if value.strip() else None for name, value in typed.items()}
    if any(typed[name].strip() and days[name] is None for name in typed):
        return desk.render(
            "register_dates.html",
            status=400,
            title=title,
            action=desk.request.path,
            typed=typed,
            message=texts.DESK_BAD_DATES.format(first=YEARS.start, last=YEARS.stop - 1),
        )
    return printing.period(days["tu"], days["den"], desk.today)


@page()
async def petition_register(desk: Desk) -> web.StreamResponse:
    found = _period(desk, "Sổ theo dõi đơn")
    if isinstance(found, web.StreamResponse):
        return found
    start, end = found
    data = await printing.petition_register(
        desk.session, desk.user.actor, desk.user.name, start, end, desk.now
    )
    return _download(f"Sổ theo dõi đơn {start:%d-%m-%Y} đến {end:%d-%m-%Y}.docx", data)


@page()
async def reception_register(desk: Desk) -> web.StreamResponse:
    found = _period(desk, "Sổ tiếp công dân")
    if isinstance(found, web.StreamResponse):
        return found
    start, end = found
    data = await printing.reception_register(
        desk.session, desk.user.actor, desk.user.name, start, end, desk.now
    )
    return _download(f"Sổ tiếp công dân {start:%d-%m-%Y} đến {end:%d-%m-%Y}.docx", data)
