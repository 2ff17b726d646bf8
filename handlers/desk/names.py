"""How the desk names people: an official's name, never a bare account number where a name is
known; history lines written as "person:12" are shown by name."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel.ext.asyncio.session import AsyncSession

from db import desk

FILER = "Người gửi đơn"
SYSTEM_ACTORS = {
    "system": "Trợ lý (tự động)",
    "cli": "Dòng lệnh (cán bộ CNTT)",
    "web": "Trang web",
    "citizen": FILER,
}


def name_of(person_id: int | None, name: str | None) -> str:
    if name:
        return name
    return f"Tài khoản #{person_id}" if person_id else "—"


def person_of_label(label: str) -> int | None:
    """The account number in an actor label ("person:12"), if it is one."""
    prefix, _, number = label.partition(":")
    if prefix == "person" and number.isascii() and number.isdigit() and len(number) < 10:
        return int(number)
    return None


async def label_names(
    session: AsyncSession, labels: Iterable[str], filer: int | None = None
) -> dict[str, str]:
    """Actor labels of history lines or audit rows, each with the name to show for it. The
    filer's own lines (a "xem xét lại" they pressed) say "Người gửi đơn", never their name or
    account: a tố cáo's history is read by officials who may not know who filed it."""
    labels = set(labels)
    ids = {pid for label in labels if (pid := person_of_label(label)) is not None}
    names = await desk.names(session, ids - {filer} if filer else ids)
    shown = {}
    for label in labels:
        pid = person_of_label(label)
        if pid is not None and pid == filer:
            shown[label] = FILER
        elif pid is not None:
            shown[label] = name_of(pid, names.get(pid))
        else:
            shown[label] = SYSTEM_ACTORS.get(label, label)
    return shown
