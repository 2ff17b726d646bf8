"""Answering questions from the knowledge base, and routing free text to an intent.

One function, ``understand``, serves the chat (through dispatch) and `dccs ask`, so what the
benchmark measures is what citizens get.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers import texts
from handlers.contract import Button, Reply
from handlers.menu import BACK, MAIN_MENU, MENU_BOOK, MENU_MINE, greeting, with_menu
from knowledge.entries import Entry
from knowledge.index import Confidence, FaqIndex
from knowledge.intents import Intent, classify
from knowledge.normalize import normalize

FAQ_PREFIX = "faq:"
FAQ_NONE = "faq:none"
# Entries worth offering next to an intent that is not built yet.
SCHEDULE_ENTRY = "tcd-chu-tich-xa-tiep-dan"
LETTER_ENTRY = "kn-noi-dung-don"


@dataclass(frozen=True)
class Understanding:
    intent: Intent
    matched: bool
    entry: Entry | None
    score: float
    alternatives: tuple[Entry, ...]
    replies: tuple[Reply, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "intent": self.intent.value,
            "matched": self.matched,
            "entry_id": self.entry.id if self.entry else None,
            "score": self.score,
            "answer": "\n\n".join(reply.text for reply in self.replies),
            "sources": [s.model_dump(exclude_none=True) for s in self.entry.sources]
            if self.entry and self.matched
            else [],
            "alternatives": [entry.id for entry in self.alternatives],
        }


TOPIC_PREFIX = "topic:"


def faq_button(entry: Entry) -> Button:
    return Button(entry.questions[0], FAQ_PREFIX + entry.id)


def answer_reply(entry: Entry, index: FaqIndex | None = None) -> Reply:
    """The answer, then where it comes from, then two or three related questions."""
    related = index.related(entry) if index is not None else ()
    return Reply(f"{entry.answer}\n\n{entry.citation()}", (*(faq_button(e) for e in related), BACK))


def topics_reply(index: FaqIndex) -> Reply:
    """Browse without typing: one button per topic group."""
    buttons = tuple(Button(name, TOPIC_PREFIX + slug) for slug, (name, _) in index.groups.items())
    return Reply(texts.ASK_PROMPT, (*buttons, BACK))


def topic_reply(index: FaqIndex, slug: str) -> Reply | None:
    found = index.groups.get(slug)
    if found is None:
        return None
    name, entries = found
    buttons = tuple(Button(entry.topic, FAQ_PREFIX + entry.id) for entry in entries)
    return Reply(texts.TOPIC_LIST.format(topic=name), (*buttons, BACK))


def _readback(entries: tuple[Entry, ...]) -> Reply:
    buttons = [faq_button(entry) for entry in entries]
    buttons.append(Button(texts.READBACK_NONE, FAQ_NONE))
    return Reply(texts.READBACK, tuple(buttons))


def _see_also(index: FaqIndex, entry_id: str, label: str) -> tuple[Button, ...]:
    known = index.get(entry_id) is not None
    return ((Button(label, FAQ_PREFIX + entry_id),) if known else ()) + MAIN_MENU


def intent_reply(index: FaqIndex, intent: Intent, unit_name: str | None = None) -> Reply:
    """What the assistant says for an action intent (the flows arrive with their issues)."""
    if intent is Intent.reception:
        return Reply(
            texts.RECEPTION_MENU,
            (
                Button(texts.RECEPTION_BOOK, MENU_BOOK),
                Button(texts.RECEPTION_MINE, MENU_MINE),
                *_see_also(index, SCHEDULE_ENTRY, texts.SEE_ALSO_SCHEDULE),
            ),
        )
    if intent is Intent.petition:
        return Reply(texts.PETITION_INTRO, _see_also(index, LETTER_ENTRY, texts.SEE_ALSO_LETTER))
    if intent is Intent.petition_status:
        return with_menu(texts.NO_PETITIONS)
    if intent is Intent.greeting:
        return greeting(unit_name)
    return with_menu(texts.FALLBACK)


def understand(index: FaqIndex, text: str, unit_name: str | None = None) -> Understanding:
    intent = classify(text)
    if intent is Intent.greeting and normalize(text).startswith("cam on"):
        return Understanding(intent, False, None, 0.0, (), (with_menu(texts.THANKS),))
    if intent is not Intent.faq:
        reply = intent_reply(index, intent, unit_name)
        return Understanding(intent, False, None, 0.0, (), (reply,))
    result = index.search(text)
    best = result.best
    if best is None or result.confidence is Confidence.low:
        score = best.score if best else 0.0
        return Understanding(
            Intent.fallback, False, None, score, (), (intent_reply(index, Intent.fallback),)
        )
    if result.confidence is Confidence.high:
        return Understanding(
            Intent.faq, True, best.entry, best.score, (), (answer_reply(best.entry, index),)
        )
    alternatives = tuple(m.entry for m in result.matches if m.score >= best.score * 0.8)
    return Understanding(
        Intent.faq, False, best.entry, best.score, alternatives, (_readback(alternatives),)
    )
