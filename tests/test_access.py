"""People, roles and units: invites, lockouts, links, scoping and the audit log."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from db import audit, people
from db.engine import SessionFactory
from db.models import Identity, Outbox, RoleGrant
from handlers import access, texts
from handlers.clock import FixedClock
from handlers.contract import Incoming
from handlers.conversation.assistant import Assistant
from handlers.units.registry import UnitSpec, apply

UNITS = [
    UnitSpec(name="Tỉnh mẫu", kind="tinh"),
    UnitSpec(name="Xã Minh Hòa", kind="xa", parent="Tỉnh mẫu", aliases=["Xã Minh Hưng"]),
    UnitSpec(name="Xã Minh Hải", kind="xa", parent="Tỉnh mẫu"),
    UnitSpec(name="Phường An Lạc", kind="phuong", parent="Tỉnh mẫu"),
]


def msg(
    text: str | None = None,
    *,
    button: str | None = None,
    chat: str = "c1",
    channel: str = "web",
    private: bool = True,
) -> Incoming:
    return Incoming(
        channel=channel, chat_id=chat, user_id=chat, text=text, button=button, private=private
    )


async def setup_units(sessions: SessionFactory, clock: FixedClock) -> None:
    async with sessions() as session, session.begin():
        await apply(session, UNITS, clock.now(), actor="test")


async def invite(
    sessions: SessionFactory,
    clock: FixedClock,
    role: str = access.OFFICIAL,
    unit: str = "Xã Minh Hòa",
) -> str:
    async with sessions() as session, session.begin():
        found = await people.unit_by_code_or_name(session, unit)
        assert found is not None
        return await access.issue(
            session,
            purpose=access.INVITE,
            now=clock.now(),
            actor="test",
            role=role,
            unit_id=found.id,
        )


def payloads(replies: list) -> list[str]:  # type: ignore[type-arg]
    return [b.payload for r in replies for b in r.buttons]


async def test_an_official_redeems_an_invite_and_sees_the_staff_menu(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    code = await invite(sessions, clock)
    [granted] = await assistant.dispatch(msg(f"/start {code}", chat="officer"))
    assert granted.text.startswith("Anh/chị đã nhận vai trò cán bộ của Xã Minh Hòa")
    official_menu = await assistant.dispatch(msg("xin chao", chat="officer"))
    citizen_menu = await assistant.dispatch(msg("xin chao", chat="citizen"))
    assert "staff:menu" in payloads(official_menu)
    assert "staff:menu" not in payloads(citizen_menu)
    [staff_menu] = await assistant.dispatch(msg(button="staff:menu", chat="officer"))
    assert "staff:whoami" in payloads([staff_menu])
    [whoami] = await assistant.dispatch(msg(button="staff:whoami", chat="officer"))
    assert whoami.text.startswith("Anh/chị là cán bộ của Xã Minh Hòa. Số tài khoản của anh/chị: #")


async def test_a_citizen_pressing_an_officials_button_is_refused_and_audited(
    assistant: Assistant, sessions: SessionFactory
) -> None:
    [reply] = await assistant.dispatch(msg(button="staff:petitions", chat="citizen"))
    assert reply.text == texts.FORBIDDEN
    [typed] = await assistant.dispatch(msg("/canbo", chat="citizen"))
    assert typed.text == texts.FORBIDDEN
    async with sessions() as session:
        denied = await audit.entries(session, "access.denied")
    assert [entry.target for entry in denied] == ["staff:petitions", "/canbo"]


async def test_an_invite_works_once(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    code = await invite(sessions, clock)
    await assistant.dispatch(msg(code, chat="first"))
    [second] = await assistant.dispatch(msg(code, chat="second"))
    assert second.text == texts.CODE_WRONG
    async with sessions() as session:
        grants = (await session.exec(select(RoleGrant))).all()
    assert len(grants) == 1


async def test_an_invite_expires_after_72_hours(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    code = await invite(sessions, clock)
    clock.advance(timedelta(hours=72, minutes=1))
    [reply] = await assistant.dispatch(msg(code.lower().replace("-", ""), chat="late"))
    assert reply.text == texts.CODE_WRONG


async def test_wrong_codes_slow_the_sender_down_more_each_time_and_tell_the_admins(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    admin_code = await invite(sessions, clock, role=access.ADMIN, unit="Tỉnh mẫu")
    await assistant.dispatch(msg(admin_code, chat="900", channel="telegram"))
    good = await invite(sessions, clock)
    answers = [
        (await assistant.dispatch(msg(f"AAAA-AAA{n}", chat="guesser")))[0].text for n in range(2, 8)
    ]
    # Five free mistakes; the sixth starts a one-minute wait, then two, four...
    assert answers[:6] == [texts.CODE_WRONG] * 6
    [slowed] = await assistant.dispatch(msg(good, chat="guesser"))
    assert slowed.text == texts.CODE_SLOWED.format(wait="1 phút")
    clock.advance(timedelta(minutes=1, seconds=1))
    await assistant.dispatch(msg("AAAA-AAA9", chat="guesser"))
    [slower] = await assistant.dispatch(msg(good, chat="guesser"))
    assert slower.text == texts.CODE_SLOWED.format(wait="2 phút")
    clock.advance(timedelta(minutes=2, seconds=1))
    [granted] = await assistant.dispatch(msg(good, chat="guesser"))
    assert granted.text.startswith("Anh/chị đã nhận vai trò")
    async with sessions() as session:
        alerts = (
            await session.exec(select(Outbox).where(col(Outbox.dedupe_key).like("alert:guessing%")))
        ).all()
    assert [row.chat_id for row in alerts] == ["900"]


async def test_codes_and_staff_commands_are_refused_in_group_chats(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    code = await invite(sessions, clock)
    [reply] = await assistant.dispatch(msg(code, chat="group", private=False))
    assert reply.text == texts.CODE_PRIVATE_ONLY
    [still_valid] = await assistant.dispatch(msg(code, chat="officer"))
    assert still_valid.text.startswith("Anh/chị đã nhận vai trò")


async def test_a_second_channel_is_linked_with_a_one_time_code(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await assistant.dispatch(msg(await invite(sessions, clock), chat="web-officer"))
    [linked_code] = await assistant.dispatch(msg("/lienket", chat="web-officer"))
    code = linked_code.text.split("là ")[1].split(",")[0]
    [linked] = await assistant.dispatch(msg(code, chat="console-1", channel="console"))
    assert linked.text == texts.LINKED
    # The console now speaks for the same person, roles included.
    console_menu = await assistant.dispatch(msg("xin chao", chat="console-1", channel="console"))
    assert "staff:menu" in payloads(console_menu)
    async with sessions() as session:
        web = (await session.exec(select(Identity).where(Identity.channel == "web"))).one()
        linked_ids = await people.identities(session, web.person_id)
    assert {i.channel for i in linked_ids} == {"web", "console"}


async def test_a_citizen_picks_their_commune_by_its_old_name_without_diacritics(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    [ask] = await assistant.dispatch(msg("/xa"))
    assert ask.text == texts.PICK_UNIT_ASK
    [done] = await assistant.dispatch(msg("minh hung"))
    assert done.text == texts.PICK_UNIT_DONE.format(unit="Xã Minh Hòa")
    await assistant.dispatch(msg("/xa"))
    [choose] = await assistant.dispatch(msg("xa minh ha"))
    assert choose.text == texts.PICK_UNIT_CHOOSE
    labels = [b.label for b in choose.buttons]
    assert "Xã Minh Hòa" in labels and "Xã Minh Hải" in labels
    [picked] = await assistant.dispatch(msg("2"))
    assert picked.text.startswith("Trợ lý đã ghi nhận anh/chị thuộc Xã Minh H")


async def test_an_official_sees_their_unit_and_its_children(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    async with sessions() as session:
        province = await people.unit_by_code_or_name(session, "Tỉnh mẫu")
        commune = await people.unit_by_code_or_name(session, "Xã Minh Hòa")
        assert province and province.id and commune and commune.id
        assert len(await people.subtree_ids(session, province.id)) == 4
        assert await people.subtree_ids(session, commune.id) == {commune.id}


async def test_revoking_a_role_removes_the_staff_menu(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await setup_units(sessions, clock)
    await assistant.dispatch(msg(await invite(sessions, clock), chat="officer"))
    async with sessions() as session, session.begin():
        grant = (await session.exec(select(RoleGrant))).one()
        assert grant.id is not None
        assert await access.revoke(session, grant.id, clock.now(), actor="test")
    [reply] = await assistant.dispatch(msg(button="staff:menu", chat="officer"))
    assert reply.text == texts.FORBIDDEN
