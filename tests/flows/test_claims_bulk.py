"""flows.claims.create_many: a batch reads each distinct text once; the minimal answer's
import keeps the same history."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.claims import intake, storage, view
from app.claims.models import ClaimCreate
from app.flows import claims
from tests.factories import claim_body


def test_a_batch_reads_each_distinct_value_and_period_text_once(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[tuple[str, Any]] = []
    read_value, read_period = intake.read_value, intake.read_period

    def value(fields: Any, *, default_unit: str | None, text: str | None) -> Any:
        read.append(("value", text))
        return read_value(fields, default_unit=default_unit, text=text)

    def period(text: str | None, asserted_on: Any) -> Any:
        read.append(("period", text))
        return read_period(text, asserted_on)

    # The entity and the metric known (a new metric's unit is read from the first value).
    claims.create_one(session, ClaimCreate.model_validate(claim_body()), actor_id=None)
    monkeypatch.setattr(intake, "read_value", value)
    monkeypatch.setattr(intake, "read_period", period)
    rows = [
        claim_body(stated_by=f"Speaker {n}", value_text=text, period=when)
        for n, (text, when) in enumerate(
            [("$10 billion", "2030"), ("$10 billion", "2030"), ("$12 billion", "2030")]
        )
    ]
    created = claims.create_many(
        session, [ClaimCreate.model_validate(r) for r in rows], actor_id=None
    )
    assert [c.claim.value_text for c in created] == ["$10 billion", "$10 billion", "$12 billion"]
    assert sorted(read, key=str) == [
        ("period", "2030"),
        ("value", "$10 billion"),
        ("value", "$12 billion"),
    ]


def test_a_minimal_batch_keeps_each_claim_as_its_history_shows_it(session: Session) -> None:
    """`create_many_minimal` builds no public claim: its `claim.created` events are made from
    the claims' own fields, and must be what the history's snapshot of each claim is."""
    rows = [
        claim_body(),
        claim_body(stated_by="A minister", value_text="between $1.005 and $2 billion", tags=[]),
        claim_body(stated_by="An index", value_text="index 104.5", period=None, citations=[]),
        claim_body(stated_by="A bank", value_text="more than 12%", metric="growth rate"),
    ]
    stored = claims.create_many_minimal(
        session, [ClaimCreate.model_validate(r) for r in rows], actor_id=None
    )
    assert [s.stored for s in stored] == [True, True, True, True]
    for s in stored:
        assert s.claim.id is not None
        (event,) = audit.get_all(session, record_type="claim", record_id=s.claim.id)
        assert event.action == "claim.created"
        assert event.after == view.snapshot(session, storage.get(session, s.claim.id))
