"""On the demo: an analyst who writes 'EU' or 'European Union' for EU-Kazakhstan trade is told
which entity the demo keeps it under, and a reviewer's merge finds the conflict with its
$45 billion."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.demo.load import load
from tests.conftest import KeyFactory
from tests.factories import claim_body


@pytest.fixture
def demo(session: Session) -> int:
    count = load(session)
    session.commit()
    return count


def entity_id(client: TestClient, headers: dict[str, str], q: str) -> int:
    (found,) = client.get("/api/v1/entities", params={"q": q}, headers=headers).json()["items"]
    return int(found["id"])


def trade(name: str) -> dict[str, Any]:
    return claim_body(
        entity=name,
        metric="trade turnover",
        value_text="$38 billion",
        period="2025",
        kind="actual",
        stated_by="Eurostat",
        asserted_on="2026-03-01",
        statement=f"{name} trade with Kazakhstan was $38 billion in 2025.",
    )


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("EU", "'EU' is part of its alias 'Kazakhstan-EU'"),
        ("European Union", "its initials EU are a word of its alias 'Kazakhstan-EU'"),
    ],
)
def test_eu_written_for_the_demos_trade_entity_comes_with_a_notice_naming_it(
    client: TestClient, analyst: dict[str, str], demo: int, name: str, why: str
) -> None:
    relations = entity_id(client, analyst, "eu kazakhstan trade")
    committee = entity_id(client, analyst, "cooperation committee in")
    response = client.post("/api/v1/claims", json=trade(name), headers=analyst)
    assert response.status_code == 201, response.text
    claim = response.json()
    new = claim["entity"]["id"]
    committee_why = why.replace(
        "alias 'Kazakhstan-EU'", "name 'EU–Kazakhstan Cooperation Committee'"
    )
    assert [n for n in claim["notices"] if " is close to " in n] == [
        f"'{name}' is close to entity {relations} 'EU–Kazakhstan economic relations' ({why}): "
        "if it is the same entity, write 'EU–Kazakhstan economic relations' instead; or have a "
        f'reviewer merge them: POST /api/v1/entities/{new}/merge {{"into": {relations}}}',
        f"'{name}' is close to entity {committee} 'EU–Kazakhstan Cooperation Committee' "
        f"({committee_why}): if it is the same entity, write 'EU–Kazakhstan Cooperation "
        "Committee' instead; or have a reviewer merge them: "
        f'POST /api/v1/entities/{new}/merge {{"into": {committee}}}',
    ]


def test_merging_eu_into_the_demos_entity_finds_the_conflict_with_its_45_billion(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory, demo: int
) -> None:
    (demo_claim,) = [
        c
        for c in client.get(
            "/api/v1/claims?entity=eu-kazakhstan&metric=trade-turnover", headers=analyst
        ).json()["items"]
        if c["value_text"] == "$45 billion"
    ]
    claim = client.post("/api/v1/claims", json=trade("EU"), headers=analyst).json()
    assert [f for f in claim["flags"] if f["kind"] == "conflict"] == []
    merged = client.post(
        f"/api/v1/entities/{claim['entity']['id']}/merge",
        json={"into": demo_claim["entity"]["id"]},
        headers=auth(Role.REVIEWER),
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["aliases"][-1] == "EU"
    after = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()
    (flag,) = [f for f in after["flags"] if f["kind"] == "conflict"]
    assert (flag["status"], flag["with"]) == ("open", [demo_claim["id"]])
    shown = client.get(f"/api/v1/flags/{flag['id']}", headers=analyst).json()
    assert (shown["entity_id"], shown["claim_ids"]) == (
        demo_claim["entity"]["id"],
        [demo_claim["id"], claim["id"]],
    )
    again = client.post(
        "/api/v1/claims", json=trade("EU") | {"stated_by": "DG Trade"}, headers=analyst
    )
    assert again.json()["entity"]["id"] == demo_claim["entity"]["id"]
