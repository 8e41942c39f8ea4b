"""The watchlist as tools read it: open flags, the headline goal, recent points; JSON and CSV."""

import csv
import io
from typing import Any

from fastapi.testclient import TestClient

RAIL = {
    "name": "KTZ new rail",
    "slug": "ktz-rail",
    "entity": "KTZ",
    "metric": "new rail length",
    "unit": "km",
    "frequency": "annual",
    "direction": "up_is_good",
}
TRADE = {"name": "EAEU trade", "entity": "EAEU", "metric": "trade turnover", "unit": "USD"}


def flag_ids(client: TestClient, headers: dict[str, str], kind: str) -> list[int]:
    page = client.get(f"/api/v1/flags?kind={kind}", headers=headers).json()
    return sorted(f["id"] for f in page["items"])


def setup(client: TestClient, analyst: dict[str, str]) -> None:
    for body in (RAIL, TRADE):
        assert client.post("/api/v1/indicators", json=body, headers=analyst).status_code == 201
    base = "/api/v1/indicators/ktz-rail"
    for value_text, due_on in (
        ("at least 500 km", "2099-12-31"),
        ("at least 2000 km", "2020-12-31"),
    ):
        target = {"value_text": value_text, "due_on": due_on}
        assert client.post(f"{base}/targets", json=target, headers=analyst).status_code == 201
    points = [
        {"period": str(year), "value": str(100 * (year - 2010)), "vintage": f"{year + 1}-01-15"}
        for year in range(2011, 2021)
    ]
    assert client.post(f"{base}/observations", json=points, headers=analyst).status_code == 201
    claim = {
        "entity": "KTZ",
        "metric": "new rail length",
        "value_text": "900 km",
        "period": "2020",
        "kind": "actual",
        "stated_by": "x",
        "asserted_on": "2022-03-01",
        "statement": "900 km were laid in 2020.",
    }
    assert client.post("/api/v1/claims", json=claim, headers=analyst).status_code == 201
    assert client.post("/api/v1/indicators:check", headers=analyst).json() == {"checked": 2}


def test_watchlist_shows_open_flags_goal_and_recent_points(
    client: TestClient, analyst: dict[str, str]
) -> None:
    setup(client, analyst)
    rail, trade = client.get("/api/v1/watchlist", headers=analyst).json()
    kinds = ("contradicted_by_data", "stale", "target_missed")
    expected = [{"id": i, "kind": k} for k in kinds for i in flag_ids(client, analyst, k)]
    assert len(expected) == 3
    assert rail["open_flags"] == expected
    assert rail["open_flag_counts"] == {"stale": 1, "target_missed": 1, "contradicted_by_data": 1}
    assert (
        rail["status"],
        rail["goal"],
        rail["goal_value"],
        rail["goal_due"],
        rail["percent_complete"],
    ) == ("missed", "at least 2000 km", "2000", "2020-12-31", "50")
    assert rail["recent"] == [
        {"on": f"{year}-12-31", "value": str(100 * (year - 2010))} for year in range(2013, 2021)
    ]
    assert (rail["last_value"], rail["change"]) == ("1000", "100")
    assert (trade["slug"], trade["status"], trade["goal"], trade["percent_complete"]) == (
        "eaeu-trade",
        "none",
        None,
        None,
    )
    assert (trade["open_flags"], trade["recent"]) == ([], [])
    assert trade["open_flag_counts"] == {"stale": 0, "target_missed": 0, "contradicted_by_data": 0}


def test_watchlist_drops_flags_once_closed(client: TestClient, analyst: dict[str, str]) -> None:
    setup(client, analyst)
    late = {"period": "2025", "value": "2100", "vintage": "2026-01-15"}
    added = client.post("/api/v1/indicators/ktz-rail/observations", json=late, headers=analyst)
    assert added.status_code == 201
    client.post("/api/v1/indicators:check", headers=analyst)
    rail = client.get("/api/v1/watchlist", headers=analyst).json()[0]
    # The claim of 2020 is still contradicted; both targets are met (the first
    # due is the headline), the series fresh.
    assert rail["open_flag_counts"] == {"stale": 0, "target_missed": 0, "contradicted_by_data": 1}
    assert (rail["status"], rail["goal"], rail["percent_complete"]) == (
        "met",
        "at least 2000 km",
        "105",
    )


def test_watchlist_csv_carries_goal_flag_counts_and_sparkline(
    client: TestClient, analyst: dict[str, str]
) -> None:
    setup(client, analyst)
    response = client.get("/api/v1/watchlist?format=csv", headers=analyst)
    rows: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [
        *("slug", "name", "status", "last_value", "last_on", "change", "unit"),
        *("aggregation", "due", "question"),
        *("goal", "goal_value", "goal_due", "percent_complete"),
        *("open_stale", "open_target_missed", "open_contradicted_by_data"),
        *("recent_values", "recent_on"),
    ]
    rail, trade = rows
    assert {k: rail[k] for k in list(rail)[10:]} == {
        "goal": "at least 2000 km",
        "goal_value": "2000",
        "goal_due": "2020-12-31",
        "percent_complete": "50",
        "open_stale": "1",
        "open_target_missed": "1",
        "open_contradicted_by_data": "1",
        "recent_values": "300;400;500;600;700;800;900;1000",
        "recent_on": ";".join(f"{y}-12-31" for y in range(2013, 2021)),
    }
    assert {k: trade[k] for k in list(trade)[10:]} == {
        **dict.fromkeys(("goal", "goal_value", "goal_due", "percent_complete"), ""),
        **dict.fromkeys(("open_stale", "open_target_missed", "open_contradicted_by_data"), "0"),
        "recent_values": "",
        "recent_on": "",
    }
