"""Slowing down guesses at secrets (a đơn's code with the phone's last digits, invite codes)
without locking anyone out.

Each guess is counted under several keys: what was guessed (a đơn's code, whoever types it), who
guessed (one chat or browser session) and from where (the client's address, where the channel
knows it). After a few free failures a key answers only after a wait that doubles with each
further failure, up to a ceiling: with the đơn-code pace, 10 000 guesses at one code take about
27 years, while a person who mistyped twice is not slowed at all. Citizens share addresses (the
carrier's NAT, the commune's Wi-Fi), so an address gets many free failures and a short ceiling.

Counters are rows (`db/throttle.py`), so every process sees them; only lookups and codes read
them, and only failures write them: an ordinary turn never touches them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db import throttle
from handlers import texts


@dataclass(frozen=True)
class Pace:
    free: int  # failures allowed before any wait
    first_wait: timedelta
    longest_wait: timedelta
    forget_after: timedelta  # a key quiet this long starts again from nothing

    def wait_after(self, failures: int) -> timedelta:
        if failures <= self.free:
            return timedelta(0)
        doubled: timedelta = self.first_wait * 2 ** min(failures - self.free - 1, 30)
        return min(doubled, self.longest_wait)


# One secret, from anyone: a đơn's code is 6 characters, but its lookup needs 4 phone digits.
TARGET = Pace(3, timedelta(minutes=1), timedelta(days=1), timedelta(days=30))
# One chat or browser session: a new cookie resets it, hence the other two.
SENDER = Pace(5, timedelta(minutes=1), timedelta(days=1), timedelta(days=1))
# One client address, which many honest people may share.
ADDRESS = Pace(20, timedelta(minutes=1), timedelta(hours=1), timedelta(days=1))
# What retention keeps (the longest forget_after).
KEEP = TARGET.forget_after


@dataclass(frozen=True)
class Key:
    name: str
    pace: Pace


def keys(target: str | None, channel: str, sender: str, origin: str | None) -> list[Key]:
    found = [Key(f"sender:{channel}:{sender}"[:160], SENDER)]
    if target is not None:
        found.insert(0, Key(f"target:{target}"[:160], TARGET))
    if origin:
        found.append(Key(f"addr:{origin}"[:160], ADDRESS))
    return found


async def wait(session: AsyncSession, checked: Sequence[Key], now: datetime) -> timedelta | None:
    """How long before a guess is answered, or None if it may be tried now."""
    rows = await throttle.find(session, [key.name for key in checked])
    waits = [
        row.blocked_until - now
        for row in rows.values()
        if row.blocked_until is not None and row.blocked_until > now
    ]
    return max(waits) if waits else None


async def failed(session: AsyncSession, checked: Sequence[Key], now: datetime) -> bool:
    """Count a failed guess under every key. True when one of them has just begun to wait
    (the moment to tell an admin)."""
    rows = await throttle.find(session, [key.name for key in checked])
    started = False
    for key in checked:
        row = rows.get(key.name)
        fresh = row is None or row.last_at < now - key.pace.forget_after
        failures = 1 if fresh or row is None else row.failures + 1
        pause = key.pace.wait_after(failures)
        started |= failures == key.pace.free + 1
        await throttle.save(session, key.name, failures, now, now + pause if pause else None)
    return started


async def succeeded(session: AsyncSession, checked: Sequence[Key]) -> None:
    """A right guess clears what was guessed, not who or where from."""
    for key in checked:
        if key.name.startswith("target:"):
            await throttle.clear(session, key.name)


def wait_words(pause: timedelta) -> str:
    minutes = max(1, -(-int(pause.total_seconds()) // 60))
    if minutes < 120:
        return texts.WAIT_MINUTES.format(n=minutes)
    return texts.WAIT_HOURS.format(n=-(-minutes // 60))
