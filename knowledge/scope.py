"""What a question is about, for the times the knowledge base has no answer (issue 17).

Four kinds of "I can't answer", each with its own next step: a question in the assistant's
domain that no entry covers (``in_domain``: offer a đơn, a reception booking), an
administrative procedure (``procedure``: the commune's one-stop office), a subject outside the
assistant's work (``off_topic``: say what it does), and a message too vague to read
(``unclear``: ask one short question). The words live in ``lexicon/scope.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.normalize import normalize

SCOPE_FILE = Path(__file__).parent / "lexicon" / "scope.yaml"


class Decline(StrEnum):
    in_domain = "in_domain"
    procedure = "procedure"
    off_topic = "off_topic"
    unclear = "unclear"


@dataclass(frozen=True)
class Situation:
    """A kind of in-domain case ("neighbourhood", "conduct", "waiting"...) and its ways on."""

    name: str
    words: re.Pattern[str]
    offers: tuple[str, ...]
    entries: tuple[str, ...]


def _pattern(words: list[str]) -> re.Pattern[str]:
    folded = sorted({normalize(str(w)) for w in words if normalize(str(w))}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, folded)) + r")\b")


@dataclass(frozen=True)
class Scope:
    procedure: re.Pattern[str]
    off_topic: re.Pattern[str]
    domain: re.Pattern[str]
    situations: tuple[Situation, ...]

    @classmethod
    def load(cls, path: Path = SCOPE_FILE) -> Scope:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            _pattern(raw["procedure"]),
            _pattern(raw["off_topic"]),
            _pattern(raw["domain"]),
            tuple(
                Situation(
                    item["name"],
                    _pattern(item["words"]),
                    tuple(item.get("offers", ())),
                    tuple(item.get("entries", ())),
                )
                for item in raw["in_domain"]
            ),
        )


@lru_cache(maxsize=1)
def scope() -> Scope:
    return Scope.load()


@dataclass(frozen=True)
class Topic:
    """What the words of a message place it in; every field is a phrase found, folded."""

    procedure: tuple[str, ...]
    off_topic: tuple[str, ...]
    domain: tuple[str, ...]
    situation: Situation | None

    @property
    def in_domain(self) -> bool:
        return bool(self.domain) or self.situation is not None


def topic(text: str) -> Topic:
    folded = normalize(text)
    found = scope()
    situation = next((s for s in found.situations if s.words.search(folded)), None)
    return Topic(
        tuple(found.procedure.findall(folded)),
        tuple(found.off_topic.findall(folded)),
        tuple(found.domain.findall(folded)),
        situation,
    )
