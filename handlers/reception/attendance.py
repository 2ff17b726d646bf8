"""When attendance (có mặt / vắng) may be recorded: on the session's day or after it, never
before, so a report never counts a citizen received at a session that has not happened. The
chat and the staff desk both ask here (the desk offers no "Có mặt" before the day)."""

from __future__ import annotations

from datetime import date, datetime

from db.models import ReceptionSession
from handlers.clock import VN_TZ


def session_day(item: ReceptionSession) -> date:
    return item.starts_at.astimezone(VN_TZ).date()


def may_record(item: ReceptionSession, now: datetime) -> bool:
    return now.astimezone(VN_TZ).date() >= session_day(item)
