"""The desk's Hạn báo cáo forms: add, edit and delete a deadline, take back "đã nộp", and
upload a plan file (the list and "Đánh dấu đã nộp" are in reception.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot import import_files
from bot.desk.reception import deadlines_list
from bot.desk.web import HEADERS, MAX_UPLOAD, Desk, form_text, page, parse_day, uploaded
from handlers import texts
from handlers.deadlines.rules import when_words
from handlers.desk import deadline_forms
from handlers.desk import deadlines as desk_deadlines
from handlers.desk import queue as desk_queue
from handlers.file_problems import FileProblem
from knowledge.normalize import ascii_int

# A commune's yearly plan holds a few dozen deadlines; anything longer is a mistake or an attack.
MAX_PLAN_ROWS = 1000
MONTHS_OF_QUARTER = {
    "1": "Tháng đầu quý (tháng 1, 4, 7, 10)",
    "2": "Tháng giữa quý (tháng 2, 5, 8, 11)",
    "3": "Tháng cuối quý (tháng 3, 6, 9, 12)",
}


async def _form(
    desk: Desk,
    typed: dict[str, str],
    deadline: Any = None,
    message: str = "",
    status: int = 200,
) -> web.StreamResponse:
    units = (await desk_queue.choices(desk.session, desk.user.actor)).units
    return desk.render(
        "deadline_form.html",
        status=status,
        typed=typed,
        deadline=deadline,
        current=when_words(deadline) if deadline is not None else "",
        units=units,
        kinds=deadline_forms.KINDS,
        keep=deadline_forms.KEEP,
        quarter_months=MONTHS_OF_QUARTER,
        half_months=deadline_forms.HALF_MONTHS,
        day_off=texts.DAY_OFF_RULE_NAMES,
        today=desk.today,
        message=message,
    )


def _typed(form: Any) -> dict[str, str]:
    return {name: form_text(form, name, 400) for name in deadline_forms.FIELDS}


@page()
async def deadline_new_page(desk: Desk) -> web.StreamResponse:
    units = (await desk_queue.choices(desk.session, desk.user.actor)).units
    return await _form(desk, deadline_forms.blank_form(units[0][0] if units else None))


@page()
async def deadline_add(desk: Desk) -> web.StreamResponse:
    typed = _typed(await desk.request.post())
    done, message = await deadline_forms.add(desk.session, desk.user.actor, typed, desk.now)
    if not done:
        return await _form(desk, typed, message=message, status=400)
    return await deadlines_list(desk, message)


async def _deadline_of(desk: Desk) -> Any:
    """The deadline the address names, if it is one of the official's units' (else audited)."""
    number = ascii_int(desk.request.match_info["id"])
    if number is None:
        return None
    return await desk_deadlines.in_scope(desk.session, desk.user.actor, number, desk.now)


@page()
async def deadline_edit_page(desk: Desk) -> web.StreamResponse:
    deadline = await _deadline_of(desk)
    if deadline is None:
        return desk.render("forbidden.html", status=403)
    return await _form(desk, deadline_forms.form_of(deadline), deadline)


@page()
async def deadline_save(desk: Desk) -> web.StreamResponse:
    deadline = await _deadline_of(desk)
    if deadline is None:
        return desk.render("forbidden.html", status=403)
    typed = _typed(await desk.request.post())
    done, message = await deadline_forms.update(
        desk.session, desk.user.actor, deadline, typed, desk.now
    )
    if not done:
        return await _form(desk, typed, deadline, message, status=400)
    return await deadlines_list(desk, message)


@page()
async def deadline_delete(desk: Desk) -> web.StreamResponse:
    deadline = await _deadline_of(desk)
    if deadline is None:
        return desk.render("forbidden.html", status=403)
    form = await desk.request.post()
    if form_text(form, "xac_nhan", 4) != "1":
        return desk.render("deadline_delete.html", deadline=deadline, when=when_words(deadline))
    message = await deadline_forms.remove(desk.session, desk.user.actor, deadline, desk.now)
    return await deadlines_list(desk, message)


@page()
async def deadline_undo(desk: Desk) -> web.StreamResponse:
    deadline = await _deadline_of(desk)
    if deadline is None:
        return desk.render("forbidden.html", status=403)
    nominal = parse_day(form_text(await desk.request.post(), "ngay", 20))
    if nominal is None:
        return await deadlines_list(desk, texts.DESK_DEADLINE_BAD_BUTTON, ok=False, status=400)
    done, message = await desk_deadlines.undo_done(
        desk.session, desk.user.actor, deadline, nominal, desk.now
    )
    return await deadlines_list(desk, message, ok=done, status=200 if done else 409)


def _import_page(
    desk: Desk,
    message: str = "",
    problems: tuple[str, ...] = (),
    ok: bool = True,
    status: int = 200,
) -> web.StreamResponse:
    return desk.render(
        "deadline_import.html",
        status=status,
        message=message,
        problems=problems,
        ok=ok,
        columns=texts.PLAN_COLUMNS,
    )


@page()
async def deadline_import_page(desk: Desk) -> web.StreamResponse:
    return _import_page(desk)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@page()
async def deadline_sample(desk: Desk) -> web.StreamResponse:
    """A plan workbook to fill in, with the official's first unit in its sample rows."""
    units = (await desk_queue.choices(desk.session, desk.user.actor)).units
    body = deadline_forms.plan_sample(units[0][1] if units else "", desk.today)
    response = web.Response(
        body=body,
        content_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="ke-hoach-han-bao-cao-mau.xlsx"'},
    )
    response.headers.update(HEADERS)
    return response


@page(upload=True)
async def deadline_import(desk: Desk) -> web.StreamResponse:
    sent = uploaded(await desk.request.post())
    if sent is None:
        return _import_page(desk, texts.DESK_NO_FILE, ok=False, status=400)
    path, raw = sent
    try:
        if len(raw) > MAX_UPLOAD:
            raise FileProblem(texts.DESK_FILE_TOO_BIG.format(name=path))
        # Parsed off the event loop: a workbook takes seconds to read, and the whole app
        # (citizens' chat included) would wait for it.
        data = await asyncio.to_thread(import_files.load_bytes, raw, path, MAX_PLAN_ROWS)
        rows, _ = import_files.table(
            data,
            path,
            "deadlines",
            bare_list=True,
            list_columns=("lead_days",),
        )
    except FileProblem as problem:
        return _import_page(desk, str(problem), ok=False, status=400)
    report = await deadline_forms.import_rows(desk.session, desk.user.actor, rows, desk.now)
    message = texts.DESK_DEADLINE_IMPORTED.format(added=report.added, updated=report.updated)
    if report.problems:
        refused = texts.DESK_DEADLINE_IMPORT_REFUSED.format(count=len(report.problems))
        return _import_page(desk, f"{message} {refused}", report.problems, ok=False)
    return await deadlines_list(desk, message)
