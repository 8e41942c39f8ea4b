"""An indicator's manage page and the new-indicator form, on the demo data: who sees which
form; the indicator's fields saved at the version shown, a stale one refused with "this
indicator changed" and nothing written; targets added, changed, removed; values added, revised
(a new vintage), corrected and withdrawn; a refused value showing the API's own problem text."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit.models import Event
from app.auth.models import Role
from app.entities.models import Entity
from app.indicators.models import Indicator, Observation, Target
from tests.web.conftest import WebKeyFactory, csrf_of, forms_of, sign_in

EAEU = "eaeu-trade-turnover"
MANAGE = f"/indicators/{EAEU}/manage"


def _indicator(session: Session, slug: str = EAEU) -> Indicator:
    session.expire_all()
    stmt = select(Indicator).where(col(Indicator.slug) == slug)
    return session.execute(stmt).scalar_one()


def _observations(session: Session, indicator_id: int) -> list[tuple[str, str, str, str]]:
    """(period, value, vintage, status) of each observation, by period then vintage."""
    session.expire_all()
    stmt = (
        select(Observation)
        .where(col(Observation.indicator_id) == indicator_id)
        .order_by(col(Observation.period_end), col(Observation.vintage))
    )
    return [
        (o.period_text, str(o.value), o.vintage.isoformat(), str(o.status))
        for o in session.execute(stmt).scalars()
    ]


def _count(session: Session, model: type) -> int:
    session.expire_all()
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _target(session: Session, indicator_id: int) -> Target:
    session.expire_all()
    stmt = select(Target).where(col(Target.indicator_id) == indicator_id)
    return session.execute(stmt).scalar_one()


@pytest.mark.parametrize("role", [Role.READER, Role.REVIEWER])
def test_reader_sees_values_and_targets_without_a_form(
    client: TestClient, demo: None, web_key: WebKeyFactory, session: Session, role: Role
) -> None:
    _, secret = web_key(role)
    sign_in(client, secret)
    assert client.get("/indicators/no-such-indicator/manage").status_code == 404
    indicator_page = client.get(f"/indicators/{EAEU}")
    assert f'href="{MANAGE}">Values and vintages</a>' in indicator_page.text
    page = client.get(MANAGE)
    assert page.status_code == 200
    assert forms_of(page) == ["/signout"]
    assert page.text.count('<td data-label="Published">') == 3
    assert "<strong>more than $100 billion</strong>" in page.text
    assert '<td data-label="Value">83.3 billion USD</td>' in page.text
    assert client.get("/indicators/new").status_code == 403
    sent = {"csrf": csrf_of(page), "period": "2023", "value_text": "$90 billion"}
    refused = client.post(f"/indicators/{EAEU}/observations", data=sent)
    assert refused.status_code == 403
    assert "only keys that may write can send this form" in refused.text
    assert len(_observations(session, _indicator(session).id or 0)) == 3


def test_analyst_sees_every_form_and_the_vintages_of_a_period(
    client: TestClient, demo: None, web_key: WebKeyFactory, session: Session
) -> None:
    row = _indicator(session)
    target = _target(session, row.id or 0)
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    assert "Manage<span" in client.get(f"/indicators/{EAEU}").text
    page = client.get(MANAGE)
    base = f"/indicators/{EAEU}"
    assert forms_of(page) == [
        "/signout",
        f"{base}/edit",
        f"{base}/targets/{target.id}",
        f"{base}/targets/{target.id}/remove",
        f"{base}/targets",
        f"{base}/observations",
    ]
    assert f'name="version" value="{row.version}"' in page.text
    period = client.get(MANAGE, params={"start": "2022-01-01", "end": "2022-12-31"})
    assert period.status_code == 200
    assert "Vintages of 2022-01-01 – 2022-12-31" in period.text
    assert period.text.count('class="vintage"') == 1
    assert len(forms_of(period)) == 6 + 3  # correct, withdraw, add a revised value


def test_analyst_adds_a_value_revises_corrects_and_withdraws_it(
    client: TestClient, demo: None, web_key: WebKeyFactory, session: Session
) -> None:
    iid = _indicator(session).id or 0
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    csrf = csrf_of(client.get(MANAGE))
    sent = {"csrf": csrf, "period": "2023", "value_text": "$90 billion", "vintage": "2024-03-01"}
    added = client.post(f"/indicators/{EAEU}/observations", data=sent, follow_redirects=False)
    assert added.status_code == 303
    at_2023 = "start=2023-01-01&end=2023-12-31#vintages"
    assert added.headers["location"] == f"{MANAGE}?done=observed&{at_2023}"
    shown = client.get(added.headers["location"])
    assert "Value added." in shown.text
    revision = {**sent, "value_text": "$91 billion", "vintage": "2024-06-01"}
    revision |= {"start": "2023-01-01", "end": "2023-12-31"}
    revised = client.post(f"/indicators/{EAEU}/observations", data=revision)
    assert revised.status_code == 200
    assert revised.text.count('class="vintage"') == 2
    first, second = (o for o in _observations(session, iid) if o[0] == "2023")
    assert (first, second) == (
        ("2023", "90000000000", "2024-03-01", "live"),
        ("2023", "91000000000", "2024-06-01", "live"),
    )
    obs = session.execute(
        select(Observation).where(col(Observation.vintage) == date(2024, 3, 1))
    ).scalar_one()
    fix = {
        "csrf": csrf,
        "version": "1",
        "value_text": "90.5 billion",
        "period": "2023",
        "vintage": "2024-03-01",
    }
    corrected = client.post(
        f"/indicators/{EAEU}/observations/{obs.id}/correct", data=fix, follow_redirects=False
    )
    assert corrected.headers["location"] == f"{MANAGE}?done=corrected&{at_2023}"
    stale = client.post(f"/indicators/{EAEU}/observations/{obs.id}/correct", data=fix)
    assert stale.status_code == 412
    assert "Not saved: this value changed since you loaded the page" in stale.text
    gone = {"csrf": csrf, "version": "2", "reason": "the source revised its method"}
    withdrawn = client.post(f"/indicators/{EAEU}/observations/{obs.id}/withdraw", data=gone)
    assert withdrawn.status_code == 200
    assert "Value withdrawn: it is kept here, out of every series." in withdrawn.text
    assert "withdrawn: the source revised its method" in withdrawn.text
    assert [o for o in _observations(session, iid) if o[0] == "2023"] == [
        ("2023", "90500000000", "2024-03-01", "withdrawn"),
        ("2023", "91000000000", "2024-06-01", "live"),
    ]


def test_refused_value_shows_the_apis_problem_and_stores_nothing(
    client: TestClient,
    demo: None,
    web_key: WebKeyFactory,
    session: Session,
    analyst: dict[str, str],
) -> None:
    iid = _indicator(session).id or 0
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    csrf = csrf_of(client.get(MANAGE))
    events = _count(session, Event)
    sent = {"csrf": csrf, "period": "2023", "value_text": "900 km"}
    refused = client.post(f"/indicators/{EAEU}/observations", data=sent)
    api = client.post(
        f"/api/v1/indicators/{EAEU}/observations",
        json={"period": "2023", "value_text": "900 km"},
        headers=analyst,
    )
    assert api.status_code == refused.status_code == 422
    (problem,) = api.json()["errors"]
    assert problem == {
        "field": "[1].value_text",
        "problem": "a length cannot be an observation of an indicator in USD",
        "row": 1,
    }
    assert f'<p class="error" id="observation-new-value_text-problem">{problem["problem"]}' in (
        refused.text
    )
    assert 'value="900 km"' in refused.text  # what was sent, to correct
    assert 'aria-invalid="true"' in refused.text
    assert len(_observations(session, iid)) == 3
    assert _count(session, Event) == events


def test_indicator_saved_at_the_version_shown_and_a_stale_one_refused(
    client: TestClient, demo: None, web_key: WebKeyFactory, session: Session
) -> None:
    row = _indicator(session)
    version = row.version
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    page = client.get(MANAGE)
    form = {
        "csrf": csrf_of(page),
        "version": str(version),
        "name": row.name,
        "slug": EAEU,
        "question": row.question,
        "frequency": "annual",
        "aggregation": "flow",
        "direction": "up_is_good",
        "description": row.description,
        "tags": "",
    }
    unchanged = client.post(f"/indicators/{EAEU}/edit", data=form, follow_redirects=False)
    assert unchanged.headers["location"] == f"{MANAGE}?done=unchanged"
    renamed = {**form, "name": "EAEU trade"}
    saved = client.post(f"/indicators/{EAEU}/edit", data=renamed, follow_redirects=False)
    assert saved.headers["location"] == f"{MANAGE}?done=updated"
    assert (_indicator(session).name, _indicator(session).version) == ("EAEU trade", version + 1)
    history = client.get("/events", params={"record_type": "indicator", "record_id": row.id})
    # created, observed and target_added by the demo, updated here
    assert history.text.count(f'<a href="/indicators/{row.id}">indicator {row.id}</a>') == 4
    events = _count(session, Event)
    stale = {**form, "description": "a change made on an old page"}
    refused = client.post(f"/indicators/{EAEU}/edit", data=stale)
    assert refused.status_code == 412
    assert (
        "Not saved: this indicator changed since you loaded the page (indicator "
        f"{row.id} is no longer at version {version})"
    ) in refused.text
    assert f'name="version" value="{version + 1}"' in refused.text  # the page as it is now
    assert "a change made on an old page" not in refused.text
    after = _indicator(session)
    assert (after.name, after.description, after.version) == ("EAEU trade", "", version + 1)
    assert _count(session, Event) == events
    same_but_stale = client.post(f"/indicators/{EAEU}/edit", data={**form, "name": "EAEU trade"})
    assert same_but_stale.status_code == 412  # nothing to apply, but said: the page was old
    bad_slug = client.post(
        f"/indicators/{EAEU}/edit", data={**form, "version": str(version + 1), "slug": "2026"}
    )
    assert bad_slug.status_code == 422
    assert "the slug &#39;2026&#39; is digits alone" in bad_slug.text


def test_analyst_adds_changes_and_removes_a_target(
    client: TestClient, demo: None, web_key: WebKeyFactory, session: Session
) -> None:
    row = _indicator(session)
    iid, version = row.id or 0, row.version
    existing = _target(session, iid)
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    csrf = csrf_of(client.get(MANAGE))
    wrong = {"csrf": csrf, "value_text": "900 km", "due_on": "2030-12-31", "period_start": ""}
    refused = client.post(f"/indicators/{EAEU}/targets", data=wrong)
    assert refused.status_code == 422
    assert "a length cannot be a target of this indicator" in refused.text
    flow = {**wrong, "value_text": "$150 billion"}
    no_start = client.post(f"/indicators/{EAEU}/targets", data=flow)
    assert no_start.status_code == 422
    assert "a target on a flow is a sum over a period: give period_start" in no_start.text
    added = client.post(
        f"/indicators/{EAEU}/targets",
        data={**flow, "period_start": "2030-01-01"},
        follow_redirects=False,
    )
    assert added.headers["location"] == f"{MANAGE}?done=target-added"
    change = {
        "csrf": csrf,
        "version": str(version),
        "value_text": "at least $105 billion",
        "due_on": "2026-12-31",
        "period_start": "2026-01-01",
    }
    path = f"/indicators/{EAEU}/targets/{existing.id}"
    changed = client.post(path, data=change, follow_redirects=False)
    assert changed.headers["location"] == f"{MANAGE}?done=target-changed"
    stale = client.post(f"{path}/remove", data={"csrf": csrf, "version": str(version)})
    assert stale.status_code == 412
    assert "this indicator changed since you loaded the page" in stale.text
    session.expire_all()
    assert session.get(Target, existing.id).value_text == "at least $105 billion"  # type: ignore[union-attr]
    removed = client.post(
        f"{path}/remove", data={"csrf": csrf, "version": str(version + 1)}, follow_redirects=False
    )
    assert removed.headers["location"] == f"{MANAGE}?done=target-removed"
    assert _target(session, iid).value_text == "$150 billion"


def test_new_indicator_created_and_a_refused_one_leaves_nothing(
    client: TestClient, demo: None, web_key: WebKeyFactory, session: Session
) -> None:
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    form_page = client.get("/indicators/new")
    assert forms_of(form_page) == ["/signout", "/indicators/new"]
    entities = _count(session, Entity)
    sent = {
        "csrf": csrf_of(form_page),
        "name": "Kazakhstan wheat exports",
        "question": "Do wheat exports pass 10 million tonnes?",
        "entity": "Kazakhstan wheat",
        "metric": "trade turnover",  # a known metric of money: refused after the entity is made
        "unit": "t",
        "frequency": "annual",
        "aggregation": "",
        "direction": "up_is_good",
    }
    refused = client.post("/indicators/new", data=sent)
    assert refused.status_code == 422
    assert (
        '<p class="error" id="new-unit-problem">metric &#39;trade-turnover&#39; measures money, '
        "not mass</p>"
    ) in refused.text
    assert 'value="Kazakhstan wheat exports"' in refused.text
    assert _count(session, Entity) == entities  # the entity it made on the way, rolled back
    fixed = {**sent, "metric": "wheat exports"}
    made = client.post("/indicators/new", data=fixed, follow_redirects=False)
    assert made.headers["location"] == "/indicators/kazakhstan-wheat-exports/manage?done=created"
    row = _indicator(session, "kazakhstan-wheat-exports")
    assert (row.unit, row.aggregation, row.frequency, row.direction) == (
        "t",
        "stock",  # the default for a mass
        "annual",
        "up_is_good",
    )
    assert "Indicator created." in client.get(made.headers["location"]).text


def test_value_cites_a_new_source_by_its_address_and_title(
    client: TestClient, demo: None, web_key: WebKeyFactory, session: Session
) -> None:
    """A source not known yet needs a title: the form asks for it, and without it says so
    beside the title's field (not the address's), storing nothing."""
    iid = _indicator(session).id or 0
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    page = client.get(MANAGE)
    assert page.text.count('name="source_title"') == 1
    csrf = csrf_of(page)
    sent = {
        "csrf": csrf,
        "period": "2023",
        "value_text": "$90 billion",
        "source_url": "https://stats.example.org/eaeu-trade-2023",
        "quote": "trade reached $90 billion in 2023",
    }
    untitled = client.post(f"/indicators/{EAEU}/observations", data=sent)
    assert untitled.status_code == 422
    assert (
        '<p class="error" id="observation-new-source_title-problem">a new source needs a title'
        in untitled.text
    )
    assert len(_observations(session, iid)) == 3
    titled = {**sent, "source_title": "EAEU trade in 2023"}
    added = client.post(f"/indicators/{EAEU}/observations", data=titled, follow_redirects=False)
    assert added.status_code == 303
    session.expire_all()
    stmt = select(Observation).where(
        col(Observation.indicator_id) == iid, col(Observation.period_text) == "2023"
    )
    stored = session.execute(stmt).scalar_one()
    assert stored.quote == "trade reached $90 billion in 2023"
    source = client.get(f"/sources/{stored.source_id}")
    assert "EAEU trade in 2023" in source.text
