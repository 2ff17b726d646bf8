"""The desk's admin pages: Người dùng, Nhật ký, Kho câu hỏi."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aiohttp import web

from bot.channels.web import RUNTIME
from bot.desk.web import (
    HEADERS,
    MAX_UPLOAD,
    YEARS,
    Desk,
    clean_text,
    form_text,
    page,
    parse_day,
    uploaded,
)
from handlers import access, texts
from handlers.desk import kb as desk_kb
from handlers.desk import queue as desk_queue
from handlers.desk import users as desk_users
from knowledge.normalize import ascii_int


@page(admin=True)
async def kb_page(desk: Desk) -> web.StreamResponse:
    return await _kb_list(desk)


async def _kb_list(desk: Desk, message: str = "") -> web.StreamResponse:
    typed = clean_text(desk.request.query.get("tim", ""))[:100]
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
        preview=desk_kb.preview(
            entry, await desk.request.app[RUNTIME].knowledge.index(desk.session)
        ),
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
    return await _kb_list(desk, texts.DESK_KB_GAP_DISMISSED)


async def _kb_new(
    desk: Desk,
    form: dict[str, str],
    gap: int | None,
    message: str = "",
    draft: Any = None,
    status: int = 200,
) -> web.StreamResponse:
    return desk.render(
        "kb_new.html",
        status=status,
        form=form,
        gap=gap,
        preview=desk_kb.preview(draft) if draft is not None else None,
        statuses=desk_kb.STATUS_WORDS,
        limit=desk_kb.LIMIT,
        source_shape=desk_kb.SOURCE_SHAPE,
        message=message,
    )


@page(admin=True)
async def kb_new_page(desk: Desk) -> web.StreamResponse:
    gap = ascii_int(desk.request.query.get("khoang", "")[:12])
    question = await desk_kb.gap_question(desk.session, gap)
    return await _kb_new(desk, desk_kb.blank_form(question), gap if question else None)


@page(admin=True)
async def kb_create(desk: Desk) -> web.StreamResponse:
    posted = await desk.request.post()
    form = {name: form_text(posted, name, 5000) for name in desk_kb.blank_form()}
    gap = ascii_int(form_text(posted, "khoang", 12))
    if form_text(posted, "viec", 8) == "xem":
        checked = desk_kb.draft(form)
        if isinstance(checked, str):
            return await _kb_new(desk, form, gap, checked, status=400)
        return await _kb_new(desk, form, gap, draft=checked)
    saved, message = await desk_kb.create(desk.session, desk.user.actor, form, gap, desk.now)
    if saved is None:
        return await _kb_new(desk, form, gap, message, status=400)
    return await _kb_entry(desk, saved, None, message)


@page(admin=True)
async def kb_history_page(desk: Desk) -> web.StreamResponse:
    entry = await desk_kb.entry(desk.session, desk.request.match_info["id"])
    if entry is None:
        raise web.HTTPNotFound()
    return desk.render(
        "kb_history.html", entry=entry, changes=await desk_kb.diffs(desk.session, entry.id)
    )


@page(admin=True)
async def kb_export(desk: Desk) -> web.StreamResponse:
    body = await desk_kb.export(desk.session)
    name = f"kho-cau-hoi-{desk.today:%Y%m%d}.yaml"
    response = web.Response(
        body=body,
        content_type="application/x-yaml",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
    response.headers.update(HEADERS)
    return response


def _kb_import_page(
    desk: Desk, message: str = "", problems: list[str] | None = None, status: int = 200
) -> web.StreamResponse:
    return desk.render(
        "kb_import.html", status=status, message=message, problems=problems or [], ok=not problems
    )


@page(admin=True)
async def kb_import_page(desk: Desk) -> web.StreamResponse:
    return _kb_import_page(desk)


@page(admin=True, upload=True)
async def kb_import(desk: Desk) -> web.StreamResponse:
    sent = uploaded(await desk.request.post())
    if sent is None:
        return _kb_import_page(desk, texts.DESK_NO_FILE, [texts.DESK_NO_FILE], status=400)
    path, raw = sent
    if len(raw) > MAX_UPLOAD:
        too_big = texts.DESK_FILE_TOO_BIG.format(name=path)
        return _kb_import_page(desk, too_big, [too_big], status=400)
    message, problems = await desk_kb.import_file(
        desk.session, desk.user.actor, raw, path.name, desk.now
    )
    if problems:
        return _kb_import_page(desk, message, problems, status=400)
    return await _kb_list(desk, message)


async def _users(
    desk: Desk, message: str = "", ok: bool = True, status: int = 200
) -> web.StreamResponse:
    units = await desk_queue.choices(desk.session, desk.user.actor)
    return desk.render(
        "users.html",
        status=status,
        staff=await desk_users.staff(desk.session, desk.user.actor),
        units=units.units,
        invites=await desk_users.pending_invites(desk.session, desk.user.actor, desk.now),
        nonce=desk_users.form_nonce(),
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
        return await _users(desk, texts.DESK_BAD_NAME, ok=False, status=400)
    await access.rename(desk.session, person_id, name, desk.now, desk.user.actor.label)
    return await _users(desk, texts.DESK_RENAMED.format(name=name))


@page()
async def my_name(desk: Desk) -> web.StreamResponse:
    """Any staff member names their own account (never another's: no id in the address)."""
    form = await desk.request.post()
    typed = form_text(form, "ten", 300)
    done, message = await desk_users.name_myself(desk.session, desk.user.actor, typed, desk.now)
    if done:
        name = access.clean_name(typed) or desk.user.name
        desk.user = replace(desk.user, name=name, named=True)
    return desk.render("my_name.html", status=200 if done else 400, message=message, ok=done)


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
        form_text(form, "lan", 64),
    )
    return await _users(desk, message, ok=done, status=200 if done else 400)


