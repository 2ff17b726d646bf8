"""Buttons people type instead of pressing ("khieu nai" at the list of đơn types, "sua mot muc"
at a read-back, "sdt" at the list of fields): the typed words stand for the offered button whose
label they are, the way a typed number does."""

from __future__ import annotations

from functools import lru_cache

from handlers import texts
from handlers.contract import Button
from handlers.menu import BACK, MAIN_MENU
from handlers.petitions import filing as petitions
from handlers.reception import booking
from knowledge.normalize import normalize

# A label is a few words; a longer message is never one.
MAX_LABEL = 40


@lru_cache(maxsize=1)
def _labels() -> dict[str, tuple[str, ...]]:
    """Every fixed button's label, normalised, with the payloads it is on."""
    petition_fields = tuple(petitions.FORM.fields)
    buttons: list[Button] = [
        *MAIN_MENU,
        BACK,
        *booking.reception_menu().buttons,
        *petitions.choose_kind().buttons,
        Button(texts.EDIT_ONE, booking.FORM.edit),
        Button(texts.EDIT_ONE, petitions.FORM.edit),
        *booking.FORM.pick_field(booking.WALK_IN_STEPS).buttons,
        *petitions.FORM.pick_field(petition_fields).buttons,
        Button(texts.PETITION_SEND, petitions.SEND),
        Button(texts.CONSENT_YES, booking.CONSENT_YES),
        *booking.page_buttons(),
    ]
    table: dict[str, tuple[str, ...]] = {}
    for button in buttons:
        key = normalize(button.label)
        table[key] = (*table.get(key, ()), button.payload)
    return table


def typed_button(text: str, offered: list[str]) -> str | None:
    """The offered button whose label was typed, if any."""
    if len(text) > MAX_LABEL:
        return None
    return next((p for p in _labels().get(normalize(text), ()) if p in offered), None)
