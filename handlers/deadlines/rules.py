"""What a reporting deadline is: its payloads and limits, its recurrence (at most daily, bounded),
and the days it falls due on, moved off days off."""

from __future__ import annotations

import calendar as month_calendar
import logging
from datetime import date, datetime, time, timedelta

from dateutil.parser import parse as parse_date
from dateutil.rrule import rrule, rrulestr

from db.models import (
    Deadline,
)
from handlers import texts
from handlers.clock import VN_TZ
from handlers.working_days import WorkingCalendar
from knowledge.normalize import ascii_int

PREFIX = "staff:dl:"
LIST = "staff:deadlines"
DONE_PREFIX = "staff:dl:done:"
SNOOZE_PREFIX = "staff:dl:snooze:"
VIEW_PREFIX = "staff:dl:view:"
DONE_COMMAND = "/xong"
NEW = "staff:dl:new"
FLOW = "dl-new"
KIND_PREFIX = "staff:dl:kind:"
log = logging.getLogger(__name__)
DAY_OFF_RULES = ("before", "after", "keep")
# Occurrences further back than this are not looked at (escalation has long fired by then).
LOOK_BACK = timedelta(days=120)
# How far ahead "the next open occurrence" is looked for (a yearly report).
LOOK_AHEAD = timedelta(days=400)
# After the due date the owner is reminded again on these days, then left to the escalation.
LATE = "late"
LATE_DAYS = (1, 3, 7)
ESCALATION = "esc"
# An overdue notice whose moment is further back than this is not sent at all (a clock down
# for a month must not send a month of them at once); the digest and the list still show it.
STALE_AFTER = timedelta(days=3)
# The chat list shows this many occurrences, each with its own button.
LIST_ITEMS = 10
BUTTON_CHARS = 48
KIND_PROMPTS = {
    "once": texts.ASK_DEADLINE_ONCE,
    "monthly": texts.ASK_DEADLINE_MONTHLY,
    "quarterly": texts.ASK_DEADLINE_QUARTERLY,
    "yearly": texts.ASK_DEADLINE_YEARLY,
}


# A reporting duty recurs at most daily: these parts of an RFC 5545 rule would make a rule
# fire many times a day (a minutely rule once held the event loop for 28 s).
_RRULE_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_RRULE_REFUSED = ("BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART")
# No deadline expands into more occurrences than this in one look (a daily rule over the
# reminder window is about 220).
MAX_OCCURRENCES = 400
# A rule must come due at least once in this long after it is entered.
FIRST_WITHIN = timedelta(days=2 * 366)


class DeadlineError(ValueError):
    """A deadline that cannot be used; the message is Vietnamese, for the official."""


def check_recurrence(text: str, anchor: date) -> None:
    """Raise DeadlineError unless ``text`` is a recurrence this module understands, at most
    daily, that comes due at least once in the two years from ``anchor``."""
    if not occurrences_between(text, anchor, anchor + FIRST_WITHIN, anchor):
        raise DeadlineError(texts.RECURRENCE_NEVER_DUE.format(value=text))


def _clamp(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, month_calendar.monthrange(year, month)[1]))


def _rrule_dates(rule: str, start: date, end: date, anchor: date) -> set[date]:
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        key, sign, value = part.partition("=")
        if not sign or "\n" in part or ":" in part:
            raise ValueError
        parts[key.strip().upper()] = value.strip()
    if parts.get("FREQ", "").upper() not in _RRULE_FREQS or set(parts) & set(_RRULE_REFUSED):
        raise ValueError
    count = ascii_int(parts.pop("COUNT")) if "COUNT" in parts else None
    until = parse_date(parts.pop("UNTIL")).date() if "UNTIL" in parts else end
    # The rule is anchored on the day the deadline was entered, so an INTERVAL or a YEARLY
    # rule without BYMONTH means the same dates on every tick.
    parsed = rrulestr(
        ";".join(f"{key}={value}" for key, value in parts.items()),
        dtstart=datetime.combine(anchor, time()),
    )
    if not isinstance(parsed, rrule):
        raise ValueError
    # An explicit end keeps a rule that never matches (30 February) from searching to 9999.
    bounded = parsed.replace(until=datetime.combine(min(until, end), time(23, 59)))
    found: set[date] = set()
    for index, moment in enumerate(bounded):
        if (count is not None and index >= count) or len(found) >= MAX_OCCURRENCES:
            break
        if moment.date() >= start:
            found.add(moment.date())
    return found


