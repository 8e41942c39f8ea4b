"""target notified status: the status webhook subscribers were last told of

Revision ID: b7c2d9e4f1a3
Revises: 76df761987e3
Create Date: 2026-12-07 13:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c2d9e4f1a3"
down_revision: str | None = "76df761987e3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ALTER TABLE ADD COLUMN (no constraint): no rebuild, the search triggers untouched.
    op.add_column("indicator_targets", sa.Column("notified_status", sa.String(length=20)))


def downgrade() -> None:
    with op.batch_alter_table("indicator_targets") as batch_op:
        batch_op.drop_column("notified_status")
