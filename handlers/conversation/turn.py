"""One turn of a conversation: what every flow is given, and the one interface every flow
implements so the router can find it in a registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db import faq_use
from db.conversations import ChatState
from handlers import texts
from handlers.access import Actor
from handlers.contract import Incoming, Reply
from handlers.menu import with_menu
from knowledge.normalize import clean


@dataclass(frozen=True)
class AssistantSettings:
    max_message_chars: int = 2000
    # An update that fails this many times is set aside for an admin instead of retried.
    give_up_after: int = 3
    unit_name: str | None = None
    # How long a process may hold an inbox row before another may take it over.
    inbox_lease: timedelta = timedelta(seconds=60)
    # How long a redelivery waits for the first delivery's replies.
    redelivery_wait_seconds: float = 5.0
    # The day of the closing month offices cut report figures on (None: month ends).
    report_cutoff_day: int | None = None
    # The address people reach the server at (links to the staff desk are built from it).
    public_url: str | None = None
    # How long replies claimed for sending stay this process's (the deliverer's lease).
    outbox_lease: timedelta = timedelta(seconds=60)


@dataclass
class Turn:
    """Everything one message is answered with. Flows write through ``session`` (the turn's
    one transaction: a push to someone else is an outbox row in it) and change ``state``,
    which the engine saves with the replies."""

    session: AsyncSession
    state: ChatState
    actor: Actor
    incoming: Incoming
    now: datetime
    settings: AssistantSettings
    uses: faq_use.Tally

    @property
    def text(self) -> str:
        return clean(self.incoming.text or "")


class Flow:
    """A conversation flow as the router sees it: the ``state.flow`` values it owns, the button
    payloads it answers, and three entry points (typed text, a button, resuming a step).

    ``own_authority``: its payloads are checked on the server (a role, an owner), so they are
    taken whether or not the last reply offered them."""

    flows: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    own_authority: bool = False

    def answers(self, payload: str) -> bool:
        return bool(self.prefixes) and payload.startswith(self.prefixes)

    async def text(self, turn: Turn, typed: str) -> list[Reply] | None:
        """The reply to text typed while the flow is in progress; None lets go of the
        conversation: the text is then read as a new message."""
        return None

    async def press(self, turn: Turn, payload: str) -> list[Reply]:
        return [with_menu(texts.STALE_BUTTON)]

    async def resume(self, turn: Turn) -> Reply:
        """The question of the step the flow stands at, asked again."""
        return with_menu(texts.MENU_PROMPT)

    async def files(self, turn: Turn) -> list[Reply] | None:
        """Photos or documents sent: the reply if this step takes them, else None."""
        return None

    def takes_numbers(self, state: ChatState) -> bool:
        """A typed number is an answer here, not a pick among the buttons."""
        return False

    def lets_go_on_press(self, state: ChatState) -> bool:
        """The step waits for typed text only and ends when another button is pressed."""
        return False

    def says_why_it_stops(self, state: ChatState) -> bool:
        """Quit words typed here are the flow's own to answer (what was not done)."""
        return False
