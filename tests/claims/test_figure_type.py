"""A claim's figure type: read from its figure, stored, shown, filtered and exported; a change,
multiple or share is compared only with claims of its own type, and never held to the
metric's unit or to indicator data as a level would be."""

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import claim_body

OFFICIAL = [{"url": "https://gov.example/a", "title": "Ministry", "kind": "official", "quote": "q"}]
TRADE = {"entity": "EU-Kazakhstan", "metric": "trade turnover", "kind": "actual", "period": "2025"}


def post(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = claim_body(citations=OFFICIAL, **{**TRADE, **overrides})
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def conflicts(claim: dict[str, Any]) -> list[list[int]]:
    return [f["with"] for f in claim["flags"] if f["kind"] == "conflict"]


def test_a_change_is_stored_as_a_change_in_percent_of_a_money_metric(
    client: TestClient, analyst: dict[str, str]
) -> None:
    post(client, analyst, value_text="$45 billion")
    change = post(client, analyst, value_text="fell 12%")

    assert (change["figure_type"], change["value"], change["unit"]) == ("change", "-12", "percent")
    assert (change["low"], change["high"], change["bound"]) == ("-12.5", "-11.5", "exact")
    shown = client.get(f"/api/v1/claims/{change['id']}", headers=analyst).json()
    assert shown["figure_type"] == "change"


def test_a_change_does_not_conflict_with_a_level_of_the_same_metric_and_period(
    client: TestClient, analyst: dict[str, str]
) -> None:
    # Read as levels, 8.5% and 2% of the same rate could not both hold.
    level = post(client, analyst, metric="inflation", value_text="8.5%")
    change = post(client, analyst, metric="inflation", value_text="rose 2%")
    points = post(client, analyst, metric="inflation", value_text="up 2 percentage points")

    assert [c["figure_type"] for c in (level, change, points)] == ["level", "change", "change"]
    assert (conflicts(change), conflicts(points)) == ([], [])
    assert client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"] == []


def test_two_changes_that_disagree_conflict_and_two_that_agree_do_not(
    client: TestClient, analyst: dict[str, str]
) -> None:
    first = post(client, analyst, value_text="rose 38%")
    agrees = post(client, analyst, value_text="a 38 per cent increase")
    disagrees = post(client, analyst, value_text="up 12%")

    assert conflicts(agrees) == []
    assert conflicts(disagrees) == [[first["id"], agrees["id"]]]
    (flag,) = [f for f in disagrees["flags"] if f["kind"] == "conflict"]
    side_by_side = client.get(f"/api/v1/flags/{flag['id']}", headers=analyst).json()["claims"]
    assert [(c["value"], c["figure_type"]) for c in side_by_side] == [
        ("38", "change"),
        ("38", "change"),
        ("12", "change"),
    ]


def test_multiples_and_shares_are_compared_only_among_their_own_kind(
    client: TestClient, analyst: dict[str, str]
) -> None:
    doubled = post(client, analyst, value_text="doubled")
    post(client, analyst, value_text="rose 100%")  # the same fact as a change: not compared
    tripled = post(client, analyst, value_text="tripled")
    half = post(client, analyst, value_text="half of", metric="exports")
    quarter = post(client, analyst, value_text="a quarter", metric="exports")

    assert conflicts(tripled) == [[doubled["id"]]]
    assert conflicts(quarter) == [[half["id"]]]


def test_a_share_of_a_metric_measured_in_percent_is_its_level(
    client: TestClient, analyst: dict[str, str]
) -> None:
    level = post(client, analyst, metric="EU share of trade", value_text="30%")
    third = post(client, analyst, metric="EU share of trade", value_text="a third of")

    assert (third["figure_type"], third["value"]) == ("level", "33.33")
    assert conflicts(third) == [[level["id"]]]


def test_a_percent_level_of_a_money_metric_is_refused_with_how_to_write_a_change(
    client: TestClient, analyst: dict[str, str]
) -> None:
    post(client, analyst, value_text="$45 billion")
    response = client.post(
        "/api/v1/claims", json=claim_body(**TRADE, value_text="12%"), headers=analyst
    )

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "value_text"
    assert response.json()["detail"] == (
        "'12%' is a percent, but metric 'trade-turnover' measures money (USD); if it is a "
        "change, a share or a multiple, write it so ('up 5%', '40% of', 'doubled')"
    )


@pytest.mark.parametrize(
    ("value_text", "code_in_detail"),
    [
        ("rose from 5 to 7", "states two levels"),
        ("rose 12% to $5.2 billion", "states a change and the level it reached"),
        ("raised the rate three times this year", "counts how often something happened"),
        ("three times", "may count events"),
    ],
)
def test_a_figure_that_is_not_one_figure_is_refused_naming_value_text(
    client: TestClient, analyst: dict[str, str], value_text: str, code_in_detail: str
) -> None:
    response = client.post(
        "/api/v1/claims", json=claim_body(**TRADE, value_text=value_text), headers=analyst
    )

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "value_text"
    assert code_in_detail in response.json()["detail"]


def test_a_figure_type_sent_must_be_the_one_read(
    client: TestClient, analyst: dict[str, str]
) -> None:
    agreed = post(client, analyst, value_text="up 12%", figure_type="change")
    response = client.post(
        "/api/v1/claims",
        json=claim_body(**TRADE, value_text="12%", figure_type="change"),
        headers=analyst,
    )

    assert agreed["figure_type"] == "change"
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "figure_type"
    assert response.json()["detail"] == (
        "'12%' reads as a level, not a change: leave figure_type out, or write the figure as "
        "a change is written ('up 5%', '40% of', 'doubled')"
    )


def test_a_value_and_unit_take_the_figure_type_their_unit_allows(
    client: TestClient, analyst: dict[str, str]
) -> None:
    structured = {"value_text": None, "value": "-12", "unit": "%"}
    change = post(client, analyst, **structured, figure_type="change")
    body = claim_body(**TRADE, value_text=None, value="40", unit="USD", figure_type="share")
    body.pop("value_text")
    refused = client.post("/api/v1/claims", json=body, headers=analyst)

    assert (change["figure_type"], change["value"]) == ("change", "-12")
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "figure_type"
    assert refused.json()["detail"] == "a value in USD is a level or change, not a share"


def test_list_filters_by_figure_type_and_exports_it(
    client: TestClient, analyst: dict[str, str]
) -> None:
    level = post(client, analyst, value_text="$45 billion")
    change = post(client, analyst, value_text="fell 12%")

    listed = client.get("/api/v1/claims?figure_type=change", headers=analyst).json()["items"]
    levels = client.get("/api/v1/claims?figure_type=level", headers=analyst).json()["items"]
    bad = client.get("/api/v1/claims?figure_type=ratio", headers=analyst)
    exported = client.get("/api/v1/claims?format=csv&sort=id", headers=analyst).text
    rows = list(csv.DictReader(io.StringIO(exported)))

    assert [c["id"] for c in listed] == [change["id"]]
    assert [c["id"] for c in levels] == [level["id"]]
    assert (bad.status_code, bad.json()["field"]) == (422, "figure_type")
    assert [(r["id"], r["figure_type"]) for r in rows] == [
        (str(level["id"]), "level"),
        (str(change["id"]), "change"),
    ]


def test_editing_a_level_into_a_change_moves_it_out_of_the_conflict(
    client: TestClient, analyst: dict[str, str]
) -> None:
    post(client, analyst, value_text="$45 billion")
    second = post(client, analyst, value_text="$12 billion")
    edited = client.patch(
        f"/api/v1/claims/{second['id']}",
        json={"value_text": "fell 12%"},
        headers={**analyst, "If-Match": "*"},
    )

    assert conflicts(second) != []
    assert edited.status_code == 200, edited.text
    assert (edited.json()["figure_type"], conflicts(edited.json())) == ("change", [])
    flags = client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"]
    assert flags == []


def test_bulk_csv_takes_a_figure_type_column(client: TestClient, analyst: dict[str, str]) -> None:
    rows = (
        "entity,metric,value_text,figure_type,period,kind,stated_by,asserted_on,statement\n"
        "KTZ,freight,doubled,multiple,2025,actual,KTZ,2026-01-10,Freight doubled.\n"
        "KTZ,freight,up 5%,,2025,actual,KTZ,2026-01-10,Freight rose 5%.\n"
    )
    response = client.post(
        "/api/v1/claims:bulk",
        content=rows.encode(),
        headers={**analyst, "Content-Type": "text/csv"},
    )

    assert response.status_code == 201, response.text
    assert [c["figure_type"] for c in response.json()["items"]] == ["multiple", "change"]


def test_a_change_in_the_metric_unit_is_not_held_to_indicator_data(
    client: TestClient, analyst: dict[str, str]
) -> None:
    indicator = {
        **{"name": "EAEU trade", "question": "Up?", "entity": "EAEU", "metric": "trade turnover"},
        **{"unit": "USD", "frequency": "monthly", "direction": "up_is_good"},
    }
    made = client.post("/api/v1/indicators", json=indicator, headers=analyst)
    assert made.status_code == 201, made.text
    observed = client.post(
        f"/api/v1/indicators/{made.json()['id']}/observations",
        json={"period": "2026-04", "value_text": "$8.1 billion", "vintage": "2026-05-10"},
        headers=analyst,
    )
    assert observed.status_code == 201, observed.text
    april = {"entity": "EAEU", "period": "2026-04", "asserted_on": "2026-05-20"}

    change = post(client, analyst, **april, value_text="rose by $9 billion")
    level = post(client, analyst, **april, value_text="$9 billion")

    assert (change["figure_type"], change["data_check"]) == ("change", None)
    assert [f["kind"] for f in change["flags"]] == []
    assert level["data_check"]["agrees"] is False
    assert [f["kind"] for f in level["flags"]] == ["contradicted_by_data"]


def test_a_new_metric_of_a_batch_is_measured_in_its_first_level_whichever_row_comes_first(
    client: TestClient, analyst: dict[str, str]
) -> None:
    """Imports "rose 9.6% to $17.8 billion", logged change first: one metric, in USD, not one
    in percent for the change and a refused (or second) one for the level."""
    rows = [
        claim_body(citations=OFFICIAL, **{**TRADE, "metric": "imports", "value_text": v})
        for v in ("rose 9.6%", "$17.8 billion")
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    change, level = response.json()["items"]
    assert (change["metric"]["slug"], level["metric"]["slug"]) == ("imports", "imports")
    assert (change["figure_type"], change["unit"], level["unit"]) == ("change", "percent", "USD")
    assert "metric 'imports' was created, measured in USD" in change["notices"]
    metric = client.get(f"/api/v1/metrics/{level['metric']['id']}", headers=analyst).json()
    assert (metric["unit"], metric["dimension"]) == ("USD", "money")


def test_a_new_metric_of_a_batch_of_changes_alone_is_measured_in_percent(
    client: TestClient, analyst: dict[str, str]
) -> None:
    rows = [
        claim_body(citations=OFFICIAL, **{**TRADE, "metric": "imports", "value_text": "rose 9.6%"})
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    (change,) = response.json()["items"]
    assert change["unit"] == "percent"
    assert any("read from a change" in n for n in change["notices"])
    metric = client.get(f"/api/v1/metrics/{change['metric']['id']}", headers=analyst).json()
    assert metric["unit"] == "percent"


def test_a_value_of_the_word_index_alone_is_refused_naming_the_field(
    client: TestClient, analyst: dict[str, str]
) -> None:
    body = claim_body(citations=OFFICIAL, **{**TRADE, "value_text": "index"})
    response = client.post("/api/v1/claims", json=body, headers=analyst)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid_input"
    assert (problem["field"], problem["detail"]) == (
        "value_text",
        "could not read a number in 'index'",
    )


def test_a_new_metric_spelt_two_ways_in_a_batch_is_one_metric_in_its_level_unit(
    client: TestClient, analyst: dict[str, str]
) -> None:
    """ "imports" (a change) and "Imports" (its level) name one metric: it is created once, in
    the level's unit, and both rows are stored on it."""
    rows = [
        claim_body(citations=OFFICIAL, **{**TRADE, "metric": metric, "value_text": value})
        for metric, value in (("imports", "rose 9.6%"), ("Imports", "$17.8 billion"))
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    change, level = response.json()["items"]
    assert change["metric"]["id"] == level["metric"]["id"]
    assert (change["unit"], level["unit"]) == ("percent", "USD")
