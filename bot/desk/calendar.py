"""The desk's reception calendar pages (schedules, one-offs, moving a session, receivers) and
"Tạo đơn từ lượt tiếp"; the behaviour is in handlers/desk/calendar.py and intake.py."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.desk.reception import roster_response, session_of
from bot.desk.web import Desk, form_text, page
from handlers import texts
from handlers.desk import calendar as desk_calendar
from handlers.desk import intake
from handlers.desk import queue as desk_queue
from handlers.desk import reception as desk_reception
from handlers.petitions.filing import FIRST_STEP
from handlers.reception.schedule import WEEKDAY_NAMES
from knowledge.normalize import ascii_int

PLAN_FIELDS = (
    "don_vi",
    "hinh_thuc",
    "ngay",
    "bat_dau",
    "ket_thuc",
    "dia_diem",
    "chu_tri",
    "nguoi_tiep",
    "so_cho",
)
INTAKE_FIELDS = ("loai", "ten", "dien_thoai", "dia_chi", "noi_dung", "bi_to_cao")


async def _calendar(
    desk: Desk, message: str = "", ok: bool = True, status: int = 200
) -> web.StreamResponse:
    rows = await desk_calendar.schedules(desk.session, desk.user.actor)
    staff = await desk_calendar.staff_choices(desk.session, {row.unit_id for row in rows})
    return desk.render(
        "calendar.html", status=status, rows=rows, staff=staff, message=message, ok=ok
    )


@page()
async def calendar_page(desk: Desk) -> web.StreamResponse:
    return await _calendar(desk)


async def _plan_form(
    desk: Desk,
    one_off: bool,
    typed: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> web.StreamResponse:
    units = (await desk_queue.choices(desk.session, desk.user.actor)).units
    staff = await desk_calendar.staff_choices(desk.session, {uid for uid, _ in units})
    return desk.render(
        "plan.html",
        status=status,
        one_off=one_off,
        typed=typed,
        errors=errors or {},
        units=units,
        staff=staff,
        kinds=texts.RECEPTION_KINDS,
        weekdays=list(enumerate(WEEKDAY_NAMES)),
        today=desk.today,
    )


async def _new_plan(desk: Desk, one_off: bool) -> web.StreamResponse:
    units = (await desk_queue.choices(desk.session, desk.user.actor)).units
    typed: dict[str, Any] = {
        "don_vi": str(units[0][0]) if units else "",
        "hinh_thuc": "dinh_ky" if not one_off else "dot_xuat",
        "bat_dau": "07:30",
        "ket_thuc": "11:00",
        "so_cho": "20",
        "thu": [],
    }
    return await _plan_form(desk, one_off, typed)


@page()
async def schedule_form(desk: Desk) -> web.StreamResponse:
    return await _new_plan(desk, one_off=False)


@page()
async def one_off_form(desk: Desk) -> web.StreamResponse:
    return await _new_plan(desk, one_off=True)


async def _plan_post(desk: Desk, one_off: bool) -> web.StreamResponse:
    form = await desk.request.post()
    typed: dict[str, Any] = {name: form_text(form, name, 300) for name in PLAN_FIELDS}
    typed["thu"] = [str(v)[:2] for v in form.getall("thu", []) if isinstance(v, str)][:7]
    if form_text(form, "sua", 4) == "1":
        return await _plan_form(desk, one_off, typed)
    plan = desk_calendar.plan_from(typed, typed["thu"], one_off)
    errors = await desk_calendar.check(desk.session, desk.user.actor, plan, desk.now)
    if errors:
        return await _plan_form(desk, one_off, typed, errors, status=400)
    if form_text(form, "xac_nhan", 4) != "1":
        units = dict((await desk_queue.choices(desk.session, desk.user.actor)).units)
        return desk.render(
            "plan_check.html",
            one_off=one_off,
            typed=typed,
            plan=plan,
            unit=units.get(plan.unit_id, ""),
            kind=texts.RECEPTION_KINDS[plan.kind],
            days=", ".join(WEEKDAY_NAMES[day] for day in plan.weekdays),
            receiver=await desk_calendar.receiver_name(desk.session, plan.receiver_id),
        )
    message = await desk_calendar.save(desk.session, desk.user.actor, plan, desk.now)
    if one_off:
        rows = await desk_reception.sessions(desk.session, desk.user.actor, desk.now)
        return desk.render("reception.html", rows=rows, today=desk.today, message=message, ok=True)
    return await _calendar(desk, message)


@page()
async def schedule_post(desk: Desk) -> web.StreamResponse:
    return await _plan_post(desk, one_off=False)


@page()
async def one_off_post(desk: Desk) -> web.StreamResponse:
    return await _plan_post(desk, one_off=True)


def _person(form: Any) -> int | None:
    return ascii_int(form_text(form, "nguoi_tiep", 20))


@page()
async def schedule_receiver(desk: Desk) -> web.StreamResponse:
    number = ascii_int(desk.request.match_info["id"])
    item = None
    if number is not None:
        item = await desk_calendar.find_schedule(desk.session, desk.user.actor, number, desk.now)
    if item is None:
        return desk.render("forbidden.html", status=403)
    person = _person(await desk.request.post())
    if person is None:
        return await _calendar(desk, texts.CAL_BAD_RECEIVER, ok=False, status=400)
    done, message = await desk_calendar.set_schedule_receiver(
        desk.session, desk.user.actor, item, person, desk.now
    )
    return await _calendar(desk, message, ok=done, status=200 if done else 409)


@page()
async def session_receiver(desk: Desk) -> web.StreamResponse:
    item = await session_of(desk)
    if item is None:
        return desk.render("forbidden.html", status=403)
    form = await desk.request.post()
    person = _person(form)
    if not form_text(form, "nguoi_tiep", 20).strip():
        done, message = await desk_calendar.clear_session_receiver(
            desk.session, desk.user.actor, item, desk.now
        )
        return await roster_response(desk, item, message, ok=done, status=200 if done else 409)
    if person is None:
        return await roster_response(desk, item, texts.CAL_BAD_RECEIVER, ok=False, status=400)
    done, message = await desk_calendar.set_session_receiver(
        desk.session, desk.user.actor, item, person, desk.now
    )
    return await roster_response(desk, item, message, ok=done, status=200 if done else 409)


@page()
async def session_move(desk: Desk) -> web.StreamResponse:
    item = await session_of(desk)
    if item is None:
        return desk.render("forbidden.html", status=403)
    form = await desk.request.post()
    typed = {name: form_text(form, name, 300) for name in ("ngay", "gio", "ly_do")}
    starts, errors = desk_calendar.new_start(
        item, typed["ngay"], typed["gio"], typed["ly_do"], desk.now
    )
    if errors or starts is None:
        return await roster_response(
            desk, item, texts.CAL_NOT_MOVED, ok=False, status=400, move=typed, errors=errors
        )
    reason = desk_calendar.stated_reason(typed["ly_do"]) or ""
    if form_text(form, "xac_nhan", 4) != "1":
        row, _ = await desk_reception.roster(desk.session, desk.user.actor, item, desk.now)
        return desk.render(
            "move_session.html",
            item=row,
            typed=typed,
            reason=reason,
            was=desk_calendar.span(item.starts_at, item.ends_at),
            becomes=desk_calendar.span(starts, starts + (item.ends_at - item.starts_at)),
            warning=desk_calendar.day_off_warning(starts.date()),
        )
    done, message = await desk_calendar.move(
        desk.session, desk.user.actor, item, starts, reason, desk.now
    )
    return await roster_response(desk, item, message, ok=done, status=200 if done else 409)


async def _reception(desk: Desk) -> Any:
    number = ascii_int(desk.request.match_info["id"])
    if number is None:
        return None
    return await intake.reception_of(desk.session, desk.user.actor, number, desk.now)


async def _intake_form(
    desk: Desk,
    found: Any,
    typed: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> web.StreamResponse:
    booking, item = found
    row, _ = await desk_reception.roster(desk.session, desk.user.actor, item, desk.now)
    petition = await intake.existing(desk.session, booking)
    return desk.render(
        "intake.html",
        status=status,
        booking=booking,
        item=row,
        typed=typed,
        errors=errors,
        kinds={key: texts.PETITION_KIND_NAMES[key] for key in FIRST_STEP},
        petition=petition,
    )


@page()
async def intake_page(desk: Desk) -> web.StreamResponse:
    found = await _reception(desk)
    if found is None:
        return desk.render("forbidden.html", status=403)
    booking, item = found
    draft = intake.draft_of(booking)
    values = (draft.kind, draft.name, draft.phone, draft.address, draft.summary, draft.accused)
    typed = dict(zip(INTAKE_FIELDS, values, strict=True))
    # Only "not yet received" is said before the official has typed anything.
    problems = intake.problems(draft, booking, item, desk.now)
    errors: dict[str, str] = {"": problems[""]} if "" in problems else {}
    return await _intake_form(desk, found, typed, errors)


@page()
async def intake_post(desk: Desk) -> web.StreamResponse:
    found = await _reception(desk)
    if found is None:
        return desk.render("forbidden.html", status=403)
    booking, item = found
    form = await desk.request.post()
    typed = {name: form_text(form, name, 2000) for name in INTAKE_FIELDS}
    earlier = await intake.existing(desk.session, booking)
    if earlier is not None:
        refused: dict[str, str] = {"": texts.INTAKE_EXISTS.format(code=earlier.code)}
        return await _intake_form(desk, found, typed, refused, status=409)
    if form_text(form, "sua", 4) == "1":
        return await _intake_form(desk, found, typed, {})
    draft = intake.draft_from(typed)
    errors = intake.problems(draft, booking, item, desk.now)
    if errors:
        return await _intake_form(desk, found, typed, errors, status=400)
    if form_text(form, "xac_nhan", 4) != "1":
        return desk.render(
            "intake_check.html",
            booking=booking,
            typed=typed,
            draft=draft,
            kind=texts.PETITION_KIND_NAMES[draft.kind],
        )
    petition = await intake.create(desk.session, desk.user.actor, booking, item, draft, desk.now)
    due = f"{petition.due_date:%d/%m/%Y}" if petition.due_date else "—"
    message = texts.INTAKE_DONE.format(code=petition.code, booking=booking.code, due=due)
    return desk.render("intake_done.html", message=message, petition=petition, item=item)
