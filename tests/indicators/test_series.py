"""Derived series a dashboard can trust: partial buckets, history before `from`, calendar lags,
the precision of averages, and the watchlist's change by the same rule (issue 21)."""

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.indicators.test_router import INDICATOR


def make(client: TestClient, headers: dict[str, str], frequency: str) -> int:
    body = {**INDICATOR, "frequency": frequency}
    response = client.post("/api/v1/indicators", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def record(client: TestClient, headers: dict[str, str], iid: int, values: dict[str, str]) -> None:
    body = [{"period": p, "value": v, "vintage": "2026-11-20"} for p, v in values.items()]
    response = client.post(f"/api/v1/indicators/{iid}/observations", json=body, headers=headers)
    assert response.status_code == 201, response.text


def points(client: TestClient, headers: dict[str, str], iid: int, query: str) -> Any:
    response = client.get(f"/api/v1/indicators/{iid}/series?{query}", headers=headers)
    assert response.status_code == 200, response.text
    out = []
    for r in response.json():  # records, as [date, exact value(, complete)]; value the number
        assert r["value"] == (float(r["value_exact"]) if r["value_exact"] is not None else None)
        out.append([r["date"], r["value_exact"], *([r["complete"]] if "complete" in r else [])])
    return out


def months(first: str, values: list[str]) -> dict[str, str]:
    year, month = map(int, first.split("-"))
    out = {}
    for i, value in enumerate(values):
        y, m = divmod(year * 12 + month - 1 + i, 12)
        out[f"{y:04d}-{m + 1:02d}"] = value
    return out


def test_rollup_marks_a_quarter_its_months_do_not_cover(
    client: TestClient, analyst: dict[str, str]
) -> None:
    iid = make(client, analyst, "monthly")
    record(client, analyst, iid, months("2026-07", ["10", "20", "30", "40"]))
    query = "frequency=quarterly&aggregate=sum"
    assert points(client, analyst, iid, query) == [
        ["2026-09-30", "60", True],
        ["2026-12-31", "40", False],
    ]
    assert points(client, analyst, iid, f"{query}&partial=mark") == [
        ["2026-09-30", "60", True],
        ["2026-12-31", "40", False],
    ]
    assert points(client, analyst, iid, f"{query}&partial=omit") == [["2026-09-30", "60", True]]
    csv = client.get(f"/api/v1/indicators/{iid}/series?{query}&format=csv", headers=analyst)
    assert csv.text == (
        "date,period_end,value,complete\n"
        "2026-09-30,2026-09-30,60,true\n2026-12-31,2026-12-31,40,false\n"
    )
    omitted = client.get(
        f"/api/v1/indicators/{iid}/series?{query}&format=csv&partial=omit", headers=analyst
    )
    assert omitted.text == "date,period_end,value,complete\n2026-09-30,2026-09-30,60,true\n"
    wrong = client.get(f"/api/v1/indicators/{iid}/series?{query}&partial=drop", headers=analyst)
    assert (wrong.status_code, wrong.json()["field"]) == (422, "partial")


def test_pc1_of_a_quarter_with_one_month_is_null_not_minus_67_percent(
    client: TestClient, analyst: dict[str, str]
) -> None:
    iid = make(client, analyst, "monthly")
    record(client, analyst, iid, months("2025-01", ["100"] * 12 + ["110"] * 10))
    query = "frequency=quarterly&aggregate=sum&transform=pc1&from=2026-01-01"
    assert points(client, analyst, iid, query) == [
        ["2026-03-31", "10", True],
        ["2026-06-30", "10", True],
        ["2026-09-30", "10", True],
        ["2026-12-31", None, False],
    ]
    annual = points(client, analyst, iid, "frequency=annual&aggregate=sum&transform=pch")
    assert annual == [["2025-12-31", None, True], ["2026-12-31", None, False]]


def test_transform_compares_with_history_before_from(
    client: TestClient, analyst: dict[str, str]
) -> None:
    iid = make(client, analyst, "monthly")
    record(client, analyst, iid, months("2025-01", ["100"] * 12 + ["110", "121", "121"]))
    assert points(client, analyst, iid, "transform=pc1&from=2026-01-01") == [
        ["2026-01-31", "10"],
        ["2026-02-28", "21"],
        ["2026-03-31", "21"],
    ]
    assert points(client, analyst, iid, "transform=chg&from=2026-01-01&to=2026-02-28") == [
        ["2026-01-31", "10"],
        ["2026-02-28", "11"],
    ]
    assert points(client, analyst, iid, "transform=pch&from=2025-12-01&to=2026-02-01") == [
        ["2025-12-31", "0"],
        ["2026-01-31", "10"],
    ]


def week(sunday: str) -> str:
    end = date.fromisoformat(sunday)
    return f"{end - timedelta(days=6)}/{end}"


def test_weekly_change_is_null_after_a_missing_week_not_against_a_neighbour(
    client: TestClient, analyst: dict[str, str]
) -> None:
    iid = make(client, analyst, "weekly")
    sundays = {"2025-01-05": "50", "2026-01-04": "100", "2026-01-11": "104", "2026-01-18": "98"}
    sundays["2026-02-08"] = "90"  # the weeks ending 01-25 and 02-01 are missing
    record(client, analyst, iid, {week(day): value for day, value in sundays.items()})
    assert points(client, analyst, iid, "transform=chg&from=2026-01-01") == [
        ["2026-01-04", None],
        ["2026-01-11", "4"],
        ["2026-01-18", "-6"],
        ["2026-02-08", None],
    ]
    # 52 weeks before the week ending 2026-01-04 is the week ending 2025-01-05.
    assert points(client, analyst, iid, "transform=pc1&to=2026-01-11") == [
        ["2025-01-05", None],
        ["2026-01-04", "100"],
        ["2026-01-11", None],
    ]


def test_daily_working_days_cover_their_month_and_monday_follows_friday(
    client: TestClient, analyst: dict[str, str]
) -> None:
    iid = make(client, analyst, "daily")
    start = date(2026, 3, 1)  # a Sunday
    days = [start + timedelta(days=i) for i in range(31)]
    working = {d.isoformat(): str(d.day) for d in days if d.weekday() < 5}
    working.pop("2026-03-18")  # a Wednesday without a value: the month is not covered
    record(client, analyst, iid, working)
    assert points(client, analyst, iid, "frequency=monthly&aggregate=last") == [
        ["2026-03-31", "31", False],
    ]
    record(client, analyst, iid, {"2026-03-18": "18"})
    # 22 working days: 1 + 2 + ... + 31 = 496 less the weekends (145) is 351; 351 / 22.
    assert points(client, analyst, iid, "frequency=monthly&aggregate=avg") == [
        ["2026-03-31", "15.95", True],
    ]
    change = points(client, analyst, iid, "transform=chg&from=2026-03-05&to=2026-03-10")
    assert change == [
        ["2026-03-05", "1"],
        ["2026-03-06", "1"],
        ["2026-03-09", "3"],
        ["2026-03-10", "1"],
    ]


def test_average_keeps_the_stated_precision_plus_two_places(
    client: TestClient, analyst: dict[str, str]
) -> None:
    iid = make(client, analyst, "monthly")
    values = ["1.5", "2", "2", "1", "2", "2", "0.125", "0", "0", "0.2"]
    record(client, analyst, iid, months("2026-01", values))
    assert points(client, analyst, iid, "frequency=quarterly&aggregate=avg") == [
        ["2026-03-31", "1.833", True],  # 5.5 / 3, one place stated
        ["2026-06-30", "1.67", True],  # 5 / 3, whole numbers
        ["2026-09-30", "0.04167", True],  # 0.125 / 3, three places stated
        ["2026-12-31", "0.2", False],
    ]
    assert points(client, analyst, iid, "frequency=quarterly&aggregate=avg&transform=pch") == [
        ["2026-03-31", None, True],
        ["2026-06-30", "-8.892526", True],  # (1.67 - 1.833) / 1.833, of the values shown
        ["2026-09-30", "-97.50479", True],
        ["2026-12-31", None, False],
    ]


def test_watchlist_change_is_null_when_the_previous_period_has_no_value(
    client: TestClient, analyst: dict[str, str]
) -> None:
    iid = make(client, analyst, "monthly")
    record(client, analyst, iid, {"2026-01": "40", "2026-03": "50"})

    def change() -> Any:
        items = client.get("/api/v1/watchlist", headers=analyst).json()
        return [(w["last_value"], w["change"]) for w in items if w["id"] == iid]

    assert change() == [("50", None)]
    csv = client.get("/api/v1/watchlist?format=csv", headers=analyst).text.splitlines()
    assert csv[1].startswith("eaeu-mutual-trade-turnover,EAEU mutual trade turnover,none,50,")
    assert ",2026-03-31,,USD," in csv[1]
    record(client, analyst, iid, {"2026-02": "45.5"})
    assert change() == [("50", "4.5")]


def test_long_values_stay_exact_in_series_and_roll_ups(
    client: TestClient, analyst: dict[str, str]
) -> None:
    iid = make(client, analyst, "monthly")
    longest = "12345678901234567890123.4567891"  # 30 digits, the most a value may have
    record(client, analyst, iid, {"2026-01": longest, "2026-02": "0.5"})
    assert points(client, analyst, iid, "") == [["2026-01-31", longest], ["2026-02-28", "0.5"]]
    assert points(client, analyst, iid, "frequency=annual&aggregate=sum") == [
        ["2026-12-31", "12345678901234567890123.9567891", False],
    ]
    assert points(client, analyst, iid, "frequency=annual&aggregate=avg") == [
        ["2026-12-31", "6172839450617283945061.97839455", False],  # 9 places, the last 0
    ]
    assert points(client, analyst, iid, "transform=chg") == [
        ["2026-01-31", None],
        ["2026-02-28", "-12345678901234567890122.9567891"],
    ]


def test_a_rollup_combines_by_the_indicators_aggregation_unless_told(
    client: TestClient, analyst: dict[str, str]
) -> None:
    values = months("2026-01", ["10", "20", "30"])
    made = {}
    for aggregation in ("flow", "stock", "rate"):
        body = {**INDICATOR, "name": f"Trade {aggregation}", "aggregation": aggregation}
        response = client.post("/api/v1/indicators", json=body, headers=analyst)
        assert response.status_code == 201, response.text
        made[aggregation] = response.json()["id"]
        record(client, analyst, made[aggregation], values)
    quarter = "frequency=quarterly"
    # A quarter's trade is the sum of its months; a level is the one at its end; a rate averages.
    assert points(client, analyst, made["flow"], quarter) == [["2026-03-31", "60", True]]
    assert points(client, analyst, made["stock"], quarter) == [["2026-03-31", "30", True]]
    assert points(client, analyst, made["rate"], quarter) == [["2026-03-31", "20", True]]
    told = points(client, analyst, made["flow"], f"{quarter}&aggregate=avg")
    assert told == [["2026-03-31", "20", True]]
    url = f"/api/v1/indicators/{made['flow']}/series?{quarter}&envelope=true"
    assert client.get(url, headers=analyst).json()["aggregate"] == "sum"
