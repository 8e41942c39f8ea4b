"""What a form did is said on the page after it only when the redirect's query is signed for
that session and page (`web.notices`): a crafted link, a signature of another session, or a
signed query with a word changed shows nothing."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth.models import Role
from app.claims.models import Claim
from app.demo.load import load
from app.entities.models import Entity, Metric
from app.review.models import Flag
from tests.web.conftest import WebKeyFactory, csrf_of, sign_in

NOTICE = '<section class="card notice"'  # the claim page's "Claim saved" box
FORGED = "Your key has expired: call +1 555 0100 to renew it"
ZEROS = "0" * 64


@pytest.fixture
def analyst(client: TestClient, web_key: WebKeyFactory, session: Session) -> TestClient:
    """An analyst signed in on the demo data."""
    load(session)
    session.commit()
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    return client


@pytest.fixture
def first(analyst: TestClient, session: Session) -> dict[str, int]:
    """The first demo claim, flag, entity and metric by id (ids differ between databases)."""
    ids = {"claim": Claim.id, "flag": Flag.id, "entity": Entity.id, "metric": Metric.id}
    found: dict[str, int] = {}
    for name, column in ids.items():
        first_id = session.execute(select(func.min(col(column)))).scalar_one()
        assert first_id is not None
        found[name] = first_id
    return found


def _claim(client: TestClient) -> str:
    """A claim logged through the form: the address the browser is sent to after it."""
    csrf = csrf_of(client.get("/claims/new"))
    fields = {
        "entity": "KTZ",
        "metric": "investment",
        "value_text": "$14 billion",
        "period": "to 2030",
        "kind": "commitment",
        "stated_by": "KTZ",
        "asserted_on": "2026-05-28",
        "statement": "KTZ will invest $14 billion to 2030.",
        "url": "https://example.org/ktz-14",
        "quote": "KTZ will invest $14 billion to 2030.",
        "source_title": "KTZ's plan",
        "source_kind": "news",
    }
    done = client.post("/claims/new", data={**fields, "csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303, done.text
    return str(done.headers["location"])


def _with(location: str, change: dict[str, str]) -> str:
    """The address with some of its query parameters' values changed (the order kept)."""
    parts = urlsplit(location)
    params = [(k, change.get(k, v)) for k, v in parse_qsl(parts.query)]
    return f"{parts.path}?{urlencode(params)}"


def test_signed_notices_show_on_their_own_page(analyst: TestClient) -> None:
    page = analyst.get(_claim(analyst))
    assert page.status_code == 200
    assert page.text.count(NOTICE) == 1
    assert "Claim saved" in page.text


@pytest.mark.parametrize(
    "query",
    [
        {"created": "new", "notice": FORGED},
        {"created": "new", "notice": FORGED, "sig": ZEROS},
        {"created": "new", "notice": FORGED, "sig": ""},
    ],
    ids=["unsigned", "wrong signature", "empty signature"],
)
def test_crafted_claim_notices_are_not_shown(
    analyst: TestClient, first: dict[str, int], query: dict[str, str]
) -> None:
    page = analyst.get(f"/claims/{first['claim']}?{urlencode(query)}")
    assert page.status_code == 200
    assert FORGED not in page.text
    assert page.text.count(NOTICE) == 0


def test_a_signed_query_with_a_word_changed_is_not_shown(analyst: TestClient) -> None:
    location = _claim(analyst)
    page = analyst.get(_with(location, {"notice": FORGED}))
    assert page.status_code == 200
    assert FORGED not in page.text
    assert page.text.count(NOTICE) == 0


def test_a_signed_query_on_another_claims_page_is_not_shown(
    analyst: TestClient, first: dict[str, int]
) -> None:
    location = _claim(analyst)
    elsewhere = location.replace(urlsplit(location).path, f"/claims/{first['claim']}", 1)
    page = analyst.get(elsewhere)
    assert page.status_code == 200
    assert page.text.count(NOTICE) == 0


def test_notices_signed_for_another_session_are_not_shown(
    analyst: TestClient, web_key: WebKeyFactory
) -> None:
    location = _claim(analyst)
    other = TestClient(analyst.app)
    _, secret = web_key(Role.READER)
    sign_in(other, secret)
    page = other.get(location)
    assert page.status_code == 200
    assert page.text.count(NOTICE) == 0
    assert analyst.get(location).text.count(NOTICE) == 1  # the link is its own session's


@pytest.mark.parametrize(
    ("path", "query", "said"),
    [
        ("/review", {"done": "dismissed", "n": "500"}, "500 flags dismissed."),
        ("/review/{flag}", {"done": "verdict"}, "Verdict recorded."),
        ("/entities/{entity}", {"saved": "aliases-2"}, "Aliases saved."),
        ("/measures/{metric}", {"saved": "merged-99"}, "Merged metric 99 into this one"),
    ],
    ids=["queue", "flag", "entity", "metric"],
)
def test_crafted_notices_of_other_pages_are_not_shown(
    analyst: TestClient, first: dict[str, int], path: str, query: dict[str, str], said: str
) -> None:
    for sig in ("", ZEROS):
        page = analyst.get(f"{path.format(**first)}?{urlencode({**query, 'sig': sig})}")
        assert page.status_code == 200, page.text
        assert said not in page.text
