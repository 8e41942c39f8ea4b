"""figure type of claims

A claim's figure is a level, or a change, multiple or share of the thing it measures
(quantities.FigureType). Every stored claim was read as a level (the parser refused relative
figures until now), so the new column is 'level' for each. The comparison index takes the
column too: claims are compared only with claims of the same figure type. The downgrade drops
the column and restores the index.

Revision ID: 1baf50a7a1ed
Revises: 837d4ad42026
Create Date: 2026-12-06 05:13:22.173577
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '1baf50a7a1ed'
down_revision: str | None = '837d4ad42026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('figure_type', sa.String(length=16), nullable=False, server_default='level')
        )
        batch_op.drop_index(batch_op.f('ix_claims_comparison'))
        batch_op.create_index(
            'ix_claims_comparison',
            ['entity_id', 'metric_id', 'period_start', 'period_end', 'figure_type'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_comparison')
        batch_op.create_index(
            batch_op.f('ix_claims_comparison'),
            ['entity_id', 'metric_id', 'period_start', 'period_end'],
            unique=False,
        )
        batch_op.drop_column('figure_type')
