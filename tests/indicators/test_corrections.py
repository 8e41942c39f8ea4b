"""Observations corrected and withdrawn (If-Match, an event each), and the outlier rule."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.indicators.test_router import INDICATOR, observe

MONTHS = [
    {"period": f"2026-0{m}", "value_text": f"${v} billion", "vintage": "2026-07-10"}
    for m, v in ((1, "100"), (2, "102"), (3, "98"))
]


@pytest.fixture
def indicator(client: TestClient, analyst: dict[str, str]) -> dict[str, Any]:
    response = client.post("/api/v1/indicators", json=INDICATOR, headers=analyst)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _url(indicator: dict[str, Any], observation_id: int | None = None) -> str:
    base = f"/api/v1/indicators/{indicator['id']}/observations"
    return base if observation_id is None else f"{base}/{observation_id}"


def _points(client: TestClient, headers: dict[str, str], indicator: dict[str, Any]) -> Any:
    url = f"/api/v1/indicators/{indicator['id']}/series"
    return [[r["date"], r["value_exact"]] for r in client.get(url, headers=headers).json()]


def _seeded(client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]) -> list[int]:
    created = observe(client, analyst, indicator, MONTHS)
    assert created.status_code == 201, created.text
    return [o["id"] for o in created.json()["items"]]


def _events(client: TestClient, headers: dict[str, str], observation_id: int) -> list[Any]:
    url = f"/api/v1/events?record_type=observation&record_id={observation_id}"
    items = client.get(url, headers=headers).json()["items"]
    return [(e["action"], e["version"], e["before"], e["after"]) for e in reversed(items)]


def test_correct_observation_with_if_match_is_a_new_version_and_event(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    first = _seeded(client, analyst, indicator)[0]
    got = client.get(_url(indicator, first), headers=analyst)
    assert (got.status_code, got.headers["ETag"]) == (200, f'"observation-{first}-v1"')
    body = {"value_text": "$101 billion"}
    assert client.patch(_url(indicator, first), json=body, headers=analyst).status_code == 428
    stale = {**analyst, "If-Match": f'"observation-{first}-v7"'}
    assert client.patch(_url(indicator, first), json=body, headers=stale).status_code == 412
    fixed = client.patch(
        _url(indicator, first), json=body, headers={**analyst, "If-Match": got.headers["ETag"]}
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.headers["ETag"] == f'"observation-{first}-v2"'
    assert (fixed.json()["value"], fixed.json()["version"], fixed.json()["status"]) == (
        "101000000000",
        2,
        "live",
    )
    assert _points(client, analyst, indicator)[0] == ["2026-01-31", "101000000000"]
    events = _events(client, analyst, first)
    assert [(a, v) for a, v, _, _ in events] == [
        ("observation.created", None),
        ("observation.corrected", 2),
    ]
    assert (events[1][2]["value"], events[1][3]["value"]) == ("100000000000", "101000000000")


def test_withdrawn_observation_leaves_every_series_and_stays_readable(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    ids = _seeded(client, analyst, indicator)
    tag = client.get(_url(indicator, ids[1]), headers=analyst).headers["ETag"]
    url = f"{_url(indicator, ids[1])}?reason=misread+the+table"
    assert client.delete(url, headers=analyst).status_code == 428
    gone = client.delete(url, headers={**analyst, "If-Match": tag})
    assert gone.status_code == 200, gone.text
    assert (gone.json()["status"], gone.json()["withdrawn_reason"], gone.json()["version"]) == (
        "withdrawn",
        "misread the table",
        2,
    )
    assert _points(client, analyst, indicator) == [
        ["2026-01-31", "100000000000"],
        ["2026-03-31", "98000000000"],
    ]
    series = f"/api/v1/indicators/{indicator['id']}/series?vintages=all"
    assert len(client.get(series, headers=analyst).json()) == 2
    again = client.delete(url, headers={**analyst, "If-Match": gone.headers["ETag"]})
    assert (again.status_code, again.json()["code"]) == (409, "observation_withdrawn")
    edit = client.patch(
        _url(indicator, ids[1]),
        json={"value_text": "$1 billion"},
        headers={**analyst, "If-Match": "*"},
    )
    assert (edit.status_code, edit.json()["code"]) == (409, "observation_withdrawn")
    assert client.get(_url(indicator, ids[1]), headers=analyst).json()["status"] == "withdrawn"
    assert [a for a, *_ in _events(client, analyst, ids[1])] == [
        "observation.created",
        "observation.withdrawn",
    ]
    no_reason = client.delete(_url(indicator, ids[0]), headers={**analyst, "If-Match": "*"})
    assert (no_reason.status_code, no_reason.json()["field"]) == (422, "reason")


def test_observation_of_another_indicator_is_404(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    first = _seeded(client, analyst, indicator)[0]
    other = client.post(
        "/api/v1/indicators", json={**INDICATOR, "name": "Other trade"}, headers=analyst
    ).json()
    missing = client.get(_url(other, first), headers=analyst)
    assert (missing.status_code, missing.json()["code"]) == (404, "observation_not_found")


def test_outlier_is_refused_unless_confirmed(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    _seeded(client, analyst, indicator)
    typo = {"period": "2026-04", "value_text": "$1", "vintage": "2026-07-10"}
    refused = observe(client, analyst, indicator, typo)
    assert refused.status_code == 422
    problem = refused.json()
    assert (problem["code"], problem["field"], problem["errors"][0]["row"]) == (
        "observation_outlier",
        "[1].value",
        1,
    )
    assert problem["errors"][0]["problem"] == (
        "value 1 is more than 100 times smaller than the median 100000000000 of the series' "
        "last 12 values; send confirm=true if it is right"
    )
    batch = [{**typo, "value_text": "$99 billion"}, {**typo, "period": "2026-05"}]
    named = observe(client, analyst, indicator, batch)
    assert (named.status_code, named.json()["field"]) == (422, "[2].value")
    assert len(_points(client, analyst, indicator)) == 3
    confirmed = client.post(f"{_url(indicator)}?confirm=true", json=typo, headers=analyst)
    assert confirmed.status_code == 201, confirmed.text
    assert len(_points(client, analyst, indicator)) == 4


def test_outlier_rule_needs_three_values_and_a_nonzero_median(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    two = observe(client, analyst, indicator, MONTHS[:2])
    assert two.status_code == 201
    typo = {"period": "2026-04", "value_text": "$1", "vintage": "2026-07-10"}
    assert observe(client, analyst, indicator, typo).status_code == 201
    zeros = [{**m, "value_text": "$0"} for m in MONTHS]
    other = client.post(
        "/api/v1/indicators", json={**INDICATOR, "name": "Zero trade"}, headers=analyst
    ).json()
    assert observe(client, analyst, other, zeros).status_code == 201
    big = {"period": "2026-05", "value_text": "$5 billion", "vintage": "2026-07-10"}
    assert observe(client, analyst, other, big).status_code == 201


def test_correction_to_an_outlier_names_value_and_confirm_stores_it(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    first = _seeded(client, analyst, indicator)[0]
    april = {"period": "2026-04", "value_text": "$100 billion", "vintage": "2026-07-10"}
    assert observe(client, analyst, indicator, april).status_code == 201
    any_version = {**analyst, "If-Match": "*"}
    body = {"value": "100", "unit": "USD"}
    refused = client.patch(_url(indicator, first), json=body, headers=any_version)
    assert (refused.status_code, refused.json()["code"], refused.json()["field"]) == (
        422,
        "observation_outlier",
        "value",
    )
    assert "median 100000000000" in refused.json()["detail"]
    ok = client.patch(f"{_url(indicator, first)}?confirm=true", json=body, headers=any_version)
    assert (ok.status_code, ok.json()["value"]) == (200, "100")


def _data_flags(claim: dict[str, Any]) -> list[str]:
    return [f["kind"] for f in claim["flags"] if f["kind"] == "contradicted_by_data"]


def test_correcting_or_withdrawing_data_checks_the_claims_again(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    ids = _seeded(client, analyst, indicator)
    claim = client.post(
        "/api/v1/claims",
        json={
            "entity": "EAEU",
            "metric": "trade turnover",
            "value_text": "$110 billion",
            "period": "2026-02",
            "kind": "actual",
            "stated_by": "x",
            "asserted_on": "2026-08-01",
            "statement": "February trade was $110 billion.",
        },
        headers=analyst,
    ).json()
    assert _data_flags(claim) == ["contradicted_by_data"]
    claim_url = f"/api/v1/claims/{claim['id']}"
    fixed = client.patch(
        _url(indicator, ids[1]),
        json={"value_text": "$110 billion"},
        headers={**analyst, "If-Match": "*"},
    )
    assert fixed.status_code == 200, fixed.text
    after = client.get(claim_url, headers=analyst).json()
    assert (_data_flags(after), after["data_check"]["agrees"]) == ([], True)
    back = client.patch(
        _url(indicator, ids[1]),
        json={"value_text": "$102 billion"},
        headers={**analyst, "If-Match": "*"},
    )
    assert back.status_code == 200
    flagged = client.get(claim_url, headers=analyst).json()
    assert _data_flags(flagged) == ["contradicted_by_data"]
    withdrawn = client.delete(
        f"{_url(indicator, ids[1])}?reason=wrong", headers={**analyst, "If-Match": "*"}
    )
    assert withdrawn.status_code == 200
    final = client.get(claim_url, headers=analyst).json()
    assert (_data_flags(final), final["data_check"]) == ([], None)


def test_series_etag_changes_when_an_observation_is_corrected(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    first = _seeded(client, analyst, indicator)[0]
    url = f"/api/v1/indicators/{indicator['id']}/series"
    before = client.get(url, headers=analyst)
    client.patch(
        _url(indicator, first),
        json={"value_text": "$99 billion"},
        headers={**analyst, "If-Match": "*"},
    )
    after = client.get(url, headers=analyst)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert (after.json()[0]["date"], after.json()[0]["value_exact"]) == (
        "2026-01-31",
        "99000000000",
    )


def test_a_zero_and_a_rate_near_zero_are_values_not_typos(
    client: TestClient, analyst: dict[str, str]
) -> None:
    # A count of releases (a stock by default) with a median of 2: a quiet month is 0.
    releases = {**INDICATOR, "name": "Press releases", "unit": "count", "metric": "releases"}
    made = client.post("/api/v1/indicators", json=releases, headers=analyst).json()
    counts = [
        {"period": f"2026-0{m}", "value": v, "vintage": "2026-07-10"}
        for m, v in ((1, "2"), (2, "3"), (3, "1"), (4, "0"))
    ]
    assert observe(client, analyst, made, counts).status_code == 201
    # Growth in percent (a rate): 0.01 after months of 2 % is news, not a slip of scale.
    growth = {**INDICATOR, "name": "Output growth", "unit": "percent", "metric": "growth"}
    rate = client.post("/api/v1/indicators", json=growth, headers=analyst).json()
    assert rate["aggregation"] == "rate"
    rates = [
        {"period": f"2026-0{m}", "value": v, "vintage": "2026-07-10"}
        for m, v in ((1, "2"), (2, "2.5"), (3, "1.5"), (4, "0.01"))
    ]
    assert observe(client, analyst, rate, rates).status_code == 201
    # The same 0.01 on a level (a stock of the same size) is still refused.
    level = {**INDICATOR, "name": "Reserves", "unit": "count", "metric": "reserves"}
    stock = client.post("/api/v1/indicators", json=level, headers=analyst).json()
    refused = observe(client, analyst, stock, rates)
    assert (refused.status_code, refused.json()["field"]) == (422, "[4].value")
