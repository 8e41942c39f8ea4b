"""Draft claims from a pasted text on the page: the figures marked in the text, a row a draft,
confirming the ticked ones through `POST /claims:bulk`'s flow (created on an empty database,
merged into the demo's claims on the demo), a bad edit refused with the API's problem and
nothing written, and only analysts and admins with the session's CSRF token."""

import html
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth.models import Role
from app.claims.models import Citation, Claim
from app.entities.models import Entity, Metric
from app.entities.names import slugify
from app.sources.models import Source
from tests.drafts.test_router import BRIEFING, middle_corridor
from tests.web.conftest import WebKeyFactory, csrf_of, forms_of, sign_in

MARK = re.compile(r'<mark id="figure-(\d+)"><a href="#draft-(\d+)">([^<]*)</a>')
SKIPPED = re.compile(r'<span class="skipped" title="not a figure: ([^"]*)">([^<]*)</span>')
DONE = re.compile(r'<h2 id="done">([^<]*)</h2>')


class _Form(HTMLParser):
    """The fields a browser sends for one form of a page, in order: inputs (checkboxes only
    when ticked), each select's selected option (else its first)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and "name" in a:
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.options = a["name"], []
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [v for v, s in self.options if s] or [self.options[0][0]]
            self.fields.append((self.select, chosen[0]))
            self.select = None


def form_fields(page: Response, form_id: str) -> list[tuple[str, str]]:
    parser = _Form(form_id)
    parser.feed(page.text)
    return parser.fields


def changed(fields: list[tuple[str, str]], name: str, row: int, value: str) -> list[Any]:
    """The fields with the `row`-th (from 1) field of this name set to `value`."""
    out: list[Any] = []
    seen = 0
    for key, old in fields:
        if key == name:
            seen += 1
            out.append((key, value if seen == row else old))
        else:
            out.append((key, old))
    return out


def _count(session: Session, model: Any) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


@pytest.fixture
def analyst_client(client: TestClient, web_key: WebKeyFactory) -> TestClient:
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    return client


def _paste(client: TestClient, **changes: str) -> Response:
    form = client.get("/claims/new")
    data = {
        "csrf": csrf_of(form),
        "text": middle_corridor(),
        "source_url": BRIEFING["url"],
        "source_title": BRIEFING["title"],
        "source_publisher": BRIEFING["publisher"],
        "source_published_on": BRIEFING["published_on"],
        "source_kind": BRIEFING["kind"],
        "said_on": "",
        **changes,
    }
    return client.post("/claims/drafts", data=data)


def _confirm(client: TestClient, fields: list[Any]) -> Response:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post("/claims/drafts/confirm", data=data)


def test_paste_form_is_on_the_log_a_claim_page(analyst_client: TestClient) -> None:
    page = analyst_client.get("/claims/new")
    assert page.status_code == 200
    assert forms_of(page) == ["/signout", "/claims/new", "/claims/drafts"]
    assert [name for name, _ in form_fields(page, "paste-form")] == [
        "csrf",
        "source_url",
        "source_title",
        "source_publisher",
        "source_published_on",
        "source_kind",
        "said_on",
    ]
    assert '<textarea id="paste-text" name="text"' in page.text


def test_reading_middle_corridor_marks_its_figures_and_drafts_them(
    analyst_client: TestClient, demo: None
) -> None:
    page = _paste(analyst_client)
    assert page.status_code == 200, page.text
    assert MARK.findall(page.text) == [
        ("1", "1", "$10 billion"),
        ("2", "2", "900 kilometers"),
        ("3", "3", "six"),
    ]
    assert SKIPPED.findall(page.text) == [
        ("part of a date", "28"),
        ("part of a date", "2026"),
        ("a year used as a date", "2030"),
    ]
    fields = form_fields(page, "drafts-form")
    rows = {name: [v for k, v in fields if k == name] for name in dict(fields)}
    assert rows["take"] == ["1", "2", "3"]
    assert rows["value_text"] == ["$10 billion", "900 kilometers", "six"]
    assert rows["period"] == ["to 2030", "this year", ""]
    assert rows["kind"] == ["commitment", "target", "actual"]
    assert rows["entity"] == ["ktz", "ktz", "ktz"]
    assert rows["metric"] == ["investment", "new-rail-length", "vessels-commissioned"]
    assert rows["stated_by"] == ["Kazakhstan Temir Zholy (KTZ)"] * 3
    assert rows["text"] == [middle_corridor()]
    assert re.findall(r'<p class="read-as">([^<]*)</p>', page.text) == [
        "9.5–10.5 billion USD",
        "899.5–900.5 km",
        "5.5–6.5",
    ]
    assert re.findall(r'<p class="small period-dates">([^<]*)</p>', page.text) == [
        "2026-05-28 … 2030-12-31",
        "2026-01-01 … 2026-12-31",
        "—",
    ]


def test_confirming_on_an_empty_database_stores_three_claims_citing_the_briefing(
    analyst_client: TestClient, session: Session
) -> None:
    page = _paste(analyst_client)
    result = _confirm(analyst_client, form_fields(page, "drafts-form"))
    assert result.status_code == 200, result.text
    assert DONE.findall(result.text) == ["3 claims created, 0 merged into claims stored before"]
    stored = session.execute(select(Claim).order_by(col(Claim.id))).scalars().all()
    assert [(c.value_text, c.period_text, c.kind) for c in stored] == [
        ("$10 billion", "to 2030", "commitment"),
        ("900 kilometers", "this year", "target"),
        ("six", None, "actual"),
    ]
    cited = session.execute(
        select(col(Source.url)).join(Citation, col(Citation.source_id) == col(Source.id))
    ).scalars()
    assert list(cited) == [BRIEFING["url"]] * 3
    for claim in stored:
        assert f'<a href="/claims/{claim.id}">Claim {claim.id}: {claim.value_text}</a>' in (
            result.text
        )


def test_confirming_on_the_demo_merges_into_its_three_claims(
    analyst_client: TestClient, session: Session, demo: None
) -> None:
    before = _count(session, Claim)
    page = _paste(analyst_client)
    result = _confirm(analyst_client, form_fields(page, "drafts-form"))
    assert result.status_code == 200, result.text
    assert DONE.findall(result.text) == ["0 claims created, 3 merged into claims stored before"]
    assert _count(session, Claim) == before
    merged = re.findall(r"merged into claim (\d+), stored before", result.text)
    demo_ids = session.execute(
        select(col(Claim.id))
        .where(col(Claim.value_text).in_(["$10 billion", "900 kilometers", "six"]))
        .where(col(Claim.stated_by) == "Kazakhstan Temir Zholy (KTZ)")
        .order_by(col(Claim.id))
    ).scalars()
    assert sorted(map(int, merged)) == list(demo_ids)
    assert len(merged) == 3


def test_an_unticked_draft_is_not_stored(analyst_client: TestClient, session: Session) -> None:
    page = _paste(analyst_client)
    fields = [f for f in form_fields(page, "drafts-form") if f != ("take", "2")]
    result = _confirm(analyst_client, fields)
    assert DONE.findall(result.text) == ["2 claims created, 0 merged into claims stored before"]
    stored = session.execute(select(col(Claim.value_text)).order_by(col(Claim.id))).scalars()
    assert list(stored) == ["$10 billion", "six"]


def test_an_edited_draft_is_stored_as_edited(analyst_client: TestClient, session: Session) -> None:
    page = _paste(analyst_client)
    proposed = next(v for k, v in form_fields(page, "drafts-form") if k == "metric")
    fields = changed(form_fields(page, "drafts-form"), "value_text", 1, "$12 billion")
    fields = changed(fields, "metric_new", 3, "ferries ordered")
    fields = [f for f in fields if f != ("take", "2")]
    result = _confirm(analyst_client, fields)
    assert DONE.findall(result.text) == ["2 claims created, 0 merged into claims stored before"]
    stored = session.execute(select(Claim).order_by(col(Claim.id))).scalars().all()
    assert (stored[0].value_text, stored[0].low) == ("$12 billion", Decimal("11.5e9"))
    slugs = session.execute(
        select(col(Metric.slug))
        .join(Claim, col(Claim.metric_id) == col(Metric.id))
        .order_by(col(Claim.id))
    ).scalars()
    assert list(slugs) == [slugify(proposed), "ferries-ordered"]


def test_a_bad_edit_is_refused_with_the_api_problem_and_nothing_written(
    analyst_client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    page = _paste(analyst_client)
    fields = changed(form_fields(page, "drafts-form"), "kind", 2, "someday")
    result = _confirm(analyst_client, fields)
    drafts = analyst_client.post(
        "/api/v1/drafts", headers=analyst, json={"text": middle_corridor(), "source": BRIEFING}
    ).json()["drafts"]
    rows = [d["claim"] for d in drafts]
    rows[1]["kind"] = "someday"
    api = analyst_client.post("/api/v1/claims:bulk", headers=analyst, json=rows)
    assert api.status_code == 422
    assert result.status_code == 422
    assert f"<p>{api.json()['detail']}</p>" in html.unescape(result.text)
    assert 'id="kind-2-problem"' in result.text
    assert (_count(session, Claim), _count(session, Entity), _count(session, Source)) == (0, 0, 0)


def test_a_value_the_intake_cannot_read_is_refused_and_nothing_written(
    analyst_client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    page = _paste(analyst_client)
    fields = changed(form_fields(page, "drafts-form"), "value_text", 3, "$1,340 billion")
    result = _confirm(analyst_client, fields)
    drafts = analyst_client.post(
        "/api/v1/drafts", headers=analyst, json={"text": middle_corridor(), "source": BRIEFING}
    ).json()["drafts"]
    rows = [d["claim"] for d in drafts]
    rows[2]["value_text"] = "$1,340 billion"
    api = analyst_client.post("/api/v1/claims:bulk", headers=analyst, json=rows)
    assert (api.status_code, result.status_code) == (422, 422)
    assert f"<p>{api.json()['detail']}</p>" in html.unescape(result.text)
    assert 'id="value_text-3-problem"' in result.text
    assert (_count(session, Claim), _count(session, Entity), _count(session, Source)) == (0, 0, 0)


def test_check_reads_the_edits_again_and_stores_nothing(
    analyst_client: TestClient, session: Session
) -> None:
    page = _paste(analyst_client)
    fields = changed(form_fields(page, "drafts-form"), "value_text", 1, "$12 billion")
    fields = changed(fields, "period", 2, "2027")
    fields = [f for f in fields if f[0] != "action"] + [("action", "check")]
    checked = _confirm(analyst_client, fields)
    assert checked.status_code == 200, checked.text
    assert re.findall(r'<p class="read-as">([^<]*)</p>', checked.text) == [
        "11.5–12.5 billion USD",
        "899.5–900.5 km",
        "5.5–6.5",
    ]
    assert re.findall(r'<p class="small period-dates">([^<]*)</p>', checked.text)[1] == (
        "2027-01-01 … 2027-12-31"
    )
    assert DONE.findall(checked.text) == []
    assert re.findall(
        r'<p class="card notice" role="status" id="checked">([^<]*)</p>', checked.text
    ) == [
        "Checked: the 3 ticked drafts would be stored as shown below. "
        "Nothing is stored until you confirm."
    ]
    assert _count(session, Claim) == 0


def test_check_names_a_value_a_confirm_would_refuse(
    analyst_client: TestClient, session: Session
) -> None:
    page = _paste(analyst_client)
    fields = changed(form_fields(page, "drafts-form"), "value_text", 3, "$1,340 billion")
    fields = [f for f in fields if f[0] != "action"] + [("action", "check")]
    checked = _confirm(analyst_client, fields)
    assert checked.status_code == 422
    problem = re.findall(r'<p class="error" id="value_text-3-problem">([^<]*)</p>', checked.text)
    assert len(problem) == 1
    assert "could be 1.340 billion (a decimal comma)" in html.unescape(problem[0])
    assert 'id="checked"' not in checked.text
    assert _count(session, Claim) == 0


def test_rows_that_are_not_the_texts_drafts_are_refused(
    analyst_client: TestClient, session: Session
) -> None:
    page = _paste(analyst_client)
    fields = form_fields(page, "drafts-form")
    dropped = [f for f in fields if f[0] != "period"] + [("period", "to 2030")]
    result = _confirm(analyst_client, dropped)
    assert result.status_code == 422
    assert "the text reads as 3 drafts, the form sent other rows" in result.text
    assert _count(session, Claim) == 0


def test_no_ticked_draft_stores_nothing(analyst_client: TestClient, session: Session) -> None:
    page = _paste(analyst_client)
    fields = [f for f in form_fields(page, "drafts-form") if f[0] != "take"]
    result = _confirm(analyst_client, fields)
    assert result.status_code == 422
    assert "no draft is ticked: tick the ones to confirm" in result.text
    assert _count(session, Claim) == 0


def test_paste_problems_name_their_field(analyst_client: TestClient) -> None:
    empty = _paste(analyst_client, text="   ")
    assert empty.status_code == 422
    assert re.findall(r'<p class="error" id="paste-(\w+)-problem">([^<]*)</p>', empty.text) == [
        ("text", "String should have at least 1 character")
    ]
    bad_day = _paste(analyst_client, source_published_on="2026-13-01")
    assert bad_day.status_code == 422
    assert re.findall(r'<p class="error" id="paste-(\w+)-problem">', bad_day.text) == [
        "source_published_on"
    ]


def test_confirm_without_csrf_is_refused_and_writes_nothing(
    analyst_client: TestClient, session: Session
) -> None:
    page = _paste(analyst_client)
    fields = [f for f in form_fields(page, "drafts-form") if f[0] != "csrf"]
    result = _confirm(analyst_client, fields)
    assert result.status_code == 403
    assert _count(session, Claim) == 0
    wrong = [("csrf", "x" * 43) if f[0] == "csrf" else f for f in form_fields(page, "drafts-form")]
    assert _confirm(analyst_client, wrong).status_code == 403
    assert _count(session, Claim) == 0


@pytest.mark.parametrize("role", [Role.READER, Role.REVIEWER])
def test_roles_that_may_not_write_see_no_paste_form_and_cannot_post(
    client: TestClient, web_key: WebKeyFactory, session: Session, role: Role
) -> None:
    _, secret = web_key(role)
    sign_in(client, secret)
    assert client.get("/claims/new").status_code == 403
    claims_page = client.get("/claims")
    assert "/claims/drafts" not in claims_page.text
    csrf = csrf_of(claims_page)
    read = client.post("/claims/drafts", data={"csrf": csrf, "text": middle_corridor()})
    assert read.status_code == 403
    confirm = client.post(
        "/claims/drafts/confirm",
        data={"csrf": csrf, "text": middle_corridor(), "take": "1", "value_text": "$10 billion"},
    )
    assert confirm.status_code == 403
    assert _count(session, Claim) == 0


def test_signed_out_post_goes_to_sign_in(client: TestClient) -> None:
    response = client.post(
        "/claims/drafts", data={"text": middle_corridor()}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (303, "/signin")
