"""The flow registry: every conversation flow's entry points as the router sees them. A new
flow is a ``Flow`` here and one line in ``registry``; the router never names a flow."""

from __future__ import annotations

from db.conversations import ChatState
from db.models import Unit
from handlers import texts
from handlers.contract import Reply
from handlers.conversation import drafts
from handlers.conversation.turn import Flow, Turn
from handlers.deadlines import chat as deadline_chat
from handlers.deadlines import rules as deadline_rules
from handlers.faq.knowledge import KnowledgeBase
from handlers.kb.chat import FLOWS as KB_FLOWS
from handlers.kb.chat import KbAdmin, is_kb_payload
from handlers.menu import with_menu
from handlers.petitions import case as petition_case
from handlers.petitions import filing as petitions
from handlers.petitions import lookup as petition_lookup
from handlers.petitions import staff as petitions_staff
from handlers.reception import booking as reception
from handlers.reception import bookings
from handlers.reception import staff as reception_staff
from handlers.staff import menu as staff
from handlers.units.pick import PICK_FLOW, PICK_PREFIX, choose_unit, confirm_unit
from handlers.words import JUST_ASKING, YES, means
from knowledge.normalize import ascii_int

# Longer than this, text typed at the session list is read as a new message.
SESSION_WORDS = 3


class Booking(Flow):
    """A citizen's booking for a reception session (and an official's walk-in record)."""

    flows = frozenset({reception.FLOW})
    prefixes = (reception.PREFIX,)

    async def text(self, turn: Turn, typed: str) -> list[Reply] | None:
        at_list = turn.state.step == "session"
        if (
            at_list
            and len(typed.split()) > SESSION_WORDS
            and not reception.names_a_day(typed, turn.now)
        ):
            # The list is a choice of buttons: a few words ("buổi chiều") or a day ("ngày 14
            # tháng 12") are an attempt to choose, a sentence is a new request ("thôi, tôi muốn
            # phản ánh…"); any answers already given wait as a draft.
            drafts.set_aside(turn.state)
            return None
        t = turn
        return [await reception.text(t.session, t.state, t.actor, t.incoming, typed, t.now)]

    async def press(self, turn: Turn, payload: str) -> list[Reply]:
        t = turn
        if bookings.handles(payload):
            return [await bookings.press(t.session, t.state, t.actor, payload, t.now)]
        return await reception.press(t.session, t.state, t.actor, t.incoming, payload, t.now)

    async def resume(self, turn: Turn) -> Reply:
        return await reception.resume(turn.session, turn.state, turn.actor, turn.now)

    def takes_numbers(self, state: ChatState) -> bool:
        return reception.takes_numbers(state)


class Petition(Flow):
    """A citizen's đơn (khiếu nại, tố cáo, kiến nghị, phản ánh), and the type suggested from
    what they wrote."""

    flows = frozenset({petitions.FLOW})
    prefixes = (petitions.PREFIX,)

    async def text(self, turn: Turn, typed: str) -> list[Reply] | None:
        state = turn.state
        if petitions.suggesting(state):
            suggested = state.data.get(petitions.SUGGESTED)
            if suggested and means(typed, YES):
                return await self.press(turn, f"{petitions.CONFIRM_PREFIX}{suggested}")
            # A suggestion ("đây có thể là đơn phản ánh?") never traps: other typed text is
            # read as a new message, a question or another request.
            state.flow = state.step = None
            return [with_menu(texts.PETITION_ASK_AWAY)] if means(typed, JUST_ASKING) else None
        t = turn
        return [await petitions.text(t.session, t.state, t.actor, t.incoming, typed, t.now)]

    async def press(self, turn: Turn, payload: str) -> list[Reply]:
        t = turn
        if petition_lookup.handles(payload):
            return [await petition_lookup.press(t.session, t.actor, payload, t.now)]
        return [await petitions.press(t.session, t.state, t.actor, t.incoming, payload, t.now)]

    async def resume(self, turn: Turn) -> Reply:
        return petitions.resume(turn.state)

    async def files(self, turn: Turn) -> list[Reply] | None:
        if not petitions.takes_files(turn.state):
            return None
        return [petitions.attach(turn.state, turn.incoming)]