def occurrences_between(recurrence: str, start: date, end: date, anchor: date) -> list[date]:
    """The nominal dates of a recurrence in [start, end]; an RRULE counts from ``anchor``."""
    kind, _, rule = recurrence.partition(":")
    found: list[date] = []
    try:
        if kind == "monthly":
            day = int(rule)
            if not 1 <= day <= 31:
                raise ValueError
            year, month = start.year, start.month
            while date(year, month, 1) <= end:
                found.append(_clamp(year, month, day))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        elif kind == "quarterly":
            offset_text, day_text = rule.split(":")
            offset, day = int(offset_text), int(day_text)
            if not (1 <= offset <= 3 and 1 <= day <= 31):
                raise ValueError
            for year in range(start.year, end.year + 1):
                found += [_clamp(year, q * 3 + offset, day) for q in range(4)]
        elif kind in ("yearly", "half_yearly"):
            days = [datetime.strptime(item.strip(), "%d/%m") for item in rule.split(",")]
            for year in range(start.year, end.year + 1):
                found += [_clamp(year, d.month, d.day) for d in days]
        elif kind.upper() == "RRULE":
            found = list(_rrule_dates(rule, start, end, anchor))
        else:
            raise ValueError
    except (ValueError, TypeError, OverflowError):
        raise DeadlineError(texts.BAD_RECURRENCE.format(value=recurrence)) from None
    return sorted(d for d in set(found) if start <= d <= end)[:MAX_OCCURRENCES]


def describe(recurrence: str) -> str:
    """A recurrence in words, as the detail view shows it ("ngày 18 tháng cuối quý")."""
    kind, _, rule = recurrence.partition(":")
    if kind == "monthly":
        return texts.RULE_MONTHLY.format(day=rule)
    if kind == "quarterly":
        offset, _, day = rule.partition(":")
        return texts.RULE_QUARTERLY.format(day=day, month=texts.QUARTER_MONTHS.get(offset, offset))
    if kind in ("yearly", "half_yearly"):
        days = [item.strip() for item in rule.split(",")]
        return texts.RULE_YEARLY.format(days=texts.joined(days))
    freq = next(
        (p.partition("=")[2].upper() for p in rule.split(";") if p.upper().startswith("FREQ=")), ""
    )
    return texts.RULE_RRULE.format(every=texts.RRULE_FREQ_NAMES.get(freq, ""), rule=recurrence)


def adjusted(day: date, rule: str, calendar: WorkingCalendar) -> date:
    """The due date after the day-off rule: reports due "trước ngày 05/5" move earlier."""
    if rule == "keep" or calendar.is_working_day(day):
        return day
    step = timedelta(days=-1 if rule == "before" else 1)
    while not calendar.is_working_day(day):
        day += step
    return day


def created_on(deadline: Deadline) -> date:
    return deadline.created_at.astimezone(VN_TZ).date()


def occurrences(deadline: Deadline, start: date, end: date) -> list[date]:
    """The nominal dates in [start, end], none before the deadline was entered: a plan
    imported in November owes nothing for the months before it existed."""
    start = max(start, created_on(deadline))
    if start > end:
        return []
    if deadline.recurrence:
        try:
            return occurrences_between(deadline.recurrence, start, end, created_on(deadline))
        except DeadlineError:
            # A rule stored before it was refused must not stop every other deadline's work.
            log.warning("deadline %s has an unusable recurrence; skipped", deadline.id)
            return []
    due = deadline.due_date
    return [due] if due is not None and start <= due <= end else []


def leads_in_words(leads: list[int], remind_at: str) -> str:
    before = sorted({d for d in leads if d > 0}, reverse=True)
    if not before:
        return texts.LEADS_ON_DAY.format(at=remind_at)
    return texts.LEADS_BEFORE.format(days=texts.joined([str(d) for d in before]), at=remind_at)


def when_words(deadline: Deadline) -> str:
    if deadline.due_date:
        return texts.DEADLINE_ONCE.format(due=f"{deadline.due_date:%d/%m/%Y}")
    return texts.DEADLINE_RECURRING.format(rule=describe(deadline.recurrence or ""))
