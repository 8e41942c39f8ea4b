"""flows.claims.create_many: a batch reads each distinct text once."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.claims import intake
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
