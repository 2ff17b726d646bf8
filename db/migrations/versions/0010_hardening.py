"""hardening: why an update failed; who receives a session; accused staff; throttles

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("inbox", sa.Column("error", sa.String(length=200), nullable=True))
    for table in ("reception_schedule", "reception_session"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("receiver_person_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f"fk_{table}_receiver", "person", ["receiver_person_id"], ["id"]
            )
    op.create_table(
        "accused",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("marked_by", sa.String(length=128), nullable=False),
        sa.Column("marked_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "target_id", "person_id", name="uq_accused"),
    )
    op.create_index("ix_accused_target", "accused", ["kind", "target_id"])
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", UTCDateTime(), nullable=False),
        sa.Column("blocked_until", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    # Replaced by throttle: a lockout per sender that a new cookie reset.
    op.drop_index("ix_code_failure_external_id", table_name="code_failure")
    op.drop_table("code_failure")


def downgrade() -> None:
    op.create_table(
        "code_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_code_failure_external_id", "code_failure", ["external_id"])
    op.drop_table("throttle")
    op.drop_index("ix_accused_target", table_name="accused")
    op.drop_table("accused")
    for table in ("reception_session", "reception_schedule"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_receiver", type_="foreignkey")
            batch_op.drop_column("receiver_person_id")
    op.drop_column("inbox", "error")
