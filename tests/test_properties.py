"""Arbitrary text and payloads at every entry point: a reply, never an exception."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.engine import create_engine, session_factory
from db.migrate import upgrade
from handlers import texts
from handlers.clock import VN_TZ, FixedClock
from handlers.contract import Incoming
from handlers.conversation.assistant import Assistant
from handlers.faq.answers import understand
from handlers.faq.knowledge import KnowledgeBase, import_entries
from knowledge.entries import Entry, load_entries
from knowledge.index import FaqIndex
from knowledge.normalize import normalize

ANY_TEXT = st.text(max_size=3000)
SUSPECT_TEXT = st.one_of(
    ANY_TEXT,
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Mn"]), max_size=200),
    st.sampled_from(
        [
            "=1+1",
            "'; DROP TABLE kb_entry; --",
            "<script>alert(1)</script>",
            "\u202e\u200b",
            "ｔｈｏｉ ｈｉｅｕ",
            "𝓀𝒽𝒾ế𝓊 𝓃ạ𝒾",
        ]
    ),
)


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    return FaqIndex(load_entries())


@given(text=SUSPECT_TEXT)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_understanding_any_text_gives_a_reply(index: FaqIndex, text: str) -> None:
    result = understand(index, text)
    assert result.replies and all(reply.text for reply in result.replies)
    assert 0.0 <= result.score <= 1.0
    assert normalize(text) == normalize(normalize(text))


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('prop') / 'prop.sqlite3'}"
    upgrade(url)
    return url


async def _dispatch_all(url: str, entries: list[Entry], items: list[Incoming]) -> list[str]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    clock = FixedClock(datetime(2026, 11, 25, 9, 0, tzinfo=VN_TZ))
    try:
        async with sessions() as session, session.begin():
            await import_entries(session, entries, clock.now())
        assistant = Assistant(sessions, KnowledgeBase(refresh_seconds=0), clock)
        out: list[str] = []
        for item in items:
            replies = await assistant.dispatch(item)
            assert replies and all(reply.text for reply in replies)
            out.extend(reply.text for reply in replies)
        return out
    finally:
        await engine.dispose()


@given(
    texts_in=st.lists(SUSPECT_TEXT, min_size=1, max_size=4),
    payloads=st.lists(st.text(max_size=300), min_size=1, max_size=4),
)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_dispatch_survives_any_text_and_any_button(
    sqlite_url: str, texts_in: list[str], payloads: list[str]
) -> None:
    entries = load_entries()
    items = [Incoming("web", "prop", "prop", text=text) for text in texts_in]
    # Payloads nobody offered: only menu items may do anything.
    items += [Incoming("web", "prop-b", "prop-b", button="x" + p) for p in payloads]
    said = asyncio.run(_dispatch_all(sqlite_url, entries, items))
    assert said[-len(payloads) :] == [texts.STALE_BUTTON] * len(payloads)
