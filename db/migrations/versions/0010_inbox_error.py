"""inbox: why an update failed, for the admin who looks at the ones set aside

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("inbox", sa.Column("error", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("inbox", "error")
