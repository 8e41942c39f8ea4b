"""Logging a claim from the page: the live preview (the create's own reading), the source
lookup by URL, the form through `flows.claims.create_one`, and the roles that may."""

import re
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth.models import Role
from app.claims.models import Claim
from app.demo.load import load
from app.entities.models import Entity
from app.flows import views
from app.review.models import FlagKind
from app.sources.models import Source
from tests.web.conftest import WebKeyFactory, csrf_of, forms_of, sign_in

LOCATION = re.compile(r"^/claims/(\d+)\?")


@pytest.fixture
def demo(session: Session) -> Session:
    load(session)
    session.commit()
    return session


@pytest.fixture
def analyst_client(client: TestClient, web_key: WebKeyFactory, demo: Session) -> TestClient:
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    return client


def _count(session: Session, model: Any) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_preview_reads_a_value_as_an_interval(analyst_client: TestClient) -> None:
    params = {"value_text": "$16.5 billion", "metric": "project-cost", "asserted_on": "2026-05-28"}
    response = analyst_client.get("/claims/preview", params=params)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "value": {
            "text": "$16.5 billion",
            "value": "16500000000",
            "unit": "USD",
            "dimension": "money",
            "bound": "exact",
            "figure_type": "level",
            "low": "16450000000",
            "high": "16550000000",
            "low_open": False,
            "high_open": False,
            "shown": "16.5 billion USD",
            "interval": "16.45–16.55 billion USD",
        },
        "period": None,
        "metric": {"slug": "project-cost", "unit": "USD", "new": False},
        "problems": [],
    }


def test_preview_reads_a_period_from_the_day_it_was_said(analyst_client: TestClient) -> None:
    params = {"period": "to 2030", "asserted_on": "2026-05-28"}
    body = analyst_client.get("/claims/preview", params=params).json()
    assert body["period"] == {
        "text": "to 2030",
        "start": "2026-05-28",
        "end": "2030-12-31",
        "shown": "2026-05-28 … 2030-12-31",
    }
    assert body["value"] is None
    assert body["problems"] == []


def test_preview_refuses_as_the_api_does(
    analyst_client: TestClient, analyst: dict[str, str]
) -> None:
    body = analyst_client.get(
        "/claims/preview", params={"value_text": "$1,340 billion", "metric": "investment"}
    ).json()
    api = analyst_client.post(
        "/api/v1/claims",
        headers=analyst,
        json={
            "entity": "ktz",
            "metric": "investment",
            "value_text": "$1,340 billion",
            "stated_by": "x",
            "asserted_on": "2026-05-28",
            "statement": "x",
        },
    )
    assert api.status_code == 422
    assert body["value"] is None
    assert body["problems"] == [
        {
            "field": "value_text",
            "title": api.json()["title"],
            "code": api.json()["code"],
            "detail": api.json()["detail"],
        }
    ]
    assert "could be 1.340 billion (a decimal comma)" in body["problems"][0]["detail"]


def test_preview_names_a_period_it_cannot_read(analyst_client: TestClient) -> None:
    body = analyst_client.get("/claims/preview", params={"period": "whenever"}).json()
    assert [p["field"] for p in body["problems"]] == ["period"]


def test_source_lookup_finds_a_known_source_however_spelled(
    analyst_client: TestClient, demo: Session
) -> None:
    source = demo.execute(select(Source).order_by(col(Source.id)).limit(1)).scalar_one()
    spelled = source.url.replace("https://", "http://www.", 1)
    body = analyst_client.get("/claims/source", params={"url": spelled}).json()
    assert body == {
        "found": True,
        "id": source.id,
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "kind": str(source.kind),
        "published_on": source.published_on.isoformat() if source.published_on else None,
    }
    unknown = analyst_client.get("/claims/source", params={"url": "https://example.org/new"})
    assert unknown.json() == {"found": False}


def _form(**changes: str) -> dict[str, str]:
    fields = {
        "entity": "KTZ",
        "metric": "investment",
        "value_text": "$12 billion",
        "period": "to 2030",
        "kind": "commitment",
        "basis": "",
        "stated_by": "A KTZ spokesman",
        "asserted_on": "2026-05-28",
        "statement": "KTZ will invest $12 billion to 2030.",
        "url": "https://example.org/ktz-12",
        "quote": "KTZ will invest $12 billion to 2030",
        "source_title": "KTZ's plan",
        "source_publisher": "Example News",
        "source_kind": "news",
    }
    return {**fields, **changes}


