"""A returning person's details offered back at a form's name step, masked: on a shared phone
or a kiosk the next person must not read them ("Ng… An, 09xx xxx 678")."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from db import people
from db.conversations import ChatState
from handlers import texts
from handlers.contract import Button

# The masked hint kept in the form's data while it is offered; never the details themselves.
KNOWN = "known"
NOT_ME = "not_me"
FIELDS = ("name", "phone", "address")


def masked(name: str, phone: str) -> str:
    words = name.split()
    shown = f"{words[0][:2]}… {words[-1]}" if len(words) > 1 else f"{name[:2]}…"
    return f"{shown}, {phone[:2]}xx xxx {phone[-3:]}" if phone else shown


async def note(session: AsyncSession, state: ChatState, person_id: int) -> None:
    """Before the name step: remember the masked hint if the person gave details before."""
    state.data.pop(KNOWN, None)
    if state.data.get(NOT_ME):
        return
    found = await people.last_details(session, person_id)
    if found is not None:
        state.data[KNOWN] = masked(found[0], found[1])


def offer(state: ChatState, prompt: str, use: str, not_me: str) -> tuple[str, tuple[Button, ...]]:
    """The name question, with the details of last time offered while they may be used."""
    hint = state.data.get(KNOWN)
    if not hint or state.data.get("editing"):
        return prompt, ()
    return (
        texts.REUSE_DETAILS.format(hint=hint) + "\n\n" + prompt,
        (Button(texts.REUSE_BUTTON, use), Button(texts.NOT_ME, not_me)),
    )


async def fill(session: AsyncSession, state: ChatState, person_id: int) -> bool:
    """Name, phone and address of last time put into the form; False if there are none."""
    found = await people.last_details(session, person_id) if state.data.get(KNOWN) else None
    if found is None:
        return False
    state.data.update(zip(FIELDS, found, strict=True))
    state.data.pop(KNOWN, None)
    return True


def refuse(state: ChatState) -> None:
    """ "Không phải tôi": not offered again in this form."""
    state.data.pop(KNOWN, None)
    state.data[NOT_ME] = True
