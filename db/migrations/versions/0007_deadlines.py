"""officials' deadlines, their done and fired occurrences; where a person wants reminders

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notify_channel", sa.String(length=16), nullable=True))
    op.create_table(
        "deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("basis", sa.String(length=300), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("owner_person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("owner_role", sa.String(length=16), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("recurrence", sa.String(length=300), nullable=True),
        sa.Column("lead_days", sa.JSON(), nullable=False),
        sa.Column("remind_at", sa.String(length=5), nullable=False),
        sa.Column("escalate_after_days", sa.Integer(), nullable=True),
        sa.Column("day_off_rule", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_deadline_unit_id", "deadline", ["unit_id"])
    op.create_table(
        "deadline_done",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), sa.ForeignKey("deadline.id"), nullable=False),
        sa.Column("occurrence", sa.Date(), nullable=False),
        sa.Column("done_by", sa.String(length=64), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deadline_id", "occurrence", name="uq_deadline_done"),
    )
    op.create_index("ix_deadline_done_deadline_id", "deadline_done", ["deadline_id"])
    op.create_table(
        "deadline_fired",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), sa.ForeignKey("deadline.id"), nullable=False),
        sa.Column("occurrence", sa.Date(), nullable=False),
        sa.Column("lead", sa.String(length=8), nullable=False),
        sa.Column("fired_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deadline_id", "occurrence", "lead", name="uq_deadline_fired"),
    )
    op.create_index("ix_deadline_fired_deadline_id", "deadline_fired", ["deadline_id"])


def downgrade() -> None:
    op.drop_table("deadline_fired")
    op.drop_table("deadline_done")
    op.drop_table("deadline")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("notify_channel")
