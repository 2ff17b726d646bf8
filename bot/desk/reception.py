"""The desk's Tiếp công dân (sessions, rosters, walk-ins) and Hạn báo cáo pages."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.desk.web import Desk, form_text, page, parse_day
from handlers import texts
from handlers.clock import VN_TZ
from handlers.desk import calendar as desk_calendar
from handlers.desk import deadlines as desk_deadlines
from handlers.desk import queue as desk_queue
from handlers.desk import reception as desk_reception
from knowledge.normalize import ascii_int


@page()
async def deadlines_page(desk: Desk) -> web.StreamResponse:
    return await deadlines_list(desk)


async def deadlines_list(
    desk: Desk, message: str = "", ok: bool = True, status: int = 200
) -> web.StreamResponse:
    rows = await desk_deadlines.rows(desk.session, desk.user.actor, desk.today)
    return desk.render(
        "deadlines.html",
        status=status,
        rows=rows,
        plan=await desk_deadlines.plan(desk.session, desk.user.actor, desk.today),
        message=message,
        ok=ok,
        today=desk.today,
    )


@page()
async def deadline_done(desk: Desk) -> web.StreamResponse:
    form = await desk.request.post()
    deadline_id = ascii_int(desk.request.match_info["id"])
    nominal = parse_day(form_text(form, "ngay", 20))
    # Whose deadline it is comes first: another unit's id is refused (and audited) whatever
    # the rest of the form says.
    if deadline_id is None or not await desk_deadlines.visible(
        desk.session, desk.user.actor, deadline_id, desk.now
    ):
        return desk.render("forbidden.html", status=403)
    if nominal is None:
        return await deadlines_list(desk, texts.DESK_DEADLINE_BAD_BUTTON, ok=False, status=400)
    marked = await desk_deadlines.mark_done(
        desk.session, desk.user.actor, deadline_id, nominal, desk.now
    )
    if marked is None:
        return desk.render("forbidden.html", status=403)
    done, message = marked
    return await deadlines_list(desk, message, ok=done, status=200 if done else 409)


@page()
async def reception_page(desk: Desk) -> web.StreamResponse:
    rows = await desk_reception.sessions(desk.session, desk.user.actor, desk.now)
    return desk.render("reception.html", rows=rows, today=desk.today)


async def roster_response(
    desk: Desk,
    item: Any,
    message: str = "",
    ok: bool = True,
    status: int = 200,
    move: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> web.StreamResponse:
    """A session's roster; ``move`` and ``errors``: the move form as typed, and what is wrong."""
    row, bookings = await desk_reception.roster(desk.session, desk.user.actor, item, desk.now)
    staff = await desk_calendar.staff_choices(desk.session, {row.unit_id})
    return desk.render(
        "roster.html",
        status=status,
        item=row,
        bookings=bookings,
        message=message,
        ok=ok,
        can_mark=desk_reception.may_record(item, desk.now),
        staff=staff.get(row.unit_id, []),
        move=move or {"gio": f"{row.starts.astimezone(VN_TZ):%H:%M}"},
        errors=errors or {},
        today=desk.today,
    )


async def session_of(desk: Desk) -> Any:
    """The reception session the address names, if it is in the official's scope."""
    number = ascii_int(desk.request.match_info["id"])
    if number is None:
        return None
    return await desk_reception.find(desk.session, desk.user.actor, number, desk.now)


@page()
async def roster_page(desk: Desk) -> web.StreamResponse:
    item = await session_of(desk)
    if item is None:
        return desk.render("forbidden.html", status=403)
    return await roster_response(desk, item)


@page()
async def booking_step(desk: Desk) -> web.StreamResponse:
    number = ascii_int(desk.request.match_info["id"])
    item = None
    if number is not None:
        item = await desk_reception.booking_session(desk.session, desk.user.actor, number, desk.now)
    if item is None or number is None:
        return desk.render("forbidden.html", status=403)
    form = await desk.request.post()
    done, message = await desk_reception.mark(
        desk.session,
        desk.user.actor,
        number,
        form_text(form, "viec", 16),
        form_text(form, "ket_qua"),
        desk.now,
    )
    return await roster_response(desk, item, message, ok=done, status=200 if done else 409)