@page(admin=True)
async def invite_cancel(desk: Desk) -> web.StreamResponse:
    code_id = ascii_int(desk.request.match_info["id"])
    cancelled = (
        await desk_users.cancel_invite(desk.session, desk.user.actor, code_id, desk.now)
        if code_id is not None
        else None
    )
    if cancelled is None:
        if code_id is None:
            access.record_denied(desk.session, desk.user.actor, "desk:code:?", desk.now)
        return desk.render("forbidden.html", status=403)
    done, message = cancelled
    return await _users(desk, message, ok=done, status=200 if done else 409)


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
async def user_leader(desk: Desk) -> web.StreamResponse:
    grant_id = ascii_int(desk.request.match_info["id"])
    form = await desk.request.post()
    if grant_id is None:
        return desk.render("forbidden.html", status=403)
    leader = form_text(form, "lanh_dao", 4) == "1"
    flagged = await desk_users.set_leader(desk.session, desk.user.actor, grant_id, leader, desk.now)
    if flagged is None:
        return desk.render("forbidden.html", status=403)
    done, message = flagged
    return await _users(desk, message, ok=done, status=200 if done else 409)


@page(admin=True)
async def audit_page(desk: Desk) -> web.StreamResponse:
    query = desk.request.query
    family = query.get("loai", "")[:20]
    person = ascii_int(query.get("nguoi", "")[:12]) if query.get("nguoi") else None
    typed = {name: clean_text(query.get(name, "")[:20]).strip() for name in ("tu", "den")}
    days = {name: parse_day(value) if value else None for name, value in typed.items()}
    bad = any(typed[name] and days[name] is None for name in typed)
    lines = (
        []
        if bad
        else await desk_users.audit_log(
            desk.session, desk.user.actor, family, person, days["tu"], days["den"]
        )
    )
    return desk.render(
        "audit.html",
        status=400 if bad else 200,
        lines=lines,
        families=desk_users.ACTION_FAMILIES,
        staff=await desk_users.staff(desk.session, desk.user.actor),
        chosen={
            "loai": family,
            "nguoi": person,
            "tu": days["tu"].isoformat() if days["tu"] else typed["tu"],
            "den": days["den"].isoformat() if days["den"] else typed["den"],
        },
        message=texts.DESK_BAD_DATES.format(first=YEARS.start, last=YEARS.stop - 1) if bad else "",
    )
