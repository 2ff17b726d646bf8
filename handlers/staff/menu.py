"""What officials and admins see beyond the citizen menu, always checked on the server."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from db.conversations import ChatState
from db.models import Person, Unit
from handlers import texts
from handlers.access import ADMIN, Actor, audit_by, record_denied
from handlers.contract import Button, Reply
from handlers.deadlines import chat as deadline_chat
from handlers.deadlines import rules as deadline_rules
from handlers.desk import login as desk_login
from handlers.menu import BACK
from handlers.petitions import case as petition_case
from handlers.petitions import staff as petitions_staff
from handlers.reception import staff as reception_staff

STAFF_PREFIX = "staff:"
STAFF_MENU = "staff:menu"
STAFF_WHOAMI = "staff:whoami"
STAFF_NOTIFY_HERE = "staff:notify-here"
STAFF_COMMAND = "/canbo"
STAFF_DESK = "staff:desk"
DESK_COMMAND = "/dangnhap"
MENU_BUTTON = Button(texts.STAFF_MENU_BUTTON, STAFF_MENU)


def is_staff_payload(payload: str) -> bool:
    return payload.startswith(STAFF_PREFIX) or payload in (STAFF_COMMAND, DESK_COMMAND)


def staff_menu(actor: Actor) -> Reply:
    # Reports (and the spreadsheet and document libraries behind them) load when first used,
    # not at every start-up.
    from handlers.staff import reports

    buttons = [
        Button(texts.DESK_OPEN_BUTTON, STAFF_DESK),
        Button(texts.STAFF_RECEPTION, reception_staff.SESSIONS),
        Button(texts.STAFF_PETITIONS, petition_case.QUEUE),
        Button(texts.STAFF_DEADLINES, deadline_rules.LIST),
        Button(texts.STAFF_REPORTS, reports.MENU),
    ]
    if actor.has(ADMIN):
        buttons.append(Button(texts.KB_ADMIN_BUTTON, "kbadm:menu"))
    buttons.append(Button(texts.STAFF_NOTIFY_HERE_BUTTON, STAFF_NOTIFY_HERE))
    buttons.append(Button(texts.STAFF_WHOAMI_BUTTON, STAFF_WHOAMI))
    return Reply(texts.STAFF_MENU, (*buttons, BACK))


async def desk_link(
    session: AsyncSession, actor: Actor, now: datetime, public_url: str | None
) -> Reply:
    """A one-time link to the staff desk, sent with link previews off."""
    if not public_url:
        return Reply(texts.DESK_NO_URL, (MENU_BUTTON, BACK))
    url = await desk_login.issue_link(
        session, actor.person_id, now, actor.label, "chat", public_url
    )
    if url is None:
        return Reply(texts.FORBIDDEN, (BACK,))
    return Reply(texts.DESK_LINK.format(url=url), (MENU_BUTTON, BACK), no_preview=True)


async def press(
    session: AsyncSession,
    state: ChatState,
    actor: Actor,
    payload: str,
    now: datetime,
    report_cutoff: int | None = None,
    public_url: str | None = None,
) -> Reply:
    """A staff button or command: refused and audited unless the person holds a role."""
    from handlers.staff import reports

    if not actor.is_staff:
        record_denied(session, actor, payload, now)
        return Reply(texts.FORBIDDEN, (BACK,))
    if not actor.private:
        return Reply(texts.STAFF_PRIVATE_ONLY, (BACK,))
    audit_by(session, actor, "staff.open", now, target=payload[:128])
    if payload in (STAFF_MENU, STAFF_COMMAND):
        return staff_menu(actor)
    if payload in (STAFF_DESK, DESK_COMMAND):
        return await desk_link(session, actor, now, public_url)
    if payload == STAFF_WHOAMI:
        roles = []
        for role, unit_id in actor.roles:
            unit = await session.get(Unit, unit_id)
            roles.append(f"{texts.ROLE_NAMES.get(role, role)} của {unit.name if unit else '?'}")
        text = texts.STAFF_WHOAMI.format(roles="; ".join(roles), person=actor.person_id)
        return Reply(text, (MENU_BUTTON, BACK))
    if payload == deadline_rules.LIST or payload.startswith(deadline_rules.PREFIX):
        return await deadline_chat.press(session, state, actor, payload, now)
    if payload == STAFF_NOTIFY_HERE:
        person = await session.get(Person, actor.person_id)
        if person is not None:
            person.notify_channel = actor.channel
            session.add(person)
            audit_by(session, actor, "person.notify_channel", now, target=actor.channel)
        channel = texts.CHANNEL_NAMES.get(actor.channel, actor.channel)
        return Reply(texts.STAFF_NOTIFY_HERE_DONE.format(channel=channel), (MENU_BUTTON, BACK))
    if payload == reports.MENU or payload.startswith(reports.PREFIX):
        return await reports.press(session, actor, payload, now, report_cutoff, public_url)
    if petition_case.handles(payload):
        return await petitions_staff.press(session, state, actor, payload, now)
    if reception_staff.handles(payload):
        return await reception_staff.press(session, state, actor, payload, now)
    return Reply(texts.STALE_BUTTON, (BACK,))