def test_form_creates_the_claim_and_shows_its_notices(
    analyst_client: TestClient, demo: Session
) -> None:
    form = analyst_client.get("/claims/new")
    assert form.status_code == 200
    assert forms_of(form) == ["/signout", "/claims/new", "/claims/drafts"]
    response = analyst_client.post(
        "/claims/new", data={**_form(), "csrf": csrf_of(form)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    found = LOCATION.match(response.headers["location"])
    assert found is not None
    claim = demo.get(Claim, int(found.group(1)))
    assert claim is not None
    assert (claim.value_text, claim.low, claim.high) == (
        "$12 billion",
        Decimal("11.5e9"),
        Decimal("12.5e9"),
    )
    source = demo.execute(select(Source).where(col(Source.url) == "https://example.org/ktz-12"))
    source_id = source.scalar_one().id
    ktz_10 = demo.execute(
        select(col(Claim.id)).where(
            col(Claim.value_text) == "$10 billion", col(Claim.period_text) == "to 2030"
        )
    ).scalar_one()
    (flag,) = [f for f in views.to_public(demo, claim).flags if f.kind == FlagKind.CONFLICT]
    flag_id = flag.id
    assert flag.with_ == [ktz_10]
    page = analyst_client.get(response.headers["location"])
    assert page.status_code == 200
    notices = page.text.split('<ul class="notices">')[1].split("</ul>")[0]
    assert re.findall(r"<li>([^<]*)</li>", notices) == [
        f"source {source_id} was created for https://example.org/ktz-12",
        f"conflicts with claim {ktz_10} (flag {flag_id})",
        f"unverified: see flag -{claim.id}",
    ]
    assert f'<a href="/review/{flag_id}">conflict (flag {flag_id})</a>' in page.text


def test_form_without_csrf_is_refused_and_writes_nothing(
    analyst_client: TestClient, demo: Session
) -> None:
    before = _count(demo, Claim)
    response = analyst_client.post("/claims/new", data=_form(), follow_redirects=False)
    assert response.status_code == 403
    assert _count(demo, Claim) == before


def test_form_problem_is_shown_beside_its_field_and_nothing_stays(
    analyst_client: TestClient, demo: Session
) -> None:
    csrf = csrf_of(analyst_client.get("/claims/new"))
    before = (_count(demo, Claim), _count(demo, Entity), _count(demo, Source))
    # The entity and source are new: read (and created) before the period fails.
    data = {**_form(entity="Brand New Co", period="whenever"), "csrf": csrf}
    response = analyst_client.post("/claims/new", data=data)
    assert response.status_code == 422
    assert '<p class="error" id="period-problem">' in response.text
    assert 'id="period" name="period" type="text" value="whenever"' in response.text
    assert (_count(demo, Claim), _count(demo, Entity), _count(demo, Source)) == before


def test_form_names_every_missing_field(analyst_client: TestClient, demo: Session) -> None:
    csrf = csrf_of(analyst_client.get("/claims/new"))
    data = {**_form(stated_by="", statement="", quote=""), "csrf": csrf}
    response = analyst_client.post("/claims/new", data=data)
    assert response.status_code == 422
    problems = re.findall(r'<p class="error" id="([a-z_]+)-problem">', response.text)
    assert problems == ["stated_by", "statement", "quote"]


def test_form_refuses_an_unreadable_value_with_the_apis_text(
    analyst_client: TestClient,
) -> None:
    csrf = csrf_of(analyst_client.get("/claims/new"))
    data = {**_form(value_text="$1,340 billion"), "csrf": csrf}
    response = analyst_client.post("/claims/new", data=data)
    assert response.status_code == 422
    assert (
        "could be 1.340 billion (a decimal comma)"
        in response.text.split('id="value_text-problem">')[1].split("</p>")[0]
    )


@pytest.mark.parametrize("role", [Role.READER, Role.REVIEWER])
def test_form_is_not_for_readers(
    client: TestClient, web_key: WebKeyFactory, demo: Session, role: Role
) -> None:
    _, secret = web_key(role)
    sign_in(client, secret)
    home = client.get("/claims")
    assert 'href="/claims/new"' not in home.text
    page = client.get("/claims/new")
    assert page.status_code == 403
    assert forms_of(page) == []
    assert client.get("/claims/preview", params={"value_text": "$1"}).status_code == 403
    before = _count(demo, Claim)
    posted = client.post("/claims/new", data={**_form(), "csrf": csrf_of(home)})
    assert posted.status_code == 403
    assert _count(demo, Claim) == before
