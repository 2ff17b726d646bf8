"""a đơn created from a reception (a roster row or a walk-in) is linked to it

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(sa.Column("petition_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_booking_petition_id", "petition", ["petition_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_constraint("fk_booking_petition_id", type_="foreignkey")
        batch_op.drop_column("petition_id")
