"""indicators, targets, observations

Revision ID: 745ddff1462a
Revises: 3aca8811b99b
Create Date: 2026-11-22 22:47:18.520418
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.types

revision: str = '745ddff1462a'
down_revision: str | None = '3aca8811b99b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('dimension', sa.String(length=16), nullable=False),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['api_keys.id'], name=op.f('fk_indicators_created_by_id_api_keys'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_indicators_entity_id_entities')),
    sa.ForeignKeyConstraint(['metric_id'], ['metrics.id'], name=op.f('fk_indicators_metric_id_metrics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('slug', name=op.f('uq_indicators_slug'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicators_metric_id'), ['metric_id'], unique=False)

    op.create_table('indicator_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('value_text', sa.String(length=200), nullable=False),
    sa.Column('value', app.core.types.ExactDecimal(length=64), nullable=False),
    sa.Column('bound', sa.String(length=16), nullable=False),
    sa.Column('low', app.core.types.ExactDecimal(length=64), nullable=True),
    sa.Column('high', app.core.types.ExactDecimal(length=64), nullable=True),
    sa.Column('low_open', sa.Boolean(), nullable=False),
    sa.Column('high_open', sa.Boolean(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_indicator_targets_claim_id_claims'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_targets_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_targets'))
    )
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_targets_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period_text', sa.String(length=100), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', app.core.types.ExactDecimal(length=64), nullable=False),
    sa.Column('vintage', sa.Date(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['api_keys.id'], name=op.f('fk_observations_created_by_id_api_keys'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_observations_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_observations_source_id_sources'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations')),
    sa.UniqueConstraint('indicator_id', 'period_start', 'period_end', 'vintage', name=op.f('uq_observations_indicator_id_period_start_period_end_vintage'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('ix_observations_series', ['indicator_id', 'period_end', 'vintage'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('ix_observations_series')

    op.drop_table('observations')
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_targets_indicator_id'))

    op.drop_table('indicator_targets')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_metric_id'))
        batch_op.drop_index(batch_op.f('ix_indicators_entity_id'))

    op.drop_table('indicators')
