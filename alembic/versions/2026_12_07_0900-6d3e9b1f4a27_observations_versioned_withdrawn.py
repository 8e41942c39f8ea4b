"""observations versioned and withdrawn

Observations can be corrected (PATCH with If-Match: a version and an updated_at) and withdrawn
(DELETE: a status and the reason, kept out of every series). Each existing observation is live,
at version 1, updated when it was created.

Revision ID: 6d3e9b1f4a27
Revises: c4e8a1d2b7f3
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '6d3e9b1f4a27'
down_revision: str | None = 'c4e8a1d2b7f3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OBSERVATIONS = sa.table(
    'observations',
    sa.column('status', sa.String()),
    sa.column('version', sa.Integer()),
    sa.column('created_at'),
    sa.column('updated_at'),
)


def upgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    op.get_bind().execute(
        OBSERVATIONS.update().values(
            status='live', version=1, updated_at=OBSERVATIONS.c.created_at
        )
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column('version', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column(
            'updated_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('version')
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('status')
