"""Edits and inputs that must be read exactly: PATCH semantics, names, numbers, cursors."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import claim_body


def create(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/claims", json=claim_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def patch(
    client: TestClient, headers: dict[str, str], claim: dict[str, Any], body: dict[str, Any]
) -> Any:
    return client.patch(
        f"/api/v1/claims/{claim['id']}",
        json=body,
        headers={**headers, "If-Match": f'"claim-{claim["id"]}-v{claim["version"]}"'},
    )


def test_patch_bound_alone_is_refused(client: TestClient, analyst: dict[str, str]) -> None:
    claim = create(client, analyst)
    response = patch(client, analyst, claim, {"bound": "approx"})
    assert response.status_code == 422
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()["version"] == 1


def test_patch_empty_body_makes_no_new_version(client: TestClient, analyst: dict[str, str]) -> None:
    claim = create(client, analyst)
    response = patch(client, analyst, claim, {})
    assert response.status_code == 200
    assert response.json()["version"] == 1
    history = client.get(f"/api/v1/claims/{claim['id']}/history", headers=analyst).json()
    assert len(history) == 1


def test_patch_keeps_growth_index_reading(client: TestClient, analyst: dict[str, str]) -> None:
    claim = create(
        client,
        analyst,
        metric="industrial output growth",
        value_text="105.3%",
        value_is_index=True,
        period="2026-Q1",
    )
    assert (claim["value"], claim["value_is_index"]) == ("5.3", True)
    edited = patch(client, analyst, claim, {"stated_by": "Statistics bureau"})
    assert edited.json()["value"] == "5.3"
    again = patch(client, analyst, edited.json(), {"value_text": "106.1%"})
    assert (again.json()["value"], again.json()["value_is_index"]) == ("6.1", True)
    plain = patch(client, analyst, again.json(), {"value_is_index": False})
    assert (plain.json()["value"], plain.json()["value_text"]) == ("106.1", "106.1%")


def test_patch_metric_alone_keeps_value_and_checks_dimension(
    client: TestClient, analyst: dict[str, str]
) -> None:
    client.post("/api/v1/metrics", json={"name": "New rail length", "unit": "km"}, headers=analyst)
    client.post("/api/v1/metrics", json={"name": "Investment", "unit": "USD"}, headers=analyst)
    claim = create(client, analyst, metric="new rail length", value_text="900")
    assert (claim["value"], claim["unit"]) == ("900", "km")
    wrong = patch(client, analyst, claim, {"metric": "investment"})
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "metric"
    moved = patch(client, analyst, claim, {"metric": "planned rail length"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["metric"]["slug"], moved.json()["value"], moved.json()["unit"]) == (
        "planned-rail-length",
        "900",
        "km",
    )


def test_names_without_ascii_letters_stay_apart(
    client: TestClient, analyst: dict[str, str]
) -> None:
    russia = create(client, analyst, entity="Россия")
    china = create(client, analyst, entity="中国")
    assert russia["entity"]["id"] != china["entity"]["id"]
    again = create(client, analyst, entity="россия", value_text="$11 billion")
    assert again["entity"]["id"] == russia["entity"]["id"]
    bad = client.post("/api/v1/claims", json=claim_body(entity="!!!"), headers=analyst)
    assert bad.status_code == 422
    assert bad.json()["field"] == "entity"


def test_search_folds_non_ascii_case(client: TestClient, analyst: dict[str, str]) -> None:
    claim = create(client, analyst, statement="Казахстан инвестирует $10 млрд.")
    found = client.get("/api/v1/claims?q=КАЗАХСТАН", headers=analyst).json()["items"]
    assert [c["id"] for c in found] == [claim["id"]]


@pytest.mark.parametrize(
    "if_match", ['"claim-{id}-v99999999999999999999"', 'W/"claim-{id}-v1"', '"claim-{id}-v2"']
)
def test_if_match_that_cannot_match_is_412(
    client: TestClient, analyst: dict[str, str], if_match: str
) -> None:
    claim = create(client, analyst)
    response = client.patch(
        f"/api/v1/claims/{claim['id']}",
        json={"basis": "x"},
        headers={**analyst, "If-Match": if_match.format(id=claim["id"])},
    )
    assert response.status_code == 412


@pytest.mark.parametrize(
    "cursor", ["WzEsdHJ1ZV0", "WzEsMTg0NDY3NDQwNzM3MDk1NTE2MTVd", "WzE4NDQ2NzQ0MDczNzA5NTUxNjE1XQ"]
)
@pytest.mark.parametrize("path", ["/api/v1/claims?sort=id", "/api/v1/sources"])
def test_tampered_cursor_is_422(
    client: TestClient, reader: dict[str, str], cursor: str, path: str
) -> None:
    response = client.get(f"{path}{'&' if '?' in path else '?'}cursor={cursor}", headers=reader)
    assert response.status_code == 422
    assert response.json()["field"] == "cursor"


def test_float_value_is_refused_and_text_kept_exact(
    client: TestClient, analyst: dict[str, str]
) -> None:
    body = claim_body(value="12345678901234567.891", unit="count", metric="count of things")
    body.pop("value_text")
    exact = client.post("/api/v1/claims", json=body, headers=analyst)
    assert exact.status_code == 201, exact.text
    assert exact.json()["value"] == "12345678901234567.891"
    body["value"] = 16.5
    lossy = client.post("/api/v1/claims", json=body, headers=analyst)
    assert lossy.status_code == 422
    assert lossy.json()["field"] == "value"


def test_integer_value_is_accepted_as_the_schema_says(
    client: TestClient, analyst: dict[str, str]
) -> None:
    body = claim_body(value=12, unit="count", metric="count of things")
    body.pop("value_text")
    response = client.post("/api/v1/claims", json=body, headers=analyst)
    assert response.status_code == 201, response.text
    assert response.json()["value"] == "12"
    value = client.get("/openapi.json").json()["components"]["schemas"]["ClaimCreate"]
    assert {"type": "integer"} in value["properties"]["value"]["anyOf"][0]["anyOf"]


def test_period_filter_from_after_to_is_422(client: TestClient, reader: dict[str, str]) -> None:
    response = client.get("/api/v1/claims?from=2026-01-01&to=2025-01-01", headers=reader)
    assert response.status_code == 422
    assert response.json()["field"] == "from"


def test_repeated_citation_is_stored_once(client: TestClient, analyst: dict[str, str]) -> None:
    cite = {"url": "https://a.example/x", "title": "A", "quote": "same words"}
    claim = create(client, analyst, citations=[cite, cite])
    assert len(claim["citations"]) == 1
    assert claim["notices"][-2] == (
        f"citations[1] repeats a citation of source {claim['citations'][0]['source']['id']} "
        "with the same quote"
    )


def test_overlong_url_is_422(client: TestClient, analyst: dict[str, str]) -> None:
    url = "https://a.example/" + "%E2%82%AC" * 240
    response = client.post("/api/v1/sources", json={"url": url, "title": "t"}, headers=analyst)
    assert response.status_code == 422
    assert response.json()["field"] == "url"


@pytest.mark.parametrize(
    ("csv", "field"),
    [
        (
            "entity,metric,value_text,stated_by,asserted_on,statement\n"
            "KTZ,i,$1 billion,x,2026-01-01,s,extra\n",
            "[1]",
        ),
        (
            "entity,entity,metric,value_text,stated_by,asserted_on,statement\n"
            "KTZ,EAEU,i,$1 billion,x,2026-01-01,s\n",
            "header",
        ),
    ],
)
def test_bulk_csv_refuses_misshapen_rows(
    client: TestClient, analyst: dict[str, str], csv: str, field: str
) -> None:
    response = client.post(
        "/api/v1/claims:bulk", content=csv, headers={**analyst, "Content-Type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == field


# Periods whose dates would fall outside the calendar (0001-01-01 to 9999-12-31).
OUTSIDE_CALENDAR = [
    ("next year", "9999-12-31"),
    ("next quarter", "9999-12-31"),
    ("next month", "9999-12-31"),
    ("last year", "0001-06-01"),
    ("before 0001", "2026-05-28"),
]


@pytest.mark.parametrize(("period", "asserted_on"), OUTSIDE_CALENDAR)
def test_create_period_outside_calendar_is_refused(
    client: TestClient, analyst: dict[str, str], period: str, asserted_on: str
) -> None:
    body = claim_body(period=period, asserted_on=asserted_on)
    response = client.post("/api/v1/claims", json=body, headers=analyst)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["code"], problem["field"]) == ("invalid_input", "period")
    assert problem["detail"] == (
        f"'{period}' falls outside the calendar (0001-01-01 to 9999-12-31)"
    )


@pytest.mark.parametrize(("period", "asserted_on"), OUTSIDE_CALENDAR)
def test_bulk_period_outside_calendar_is_refused(
    client: TestClient, analyst: dict[str, str], period: str, asserted_on: str
) -> None:
    rows = [claim_body(), claim_body(period=period, asserted_on=asserted_on)]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [(2, "[2].period")]


@pytest.mark.parametrize(("period", "asserted_on"), OUTSIDE_CALENDAR)
def test_patch_period_outside_calendar_is_refused(
    client: TestClient, analyst: dict[str, str], period: str, asserted_on: str
) -> None:
    claim = create(client, analyst)
    response = patch(client, analyst, claim, {"period": period, "asserted_on": asserted_on})
    assert response.status_code == 422, response.text
    assert (response.json()["code"], response.json()["field"]) == ("invalid_input", "period")
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()["version"] == 1


def test_create_period_at_calendar_edges_is_read(
    client: TestClient, analyst: dict[str, str]
) -> None:
    late = create(client, analyst, period="this year", asserted_on="9999-12-31")
    assert (late["period_start"], late["period_end"]) == ("9999-01-01", "9999-12-31")
    early = create(client, analyst, period="before 0002", asserted_on="0001-06-01")
    assert (early["period_start"], early["period_end"]) == ("0001-06-01", "0001-12-31")
