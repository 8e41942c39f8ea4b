"""The migration that makes a reviewer's decision the claim's verification state (the
seventh revision): beside tests/test_migrations.py, whose database with data it uses."""

from typing import Any

import orjson
from sqlalchemy import Engine, text

from app.core.models import utcnow
from tests.test_migrations import _migrate, _rows
from tests.test_migrations import loaded as loaded  # the fixture

BEFORE = "653a5b477337"  # the last before a reviewer's decision was the claim's state


def test_claims_with_a_verdict_or_a_rank_become_reviewed_with_an_event(loaded: Engine) -> None:
    """The seventh revision makes every claim a reviewer decided on `reviewed` (its latest
    verdict stored beside), with an event where its history said otherwise; the downgrade gives
    back the earlier rule's state, and a round trip writes no event twice."""
    _migrate(loaded, BEFORE, down=True)
    with loaded.begin() as conn:
        ruled, ranked = conn.execute(
            text(
                "SELECT id FROM claims WHERE verification = 'unverified' AND NOT EXISTS"
                " (SELECT 1 FROM reviews r WHERE r.claim_id = claims.id) ORDER BY id LIMIT 2"
            )
        ).scalars()
        conn.execute(
            text(
                "INSERT INTO reviews (claim_id, verdict, note, reviewer, created_at)"
                " VALUES (:c, 'accurate', '', 'r', :t), (:c, 'inaccurate', '', 'r', :t)"
            ),
            {"c": ruled, "t": utcnow()},
        )
        conn.execute(text("UPDATE claims SET rank = 'deprecated' WHERE id = :c"), {"c": ranked})
        before = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
    _migrate(loaded, "head", down=False)
    states = (
        "SELECT id, verification, verdict FROM claims WHERE id IN (:a, :b) OR EXISTS"
        " (SELECT 1 FROM reviews r WHERE r.claim_id = claims.id) ORDER BY id"
    )
    changed = (
        "SELECT record_id, actor_id, before, after FROM events"
        " WHERE action = 'claim.verification_changed' AND id > :n ORDER BY id"
    )
    with loaded.connect() as conn:
        reviewed = conn.execute(text(states), {"a": ruled, "b": ranked}).all()
        events = conn.execute(text(changed), {"n": before}).all()
    first = next(r[0] for r in reviewed if r[0] not in {ruled, ranked})  # reviewed by the app
    assert sorted(reviewed) == sorted(
        [
            (first, "reviewed", "accurate"),
            (ruled, "reviewed", "inaccurate"),
            (ranked, "reviewed", None),
        ]
    )
    migrated = "837d4ad42026"
    assert [(i, actor, _json(b), _json(a)) for i, actor, b, a in events] == [
        (
            ruled,
            None,
            {"verification": "unverified"},
            {
                "verification": "reviewed",
                "verdict": "inaccurate",
                "reasons": ["reviewer verdict: inaccurate"],
                "migration": migrated,
            },
        ),
        (
            ranked,
            None,
            {"verification": "unverified"},
            {
                "verification": "reviewed",
                "verdict": None,
                "reasons": ["ranked deprecated in a resolved conflict"],
                "migration": migrated,
            },
        ),
    ]
    at_head = _rows(loaded)
    _migrate(loaded, BEFORE, down=True)
    with loaded.connect() as conn:
        back = conn.execute(
            text("SELECT id, verification FROM claims WHERE id IN (:a, :b, :c) ORDER BY id"),
            {"a": first, "b": ruled, "c": ranked},
        ).all()
    assert sorted(back) == sorted(
        [(first, "verified"), (ruled, "unverified"), (ranked, "unverified")]
    )
    _migrate(loaded, "head", down=False)
    assert _rows(loaded) == at_head


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str) else value
