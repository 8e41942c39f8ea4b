"""Claims meet data across frequencies: a year's claim against a monthly flow's sum, a stock's
year-end value, a rate's average, with the data known on the claim's date, once they cover
the period; the data check says which comparison it used."""

from typing import Any

from fastapi.testclient import TestClient

MONTH_ENDS = ["31", "29", "31", "30", "31", "30", "31", "31", "30", "31", "30", "31"]  # 2024


def indicator(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/indicators", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def observe(client: TestClient, headers: dict[str, str], iid: int, body: Any) -> None:
    response = client.post(f"/api/v1/indicators/{iid}/observations", json=body, headers=headers)
    assert response.status_code == 201, response.text


def claim(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    said = {"kind": "actual", "stated_by": "x", "statement": "A figure.", **body}
    response = client.post("/api/v1/claims", json=said, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def shown(client: TestClient, headers: dict[str, str], claim_id: int) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/claims/{claim_id}", headers=headers).json())


def data_flags(body: dict[str, Any]) -> list[str]:
    return [f["status"] for f in body["flags"] if f["kind"] == "contradicted_by_data"]


TRADE = {
    "name": "China-Kazakhstan trade",
    "entity": "China–Kazakhstan trade",
    "metric": "trade turnover",
    "unit": "USD",
    "frequency": "monthly",
    "aggregation": "flow",
}


def test_a_year_claim_meets_the_sum_of_a_monthly_flow_once_its_months_are_known(
    client: TestClient, analyst: dict[str, str]
) -> None:
    iid = indicator(client, analyst, **TRADE)["id"]
    assert indicator(client, analyst, **TRADE | {"name": "t2", "metric": "m2"})["aggregation"] == (
        "flow"
    )
    about = {"entity": TRADE["entity"], "metric": "trade turnover", "asserted_on": "2025-03-01"}
    year = claim(client, analyst, value_text="$125 billion", period="2024", **about)
    wrong = claim(client, analyst, value_text="$200 billion", period="2024", **about)
    jan_oct = claim(client, analyst, value_text="$100 billion", period="2024-01/2024-10", **about)
    # January to November, $10 billion each: the year is not covered yet.
    observe(
        client,
        analyst,
        iid,
        [
            {"period": f"2024-{m:02d}", "value_text": "$10 billion", "vintage": "2024-12-15"}
            for m in range(1, 12)
        ],
    )
    assert shown(client, analyst, year["id"])["data_check"] is None
    assert data_flags(shown(client, analyst, wrong["id"])) == []
    ten = shown(client, analyst, jan_oct["id"])["data_check"]
    assert (ten["value"], ten["basis"], ten["agrees"], ten["observation_id"]) == (
        "100000000000",
        "sum of 10 monthly observations",
        True,
        None,
    )
    assert len(ten["observation_ids"]) == 10
    # December arrives (known before the claims were made): the year is checked then.
    observe(
        client,
        analyst,
        iid,
        {"period": "2024-12", "value_text": "$15 billion", "vintage": "2025-01-20"},
    )
    check = shown(client, analyst, year["id"])["data_check"]
    assert (check["value"], check["basis"], check["agrees"], check["vintage"]) == (
        "125000000000",  # 11 * 10 + 15
        "sum of 12 monthly observations",
        True,
        "2025-01-20",
    )
    assert (len(check["observation_ids"]), check["observation_id"]) == (12, None)
    contradicted = shown(client, analyst, wrong["id"])
    assert data_flags(contradicted) == ["open"]
    flag_id = next(f["id"] for f in contradicted["flags"] if f["kind"] == "contradicted_by_data")
    flag = client.get(f"/api/v1/flags/{flag_id}", headers=analyst).json()
    assert (
        "had 125000000000 (sum of 12 monthly observations; vintage 2025-01-20" in (flag["summary"])
    )
    # A revision published after the claims' date does not change what they met.
    observe(
        client,
        analyst,
        iid,
        {"period": "2024-12", "value_text": "$20 billion", "vintage": "2025-05-01"},
    )
    assert shown(client, analyst, year["id"])["data_check"]["value"] == "125000000000"


def test_a_stock_meets_its_year_end_and_a_rate_its_average(
    client: TestClient, analyst: dict[str, str]
) -> None:
    debt = indicator(
        client,
        analyst,
        name="External debt",
        entity="Kazakhstan",
        metric="external debt",
        unit="USD",
        frequency="quarterly",
    )
    assert debt["aggregation"] == "stock"  # the default for money
    observe(
        client,
        analyst,
        debt["id"],
        [
            {"period": "2024-Q3", "value_text": "$160 billion", "vintage": "2024-11-01"},
            {"period": "2024-Q4", "value_text": "$163.5 billion", "vintage": "2025-02-01"},
        ],
    )
    said = claim(
        client,
        analyst,
        entity="Kazakhstan",
        metric="external debt",
        value_text="$163.5 billion",
        period="2024",
        asserted_on="2025-03-01",
    )
    check = said["data_check"]
    assert (check["value"], check["basis"], check["agrees"], len(check["observation_ids"])) == (
        "163500000000",
        "year-end value: the quarterly observation ending 2024-12-31",
        True,
        1,
    )
    assert check["observation_id"] == check["observation_ids"][0]
    inflation = indicator(
        client,
        analyst,
        name="Inflation",
        entity="Kazakhstan",
        metric="inflation",
        unit="%",
        frequency="quarterly",
    )
    assert inflation["aggregation"] == "rate"  # the default for a percent
    observe(
        client,
        analyst,
        inflation["id"],
        [
            {"period": f"2024-Q{q}", "value_text": v, "vintage": "2025-01-15"}
            for q, v in enumerate(["8%", "8.5%", "9%", "9.3%"], start=1)
        ],
    )
    averaged = claim(
        client,
        analyst,
        entity="Kazakhstan",
        metric="inflation",
        value_text="8.5%",
        period="2024",
        asserted_on="2025-02-01",
    )
    check = averaged["data_check"]
    assert (check["value"], check["basis"], check["agrees"]) == (
        "8.7",  # (8 + 8.5 + 9 + 9.3) / 4, outside [8.45, 8.55]
        "average of 4 quarterly values",
        False,
    )
    assert data_flags(averaged) == ["open"]


def test_a_new_aggregation_checks_the_claims_again(
    client: TestClient, analyst: dict[str, str]
) -> None:
    made = indicator(client, analyst, **TRADE | {"aggregation": "stock", "frequency": "annual"})
    observe(
        client,
        analyst,
        made["id"],
        [
            {"period": "2023", "value_text": "$40 billion", "vintage": "2024-02-01"},
            {"period": "2024", "value_text": "$44 billion", "vintage": "2025-02-01"},
        ],
    )
    said = claim(
        client,
        analyst,
        entity=TRADE["entity"],
        metric="trade turnover",
        value_text="$84 billion",
        period="2023-2024",
        asserted_on="2025-03-01",
    )
    assert (said["data_check"]["value"], data_flags(said)) == ("44000000000", ["open"])
    url = f"/api/v1/indicators/{made['id']}"
    refused = client.patch(url, json={"aggregation": None}, headers={**analyst, "If-Match": "*"})
    assert (refused.status_code, refused.json()["field"]) == (422, "aggregation")
    edited = client.patch(url, json={"aggregation": "flow"}, headers={**analyst, "If-Match": "*"})
    assert (edited.status_code, edited.json()["aggregation"]) == (200, "flow")
    again = shown(client, analyst, said["id"])
    assert (again["data_check"]["value"], again["data_check"]["basis"]) == (
        "84000000000",
        "sum of 2 annual observations",
    )
    assert data_flags(again) == []
