"""The series as tools read it: records, pairs, envelope, real-time periods, vintage dates,
several series in one call."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.indicators.test_router import INDICATOR, observe

REVISED = [
    {"period": "2026-04", "value_text": "$8.1 billion", "vintage": "2026-05-10"},
    {"period": "2026-04", "value_text": "$8.3 billion", "vintage": "2026-06-10"},
    {"period": "2026-04", "value_text": "$8.25 billion", "vintage": "2026-07-10"},
    {"period": "2026-05", "value": "8400000000", "unit": "USD", "vintage": "2026-06-10"},
]


def make(client: TestClient, headers: dict[str, str], name: str, body: Any) -> dict[str, Any]:
    made = client.post("/api/v1/indicators", json={**INDICATOR, "name": name}, headers=headers)
    assert made.status_code == 201, made.text
    indicator = dict(made.json())
    assert observe(client, headers, indicator, body).status_code == 201
    return indicator


def test_series_default_is_records_with_a_number_and_the_exact_decimal(
    client: TestClient, analyst: dict[str, str]
) -> None:
    # A double holds 17 significant digits at most: the number rounds, value_exact does not.
    body = [{"period": "2026-04", "value": "12345678901234567.891", "vintage": "2026-05-10"}]
    indicator = make(client, analyst, "Long digits", body)
    response = client.get(f"/api/v1/indicators/{indicator['id']}/series", headers=analyst)
    assert response.headers["content-type"] == "application/json"
    assert response.content == (
        b'[{"date":"2026-04-30","period_start":"2026-04-01","period_end":"2026-04-30",'
        b'"value":1.2345678901234568e+16,"value_exact":"12345678901234567.891"}]'
    )
    assert "link" not in response.headers


def test_series_pairs_and_envelope_are_one_option_away(
    client: TestClient, analyst: dict[str, str]
) -> None:
    indicator = make(client, analyst, "Shapes", REVISED)
    url = f"/api/v1/indicators/{indicator['id']}/series"
    pairs = client.get(f"{url}?shape=pairs&limit=1", headers=analyst).json()
    assert pairs["points"] == [["2026-04-30", "8250000000"]]
    assert (pairs["indicator"], pairs["unit"], pairs["vintages"]) == ("shapes", "USD", False)
    assert pairs["next"].startswith(f"http://testserver{url}?shape=pairs&limit=1&cursor=")
    envelope = client.get(f"{url}?envelope=true&as_of=2026-06-30", headers=analyst).json()
    assert {k: v for k, v in envelope.items() if k != "data"} == {
        "indicator": "shapes",
        "indicator_id": indicator["id"],
        "unit": "USD",
        "frequency": "monthly",
        "aggregate": None,
        "transform": "none",
        "as_of": "2026-06-30",
        "vintages": "latest",
        "next": None,
    }
    assert [r["value_exact"] for r in envelope["data"]] == ["8300000000", "8400000000"]
    refused = client.get(f"{url}?shape=pairs&realtime=true", headers=analyst)
    assert (refused.status_code, refused.json()["field"]) == (422, "realtime")


def test_series_next_page_link_survives_the_cache(
    client: TestClient, analyst: dict[str, str]
) -> None:
    indicator = make(client, analyst, "Paged", REVISED)
    url = f"/api/v1/indicators/{indicator['id']}/series?limit=1"
    first = client.get(url, headers=analyst)
    again = client.get(url, headers=analyst)  # from the series cache
    assert again.headers["link"] == first.headers["link"]
    last = client.get(first.links["next"]["url"], headers=analyst)
    assert [r["date"] for r in (*first.json(), *last.json())] == ["2026-04-30", "2026-05-31"]
    assert "link" not in last.headers


def test_series_realtime_periods_as_alfred(client: TestClient, analyst: dict[str, str]) -> None:
    indicator = make(client, analyst, "Revised", REVISED)
    url = f"/api/v1/indicators/{indicator['id']}/series?realtime=true"

    def periods(query: str) -> list[tuple[str, str, str, str]]:
        records = client.get(f"{url}{query}", headers=analyst).json()
        return [
            (r["date"], r["value_exact"], r["realtime_start"], r["realtime_end"]) for r in records
        ]

    assert periods("") == [
        ("2026-04-30", "8250000000", "2026-07-10", "9999-12-31"),
        ("2026-05-31", "8400000000", "2026-06-10", "9999-12-31"),
    ]
    # As known on 30 June, and when that value stopped being the current one.
    assert periods("&as_of=2026-06-30")[0] == (
        "2026-04-30",
        "8300000000",
        "2026-06-10",
        "2026-07-09",
    )
    assert periods("&vintages=all")[:3] == [
        ("2026-04-30", "8100000000", "2026-05-10", "2026-06-09"),
        ("2026-04-30", "8300000000", "2026-06-10", "2026-07-09"),
        ("2026-04-30", "8250000000", "2026-07-10", "9999-12-31"),
    ]
    csv = client.get(f"{url}&format=csv&to=2026-04-30", headers=analyst).text
    assert csv == (
        "date,period_start,period_end,value,realtime_start,realtime_end\n"
        "2026-04-30,2026-04-01,2026-04-30,8250000000,2026-07-10,9999-12-31\n"
    )
    rolled = client.get(f"{url}&frequency=quarterly", headers=analyst)
    assert (rolled.status_code, rolled.json()["field"]) == (422, "realtime")


def test_series_first_release(client: TestClient, analyst: dict[str, str]) -> None:
    indicator = make(client, analyst, "Firsts", REVISED)
    url = f"/api/v1/indicators/{indicator['id']}/series?vintages=first"
    first = client.get(url, headers=analyst).json()
    assert [(r["date"], r["value_exact"]) for r in first] == [
        ("2026-04-30", "8100000000"),
        ("2026-05-31", "8400000000"),
    ]
    assert client.get(f"{url}&as_of=2026-06-01", headers=analyst).json()[0]["value_exact"] == (
        "8100000000"
    )
    assert client.get(f"{url}&as_of=2026-05-09", headers=analyst).json() == []
    released = client.get(f"{url}&realtime=true&to=2026-04-30", headers=analyst).json()
    assert (released[0]["realtime_start"], released[0]["realtime_end"]) == (
        "2026-05-10",
        "2026-06-09",
    )


def test_vintage_dates_of_a_series(client: TestClient, analyst: dict[str, str]) -> None:
    indicator = make(client, analyst, "Dated", REVISED)
    url = f"/api/v1/indicators/{indicator['id']}/vintages"
    response = client.get(url, headers=analyst)
    assert response.json() == [
        {"vintage": "2026-05-10", "observations": 1},
        {"vintage": "2026-06-10", "observations": 2},
        {"vintage": "2026-07-10", "observations": 1},
    ]
    tag = response.headers["ETag"]
    assert client.get(url, headers={**analyst, "If-None-Match": tag}).status_code == 304
    missing = client.get("/api/v1/indicators/999/vintages", headers=analyst)
    assert (missing.status_code, missing.json()["code"]) == (404, "indicator_not_found")


def two_series(client: TestClient, analyst: dict[str, str]) -> tuple[dict[str, Any], ...]:
    a = make(client, analyst, "Trade A", REVISED)
    b = make(
        client,
        analyst,
        "Trade B",
        [
            {"period": "2026-05", "value_text": "$1.5 billion", "vintage": "2026-06-10"},
            {"period": "2026-06", "value_text": "$2 billion", "vintage": "2026-07-10"},
        ],
    )
    return a, b


def test_many_series_as_long_records_and_wide_csv(
    client: TestClient, analyst: dict[str, str]
) -> None:
    a, b = two_series(client, analyst)
    long = client.get(f"/api/v1/series?ids={b['id']},{a['id']}&from=2026-05-01", headers=analyst)
    assert [(r["indicator"], r["date"], r["value"]) for r in long.json()] == [
        ("trade-b", "2026-05-31", 1500000000.0),
        ("trade-b", "2026-06-30", 2000000000.0),
        ("trade-a", "2026-05-31", 8400000000.0),
    ]
    wide = client.get("/api/v1/series?indicators=trade-a,trade-b&format=csv", headers=analyst)
    assert wide.headers["content-type"] == "text/csv; charset=utf-8"
    assert wide.text == (
        "date,trade-a,trade-b\n"
        "2026-04-30,8250000000,\n"
        "2026-05-31,8400000000,1500000000\n"
        "2026-06-30,,2000000000\n"
    )
    quarterly = client.get(
        "/api/v1/series?indicators=trade-a,trade-b&format=csv&frequency=quarterly&aggregate=sum",
        headers=analyst,
    )
    assert quarterly.text == "date,trade-a,trade-b\n2026-06-30,16650000000,3500000000\n"
    tag = wide.headers["ETag"]
    again = client.get(
        "/api/v1/series?indicators=trade-a,trade-b&format=csv",
        headers={**analyst, "If-None-Match": tag},
    )
    assert again.status_code == 304
    observe(client, analyst, b, {"period": "2026-07", "value": "1", "vintage": "2026-08-01"})
    changed = client.get(
        "/api/v1/series?indicators=trade-a,trade-b&format=csv",
        headers={**analyst, "If-None-Match": tag},
    )
    assert changed.status_code == 200


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("ids=1&indicators=trade-a", "invalid_input", "ids"),
        ("", "invalid_input", "ids"),
        ("ids=1,x", "invalid_input", "ids"),
        ("indicators=trade-a,trade-a", "invalid_input", "indicators"),
        ("indicators=trade-a,nothing-here", "indicator_not_found", None),
        ("indicators=trade-a&format=csv&vintages=all", "invalid_input", "vintages"),
        ("indicators=trade-a&format=csv&realtime=true", "invalid_input", "realtime"),
        ("indicators=trade-a&from=2026-06-01&to=2026-05-01", "invalid_input", "from"),
    ],
)
def test_many_series_refuses_what_it_cannot_answer(
    client: TestClient, analyst: dict[str, str], query: str, code: str, field: str | None
) -> None:
    two_series(client, analyst)
    response = client.get(f"/api/v1/series?{query}", headers=analyst)
    status = 404 if code == "indicator_not_found" else 422
    assert response.status_code == status, response.text
    assert (response.json()["code"], response.json().get("field")) == (code, field)


def test_wide_csv_refuses_two_values_on_one_date(
    client: TestClient, analyst: dict[str, str]
) -> None:
    # A month and a quarter that end on the same day: two values for one cell.
    body = [
        {"period": "2026-06", "value_text": "$1 billion", "vintage": "2026-07-01"},
        {"period": "2026-Q2", "value_text": "$3 billion", "vintage": "2026-07-01"},
    ]
    make(client, analyst, "Mixed", body)
    wide = client.get("/api/v1/series?indicators=mixed&format=csv", headers=analyst)
    assert (wide.status_code, wide.json()["field"]) == (422, "format")
    long = client.get("/api/v1/series?indicators=mixed", headers=analyst).json()
    assert [(r["period_start"], r["value_exact"]) for r in long] == [
        ("2026-04-01", "3000000000"),
        ("2026-06-01", "1000000000"),
    ]
