"""Targets know stocks from flows: a flow's target is its sum over the target's period (from
`period_start`, given or taken from the claim that set it, to the due date); the goal is shown
as written."""

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.claims.models import ClaimCreate
from app.flows import claims, indicators, observations
from app.indicators.models import IndicatorCreate, ObservationIn, TargetCreate
from app.indicators.targets import progress_of
from tests.factories import claim_body


def _monthly_trade(session: Session, aggregation: str) -> Any:
    made = IndicatorCreate(
        name="EU-Kazakhstan trade",
        entity="EU–Kazakhstan trade",
        metric="trade turnover",
        unit="USD",
        frequency="monthly",
        aggregation=aggregation,
        direction="up_is_good",
    )
    return indicators.create(session, made, actor_id=None)


FIRST_QUARTER = [
    ObservationIn(period="2026-01", value_text="$11 billion", vintage=date(2026, 2, 20)),
    ObservationIn(period="2026-02", value_text="$12 billion", vintage=date(2026, 3, 20)),
    ObservationIn(period="2026-03", value_text="$13 billion", vintage=date(2026, 4, 10)),
    # December 2025 lies before the target's period: it is not summed.
    ObservationIn(period="2025-12", value_text="$30 billion", vintage=date(2026, 1, 20)),
]


def test_a_flow_target_reads_the_sum_over_its_period(session: Session) -> None:
    row = _monthly_trade(session, "flow")
    said = claim_body(
        entity="EU–Kazakhstan trade",
        metric="trade turnover",
        value_text="$150 billion",
        period="2026",
        kind="target",
        asserted_on="2026-01-15",
        citations=[],
    )
    made = claims.create_one(session, ClaimCreate.model_validate(said), actor_id=None)
    target = TargetCreate(
        value_text="$150 billion", due_on=date(2026, 12, 31), claim_id=made.claim.id
    )
    set_ = indicators.add_target(session, row.id, target, actor_id=None)
    assert set_.period_start == date(2026, 1, 1)  # the start of the claim's period
    observations.record(session, row.id, FIRST_QUARTER, actor_id=None)
    (p,) = progress_of(session, row, date(2026, 4, 15))
    assert (p.latest, p.latest_on, p.percent_of_target, p.goal, p.basis) == (
        "36000000000",  # 11 + 12 + 13, not March's 13 (8.67 %)
        date(2026, 3, 31),
        "24",
        "150000000000",
        "sum of 3 monthly observations from 2026-01-01 to 2026-03-31",
    )
    # 114 billion still to go in the 260 days from 15 April to 31 December.
    assert p.required_per_day == "438461538.4615"
    # The trend of the running total (11, 23, 36 at days 0, 28, 59): 738 / 1742 a day, so
    # 36 + 275 * 0.4236509758… = 152.504018… billion on 31 December: on track.
    assert (p.projected, p.status) == ("152504018369.69", "on_track")
    # The same series read as a stock: the latest value, March's.
    row.aggregation = "stock"
    (s,) = progress_of(session, row, date(2026, 4, 15))
    assert (s.latest, s.percent_of_target, s.basis) == (
        "13000000000",
        "8.6667",
        "latest value",
    )


def test_a_gap_in_the_months_is_said(session: Session) -> None:
    row = _monthly_trade(session, "flow")
    target = TargetCreate(
        value_text="$150 billion", due_on=date(2026, 12, 31), period_start=date(2026, 1, 1)
    )
    indicators.add_target(session, row.id, target, actor_id=None)
    observations.record(session, row.id, [FIRST_QUARTER[0], FIRST_QUARTER[2]], actor_id=None)
    (p,) = progress_of(session, row, date(2026, 4, 15))
    assert (p.latest, p.basis) == (
        "24000000000",
        "sum of 2 monthly observations from 2026-01-01 to 2026-03-31 "
        "(1 monthly periods without a value)",
    )


RAIL = {
    "name": "Rail km",
    "entity": "KTZ",
    "metric": "new rail",
    "unit": "km",
    "frequency": "annual",
    "direction": "up_is_good",
}


def test_targets_take_a_period_and_show_the_goal_as_written(
    client: TestClient, analyst: dict[str, str]
) -> None:
    flow = client.post("/api/v1/indicators", json=RAIL | {"aggregation": "flow"}, headers=analyst)
    assert flow.status_code == 201, flow.text
    url = f"/api/v1/indicators/{flow.json()['id']}"
    no_start = client.post(
        f"{url}/targets", json={"value_text": "900 km", "due_on": "2026-12-31"}, headers=analyst
    )
    assert (no_start.status_code, no_start.json()["field"]) == (422, "period_start")
    late = {"value_text": "900 km", "due_on": "2026-12-31", "period_start": "2027-01-01"}
    refused = client.post(f"{url}/targets", json=late, headers=analyst)
    assert (refused.status_code, refused.json()["field"]) == (422, "period_start")
    body = {"value_text": "900 km", "due_on": "2026-12-31", "period_start": "2026-01-01"}
    made = client.post(f"{url}/targets", json=body, headers=analyst)
    assert made.status_code == 201, made.text
    assert (made.json()["period_start"], made.json()["low"]) == ("2026-01-01", "899.5")
    observed = client.post(
        f"{url}/observations",
        json={"period": "2026", "value_text": "450 km", "vintage": "2026-06-01"},
        headers=analyst,
    )
    assert observed.status_code == 201, observed.text
    (shown,) = client.get(f"{url}/progress", headers=analyst).json()["targets"]
    assert (shown["goal"], shown["latest"], shown["percent_of_target"], shown["period_start"]) == (
        "900",
        "450",
        "50",
        "2026-01-01",
    )
    again = client.get(url, headers=analyst).json()
    assert (again["aggregation"], again["targets"][0]["period_start"]) == ("flow", "2026-01-01")
    # A stock's target needs no period.
    stock = client.post("/api/v1/indicators", json=RAIL | {"name": "Rail network"}, headers=analyst)
    assert stock.json()["aggregation"] == "stock"
    free = client.post(
        f"/api/v1/indicators/{stock.json()['id']}/targets",
        json={"value_text": "17,000 km", "due_on": "2030-12-31"},
        headers=analyst,
    )
    assert (free.status_code, free.json()["period_start"]) == (201, None)
    wrong = client.post("/api/v1/indicators", json=RAIL | {"aggregation": "sum"}, headers=analyst)
    assert (wrong.status_code, wrong.json()["field"]) == (422, "aggregation")
