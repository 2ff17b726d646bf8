"""A citizen's own bookings: the list, cancelling one (asked once first) and moving one."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from db import reception as rows
from db.conversations import ChatState
from db.models import ReceptionSession
from handlers import texts
from handlers.access import Actor
from handlers.contract import Button, Reply
from handlers.menu import BACK, MENU_MINE, with_menu
from handlers.reception.booking import (
    CANCEL_PREFIX,
    CANCEL_YES_PREFIX,
    MOVE_PREFIX,
    own_booking,
    release,
    start,
    when,
)


def handles(payload: str) -> bool:
    return payload.startswith((CANCEL_PREFIX, CANCEL_YES_PREFIX, MOVE_PREFIX))


async def press(
    session: AsyncSession, state: ChatState, actor: Actor, payload: str, now: datetime
) -> Reply:
    """Cancel (asked once first) or move one of the person's own bookings."""
    if payload.startswith(CANCEL_PREFIX):
        return await confirm_cancel(session, actor, payload.removeprefix(CANCEL_PREFIX))
    if payload.startswith(CANCEL_YES_PREFIX):
        return await cancel(session, actor, payload.removeprefix(CANCEL_YES_PREFIX), now)
    if payload.startswith(MOVE_PREFIX):
        code = payload.removeprefix(MOVE_PREFIX)
        if await own_booking(session, actor, code) is None:
            return with_menu(texts.BOOKING_GONE)
        return await start(session, state, actor, now, moving=code)
    return with_menu(texts.STALE_BUTTON)


async def confirm_cancel(session: AsyncSession, actor: Actor, code: str) -> Reply:
    booking = await own_booking(session, actor, code)
    item = await session.get(ReceptionSession, booking.session_id) if booking else None
    if booking is None or item is None:
        return with_menu(texts.BOOKING_GONE)
    return Reply(
        texts.CONFIRM_CANCEL_BOOKING.format(code=code, start=when(item)),
        (
            Button(texts.CANCEL_BOOKING_YES, f"{CANCEL_YES_PREFIX}{code}"),
            Button(texts.KEEP_BOOKING, MENU_MINE),
        ),
    )


async def cancel(session: AsyncSession, actor: Actor, code: str, now: datetime) -> Reply:
    booking = await own_booking(session, actor, code)
    if booking is None:
        return with_menu(texts.BOOKING_GONE)
    await release(session, booking, rows.CANCELLED_BOOKING, now)
    return with_menu(texts.BOOKING_CANCELLED.format(code=code))


async def mine(session: AsyncSession, actor: Actor, now: datetime) -> Reply:
    found = await rows.open_bookings(session, actor.person_id, now)
    if not found:
        return with_menu(texts.NO_BOOKINGS)
    lines = [texts.MY_BOOKINGS]
    buttons: list[Button] = []
    for booking, item in found:
        lines.append(
            "- "
            + texts.MY_BOOKING_LINE.format(
                code=booking.code, start=when(item), place=item.place, queue=booking.queue_number
            )
        )
        buttons.append(
            Button(texts.CANCEL_BOOKING.format(code=booking.code), f"{CANCEL_PREFIX}{booking.code}")
        )
        buttons.append(
            Button(texts.MOVE_BOOKING.format(code=booking.code), f"{MOVE_PREFIX}{booking.code}")
        )
    return Reply("\n".join(lines), (*buttons, BACK))
