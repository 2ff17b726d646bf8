"""The router: one message in a turn, to the flow that owns the conversation, the flow a button
belongs to, the main menu, a command, or the knowledge base. Flows are found in the registry
(``handlers.conversation.flows``), never named here."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from db import faq_use
from db.models import Unit
from handlers import access, texts
from handlers.access import Actor
from handlers.alerts import guessing_alert
from handlers.clock import VN_TZ
from handlers.contract import Reply, expand_payload
from handlers.conversation import drafts
from handlers.conversation.flows import registry
from handlers.conversation.labels import typed_button
from handlers.conversation.turn import Flow, Turn
from handlers.deadlines import chat as deadline_chat
from handlers.deadlines import rules as deadline_rules
from handlers.faq.answers import (
    FAQ_NONE,
    FAQ_PREFIX,
    SCHEDULE_ENTRY,
    TOPIC_PREFIX,
    Understanding,
    answer_reply,
    procedure_reply,
    topic_reply,
    topics_reply,
    understand,
)
from handlers.faq.knowledge import KnowledgeBase
from handlers.guesses import wait_words
from handlers.kb import curation as kb_admin
from handlers.menu import (
    MENU_ASK,
    MENU_BOOK,
    MENU_MINE,
    MENU_PETITION,
    MENU_RECEPTION,
    MENU_RECEPTION_INFO,
    MENU_STATUS,
    greeting,
    is_global,
    reads_better_in_place,
    with_menu,
)
from handlers.office import office_for
from handlers.petitions import filing as petitions
from handlers.petitions import lookup as petition_lookup
from handlers.reception import booking as reception
from handlers.reception import bookings
from handlers.staff import menu as staff
from handlers.units.pick import PICK_COMMAND, ask_unit
from handlers.words import BACK as BACK_WORDS
from handlers.words import MENU as MENU_WORDS
from handlers.words import QUIT as QUIT_WORDS
from handlers.words import RESUME as RESUME_WORDS
from handlers.words import means
from knowledge.intents import Intent, Request
from knowledge.normalize import ascii_int, fold
from knowledge.scope import Decline

log = logging.getLogger(__name__)

# Payloads and commands longer than this are not ours.
MAX_PAYLOAD = 128
LINK_COMMAND = "/lienket"
BOOK_COMMAND = "/datlich"
BOOK_DEEP_LINK = "datlich"
GREETING_COMMANDS = frozenset({"/start", "/menu", "/help", "/batdau"})


class Router:
    """The product's behaviour behind every channel, one turn at a time."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self._knowledge = knowledge
        self._flows = registry(knowledge)
        self._by_state = {name: flow for flow in self._flows for name in flow.flows}

    async def turn(self, turn: Turn) -> list[Reply]:
        """One message answered; the engine saves the chat's state and the tallied uses."""
        state, incoming = turn.state, turn.incoming
        routed = drafts.noted(state, await self._route(turn))
        replies = self._decorate(routed, turn.actor)
        if incoming.pressed_message and replies and reads_better_in_place(incoming.button or ""):
            replies[0] = replace(replies[0], replaces=incoming.pressed_message)
        state.offered = [button.payload for reply in replies for button in reply.buttons]
        return replies

    @staticmethod
    def _decorate(replies: list[Reply], actor: Actor) -> list[Reply]:
        """Officials see their own menu entry next to the citizen menu."""
        if not (actor.is_staff and actor.private):
            return replies
        return [
            Reply(r.text, (*r.buttons, staff.MENU_BUTTON), r.attachments)
            if any(b.payload == MENU_ASK for b in r.buttons)
            else r
            for r in replies
        ]

    def _current(self, turn: Turn) -> Flow | None:
        return self._by_state.get(turn.state.flow or "")

    async def _route(self, turn: Turn) -> list[Reply]:
        if turn.incoming.button is not None:
            return await self._press(turn, turn.incoming.button)
        state, text, flow = turn.state, turn.text, self._current(turn)
        if len(text) > turn.settings.max_message_chars:
            template = texts.TOO_LONG_IN_FORM if state.flow in drafts.FORMS else texts.TOO_LONG
            too_long = template.format(limit=turn.settings.max_message_chars)
            return [await self._reask(turn, too_long)]
        if turn.incoming.attachments and flow is not None:
            taken = await flow.files(turn)
            if taken is not None:
                return taken
        if turn.incoming.contact_phone and state.flow in drafts.FORMS and flow is not None:
            return await flow.text(turn, text) or []
        if not any(ch.isalnum() for ch in text):
            # No step here takes files: say so rather than keep what nobody asked for.
            unclear = texts.ATTACHMENT_NOT_NOW if turn.incoming.attachments else texts.UNCLEAR
            return [await self._reask(turn, unclear)]
        if state.flow in drafts.FORMS and means(text, MENU_WORDS):
            # Typed like the button: the form is kept as a draft, not thrown away.
            drafts.set_aside(state)
            return [with_menu(texts.MENU_PROMPT)]
        if state.flow in drafts.FORMS and means(text, QUIT_WORDS):
            return [drafts.stop(state)]
        stops_itself = flow is not None and flow.says_why_it_stops(state)
        if state.flow is not None and not stops_itself and means(text, QUIT_WORDS | MENU_WORDS):
            # An official's or admin's steps (a deadline, a session, a reason) stop the same way.
            state.flow = state.step = None
            state.data = {}
            return [with_menu(texts.STEPS_STOPPED)]
        if means(text, RESUME_WORDS) and state.flow is None:
            return [await self._resume(turn)]
        if state.flow is None and means(text, BACK_WORDS):
            return [with_menu(texts.MENU_PROMPT)]
        choice = ascii_int(text)
        if (
            choice is not None
            and 1 <= choice <= len(state.offered)
            and not (flow is not None and flow.takes_numbers(state))
        ):
            # A numbered menu on a text-only channel: the number stands for the button.
            return await self._press(turn, state.offered[choice - 1])
        named = typed_button(text, state.offered)
        if named is not None:
            return await self._press(turn, named)
        code = text.removeprefix("/start").strip()
        if access.looks_like_code(code):
            return [await self._redeem(turn, code)]
        if text.startswith("/"):
            return await self._command(turn, text)
        if drafts.asks_a_question(state, text):
            mid_form = await self._answer_mid_form(turn, text)
            if mid_form is not None:
                return [mid_form]
        if flow is not None:
            replies = await flow.text(turn, text)
            if replies is not None:
                return replies
        return await self._new_message(turn, text)

    async def _new_message(self, turn: Turn, text: str) -> list[Reply]:
        """A message outside any flow: a request the assistant recognises, else a question."""
        session, state, now = turn.session, turn.state, turn.now
        if state.flow is None and means(text, MENU_WORDS):
            return [with_menu(texts.MENU_PROMPT)]
        index = await self._knowledge.index(session)
        understood = understand(index, text, turn.settings.unit_name)
        if understood.intent in (Intent.reception, Intent.petition, Intent.petition_status):
            return [await self._request(turn, text, understood)]
        replies = list(understood.replies)
        if understood.decline is Decline.procedure:
            # The commune's own one-stop office, with its address and hours when known.
            replies = [procedure_reply(await office_for(session, turn.actor))]
        # Only citizens' questions are gaps and report figures: an official or admin trying the
        # assistant out is not a citizen asking.
        citizen = not turn.actor.is_staff
        if citizen and (
            understood.intent is Intent.fallback
            or (understood.intent is Intent.faq and not understood.matched)
        ):
            # Kept (masked, counted) so admins see what citizens ask that is not covered.
            await kb_admin.record_unanswered(
                session,
                text,
                understood.entry.id if understood.entry else None,
                understood.score,
                now,
            )
        # Answers and declines are counted for the reports; a read-back (alternatives offered)
        # is counted when the citizen picks one.
        asked = understood.intent in (Intent.faq, Intent.fallback)
        if citizen and asked and (understood.matched or not understood.alternatives):
            answered = understood.entry.id if understood.matched and understood.entry else None
            faq_use.count(turn.uses, now.astimezone(VN_TZ).date(), answered)
        return replies

    @staticmethod
    async def _request(turn: Turn, text: str, understood: Understanding) -> Reply:
        """A request typed in words instead of tapped: the flow's own public entry points."""
        session, state, actor, now = turn.session, turn.state, turn.actor, turn.now
        if understood.code is not None:
            if understood.code.last4 is None:
                # A code without the phone digits: the person's own đơn, and how to look one up.
                return await petition_lookup.mine(session, actor)
            return await petition_lookup.lookup(session, actor, understood.code.lookup_text(), now)
        if understood.intent is Intent.petition_status:
            return await petition_lookup.mine(session, actor)
        if understood.intent is Intent.petition:
            return petitions.start_from_text(state, text)
        if understood.request is Request.my_bookings:
            # "lịch hẹn của tôi", "đổi lịch hẹn", "huỷ lịch hẹn": the bookings, each with its
            # cancel and move buttons.
            return await bookings.mine(session, actor, now)
        if reception.wants_booking(text):
            # "đăng ký gặp chủ tịch xã": straight to the sessions, the chairman's first.
            folded = f" {fold(text)} "
            prefer = "chu tich" if " chu tich " in folded or " ct " in folded else None
            return await reception.start(session, state, actor, now, prefer=prefer)
        return understood.replies[0]

    async def _resume(self, turn: Turn) -> Reply:
        """ "Tiếp tục điền": the draft (or the form in progress) at the step it stood."""
        flow = self._by_state.get(turn.state.flow or "") if drafts.restore(turn.state) else None
        if flow is None:
            return with_menu(texts.NO_DRAFT)
        return await flow.resume(turn)

    async def _reask(self, turn: Turn, note: str) -> Reply:
        """A message the assistant cannot use: said, and, mid-form, the step's question again
        with its own buttons (so a number typed next answers the form, not the main menu)."""
        if turn.state.flow not in drafts.FORMS or petitions.suggesting(turn.state):
            return with_menu(note)
        step = await self._resume(turn)
        return Reply(note + "\n\n" + step.text, step.buttons, ask_contact=step.ask_contact)

    async def _answer_mid_form(self, turn: Turn, text: str) -> Reply | None:
        """A question the knowledge base answers (or offers a few answers to), with the form
        kept for later: the resume button comes first."""
        index = await self._knowledge.index(turn.session)
        understood = understand(index, text, turn.settings.unit_name)
        asked = understood.matched or understood.alternatives
        if understood.intent is not Intent.faq or not asked or not understood.replies:
            return None
        answer = understood.replies[0]
        # Menu buttons would set the form aside; a read-back keeps its choices of answers.
        choices = () if understood.matched else answer.buttons
        choices = tuple(b for b in choices if b.payload.startswith(FAQ_PREFIX))
        return Reply(answer.text, (drafts.resume_button(), *choices), answer.attachments)

    async def _command(self, turn: Turn, text: str) -> list[Reply]:
        session, state, actor, now = turn.session, turn.state, turn.actor, turn.now
        words = text.split()
        command = words[0].split("@")[0].lower()[:MAX_PAYLOAD]
        argument = words[1].lower() if len(words) > 1 else ""
        if command == BOOK_COMMAND or (command == "/start" and argument == BOOK_DEEP_LINK):
            # Also Telegram's deep link t.me/<bot>?start=datlich, straight into booking.
            return [await reception.start(session, state, actor, now)]
        if command in GREETING_COMMANDS:
            # Typed from habit (or sent by a page that reloaded): a form is kept as a draft.
            drafts.set_aside(state)
            return [greeting(turn.settings.unit_name)]
        for flow in self._flows:
            if flow.own_authority and flow.answers(command):
                return await flow.press(turn, command)
        if command == deadline_rules.DONE_COMMAND:
            return [await self._done_command(turn, words[1:])]
        if command == PICK_COMMAND:
            return [ask_unit(state)]
        if command == LINK_COMMAND:
            if not actor.private:
                return [with_menu(texts.CODE_PRIVATE_ONLY)]
            code = await access.issue(
                session, purpose=access.LINK, now=now, actor=actor.label, person_id=actor.person_id
            )
            return [with_menu(texts.LINK_CODE.format(code=code))]
        return [with_menu(texts.UNKNOWN_COMMAND)]

    @staticmethod
    async def _done_command(turn: Turn, args: list[str]) -> Reply:
        """`/xong 12 05/11/2026` (the date the reminder showed) or `/xong 12` (the next open
        occurrence): a deadline done, typed (text-only channels have no buttons on pushes)."""
        if not turn.actor.is_staff:
            access.record_denied(turn.session, turn.actor, deadline_rules.DONE_COMMAND, turn.now)
            return with_menu(texts.FORBIDDEN)
        try:
            deadline_id = ascii_int(args[0])
            typed = datetime.strptime(args[1], "%d/%m/%Y").date() if len(args) > 1 else None
        except (IndexError, ValueError):
            return with_menu(texts.BAD_DONE_COMMAND)
        if deadline_id is None or len(args) > 2:
            return with_menu(texts.BAD_DONE_COMMAND)
        return await deadline_chat.mark_done(turn.session, turn.actor, deadline_id, typed, turn.now)

    @staticmethod
    async def _redeem(turn: Turn, code: str) -> Reply:
        session, actor, now = turn.session, turn.actor, turn.now
        if not actor.private:
            return with_menu(texts.CODE_PRIVATE_ONLY)
        result = await access.redeem(session, actor, code, now)
        if result.alert:
            await guessing_alert(session, actor.channel, now)
        if result.outcome == "granted":
            unit = await session.get(Unit, result.unit_id)
            role = texts.ROLE_NAMES.get(result.role or "", result.role or "")
            return Reply(
                texts.ROLE_GRANTED.format(role=role, unit=unit.name if unit else ""),
                (staff.MENU_BUTTON,),
            )
        if result.outcome == "linked":
            return with_menu(texts.LINKED)
        if result.outcome == "slowed" and result.wait is not None:
            return with_menu(texts.CODE_SLOWED.format(wait=wait_words(result.wait)))
        return with_menu(texts.CODE_WRONG)

    async def _press(self, turn: Turn, payload: str) -> list[Reply]:
        state = turn.state
        payload = payload[: MAX_PAYLOAD + 1]
        if payload.startswith("#"):
            payload = expand_payload(payload, state.offered) or payload
        current = self._current(turn)
        if current is not None and current.lets_go_on_press(state):
            state.flow = state.step = None
            state.data = {}
        # Staff, admin and owner payloads are checked on the server, whatever was offered.
        for flow in self._flows:
            if flow.own_authority and flow.answers(payload):
                return await flow.press(turn, payload)
        # Any other payload carries no authority: a menu item or one the last reply offered.
        # An answer or a topic list only informs, and a draft is the person's own: a button for
        # one works from any message.
        informational = payload.startswith((FAQ_PREFIX, TOPIC_PREFIX)) or payload == drafts.RESUME
        allowed = is_global(payload) or payload in state.offered or informational
        if len(payload) > MAX_PAYLOAD or not allowed:
            return [await self._reask(turn, texts.STALE_BUTTON)]
        if is_global(payload):
            drafts.set_aside(state)
            return [await self._menu(turn, payload)]
        if payload == drafts.RESUME:
            return [await self._resume(turn)]
        for flow in self._flows:
            if not flow.own_authority and flow.answers(payload):
                return await flow.press(turn, payload)
        return [await self._inform(turn, payload)]

    async def _menu(self, turn: Turn, payload: str) -> Reply:
        session, state, actor, now = turn.session, turn.state, turn.actor, turn.now
        if payload == MENU_ASK:
            return topics_reply(await self._knowledge.index(session))
        if payload == MENU_RECEPTION:
            return reception.reception_menu()
        if payload == MENU_BOOK:
            return await reception.start(session, state, actor, now)
        if payload == MENU_MINE:
            return await bookings.mine(session, actor, now)
        if payload == MENU_RECEPTION_INFO:
            entry = await self._knowledge.entry(session, SCHEDULE_ENTRY)
            index = await self._knowledge.index(session)
            return answer_reply(entry, index) if entry else reception.reception_menu()
        if payload == MENU_PETITION:
            return petitions.choose_kind()
        if payload == MENU_STATUS:
            return await petition_lookup.mine(session, actor)
        return with_menu(texts.MENU_PROMPT)  # MENU, and any menu item no longer offered

    async def _inform(self, turn: Turn, payload: str) -> Reply:
        """A knowledge-base button: a topic's questions, an answer, or "none of these"."""
        index = await self._knowledge.index(turn.session)
        if payload.startswith(TOPIC_PREFIX):
            listed = topic_reply(index, payload.removeprefix(TOPIC_PREFIX))
            return listed or with_menu(texts.STALE_BUTTON)
        if payload == FAQ_NONE:
            return with_menu(texts.READBACK_REPHRASE)
        if payload.startswith(FAQ_PREFIX):
            entry = await self._knowledge.entry(turn.session, payload.removeprefix(FAQ_PREFIX))
            if entry is None:
                return with_menu(texts.ENTRY_GONE)
            if not turn.actor.is_staff:
                faq_use.count(turn.uses, turn.now.astimezone(VN_TZ).date(), entry.id)
            return answer_reply(entry, index)
        log.warning("offered payload without a handler: %s", payload)
        return with_menu(texts.STALE_BUTTON)
