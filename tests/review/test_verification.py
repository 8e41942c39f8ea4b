"""A claim's verification state is worked out by itself and stored on the claim, which says why;
while unsourced or unverified the claim is an item of the fact-checker's queue."""

import itertools
from typing import Any

from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.conftest import KeyFactory
from tests.factories import claim_body


def cite(url: str, publisher: str, kind: str = "news", **extra: Any) -> dict[str, Any]:
    return {"url": url, "title": url, "publisher": publisher, "kind": kind, "quote": "q", **extra}


# Each claim posted is said by someone else: the same claim posted twice is stored once.
SPEAKERS = itertools.count(1)


def post(client: TestClient, headers: dict[str, str], citations: list[Any]) -> dict[str, Any]:
    body = claim_body(citations=citations, stated_by=f"Speaker {next(SPEAKERS)}")
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def kinds(claim: dict[str, Any]) -> list[str]:
    return [f["kind"] for f in claim["flags"]]


def test_claim_without_citation_is_unsourced_until_cited(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = post(client, analyst, [])
    assert claim["verification"]["state"] == "unsourced"
    assert claim["flags"] == [
        {"id": -claim["id"], "kind": "unsourced", "status": "open", "with": []}
    ]
    cited = client.post(
        f"/api/v1/claims/{claim['id']}/citations",
        json=[cite("https://gov.example/1", "MFA", "official")],
        headers=analyst,
    )
    assert cited.json()["verification"]["state"] == "verified"
    assert cited.json()["flags"] == []
    assert client.get(f"/api/v1/flags/{-claim['id']}", headers=analyst).status_code == 404
    events = client.get(
        f"/api/v1/events?record_type=claim&record_id={claim['id']}", headers=analyst
    ).json()["items"]
    changed = [(e["before"], e["after"]) for e in events if "verification" in e["action"]]
    citation = cited.json()["citations"][0]["id"]
    reasons = [f"citation {citation} cites a source of kind official"]
    assert changed == [
        ({"verification": "unsourced"}, {"verification": "verified", "reasons": reasons}),
    ]


def test_single_news_source_is_unverified_with_reason(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = post(client, analyst, [cite("https://news.example/1", "Anadolu")])
    assert kinds(claim) == ["unverified"]
    check = claim["verification"]["citations"][0]
    assert (check["counts"], check["why"]) == (False, "single news source, not official")


def test_two_independent_publishers_verify(client: TestClient, analyst: dict[str, str]) -> None:
    claim = post(
        client,
        analyst,
        [cite("https://a.example/1", "Anadolu"), cite("https://b.example/1", "Qazinform")],
    )
    assert claim["verification"]["state"] == "verified"
    assert [c["counts"] for c in claim["verification"]["citations"]] == [True, True]
    assert kinds(claim) == []


def test_same_publisher_twice_does_not_verify(client: TestClient, analyst: dict[str, str]) -> None:
    claim = post(
        client,
        analyst,
        [cite("https://a.example/1", "Anadolu"), cite("https://a.example/2", "anadolu")],
    )
    assert claim["verification"]["state"] == "unverified"
    first = claim["verification"]["citations"][0]
    assert first["why"].startswith("same publisher as citation")


def test_derived_source_is_not_independent(client: TestClient, analyst: dict[str, str]) -> None:
    news = client.post(
        "/api/v1/sources",
        json={"url": "https://aa.example/x", "title": "AA", "publisher": "Anadolu", "kind": "news"},
        headers=analyst,
    ).json()
    middle = client.post(
        "/api/v1/sources",
        json={
            "url": "https://digest.example/x",
            "title": "Digest",
            "publisher": "Digest",
            "kind": "analysis",
            "derived_from": [news["id"]],
        },
        headers=analyst,
    ).json()
    briefing = client.post(
        "/api/v1/sources",
        json={
            "url": "https://brief.example/x",
            "title": "Brief",
            "publisher": "Brief",
            "kind": "briefing",
            "derived_from": [middle["id"]],
        },
        headers=analyst,
    ).json()
    claim = post(
        client,
        analyst,
        [{"source_id": briefing["id"], "quote": "q"}, {"source_id": news["id"], "quote": "q"}],
    )
    assert claim["verification"]["state"] == "unverified"
    assert claim["verification"]["citations"][0]["why"] == (
        f"derived from source {news['id']}, cited by citation {claim['citations'][1]['id']}"
    )


def test_source_becoming_official_verifies_its_claims(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = post(client, analyst, [cite("https://stat.example/1", "Stat bureau")])
    assert claim["verification"]["state"] == "unverified"
    source = claim["citations"][0]["source"]
    changed = client.patch(
        f"/api/v1/sources/{source['id']}",
        json={"kind": "statistics"},
        headers={**analyst, "If-Match": f'"source-{source["id"]}-v1"'},
    )
    assert changed.status_code == 200
    after = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()
    assert after["verification"]["state"] == "verified"
    assert after["flags"] == []


def test_reviewer_verdict_reviews_and_exports_claimreview(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim = post(client, analyst, [cite("https://news.example/1", "Anadolu")])
    url = f"/api/v1/claims/{claim['id']}"
    assert client.get(f"{url}/claimreview", headers=analyst).json()["code"] == "review_not_found"
    assert (
        client.post(f"{url}/reviews", json={"verdict": "accurate"}, headers=analyst).status_code
        == 403
    )
    reviewer = auth(Role.REVIEWER)
    review = client.post(
        f"{url}/reviews", json={"verdict": "mostly_accurate", "note": "rounded"}, headers=reviewer
    )
    assert review.status_code == 201, review.text
    assert review.json()["reviewer"] == "test reviewer"
    after = client.get(url, headers=analyst).json()
    assert (after["verification"]["state"], after["verification"]["verdict"]) == (
        "reviewed",
        "mostly_accurate",
    )
    assert after["verification"]["reasons"] == [
        "reviewer verdict: mostly_accurate",
        "no official or statistics source, no two independent citations",
    ]
    ld = client.get(f"{url}/claimreview", headers=analyst).json()
    assert ld["@type"] == "ClaimReview"
    assert ld["claimReviewed"] == claim["statement"]
    assert ld["itemReviewed"]["author"]["name"] == claim["stated_by"]
    assert ld["itemReviewed"]["datePublished"] == claim["asserted_on"]
    assert ld["itemReviewed"]["appearance"][0]["url"] == "https://news.example/1"
    assert ld["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly accurate",
        "author": {"@type": "Person", "name": "test reviewer"},
    }
    assert ld["url"] == f"http://testserver/fact-checks/{claim['id']}"
    assert ld["author"] == {"@type": "Person", "name": "test reviewer"}
    reviews = client.get(f"{url}/reviews", headers=analyst).json()
    assert [r["verdict"] for r in reviews] == ["mostly_accurate"]


def test_review_of_retracted_claim_is_409_as_documented(
    client: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim = post(client, analyst, [])
    url = f"/api/v1/claims/{claim['id']}"
    retracted = client.delete(url, headers={**analyst, "If-Match": "*"})
    assert retracted.status_code == 200, retracted.text
    review = client.post(
        f"{url}/reviews", json={"verdict": "accurate"}, headers=auth(Role.REVIEWER)
    )
    assert (review.status_code, review.json()["code"]) == (409, "claim_retracted")
    documented = client.get("/openapi.json").json()["paths"]["/api/v1/claims/{claim_id}/reviews"]
    assert "409" in documented["post"]["responses"]


def test_events_record_who_did_what(client: TestClient, admin: dict[str, str]) -> None:
    claim = post(client, admin, [])
    events = client.get(
        f"/api/v1/events?record_type=claim&record_id={claim['id']}", headers=admin
    ).json()["items"]
    assert [e["action"] for e in events] == ["claim.created"]
    assert events[0]["actor"]["name"] == "test admin"
    assert events[0]["after"]["value"] == "10000000000"
    # Its verification (unsourced) is the claim's column: no flag, no flag event.
    flags = client.get("/api/v1/events?record_type=flag", headers=admin).json()
    assert flags["items"] == []
    keys = client.get("/api/v1/events?record_type=key", headers=admin).json()["items"]
    assert [e["action"] for e in keys] == ["key.created"]


def test_money_in_two_currencies_compares_only_through_a_stored_rate(
    client: TestClient, analyst: dict[str, str]
) -> None:
    official = [cite("https://gov.example/1", "MFA", "official")]
    base = {
        "entity": "EU-Kazakhstan",
        "metric": "trade turnover",
        "period": "2025",
        "kind": "actual",
    }
    client.post(
        "/api/v1/claims",
        json=claim_body(**base, value_text="$45 billion", citations=official),
        headers=analyst,
    )
    euro = client.post(
        "/api/v1/claims",
        json=claim_body(**base, value_text="€30 billion", citations=official),
        headers=analyst,
    ).json()
    assert [f["kind"] for f in euro["flags"]] == []
    rate = client.post(
        "/api/v1/fx-rates",
        json={
            "base": "EUR",
            "quote": "USD",
            "rate": "1.10",
            "as_of": "2025-12-31",
            "source_note": "ECB",
        },
        headers=analyst,
    )
    assert rate.status_code == 201, rate.text
    again = client.post(
        "/api/v1/claims",
        json=claim_body(**base, value_text="€30 billion", citations=official, stated_by="EEAS"),
        headers=analyst,
    ).json()
    assert [f["kind"] for f in again["flags"]] == ["conflict"]
    close = client.post(
        "/api/v1/claims",
        json=claim_body(**base, value_text="€41 billion", citations=official),
        headers=analyst,
    ).json()
    assert [f["with"] for f in close["flags"]] == [[euro["id"], again["id"]]]


def test_change_up_a_chain_reverifies_claims_below(
    client: TestClient, analyst: dict[str, str]
) -> None:
    def source(url: str, publisher: str, parents: list[int] | None = None) -> dict[str, Any]:
        body = {"url": url, "title": url, "publisher": publisher, "kind": "news"}
        response = client.post(
            "/api/v1/sources", json={**body, "derived_from": parents or []}, headers=analyst
        )
        return dict(response.json())

    x = source("https://x.example/1", "X")
    y = source("https://y.example/1", "Y")
    z = source("https://z.example/1", "Z", [y["id"]])
    claim = post(
        client,
        analyst,
        [{"source_id": x["id"], "quote": "q"}, {"source_id": z["id"], "quote": "q"}],
    )
    assert claim["verification"]["state"] == "verified"
    client.patch(
        f"/api/v1/sources/{y['id']}",
        json={"derived_from": [x["id"]]},
        headers={**analyst, "If-Match": "*"},
    )
    after = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()
    assert after["verification"]["state"] == "unverified"
    listed = client.get("/api/v1/claims?verification=unverified", headers=analyst).json()["items"]
    assert [c["id"] for c in listed] == [claim["id"]]


def test_new_claims_store_the_state_they_show_single_or_in_bulk(
    client: TestClient, analyst: dict[str, str]
) -> None:
    official = {
        "url": "https://stat.example/1",
        "title": "Stat",
        "kind": "statistics",
        "quote": "q",
    }
    news = {"url": "https://news.example/1", "title": "News", "kind": "news", "quote": "q"}
    shown = {
        post(client, analyst, [official])["id"]: "verified",
        post(client, analyst, [news])["id"]: "unverified",
        post(client, analyst, [])["id"]: "unsourced",
    }
    bodies = [
        claim_body(citations=c, period=str(2030 + i))
        for i, c in enumerate([[official], [news], []])
    ]
    batch = client.post("/api/v1/claims:bulk", json=bodies, headers=analyst)
    assert batch.status_code == 201, batch.text
    shown |= {c["id"]: c["verification"]["state"] for c in batch.json()["items"]}
    assert sorted(shown.values()) == sorted(["verified", "unverified", "unsourced"] * 2)
    for state in ("verified", "unverified", "unsourced"):
        listed = client.get(f"/api/v1/claims?verification={state}", headers=analyst).json()
        assert sorted(c["id"] for c in listed["items"]) == sorted(
            i for i, s in shown.items() if s == state
        )
