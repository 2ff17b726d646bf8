"""The desk's Người dùng pages (admins): the staff of the admin's units with their roles,
inviting, renaming and revoking, and the audit log of those staff, all within the admin's scope
(``access.scope``) and through ``handlers.access`` (each change audited there)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from db import accused, codes, desk, people
from db.models import AuditLog, OneTimeCode, RoleGrant
from handlers import access, texts
from handlers.access import ADMIN, INVITE_TTL, OFFICIAL, Actor, audit_by, record_denied, scope
from handlers.clock import VN_TZ, format_datetime
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


def form_nonce() -> str:
    """The invite form's one-time number: a reload or a second press of the same form finds
    the code it already made (``invite``) instead of making another."""
    return secrets.token_urlsafe(18)


async def invite(
    session: AsyncSession,
    actor: Actor,
    role: str,
    unit_id: int | None,
    typed_name: str,
    now: datetime,
    nonce: str = "",
) -> tuple[bool, str]:
    name = access.clean_name(typed_name) if typed_name.strip() else None
    units = await scope(session, actor)
    if role not in access.ROLES or unit_id not in units or (typed_name.strip() and not name):
        return False, texts.DESK_BAD_INVITE
    if not 16 <= len(nonce) <= 64:
        return False, texts.DESK_INVITE_OLD_FORM
    made = await desk.form_used(session, "code.invite.issue", actor.label, nonce, now - INVITE_TTL)
    if made is not None:
        return False, texts.DESK_INVITE_AGAIN.format(at=format_datetime(made))
    code = await access.issue(
        session,
        purpose=access.INVITE,
        now=now,
        actor=actor.label,
        role=role,
        unit_id=unit_id,
        name=name,
        form=nonce,
    )
    return True, texts.DESK_INVITED.format(code=code)


@dataclass(frozen=True)
class PendingInvite:
    id: int
    role: str
    unit: str
    name: str
    created_at: datetime
    expires_at: datetime


async def pending_invites(
    session: AsyncSession, actor: Actor, now: datetime
) -> list[PendingInvite]:
    """Invite codes of the admin's units not yet redeemed nor expired (the codes themselves
    are not kept, only their hashes)."""
    found = await codes.pending(session, access.INVITE, await scope(session, actor), now)
    unit_names = await desk.unit_names(session, {c.unit_id for c in found if c.unit_id})
    return [
        PendingInvite(
            c.id or 0,
            ROLE_WORDS.get(c.role or "", c.role or ""),
            unit_names.get(c.unit_id or 0, ""),
            c.name or "",
            c.created_at,
            c.expires_at,
        )
        for c in found
    ]


async def cancel_invite(
    session: AsyncSession, actor: Actor, code_id: int, now: datetime
) -> tuple[bool, str] | None:
    """(done, message), or None for a code outside the admin's scope (audited)."""
    code = await session.get(OneTimeCode, code_id)
    if (
        code is None
        or code.purpose != access.INVITE
        or code.unit_id not in await scope(session, actor)
    ):
        record_denied(session, actor, f"desk:code:{code_id}", now)
        return None
    if not await codes.cancel(session, code_id, now):
        return False, texts.DESK_INVITE_GONE
    audit_by(
        session,
        actor,
        "code.invite.cancel",
        now,
        target=f"unit:{code.unit_id}",
        before={"role": code.role, "name": code.name, "created_at": code.created_at.isoformat()},
    )
    units = await desk.unit_names(session, [code.unit_id or 0])
    role = ROLE_WORDS.get(code.role or "", code.role or "").lower()
    return True, texts.DESK_INVITE_CANCELLED.format(role=role, unit=units.get(code.unit_id or 0))


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
        return False, texts.DESK_ALREADY_REVOKED
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
        return False, texts.DESK_ALREADY_REVOKED
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
    """What the staff of the admin's units did (newest first, at most 200 lines), without
    the rows about a đơn or booking the viewer is named in as accused (its trail, the reasons
    typed in it, could point to the denouncer)."""
    people_in_scope = await in_scope_staff(session, actor)
    hidden = await desk.case_targets(
        session,
        await accused.targets_naming(session, accused.PETITION, actor.person_id),
        await accused.targets_naming(session, accused.BOOKING, actor.person_id),
    )
    rows = await desk.audit_rows(
        session,
        people_in_scope,
        action_prefix=family if family in ACTION_FAMILIES else None,
        person_id=person_id if person_id in people_in_scope else None,
        since=_start(since),
        until=_start(until + timedelta(days=1)) if until else None,
        hidden_targets=hidden,
    )
    shown = await label_names(session, [row.actor for row in rows])
    return [
        AuditLine(
            row.at,
            shown.get(row.actor, row.actor),
            action_words(row.action),
            row.target or "",
            _details(row),
        )
        for row in rows
        if not _names_hidden(row.target or "", hidden)
    ]


