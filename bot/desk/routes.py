"""The desk's routes: signing in and out here, the pages in petitions.py, reception.py and
admin.py, and the list of every route (the role matrix test walks it)."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.channels.web import RUNTIME
from bot.desk.admin import (
    audit_page,
    invite_cancel,
    kb_create,
    kb_entry_page,
    kb_entry_revert,
    kb_entry_save,
    kb_export,
    kb_gap_dismiss,
    kb_history_page,
    kb_import,
    kb_import_page,
    kb_new_page,
    kb_page,
    my_name,
    user_invite,
    user_leader,
    user_rename,
    user_revoke,
    users_page,
)
from bot.desk.calendar import (
    calendar_page,
    intake_page,
    intake_post,
    one_off_form,
    one_off_post,
    schedule_form,
    schedule_post,
    schedule_receiver,
    session_move,
    session_receiver,
)
from bot.desk.deadlines import (
    deadline_add,
    deadline_delete,
    deadline_edit_page,
    deadline_import,
    deadline_import_page,
    deadline_new_page,
    deadline_sample,
    deadline_save,
    deadline_undo,
)
from bot.desk.petitions import (
    case_accused,
    case_assign,
    case_field,
    case_page,
    case_received,
    case_reveal,
    case_step,
    petition_queue,
)
from bot.desk.printables import case_document, petition_register, reception_register
from bot.desk.reception import (
    booking_step,
    deadline_done,
    deadlines_page,
    reception_page,
    roster_page,
    session_cancel,
    walk_in_page,
    walk_in_post,
)
from bot.desk.reports import report_chart, report_document, report_page, report_workbook
from bot.desk.web import COOKIE, STATIC, Desk, page, posted_here, render, set_cookie, setup
from bot.guard import ADDRESS, origin_digest
from handlers.desk import login

HOME = "/desk/don"


async def login_page(request: web.Request) -> web.StreamResponse:
    """Opening a link shows a button and spends nothing (a preview or crawler may open it);
    a link already used or expired says so instead of offering a button that would fail."""
    token = request.query.get("t", "")
    if not login.plausible(token):
        return render(request, "login.html", token="", spent=False)
    runtime = request.app[RUNTIME]
    async with runtime.sessions() as session:
        live = await login.usable(session, token, runtime.clock.now())
    if not live:
        return render(request, "login.html", status=410, token="", spent=True)
    return render(request, "login.html", token=token, spent=False)


async def login_post(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    if not posted_here(request):
        # Another site's page posting a link it holds would sign this browser in as someone
        # else (login CSRF): the button must be pressed on our own page.
        return render(request, "login_failed.html", status=403, reason="elsewhere")
    form = await request.post()
    token = form.get("t", "")
    origin = origin_digest(request[ADDRESS])
    async with runtime.sessions() as session, session.begin():
        cookie = await login.spend(
            session, token if isinstance(token, str) else "", runtime.clock.now(), origin
        )
    if isinstance(cookie, login.Refused):
        return render(request, "login_failed.html", status=400, reason=cookie.value)
    response = web.Response(status=303, headers={"Location": HOME})
    set_cookie(response, request, cookie)
    return response


@page(staff=False)
async def logout(desk: Desk) -> web.StreamResponse:
    await login.logout(desk.session, desk.cookie, desk.user, desk.now)
    response = render(desk.request, "logged_out.html")
    response.del_cookie(COOKIE, path="/desk")
    return response


async def home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther(HOME)


# Every desk route, for the role matrix test (method, path pattern, admin only). A report
# file's {ky} is its period, 20261001-20261231.
ROUTES: list[tuple[str, str, Any, bool]] = [
    ("GET", "/desk/don", petition_queue, False),
    ("GET", "/desk/don/{id}", case_page, False),
    ("POST", "/desk/don/{id}/buoc", case_step, False),
    ("POST", "/desk/don/{id}/linh-vuc", case_field, False),
    ("POST", "/desk/don/{id}/giao", case_assign, False),
    ("POST", "/desk/don/{id}/ngay-nhan", case_received, False),
    ("POST", "/desk/don/{id}/danh-tinh", case_reveal, False),
    ("POST", "/desk/don/{id}/bi-to-cao", case_accused, False),
    ("GET", "/desk/tiep-cong-dan", reception_page, False),
    ("GET", "/desk/tiep-cong-dan/truc-tiep", walk_in_page, False),
    ("POST", "/desk/tiep-cong-dan/truc-tiep", walk_in_post, False),
    # Before "/desk/tiep-cong-dan/{id}", which would take these addresses.
    ("GET", "/desk/tiep-cong-dan/lich", calendar_page, False),
    ("GET", "/desk/tiep-cong-dan/lich/moi", schedule_form, False),
    ("POST", "/desk/tiep-cong-dan/lich/moi", schedule_post, False),
    ("POST", "/desk/tiep-cong-dan/lich/{id}/nguoi-tiep", schedule_receiver, False),
    ("GET", "/desk/tiep-cong-dan/buoi-moi", one_off_form, False),
    ("POST", "/desk/tiep-cong-dan/buoi-moi", one_off_post, False),
    ("GET", "/desk/tiep-cong-dan/luot/{id}/tao-don", intake_page, False),
    ("POST", "/desk/tiep-cong-dan/luot/{id}/tao-don", intake_post, False),
    ("POST", "/desk/tiep-cong-dan/{id}/doi", session_move, False),
    ("POST", "/desk/tiep-cong-dan/{id}/nguoi-tiep", session_receiver, False),
    ("GET", "/desk/tiep-cong-dan/{id}", roster_page, False),
    ("POST", "/desk/tiep-cong-dan/luot/{id}", booking_step, False),
    ("POST", "/desk/tiep-cong-dan/{id}/huy", session_cancel, False),
    ("GET", "/desk/han-bao-cao", deadlines_page, False),
    ("POST", "/desk/han-bao-cao/{id}/xong", deadline_done, False),
    ("GET", "/desk/bao-cao", report_page, False),
    ("GET", "/desk/bao-cao/{id}/{ky}.xlsx", report_workbook, False),
    ("GET", "/desk/bao-cao/{id}/{ky}.docx", report_document, False),
    ("GET", "/desk/bao-cao/{id}/{ky}.png", report_chart, False),
    # The fixed addresses come before "{id}", which would take them.
    ("GET", "/desk/han-bao-cao/them", deadline_new_page, False),
    ("POST", "/desk/han-bao-cao/them", deadline_add, False),
    ("GET", "/desk/han-bao-cao/nhap", deadline_import_page, False),
    ("POST", "/desk/han-bao-cao/nhap", deadline_import, False),
    ("GET", "/desk/han-bao-cao/nhap/mau.xlsx", deadline_sample, False),
    ("GET", "/desk/han-bao-cao/{id}", deadline_edit_page, False),
    ("POST", "/desk/han-bao-cao/{id}", deadline_save, False),
    ("POST", "/desk/han-bao-cao/{id}/xoa", deadline_delete, False),
    ("POST", "/desk/han-bao-cao/{id}/bo-xong", deadline_undo, False),
    ("GET", "/desk/nguoi-dung", users_page, True),
    ("POST", "/desk/nguoi-dung/{id}/ten", user_rename, True),
    ("POST", "/desk/nguoi-dung/moi", user_invite, True),
    ("POST", "/desk/ma-moi/{id}/huy", invite_cancel, True),
    ("POST", "/desk/vai-tro/{id}/thu-hoi", user_revoke, True),
    ("POST", "/desk/vai-tro/{id}/lanh-dao", user_leader, True),
    ("GET", "/desk/nhat-ky", audit_page, True),
    ("GET", "/desk/kho-cau-hoi", kb_page, True),
    # The fixed addresses come before "{id}" (an entry with one of these ids stays reachable
    # in the chat and through export/import).
    ("GET", "/desk/kho-cau-hoi/moi", kb_new_page, True),
    ("POST", "/desk/kho-cau-hoi/moi", kb_create, True),
    ("GET", "/desk/kho-cau-hoi/xuat", kb_export, True),
    ("GET", "/desk/kho-cau-hoi/nhap", kb_import_page, True),
    ("POST", "/desk/kho-cau-hoi/nhap", kb_import, True),
    ("GET", "/desk/kho-cau-hoi/{id}/lich-su", kb_history_page, True),
    ("GET", "/desk/kho-cau-hoi/{id}", kb_entry_page, True),
    ("POST", "/desk/kho-cau-hoi/{id}", kb_entry_save, True),
    ("POST", "/desk/kho-cau-hoi/{id}/hoan-tac", kb_entry_revert, True),
    ("POST", "/desk/khoang-trong/{id}/bo", kb_gap_dismiss, True),
    ("GET", "/desk/don/{id}/in", case_document, False),
    ("GET", "/desk/so-theo-doi-don", petition_register, False),
    ("GET", "/desk/so-tiep-cong-dan", reception_register, False),
    ("POST", "/desk/ten-cua-toi", my_name, False),
    # Last: the role matrix test walks these in order, and this one ends the session.
    ("POST", "/desk/dang-xuat", logout, False),
]


# Where a GET of a form's address goes (a reload or a bookmark of the page a POST answered).
AFTER_POST = {
    "/desk/don/{id}/buoc": "/desk/don/{id}",
    "/desk/don/{id}/linh-vuc": "/desk/don/{id}",
    "/desk/don/{id}/giao": "/desk/don/{id}",
    "/desk/don/{id}/ngay-nhan": "/desk/don/{id}",
    "/desk/don/{id}/danh-tinh": "/desk/don/{id}",
    "/desk/don/{id}/bi-to-cao": "/desk/don/{id}",
    "/desk/tiep-cong-dan/luot/{id}": "/desk/tiep-cong-dan",
    "/desk/tiep-cong-dan/{id}/huy": "/desk/tiep-cong-dan/{id}",
    "/desk/tiep-cong-dan/{id}/doi": "/desk/tiep-cong-dan/{id}",
    "/desk/tiep-cong-dan/{id}/nguoi-tiep": "/desk/tiep-cong-dan/{id}",
    "/desk/tiep-cong-dan/lich/{id}/nguoi-tiep": "/desk/tiep-cong-dan/lich",
    "/desk/han-bao-cao/{id}/xong": "/desk/han-bao-cao",
    "/desk/han-bao-cao/{id}/xoa": "/desk/han-bao-cao/{id}",
    "/desk/han-bao-cao/{id}/bo-xong": "/desk/han-bao-cao",
    "/desk/nguoi-dung/{id}/ten": "/desk/nguoi-dung",
    "/desk/nguoi-dung/moi": "/desk/nguoi-dung",
    "/desk/ma-moi/{id}/huy": "/desk/nguoi-dung",
    "/desk/vai-tro/{id}/thu-hoi": "/desk/nguoi-dung",
    "/desk/vai-tro/{id}/lanh-dao": "/desk/nguoi-dung",
    "/desk/kho-cau-hoi/{id}/hoan-tac": "/desk/kho-cau-hoi/{id}",
    "/desk/khoang-trong/{id}/bo": "/desk/kho-cau-hoi",
    "/desk/dang-xuat": HOME,
    "/desk/ten-cua-toi": HOME,
}
SAFE_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")


def _back_to(target: str) -> Any:
    async def redirect(request: web.Request) -> web.StreamResponse:
        number = request.match_info.get("id", "")
        if "{id}" in target and not SAFE_ID.fullmatch(number):
            raise web.HTTPSeeOther(HOME)
        raise web.HTTPSeeOther(target.replace("{id}", number))

    return redirect


@web.middleware
async def vietnamese_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """aiohttp's own 404 and 405 on a desk address, as a desk page in Vietnamese."""
    try:
        return await handler(request)
    except web.HTTPException as refused:
        if not request.path.startswith("/desk") or refused.status not in (404, 405):
            raise
        return render(request, "not_found.html", status=refused.status)


def add_routes(app: web.Application) -> None:
    setup(app)
    app.middlewares.append(vietnamese_errors)
    for path, target in AFTER_POST.items():
        app.router.add_get(path, _back_to(target))
    app.router.add_get("/desk", home)
    app.router.add_get(login.LOGIN_PATH, login_page)
    app.router.add_post(login.LOGIN_PATH, login_post)
    app.router.add_static("/desk/static/", STATIC, append_version=False)
    for method, path, handler, _ in ROUTES:
        app.router.add_route(method, path, handler)
