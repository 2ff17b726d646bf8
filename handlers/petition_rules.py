"""The deadline engine for đơn thư: rules from a file, dates from the working-day calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from handlers.calendar import WorkingCalendar

RULES_FILE = Path(__file__).parent / "data" / "petition_rules.yaml"


@dataclass(frozen=True)
class Rule:
    id: str
    kinds: tuple[str, ...]
    step: str  # accept, answer, resolve
    start: str  # received, accepted
    days: int
    count: str  # calendar, working
    citation: str
    valid_from: date
    valid_until: date | None
    confirmed: bool
    round: int | None = None
    complex: int | None = None
    remote: int | None = None
    remote_complex: int | None = None
    extension: int = 0
    max_extensions: int = 0

    def period(self, complex_case: bool, remote_area: bool, extensions: int) -> int:
        if remote_area and complex_case and self.remote_complex:
            days = self.remote_complex
        elif remote_area and self.remote:
            days = self.remote
        elif complex_case and self.complex:
            days = self.complex
        else:
            days = self.days
        return days + self.extension * min(extensions, self.max_extensions)


@dataclass(frozen=True)
class Due:
    day: date
    rule: Rule

    @property
    def estimated(self) -> bool:
        return not self.rule.confirmed


class RuleBook:
    def __init__(self, rules: list[Rule], calendar: WorkingCalendar) -> None:
        self._rules = rules
        self._calendar = calendar

    @classmethod
    def load(cls, calendar: WorkingCalendar, path: Path = RULES_FILE) -> RuleBook:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = []
        for row in data["rules"]:
            values = dict(row)
            values["kinds"] = tuple(values["kinds"])
            values.setdefault("valid_until", None)
            rules.append(Rule(**values))
        return cls(rules, calendar)

    def rule(self, kind: str, step: str, on: date, second_round: bool = False) -> Rule | None:
        wanted_round = 2 if second_round else 1
        for rule in self._rules:
            if kind not in rule.kinds or rule.step != step:
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
        complex_case: bool = False,
        remote_area: bool = False,
        extensions: int = 0,
    ) -> Due | None:
        """The last day of the period for ``step``, counted from ``start`` under the rule in
        force that day."""
        rule = self.rule(kind, step, start, second_round)
        if rule is None:
            return None
        days = rule.period(complex_case, remote_area, extensions)
        if rule.count == "working":
            return Due(self._calendar.working_days_after(start, days), rule)
        return Due(self._calendar.days_after(start, days), rule)