def _names_hidden(target: str, hidden: set[str]) -> bool:
    """A target naming a hidden case inside a longer text (a refused address such as
    "desk:GET /desk/don/2/in"), which the exact match in the query does not catch."""
    for case in hidden:
        if not case.startswith("desk:"):
            if case in target:
                return True
            continue
        kind, _, number = case.removeprefix("desk:").partition(":")
        page = {"don": "/desk/don/", "tcd-luot": "/desk/tiep-cong-dan/luot/"}.get(kind)
        if page and re.search(rf"{re.escape(page + number)}(?![0-9])", target):
            return True
    return False


def _start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(0, 0), tzinfo=VN_TZ) if day else None


def action_words(action: str) -> str:
    """An audit action in words; one the list does not know stays as it is."""
    if action in texts.AUDIT_ACTION_WORDS:
        return texts.AUDIT_ACTION_WORDS[action]
    family, _, status = action.partition(".")
    if family == "petition" and status in texts.PETITION_STATUS_NAMES:
        return texts.AUDIT_PETITION_STATUS.format(status=texts.PETITION_STATUS_NAMES[status])
    if family == "reception" and status in texts.BOOKING_STATUS_NAMES:
        return texts.AUDIT_BOOKING_STATUS.format(status=texts.BOOKING_STATUS_NAMES[status])
    return action


def _details(row: AuditLog) -> str:
    parts = []
    for label, data in (("Trước", row.before), ("Sau", row.after)):
        if data:
            fields = "; ".join(
                f"{texts.AUDIT_FIELD_WORDS.get(key, key)}: {_value(_word(key, value))}"
                for key, value in data.items()
                if key != "form"
            )
            if fields:
                parts.append(f"{label} – {fields}")
    return ". ".join(parts)


def _word(key: str, value: Any) -> Any:
    """A coded value the desk says in words elsewhere too (a role, an entry's status)."""
    if key == "role" and isinstance(value, str):
        return ROLE_WORDS.get(value, value)
    if key == "status" and isinstance(value, str):
        return texts.KB_STATUS.get(value, value)
    return value


def _value(value: Any, limit: int = 120) -> str:
    """A value as words: lists joined, dates as dd/mm/yyyy, nothing empty, cut when long."""
    if value is None or value == "" or value == [] or value == {}:
        shown = "—"
    elif isinstance(value, bool):
        shown = "có" if value else "không"
    elif isinstance(value, list | tuple):
        shown = ", ".join(_value(item, limit) for item in value)
    elif isinstance(value, dict):
        shown = ", ".join(
            f"{texts.AUDIT_FIELD_WORDS.get(k, k)}: {_value(v, limit)}" for k, v in value.items()
        )
    elif isinstance(value, str) and _moment(value) is not None:
        shown = _moment(value) or value
    else:
        shown = str(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _moment(value: str) -> str | None:
    """An ISO date or moment written by the audit (dd/mm/yyyy, with the time if it has one)."""
    if not 10 <= len(value) <= 40 or value[4:5] != "-" or value[7:8] != "-":
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) == 10:
        return f"{moment:%d/%m/%Y}"
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
    return f"{moment:%H:%M %d/%m/%Y}"


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
