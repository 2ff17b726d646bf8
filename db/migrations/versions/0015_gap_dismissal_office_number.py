"""an admin dismisses a knowledge-base gap; a paper đơn keeps the office's own số đến

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "unanswered_question",
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column("petition", sa.Column("office_number", sa.String(length=40), nullable=True))
    # A re-import of the same book finds the đơn it entered before by its số đến. Not unique:
    # two communes' books may use the same number for đơn both routed to their parent unit.
    op.create_index("ix_petition_unit_office_number", "petition", ["unit_id", "office_number"])


def downgrade() -> None:
    op.drop_index("ix_petition_unit_office_number", table_name="petition")
    with op.batch_alter_table("petition", schema=None) as batch_op:
        batch_op.drop_column("office_number")
    with op.batch_alter_table("unanswered_question", schema=None) as batch_op:
        batch_op.drop_column("dismissed_at")
