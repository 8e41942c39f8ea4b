"""The claims pages: search and filters through the API's listing, keyset pages, and a claim's
page with its reading, citations, verification and history."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth.models import Role
from app.claims.models import Claim
from app.demo.load import load
from tests.web.conftest import WebKeyFactory, sign_in

ITEM = re.compile(r'<a class="claim-value" href="/claims/(\d+)">([^<]+)</a>')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


@pytest.fixture
def demo(session: Session) -> Session:
    load(session)
    session.commit()
    return session


def _claim_id(session: Session, value_text: str) -> int:
    found = session.execute(select(col(Claim.id)).where(col(Claim.value_text) == value_text))
    claim_id = found.scalar_one()
    assert claim_id is not None
    return claim_id


def _items(html: str) -> list[str]:
    return [text for _, text in ITEM.findall(html)]


@pytest.fixture
def reader_client(client: TestClient, web_key: WebKeyFactory, demo: Session) -> TestClient:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    return client


def test_claims_page_without_session_redirects_to_signin(client: TestClient) -> None:
    response = client.get("/claims", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


def test_search_finds_a_demo_claim_by_a_word_of_its_statement(reader_client: TestClient) -> None:
    response = reader_client.get("/claims", params={"q": "nuclear"})
    assert response.status_code == 200
    assert _items(response.text) == ["$16.5 billion"]
    assert "<dd>Balkhash Nuclear Power Plant</dd>" in response.text
    assert '<span class="badge badge-unverified">unverified</span>' in response.text


def test_filters_by_entity_metric_and_period(reader_client: TestClient) -> None:
    params = {"entity": "china-kazakhstan", "metric": "trade-turnover"}
    everything = reader_client.get("/claims", params=params)
    assert _items(everything.text) == ["$43.82 billion", "$24.3bn", "$32.7bn", "$44 billion"]
    in_2024 = reader_client.get(
        "/claims", params={**params, "from": "2024-01-01", "to": "2024-12-31"}
    )
    assert _items(in_2024.text) == ["$43.82 billion", "$44 billion"]
    targets = reader_client.get("/claims", params={"entity": "eaeu", "kind": "target"})
    assert _items(targets.text) == ["$100 billion", "$100 billion"]
    unverified = reader_client.get(
        "/claims", params={"verification": "unverified", "entity": "ktz"}
    )
    assert _items(unverified.text) == ["six", "900 kilometers", "$10 billion"]
    none = reader_client.get("/claims", params={"verification": "verified", "entity": "ktz"})
    assert _items(none.text) == []
    assert "No claim matches." in none.text


def test_bad_filter_is_named_on_the_page(reader_client: TestClient) -> None:
    response = reader_client.get("/claims", params={"kind": "rumour", "from": "2024-13-01"})
    assert response.status_code == 422
    assert "<li>kind: choose one of actual, estimate, projection, target, commitment</li>" in (
        response.text
    )
    assert "<li>from: give a date as YYYY-MM-DD</li>" in response.text
    assert _items(response.text) == []


def test_pages_follow_the_next_link_to_the_end(reader_client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/claims?limit=10"
    pages = 0
    while url is not None:
        response = reader_client.get(url)
        assert response.status_code == 200
        seen += [claim_id for claim_id, _ in ITEM.findall(response.text)]
        found = NEXT.search(response.text)
        url = found.group(1).replace("&amp;", "&") if found else None
        pages += 1
    assert pages == 3
    assert len(seen) == 25
    assert len(set(seen)) == 25


def test_claim_page_shows_reading_citations_and_history(
    reader_client: TestClient, demo: Session
) -> None:
    claim_id = _claim_id(demo, "$16.5 billion")
    response = reader_client.get(f"/claims/{claim_id}")
    assert response.status_code == 200
    html = response.text
    assert '<dd class="interval">16.45–16.55 billion USD</dd>' in html
    assert "<dt>Low end</dt><dd>16.45 billion USD, included</dd>" in html
    assert "<dt>Bound</dt><dd>exact</dd>" in html
    assert "<dt>Figure type</dt><dd>level</dd>" in html
    assert "<dt>Kind</dt><dd>estimate</dd>" in html
    assert html.count('<figure class="citation">') == 1
    assert "Balkhash" in html.split("<blockquote>")[1].split("</blockquote>")[0]
    assert '<a href="https://' in html.split('<figure class="citation">')[1]
    assert f'<a href="/review/-{claim_id}">unverified</a>' in html
    assert "<td>claim.created</td><td>1</td>" in html


def test_claim_page_of_a_period_shows_its_dates(reader_client: TestClient, demo: Session) -> None:
    claim_id = _claim_id(demo, "$45 billion")
    html = reader_client.get(f"/claims/{claim_id}").text
    assert "<dt>Period</dt><dd><q>last year</q>: 2025-01-01 … 2025-12-31</dd>" in html


def test_unknown_claim_is_a_404_page(reader_client: TestClient) -> None:
    response = reader_client.get("/claims/999999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_reader_sees_no_link_to_log_a_claim(reader_client: TestClient) -> None:
    for path in ("/", "/claims"):
        assert 'href="/claims/new"' not in reader_client.get(path).text
