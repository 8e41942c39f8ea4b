"""The published fact checks: public pages (no sign-in) when CLAIMTRACK_PUBLISH_FACT_CHECKS is
on, each with the API's ClaimReview JSON-LD embedded; 404 when off, or for a claim without a
verdict, retracted or unknown; an index of them, the latest verdict first."""

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from app.auth.models import Role
from app.web.render import PAGE_HEADERS
from tests.conftest import ClientFactory, KeyFactory
from tests.factories import claim_body
from tests.web.conftest import WebKeyFactory, sign_in

SITE = {
    "public_url": "https://claims.example.org",
    "publish_fact_checks": True,
    "publisher_name": "Example Fact Desk",
    "publisher_url": "https://factdesk.example.org",
    "publisher_logo_url": "https://factdesk.example.org/logo.png",
}
LD = re.compile(r'<script type="application/ld\+json" id="claimreview">(.*?)</script>', re.S)
LINKS = re.compile(r'<a href="/fact-checks/(\d+)">')


def embedded(page: Response) -> Any:
    """The page's JSON-LD blocks, parsed: exactly one."""
    blocks = LD.findall(page.text)
    assert len(blocks) == 1, page.text
    return json.loads(blocks[0])


def claim(client: TestClient, analyst: dict[str, str], **overrides: Any) -> int:
    body = claim_body(**overrides)
    answer = client.post("/api/v1/claims", json=body, headers=analyst)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def verdict(client: TestClient, key: dict[str, str], claim_id: int, **review: Any) -> None:
    body = {"verdict": "inaccurate", **review}
    answer = client.post(f"/api/v1/claims/{claim_id}/reviews", json=body, headers=key)
    assert answer.status_code == 201, answer.text


@pytest.fixture
def site(make_client: ClientFactory) -> TestClient:
    return make_client(**SITE)


