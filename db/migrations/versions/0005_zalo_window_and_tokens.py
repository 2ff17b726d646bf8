"""identity last_seen_at (Zalo 7-day window) and channel_token (Zalo OA tokens)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", UTCDateTime(), nullable=True))
    op.create_table(
        "channel_token",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("access_token", sa.String(length=2000), nullable=False),
        sa.Column("refresh_token", sa.String(length=2000), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("channel_token")
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
