"""The desk's Báo cáo page, its chart and its files (the workbook and the document).

Reports, and the spreadsheet, document and plotting libraries behind them, load on the first
request here, not at start-up (tests/test_startup.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web

from bot.channels.web import RUNTIME
from bot.desk.web import Desk, page
from handlers import texts
from knowledge.normalize import ascii_int

if TYPE_CHECKING:
    from handlers.desk.reports import Asked
    from handlers.reports import Period, Report

FILE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
}


def _cutoff(desk: Desk) -> int | None:
    return desk.request.app[RUNTIME].settings.report_cutoff_day


async def _page(
    desk: Desk,
    asked: Asked,
    unit_id: int | None,
    period: Period | None,
    message: str = "",
    status: int = 200,
) -> web.StreamResponse:
    from handlers.desk import reports as desk_reports
    from handlers.reports import YEARS

    units = await desk_reports.units(desk.session, desk.user.actor)
    if not units:
        message, status = texts.DESK_REPORT_NO_UNIT, 403
    shown = None
    if unit_id is not None and period is not None and not message:
        shown = await desk_reports.shown(desk.session, unit_id, period, desk.today)
    return desk.render(
        "reports.html",
        status=status,
        asked=asked,
        kinds=desk_reports.KINDS,
        halves=desk_reports.HALVES,
        years=range(desk.today.year, YEARS.start - 1, -1),
        units=units,
        unit_id=unit_id,
        shown=shown,
        message=message,
    )


@page()
async def report_page(desk: Desk) -> web.StreamResponse:
    from handlers.desk import reports as desk_reports

    query = desk.request.query
    typed_unit = query.get("don_vi", "")
    unit_id = ascii_int(typed_unit) if typed_unit else None
    if typed_unit and unit_id is None:
        return desk.render("not_found.html", status=404)
    default = desk_reports.default_asked(desk.today)
    # Built from the parsed number: typed text (a NUL byte) never reaches the audit log.
    target = f"desk:GET /desk/bao-cao?don_vi={unit_id}"
    chosen = await desk_reports.unit_for(desk.session, desk.user.actor, unit_id, target, desk.now)
    if typed_unit and chosen is None:
        return desk.render("forbidden.html", status=403)
    asked = desk_reports.asked_from(query, desk.today)
    if isinstance(asked, str):
        return await _page(desk, default, chosen, None, asked, 400)
    period = desk_reports.period_of(asked, desk.today, _cutoff(desk))
    if isinstance(period, str):
        return await _page(desk, asked, chosen, None, period, 400)
    return await _page(desk, asked, chosen, period)


async def _report(desk: Desk) -> tuple[int, Period] | web.StreamResponse:
    """The unit and period of a file's address, in the desk's scope (else 403, audited)."""
    from handlers.desk import reports as desk_reports

    unit_id = ascii_int(desk.request.match_info["id"])
    if unit_id is None:
        return desk.render("not_found.html", status=404)
    target = f"desk:GET /desk/bao-cao/{unit_id}"
    if (
        await desk_reports.unit_for(desk.session, desk.user.actor, unit_id, target, desk.now)
        is None
    ):
        return desk.render("forbidden.html", status=403)
    period = desk_reports.period_from_span(desk.request.match_info["ky"], desk.today)
    if isinstance(period, str):
        default = desk_reports.default_asked(desk.today)
        return await _page(desk, default, unit_id, None, period, 400)
    return unit_id, period


async def _file(
    desk: Desk, extension: str, render: Callable[[Report], bytes]
) -> web.StreamResponse:
    from handlers.desk import reports as desk_reports
    from handlers.reports import build

    found = await _report(desk)
    if isinstance(found, web.StreamResponse):
        return found
    unit_id, period = found
    report = await build(desk.session, unit_id, period, desk.today)
    if extension != "png":
        desk_reports.record_download(
            desk.session, desk.user.actor, unit_id, period, extension, desk.now
        )
    # Drawing a workbook, a document or a chart is CPU work: off the event loop, which serves
    # everyone else.
    body = await asyncio.to_thread(render, report)
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if extension != "png":
        name = f"bao-cao-{desk_reports.span_of(period)}.{extension}"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return web.Response(body=body, content_type=FILE_TYPES[extension], headers=headers)


@page()
async def report_workbook(desk: Desk) -> web.StreamResponse:
    from handlers.report_files import workbook

    return await _file(desk, "xlsx", workbook)


@page()
async def report_document(desk: Desk) -> web.StreamResponse:
    from handlers.report_files import document

    return await _file(desk, "docx", document)


@page()
async def report_chart(desk: Desk) -> web.StreamResponse:
    from handlers.report_files import trend_png

    return await _file(desk, "png", trend_png)