def test_fact_check_page_is_public_with_the_claim_verdict_and_sources(
    site: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim_id = claim(site, analyst)
    verdict(site, auth(Role.REVIEWER), claim_id, note="Only $4 billion is funded.")
    page = site.get(f"/fact-checks/{claim_id}")  # no cookie, no key
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    text = page.text
    assert "<p>KTZ will invest $10 billion to 2030.</p>" in text
    assert "<dt>Said by</dt><dd>Kazakhstan Temir Zholy</dd>" in text
    assert '<time datetime="2026-05-28">2026-05-28</time>' in text
    assert '<span class="rating rating-inaccurate">Inaccurate</span>' in text
    assert "<p>Only $4 billion is funded.</p>" in text
    assert "Reviewed by test reviewer on" in text
    assert '<a href="https://factdesk.example.org">Example Fact Desk</a>' in text
    assert "<p>an aggressive $10 billion investment blueprint stretching to 2030</p>" in text
    assert (
        '<a href="https://example.com/ktz" rel="nofollow noopener">KTZ plan</a>, Example News'
        in text
    )
    assert (
        f'<link rel="canonical" href="https://claims.example.org/fact-checks/{claim_id}">' in text
    )


def test_fact_check_page_embeds_the_apis_claimreview(
    site: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim_id = claim(site, analyst)
    verdict(site, auth(Role.REVIEWER), claim_id, note="rounded")
    ld = site.get(f"/api/v1/claims/{claim_id}/claimreview", headers=analyst)
    page = site.get(f"/fact-checks/{claim_id}")
    assert embedded(page) == ld.json()
    assert embedded(page)["url"] == f"https://claims.example.org/fact-checks/{claim_id}"
    assert embedded(page)["author"] == {
        "@type": "Organization",
        "name": "Example Fact Desk",
        "url": "https://factdesk.example.org",
        "logo": {"@type": "ImageObject", "url": "https://factdesk.example.org/logo.png"},
    }


def test_fact_check_page_keeps_the_strict_csp(
    site: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim_id = claim(site, analyst)
    verdict(site, auth(Role.REVIEWER), claim_id)
    page = site.get(f"/fact-checks/{claim_id}")
    assert page.headers["content-security-policy"] == PAGE_HEADERS["Content-Security-Policy"]
    # the JSON-LD block is the only script element, and it is data, not code
    assert re.findall(r"<script[^>]*>", page.text) == [
        '<script type="application/ld+json" id="claimreview">'
    ]


def test_json_ld_cannot_close_its_script_element(
    site: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    statement = "KTZ says </script><script>alert(1)</script> $10 billion & more."
    claim_id = claim(site, analyst, statement=statement)
    verdict(site, auth(Role.REVIEWER), claim_id, note="<!-- not a comment -->")
    page = site.get(f"/fact-checks/{claim_id}")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert embedded(page)["claimReviewed"] == statement
    assert embedded(page)["reviewBody"] == "<!-- not a comment -->"


def test_fact_check_page_is_404_when_publishing_is_off(
    make_client: ClientFactory, analyst: dict[str, str], auth: KeyFactory
) -> None:
    client = make_client(**{**SITE, "publish_fact_checks": False})
    claim_id = claim(client, analyst)
    verdict(client, auth(Role.REVIEWER), claim_id)
    for path in (f"/fact-checks/{claim_id}", "/fact-checks"):
        page = client.get(path)
        assert page.status_code == 404
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert "No such fact check" in page.text
        assert "application/ld+json" not in page.text


def test_fact_check_page_is_404_without_a_verdict(
    site: TestClient, analyst: dict[str, str]
) -> None:
    claim_id = claim(site, analyst)
    page = site.get(f"/fact-checks/{claim_id}")
    assert page.status_code == 404
    assert "No such fact check" in page.text
    assert site.get("/fact-checks/999999").status_code == 404


def test_fact_check_page_of_a_retracted_claim_is_404(
    site: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    claim_id = claim(site, analyst)
    verdict(site, auth(Role.REVIEWER), claim_id)
    assert site.get(f"/fact-checks/{claim_id}").status_code == 200
    retracted = site.delete(f"/api/v1/claims/{claim_id}", headers={**analyst, "If-Match": "*"})
    assert retracted.status_code == 200, retracted.text
    assert site.get(f"/fact-checks/{claim_id}").status_code == 404
    assert LINKS.findall(site.get("/fact-checks").text) == []


def test_index_lists_published_fact_checks_latest_verdict_first(
    site: TestClient, analyst: dict[str, str], auth: KeyFactory
) -> None:
    reviewer = auth(Role.REVIEWER)
    first = claim(site, analyst, stated_by="Speaker A")
    unreviewed = claim(site, analyst, stated_by="Speaker B")
    second = claim(site, analyst, stated_by="Speaker C")
    verdict(site, reviewer, second, verdict="accurate")
    verdict(site, reviewer, first, verdict="misleading")
    index = site.get("/fact-checks")
    assert index.status_code == 200
    assert LINKS.findall(index.text) == [str(first), str(second)]
    assert str(unreviewed) not in LINKS.findall(index.text)
    assert '<span class="rating rating-misleading">Misleading</span>' in index.text
    assert "<h1>Fact checks by Example Fact Desk</h1>" in index.text
    assert "Older fact checks" not in index.text


def test_index_pages_by_the_verdict_before(
    site: TestClient, analyst: dict[str, str], auth: KeyFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.web.factchecks.PAGE_SIZE", 2)
    reviewer = auth(Role.REVIEWER)
    ids = [claim(site, analyst, stated_by=f"Speaker {n}") for n in range(3)]
    for claim_id in ids:
        verdict(site, reviewer, claim_id)
    index = site.get("/fact-checks")
    assert LINKS.findall(index.text) == [str(ids[2]), str(ids[1])]
    older = re.search(r'<a href="(/fact-checks\?before=\d+)" rel="next">', index.text)
    assert older is not None
    following = site.get(older.group(1))
    assert LINKS.findall(following.text) == [str(ids[0])]
    assert "Older fact checks" not in following.text


def test_nav_links_the_fact_checks_when_published(
    make_client: ClientFactory, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    # on http: a public URL on https would make the session cookie Secure
    published = make_client(**{**SITE, "public_url": None})
    sign_in(published, secret)
    assert '<a href="/fact-checks">Fact checks</a>' in published.get("/").text
    unpublished = make_client()
    sign_in(unpublished, secret)
    assert '<a href="/fact-checks">Fact checks</a>' not in unpublished.get("/").text
