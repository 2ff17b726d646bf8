"""The desk's routes: signing in and out, the đơn queue and a case's page, people (admins)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aiohttp import web

from bot.channels.web import RUNTIME
from bot.desk.web import COOKIE, STATIC, Desk, form_text, page, render, set_cookie, setup
from bot.guard import ADDRESS, origin_digest, same_site
from handlers import access, texts
from handlers.desk import cases, login
from handlers.desk import deadlines as desk_deadlines
from handlers.desk import kb as desk_kb
from handlers.desk import queue as desk_queue
from handlers.desk import reception as desk_reception
from handlers.desk import users as desk_users
from handlers.petitions import received
from knowledge.normalize import ascii_int

HOME = "/desk/don"


async def login_page(request: web.Request) -> web.StreamResponse:
    """Opening a link shows a button and spends nothing (a preview or crawler may open it)."""
    token = request.query.get("t", "")
    return render(request, "login.html", token=token if login.plausible(token) else "")


async def login_post(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    if not same_site(request):
        # Another site's page posting a link it holds would sign this browser in as someone
        # else (login CSRF): the button must be pressed on our own page.
        return render(request, "login_failed.html", status=403)
    form = await request.post()
    token = form.get("t", "")
    origin = origin_digest(request[ADDRESS])
    async with runtime.sessions() as session, session.begin():
        cookie = await login.spend(
            session, token if isinstance(token, str) else "", runtime.clock.now(), origin
        )
    if cookie is None:
        return render(request, "login_failed.html", status=400)
    response = web.Response(status=303, headers={"Location": HOME})
    set_cookie(response, request, cookie)
    return response


@page()
async def logout(desk: Desk) -> web.StreamResponse:
    await login.logout(desk.session, desk.cookie, desk.user, desk.now)
    response = render(desk.request, "logged_out.html")
    response.del_cookie(COOKIE, path="/desk")
    return response


async def home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther(HOME)


def _filters(query: Any) -> desk_queue.Filters:
    def text(name: str, limit: int = 100) -> str:
        value = query.get(name, "")
        return value[:limit] if isinstance(value, str) else ""

    return desk_queue.Filters(
        status=text("trang_thai") or desk_queue.OPEN,
        kind=text("loai"),
        due=text("han"),
        handler=text("nguoi_xu_ly"),
        unit=ascii_int(text("don_vi")) if text("don_vi") else None,
        q=text("tim"),
    )


@page()
async def petition_queue(desk: Desk) -> web.StreamResponse:
    filters = _filters(desk.request.query)
    rows = await desk_queue.rows(desk.session, desk.user.actor, filters, desk.today)
    choices = await desk_queue.choices(desk.session, desk.user.actor)
    return desk.render(
        "queue.html",
        rows=rows,
        filters=filters,
        choices=choices,
        due_choices=desk_queue.DUE_CHOICES,
        limit=desk_queue.MAX_ROWS,
        today=desk.today,
    )


async def _case_or_refusal(desk: Desk) -> Any:
    number = ascii_int(desk.request.match_info["id"])
    petition = None
    if number is not None:
        petition = await cases.find(desk.session, desk.user.actor, number, desk.now)
    else:
        access.record_denied(desk.session, desk.user.actor, "desk:don:?", desk.now)
    if petition is None:
        return desk.render("forbidden.html", status=403)
    return petition


async def _show(
    desk: Desk, petition: Any, message: str = "", ok: bool = True, status: int = 200
) -> web.StreamResponse:
    view = await cases.view(desk.session, desk.user.actor, petition, desk.now)
    return desk.render(
        "case.html",
        status=status,
        case=view,
        message=message,
        ok=ok,
        today=desk.today,
    )


@page()
async def case_page(desk: Desk) -> web.StreamResponse:
    petition = await _case_or_refusal(desk)
    if isinstance(petition, web.StreamResponse):
        return petition
    return await _show(desk, petition)


@page()
async def case_step(desk: Desk) -> web.StreamResponse:
    petition = await _case_or_refusal(desk)
    if isinstance(petition, web.StreamResponse):
        return petition
    form = await desk.request.post()
    action = form_text(form, "buoc", 32)
    note = form_text(form, "ghi_chu")
    view = await cases.view(desk.session, desk.user.actor, petition, desk.now)
    chosen = next((s for s in view.steps if s.key == action), None)
    if action != "take" and chosen is None:
        return await _show(desk, petition, texts.PT_NOT_ALLOWED, ok=False, status=409)
    if chosen is not None and chosen.prompt and not " ".join(note.split()):
        return await _show(desk, petition, chosen.prompt, ok=False, status=400)
    if chosen is not None and chosen.confirm and form_text(form, "xac_nhan", 4) != "1":
        return desk.render("confirm.html", case=view, step=chosen, note=note)
    done, message = await cases.step(
        desk.session, desk.user.actor, petition, action, note, desk.now
    )
    return await _show(desk, petition, message, ok=done, status=200 if done else 409)


@page()
async def case_assign(desk: Desk) -> web.StreamResponse:
    petition = await _case_or_refusal(desk)
    if isinstance(petition, web.StreamResponse):
        return petition
    form = await desk.request.post()
    assignee = ascii_int(form_text(form, "nguoi", 12))
    if assignee is None:
        return await _show(desk, petition, texts.STALE_BUTTON, ok=False, status=400)
    done, message = await cases.assign(
        desk.session, desk.user.actor, petition, assignee, form_text(form, "ly_do", 500), desk.now
    )
    return await _show(desk, petition, message, ok=done, status=200 if done else 409)


@page()
async def case_received(desk: Desk) -> web.StreamResponse:
    petition = await _case_or_refusal(desk)
    if isinstance(petition, web.StreamResponse):
        return petition
    form = await desk.request.post()
    day = _parse_day(form_text(form, "ngay", 20))
    if day is None:
        return await _show(desk, petition, BAD_DAY, ok=False, status=400)
    done, message = await received.set_received(
        desk.session, desk.user.actor, petition, day, form_text(form, "ly_do", 500), desk.now
    )
    return await _show(desk, petition, message, ok=done, status=200 if done else 409)


BAD_DAY = "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 05/11/2026."


def _parse_day(typed: str) -> date | None:
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(typed.strip(), shape).date()
        except ValueError:
            continue
    return None


@page()
async def case_reveal(desk: Desk) -> web.StreamResponse:
    petition = await _case_or_refusal(desk)
    if isinstance(petition, web.StreamResponse):
        return petition
    form = await desk.request.post()
    done, message = await cases.reveal(
        desk.session, desk.user.actor, petition, form_text(form, "ly_do", 500), desk.now
    )
    return await _show(desk, petition, message, ok=done, status=200 if done else 409)


@page()
async def case_accused(desk: Desk) -> web.StreamResponse:
    petition = await _case_or_refusal(desk)
    if isinstance(petition, web.StreamResponse):
        return petition
    form = await desk.request.post()
    person = ascii_int(form_text(form, "nguoi", 12))
    if person is None:
        return await _show(desk, petition, texts.STALE_BUTTON, ok=False, status=400)
    done, message = await cases.mark_accused(
        desk.session, desk.user.actor, petition, person, desk.now
    )
    return await _show(desk, petition, message, ok=done, status=200 if done else 409)


@page()
async def deadlines_page(desk: Desk) -> web.StreamResponse:
    return await _deadlines(desk)


async def _deadlines(
    desk: Desk, message: str = "", ok: bool = True, status: int = 200
) -> web.StreamResponse:
    rows = await desk_deadlines.rows(desk.session, desk.user.actor, desk.today)
    return desk.render(
        "deadlines.html", status=status, rows=rows, message=message, ok=ok, today=desk.today
    )


@page()
async def deadline_done(desk: Desk) -> web.StreamResponse:
    form = await desk.request.post()
    deadline_id = ascii_int(desk.request.match_info["id"])
    nominal = _parse_day(form_text(form, "ngay", 20))
    if deadline_id is None or nominal is None:
        return await _deadlines(desk, texts.STALE_BUTTON, ok=False, status=400)
    marked = await desk_deadlines.mark_done(
        desk.session, desk.user.actor, deadline_id, nominal, desk.now
    )
    if marked is None:
        return desk.render("forbidden.html", status=403)
    done, message = marked
    return await _deadlines(desk, message, ok=done, status=200 if done else 409)


@page()
async def reception_page(desk: Desk) -> web.StreamResponse:
    rows = await desk_reception.sessions(desk.session, desk.user.actor, desk.now)
    return desk.render("reception.html", rows=rows, today=desk.today)


async def _roster(
    desk: Desk, item: Any, message: str = "", ok: bool = True, status: int = 200
) -> web.StreamResponse:
    row, bookings = await desk_reception.roster(desk.session, desk.user.actor, item, desk.now)
    return desk.render(
        "roster.html", status=status, item=row, bookings=bookings, message=message, ok=ok
    )


@page()
async def roster_page(desk: Desk) -> web.StreamResponse:
    number = ascii_int(desk.request.match_info["id"])
    item = None
    if number is not None:
        item = await desk_reception.find(desk.session, desk.user.actor, number, desk.now)
    if item is None:
        return desk.render("forbidden.html", status=403)
    return await _roster(desk, item)


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
    return await _roster(desk, item, message, ok=done, status=200 if done else 409)


@page()
async def session_cancel(desk: Desk) -> web.StreamResponse:
    number = ascii_int(desk.request.match_info["id"])
    item = None
    if number is not None:
        item = await desk_reception.find(desk.session, desk.user.actor, number, desk.now)
    if item is None:
        return desk.render("forbidden.html", status=403)
    form = await desk.request.post()
    if form_text(form, "xac_nhan", 4) != "1":
        row, _ = await desk_reception.roster(desk.session, desk.user.actor, item, desk.now)
        return desk.render("cancel_session.html", item=row)
    done, message = await desk_reception.cancel(desk.session, desk.user.actor, item, desk.now)
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
    desk: Desk, typed: dict[str, str], message: str = "", status: int = 200
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
        message=message,
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
        return await _walk_in_form(desk, typed, " ".join(problems), status=400)
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
    done, message = await desk_reception.save_walk_in(
        desk.session, desk.user.actor, walk_in, desk.now
    )
    rows = await desk_reception.sessions(desk.session, desk.user.actor, desk.now)
    return desk.render(
        "reception.html",
        status=200 if done else 400,
        rows=rows,
        today=desk.today,
        message=message,
        ok=done,
    )


@page(admin=True)
async def kb_page(desk: Desk) -> web.StreamResponse:
    return await _kb_list(desk)


async def _kb_list(desk: Desk, message: str = "") -> web.StreamResponse:
    typed = desk.request.query.get("tim", "")[:100]
    return desk.render(
        "kb.html",
        entries=await desk_kb.entries(desk.session, typed),
        gaps=await desk_kb.gaps(desk.session),
        typed=typed,
        statuses=desk_kb.STATUS_WORDS,
        message=message,
    )


async def _kb_entry(
    desk: Desk,
    entry: Any,
    form: dict[str, str] | None = None,
    message: str = "",
    ok: bool = True,
    status: int = 200,
) -> web.StreamResponse:
    return desk.render(
        "kb_entry.html",
        status=status,
        entry=entry,
        form=form or desk_kb.form_of(entry),
        history=await desk_kb.history(desk.session, entry.id),
        statuses=desk_kb.STATUS_WORDS,
        limit=desk_kb.LIMIT,
        source_shape=desk_kb.SOURCE_SHAPE,
        message=message,
        ok=ok,
    )


@page(admin=True)
async def kb_entry_page(desk: Desk) -> web.StreamResponse:
    entry = await desk_kb.entry(desk.session, desk.request.match_info["id"])
    if entry is None:
        raise web.HTTPNotFound()
    return await _kb_entry(desk, entry)


@page(admin=True)
async def kb_entry_save(desk: Desk) -> web.StreamResponse:
    entry = await desk_kb.entry(desk.session, desk.request.match_info["id"])
    if entry is None:
        raise web.HTTPNotFound()
    posted = await desk.request.post()
    form = {name: form_text(posted, name, 5000) for name in desk_kb.form_of(entry)}
    saved, message = await desk_kb.save(
        desk.session, entry.id, form, desk.user.actor.label, desk.now
    )
    if saved is None:
        return await _kb_entry(desk, entry, form, message, ok=False, status=400)
    return await _kb_entry(desk, saved, None, message)


@page(admin=True)
async def kb_entry_revert(desk: Desk) -> web.StreamResponse:
    entry = await desk_kb.entry(desk.session, desk.request.match_info["id"])
    if entry is None:
        raise web.HTTPNotFound()
    posted = await desk.request.post()
    revision = ascii_int(form_text(posted, "ban", 12)) or 0
    done, message = await desk_kb.revert(
        desk.session, entry.id, revision, desk.user.actor.label, desk.now
    )
    fresh = await desk_kb.entry(desk.session, entry.id)
    return await _kb_entry(desk, fresh, None, message, ok=done, status=200 if done else 409)


@page(admin=True)
async def kb_gap_dismiss(desk: Desk) -> web.StreamResponse:
    number = ascii_int(desk.request.match_info["id"])
    if number is not None:
        await desk_kb.dismiss_gap(desk.session, desk.user.actor, number, desk.now)
    return await _kb_list(desk, "Đã bỏ câu hỏi khỏi danh sách chưa có câu trả lời.")


async def _users(
    desk: Desk, message: str = "", ok: bool = True, status: int = 200
) -> web.StreamResponse:
    units = await desk_queue.choices(desk.session, desk.user.actor)
    return desk.render(
        "users.html",
        status=status,
        staff=await desk_users.staff(desk.session, desk.user.actor),
        units=units.units,
        message=message,
        ok=ok,
    )


@page(admin=True)
async def users_page(desk: Desk) -> web.StreamResponse:
    return await _users(desk)


@page(admin=True)
async def user_rename(desk: Desk) -> web.StreamResponse:
    person_id = ascii_int(desk.request.match_info["id"])
    form = await desk.request.post()
    name = access.clean_name(form_text(form, "ten", 300))
    if person_id is None or person_id not in await desk_users.in_scope_staff(
        desk.session, desk.user.actor
    ):
        access.record_denied(desk.session, desk.user.actor, "desk:rename", desk.now)
        return desk.render("forbidden.html", status=403)
    if name is None:
        return await _users(desk, BAD_NAME, ok=False, status=400)
    await access.rename(desk.session, person_id, name, desk.now, desk.user.actor.label)
    return await _users(desk, RENAMED.format(name=name))


@page(admin=True)
async def user_invite(desk: Desk) -> web.StreamResponse:
    form = await desk.request.post()
    unit = ascii_int(form_text(form, "don_vi", 12))
    done, message = await desk_users.invite(
        desk.session,
        desk.user.actor,
        form_text(form, "vai_tro", 16),
        unit,
        form_text(form, "ten", 300),
        desk.now,
    )
    return await _users(desk, message, ok=done, status=200 if done else 400)


@page(admin=True)
async def user_revoke(desk: Desk) -> web.StreamResponse:
    grant_id = ascii_int(desk.request.match_info["id"])
    form = await desk.request.post()
    if grant_id is None:
        return desk.render("forbidden.html", status=403)
    if form_text(form, "xac_nhan", 4) != "1":
        rows = await desk_users.staff(desk.session, desk.user.actor)
        found = [(row, g) for row in rows for g in row.grants if g.id == grant_id]
        if not found:
            access.record_denied(desk.session, desk.user.actor, f"desk:grant:{grant_id}", desk.now)
            return desk.render("forbidden.html", status=403)
        row, grant = found[0]
        return desk.render("revoke.html", person=row, grant=grant)
    revoked = await desk_users.revoke(desk.session, desk.user.actor, grant_id, desk.now)
    if revoked is None:
        return desk.render("forbidden.html", status=403)
    done, message = revoked
    return await _users(desk, message, ok=done, status=200 if done else 409)


@page(admin=True)
async def audit_page(desk: Desk) -> web.StreamResponse:
    query = desk.request.query
    family = query.get("loai", "")[:20]
    person = ascii_int(query.get("nguoi", "")[:12]) if query.get("nguoi") else None
    since = _parse_day(query.get("tu", "")[:20]) if query.get("tu") else None
    until = _parse_day(query.get("den", "")[:20]) if query.get("den") else None
    lines = await desk_users.audit_log(desk.session, desk.user.actor, family, person, since, until)
    return desk.render(
        "audit.html",
        lines=lines,
        families=desk_users.ACTION_FAMILIES,
        staff=await desk_users.staff(desk.session, desk.user.actor),
        chosen={"loai": family, "nguoi": person, "tu": since, "den": until},
    )


BAD_NAME = "Họ tên phải có từ 2 đến 200 ký tự."
RENAMED = "Đã đổi tên thành {name}."

# Every desk route, for the role matrix test (method, path pattern, admin only).
ROUTES: list[tuple[str, str, Any, bool]] = [
    ("GET", "/desk/don", petition_queue, False),
    ("GET", "/desk/don/{id}", case_page, False),
    ("POST", "/desk/don/{id}/buoc", case_step, False),
    ("POST", "/desk/don/{id}/giao", case_assign, False),
    ("POST", "/desk/don/{id}/ngay-nhan", case_received, False),
    ("POST", "/desk/don/{id}/danh-tinh", case_reveal, False),
    ("POST", "/desk/don/{id}/bi-to-cao", case_accused, False),
    ("GET", "/desk/tiep-cong-dan", reception_page, False),
    ("GET", "/desk/tiep-cong-dan/truc-tiep", walk_in_page, False),
    ("POST", "/desk/tiep-cong-dan/truc-tiep", walk_in_post, False),
    ("GET", "/desk/tiep-cong-dan/{id}", roster_page, False),
    ("POST", "/desk/tiep-cong-dan/luot/{id}", booking_step, False),
    ("POST", "/desk/tiep-cong-dan/{id}/huy", session_cancel, False),
    ("GET", "/desk/han-bao-cao", deadlines_page, False),
    ("POST", "/desk/han-bao-cao/{id}/xong", deadline_done, False),
    ("GET", "/desk/nguoi-dung", users_page, True),
    ("POST", "/desk/nguoi-dung/{id}/ten", user_rename, True),
    ("POST", "/desk/nguoi-dung/moi", user_invite, True),
    ("POST", "/desk/vai-tro/{id}/thu-hoi", user_revoke, True),
    ("GET", "/desk/nhat-ky", audit_page, True),
    ("GET", "/desk/kho-cau-hoi", kb_page, True),
    ("GET", "/desk/kho-cau-hoi/{id}", kb_entry_page, True),
    ("POST", "/desk/kho-cau-hoi/{id}", kb_entry_save, True),
    ("POST", "/desk/kho-cau-hoi/{id}/hoan-tac", kb_entry_revert, True),
    ("POST", "/desk/khoang-trong/{id}/bo", kb_gap_dismiss, True),
    ("POST", "/desk/dang-xuat", logout, False),
]


def add_routes(app: web.Application) -> None:
    setup(app)
    app.router.add_get("/desk", home)
    app.router.add_get(login.LOGIN_PATH, login_page)
    app.router.add_post(login.LOGIN_PATH, login_post)
    app.router.add_static("/desk/static/", STATIC, append_version=False)
    for method, path, handler, _ in ROUTES:
        app.router.add_route(method, path, handler)
