"""The pages that manage what claims stand on, on the demo data: sources, entities, metrics and
the event log; who sees which form; aliases edited at the version the page showed, a stale one
refused with a message and nothing written; a merge by a reviewer."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit.models import Event
from app.auth.models import Role
from app.demo.load import load
from app.entities.models import Entity, EntityAlias, Metric
from app.sources.models import Source
from tests.web.conftest import WebKeyFactory, csrf_of, forms_of, sign_in, unsigned

ROW = re.compile(r"<tr>")


@pytest.fixture
def demo(session: Session) -> Session:
    load(session)
    session.commit()
    return session


def _rows(html: str) -> int:
    """Body rows of the page's tables (the head row left out)."""
    return len(ROW.findall(html)) - html.count("<thead>")


def _entity(session: Session, slug: str) -> Entity:
    return session.execute(select(Entity).where(col(Entity.slug) == slug)).scalar_one()


def _source(session: Session, title_start: str) -> Source:
    stmt = select(Source).where(col(Source.title).startswith(title_start))
    return session.execute(stmt).scalar_one()


def _aliases(session: Session, entity_id: int) -> list[str]:
    stmt = select(col(EntityAlias.alias)).where(col(EntityAlias.entity_id) == entity_id)
    return sorted(session.execute(stmt.order_by(col(EntityAlias.id))).scalars())


def _events(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(Event)).scalar_one())


