"""The deadline engine for đơn thư: rules from a file, dates from the working-day calendar.

A case is described to the engine by its rule kind (``khieu_nai_ky_luat`` for a complaint
against a disciplinary decision, else the đơn's kind) and a set of facts the official has
recorded ("complex", "remote", "several_places", "dismissal", ...). A rule's ``variants`` give
the period for a set of facts; the variant naming the most facts that all hold wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from db.models import Petition
from handlers.working_days import WorkingCalendar

RULES_FILE = Path(__file__).parent.parent / "data" / "petition_rules.yaml"
DISCIPLINARY = "khieu_nai_ky_luat"
# Where a tố cáo against the commune's chairman or vice-chairman goes (``settings`` in the file).
TO_PARENT, KEEP_AT_COMMUNE = "parent", "commune"


def rule_kind(petition: Petition) -> str:
    """The kind the rules file knows the case by."""
    return DISCIPLINARY if petition.kind == "khieu_nai" and petition.disciplinary else petition.kind


def facts(petition: Petition) -> frozenset[str]:
    """What the official has recorded about the case that changes its periods."""
    flags = {
        "complex": petition.complex_case or petition.very_complex,
        "very_complex": petition.very_complex,
        "remote": petition.remote_area,
        "several_places": petition.several_places,
        "dismissal": petition.dismissal,
    }
    return frozenset(name for name, on in flags.items() if on)


# "(sửa đổi bởi Luật 136/2025/QH15, chưa đối chiếu)": for officials, not for citizens.
_UNCHECKED_NOTE = re.compile(r"\s*\([^()]*chưa đối chiếu\)")


@dataclass(frozen=True)
class Rule:
    id: str
    kinds: tuple[str, ...]
    # accept, answer, resolve, transfer, notify_accept, limit (thời hiệu; round 2: the window to
    # file a second complaint)
    step: str
    start: str  # the event the period runs from (received, accepted, decision, ...)
    days: int
    count: str  # calendar, working
    citation: str
    valid_from: date
    valid_until: date | None
    confirmed: bool
    round: int | None = None
    variants: Mapping[str, int] = field(default_factory=dict)
    extension: int = 0
    # How many extensions each fact allows ({complex: 1, very_complex: 2}); none otherwise.
    extensions_allowed: Mapping[str, int] = field(default_factory=dict)
    # Time the case was suspended is not counted (the period ends that much later).
    pause_when_suspended: bool = False
    # A lead from an unconfirmed text: it only makes officials' reminders earlier, never a due
    # date, an overdue count, a report figure or a date a citizen sees.
    reminder_only: bool = False

    @property
    def public_citation(self) -> str:
        """The citation as a citizen reads it: the article, without the officials' note that
        an amendment is not checked yet (the date itself is shown as "dự kiến")."""
        return _UNCHECKED_NOTE.sub("", self.citation)

    def period(self, facts: frozenset[str]) -> int:
        best: tuple[int, int] = (0, self.days)
        for key, days in self.variants.items():
            needed = frozenset(key.split("+"))
            if needed <= facts and (len(needed), days) > best:
                best = (len(needed), days)
        return best[1]

    def allowed_extensions(self, facts: frozenset[str]) -> int:
        return max((n for fact, n in self.extensions_allowed.items() if fact in facts), default=0)


@dataclass(frozen=True)
class Due:
    day: date
    rule: Rule
    # The count crossed a day off that no source in ../shared/legal/ settles.
    unsettled: bool = False

    @property
    def estimated(self) -> bool:
        return not self.rule.confirmed or self.unsettled


class RuleBook:
    def __init__(
        self,
        rules: list[Rule],
        calendar: WorkingCalendar,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        self._rules = rules
        self._calendar = calendar
        self.settings = dict(settings or {})

    @classmethod
    def load(cls, calendar: WorkingCalendar, path: Path = RULES_FILE) -> RuleBook:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = []
        for row in data["rules"]:
            values = dict(row)
            values["kinds"] = tuple(values["kinds"])
            values.setdefault("valid_until", None)
            rules.append(Rule(**values))
        return cls(rules, calendar, data.get("settings"))

    @property
    def calendar(self) -> WorkingCalendar:
        return self._calendar

    @property
    def leader_denunciations_go_up(self) -> bool:
        return str(self.settings.get("to_cao_against_commune_leader", TO_PARENT)) == TO_PARENT

    def rules(self) -> list[Rule]:
        return list(self._rules)

    def rule(
        self,
        kind: str,
        step: str,
        on: date,
        second_round: bool = False,
        *,
        reminder: bool = False,
    ) -> Rule | None:
        wanted_round = 2 if second_round else 1
        for rule in self._rules:
            if kind not in rule.kinds or rule.step != step or rule.reminder_only != reminder:
                continue
            if rule.round is not None and rule.round != wanted_round:
                continue
            if rule.valid_from <= on and (rule.valid_until is None or on <= rule.valid_until):
                return rule
        return None

    def due(
        self,
        kind: str,
        step: str,
        start: date,
        *,
        second_round: bool = False,
        facts: Iterable[str] = (),
        extensions: int = 0,
        suspended_days: int = 0,
    ) -> Due | None:
        """The last day of the period for ``step``, counted from ``start`` under the rule in
        force that day."""
        rule = self.rule(kind, step, start, second_round)
        return None if rule is None else self._count(rule, start, facts, extensions, suspended_days)

    def reminder(
        self,
        kind: str,
        step: str,
        start: date,
        *,
        second_round: bool = False,
        facts: Iterable[str] = (),
    ) -> Due | None:
        """An earlier date from an unconfirmed text, when there is one and it is earlier than
        ``due``'s: officials are reminded by it, nothing else uses it."""
        lead = self.rule(kind, step, start, second_round, reminder=True)
        main = self.due(kind, step, start, second_round=second_round, facts=facts)
        if lead is None or main is None:
            return None
        early = self._count(lead, start, facts, 0, 0)
        return early if early.day < main.day else None

    def _count(
        self, rule: Rule, start: date, facts: Iterable[str], extensions: int, suspended_days: int
    ) -> Due:
        known = frozenset(facts)
        days = rule.period(known)
        days += rule.extension * min(extensions, rule.allowed_extensions(known))
        if rule.pause_when_suspended:
            days += suspended_days
        if rule.count == "working":
            day = self._calendar.working_days_after(start, days)
        else:
            day = self._calendar.days_after(start, days)
        return Due(day, rule, not self._calendar.settled(start, day))
