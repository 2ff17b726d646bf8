"""Answering questions from the knowledge base, and routing free text to an intent.

One function, ``understand``, serves the chat (through the router) and `dccs ask`, so what the
benchmark measures is what citizens get. It decides between answering, reading back a few
close questions, starting what the person asked for, and one of four kinds of "I can't answer"
(``knowledge.scope.Decline``), each with the next step that fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers import texts
from handlers.contract import Button, Reply
from handlers.menu import (
    BACK,
    MAIN_MENU,
    MENU_ASK,
    MENU_BOOK,
    MENU_MINE,
    MENU_PETITION,
    MENU_RECEPTION_INFO,
    MENU_STATUS,
    greeting,
    with_menu,
)
from knowledge.entries import Entry
from knowledge.index import HIGH, STOPWORDS, Confidence, FaqIndex, SearchResult
from knowledge.intents import (
    Code,
    Intent,
    Reading,
    Request,
    is_long,
    questions_in,
    read,
    sentences,
)
from knowledge.normalize import normalize, tokens, without_fillers
from knowledge.scope import Decline, Topic, topic

FAQ_PREFIX = "faq:"
FAQ_NONE = "faq:none"
# Entries worth offering next to an intent that is not built yet.
SCHEDULE_ENTRY = "tcd-chu-tich-xa-tiep-dan"
LETTER_ENTRY = "kn-noi-dung-don"
# What a decline may offer, as `dccs ask --json` names them, and the button for each.
OFFER_BUTTONS = {
    "petition": Button(texts.OFFER_PETITION, MENU_PETITION),
    "reception": Button(texts.OFFER_RECEPTION, MENU_BOOK),
    "status": Button(texts.OFFER_STATUS, MENU_STATUS),
    "schedule": Button(texts.OFFER_SCHEDULE, MENU_RECEPTION_INFO),
    "topics": Button(texts.OFFER_TOPICS, MENU_ASK),
}
IN_DOMAIN_OFFERS = ("petition", "reception")
UNCLEAR_OFFERS = ("topics", "petition", "reception", "status")
ACTIONS = (Intent.reception, Intent.petition, Intent.petition_status)


@dataclass(frozen=True)
class Office:
    """The commune's one-stop office, from the unit's profile."""

    name: str
    address: str | None = None
    phone: str | None = None
    hours: str | None = None


@dataclass(frozen=True)
class Understanding:
    intent: Intent
    matched: bool
    entry: Entry | None
    score: float
    alternatives: tuple[Entry, ...]
    replies: tuple[Reply, ...]
    # Why the assistant did not answer (only with ``Intent.fallback``) and what it offered.
    decline: Decline | None = None
    offers: tuple[str, ...] = ()
    # A request typed in words ("lịch hẹn của tôi"), and a đơn's code found in the message.
    request: Request | None = None
    code: Code | None = None

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
            "decline": self.decline.value if self.decline else None,
            "offers": list(self.offers),
            "request": self.request.value if self.request else None,
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
    """What the assistant says for an action intent where no flow is at hand (`dccs ask`)."""
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
    return greeting(unit_name)


def procedure_reply(office: Office | None) -> Reply:
    """Administrative procedures belong to the commune's one-stop office and the national
    portal; the office's address and hours come from the unit's profile when there is one."""
    if office is None:
        return with_menu(texts.DECLINE_PROCEDURE)
    lines = [texts.DECLINE_PROCEDURE_AT.format(office=office.name)]
    for template, value in (
        (texts.OFFICE_ADDRESS, office.address),
        (texts.OFFICE_HOURS, office.hours),
        (texts.OFFICE_PHONE, office.phone),
    ):
        if value:
            lines.append(template.format(value=value))
    return with_menu("\n".join(lines))


def _decline(
    index: FaqIndex,
    kind: Decline,
    about: Topic,
    score: float = 0.0,
    nearby: tuple[Entry, ...] = (),
    long: bool = False,
    office: Office | None = None,
) -> Understanding:
    if kind is Decline.procedure:
        return Understanding(
            Intent.fallback, False, None, score, (), (procedure_reply(office),), kind
        )
    if kind is Decline.off_topic:
        reply = with_menu(texts.DECLINE_OFF_TOPIC)
        return Understanding(Intent.fallback, False, None, score, (), (reply,), kind)
    if kind is Decline.unclear:
        buttons = tuple(OFFER_BUTTONS[o] for o in UNCLEAR_OFFERS)
        reply = Reply(texts.DECLINE_UNCLEAR, buttons)
        return Understanding(
            Intent.fallback, False, None, score, (), (reply,), kind, UNCLEAR_OFFERS
        )
    situation = about.situation
    offers = (*(situation.offers if situation else IN_DOMAIN_OFFERS), "schedule")
    text = texts.DECLINE_IN_DOMAIN[situation.name if situation else ""]
    if long:
        text = f"{texts.DECLINE_LONG_LEAD} {text}"
    # Entries that help on the way: the situation's own, then what the search found near.
    wanted = [index.get(e) for e in (situation.entries if situation else ())]
    helpful = [e for e in wanted if e is not None] + [e for e in nearby if e not in wanted]
    buttons = (
        *(OFFER_BUTTONS[o] for o in offers),
        *(faq_button(e) for e in helpful[:2]),
        BACK,
    )
    return Understanding(
        Intent.fallback, False, None, score, (), (Reply(text, buttons),), kind, offers
    )


def _content_words(text: str) -> list[str]:
    return [w for w in without_fillers(tokens(text)) if w not in STOPWORDS]


def _unknown_markers(index: FaqIndex, entry: Entry, about: Topic) -> tuple[str, ...]:
    """Procedure or off-topic words of the question that the entry's own phrasings never use:
    an important word no entry knows stops a confident answer ("căn cước" is not "giấy tờ")."""

    def known(phrase: str) -> bool:
        # "căn cước công dân" is known to an entry that says "căn cước".
        words = phrase.split()
        return index.knows(entry, phrase) or (
            len(words) > 2 and index.knows(entry, " ".join(words[:2]))
        )

    return tuple(p for p in (*about.procedure, *about.off_topic) if not known(p))


def _decline_kind(about: Topic, content: list[str]) -> Decline:
    if about.procedure and not about.off_topic:
        return Decline.procedure
    if about.in_domain:
        return Decline.in_domain
    if about.off_topic or len(content) >= 2:
        return Decline.off_topic
    return Decline.unclear


def _action(index: FaqIndex, reading: Reading, unit_name: str | None) -> Understanding:
    reply = intent_reply(index, reading.intent, unit_name)
    return Understanding(
        reading.intent, False, None, 0.0, (), (reply,), request=reading.request, code=reading.code
    )


def _best(index: FaqIndex, texts_: list[str]) -> SearchResult:
    """The most confident search over a message's candidate questions."""
    order = {Confidence.high: 2, Confidence.medium: 1, Confidence.low: 0}
    # A long message's candidates often repeat one sentence (a single question sentence is also
    # "all the questions"); each distinct text is searched once, which keeps long stories fast.
    distinct = dict.fromkeys(t.strip() for t in texts_)
    results = [index.search(t) for t in distinct if t]
    return max(
        results,
        key=lambda r: (order[r.confidence], r.best.score if r.best else 0.0),
        default=SearchResult(Confidence.low, ()),
    )