def test_lists_show_the_demo_to_a_reader(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    sources = client.get("/sources")
    assert sources.status_code == 200
    assert _rows(sources.text) == 27
    assert "Kazakhstan-EU Weekly Briefing Issue 28, May 25-31, 2026" in sources.text
    assert "Ministry of Foreign Affairs of the Republic of Kazakhstan" in sources.text
    entities = client.get("/entities")
    assert _rows(entities.text) == 15
    assert "<li>Kazakhstan Temir Zholy (KTZ)</li>" in entities.text
    metrics = client.get("/measures")
    assert _rows(metrics.text) == 22  # the demo's 19, and 3 its claims named
    assert '<td data-label="Dimension">length</td>' in metrics.text
    assert _rows(client.get("/entities", params={"q": "temir"}).text) == 1
    for path in ("/sources", "/entities", "/measures", "/events"):
        shown = client.get(path)
        assert shown.status_code == 200, path
        assert forms_of(shown) == ["/signout"], path  # a GET filter form has no action


def test_sources_filtered_by_kind_and_a_source_with_its_lineage_and_claims(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    official = client.get("/sources", params={"kind": "official"})
    official_count = demo.execute(
        select(func.count()).select_from(Source).where(col(Source.kind) == "official")
    ).scalar_one()
    assert _rows(official.text) == official_count == 1
    briefing = _source(demo, "Kazakhstan-EU Weekly Briefing")
    page = client.get(f"/sources/{briefing.id}")
    assert page.status_code == 200
    assert "<dd>briefing</dd>" in page.text
    derives = page.text[page.text.index("<dt>Derives from</dt>") : page.text.index("Derived by")]
    assert derives.count("<li>") == 5
    assert _rows(page.text) == 18  # the demo's claims citing the briefing
    mfa = _source(demo, "Kazakhstan and the European Union Set New Strategic Goals")
    mfa_page = client.get(f"/sources/{mfa.id}").text
    derived = mfa_page[mfa_page.index("<dt>Derived by</dt>") : mfa_page.index("<dt>Version")]
    assert f'href="/sources/{briefing.id}"' in derived
    assert client.get("/sources/999999").status_code == 404


def test_reader_sees_an_entity_without_forms(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    ktz = _entity(demo, "ktz")
    page = client.get(f"/entities/{ktz.id}")
    assert page.status_code == 200
    assert forms_of(page) == ["/signout"]
    assert "<li>Kazakhstan Temir Zholy (KTZ)</li>" in page.text


def test_analyst_edits_aliases_reviewer_merges(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    ktz = _entity(demo, "ktz")
    _, analyst = web_key(Role.ANALYST)
    sign_in(client, analyst)
    assert forms_of(client.get(f"/entities/{ktz.id}")) == [
        "/signout",
        f"/entities/{ktz.id}/aliases",
    ]
    _, reviewer = web_key(Role.REVIEWER)
    sign_in(client, reviewer)
    assert forms_of(client.get(f"/entities/{ktz.id}")) == ["/signout", f"/entities/{ktz.id}/merge"]


def test_alias_edit_at_the_version_shown_is_saved(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    ktz = _entity(demo, "ktz")
    ktz_id, version = ktz.id, ktz.version
    _, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    page = client.get(f"/entities/{ktz_id}")
    assert f'name="version" value="{version}"' in page.text
    sent = {"csrf": csrf_of(page), "version": str(version), "aliases": "KTZh\n\n  KTZ Group \n"}
    saved = client.post(f"/entities/{ktz_id}/aliases", data=sent, follow_redirects=False)
    assert saved.status_code == 303
    assert unsigned(saved.headers["location"]) == f"/entities/{ktz_id}?saved=aliases-{version + 1}"
    demo.expire_all()
    assert _aliases(demo, ktz_id) == ["KTZ Group", "KTZh", "Kazakhstan Temir Zholy", "ktz"]  # type: ignore[arg-type]
    shown = client.get(saved.headers["location"])
    assert "Aliases saved." in shown.text
    assert "<li>KTZh</li>" in shown.text


def test_alias_edit_at_a_stale_version_is_refused_with_a_message(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    ktz = _entity(demo, "ktz")
    before = _aliases(demo, ktz.id)  # type: ignore[arg-type]
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    events = _events(demo)
    csrf = csrf_of(client.get(f"/entities/{ktz.id}"))
    stale = {"csrf": csrf, "version": str(ktz.version + 1), "aliases": "KTZh"}
    refused = client.post(f"/entities/{ktz.id}/aliases", data=stale)
    assert refused.status_code == 412
    assert (
        f"Not saved: this entity was changed since you loaded the page (entity {ktz.id} is no "
        f"longer at version {ktz.version + 1})"
    ) in refused.text
    assert f'name="version" value="{ktz.version}"' in refused.text  # the page as it is now
    assert "KTZh" not in refused.text  # the form shows the stored aliases, to edit anew
    demo.expire_all()
    assert _aliases(demo, ktz.id) == before  # type: ignore[arg-type]
    assert _events(demo) == events


def test_alias_taken_by_another_entity_is_409_and_writes_nothing(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    ktz = _entity(demo, "ktz")
    version = ktz.version
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    csrf = csrf_of(client.get(f"/entities/{ktz.id}"))
    sent = {"csrf": csrf, "version": str(version), "aliases": "KTZ\nEAEU"}
    refused = client.post(f"/entities/{ktz.id}/aliases", data=sent)
    assert refused.status_code == 409
    assert "&#39;eaeu&#39; already names another entity" in refused.text
    assert "KTZ\nEAEU</textarea>" in refused.text  # what was sent, to correct
    demo.expire_all()
    assert demo.get(Entity, ktz.id).version == version  # type: ignore[union-attr]


def test_alias_edit_without_csrf_or_by_reader_is_403(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    ktz = _entity(demo, "ktz")
    version = ktz.version
    _, analyst = web_key(Role.ANALYST)
    sign_in(client, analyst)
    sent = {"version": str(version), "aliases": "KTZh"}
    assert client.post(f"/entities/{ktz.id}/aliases", data=sent).status_code == 403
    _, reader = web_key(Role.READER)
    sign_in(client, reader)
    sent["csrf"] = csrf_of(client.get("/"))
    refused = client.post(f"/entities/{ktz.id}/aliases", data=sent)
    assert refused.status_code == 403
    assert "only keys that may write can send this form" in refused.text
    demo.expire_all()
    assert demo.get(Entity, ktz.id).version == version  # type: ignore[union-attr]


def test_metric_merge_by_reviewer_and_a_stale_merge_refused(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    slug = col(Metric.slug)
    companies = demo.execute(select(Metric).where(slug == "companies-operating")).scalar_one()
    enterprises = demo.execute(select(Metric).where(slug == "enterprises-operating")).scalar_one()
    _, secret = web_key(Role.REVIEWER)
    sign_in(client, secret)
    csrf = csrf_of(client.get(f"/measures/{enterprises.id}"))
    path = f"/measures/{enterprises.id}/merge"
    stale = {"csrf": csrf, "version": str(enterprises.version + 1), "into": str(companies.id)}
    refused = client.post(path, data=stale)
    assert refused.status_code == 412
    assert "Not saved: this metric was changed since you loaded the page" in refused.text
    sent = {**stale, "version": str(enterprises.version)}
    merged = client.post(path, data=sent, follow_redirects=False)
    assert merged.status_code == 303
    location = unsigned(merged.headers["location"])
    assert location == f"/measures/{companies.id}?saved=merged-{enterprises.id}"
    demo.expire_all()
    assert demo.get(Metric, enterprises.id) is None
    gone = client.get(f"/measures/{enterprises.id}")
    assert gone.status_code == 404
    assert f"was merged into metric {companies.id}" in gone.text


def test_merge_into_another_dimension_is_422_with_the_reason(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    slug = col(Metric.slug)
    gdp = demo.execute(select(Metric).where(slug == "gdp")).scalar_one()
    rail = demo.execute(select(Metric).where(slug == "new-rail-length")).scalar_one()
    _, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    csrf = csrf_of(client.get(f"/measures/{gdp.id}"))
    sent = {"csrf": csrf, "version": str(gdp.version), "into": str(rail.id)}
    refused = client.post(f"/measures/{gdp.id}/merge", data=sent)
    assert refused.status_code == 422
    assert "measures money (USD)" in refused.text
    demo.expire_all()
    assert demo.get(Metric, gdp.id) is not None


def test_events_filtered_and_paged(
    client: TestClient, demo: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    ktz = _entity(demo, "ktz")
    mine = client.get("/events", params={"record_type": "entity", "record_id": str(ktz.id)})
    assert mine.status_code == 200
    assert _rows(mine.text) == 1
    assert "<code>entity.created</code>" in mine.text
    first = client.get("/events")
    assert _rows(first.text) == 50
    found = re.search(r'href="(/events\?cursor=[^"]+)" rel="next"', first.text)
    assert found is not None
    total = _events(demo)
    second = client.get(found.group(1).replace("&amp;", "&"))
    assert _rows(second.text) == min(50, total - 50)
    assert 'href="/events">First page</a>' in second.text
    created = client.get("/events", params={"action": "source.created", "since": "2000-01-01"})
    assert _rows(created.text) == 27
    wrong = client.get("/events", params={"record_id": "x", "since": "yesterday"})
    assert wrong.status_code == 422
    assert "Check: record id (a whole number from 1), since (a date" in wrong.text
