"""The claims API as an analyst and a dashboard use it."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.conftest import KeyFactory
from tests.factories import claim_body

PROBLEM = "application/problem+json"


def count_claims(client: TestClient, headers: dict[str, str]) -> int:
    page = client.get("/api/v1/claims?status=all&limit=500", headers=headers).json()
    return len(page["items"])


def create(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/claims", json=claim_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_create_claim_reads_value_interval_and_period(
    client: TestClient, analyst: dict[str, str]
) -> None:
    response = client.post("/api/v1/claims", json=claim_body(), headers=analyst)
    assert response.status_code == 201
    claim = response.json()
    assert claim["value"] == "10000000000"
    assert claim["unit"] == "USD"
    assert claim["dimension"] == "money"
    assert claim["bound"] == "exact"
    assert (claim["low"], claim["high"]) == ("9500000000", "10500000000")
    assert (claim["low_open"], claim["high_open"]) == (False, False)
    assert (claim["period_start"], claim["period_end"]) == ("2026-05-28", "2030-12-31")
    assert claim["status"] == "active"
    assert claim["version"] == 1
    assert re.fullmatch(rf'"claim-{claim["id"]}-v1\.[0-9a-f]{{12}}"', response.headers["ETag"])
    assert response.headers["Location"] == f"/api/v1/claims/{claim['id']}"
    assert claim["citations"][0]["source"]["url"] == "https://example.com/ktz"
    assert claim["citations"][0]["quote"].startswith("an aggressive $10 billion")
    assert claim["tags"] == ["middle-corridor"]


def test_create_claim_reports_what_it_created(client: TestClient, analyst: dict[str, str]) -> None:
    claim = create(client, analyst)
    assert claim["entity"]["slug"] == "ktz"
    assert claim["metric"]["slug"] == "investment"
    flag = claim["flags"][0]["id"]
    assert claim["notices"] == [
        "metric 'investment' was created, measured in USD",
        "entity 'ktz' was created from 'KTZ'",
        f"source {claim['citations'][0]['source']['id']} was created for https://example.com/ktz",
        f"unverified: see flag {flag}",
    ]
    again = create(client, analyst, stated_by="KTZ's chairman")
    assert again["notices"] == [f"unverified: see flag {again['flags'][0]['id']}"]


def test_create_claim_finds_entity_by_alias(client: TestClient, analyst: dict[str, str]) -> None:
    entity = client.post(
        "/api/v1/entities",
        json={"name": "Kazakhstan Temir Zholy", "slug": "ktz", "aliases": ["KTZ"]},
        headers=analyst,
    )
    assert entity.status_code == 201
    claim = create(client, analyst, entity="kazakhstan temir zholy")
    assert claim["entity"] == {
        "id": entity.json()["id"],
        "slug": "ktz",
        "name": "Kazakhstan Temir Zholy",
    }
    assert not any("entity" in n for n in claim["notices"])


def test_create_claim_dedups_sources_by_canonical_url(
    client: TestClient, analyst: dict[str, str]
) -> None:
    first = create(
        client,
        analyst,
        citations=[{"url": "HTTPS://Example.com/a?utm_source=x#top", "title": "A", "quote": "q1"}],
    )
    second = create(
        client,
        analyst,
        stated_by="KTZ's chairman",
        citations=[{"url": "https://example.com/a", "title": "B", "quote": "q2"}],
    )
    assert first["citations"][0]["source"]["id"] == second["citations"][0]["source"]["id"]
    assert first["citations"][0]["source"]["url"] == "https://example.com/a"
    sources = client.get("/api/v1/sources", headers=analyst).json()["items"]
    assert [s["url"] for s in sources] == ["https://example.com/a"]


def test_create_claim_takes_structured_value(client: TestClient, analyst: dict[str, str]) -> None:
    body = claim_body(value_text=None, value="4000", unit="count", bound="more_than")
    body.pop("value_text")
    body["metric"] = "companies operating"
    response = client.post("/api/v1/claims", json=body, headers=analyst)
    assert response.status_code == 201, response.text
    claim = response.json()
    assert (claim["value"], claim["unit"], claim["bound"]) == ("4000", "count", "more_than")
    assert (claim["low"], claim["high"], claim["low_open"]) == ("4000", None, True)
    assert claim["value_text"] == "more than 4000 count"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value_text": "lots of money"}, "value_text"),
        ({"value_text": "$7-5 billion"}, "value_text"),
        ({"period": "sometime soon"}, "period"),
        ({"kind": "rumour"}, "kind"),
        ({"asserted_on": "yesterday"}, "asserted_on"),
        ({"bogus": 1}, "bogus"),
        ({"tags": "not-a-list"}, "tags"),
        ({"citations": [{"quote": "no source"}]}, "citations[0]"),
        ({"citations": [{"source_id": 999999, "quote": "q"}]}, "citations[0].source_id"),
        ({"citations": [{"url": "ftp://x.org/a", "title": "t", "quote": "q"}]}, "citations[0].url"),
        ({"citations": [{"url": "https://new.example/a", "quote": "q"}]}, "citations[0].title"),
    ],
)
def test_create_claim_rejects_bad_input_and_writes_nothing(
    client: TestClient, analyst: dict[str, str], overrides: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/claims", json=claim_body(**overrides), headers=analyst)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    assert problem["code"] == "invalid_input"
    assert problem["field"] == field
    assert count_claims(client, analyst) == 0
    assert client.get("/api/v1/entities", headers=analyst).json()["items"] == []


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1e400", '"12x"'])
def test_create_claim_rejects_non_finite_values(
    client: TestClient, analyst: dict[str, str], raw: str
) -> None:
    body = (
        '{"entity": "KTZ", "metric": "investment", "value": ' + raw + ', "unit": "USD",'
        ' "kind": "actual", "stated_by": "x", "asserted_on": "2026-01-01", "statement": "s"}'
    )
    response = client.post(
        "/api/v1/claims",
        content=body,
        headers={**analyst, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "value"
    assert count_claims(client, analyst) == 0


def test_create_claim_rejects_dimension_that_does_not_fit_metric(
    client: TestClient, analyst: dict[str, str]
) -> None:
    create(client, analyst)
    response = client.post("/api/v1/claims", json=claim_body(value_text="900 km"), headers=analyst)
    assert response.status_code == 422
    assert response.json()["field"] == "value_text"
    assert "measures money" in response.json()["detail"]


def test_create_claim_refuses_a_footnote_mark_in_the_value(
    client: TestClient, analyst: dict[str, str]
) -> None:
    # The superscript was read as a digit: $102 million stored for "$10² million".
    response = client.post(
        "/api/v1/claims", json=claim_body(value_text="$10² million"), headers=analyst
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["code"], problem["field"]) == ("invalid_input", "value_text")
    assert problem["detail"].startswith("could not read '²' in '$10² million'")
    assert count_claims(client, analyst) == 0


def test_create_claim_rejects_malformed_json(client: TestClient, analyst: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/claims",
        content=b'{"entity": ',
        headers={**analyst, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "malformed_json"


def test_create_claim_rejects_oversized_body(client: TestClient, analyst: dict[str, str]) -> None:
    body = claim_body(statement="x" * 2_000_000)
    response = client.post("/api/v1/claims", json=body, headers=analyst)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "payload_too_large"
    assert count_claims(client, analyst) == 0


@pytest.mark.parametrize(
    ("role", "status"), [(None, 401), (Role.READER, 403), (Role.REVIEWER, 403)]
)
def test_create_claim_needs_a_writing_role(
    client: TestClient, auth: KeyFactory, role: Role | None, status: int
) -> None:
    headers = auth(role) if role else {}
    response = client.post("/api/v1/claims", json=claim_body(), headers=headers)
    assert response.status_code == status
    assert response.json()["code"] == ("unauthenticated" if status == 401 else "forbidden")


def test_list_claims_needs_a_key(client: TestClient) -> None:
    response = client.get(
        "/api/v1/claims", headers={"Authorization": "Bearer ct_nothere_" + "x" * 20}
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_get_claim_returns_it_with_etag_and_304(
    client: TestClient, analyst: dict[str, str], reader: dict[str, str]
) -> None:
    claim = create(client, analyst)
    response = client.get(f"/api/v1/claims/{claim['id']}", headers=reader)
    assert response.status_code == 200
    assert response.json()["value_text"] == "$10 billion"
    etag = response.headers["ETag"]
    cached = client.get(f"/api/v1/claims/{claim['id']}", headers={**reader, "If-None-Match": etag})
    assert cached.status_code == 304


def test_get_claim_missing_is_404(client: TestClient, reader: dict[str, str]) -> None:
    response = client.get("/api/v1/claims/424242", headers=reader)
    assert response.status_code == 404
    assert response.json()["code"] == "claim_not_found"


def test_update_claim_without_if_match_is_428(client: TestClient, analyst: dict[str, str]) -> None:
    claim = create(client, analyst)
    response = client.patch(
        f"/api/v1/claims/{claim['id']}", json={"value_text": "$12 billion"}, headers=analyst
    )
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()["version"] == 1


def test_update_claim_rereads_value_and_bumps_version(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = create(client, analyst)
    response = client.patch(
        f"/api/v1/claims/{claim['id']}",
        json={"value_text": "$12 billion", "period": "2027"},
        headers={**analyst, "If-Match": f'"claim-{claim["id"]}-v1"'},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["value"], updated["low"], updated["high"]) == (
        "12000000000",
        "11500000000",
        "12500000000",
    )
    assert (updated["period_start"], updated["period_end"]) == ("2027-01-01", "2027-12-31")
    assert updated["version"] == 2
    assert re.fullmatch(rf'"claim-{claim["id"]}-v2\.[0-9a-f]{{12}}"', response.headers["ETag"])


def test_update_claim_with_stale_etag_is_412_and_writes_nothing(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = create(client, analyst)
    url = f"/api/v1/claims/{claim['id']}"
    first = client.patch(
        url, json={"basis": "KTZ"}, headers={**analyst, "If-Match": f'"claim-{claim["id"]}-v1"'}
    )
    assert first.status_code == 200
    stale = client.patch(
        url, json={"basis": "other"}, headers={**analyst, "If-Match": f'"claim-{claim["id"]}-v1"'}
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    current = client.get(url, headers=analyst).json()
    assert (current["basis"], current["version"]) == ("KTZ", 2)


def test_update_claim_rejects_null_for_required_field(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = create(client, analyst)
    response = client.patch(
        f"/api/v1/claims/{claim['id']}",
        json={"statement": None},
        headers={**analyst, "If-Match": f'"claim-{claim["id"]}-v1"'},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "statement"


def test_update_claim_by_reader_is_403(
    client: TestClient, analyst: dict[str, str], reader: dict[str, str]
) -> None:
    claim = create(client, analyst)
    response = client.patch(
        f"/api/v1/claims/{claim['id']}",
        json={"basis": "x"},
        headers={**reader, "If-Match": f'"claim-{claim["id"]}-v1"'},
    )
    assert response.status_code == 403


def test_retract_claim_keeps_it_and_hides_it_from_lists(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = create(client, analyst)
    url = f"/api/v1/claims/{claim['id']}"
    assert client.delete(url, headers=analyst).status_code == 428
    response = client.delete(url, headers={**analyst, "If-Match": f'"claim-{claim["id"]}-v1"'})
    assert response.status_code == 200
    assert response.json()["status"] == "retracted"
    assert client.get(url, headers=analyst).json()["status"] == "retracted"
    assert client.get("/api/v1/claims", headers=analyst).json()["items"] == []
    retracted = client.get("/api/v1/claims?status=retracted", headers=analyst).json()["items"]
    assert [c["id"] for c in retracted] == [claim["id"]]
    again = client.patch(url, json={"basis": "x"}, headers={**analyst, "If-Match": "*"})
    assert again.status_code == 409
    assert again.json()["code"] == "claim_retracted"


def test_history_lists_every_version(client: TestClient, analyst: dict[str, str]) -> None:
    claim = create(client, analyst)
    url = f"/api/v1/claims/{claim['id']}"
    client.patch(
        url, json={"basis": "KTZ"}, headers={**analyst, "If-Match": f'"claim-{claim["id"]}-v1"'}
    )
    client.delete(url, headers={**analyst, "If-Match": f'"claim-{claim["id"]}-v2"'})
    history = client.get(f"{url}/history", headers=analyst).json()
    assert [(h["version"], h["action"]) for h in history] == [
        (1, "claim.created"),
        (2, "claim.updated"),
        (3, "claim.retracted"),
    ]
    assert history[1]["claim"]["basis"] == "KTZ"
    assert history[0]["actor_id"] is not None
    assert client.get("/api/v1/claims/999999/history", headers=analyst).status_code == 404


def test_add_citations_appends_and_versions(client: TestClient, analyst: dict[str, str]) -> None:
    claim = create(client, analyst)
    response = client.post(
        f"/api/v1/claims/{claim['id']}/citations",
        json=[{"url": "https://gov.kz/x", "title": "MFA", "kind": "official", "quote": "q"}],
        headers=analyst,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert [c["source"]["kind"] for c in body["citations"]] == ["news", "official"]
    assert body["version"] == 2


def test_bulk_import_is_all_or_nothing(client: TestClient, analyst: dict[str, str]) -> None:
    rows = [claim_body(), claim_body(value_text="a lot"), claim_body(value_text="$3 billion")]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 422
    problem = response.json()
    assert problem["field"] == "[2].value_text"
    assert problem["errors"][0]["row"] == 2
    assert "row 2" in problem["detail"]
    assert count_claims(client, analyst) == 0
    assert client.get("/api/v1/sources", headers=analyst).json()["items"] == []


def test_bulk_import_reports_every_invalid_row(client: TestClient, analyst: dict[str, str]) -> None:
    rows = [claim_body(kind="x"), claim_body(), claim_body(asserted_on="never")]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 422
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [
        (1, "[1].kind"),
        (3, "[3].asserted_on"),
    ]


def test_bulk_import_json_creates_every_row(client: TestClient, analyst: dict[str, str]) -> None:
    rows = [
        claim_body(),
        claim_body(
            entity="EAEU",
            metric="trade turnover",
            value_text="more than $100 billion",
            period="2026",
        ),
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 2
    assert [c["bound"] for c in response.json()["items"]] == ["exact", "more_than"]


def test_bulk_import_gives_each_row_its_own_id(client: TestClient, analyst: dict[str, str]) -> None:
    # Ids come back from one batched INSERT; each must be the id of its own row.
    rows = [
        claim_body(statement=f"Row {i} of the batch.", stated_by=f"Speaker {i}") for i in range(30)
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    items = response.json()["items"]
    assert [c["statement"] for c in items] == [r["statement"] for r in rows]
    stored = [client.get(f"/api/v1/claims/{c['id']}", headers=analyst).json() for c in items]
    assert [c["statement"] for c in stored] == [r["statement"] for r in rows]
    assert [c["id"] for c in items] == sorted({c["id"] for c in items})


def test_bulk_import_csv_creates_every_row(client: TestClient, analyst: dict[str, str]) -> None:
    csv = (
        "entity,metric,value_text,period,kind,stated_by,asserted_on,statement,tags,"
        "source_url,source_title,source_kind,quote\n"
        "KTZ,investment,$10 billion,to 2030,commitment,KTZ,2026-05-28,KTZ invests,rail;ktz,"
        'https://a.example/1,A,news,"$10 billion"\n'
        "China-Kazakhstan,trade turnover,$44 billion,2024,actual,Radio,2025-09-05,Trade record,,"
        "https://a.example/1,A,news,record $44 billion\n"
    )
    response = client.post(
        "/api/v1/claims:bulk", content=csv, headers={**analyst, "Content-Type": "text/csv"}
    )
    assert response.status_code == 201, response.text
    items = response.json()["items"]
    assert [c["value"] for c in items] == ["10000000000", "44000000000"]
    assert items[0]["tags"] == ["ktz", "rail"]
    assert items[0]["citations"][0]["source"]["id"] == items[1]["citations"][0]["source"]["id"]


def test_bulk_import_csv_rejects_bad_row_with_its_number(
    client: TestClient, analyst: dict[str, str]
) -> None:
    csv = (
        "entity,metric,value_text,stated_by,asserted_on,statement\n"
        "KTZ,investment,$10 billion,KTZ,2026-05-28,ok\n"
        "KTZ,investment,$10 billion,KTZ,not-a-date,bad\n"
    )
    response = client.post(
        "/api/v1/claims:bulk", content=csv, headers={**analyst, "Content-Type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] == 2
    assert response.json()["field"] == "[2].asserted_on"
    assert count_claims(client, analyst) == 0


@pytest.fixture
def five_claims(client: TestClient, analyst: dict[str, str]) -> list[dict[str, Any]]:
    return [
        create(client, analyst),
        create(
            client,
            analyst,
            entity="EAEU",
            metric="trade turnover",
            value_text="more than $100 billion",
            period="2026",
            kind="projection",
            tags=["trade"],
        ),
        create(
            client,
            analyst,
            entity="China-Kazakhstan",
            metric="trade turnover",
            value_text="$44 billion",
            period="2024",
            kind="actual",
            asserted_on="2025-09-05",
            statement="Trade with China reached a record.",
            tags=["trade", "china"],
        ),
        create(
            client,
            analyst,
            entity="EU-Kazakhstan",
            metric="trade turnover",
            value_text="$45 billion",
            period="last year",
            kind="actual",
            asserted_on="2026-05-29",
            citations=[
                {
                    "url": "https://gov.kz/mfa",
                    "title": "MFA",
                    "kind": "official",
                    "quote": "bilateral trade hit $45 billion last year",
                }
            ],
        ),
        create(
            client,
            analyst,
            entity="Balkhash NPP",
            metric="project cost",
            value_text="$16.5 billion",
            period=None,
            kind="estimate",
        ),
    ]


def ids(response: Any) -> list[int]:
    return [c["id"] for c in response.json()["items"]]


def test_list_claims_filters(
    client: TestClient, reader: dict[str, str], five_claims: list[dict[str, Any]]
) -> None:
    c = [x["id"] for x in five_claims]

    def get(query: str) -> list[int]:
        return ids(client.get(f"/api/v1/claims?{query}", headers=reader))

    assert get("entity=ktz") == [c[0]]
    assert get("entity=Kazakhstan%20Temir%20Zholy") == []
    assert get("entity=nobody") == []
    assert get("metric=trade-turnover&sort=id") == [c[1], c[2], c[3]]
    assert get("kind=actual&sort=id") == [c[2], c[3]]
    assert get("tag=china") == [c[2]]
    assert get("tag=trade&sort=id") == [c[1], c[2]]
    source_id = five_claims[3]["citations"][0]["source"]["id"]
    assert get(f"source={source_id}") == [c[3]]
    assert get("from=2025-01-01&to=2025-12-31") == [c[3]]
    assert get("from=2026-12-31&to=2027-06-30") == [c[1], c[0]]
    assert get("from=2028-01-01") == [c[0]]
    assert get("from=2024-06-01&to=2024-06-30") == [c[2]]
    assert get("q=RECORD") == [c[2]]
    assert get("q=hit%20%2445") == [c[3]]
    assert get("sort=asserted_on") == [c[2], c[0], c[1], c[4], c[3]]
    assert get("sort=-asserted_on") == [c[3], c[4], c[1], c[0], c[2]]


def test_list_claims_pages_by_cursor_without_repeats(
    client: TestClient, reader: dict[str, str], five_claims: list[dict[str, Any]]
) -> None:
    for sort in ("id", "-id", "asserted_on", "-asserted_on"):
        seen: list[int] = []
        url: str | None = f"/api/v1/claims?limit=2&sort={sort}"
        pages = 0
        while url:
            page = client.get(url, headers=reader).json()
            seen += [c["id"] for c in page["items"]]
            url = page["next"]
            pages += 1
        assert pages == 3
        assert sorted(seen) == sorted(x["id"] for x in five_claims)
        assert len(seen) == 5


def test_list_claims_rejects_foreign_cursor(client: TestClient, reader: dict[str, str]) -> None:
    response = client.get("/api/v1/claims?cursor=bm90LWEtY3Vyc29y", headers=reader)
    assert response.status_code == 422
    assert response.json()["field"] == "cursor"


def test_list_claims_rejects_oversized_page(client: TestClient, reader: dict[str, str]) -> None:
    response = client.get("/api/v1/claims?limit=501", headers=reader)
    assert response.status_code == 422
    assert response.json()["field"] == "limit"


def test_list_claims_as_csv(
    client: TestClient, reader: dict[str, str], five_claims: list[dict[str, Any]]
) -> None:
    response = client.get("/api/v1/claims?format=csv&sort=id", headers=reader)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    lines = response.text.strip().split("\n")
    assert lines[0].startswith("id,entity,metric,value_text,value,unit,bound,low,high")
    assert len(lines) == 6
    assert lines[1].startswith(
        f"{five_claims[0]['id']},ktz,investment,$10 billion,10000000000,USD,exact,"
        "9500000000,10500000000"
    )