@page()
async def session_cancel(desk: Desk) -> web.StreamResponse:
    item = await session_of(desk)
    if item is None:
        return desk.render("forbidden.html", status=403)
    form = await desk.request.post()
    typed = form_text(form, "ly_do", 300)
    reason = desk_calendar.stated_reason(typed)
    if form_text(form, "xac_nhan", 4) != "1" or reason is None:
        # The first press asks for the reason and a confirmation; a missing reason asks again.
        asked = form_text(form, "xac_nhan", 4) == "1"
        row, _ = await desk_reception.roster(desk.session, desk.user.actor, item, desk.now)
        errors = {"ly_do": texts.CAL_BAD_REASON} if asked else {}
        return desk.render(
            "cancel_session.html",
            status=400 if asked else 200,
            item=row,
            typed=typed,
            errors=errors,
        )
    done, message = await desk_calendar.cancel(
        desk.session, desk.user.actor, item, reason, desk.now
    )
    rows = await desk_reception.sessions(desk.session, desk.user.actor, desk.now)
    return desk.render(
        "reception.html",
        status=200 if done else 409,
        rows=rows,
        today=desk.today,
        message=message,
        ok=done,
    )


WALK_IN_FIELDS = (
    "ngay",
    "don_vi",
    "hinh_thuc",
    "ten",
    "dien_thoai",
    "dia_chi",
    "loai",
    "noi_dung",
    "so_nguoi",
)


async def _walk_in_form(
    desk: Desk, typed: dict[str, str], errors: dict[str, str] | None = None, status: int = 200
) -> web.StreamResponse:
    choices = await desk_queue.choices(desk.session, desk.user.actor)
    return desk.render(
        "walk_in.html",
        status=status,
        typed=typed,
        units=choices.units,
        kinds=texts.RECEPTION_KINDS,
        matters=texts.MATTER_KINDS,
        today=desk.today,
        errors=errors or {},
    )


@page()
async def walk_in_page(desk: Desk) -> web.StreamResponse:
    choices = await desk_queue.choices(desk.session, desk.user.actor)
    first = str(choices.units[0][0]) if choices.units else ""
    typed = {"ngay": desk.today.isoformat(), "so_nguoi": "1", "don_vi": first}
    return await _walk_in_form(desk, typed)


@page()
async def walk_in_post(desk: Desk) -> web.StreamResponse:
    form = await desk.request.post()
    typed = {name: form_text(form, name) for name in WALK_IN_FIELDS}
    if form_text(form, "sua", 4) == "1":
        return await _walk_in_form(desk, typed)
    walk_in = desk_reception.walk_in_from(typed, desk.today)
    problems = await desk_reception.check_walk_in(
        desk.session, desk.user.actor, walk_in, desk.today
    )
    if problems:
        return await _walk_in_form(desk, typed, problems, status=400)
    if form_text(form, "xac_nhan", 4) != "1":
        units = dict((await desk_queue.choices(desk.session, desk.user.actor)).units)
        return desk.render(
            "walk_in_check.html",
            typed=typed,
            walk_in=walk_in,
            unit=units.get(walk_in.unit_id, ""),
            kind=texts.RECEPTION_KINDS[walk_in.kind],
            matter=texts.MATTER_KINDS[walk_in.matter],
        )
    booking, message = await desk_reception.save_walk_in(
        desk.session, desk.user.actor, walk_in, desk.now
    )
    rows = await desk_reception.sessions(desk.session, desk.user.actor, desk.now)
    return desk.render(
        "reception.html",
        status=200 if booking else 400,
        rows=rows,
        today=desk.today,
        message=message,
        ok=booking is not None,
        walk_in=booking,
    )
