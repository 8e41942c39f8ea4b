"""Targets changed and removed (PATCH / DELETE /api/v1/indicators/{id}/targets/{target_id}) at
the indicator's version: read as a new target is, the indicator's next version, an event each,
a removed target's target_missed flag closed, a stale version refused with nothing changed."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.indicators.test_router import INDICATOR


@pytest.fixture
def indicator(client: TestClient, analyst: dict[str, str]) -> dict[str, Any]:
    made = client.post("/api/v1/indicators", json=INDICATOR, headers=analyst)
    assert made.status_code == 201, made.text
    iid = made.json()["id"]
    target = client.post(
        f"/api/v1/indicators/{iid}/targets",
        json={"value_text": "at least $10 billion", "due_on": "2021-12-31"},
        headers=analyst,
    )
    assert target.status_code == 201, target.text
    return {**made.json(), "target_id": target.json()["id"]}


def _url(indicator: dict[str, Any]) -> str:
    return f"/api/v1/indicators/{indicator['id']}/targets/{indicator['target_id']}"


def _at(indicator: dict[str, Any], version: int) -> dict[str, str]:
    return {"If-Match": f'"indicator-{indicator["id"]}-v{version}"'}


def _events(client: TestClient, headers: dict[str, str], iid: int) -> list[str]:
    query = f"/api/v1/events?record_type=indicator&record_id={iid}"
    return [e["action"] for e in client.get(query, headers=headers).json()["items"]]


def test_update_target_reads_its_value_and_takes_the_indicators_next_version(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    changed = client.patch(
        _url(indicator),
        json={"value_text": "$12–14 billion", "due_on": "2027-06-30"},
        headers={**analyst, **_at(indicator, 1)},
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == f'"indicator-{indicator["id"]}-v2"'
    (target,) = changed.json()["targets"]
    assert (target["value_text"], target["bound"], target["low"], target["high"]) == (
        "$12–14 billion",
        "range",
        "12000000000",
        "14000000000",
    )
    assert (target["due_on"], changed.json()["version"]) == ("2027-06-30", 2)
    assert _events(client, analyst, indicator["id"]) == [
        "indicator.target_changed",
        "indicator.target_added",
        "indicator.created",
    ]


def test_update_target_refuses_a_stale_version_a_wrong_unit_and_no_if_match(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    renamed = client.patch(
        f"/api/v1/indicators/{indicator['id']}",
        json={"name": "Renamed"},
        headers={**analyst, **_at(indicator, 1)},
    )
    assert renamed.status_code == 200
    body = {"value_text": "$20 billion"}
    stale = client.patch(_url(indicator), json=body, headers={**analyst, **_at(indicator, 1)})
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
    assert client.patch(_url(indicator), json=body, headers=analyst).status_code == 428
    wrong = client.patch(
        _url(indicator), json={"value_text": "900 km"}, headers={**analyst, **_at(indicator, 2)}
    )
    assert (wrong.status_code, wrong.json()["field"]) == (422, "value_text")
    assert wrong.json()["detail"] == "a length cannot be a target of this indicator"
    shown = client.get(f"/api/v1/indicators/{indicator['id']}", headers=analyst).json()
    assert ([t["value_text"] for t in shown["targets"]], shown["version"]) == (
        ["at least $10 billion"],
        2,
    )


def test_remove_target_closes_its_target_missed_flag(
    client: TestClient, analyst: dict[str, str], indicator: dict[str, Any]
) -> None:
    observed = client.post(
        f"/api/v1/indicators/{indicator['id']}/observations",
        json={"period": "2021-06", "value_text": "$5 billion", "vintage": "2021-07-10"},
        headers=analyst,
    )
    assert observed.status_code == 201, observed.text

    def open_kinds() -> list[str]:
        items = client.get("/api/v1/flags?status=open", headers=analyst).json()["items"]
        return sorted(f["kind"] for f in items)

    assert open_kinds() == ["stale", "target_missed"]
    removed = client.delete(_url(indicator), headers={**analyst, **_at(indicator, 1)})
    assert removed.status_code == 200, removed.text
    assert (removed.json()["targets"], removed.json()["version"]) == ([], 2)
    assert open_kinds() == ["stale"]
    assert _events(client, analyst, indicator["id"])[0] == "indicator.target_removed"
    again = client.delete(_url(indicator), headers={**analyst, **_at(indicator, 2)})
    assert (again.status_code, again.json()["code"]) == (404, "target_not_found")


def test_reader_may_not_change_a_target(
    client: TestClient, reader: dict[str, str], indicator: dict[str, Any]
) -> None:
    response = client.delete(_url(indicator), headers={**reader, "If-Match": "*"})
    assert response.status_code == 403
