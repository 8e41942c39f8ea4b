"""entities versioned

An entity's aliases can be changed (PATCH /api/v1/entities/{id}, with If-Match): entities get a
version and an updated_at. Existing entities start at version 1, updated when they were created.

Revision ID: 653a5b477337
Revises: 5a1e0c7b2d10
Create Date: 2026-12-06 04:37:32.988406
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '653a5b477337'
down_revision: str | None = '5a1e0c7b2d10'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTITIES = sa.table(
    'entities', sa.column('version'), sa.column('created_at'), sa.column('updated_at')
)


def upgrade() -> None:
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
    op.get_bind().execute(ENTITIES.update().values(version=1, updated_at=ENTITIES.c.created_at))
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.alter_column('version', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column(
            'updated_at', existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('version')
