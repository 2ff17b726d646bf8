"""web history: what the person said on a channel that shows the conversation back

Revision ID: 0013
Revises: 0012_petition_rule_facts
Create Date: 2026-11-29 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012_petition_rule_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("inbox", sa.Column("said", sa.JSON(), nullable=True))
    op.create_index("ix_inbox_chat", "inbox", ["channel", "chat_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_chat", table_name="inbox")
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_column("said")
