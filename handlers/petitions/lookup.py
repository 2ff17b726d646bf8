"""A citizen's own đơn: their list, lookup by code and phone, withdrawal (confirmed first), and
the dates they are told."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Petition, PetitionEvent
from handlers import guesses, texts
from handlers.access import Actor, audit_by
from handlers.alerts import guessing_alert
from handlers.contract import Button, Reply
from handlers.menu import BACK, MENU_STATUS, with_menu
from handlers.petitions.alerts import tell_staff
from handlers.petitions.case import WITHDRAW_REQUESTED
from handlers.petitions.filing import REGISTERED, WITHDRAWABLE, WITHDRAWN, rule_book
from handlers.petitions.rules import facts, rule_kind

WITHDRAW_PREFIX = "pt:withdraw:"
WITHDRAW_YES_PREFIX = "pt:withdrawyes:"
# A code, then the phone's last 4 digits (or the whole number), with or without a space.
LOOKUP = re.compile(r"\b(KN|TC|KG|PA)-(\d{4})-([A-Z0-9]{6})\D*(\d{4,11})\b", re.IGNORECASE)


def handles(payload: str) -> bool:
    return payload.startswith((WITHDRAW_PREFIX, WITHDRAW_YES_PREFIX))


async def press(session: AsyncSession, actor: Actor, payload: str, now: datetime) -> Reply:
    """ "Rút đơn" asks once, saying what happens; the second press withdraws."""
    if payload.startswith(WITHDRAW_PREFIX):
        code = payload.removeprefix(WITHDRAW_PREFIX)
        return Reply(
            texts.CONFIRM_WITHDRAW.format(code=code),
            (
                Button(texts.WITHDRAW_YES, f"{WITHDRAW_YES_PREFIX}{code}"),
                Button(texts.KEEP_PETITION, MENU_STATUS),
            ),
        )
    if payload.startswith(WITHDRAW_YES_PREFIX):
        return await withdraw(session, actor, payload.removeprefix(WITHDRAW_YES_PREFIX), now)
    return with_menu(texts.STALE_BUTTON)


def describe(petition: Petition) -> str:
    due = ""
    # A due date means something only while the đơn is still being dealt with.
    if petition.due_date is not None and petition.status in WITHDRAWABLE:
        step = "giải quyết" if petition.accepted_at else "xử lý bước đầu"
        estimate = texts.PETITION_ESTIMATE if petition.due_estimated else ""
        due = texts.PETITION_DUE.format(
            step=step, due=f"{petition.due_date:%d/%m/%Y}", estimate=estimate
        ) + _if_not_resolved(petition)
    return texts.PETITION_LINE.format(
        code=petition.code,
        kind=texts.PETITION_KIND_NAMES.get(petition.kind, petition.kind),
        status=texts.PETITION_STATUS_NAMES.get(petition.status, petition.status),
        due=due,
    )


def _if_not_resolved(petition: Petition) -> str:
    """A first-round khiếu nại being resolved: until when a second complaint may be filed if
    no decision comes by the due date (Luật Khiếu nại Điều 33 khoản 1)."""
    if petition.kind != "khieu_nai" or petition.second_round or petition.due_date is None:
        return ""
    if petition.accepted_at is None or petition.status == "tam_dinh_chi":
        return ""
    window = rule_book().due(
        rule_kind(petition), "limit", petition.due_date, second_round=True, facts=facts(petition)
    )
    if window is None or window.rule.start != "first_decision_or_deadline":
        return ""
    return texts.PETITION_OVERDUE_APPEAL.format(
        due=f"{petition.due_date:%d/%m/%Y}",
        end=f"{window.day:%d/%m/%Y}",
        estimate=texts.PETITION_ESTIMATE if window.estimated else "",
        rule=window.rule.public_citation,
    )


async def mine(session: AsyncSession, actor: Actor) -> Reply:
    query = (
        select(Petition)
        .where(Petition.person_id == actor.person_id)
        .order_by(col(Petition.id).desc())
        .limit(10)
    )
    found = (await session.exec(query)).all()
    if not found:
        return with_menu(texts.NO_PETITIONS)
    withdrawable = [p for p in found if p.status in WITHDRAWABLE]
    buttons = tuple(
        Button(texts.PT_WITHDRAW.format(code=p.code), f"{WITHDRAW_PREFIX}{p.code}")
        for p in withdrawable[:5]
    )
    text = "\n".join([texts.MY_PETITIONS] + [f"- {describe(p)}" for p in found])
    return Reply(text, (*buttons, BACK))


async def withdraw(session: AsyncSession, actor: Actor, code: str, now: datetime) -> Reply:
    """A citizen withdraws: a registration not yet received simply ends; a received khiếu nại
    or tố cáo needs a signed letter, so the request is recorded and the handler told."""
    petition = (await session.exec(select(Petition).where(Petition.code == code))).one_or_none()
    if petition is None or petition.person_id != actor.person_id:
        return with_menu(texts.STALE_BUTTON)
    if petition.status not in WITHDRAWABLE:
        return with_menu(describe(petition))
    if petition.status == REGISTERED or petition.kind not in ("khieu_nai", "to_cao"):
        petition.status = WITHDRAWN
        petition.updated_at = now
        session.add(petition)
        session.add(
            PetitionEvent(petition_id=petition.id or 0, at=now, actor="citizen", status=WITHDRAWN)
        )
        return with_menu(texts.PT_WITHDRAWN.format(code=code))
    event = PetitionEvent(
        petition_id=petition.id or 0, at=now, actor="citizen", status=WITHDRAW_REQUESTED
    )
    session.add(event)
    await session.flush()
    notice = texts.PT_WITHDRAW_ALERT.format(code=code)
    await tell_staff(session, petition, notice, now, f"petition:{petition.id}:withdraw:{event.id}")
    return with_menu(texts.PT_WITHDRAW_SIGNED.format(code=code))


async def lookup(session: AsyncSession, actor: Actor, text: str, now: datetime) -> Reply:
    """A code and the last four digits of the phone given. Wrong guesses slow down that code
    for everyone, the sender and their address (``handlers.guesses``); the answer is the same
    whether the code exists or not. The filer, in the chat that filed, is never slowed."""
    found = LOOKUP.search(text)
    assert found is not None
    code = f"{found.group(1)}-{found.group(2)}-{found.group(3)}".upper()
    petition = (await session.exec(select(Petition).where(Petition.code == code))).one_or_none()
    if petition is not None and petition.person_id == actor.person_id:
        return with_menu(describe(petition))
    if found.group(1).upper() == "TC":
        # Code and phone would confirm who denounced to anyone who suspects a neighbour: a tố
        # cáo is followed only from the filer's own chat. The same answer whether it exists.
        return with_menu(texts.PETITION_LOOKUP_TOCAO)
    checked = guesses.keys(code, actor.channel, actor.external_id, actor.origin)
    pause = await guesses.wait(session, checked, now)
    if pause is not None:
        return with_menu(texts.PETITION_LOOKUP_SLOWED.format(wait=guesses.wait_words(pause)))
    # Whatever follows the code ("0912 345 678", "5678"): its last four digits.
    last4 = re.sub(r"\D", "", text[found.end(3) :])[-4:]
    if petition is None or not petition.phone_last4 or petition.phone_last4 != last4:
        audit_by(session, actor, "petition.lookup_failed", now, target=code)
        if await guesses.failed(session, checked, now):
            await guessing_alert(session, actor.channel, now)
        return with_menu(texts.PETITION_LOOKUP_WRONG)
    await guesses.succeeded(session, checked)
    return with_menu(describe(petition))


def due_text(petition: Petition) -> str:
    if petition.due_date is None:
        return ""
    return " " + texts.PETITION_DUE.format(
        step="giải quyết" if petition.accepted_at else "xử lý bước đầu",
        due=f"{petition.due_date:%d/%m/%Y}",
        estimate=texts.PETITION_ESTIMATE if petition.due_estimated else "",
    )
