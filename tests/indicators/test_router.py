"""Indicators, targets, observations with vintages, and series as dashboards read them."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.series import series_cache

INDICATOR = {
    "name": "EAEU mutual trade turnover",
    "question": "Does EAEU trade pass $100 billion by the end of 2026?",
    "entity": "EAEU",
    "metric": "trade turnover",
    "unit": "USD",
    "frequency": "monthly",
    "direction": "up_is_good",
}


@pytest.fixture
def indicator(client: TestClient, analyst: dict[str, str]) -> dict[str, Any]:
    response = client.post("/api/v1/indicators", json=INDICATOR, headers=analyst)
    assert response.status_code == 201, response.text
    return dict(response.json())


def observe(
    client: TestClient, headers: dict[str, str], indicator: dict[str, Any], body: Any
) -> Any:
    return client.post(
        f"/api/v1/indicators/{indicator['id']}/observations", json=body, headers=headers
    )


def points(response: Any, *fields: str) -> list[list[Any]]:
    """A series' records as [date, exact value, *fields]; each value is also the number."""
    assert response.status_code == 200, response.text
    records = response.json()
    exact = [r["value_exact"] for r in records]
    assert [r["value"] for r in records] == [float(x) if x is not None else None for x in exact]
    return [[r["date"], r["value_exact"], *(r[f] for f in fields)] for r in records]


