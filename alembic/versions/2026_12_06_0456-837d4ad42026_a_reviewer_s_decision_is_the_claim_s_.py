"""a reviewer's decision is the claim's verification state

A claim a reviewer has ruled on is `reviewed`: any verdict (the latest one, stored in the new
column claims.verdict) or a rank given when resolving a conflict (preferred or deprecated).
Before, only an accurate or mostly accurate verdict counted (as `verified`), and an inaccurate,
misleading or unverifiable one left the claim unverified, its queue item open.

The upgrade sets verdict and state on every claim that has a verdict or such a rank. Where that
changes what the claim's history last said of its state (its latest
`claim.verification_changed` event, or the stored state when it has none), it writes such an
event (no actor, `after.migration` naming this revision), as the app does for each change.
The reasons given are the decision's; the app restates the citations' part on the claim's
next check.

The rule is restated here, as it stands at this revision, rather than imported: a migration
must run the same whatever the app's code becomes.

The downgrade drops the column and gives each reviewed claim the state the earlier rule gave,
as far as it can tell without the source graph: unsourced without a citation; verified with an
accurate or mostly accurate latest verdict or an official or statistics source; otherwise
unverified (two independent citations are judged again on the claim's next check). It writes
no event and deletes none: after a round trip, the history already shows the state again.

Revision ID: 837d4ad42026
Revises: 653a5b477337
Create Date: 2026-12-06 04:56:47.372314
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '837d4ad42026'
down_revision: str | None = '653a5b477337'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIMS = sa.table(
    'claims',
    sa.column('id', sa.Integer),
    sa.column('rank', sa.String),
    sa.column('verification', sa.String),
    sa.column('verdict', sa.String),
    sa.column('version', sa.Integer),
)
REVIEWS = sa.table(
    'reviews', sa.column('id', sa.Integer), sa.column('claim_id', sa.Integer), sa.column('verdict', sa.String)
)
CITATIONS = sa.table('citations', sa.column('claim_id', sa.Integer), sa.column('source_id', sa.Integer))
SOURCES = sa.table('sources', sa.column('id', sa.Integer), sa.column('kind', sa.String))
EVENTS = sa.table(
    'events',
    sa.column('id', sa.Integer),
    sa.column('occurred_at', sa.DateTime(timezone=True)),
    sa.column('actor_id', sa.Integer),
    sa.column('action', sa.String),
    sa.column('record_type', sa.String),
    sa.column('record_id', sa.Integer),
    sa.column('version', sa.Integer),
    sa.column('before', sa.JSON),
    sa.column('after', sa.JSON),
)
CHANGED = 'claim.verification_changed'
DECIDING_RANKS = ('preferred', 'deprecated')
VERIFYING_VERDICTS = ('accurate', 'mostly_accurate')
OFFICIAL_KINDS = ('official', 'statistics')


def _latest_verdicts(conn: sa.Connection) -> dict[int, str]:
    latest: dict[int, str] = {}
    for claim_id, verdict in conn.execute(
        sa.select(REVIEWS.c.claim_id, REVIEWS.c.verdict).order_by(REVIEWS.c.id)
    ):
        latest[claim_id] = verdict
    return latest


def _state(state: str, verdict: str | None) -> dict[str, Any]:
    """A state as the app's events show it: a reviewed one with its verdict."""
    return {'verification': state, 'verdict': verdict} if state == 'reviewed' else {'verification': state}


def upgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verdict', sa.String(length=24), nullable=True))
        batch_op.create_index(batch_op.f('ix_claims_verdict'), ['verdict'], unique=False)

    conn = op.get_bind()
    verdicts = _latest_verdicts(conn)
    ranked = sa.select(CLAIMS.c.id).where(CLAIMS.c.rank.in_(DECIDING_RANKS))
    decided = sorted(set(verdicts) | set(conn.execute(ranked).scalars()))
    if not decided:
        return
    shown: dict[int, tuple[str, str | None]] = {}
    for record_id, after in conn.execute(
        sa.select(EVENTS.c.record_id, EVENTS.c.after)
        .where(EVENTS.c.record_type == 'claim', EVENTS.c.action == CHANGED)
        .order_by(EVENTS.c.id)
    ):
        if isinstance(after, dict) and 'verification' in after:
            shown[record_id] = (after['verification'], after.get('verdict'))
    rows = conn.execute(
        sa.select(CLAIMS.c.id, CLAIMS.c.rank, CLAIMS.c.verification, CLAIMS.c.verdict, CLAIMS.c.version)
        .where(CLAIMS.c.id.in_(decided))
        .order_by(CLAIMS.c.id)
    ).all()
    now = datetime.now(UTC)
    updates: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for claim_id, rank, state, verdict, version in rows:
        new_verdict = verdicts.get(claim_id)
        if (state, verdict) != ('reviewed', new_verdict):
            updates.append({'claim_id': claim_id, 'new_verdict': new_verdict})
        if shown.get(claim_id, (state, None)) == ('reviewed', new_verdict):
            continue
        reasons = [f'reviewer verdict: {new_verdict}'] if new_verdict else []
        if rank in DECIDING_RANKS:
            reasons.append(f'ranked {rank} in a resolved conflict')
        events.append(
            {
                'occurred_at': now,
                'actor_id': None,
                'action': CHANGED,
                'record_type': 'claim',
                'record_id': claim_id,
                'version': version,
                'before': _state(state, verdict),
                'after': {**_state('reviewed', new_verdict), 'reasons': reasons, 'migration': revision},
            }
        )
    if updates:
        conn.execute(
            CLAIMS.update()
            .where(CLAIMS.c.id == sa.bindparam('claim_id'))
            .values(verification='reviewed', verdict=sa.bindparam('new_verdict')),
            updates,
        )
    if events:
        conn.execute(EVENTS.insert(), events)


def downgrade() -> None:
    conn = op.get_bind()
    verdicts = _latest_verdicts(conn)
    cited = set(conn.execute(sa.select(CITATIONS.c.claim_id).distinct()).scalars())
    official = set(
        conn.execute(
            sa.select(CITATIONS.c.claim_id)
            .join(SOURCES, SOURCES.c.id == CITATIONS.c.source_id)
            .where(SOURCES.c.kind.in_(OFFICIAL_KINDS))
            .distinct()
        ).scalars()
    )
    reviewed = conn.execute(sa.select(CLAIMS.c.id).where(CLAIMS.c.verification == 'reviewed')).scalars()
    updates = []
    for claim_id in reviewed:
        if claim_id not in cited:
            state = 'unsourced'
        elif verdicts.get(claim_id) in VERIFYING_VERDICTS or claim_id in official:
            state = 'verified'
        else:
            state = 'unverified'
        updates.append({'claim_id': claim_id, 'state': state})
    if updates:
        conn.execute(
            CLAIMS.update().where(CLAIMS.c.id == sa.bindparam('claim_id')).values(verification=sa.bindparam('state')),
            updates,
        )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_verdict'))
        batch_op.drop_column('verdict')
