"""What an official records about a đơn for the quarterly report: its lĩnh vực (from the
office's list) and, when closing a khiếu nại or tố cáo, whether it was right (đúng, sai, đúng
một phần)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Petition
from handlers import texts
from handlers.access import Actor, audit_by
from handlers.contract import Button, Reply
from handlers.petitions.case import PREFIX, VERDICTS
from handlers.petitions.fields import field_list
from handlers.petitions.views import _back_to
from knowledge.normalize import ascii_int


def ask_verdict(petition: Petition) -> Reply:
    """The close step of a khiếu nại or tố cáo asks its result first: the report counts each
    resolved one as đúng, sai or đúng một phần."""
    kind = texts.PETITION_KIND_NAMES.get(petition.kind, petition.kind).lower()
    ask = texts.PT_VERDICT_ASK.format(code=petition.code, kind=kind)
    choices = tuple(
        Button(texts.PT_VERDICTS[verdict], f"{PREFIX}closev:{petition.id}:{index}")
        for index, verdict in enumerate(VERDICTS)
    )
    return Reply(ask, (*choices, *_back_to(petition)))


def field(
    session: AsyncSession,
    actor: Actor,
    petition: Petition,
    action: str,
    chosen: str,
    now: datetime,
) -> Reply:
    """Lĩnh vực, from the office's list: the list first, then the one pressed."""
    keys = list(field_list())
    if action == "field":
        buttons = tuple(
            Button(field_list()[key], f"{PREFIX}fset:{petition.id}:{index}")
            for index, key in enumerate(keys)
        )
        return Reply(texts.PT_FIELD_ASK.format(code=petition.code), (*buttons, *_back_to(petition)))
    index = ascii_int(chosen)
    if index not in range(len(keys)):
        return Reply(texts.STALE_BUTTON, _back_to(petition))
    assert index is not None
    before, petition.field = petition.field, keys[index]
    petition.updated_at = now
    session.add(petition)
    audit_by(
        session,
        actor,
        "petition.field",
        now,
        target=petition.code,
        before={"field": before},
        after={"field": petition.field},
    )
    shown = field_list()[petition.field]
    return Reply(texts.PT_FIELD_SET.format(code=petition.code, field=shown), _back_to(petition))
