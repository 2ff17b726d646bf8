"""The questions the assistant could not answer, as an admin reviews them: masked, citizens'
only, and dismissable in the chat and on the command line."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from db import faq_use
from db.engine import SessionFactory, create_engine, session_factory
from db.models import AuditLog, UnansweredQuestion
from handlers import texts
from handlers.clock import VN_TZ, FixedClock
from handlers.conversation.assistant import Assistant
from handlers.kb.curation import top_unanswered
from handlers.privacy import mask_personal
from tests.test_kb_admin import make_admin, msg

DCCS = [sys.executable, "-m", "bot"]


@pytest.mark.parametrize(
    "written",
    [
        "0987 654 321",
        "0987.654.321",
        "0987-654-321",
        "098 765 4321",
        "+84 987 654 321",
        "+84987654321",
        "(+84) 98 765 4321",
        "84 987 654 321",
        "0987654321",
        "001 234 567 890",
        "001.234.567.890",
        "001234567890",
    ],
)
def test_every_way_of_writing_a_phone_or_id_number_is_masked(written: str) -> None:
    masked = mask_personal(f"so cua toi la {written} nhe")
    assert masked.startswith("so cua toi la <") and masked.endswith("> nhe"), masked
    assert not any(ch.isdigit() for ch in masked)


@pytest.mark.parametrize(
    "kept", ["ngày 25/11/2026", "2026-11-29 20:44", "100.000.000 đồng", "tổ 12, thôn 3"]
)
def test_dates_and_money_are_not_mistaken_for_numbers_to_hide(kept: str) -> None:
    assert mask_personal(kept) == kept


async def test_officials_and_admins_trying_the_assistant_are_not_citizens_gaps(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await make_admin(assistant, sessions, clock)
    await assistant.dispatch(msg("thủ tục ly hôn cần gì"))
    await assistant.dispatch(msg("thoi hieu khieu nai la bao lau"))
    async with sessions() as session:
        assert await top_unanswered(session) == []
        day = clock.now().date()
        assert await faq_use.totals(session, day, day) == []
    await assistant.dispatch(msg("thủ tục ly hôn cần gì", chat="citizen"))
    async with sessions() as session:
        [gap] = await top_unanswered(session)
        assert await faq_use.totals(session, day, day) == [(faq_use.DECLINED, 1)]
    assert gap.count == 1


async def test_an_admin_dismisses_a_gap_in_the_chat_and_it_stays_dismissed(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await assistant.dispatch(msg("giá vàng hôm nay bao nhiêu, gọi 0987 654 321", chat="c"))
    await make_admin(assistant, sessions, clock)
    [gaps] = await assistant.dispatch(msg(button="kbadm:gaps"))
    assert "0987" not in gaps.text and "<phone>" in gaps.text
    dismiss = next(b for b in gaps.buttons if b.label.startswith("Bỏ qua"))
    assert "0987" not in dismiss.label
    [done] = await assistant.dispatch(msg(button=dismiss.payload))
    assert done.text.startswith("Đã bỏ câu")
    [empty] = await assistant.dispatch(msg(button="kbadm:gaps"))
    assert empty.text == texts.KB_NO_GAPS
    await assistant.dispatch(msg("giá vàng hôm nay bao nhiêu, gọi 0987 654 321", chat="d"))
    async with sessions() as session:
        assert await top_unanswered(session) == []
        [row] = (await session.exec(select(UnansweredQuestion))).all()
        assert row.count == 2 and row.dismissed_at is not None
        audited = (
            await session.exec(select(AuditLog).where(AuditLog.action == "kb.gap_dismiss"))
        ).all()
    assert len(audited) == 1 and audited[0].actor.startswith("person:")


async def _legacy_gap(database: Path) -> None:
    """A gap kept before the grouped forms were masked: the listing masks it now."""
    engine = create_engine(f"sqlite:///{database}")
    now = datetime(2026, 11, 25, 9, 0, tzinfo=VN_TZ)
    async with session_factory(engine)() as session, session.begin():
        session.add(
            UnansweredQuestion(
                key="goi 0987 654 321 hoi ve dat",
                sample="gọi 0987 654 321 hỏi về đất",
                first_seen=now,
                last_seen=now,
            )
        )
    await engine.dispose()


def test_kb_gaps_on_the_command_line_masks_and_dismisses(cli_env: dict[str, str]) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*DCCS, *args], env=cli_env, capture_output=True, text=True, timeout=120, check=True
        )

    run("db", "upgrade")
    asyncio.run(_legacy_gap(Path(cli_env["DCCS_DATA_DIR"]) / "dccs.sqlite3"))
    listed = run("kb", "gaps").stdout
    assert "0987" not in listed and "<phone>" in listed
    gap_id = listed.split("\t", 1)[0]
    assert "Đã bỏ câu số" in run("kb", "gaps", "--dismiss", gap_id).stdout
    assert run("kb", "gaps").stdout.strip() == texts.KB_NO_GAPS
