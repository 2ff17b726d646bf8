"""petition rule facts: kỷ luật, buộc thôi việc, đặc biệt phức tạp, several places, suspension,
the day a decision was received, a tố cáo against a leader and where it came from; leader grants

Revision ID: 0012_petition_rule_facts
Revises: 0010
Create Date: 2026-11-29 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.models import UTCDateTime

revision: str = "0012_petition_rule_facts"
# 0010_hardening.py has revision id "0010"; another branch adds 0011 (re-chained at merge).
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLAGS = ("disciplinary", "dismissal", "very_complex", "several_places", "against_leader")


def upgrade() -> None:
    with op.batch_alter_table("petition", schema=None) as batch_op:
        for name in FLAGS:
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
            )
        batch_op.add_column(sa.Column("suspended_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("suspended_days", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("decision_day", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("routed_from_unit_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_petition_routed_from", "unit", ["routed_from_unit_id"], ["id"]
        )
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("leader", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.drop_column("leader")
    with op.batch_alter_table("petition", schema=None) as batch_op:
        batch_op.drop_constraint("fk_petition_routed_from", type_="foreignkey")
        for name in ("routed_from_unit_id", "decision_day", "suspended_days", "suspended_at"):
            batch_op.drop_column(name)
        for name in reversed(FLAGS):
            batch_op.drop_column(name)