def understand(
    index: FaqIndex, text: str, unit_name: str | None = None, office: Office | None = None
) -> Understanding:
    long = is_long(text)
    asked = questions_in(text) if long else []
    # A long message is read at its question, or, when it asks nothing, at its last wish.
    focus = asked[-1] if asked else text
    reading = read(focus)
    if long and not asked:
        reading = _last_action(text) or reading
    if reading.code is None and long:
        whole = read(text)
        reading = whole if whole.code is not None else reading
    if reading.intent is Intent.greeting and not long:
        if normalize(text).startswith("cam on"):
            return Understanding(reading.intent, False, None, 0.0, (), (with_menu(texts.THANKS),))
        return _action(index, reading, unit_name)
    if reading.intent in ACTIONS:
        return _action(index, reading, unit_name)
    # The marked words that stop an answer are the question's; the situation that shapes a
    # decline is the whole story's.
    about = topic(text)
    asks_about = topic(focus) if long else about
    content = _content_words(focus)
    if long and len([w for w in content if w not in VAGUE]) < 2:
        # "Vậy tôi phải làm sao?" after a story: the story is the question.
        return _decline(index, _decline_kind(about, content or ["?"] * 2), about, long=True)
    if not content:
        return _decline(index, Decline.unclear, about)
    if not asks_about.in_domain and (asks_about.off_topic or asks_about.procedure):
        kind = Decline.off_topic if asks_about.off_topic else Decline.procedure
        return _decline(index, kind, about, office=office)
    candidates = [focus]
    if long and asked:
        sentences_before = text[: text.rfind(focus)].strip()
        candidates.append(f"{sentences_before.rsplit('.', 1)[-1]} {focus}")
        candidates.append(" ".join(asked))
    result = _best(index, candidates)
    best = result.best
    score = best.score if best else 0.0
    if best is not None and result.confidence is not Confidence.low:
        if _unknown_markers(index, best.entry, asks_about):
            return _decline(index, _decline_kind(about, content), about, score, office=office)
        if result.confidence is Confidence.high or (long and _clear_lead(result)):
            reply = answer_reply(best.entry, index)
            return Understanding(Intent.faq, True, best.entry, best.score, (), (reply,))
        alternatives = tuple(m.entry for m in result.matches if m.score >= best.score * 0.8)
        if about.situation is None and not long:
            return Understanding(
                Intent.faq, False, best.entry, best.score, alternatives, (_readback(alternatives),)
            )
        return _decline(index, Decline.in_domain, about, score, alternatives, long, office)
    kind = _decline_kind(about, content)
    nearby = tuple(m.entry for m in result.matches[:2]) if about.in_domain else ()
    return _decline(index, kind, about, score, nearby, long, office)


# Words that carry no subject of their own: a question made of them alone is vague.
VAGUE = frozenset("giai quyet lam sao gi nao tiep theo nen phai duoc biet hoi muon the".split())
# In a long message the story's words lower every entry's share of the question; a question
# sentence whose best entry clears the bar and stands well clear of the next is answered.
LONG_LEAD = 0.08


def _clear_lead(result: SearchResult) -> bool:
    scores = [m.score for m in result.matches]
    runner_up = scores[1] if len(scores) > 1 else 0.0
    return bool(scores) and scores[0] >= HIGH and scores[0] - runner_up >= LONG_LEAD


def _last_action(text: str) -> Reading | None:
    """In a long message that asks nothing, the last sentence that asks for something done."""
    for sentence in reversed(sentences(text)):
        reading = read(sentence)
        if reading.intent in ACTIONS:
            return reading
    return None
