"""A citizen's form left half-way is kept, not lost: a main-menu button pressed mid-form sets it
aside as a draft, a question asked mid-form is answered with the form kept, and "Tiếp tục điền"
brings either back at the step it stood. A draft lives in the conversation, so it is dropped with
every unfinished form's answers after DCCS_FORM_IDLE_DAYS."""

from __future__ import annotations

from typing import Any

from db.conversations import ChatState
from handlers import texts
from handlers.contract import Button, Reply
from handlers.menu import with_menu
from handlers.petitions import filing as petitions
from handlers.reception import booking as reception
from knowledge.intents import asks_a_fact

RESUME = "draft:resume"
_KEY = reception.DRAFT
_JUST_KEPT = "draft_kept"
FORMS = frozenset({reception.FLOW, petitions.FLOW})
# Steps where a citizen writes freely: a "?" there is part of the answer, not a question.
# (A decision's number or a place is not written as a question: a "?" there is one.)
_FREE_TEXT = frozenset({"summary", "content", "act", "request"})
# No name or number is written with "bao lâu" or "là gì" in it.
_NAME_OR_NUMBER = frozenset({"name", "phone"})


def _filling(state: ChatState) -> bool:
    return state.flow in FORMS and bool(state.data) and not petitions.suggesting(state)


def set_aside(state: ChatState) -> None:
    """A main-menu button: the form in progress becomes a draft; any other flow just ends."""
    if _filling(state) and not state.data.get("walk_in"):
        draft: dict[str, Any] = {"flow": state.flow, "step": state.step, "data": state.data}
        state.data = {_KEY: draft, _JUST_KEPT: True}
    state.flow = state.step = None


def stop(state: ChatState) -> Reply:
    """Quit words typed mid-form ("thôi", "huỷ", "dừng lại"): the form stops and nothing is
    sent, but a citizen's answers are kept as a draft in case the words were a slip; the "Huỷ"
    button is the way to throw them away."""
    kept = _filling(state) and not state.data.get("walk_in")
    set_aside(state)
    if not kept:
        state.data = {}
    return with_menu(texts.FORM_STOPPED)


def waiting(state: ChatState) -> bool:
    """A draft is set aside and no form is in progress."""
    return state.flow is None and isinstance(state.data.get(_KEY), dict)


def noted(state: ChatState, replies: list[Reply]) -> list[Reply]:
    """While a draft waits, every reply offers it back; the one that set it aside says so."""
    just_kept = state.data.pop(_JUST_KEPT, False)
    if not waiting(state) or not replies:
        return replies
    first = replies[0]
    if any(button.payload == RESUME for button in first.buttons):
        return replies
    text = texts.DRAFT_KEPT + "\n\n" + first.text if just_kept else first.text
    return [Reply(text, (resume_button(), *first.buttons), first.attachments), *replies[1:]]


def resume_button() -> Button:
    return Button(texts.DRAFT_RESUME, RESUME)


def restore(state: ChatState) -> bool:
    """Bring a draft back (True), or say whether a form is still in progress."""
    draft = state.data.get(_KEY)
    if isinstance(draft, dict) and draft.get("flow") in FORMS:
        state.flow, state.step = draft["flow"], draft.get("step")
        state.data = dict(draft.get("data") or {})
        return True
    return state.flow in FORMS


def asks_a_question(state: ChatState, text: str) -> bool:
    """A question typed in the middle of a form, at a step that does not take free text; at a
    name or a phone number, question words are enough (people leave out the "?")."""
    if not _filling(state) or state.step in _FREE_TEXT:
        return False
    return "?" in text or (state.step in _NAME_OR_NUMBER and asks_a_fact(text))
