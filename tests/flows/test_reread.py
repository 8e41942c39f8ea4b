"""flows.reread: stored claims read again with today's rules; what changed is applied, an
event each and conflicts checked anew; what today's rules refuse is reported, never changed."""

from datetime import date
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlmodel import select

from app.audit import service as audit
from app.claims.models import Claim, ClaimCreate
from app.flows import claims
from app.flows.reread import Change, Refusal, reread
from app.review.models import Flag
from tests.factories import claim_body

TRADE = {"entity": "EU-Kazakhstan", "metric": "trade turnover", "kind": "actual", "citations": []}


def _log(session: Session, **fields: str) -> int:
    body = ClaimCreate.model_validate(claim_body(**TRADE, **fields))
    claim_id = claims.create_one(session, body, actor_id=None).claim.id
    assert claim_id is not None
    return claim_id


def _as_read_by_old_rules(session: Session, claim_id: int, **columns: object) -> None:
    session.execute(update(Claim).where(Claim.id == claim_id).values(**columns))  # type: ignore[arg-type]
    session.expire_all()


def test_a_claim_read_otherwise_today_is_changed_with_an_event_and_its_conflicts_checked(
    session: Session,
) -> None:
    first = _log(session, value_text="$45 billion", period="2025", stated_by="Ministry")
    second = _log(session, value_text="$40 billion", period="2025", stated_by="Blog")
    conflicts = session.execute(select(Flag.kind, Flag.status)).all()
    assert [tuple(c) for c in conflicts] == [("conflict", "open")]
    # Under the old rules the blog's "2025" was read as 2024 (a different period: no conflict).
    _as_read_by_old_rules(
        session, second, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31)
    )
    session.execute(update(Flag).values(status="resolved"))

    report = reread(session, actor_id=None)

    assert report.read == 2
    assert report.refused == []
    assert report.changed == [
        Change(
            second,
            {
                "period_start": (date(2024, 1, 1), date(2025, 1, 1)),
                "period_end": (date(2024, 12, 31), date(2025, 12, 31)),
            },
        )
    ]
    claim = session.get(Claim, second)
    assert claim is not None and claim.version == 2
    audit.write_pending(session)
    events = audit.get_all(session, record_type="claim", record_id=second)
    assert [e.action for e in events][-1:] == ["claim.reread"] or "claim.reread" in [
        e.action for e in events
    ]
    reread_events = [e for e in events if e.action == "claim.reread"]
    assert len(reread_events) == 1
    assert (reread_events[0].before or {})["period_start"] == "2024-01-01"
    assert (reread_events[0].after or {})["period_start"] == "2025-01-01"
    open_flags = session.execute(select(Flag.kind).where(Flag.status == "open")).scalars().all()
    assert open_flags == ["conflict"]
    assert first != second


def test_what_todays_rules_refuse_is_reported_and_left_as_it_was(session: Session) -> None:
    claim_id = _log(session, value_text="$45 billion", period="2025")
    _as_read_by_old_rules(session, claim_id, value_text="$45 billion¹", value=Decimal(451))

    report = reread(session, actor_id=None)

    assert report.changed == []
    (refusal,) = report.refused
    assert (refusal.claim_id, refusal.field, refusal.text) == (
        claim_id,
        "value_text",
        "$45 billion¹",
    )
    claim = session.get(Claim, claim_id)
    assert claim is not None and (claim.value, claim.version) == (Decimal(451), 1)
    assert isinstance(refusal, Refusal)


def test_a_dry_run_reports_and_changes_nothing(session: Session) -> None:
    claim_id = _log(session, value_text="$45 billion", period="2025")
    _as_read_by_old_rules(session, claim_id, value=Decimal(44))

    report = reread(session, actor_id=None, dry_run=True)

    assert report.changed == [Change(claim_id, {"value": (Decimal(44), Decimal(45000000000))})]
    claim = session.get(Claim, claim_id)
    assert claim is not None and (claim.value, claim.version) == (Decimal(44), 1)