class Satisfaction(Flow):
    """A citizen's answer to a pushed "hài lòng?" question: checked against the đơn's owner."""

    prefixes = (petition_case.SATISFACTION_PREFIX,)
    own_authority = True

    async def press(self, turn: Turn, payload: str) -> list[Reply]:
        t = turn
        return [await petitions_staff.satisfaction(t.session, t.actor, payload, t.now)]


class Staff(Flow):
    """Officials' and admins' work: every payload is checked against the role on the server;
    the typed steps are a session's outcome, a new session, a new deadline, a note on a đơn."""

    flows = frozenset(
        {reception_staff.FLOW, reception_staff.NEW_FLOW, deadline_rules.FLOW, petition_case.FLOW}
    )
    own_authority = True
    _REASONS = frozenset({reception_staff.FLOW, petition_case.FLOW})

    def answers(self, payload: str) -> bool:
        return staff.is_staff_payload(payload)

    def lets_go_on_press(self, state: ChatState) -> bool:
        return state.flow in self._REASONS

    def says_why_it_stops(self, state: ChatState) -> bool:
        return state.flow in self._REASONS

    async def text(self, turn: Turn, typed: str) -> list[Reply] | None:
        session, state, actor, now = turn.session, turn.state, turn.actor, turn.now
        if state.flow == reception_staff.FLOW:
            return [await reception_staff.text(session, state, actor, typed, now)]
        if state.flow == reception_staff.NEW_FLOW:
            return [await reception_staff.new_session_text(session, state, actor, typed, now)]
        if state.flow == deadline_rules.FLOW:
            return [await deadline_chat.text(session, state, actor, typed, now)]
        return [await petitions_staff.text(session, state, actor, typed, now)]

    async def press(self, turn: Turn, payload: str) -> list[Reply]:
        cutoff, url = turn.settings.report_cutoff_day, turn.settings.public_url
        t = turn
        return [await staff.press(t.session, t.state, t.actor, payload, t.now, cutoff, url)]

    def takes_numbers(self, state: ChatState) -> bool:
        return reception_staff.takes_numbers(state)


class KnowledgeBaseAdmin(Flow):
    """An admin curating the knowledge base in the chat (checked against the role)."""

    flows = KB_FLOWS
    own_authority = True

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self._admin = KbAdmin(knowledge)

    def answers(self, payload: str) -> bool:
        return is_kb_payload(payload)

    def says_why_it_stops(self, state: ChatState) -> bool:
        return True

    async def text(self, turn: Turn, typed: str) -> list[Reply] | None:
        return [await self._admin.text(turn.session, turn.state, turn.actor, typed, turn.now)]

    async def press(self, turn: Turn, payload: str) -> list[Reply]:
        return [await self._admin.press(turn.session, turn.state, turn.actor, payload, turn.now)]


class UnitPick(Flow):
    """A citizen choosing their commune or ward (/xa)."""

    flows = frozenset({PICK_FLOW})
    prefixes = (PICK_PREFIX,)

    async def text(self, turn: Turn, typed: str) -> list[Reply] | None:
        return [await choose_unit(turn.session, turn.state, turn.actor, typed)]

    async def press(self, turn: Turn, payload: str) -> list[Reply]:
        unit_id = ascii_int(payload.removeprefix(PICK_PREFIX))
        unit = await turn.session.get(Unit, unit_id) if unit_id is not None else None
        if unit is None:
            return [with_menu(texts.STALE_BUTTON)]
        return [await confirm_unit(turn.session, turn.state, turn.actor, unit)]


def registry(knowledge: KnowledgeBase) -> tuple[Flow, ...]:
    """Every flow, in the order their payloads are tried (a more specific prefix first)."""
    return (
        Staff(),
        KnowledgeBaseAdmin(knowledge),
        Satisfaction(),
        Booking(),
        Petition(),
        UnitPick(),
    )
