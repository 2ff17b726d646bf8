"""The desk's Người dùng pages (admins): the staff of the admin's units with their roles,
inviting, renaming and revoking, and the audit log of those staff, all within the admin's scope
(``access.scope``) and through ``handlers.access`` (each change audited there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import desk, people
from db.models import AuditLog, RoleGrant
from handlers import access, texts
from handlers.access import ADMIN, OFFICIAL, Actor, record_denied, scope
from handlers.clock import VN_TZ
from handlers.desk.names import label_names, name_of
from handlers.petitions.routing import flag_leader

ROLE_WORDS = {OFFICIAL: "Cán bộ", ADMIN: "Quản trị"}
ACTION_FAMILIES = {
    "petition.": "Đơn thư",
    "desk.": "Đăng nhập trang làm việc",
    "access.": "Truy cập bị từ chối",
    "role.": "Vai trò",
    "code.": "Mã mời, mã liên kết",
    "person.": "Tên, kênh nhận tin",
    "deadline.": "Hạn báo cáo",
    "reception.": "Tiếp công dân",
    "kb.": "Kho câu hỏi",
    "staff.": "Mở chức năng cán bộ",
}


@dataclass(frozen=True)
class Grant:
    id: int
    role: str
    unit: str
    leader: bool


@dataclass(frozen=True)
class StaffRow:
    person_id: int
    name: str
    grants: list[Grant]


async def staff(session: AsyncSession, actor: Actor) -> list[StaffRow]:
    units = await scope(session, actor)
    found: dict[int, StaffRow] = {}
    for grant, person, unit in await people.all_grants(session):
        if grant.revoked_at is not None or grant.unit_id not in units or person.id is None:
            continue
        row = found.setdefault(
            person.id, StaffRow(person.id, name_of(person.id, person.display_name), [])
        )
        row.grants.append(
            Grant(grant.id or 0, ROLE_WORDS.get(grant.role, grant.role), unit.name, grant.leader)
        )
    return [found[pid] for pid in sorted(found)]


async def in_scope_staff(session: AsyncSession, actor: Actor) -> set[int]:
    return {row.person_id for row in await staff(session, actor)}


async def invite(
    session: AsyncSession,
    actor: Actor,
    role: str,
    unit_id: int | None,
    typed_name: str,
    now: datetime,
) -> tuple[bool, str]:
    name = access.clean_name(typed_name) if typed_name.strip() else None
    units = await scope(session, actor)
    if role not in access.ROLES or unit_id not in units or (typed_name.strip() and not name):
        return False, texts.DESK_BAD_INVITE
    code = await access.issue(
        session,
        purpose=access.INVITE,
        now=now,
        actor=actor.label,
        role=role,
        unit_id=unit_id,
        name=name,
    )
    return True, texts.DESK_INVITED.format(code=code)


async def revoke(
    session: AsyncSession, actor: Actor, grant_id: int, now: datetime
) -> tuple[bool, str] | None:
    """(done, message), or None for a role outside the admin's scope (audited)."""
    grant = await session.get(RoleGrant, grant_id)
    if grant is None or grant.unit_id not in await scope(session, actor):
        record_denied(session, actor, f"desk:grant:{grant_id}", now)
        return None
    if grant.person_id == actor.person_id and grant.role == ADMIN:
        return False, texts.DESK_NOT_OWN_ADMIN
    names = await desk.names(session, [grant.person_id])
    units = await desk.unit_names(session, [grant.unit_id])
    if not await access.revoke(session, grant_id, now, actor.label):
        return False, texts.STALE_BUTTON
    return True, texts.DESK_REVOKED.format(
        role=ROLE_WORDS.get(grant.role, grant.role).lower(),
        name=name_of(grant.person_id, names.get(grant.person_id)),
        unit=units.get(grant.unit_id, ""),
    )


async def set_leader(
    session: AsyncSession, actor: Actor, grant_id: int, leader: bool, now: datetime
) -> tuple[bool, str] | None:
    """(done, message), or None for a role outside the admin's scope (audited)."""
    grant = await session.get(RoleGrant, grant_id)
    if grant is None or grant.unit_id not in await scope(session, actor):
        record_denied(session, actor, f"desk:grant:{grant_id}", now)
        return None
    if not await flag_leader(session, grant_id, leader, now, actor.label):
        return False, texts.STALE_BUTTON
    names = await desk.names(session, [grant.person_id])
    units = await desk.unit_names(session, [grant.unit_id])
    said = texts.DESK_LEADER_ON if leader else texts.DESK_LEADER_OFF
    return True, said.format(
        name=name_of(grant.person_id, names.get(grant.person_id)),
        unit=units.get(grant.unit_id, ""),
    )


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    who: str
    action: str
    target: str
    details: str


async def audit_log(
    session: AsyncSession,
    actor: Actor,
    family: str,
    person_id: int | None,
    since: date | None,
    until: date | None,
) -> list[AuditLine]:
    """What the staff of the admin's units did (newest first, at most 200 lines)."""
    people_in_scope = await in_scope_staff(session, actor)
    rows = await desk.audit_rows(
        session,
        people_in_scope,
        action_prefix=family if family in ACTION_FAMILIES else None,
        person_id=person_id if person_id in people_in_scope else None,
        since=_start(since),
        until=_start(until + timedelta(days=1)) if until else None,
    )
    shown = await label_names(session, [row.actor for row in rows])
    return [
        AuditLine(
            row.at, shown.get(row.actor, row.actor), row.action, row.target or "", _details(row)
        )
        for row in rows
    ]


def _start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(0, 0), tzinfo=VN_TZ) if day else None


def _details(row: AuditLog) -> str:
    parts = []
    for label, data in (("trước", row.before), ("sau", row.after)):
        if data:
            parts.append(f"{label}: " + ", ".join(f"{k}={_value(v)}" for k, v in data.items()))
    return "; ".join(parts)


def _value(value: Any) -> str:
    return str(value)[:200]


async def name_myself(
    session: AsyncSession, actor: Actor, typed: str, now: datetime
) -> tuple[bool, str]:
    """A staff member sets their own name (audited by ``access.rename``); the desk offers it to
    an account with none, whose registers would otherwise be signed with a number. Only the
    signed-in account is ever renamed here; others are renamed by an admin."""
    name = access.clean_name(typed)
    if name is None:
        return False, texts.DESK_BAD_NAME
    await access.rename(session, actor.person_id, name, now, actor.label)
    return True, texts.DESK_MY_NAME_SAVED.format(name=name)
