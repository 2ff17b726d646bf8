"""Run Alembic migrations from code (`dccs db upgrade`, start-up, tests).

Every `dccs` command brings the schema up to date first. Importing Alembic (and Mako through
it) costs a quarter of a second under load, so a SQLite database already at the newest
revision is recognised by reading its ``alembic_version`` row and the revision ids written in
the migration files; only a database that needs migrating (or PostgreSQL) loads Alembic.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r'^revision(?:: str)? = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision(?:: str \| None)? = "([^"]+)"', re.MULTILINE)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would choke on a '%' in a password.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def heads() -> set[str]:
    """The newest revisions, read from the migration files (what Alembic calls the heads)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = _REVISION.search(text)
        if found is not None:
            revisions.add(found.group(1))
        parents.update(_DOWN.findall(text))
    return revisions - parents


def _sqlite_at_head(url: str) -> bool:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return False
    path = Path(parsed.database)
    if not path.is_file():
        return False
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return False
    wanted = heads()
    return bool(wanted) and {row[0] for row in rows} == wanted


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision``. Runs its own event loop: call it outside one."""
    if revision == "head" and _sqlite_at_head(url):
        return
    from alembic import command

    command.upgrade(alembic_config(url), revision)
