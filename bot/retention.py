"""Deleting what is past its retention period (DCCS_RETENTION_DAYS).

Handled updates keep the replies sent (redeliveries need them for a while, not forever);
delivered pushes and sent outbox rows may quote a citizen's case; idle web sessions are just
cookies; people who only asked questions and have not written since are forgotten with their
identities and conversations. Answers typed into a form that was never sent are dropped much
sooner (DCCS_FORM_IDLE_DAYS). Petition case files, bookings, roles and the audit log follow
their own rules and keep the people they name.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, delete, select

from db import conversations, inbox, people, throttle
from db.engine import SessionFactory
from db.models import DeskSession, InboxItem, Outbox, WebPush, WebSession
from handlers import guesses
from handlers.clock import Clock


class Retention:
    def __init__(
        self,
        sessions: SessionFactory,
        clock: Clock,
        keep: timedelta,
        form_idle: timedelta = timedelta(days=7),
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._keep = keep
        self._form_idle = form_idle

    async def purge(self) -> None:
        now = self._clock.now()
        cutoff = now - self._keep
        async with self._sessions() as session, session.begin():
            await conversations.forget_idle_forms(session, now - self._form_idle)
            await conversations.delete_idle(session, cutoff)
            await people.purge_idle(session, cutoff)
            await session.exec(
                delete(InboxItem).where(
                    col(InboxItem.status) == inbox.DONE, col(InboxItem.processed_at) < cutoff
                )
            )
            # Updates set aside keep their payload for an admin, but not past retention.
            await session.exec(
                delete(InboxItem).where(
                    col(InboxItem.status) == inbox.FAILED, col(InboxItem.created_at) < cutoff
                )
            )
            await session.exec(
                delete(Outbox).where(
                    col(Outbox.status).in_(("sent", "failed", "unreachable")),
                    col(Outbox.created_at) < cutoff,
                )
            )
            await session.exec(delete(WebPush).where(col(WebPush.created_at) < cutoff))
            # Staff desk sessions end after 30 idle minutes; their rows go with retention.
            await session.exec(delete(DeskSession).where(col(DeskSession.last_seen_at) < cutoff))
            await throttle.forget_before(session, self._clock.now() - guesses.KEEP)
            await session.exec(
                delete(WebSession).where(
                    col(WebSession.last_seen_at) < cutoff,
                    # A session with a push still waiting keeps its row (and its cookie).
                    col(WebSession.token_hash).not_in(select(WebPush.session_hash)),
                )
            )
