"""flags, reviews, fx rates, claim ranks

Revision ID: 3aca8811b99b
Revises: 59c6466e8b2d
Create Date: 2026-11-22 22:08:37.749451
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.types

revision: str = '3aca8811b99b'
down_revision: str | None = '59c6466e8b2d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('group_key', sa.String(length=120), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('metric_id', sa.Integer(), nullable=True),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('claim_count', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.String(length=24), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['api_keys.id'], name=op.f('fk_flags_assignee_id_api_keys'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_flags_entity_id_entities')),
    sa.ForeignKeyConstraint(['metric_id'], ['metrics.id'], name=op.f('fk_flags_metric_id_metrics')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['api_keys.id'], name=op.f('fk_flags_resolved_by_id_api_keys'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_group_key'), ['group_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_metric_id'), ['metric_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_opened_at'), ['opened_at'], unique=False)
        batch_op.create_index('ix_flags_status_kind', ['status', 'kind'], unique=False)
        batch_op.create_index('uq_flags_open_group', ['kind', 'group_key'], unique=True, postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))

    op.create_table('claim_separations',
    sa.Column('low_claim_id', sa.Integer(), nullable=False),
    sa.Column('high_claim_id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_claim_separations_flag_id_flags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['high_claim_id'], ['claims.id'], name=op.f('fk_claim_separations_high_claim_id_claims')),
    sa.ForeignKeyConstraint(['low_claim_id'], ['claims.id'], name=op.f('fk_claim_separations_low_claim_id_claims')),
    sa.PrimaryKeyConstraint('low_claim_id', 'high_claim_id', name=op.f('pk_claim_separations'))
    )
    with op.batch_alter_table('claim_separations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_separations_high_claim_id'), ['high_claim_id'], unique=False)

    op.create_table('flag_claims',
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_flag_claims_claim_id_claims')),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], name=op.f('fk_flag_claims_flag_id_flags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('flag_id', 'claim_id', name=op.f('pk_flag_claims'))
    )
    with op.batch_alter_table('flag_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_claims_claim_id'), ['claim_id'], unique=False)

    op.create_table('fx_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base', sa.String(length=3), nullable=False),
    sa.Column('quote', sa.String(length=3), nullable=False),
    sa.Column('rate', app.core.types.ExactDecimal(length=64), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('source_note', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['api_keys.id'], name=op.f('fk_fx_rates_created_by_id_api_keys'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_fx_rates_source_id_sources'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fx_rates')),
    sa.UniqueConstraint('base', 'quote', 'as_of', name=op.f('uq_fx_rates_base_quote_as_of'))
    )
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=24), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reviewer', sa.String(length=200), nullable=False),
    sa.Column('reviewer_key_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_reviews_claim_id_claims')),
    sa.ForeignKeyConstraint(['reviewer_key_id'], ['api_keys.id'], name=op.f('fk_reviews_reviewer_key_id_api_keys'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_claim_id'), ['claim_id'], unique=False)

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rank', sa.String(length=16), nullable=False, server_default='normal'))
        batch_op.add_column(sa.Column('rank_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('verification', sa.String(length=16), nullable=False, server_default='unverified'))
        batch_op.create_index(batch_op.f('ix_claims_verification'), ['verification'], unique=False)
    # Claims that existed before verification was tracked: the uncited ones are unsourced; the
    # rest start unverified and are re-judged when their next citation or review arrives.
    op.execute(
        "UPDATE claims SET verification = 'unsourced' "
        "WHERE NOT EXISTS (SELECT 1 FROM citations WHERE citations.claim_id = claims.id)"
    )



def downgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_verification'))
        batch_op.drop_column('verification')
        batch_op.drop_column('rank_reason')
        batch_op.drop_column('rank')

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_claim_id'))

    op.drop_table('reviews')
    op.drop_table('fx_rates')
    with op.batch_alter_table('flag_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_claims_claim_id'))

    op.drop_table('flag_claims')
    with op.batch_alter_table('claim_separations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_separations_high_claim_id'))

    op.drop_table('claim_separations')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('uq_flags_open_group', postgresql_where=sa.text("status = 'open'"), sqlite_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_flags_status_kind')
        batch_op.drop_index(batch_op.f('ix_flags_opened_at'))
        batch_op.drop_index(batch_op.f('ix_flags_metric_id'))
        batch_op.drop_index(batch_op.f('ix_flags_group_key'))
        batch_op.drop_index(batch_op.f('ix_flags_entity_id'))
        batch_op.drop_index(batch_op.f('ix_flags_assignee_id'))

    op.drop_table('flags')