def test_create_indicator_and_target(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    assert (indicator["slug"], indicator["unit"], indicator["entity"]["slug"]) == (
        "eaeu-mutual-trade-turnover",
        "USD",
        "eaeu",
    )
    target = client.post(
        f"/api/v1/indicators/{indicator['id']}/targets",
        json={"value_text": "more than $100 billion", "due_on": "2026-12-31"},
        headers=analyst,
    )
    assert target.status_code == 201, target.text
    assert (target.json()["value"], target.json()["bound"], target.json()["low"]) == (
        "100000000000",
        "more_than",
        "100000000000",
    )
    wrong = client.post(
        f"/api/v1/indicators/{indicator['id']}/targets",
        json={"value_text": "900 km", "due_on": "2026-12-31"},
        headers=analyst,
    )
    assert wrong.status_code == 422


def test_vintages_and_as_of(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    body = [
        {"period": "2026-04", "value_text": "$8.1 billion", "vintage": "2026-05-10"},
        {"period": "2026-04", "value_text": "$8.3 billion", "vintage": "2026-06-10"},
        {"period": "2026-04", "value_text": "$8.25 billion", "vintage": "2026-07-10"},
        {"period": "2026-05", "value": "8400000000", "unit": "USD", "vintage": "2026-06-10"},
    ]
    created = observe(client, analyst, indicator, body)
    assert created.status_code == 201, created.text
    assert created.json()["created"] == 4
    url = f"/api/v1/indicators/{indicator['id']}/series"
    expected = {
        "2026-05-01": [],
        "2026-05-10": [["2026-04-30", "8100000000"]],
        "2026-06-30": [["2026-04-30", "8300000000"], ["2026-05-31", "8400000000"]],
        "2026-07-10": [["2026-04-30", "8250000000"], ["2026-05-31", "8400000000"]],
    }
    for as_of, expected_points in expected.items():
        assert points(client.get(f"{url}?as_of={as_of}", headers=analyst)) == expected_points
    every = points(client.get(f"{url}?vintages=all", headers=analyst), "vintage")
    assert every == [
        ["2026-04-30", "8100000000", "2026-05-10"],
        ["2026-04-30", "8300000000", "2026-06-10"],
        ["2026-04-30", "8250000000", "2026-07-10"],
        ["2026-05-31", "8400000000", "2026-06-10"],
    ]


def test_same_period_and_vintage_twice_is_409_and_batch_is_all_or_nothing(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    one = {"period": "2026-04", "value_text": "$8 billion", "vintage": "2026-05-10"}
    assert observe(client, analyst, indicator, one).status_code == 201
    again = observe(client, analyst, indicator, [{**one, "period": "2026-03"}, one])
    assert again.status_code == 409
    bad = observe(
        client, analyst, indicator, [{**one, "period": "2026-02"}, {**one, "value_text": "lots"}]
    )
    assert bad.status_code == 422
    assert (bad.json()["field"], bad.json()["errors"][0]["row"]) == ("[2].value_text", 2)
    series = client.get(f"/api/v1/indicators/{indicator['id']}/series", headers=analyst)
    assert points(series) == [["2026-04-30", "8000000000"]]


def test_series_pages_etag_and_csv_round_trip(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    body = [
        {"period": f"2025-{m:02d}", "value_text": f"${m}.5 billion", "vintage": "2026-01-15"}
        for m in range(1, 13)
    ]
    assert observe(client, analyst, indicator, body).status_code == 201
    url = f"/api/v1/indicators/{indicator['id']}/series"
    first = client.get(f"{url}?limit=5", headers=analyst)
    seen = points(first)
    nxt: str | None = first.links["next"]["url"]
    while nxt:
        page = client.get(nxt, headers=analyst)
        seen += points(page)
        nxt = page.links.get("next", {}).get("url")
    assert [p[0] for p in seen] == [
        f"2025-{m:02d}-{d}"
        for m, d in zip(range(1, 13), [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], strict=True)
    ]
    tag = first.headers["ETag"]
    assert (
        client.get(f"{url}?limit=5", headers={**analyst, "If-None-Match": tag}).status_code == 304
    )
    ranged = points(client.get(f"{url}?from=2025-03-01&to=2025-04-30", headers=analyst))
    assert ranged == [["2025-03-31", "3500000000"], ["2025-04-30", "4500000000"]]
    csv = client.get(f"{url}?format=csv", headers=analyst)
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    lines = csv.text.strip().split("\n")
    assert lines[0] == "date,period_start,period_end,value"
    copy = client.post(
        "/api/v1/indicators", json={**INDICATOR, "name": "Copy"}, headers=analyst
    ).json()
    reimport = "period,value,unit,vintage\n" + "\n".join(
        f"{start}/{end},{value},USD,2026-01-15"
        for _, start, end, value in (line.split(",") for line in lines[1:])
    )
    stored = client.post(
        f"/api/v1/indicators/{copy['id']}/observations",
        content=reimport,
        headers={**analyst, "Content-Type": "text/csv"},
    )
    assert stored.status_code == 201, stored.text
    again = client.get(f"/api/v1/indicators/{copy['id']}/series.csv", headers=analyst)
    assert again.text == csv.text
    # `.csv` is the documented way, `?format=csv` the old one: the same representation, whose
    # ETag is not the JSON's (an If-None-Match from the JSON must not answer 304 to the CSV).
    dotted = client.get(f"{url}.csv", headers=analyst)
    assert (dotted.text, dotted.headers["ETag"]) == (csv.text, csv.headers["ETag"])
    json_tag = client.get(url, headers=analyst).headers["ETag"]
    assert dotted.headers["ETag"] != json_tag
    cached = {**analyst, "If-None-Match": json_tag}
    assert client.get(f"{url}.csv", headers=cached).status_code == 200


def test_update_indicator_needs_if_match(
    client: TestClient, analyst: dict[str, str], reader: dict[str, str], indicator: dict[str, Any]
) -> None:
    url = f"/api/v1/indicators/{indicator['id']}"
    assert client.patch(url, json={"name": "X"}, headers=analyst).status_code == 428
    assert (
        client.patch(url, json={"name": "X"}, headers={**reader, "If-Match": "*"}).status_code
        == 403
    )
    ok = client.patch(
        url,
        json={"name": "X"},
        headers={**analyst, "If-Match": f'"indicator-{indicator["id"]}-v1"'},
    )
    assert (ok.status_code, ok.json()["name"], ok.json()["version"]) == (200, "X", 2)
    stale = client.patch(
        url,
        json={"name": "Y"},
        headers={**analyst, "If-Match": f'"indicator-{indicator["id"]}-v1"'},
    )
    assert stale.status_code == 412


def test_missing_indicator_is_404(client: TestClient, reader: dict[str, str]) -> None:
    for path in ("", "/series"):
        response = client.get(f"/api/v1/indicators/999{path}", headers=reader)
        assert response.json()["code"] == "indicator_not_found"


def test_series_rolls_up_and_transforms(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    body = [
        {"period": day, "value_text": f"${v} billion", "vintage": "2026-07-01"}
        for day, v in [("2026-04-10", 1), ("2026-04-20", 3), ("2026-05-05", 4), ("2026-06-30", 6)]
    ]
    assert observe(client, analyst, indicator, body).status_code == 201
    url = f"/api/v1/indicators/{indicator['id']}/series"
    monthly = client.get(f"{url}?frequency=monthly&aggregate=avg", headers=analyst)
    # Days do not cover their months: each bucket is marked, and no change compares them.
    assert points(monthly, "complete") == [
        ["2026-04-30", "2000000000", False],
        ["2026-05-31", "4000000000", False],
        ["2026-06-30", "6000000000", False],
    ]
    change = client.get(f"{url}?frequency=monthly&aggregate=sum&transform=pch", headers=analyst)
    assert points(change, "complete") == [
        ["2026-04-30", None, False],
        ["2026-05-31", None, False],
        ["2026-06-30", None, False],
    ]
    enveloped = client.get(f"{url}?frequency=monthly&transform=pch&envelope=true", headers=analyst)
    assert enveloped.json()["unit"] == "percent"
    quarterly = client.get(f"{url}?frequency=quarterly&aggregate=last&format=csv", headers=analyst)
    assert (
        quarterly.text == "date,period_end,value,complete\n2026-06-30,2026-06-30,6000000000,false\n"
    )
    mixed = client.get(f"{url}?vintages=all&frequency=monthly", headers=analyst)
    assert mixed.status_code == 422


def test_progress_and_watchlist(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    iid = indicator["id"]
    client.post(
        f"/api/v1/indicators/{iid}/targets",
        json={"value_text": "at least $100 billion", "due_on": "2099-12-31"},
        headers=analyst,
    )
    other = client.post(
        "/api/v1/indicators",
        json={**INDICATOR, "name": "Rail km", "metric": "new rail", "unit": "km"},
        headers=analyst,
    ).json()
    client.post(
        f"/api/v1/indicators/{other['id']}/targets",
        json={"value_text": "900 km", "due_on": "2020-12-31"},
        headers=analyst,
    )
    client.post(
        f"/api/v1/indicators/{other['id']}/observations",
        json={"period": "2020", "value_text": "500 km", "vintage": "2021-01-10"},
        headers=analyst,
    )
    empty = client.get(f"/api/v1/indicators/{iid}/progress", headers=analyst).json()
    assert [t["status"] for t in empty["targets"]] == ["not_started"]
    observe(
        client,
        analyst,
        indicator,
        [
            {"period": "2026-01", "value_text": "$40 billion", "vintage": "2026-02-10"},
            {"period": "2026-02", "value_text": "$50 billion", "vintage": "2026-03-10"},
        ],
    )
    now = client.get(f"/api/v1/indicators/{iid}/progress", headers=analyst).json()["targets"][0]
    assert (now["status"], now["latest"], now["percent_of_target"]) == (
        "on_track",
        "50000000000",
        "50",
    )
    watch = client.get("/api/v1/watchlist", headers=analyst).json()
    assert [(w["slug"], w["status"]) for w in watch] == [
        ("rail-km", "missed"),
        ("eaeu-mutual-trade-turnover", "on_track"),
    ]
    assert (watch[1]["last_value"], watch[1]["change"]) == ("50000000000", "10000000000")
    csv = client.get("/api/v1/watchlist?format=csv", headers=analyst).text.splitlines()
    assert csv[0].startswith(
        "slug,name,status,last_value,last_on,change,unit,aggregation,due,question,goal,"
    )
    assert csv[1].startswith("rail-km,Rail km,missed,500,2020-12-31,,km,stock,2020-12-31,")


def test_claims_meet_data_as_known_on_their_date(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    observe(
        client,
        analyst,
        indicator,
        {"period": "2026-04", "value_text": "$8.1 billion", "vintage": "2026-05-10"},
    )
    claim = client.post(
        "/api/v1/claims",
        json={
            "entity": "EAEU",
            "metric": "trade turnover",
            "value_text": "$9 billion",
            "period": "2026-04",
            "kind": "actual",
            "stated_by": "x",
            "asserted_on": "2026-05-20",
            "statement": "April trade was $9 billion.",
        },
        headers=analyst,
    ).json()
    data_flags = [f for f in claim["flags"] if f["kind"] == "contradicted_by_data"]
    assert len(data_flags) == 1
    shown = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()["data_check"]
    assert (shown["value"], shown["vintage"], shown["agrees"]) == (
        "8100000000",
        "2026-05-10",
        False,
    )
    observe(
        client,
        analyst,
        indicator,
        {"period": "2026-04", "value_text": "$9.02 billion", "vintage": "2026-06-30"},
    )
    still = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()
    assert still["data_check"]["vintage"] == "2026-05-10"
    observe(
        client,
        analyst,
        indicator,
        {"period": "2026-04", "value_text": "$9.01 billion", "vintage": "2026-05-15"},
    )
    after = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()
    assert (after["data_check"]["vintage"], after["data_check"]["agrees"]) == ("2026-05-15", True)
    flag = client.get(f"/api/v1/flags/{data_flags[0]['id']}", headers=analyst).json()
    assert (flag["status"], flag["reason"]) == (
        "resolved",
        "vintage 2026-05-15 (9010000000) agrees with the claim",
    )


def test_revised_vintage_settles_only_the_claims_made_after_it(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    def claim(asserted_on: str) -> dict[str, Any]:
        body = {
            "entity": "EAEU",
            "metric": "trade turnover",
            "value_text": "$9 billion",
            "period": "2026-04",
            "kind": "actual",
            "stated_by": "x",
            "asserted_on": asserted_on,
            "statement": "April trade was $9 billion.",
        }
        response = client.post("/api/v1/claims", json=body, headers=analyst)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def data_flags(claim_id: int) -> list[str]:
        shown = client.get(f"/api/v1/claims/{claim_id}", headers=analyst).json()
        return [f["status"] for f in shown["flags"] if f["kind"] == "contradicted_by_data"]

    early, late = claim("2026-05-20"), claim("2026-07-05")
    first = {"period": "2026-04", "value_text": "$8.1 billion", "vintage": "2026-05-10"}
    assert observe(client, analyst, indicator, first).status_code == 201
    assert [data_flags(early["id"]), data_flags(late["id"])] == [["open"], ["open"]]
    # Published after the early claim was made: it settles the late claim only.
    revised = {"period": "2026-04", "value_text": "$9.02 billion", "vintage": "2026-06-30"}
    assert observe(client, analyst, indicator, revised).status_code == 201
    assert [data_flags(early["id"]), data_flags(late["id"])] == [["open"], []]
    listed = client.get("/api/v1/claims?metric=trade-turnover&sort=id", headers=analyst).json()
    assert [
        (c["id"], c["data_check"]["vintage"], c["data_check"]["agrees"]) for c in listed["items"]
    ] == [(early["id"], "2026-05-10", False), (late["id"], "2026-06-30", True)]


def test_target_missed_and_stale_flags_open_and_close(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    iid = indicator["id"]
    client.post(
        f"/api/v1/indicators/{iid}/targets",
        json={"value_text": "at least $10 billion", "due_on": "2021-12-31"},
        headers=analyst,
    )
    observe(
        client,
        analyst,
        indicator,
        {"period": "2021-06", "value_text": "$5 billion", "vintage": "2021-07-10"},
    )
    assert client.post("/api/v1/indicators:check", headers=analyst).json() == {"checked": 1}

    def kinds() -> list[str]:
        items = client.get("/api/v1/flags?sort=oldest", headers=analyst).json()["items"]
        return sorted(f["kind"] for f in items)

    assert kinds() == ["stale", "target_missed"]
    again = client.post("/api/v1/indicators:check", headers=analyst)
    assert again.status_code == 200
    assert kinds() == ["stale", "target_missed"]
    observe(
        client,
        analyst,
        indicator,
        {"period": "2021-12", "value_text": "$11 billion", "vintage": "2022-01-10"},
    )
    assert kinds() == ["stale"]
    today = date.today()
    month = f"{today.year}-{today.month:02d}"
    observe(
        client,
        analyst,
        indicator,
        {"period": month, "value_text": "$12 billion", "vintage": today.isoformat()},
    )
    assert kinds() == []


def test_series_cache_serves_repeats_and_never_a_stale_series(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    one = {"period": "2026-03", "value_text": "$1.5 billion", "vintage": "2026-04-01"}
    assert observe(client, analyst, indicator, [one]).status_code == 201
    url = f"/api/v1/indicators/{indicator['id']}/series"
    first = client.get(url, headers=analyst)
    assert series_cache().size == len(first.content)
    again = client.get(url, headers=analyst)
    assert (again.content, again.headers["ETag"]) == (first.content, first.headers["ETag"])
    revised = {**one, "value_text": "$1.7 billion", "vintage": "2026-05-01"}
    assert observe(client, analyst, indicator, [revised]).status_code == 201
    after = client.get(url, headers=analyst)
    assert after.headers["ETag"] != first.headers["ETag"]
    assert points(after) == [["2026-03-31", "1700000000"]]


def test_observation_reads_year_month_as_month_before_2012(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    # "2008-09" in a claim is refused (September 2008 or a split year?); a data file's period
    # is a year and month.
    body = {"period": "2008-09", "value_text": "$1 billion", "vintage": "2026-01-15"}
    assert observe(client, analyst, indicator, body).status_code == 201
    series = client.get(f"/api/v1/indicators/{indicator['id']}/series", headers=analyst)
    assert points(series) == [["2008-09-30", "1000000000"]]


@pytest.mark.parametrize(
    ("period", "vintage"),
    [
        ("next year", "9999-12-31"),
        ("next quarter", "9999-12-31"),
        ("next month", "9999-12-31"),
        ("last year", "0001-06-01"),
        ("before 0001", "9999-12-31"),
    ],
)
def test_observation_period_outside_calendar_is_refused(
    client: TestClient,
    analyst: dict[str, str],
    indicator: dict[str, Any],
    period: str,
    vintage: str,
) -> None:
    body = {"period": period, "value_text": "$1 billion", "vintage": vintage}
    response = observe(client, analyst, indicator, body)
    assert response.status_code == 422, response.text
    assert (response.json()["code"], response.json()["field"]) == ("invalid_input", "[1].period")
    assert response.json()["errors"][0]["problem"] == (
        f"'{period}' falls outside the calendar (0001-01-01 to 9999-12-31)"
    )


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        # The week of 9999-12-27 would end on 10000-01-02: the calendar cuts it short.
        ("weekly", [["9999-12-05", "2000000000", False], ["9999-12-31", "5000000000", False]]),
        ("monthly", [["9999-11-30", "2000000000", False], ["9999-12-31", "5000000000", False]]),
        ("quarterly", [["9999-12-31", "4000000000", False]]),
        ("annual", [["9999-12-31", "4000000000", False]]),
    ],
)
def test_series_rolls_up_last_days_of_calendar(
    client: TestClient,
    analyst: dict[str, str],
    indicator: dict[str, Any],
    frequency: str,
    expected: list[list[str | bool]],
) -> None:
    body = [
        {"period": day, "value_text": f"${v} billion", "vintage": "2026-07-01"}
        for day, v in [("9999-11-30", 2), ("9999-12-28", 4), ("9999-12-31", 6)]
    ]
    assert observe(client, analyst, indicator, body).status_code == 201
    url = f"/api/v1/indicators/{indicator['id']}/series?frequency={frequency}&aggregate=avg"
    assert points(client.get(url, headers=analyst), "complete") == expected


def test_series_rolls_up_first_week_of_calendar(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    body = [
        {"period": day, "value_text": f"${v} billion", "vintage": "2026-07-01"}
        for day, v in [("0001-01-01", 1), ("0001-01-07", 3), ("0001-01-08", 5)]
    ]
    assert observe(client, analyst, indicator, body).status_code == 201
    url = f"/api/v1/indicators/{indicator['id']}/series?frequency=weekly&aggregate=sum"
    expected = [["0001-01-07", "4000000000", False], ["0001-01-14", "5000000000", False]]
    assert points(client.get(url, headers=analyst), "complete") == expected
