"""The 2025 administrative units: an IT officer loads them instead of typing them, and citizens'
old addresses (the seeds' districts: Đồng Phú, Đam Rông, Vĩnh Cửu, Thăng Bình, and Phổ Hòa in
thị xã Đức Phổ) are understood, with or without diacritics."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.demo import load_demo
from db import people
from db.engine import SessionFactory
from db.models import AuditLog, Person, Unit
from handlers import texts
from handlers.clock import FixedClock
from handlers.conversation.assistant import Assistant
from handlers.units.build_data import build, dump
from handlers.units.pick import (
    address_note,
    advise_unserved,
    describe_address,
    official_address,
)
from handlers.units.reference import Reference, reference
from handlers.units.registry import UnitSpec, apply, load, official_specs
from tests.test_access import msg
from tests.test_cli import run


async def load_units(
    sessions: SessionFactory, clock: FixedClock, province: str, communes: list[str] | None = None
) -> str:
    async with sessions() as session, session.begin():
        report = await load(session, official_specs(province, communes), clock.now(), "it")
    return report.summary()


def communes_of(ref: Reference, district: str, province: str) -> list[str]:
    return [c.name for c in ref.district_split(province, district).communes]


# -- what the data gives for the seeds' places ---------------------------------------------------


def test_the_seeds_four_districts_are_now_split_among_these_communes() -> None:
    ref = reference()
    assert ref.source["package"] == "vietnamadminunits" and ref.source["licence"] == "MIT"
    assert len(ref.provinces) == 34 and len(ref.communes) == 3321
    assert communes_of(ref, "Huyện Đồng Phú", "Tỉnh Bình Phước") == [
        "Xã Đồng Phú",
        "Xã Thuận Lợi",
        "Xã Đồng Tâm",
        "Xã Tân Lợi",
    ]
    assert communes_of(ref, "Huyện Đam Rông", "Tỉnh Lâm Đồng") == [
        "Xã Đam Rông 4",
        "Xã Đam Rông 3",
        "Xã Đam Rông 2",
        "Xã Đam Rông 1",
    ]
    assert communes_of(ref, "Huyện Vĩnh Cửu", "Tỉnh Đồng Nai") == [
        "Xã Trị An",
        "Xã Phú Lý",
        "Xã Tân An",
        "Phường Tân Triều",
        "Phường Trảng Dài",
    ]
    assert communes_of(ref, "Huyện Thăng Bình", "Tỉnh Quảng Nam") == [
        "Xã Thăng Bình",
        "Xã Thăng An",
        "Xã Đồng Dương",
        "Xã Thăng Phú",
        "Xã Thăng Điền",
        "Xã Thăng Trường",
    ]
    # Đồng Phú and Thăng Bình also changed province: Bình Phước joined Đồng Nai, Quảng Nam
    # joined Đà Nẵng.
    dong_phu = ref.district_split("Tỉnh Bình Phước", "Huyện Đồng Phú").communes
    assert {c.province for c in dong_phu} == {"Tỉnh Đồng Nai"}
    thang_binh = ref.district_split("Tỉnh Quảng Nam", "Huyện Thăng Bình").communes
    assert {c.province for c in thang_binh} == {"Thành phố Đà Nẵng"}


@pytest.mark.parametrize(
    ("typed", "old", "now"),
    [
        ("Xã Tân Tiến, Huyện Đồng Phú, Tỉnh Bình Phước", "Xã Tân Tiến", "Xã Đồng Phú"),
        ("xa tan tien, dong phu, binh phuoc", "Xã Tân Tiến", "Xã Đồng Phú"),
        ("xa tan tien dong phu", "Xã Tân Tiến", "Xã Đồng Phú"),
        ("Thị trấn Hà Lam, Huyện Thăng Bình, Tỉnh Quảng Nam", "Thị trấn Hà Lam", "Xã Thăng Bình"),
        ("tt ha lam thang binh", "Thị trấn Hà Lam", "Xã Thăng Bình"),
        ("Phường Phổ Hòa, thị xã Đức Phổ", "Phường Phổ Hòa", "Phường Đức Phổ"),
        ("P.Pho Hoa, TX Duc Pho, Quang Ngai", "Phường Phổ Hòa", "Phường Đức Phổ"),
        ("thôn 1 xã Rô Men huyện Đam Rông", "Xã Rô Men", "Xã Đam Rông 2"),
        ("thi tran vinh an, vinh cuu", "Thị trấn Vĩnh An", "Xã Trị An"),
        ("Tổ 3, ấp 2, xã Tân Tiến, huyện Đồng Phú, Bình Phước", "Xã Tân Tiến", "Xã Đồng Phú"),
    ],
)
def test_an_old_address_maps_to_its_2025_commune(typed: str, old: str, now: str) -> None:
    place = reference().find(typed).one
    assert place is not None and place.former is not None
    assert (place.former.name, place.commune.name) == (old, now)


def test_an_old_name_found_in_several_provinces_is_not_guessed() -> None:
    found = reference().find("xã Tân Tiến")
    provinces = {p.commune.province for p in found.places}
    assert len(found.places) > 3 and len(provinces) > 3
    # Naming the old district settles it; naming the new province still leaves two.
    assert reference().find("xã Tân Tiến, huyện Đồng Phú").one is not None
    in_dong_nai = reference().find("xã Tân Tiến, Đồng Nai").places
    assert sorted(p.commune.name for p in in_dong_nai) == ["Xã Tân Tiến", "Xã Đồng Phú"]
    # With their marks typed, Đồng Phú is not Đông Phú.
    assert reference().find("huyện Đông Phú").districts == []


# -- the IT officer loads units --------------------------------------------------------------


async def test_an_it_officer_loads_dong_nai_and_running_it_again_duplicates_nothing(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    assert await load_units(sessions, clock, "Đồng Nai") == "Thêm mới: 96; cập nhật: 0."
    async with sessions() as session:
        units = list(await people.units(session))
        dong_phu = await people.unit_by_code_or_name(session, "25363")
    province = next(u for u in units if u.kind == "tinh")
    assert (province.code, province.name) == ("75", "Tỉnh Đồng Nai")
    assert len(units) == 96 and all(u.parent_id == province.id for u in units if u is not province)
    assert dong_phu is not None and dong_phu.name == "Xã Đồng Phú"
    assert dong_phu.aliases == [
        "Thị trấn Tân Phú, Huyện Đồng Phú, Tỉnh Bình Phước",
        "Xã Tân Lập, Huyện Đồng Phú, Tỉnh Bình Phước",
        "Xã Tân Tiến, Huyện Đồng Phú, Tỉnh Bình Phước",
    ]
    again = await load_units(sessions, clock, "dong nai")
    assert again == "Thêm mới: 0; cập nhật: 0. Không đổi: 96."
    async with sessions() as session:
        assert len(await people.units(session)) == 96
        logged = (
            await session.exec(select(AuditLog).where(col(AuditLog.action) == "unit.load"))
        ).all()
    assert len(logged) == 96


async def test_units_typed_by_hand_keep_working_and_are_taken_over_by_the_load(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    typed = [
        UnitSpec(name="Tỉnh Đồng Nai", kind="tinh"),
        UnitSpec(
            name="Xã Đồng Phú",
            kind="xa",
            parent="Tỉnh Đồng Nai",
            aliases=["Xã Tân Lập"],
            profile={"phone": "0271 000 000"},
        ),
        UnitSpec(name="Cơ quan mẫu", kind="co_quan", parent="Xã Đồng Phú"),
    ]
    async with sessions() as session, session.begin():
        await apply(session, typed, clock.now(), actor="it")
    summary = await load_units(sessions, clock, "Đồng Nai", ["Xã Đồng Phú"])
    assert summary == "Thêm mới: 0; cập nhật: 2."
    async with sessions() as session:
        units = list(await people.units(session))
    assert len(units) == 3
    commune = next(u for u in units if u.name == "Xã Đồng Phú")
    assert commune.code == "25363" and commune.profile == {"phone": "0271 000 000"}
    assert commune.aliases[0] == "Xã Tân Lập"  # the admin's alias stays, first
    assert "Xã Tân Tiến, Huyện Đồng Phú, Tỉnh Bình Phước" in commune.aliases


# -- citizens ---------------------------------------------------------------------------------


async def test_a_citizen_of_dong_phu_types_her_old_address_without_diacritics(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await load_units(sessions, clock, "Đồng Nai", ["Xã Đồng Phú", "Xã Đồng Tâm"])
    await assistant.dispatch(msg("/xa"))
    [done] = await assistant.dispatch(msg("xa tan tien dong phu"))
    assert done.text.startswith(
        "Xã Tân Tiến, huyện Đồng Phú (cũ) nay thuộc xã Đồng Phú, tỉnh Đồng Nai. "
        + texts.PICK_UNIT_DONE.format(unit="Xã Đồng Phú")
    )
    async with sessions() as session:
        person = (await session.exec(select(Person))).one()
        unit = await session.get(Unit, person.unit_id)
    assert unit is not None and unit.code == "25363"


async def test_a_citizen_who_types_a_shared_old_name_is_asked_which_one(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await load_units(sessions, clock, "Đồng Nai", ["Xã Đồng Phú", "Xã Tân Tiến"])
    await assistant.dispatch(msg("/xa"))
    [asked] = await assistant.dispatch(msg("tan tien"))
    assert asked.text.startswith("Tên này có ở nhiều nơi:")
    assert "Xã Tân Tiến, huyện Đồng Phú, tỉnh Bình Phước (cũ): nay thuộc xã Đồng Phú" in asked.text
    labels = [b.label for b in asked.buttons]
    assert "Xã Đồng Phú" in labels and "Xã Tân Tiến" in labels
    async with sessions() as session:
        assert (await session.exec(select(Person))).one().unit_id is None
    # She adds her old district and is placed.
    [done] = await assistant.dispatch(msg("xã Tân Tiến, huyện Đồng Phú, Bình Phước"))
    assert done.text.endswith(texts.PICK_UNIT_DONE.format(unit="Xã Đồng Phú"))


async def test_a_citizen_of_a_commune_not_served_is_advised_not_blocked(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await load_units(sessions, clock, "Đồng Nai", ["Xã Đồng Phú"])
    await assistant.dispatch(msg("/xa"))
    [advice] = await assistant.dispatch(msg("thi tran ha lam, thang binh, quang nam"))
    assert advice.text.startswith(
        "Thị trấn Hà Lam, huyện Thăng Bình (cũ) nay thuộc xã Thăng Bình, thành phố Đà Nẵng."
    )
    assert "không tính theo nơi anh/chị ở" in advice.text
    assert "liên hệ UBND xã Thăng Bình, thành phố Đà Nẵng" in advice.text
    assert advice.buttons  # the main menu: nothing is closed to her
    [next_reply] = await assistant.dispatch(msg("đặt lịch tiếp công dân"))
    assert "Thăng Bình" not in next_reply.text


async def test_a_citizen_naming_only_her_old_district_is_told_its_communes(
    assistant: Assistant, sessions: SessionFactory, clock: FixedClock
) -> None:
    await load_units(sessions, clock, "Lâm Đồng", ["Xã Đam Rông 2", "Xã Đam Rông 4"])
    await assistant.dispatch(msg("/xa"))
    [asked] = await assistant.dispatch(msg("huyen dam rong"))
    assert asked.text.startswith(
        "Huyện Đam Rông (cũ) nay chia về các xã, phường: xã Đam Rông 4, xã Đam Rông 3, "
        "xã Đam Rông 2, xã Đam Rông 1 (tỉnh Lâm Đồng)."
    )
    assert [b.label for b in asked.buttons][:2] == ["Xã Đam Rông 4", "Xã Đam Rông 2"]
    [done] = await assistant.dispatch(msg("xã Rô Men"))
    assert done.text.endswith(texts.PICK_UNIT_DONE.format(unit="Xã Đam Rông 2"))


# -- addresses in forms and for officials -----------------------------------------------------


def test_an_address_in_a_form_gets_a_note_and_officials_see_the_new_unit_first() -> None:
    typed = "Tổ 3, ấp 2, xã Tân Tiến, huyện Đồng Phú, Bình Phước"
    assert describe_address(typed) == (
        "Xã Tân Tiến, huyện Đồng Phú (cũ) nay thuộc xã Đồng Phú, tỉnh Đồng Nai."
    )
    assert official_address(typed) == (
        "Tổ 3, ấp 2, xã Đồng Phú, tỉnh Đồng Nai (cũ: xã Tân Tiến, huyện Đồng Phú, Bình Phước)"
    )
    assert official_address("p pho hoa duc pho") == (
        "Phường Đức Phổ, tỉnh Quảng Ngãi (cũ: p pho hoa duc pho)"
    )
    # Today's address needs no note and is shown as typed.
    assert describe_address("Ấp 1, xã Đồng Phú, tỉnh Đồng Nai") is None
    assert official_address("Ấp 1, xã Đồng Phú, tỉnh Đồng Nai") == (
        "Ấp 1, xã Đồng Phú, tỉnh Đồng Nai"
    )
    # A shared old name is flagged, not resolved.
    several = describe_address("thôn 2, xã Tân Tiến")
    assert several is not None and several.startswith("Lưu ý: xã Tân Tiến (cũ) có ở nhiều nơi")
    assert official_address("thôn 2, xã Tân Tiến") == "thôn 2, xã Tân Tiến"
    assert describe_address("nhà tôi gần chợ") is None


async def test_the_place_of_a_matter_outside_the_deployment_gets_advice(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await load_units(sessions, clock, "Đồng Nai", ["Xã Đồng Phú"])
    async with sessions() as session:
        here = await advise_unserved(session, "ấp 2 xã Tân Lập huyện Đồng Phú")
        there = await advise_unserved(session, "Phường Phổ Hòa, Đức Phổ")
    assert here is None
    assert there is not None and "liên hệ UBND phường Đức Phổ, tỉnh Quảng Ngãi" in there


# -- the demo on a real commune ------------------------------------------------------------------


async def test_the_demo_runs_on_a_real_commune_of_the_seeds(
    sessions: SessionFactory, clock: FixedClock, seeded: None
) -> None:
    code = await load_demo(sessions, clock, "Xã Đồng Phú")
    assert code
    async with sessions() as session:
        units = {u.name: u for u in await people.units(session)}
    assert set(units) == {"Tỉnh Đồng Nai", "Xã Đồng Phú"}
    assert units["Xã Đồng Phú"].code == "25363"


# -- the data file is built from the package's wheel ---------------------------------------------


def test_the_data_file_is_built_from_the_packages_wheel(tmp_path: Path) -> None:
    """A small wheel of the same shape as vietnamadminunits': two old communes of huyện Đồng
    Phú merged into one new commune, and one old commune split between two."""
    db = tmp_path / "dataset.db"
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE admin_units (provinceKey, provinceCode, province, wardKey, wardCode,"
            " ward, wardType)"
        )
        connection.executemany(
            "INSERT INTO admin_units VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                ("tinhdongnai", "75", "Tỉnh Đồng Nai", "xadongphu", "25363", "Xã Đồng Phú", "Xã"),
                ("tinhdongnai", "75", "Tỉnh Đồng Nai", "xatanloi", "25378", "Xã Tân Lợi", "Xã"),
            ],
        )
        connection.execute(
            "CREATE TABLE admin_units_legacy (provinceKey, districtKey, wardKey, province,"
            " district, ward, wardCode, districtCode)"
        )
        connection.executemany(
            "INSERT INTO admin_units_legacy VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ("tinhbinhphuoc", "huyendongphu", "thitrantanphu", "Tỉnh Bình Phước",
                 "Huyện Đồng Phú", "Thị trấn Tân Phú", "25363", "697"),
                ("tinhbinhphuoc", "huyendongphu", "xatantien", "Tỉnh Bình Phước",
                 "Huyện Đồng Phú", "Xã Tân Tiến", "25393", "697"),
                ("tinhbinhphuoc", "huyendongphu", "xatanhoa", "Tỉnh Bình Phước",
                 "Huyện Đồng Phú", "Xã Tân Hòa", "25384", "697"),
            ],
        )  # fmt: skip
    converter = {
        "DICT_PROVINCE": {"tinhdongnai": ["tinhdongnai", "tinhbinhphuoc"]},
        "DICT_PROVINCE_WARD_NO_DIVIDED": {
            "tinhdongnai": {
                "xadongphu": [
                    "tinhbinhphuoc_huyendongphu_thitrantanphu",
                    "tinhbinhphuoc_huyendongphu_xatantien",
                ]
            }
        },
        "DICT_PROVINCE_WARD_DIVIDED": {
            "tinhdongnai": {
                "tinhbinhphuoc_huyendongphu_xatanhoa": [
                    {"newWardKey": "xadongphu", "isDefaultNewWard": False},
                    {"newWardKey": "xatanloi", "isDefaultNewWard": True},
                ]
            }
        },
    }
    wheel = tmp_path / "vietnamadminunits-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(
            "vietnamadminunits-9.9.9.dist-info/METADATA",
            "Metadata-Version: 2.4\nName: vietnamadminunits\nVersion: 9.9.9\n"
            "Home-page: https://example.invalid/vau\n\nreadme",
        )
        archive.writestr("vietnamadminunits-9.9.9.dist-info/licenses/LICENSE", "MIT License\n")
        archive.writestr("vietnamadminunits/data/converter_2025.json", json.dumps(converter))
        archive.write(db, "vietnamadminunits/data/dataset.db")
    data, licence = build(wheel)
    assert licence == "MIT License\n"
    assert data["source"]["version"] == "9.9.9"
    built = Reference(json.loads(dump(data)))
    assert [c.name for c in built.communes.values()] == ["Xã Đồng Phú", "Xã Tân Lợi"]
    tan_tien = built.find("xa tan tien dong phu binh phuoc").one
    assert tan_tien is not None and tan_tien.commune.name == "Xã Đồng Phú"
    tan_hoa = built.find("Xã Tân Hòa, Huyện Đồng Phú").one
    assert tan_hoa is not None and [c.name for c in tan_hoa.split] == [
        "Xã Tân Lợi",
        "Xã Đồng Phú",
    ]


def test_an_it_officer_loads_units_from_the_command_line(cli_env: dict[str, str]) -> None:
    args = ["units", "load", "--province", "Quảng Ngãi", "--commune", "Phường Đức Phổ"]
    assert run(args, cli_env).stdout.strip() == "Thêm mới: 2; cập nhật: 0."
    assert run(args, cli_env).stdout.strip() == "Thêm mới: 0; cập nhật: 0. Không đổi: 2."
    exported = run(["units", "export"], cli_env).stdout
    assert "code: '21439'" in exported
    assert "Phường Phổ Hòa, Thị xã Đức Phổ, Tỉnh Quảng Ngãi" in exported
    refused = run(["units", "load", "--province", "Quảng Nôm"], cli_env, check=False)
    assert refused.returncode == 1 and "Không tìm thấy tỉnh" in refused.stderr


async def test_a_hamlets_number_in_a_place_is_not_an_old_ward_of_the_city(
    sessions: SessionFactory, clock: FixedClock
) -> None:
    await load_units(sessions, clock, "Đồng Nai", ["Xã Đồng Phú"])
    async with sessions() as session:
        road = await address_note(session, "duong lien thon 2 - thon 3")
        block = await address_note(session, "tổ 2 - tổ 3, khu 5")
        old = await address_note(session, "123 Lê Lợi, phường 2, quận 3")
    assert road is None and block is None
    assert old is not None and "phường Bàn Cờ" in old
