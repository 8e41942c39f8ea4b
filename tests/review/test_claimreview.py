"""The ClaimReview JSON-LD export: every field Google's fact-check guidelines ask for, its `url`
the claim's public page under CLAIMTRACK_PUBLIC_URL, its `author` the publishing organisation
from the settings, the reviewer the rating's `Person`."""

from typing import Any

from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.conftest import ClientFactory, KeyFactory
from tests.factories import claim_body

PUBLISHER = {
    "public_url": "https://claims.example.org/ct",
    "publisher_name": "Example Fact Desk",
    "publisher_url": "https://factdesk.example.org",
    "publisher_logo_url": "https://factdesk.example.org/logo.png",
}
CITATIONS = [
    {
        "url": "https://news.example/ktz",
        "title": "KTZ plan",
        "publisher": "Example News",
        "published_on": "2026-05-27",
        "kind": "news",
        "quote": "an aggressive $10 billion investment blueprint",
    },
    {
        "url": "https://radio.example/bm",
        "title": "Radio news",
        "kind": "news",
        "quote": "ten billion dollars",
    },
]


def reviewed(
    client: TestClient, analyst: dict[str, str], key: dict[str, str], **review: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A claim with two citations and a verdict on it: the claim and the review as answered."""
    body = claim_body(citations=CITATIONS)
    claim = client.post("/api/v1/claims", json=body, headers=analyst)
    assert claim.status_code == 201, claim.text
    url = f"/api/v1/claims/{claim.json()['id']}/reviews"
    given = client.post(url, json={"verdict": "misleading", **review}, headers=key)
    assert given.status_code == 201, given.text
    return claim.json(), given.json()


def test_claimreview_has_every_google_field_with_the_publisher_as_author(
    make_client: ClientFactory, analyst: dict[str, str], auth: KeyFactory
) -> None:
    client = make_client(**PUBLISHER)
    claim, review = reviewed(
        client, analyst, auth(Role.REVIEWER), note="Only $4 billion is funded."
    )
    ld = client.get(f"/api/v1/claims/{claim['id']}/claimreview", headers=analyst)
    assert ld.status_code == 200
    assert ld.headers["content-type"] == "application/ld+json"
    assert ld.json() == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://claims.example.org/ct/fact-checks/{claim['id']}",
        "claimReviewed": "KTZ will invest $10 billion to 2030.",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "Kazakhstan Temir Zholy"},
            "datePublished": "2026-05-28",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://news.example/ktz",
                    "headline": "KTZ plan",
                    "publisher": {"@type": "Organization", "name": "Example News"},
                    "datePublished": "2026-05-27",
                },
                {
                    "@type": "CreativeWork",
                    "url": "https://radio.example/bm",
                    "headline": "Radio news",
                },
            ],
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Misleading",
            "author": {"@type": "Person", "name": "test reviewer"},
        },
        "author": {
            "@type": "Organization",
            "name": "Example Fact Desk",
            "url": "https://factdesk.example.org",
            "logo": {"@type": "ImageObject", "url": "https://factdesk.example.org/logo.png"},
        },
        "datePublished": review["created_at"][:10],
        "reviewBody": "Only $4 billion is funded.",
    }


def test_claimreview_url_is_the_public_page_whatever_the_host(
    make_client: ClientFactory, analyst: dict[str, str], auth: KeyFactory
) -> None:
    client = make_client(**PUBLISHER)
    claim, _ = reviewed(client, analyst, auth(Role.REVIEWER))
    ld = client.get(
        f"/api/v1/claims/{claim['id']}/claimreview",
        headers={**analyst, "Host": "evil.example"},
    ).json()
    assert ld["url"] == f"https://claims.example.org/ct/fact-checks/{claim['id']}"
    assert "reviewBody" not in ld  # no note, no body (never a null)


def test_claimreview_without_a_publisher_is_authored_by_the_reviewer(
    make_client: ClientFactory, analyst: dict[str, str], auth: KeyFactory
) -> None:
    client = make_client(public_url="https://claims.example.org")
    claim, _ = reviewed(client, analyst, auth(Role.REVIEWER), reviewer="Aigerim Sarsen")
    ld = client.get(f"/api/v1/claims/{claim['id']}/claimreview", headers=analyst).json()
    person = {"@type": "Person", "name": "Aigerim Sarsen"}
    assert (ld["author"], ld["reviewRating"]["author"]) == (person, person)


def test_claimreview_without_a_logo_has_no_image(
    make_client: ClientFactory, analyst: dict[str, str], auth: KeyFactory
) -> None:
    client = make_client(**{**PUBLISHER, "publisher_logo_url": None})
    claim, _ = reviewed(client, analyst, auth(Role.REVIEWER))
    ld = client.get(f"/api/v1/claims/{claim['id']}/claimreview", headers=analyst).json()
    assert ld["author"] == {
        "@type": "Organization",
        "name": "Example Fact Desk",
        "url": "https://factdesk.example.org",
    }


def test_claimreview_lists_a_source_cited_twice_once(
    make_client: ClientFactory, analyst: dict[str, str], auth: KeyFactory
) -> None:
    client = make_client(**PUBLISHER)
    twice = [CITATIONS[0], {**CITATIONS[0], "quote": "to 2030"}]
    claim = client.post("/api/v1/claims", json=claim_body(citations=twice), headers=analyst)
    assert claim.status_code == 201, claim.text
    url = f"/api/v1/claims/{claim.json()['id']}"
    client.post(f"{url}/reviews", json={"verdict": "accurate"}, headers=auth(Role.REVIEWER))
    ld = client.get(f"{url}/claimreview", headers=analyst).json()
    assert [a["url"] for a in ld["itemReviewed"]["appearance"]] == ["https://news.example/ktz"]
