"""petition lĩnh vực and result, for the quarterly report

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("petition", sa.Column("field", sa.String(length=32), nullable=True))
    op.add_column("petition", sa.Column("verdict", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("petition", schema=None) as batch_op:
        batch_op.drop_column("verdict")
        batch_op.drop_column("field")
