"""Deleting what is past its retention period (DCCS_RETENTION_DAYS).

Handled updates keep the replies sent (redeliveries need them for a while, not forever);
delivered pushes and sent outbox rows may quote a citizen's case; idle web sessions are just
cookies. Petition case files, when they exist, follow their own legal retention rules.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, delete, select

from db import inbox, throttle
from db.engine import SessionFactory
from db.models import InboxItem, Outbox, WebPush, WebSession
from handlers import guesses
from handlers.clock import Clock


class Retention:
    def __init__(self, sessions: SessionFactory, clock: Clock, keep: timedelta) -> None:
        self._sessions = sessions
        self._clock = clock
        self._keep = keep

    async def purge(self) -> None:
        cutoff = self._clock.now() - self._keep
        async with self._sessions() as session, session.begin():
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
            await throttle.forget_before(session, self._clock.now() - guesses.KEEP)
            await session.exec(
                delete(WebSession).where(
                    col(WebSession.last_seen_at) < cutoff,
                    # A session with a push still waiting keeps its row (and its cookie).
                    col(WebSession.token_hash).not_in(select(WebPush.session_hash)),
                )
            )
