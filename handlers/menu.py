"""The main menu: the buttons every reply can fall back on."""

from __future__ import annotations

from handlers import texts
from handlers.contract import Button, Reply

MENU = "menu"
MENU_ASK = "menu:ask"
MENU_RECEPTION = "menu:reception"
MENU_PETITION = "menu:petition"
MENU_STATUS = "menu:status"
MENU_BOOK = "menu:book"
MENU_MINE = "menu:mine"
MENU_RECEPTION_INFO = "menu:reception-info"

MAIN_MENU = (
    Button(texts.MENU_ASK, MENU_ASK),
    Button(texts.MENU_RECEPTION, MENU_RECEPTION),
    Button(texts.MENU_PETITION, MENU_PETITION),
    Button(texts.MENU_STATUS, MENU_STATUS),
)
BACK = Button(texts.MENU_BACK, MENU)


def is_global(payload: str) -> bool:
    """Menu payloads are valid from any state; everything else must have been offered."""
    return payload == MENU or payload.startswith("menu:")


def with_menu(text: str) -> Reply:
    return Reply(text, MAIN_MENU)


def greeting(unit_name: str | None = None) -> Reply:
    if not unit_name:
        return with_menu(texts.GREETING)
    return with_menu(texts.GREETING_FOR_UNIT.format(unit=unit_name))


def reads_better_in_place(payload: str) -> bool:
    """Menu navigation replaces the menu it came from; answers and form steps stay in the
    history as new messages."""
    return payload in (MENU, MENU_ASK, MENU_RECEPTION, MENU_PETITION) or payload.startswith(
        ("topic:", "staff:menu")
    )
