"""Runaway-recurrence benchmark: one deadline stored with a rule that expands to every minute
(``FREQ=DAILY`` with every BYHOUR and BYMINUTE, the form that slipped past the old FREQ check),
as a database written before the rule was refused would hold it; then the most frequent rule
still accepted (``FREQ=DAILY``), left undone for the 30 days since it was entered.

    .venv/bin/python bench/recurrence_bench.py

Reports: the time one clock tick spends planning reminders, how many it plans, and the size of
the official's Monday digest. Target: a tick under 0.1 s and a digest under 4 KB.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.runtime import prepare_database  # noqa: E402
from bot.settings import Settings  # noqa: E402
from db.engine import create_engine, session_factory  # noqa: E402
from db.models import Deadline, Identity, Person, RoleGrant  # noqa: E402
from handlers.clock import VN_TZ  # noqa: E402
from handlers.deadlines.reminders import plan_reminders  # noqa: E402
from handlers.staff.digest import digest_for  # noqa: E402
from handlers.units.registry import UnitSpec, apply  # noqa: E402
from handlers.working_days import working_calendar  # noqa: E402

EVERY_MINUTE = (
    "RRULE:FREQ=DAILY;BYHOUR="
    + ",".join(str(h) for h in range(24))
    + ";BYMINUTE="
    + ",".join(str(m) for m in range(60))
)
MONDAY = datetime(2026, 11, 30, 7, 30, tzinfo=VN_TZ)


async def run(database: str, rule: str) -> dict[str, float]:
    engine = create_engine(database)
    sessions = session_factory(engine)
    created = MONDAY - timedelta(days=30)
    async with sessions() as session, session.begin():
        await apply(session, [UnitSpec(name="Xã Mẫu", kind="xa")], created, actor="bench")
        person = Person(display_name="CB", created_at=created)
        session.add(person)
        await session.flush()
        assert person.id is not None
        session.add(
            Identity(
                person_id=person.id,
                channel="telegram",
                external_id="1",
                last_seen_at=created,
                created_at=created,
            )
        )
        session.add(RoleGrant(person_id=person.id, role="official", unit_id=1, granted_at=created))
        session.add(
            Deadline(title="Cập nhật số liệu", unit_id=1, recurrence=rule, created_at=created)
        )
    started = time.monotonic()
    async with sessions() as session, session.begin():
        planned = await plan_reminders(session, MONDAY, working_calendar())
    tick = time.monotonic() - started
    async with sessions() as session:
        digest = await digest_for(session, person.id, MONDAY, working_calendar()) or ""
    await engine.dispose()
    return {"tick": tick, "planned": len(planned), "digest": len(digest.encode())}


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    for name, rule in (("every-minute rule", EVERY_MINUTE), ("daily rule", "RRULE:FREQ=DAILY")):
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(data_dir=Path(folder))
            prepare_database(settings)
            figures = asyncio.run(run(settings.database(), rule))
        print(
            f"{name}: tick {figures['tick']:.2f} s, {figures['planned']:.0f} reminders "
            f"planned, digest {figures['digest'] / 1024:.1f} KB"
        )


if __name__ == "__main__":
    main()
