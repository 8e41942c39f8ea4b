"""A new entity or metric name close to a known one: created with a notice naming the record
it likely means, or, with strict names, refused."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import claim_body


@pytest.fixture
def known(client: TestClient, analyst: dict[str, str]) -> dict[str, int]:
    """KTZ (1), Kazakhstan (2) and the metric trade turnover (1)."""
    ids: dict[str, int] = {}
    bodies: list[dict[str, Any]] = [
        {"name": "Kazakhstan Temir Zholy", "aliases": ["KTZ"]},
        {"name": "Kazakhstan", "aliases": ["Republic of Kazakhstan"]},
    ]
    for body in bodies:
        response = client.post("/api/v1/entities", json=body, headers=analyst)
        assert response.status_code == 201, response.text
        ids[body["name"]] = response.json()["id"]
    metric = client.post(
        "/api/v1/metrics", json={"name": "Trade turnover", "unit": "USD"}, headers=analyst
    )
    ids["Trade turnover"] = metric.json()["id"]
    return ids


def close(claim: dict[str, Any]) -> list[str]:
    return [n for n in claim["notices"] if " is close to " in n]


def notice(name: str, kind: str, record: tuple[int, str], why: str, new_id: int) -> str:
    path = "entities" if kind == "entity" else "metrics"
    return (
        f"'{name}' is close to {kind} {record[0]} '{record[1]}' ({why}): if it is the same "
        f"{kind}, write '{record[1]}' instead; or have a reviewer merge them: "
        f'POST /api/v1/{path}/{new_id}/merge {{"into": {record[0]}}}'
    )


KTZ = "Kazakhstan Temir Zholy"


@pytest.mark.parametrize(
    ("name", "record", "why"),
    [
        ("Kazakstan", "Kazakhstan", "it is another spelling of its name 'Kazakhstan'"),
        ("Qazaqstan", "Kazakhstan", "it is another spelling of its name 'Kazakhstan'"),
        (
            "K.T.Z.",
            KTZ,
            "it differs only in case, spacing, punctuation or a designator from its alias 'KTZ'",
        ),
        (
            "Kazakhstan Temir Zholy JSC",
            KTZ,
            "it differs only in case, spacing, punctuation or a designator from its name "
            "'Kazakhstan Temir Zholy'",
        ),
        ("Temir Zholy", KTZ, "'Temir Zholy' is part of its name 'Kazakhstan Temir Zholy'"),
        ("Temir Zholy JSC", KTZ, "'temir zholy' is part of its name 'Kazakhstan Temir Zholy'"),
        ("RK", "Kazakhstan", "'RK' are the initials of its alias 'Republic of Kazakhstan'"),
    ],
)
def test_a_new_entity_close_to_a_known_one_comes_with_a_notice_naming_it(
    client: TestClient,
    analyst: dict[str, str],
    known: dict[str, int],
    name: str,
    record: str,
    why: str,
) -> None:
    response = client.post("/api/v1/claims", json=claim_body(entity=name), headers=analyst)
    assert response.status_code == 201, response.text
    claim = response.json()
    created = claim["entity"]["id"]
    assert created not in known.values()
    assert close(claim) == [notice(name, "entity", (known[record], record), why, created)]


def test_a_new_name_close_to_none_comes_with_no_such_notice(
    client: TestClient, analyst: dict[str, str], known: dict[str, int]
) -> None:
    claim = client.post(
        "/api/v1/claims", json=claim_body(entity="Kazakhstan Railways"), headers=analyst
    ).json()
    assert close(claim) == []
    assert "entity 'kazakhstan-railways' was created from 'Kazakhstan Railways'" in claim["notices"]


def test_a_new_metric_close_to_a_known_one_comes_with_a_notice_naming_it(
    client: TestClient, analyst: dict[str, str], known: dict[str, int]
) -> None:
    claim = client.post(
        "/api/v1/claims", json=claim_body(metric="Trade turnovers"), headers=analyst
    ).json()
    assert close(claim) == [
        notice(
            "Trade turnovers",
            "metric",
            (known["Trade turnover"], "Trade turnover"),
            "it is spelt almost like its name 'Trade turnover'",
            claim["metric"]["id"],
        )
    ]


def test_strict_names_refuse_a_close_new_name_and_create_nothing(
    client: TestClient, analyst: dict[str, str], known: dict[str, int]
) -> None:
    response = client.post(
        "/api/v1/claims?strict_names=true", json=claim_body(entity="Kazakstan"), headers=analyst
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["code"], problem["field"], problem["detail"]) == (
        "close_match",
        "entity",
        f"'Kazakstan' is close to entity {known['Kazakhstan']} 'Kazakhstan' (it is another "
        "spelling of its name 'Kazakhstan'): if it is the same entity, write 'Kazakhstan' "
        "instead. To create 'Kazakstan' as a new entity anyway, send it without strict_names",
    )
    assert client.get("/api/v1/entities?q=kazakstan", headers=analyst).json()["items"] == []
    fine = client.post(
        "/api/v1/claims?strict_names=true", json=claim_body(entity="Aktau Port"), headers=analyst
    )
    assert fine.status_code == 201, fine.text


def test_strict_names_in_bulk_reject_the_batch_naming_the_row(
    client: TestClient, analyst: dict[str, str], known: dict[str, int]
) -> None:
    rows = [claim_body(entity="Aktau Port"), claim_body(entity="Qazaqstan", stated_by="B")]
    response = client.post("/api/v1/claims:bulk?strict_names=true", json=rows, headers=analyst)
    assert (response.status_code, response.json()["field"]) == (422, "[2].entity")
    assert client.get("/api/v1/entities?q=aktau", headers=analyst).json()["items"] == []


def test_a_batch_learns_the_names_it_creates(
    client: TestClient, analyst: dict[str, str], known: dict[str, int]
) -> None:
    rows = [claim_body(entity="Kazakstan"), claim_body(entity="Qazaqstan", stated_by="B")]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    first, second = response.json()["items"]
    why = "it is another spelling of its name"
    assert close(second) == [
        notice(
            "Qazaqstan",
            "entity",
            (known["Kazakhstan"], "Kazakhstan"),
            f"{why} 'Kazakhstan'",
            second["entity"]["id"],
        ),
        notice(
            "Qazaqstan",
            "entity",
            (first["entity"]["id"], "Kazakstan"),
            f"{why} 'Kazakstan'",
            second["entity"]["id"],
        ),
    ]
