"""indicator aggregation, target period start

An indicator says how its values add up over time (`aggregation`: stock, flow or rate), and a
target names the first day of its period (`period_start`: a flow's target sums its values from
there to its due date). Existing indicators in a percent or a per-year unit are rates, the rest
stocks (a period's value is its latest: how progress read every series until now); existing
targets take the start of the period of the claim that set them, where one did and it names a
period. The downgrade drops both columns.

Revision ID: c4e8a1d2b7f3
Revises: 2f2c1e61197c
Create Date: 2026-12-06 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c4e8a1d2b7f3'
down_revision: str | None = '2f2c1e61197c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDICATORS = sa.table(
    'indicators',
    sa.column('aggregation', sa.String()),
    sa.column('dimension', sa.String()),
)
TARGETS = sa.table(
    'indicator_targets',
    sa.column('claim_id', sa.Integer()),
    sa.column('period_start', sa.Date()),
)
CLAIMS = sa.table('claims', sa.column('id', sa.Integer()), sa.column('period_start', sa.Date()))


def upgrade() -> None:
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('aggregation', sa.String(length=16), nullable=False, server_default='stock')
        )
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_start', sa.Date(), nullable=True))
    op.execute(
        INDICATORS.update()
        .where(
            sa.or_(INDICATORS.c.dimension == 'percent', INDICATORS.c.dimension.like('%/yr'))
        )
        .values(aggregation='rate')
    )
    op.execute(
        TARGETS.update()
        .where(TARGETS.c.claim_id.is_not(None))
        .values(
            period_start=sa.select(CLAIMS.c.period_start)
            .where(CLAIMS.c.id == TARGETS.c.claim_id)
            .scalar_subquery()
        )
    )


def downgrade() -> None:
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.drop_column('period_start')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_column('aggregation')
