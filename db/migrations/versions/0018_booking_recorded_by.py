"""a walk-in register line keeps who recorded it (they may see and turn it into a đơn)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_by_person_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_booking_recorded_by_person_id", "person", ["recorded_by_person_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_constraint("fk_booking_recorded_by_person_id", type_="foreignkey")
        batch_op.drop_column("recorded_by_person_id")
