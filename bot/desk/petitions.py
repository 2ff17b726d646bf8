"""The desk's đơn thư: the queue with its filters and search, a case's page and its steps."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.desk.web import YEARS, Desk, clean_text, form_text, page, parse_day
from handlers import access, texts
from handlers.desk import cases
from handlers.desk import queue as desk_queue
from handlers.desk import users as desk_users
from handlers.petitions import received
from knowledge.normalize import ascii_int


def _filters(query: Any) -> desk_queue.Filters:
    def text(name: str, limit: int = 100) -> str:
        value = query.get(name, "")
        return clean_text(value)[:limit] if isinstance(value, str) else ""

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
    desk: Desk,
    petition: Any,
    message: str = "",
    ok: bool = True,
    status: int = 200,
    typed: dict[str, Any] | None = None,
    typed_reason: str = "",
) -> web.StreamResponse:
    """The case page; ``typed`` refills a step's form (its key, note and result) that was sent
    back unfinished, and ``typed_reason`` the received-date form's reason when the date is
    refused, so nothing the official typed is lost."""
    view = await cases.view(desk.session, desk.user.actor, petition, desk.now)
    return desk.render(
        "case.html",
        status=status,
        case=view,
        message=message,
        ok=ok,
        today=desk.today,
        typed=typed or {},
        typed_reason=typed_reason,
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
    verdict = ascii_int(form_text(form, "ket_qua", 4))
    typed = {"step": action, "note": note, "verdict": verdict}
    if form_text(form, "quay_lai", 4) == "1":
        # "Quay lại" on the confirmation page: the case page with the form as it was filled.
        return await _show(desk, petition, typed=typed)
    if chosen is not None and chosen.prompt and not " ".join(note.split()):
        message = cases.missing_note(action)
        return await _show(desk, petition, message, ok=False, status=400, typed=typed)
    if chosen is not None and chosen.verdicts and verdict is None:
        message = texts.PT_VERDICT_NEEDED
        return await _show(desk, petition, message, ok=False, status=400, typed=typed)
    if chosen is not None and chosen.confirm and form_text(form, "xac_nhan", 4) != "1":
        chosen_verdict = dict(chosen.verdicts).get(verdict or 0, "") if chosen.verdicts else ""
        return desk.render(
            "confirm.html",
            case=view,
            step=chosen,
            note=note,
            verdict=verdict,
            verdict_label=chosen_verdict,
        )
    done, message = await cases.step(
        desk.session, desk.user.actor, petition, action, note, desk.now, verdict
    )
    return await _show(desk, petition, message, ok=done, status=200 if done else 409)


@page()
async def case_field(desk: Desk) -> web.StreamResponse:
    petition = await _case_or_refusal(desk)
    if isinstance(petition, web.StreamResponse):
        return petition
    form = await desk.request.post()
    index = ascii_int(form_text(form, "linh_vuc", 4))
    done, message = await cases.set_field(desk.session, desk.user.actor, petition, index, desk.now)
    return await _show(desk, petition, message, ok=done, status=200 if done else 400)


@page()
async def case_assign(desk: Desk) -> web.StreamResponse:
    petition = await _case_or_refusal(desk)
    if isinstance(petition, web.StreamResponse):
        return petition
    form = await desk.request.post()
    assignee = ascii_int(form_text(form, "nguoi", 12))
    if assignee is None or assignee not in await desk_users.in_scope_staff(
        desk.session, desk.user.actor
    ):
        # Nobody on the actor's staff list: another unit's account or a made-up number.
        access.record_denied(
            desk.session, desk.user.actor, f"desk:giao:{petition.code}:{assignee}", desk.now
        )
        return desk.render("forbidden.html", status=403)
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
    day = parse_day(form_text(form, "ngay", 20))
    reason = form_text(form, "ly_do", 500)
    if day is None:
        message = texts.DESK_BAD_DATES.format(first=YEARS.start, last=YEARS.stop - 1)
        return await _show(desk, petition, message, ok=False, status=400, typed_reason=reason)
    done, message = await received.set_received(
        desk.session, desk.user.actor, petition, day, reason, desk.now
    )
    return await _show(
        desk,
        petition,
        message,
        ok=done,
        status=200 if done else 409,
        typed_reason="" if done else reason,
    )


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
    if form_text(form, "xac_nhan", 4) != "1":
        # Marking cannot be undone on the desk and shuts the person out of the case at once.
        view = await cases.view(desk.session, desk.user.actor, petition, desk.now)
        named = dict(view.accusable).get(person)
        if named is None:
            return await _show(desk, petition, texts.STALE_BUTTON, ok=False, status=409)
        return desk.render("accused_confirm.html", case=view, person=person, name=named)
    done, message = await cases.mark_accused(
        desk.session, desk.user.actor, petition, person, desk.now
    )
    return await _show(desk, petition, message, ok=done, status=200 if done else 409)
