"""The demo data set: every figure of the seed briefings, read right, with its source."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.demo import documents
from app.demo.data import CLAIMS, SOURCES
from app.demo.load import load


@pytest.fixture
def demo(session: Session) -> int:
    count = load(session)
    session.commit()
    return count


SEED_SOURCES = {"briefing", "radio"}

HEADLINES = [
    # entity, metric, value, unit, bound
    ("ktz", "investment", "10000000000", "USD", "exact"),
    ("ktz", "new-rail-length", "900", "km", "exact"),
    ("eaeu", "trade-turnover", "100000000000", "USD", "more_than"),
    ("eu-kazakhstan", "trade-turnover", "45000000000", "USD", "exact"),
    ("balkhash-npp", "project-cost", "16500000000", "USD", "exact"),
    ("china-kazakhstan", "trade-turnover", "44000000000", "USD", "exact"),
]


def test_demo_loads_every_claim(client: TestClient, reader: dict[str, str], demo: int) -> None:
    assert demo == len(CLAIMS)
    page = client.get("/api/v1/claims?limit=500", headers=reader).json()
    assert len(page["items"]) == len(CLAIMS)
    assert all(c["citations"] for c in page["items"])


@pytest.mark.parametrize(("entity", "metric", "value", "unit", "bound"), HEADLINES)
def test_demo_headline_claims_are_read_right(
    client: TestClient,
    reader: dict[str, str],
    demo: int,
    entity: str,
    metric: str,
    value: str,
    unit: str,
    bound: str,
) -> None:
    items = client.get(f"/api/v1/claims?entity={entity}&metric={metric}", headers=reader).json()[
        "items"
    ]
    matching = [c for c in items if (c["value"], c["unit"], c["bound"]) == (value, unit, bound)]
    assert len(matching) == 1, items


def test_demo_ktz_claim_reads_interval_and_period(
    client: TestClient, reader: dict[str, str], demo: int
) -> None:
    items = client.get(
        "/api/v1/claims?entity=Kazakhstan%20Temir%20Zholy&metric=investment", headers=reader
    ).json()["items"]
    assert len(items) == 1
    ktz = items[0]
    assert (ktz["low"], ktz["high"]) == ("9500000000", "10500000000")
    assert (ktz["period_start"], ktz["period_end"]) == ("2026-05-28", "2030-12-31")
    assert ktz["kind"] == "commitment"


@pytest.mark.parametrize("value_text", ["$32.7bn", "$24.3bn"])
def test_demo_intellinews_claims_read_ten_month_period_from_its_wording(
    client: TestClient, reader: dict[str, str], demo: int, value_text: str
) -> None:
    items = client.get(
        "/api/v1/claims?entity=china-kazakhstan&metric=trade-turnover", headers=reader
    ).json()["items"]
    claim = next(c for c in items if c["value_text"] == value_text)
    assert (claim["period"], claim["period_start"], claim["period_end"]) == (
        "the first 10 months of 2023",
        "2023-01-01",
        "2023-10-31",
    )
    article = next(c for c in CLAIMS if c["value_text"] == "$32.7bn")["citations"][0]
    assert claim["period"] in article["quote"]


def test_demo_briefing_derives_from_its_five_sources(
    client: TestClient, reader: dict[str, str], demo: int
) -> None:
    sources = client.get("/api/v1/sources", headers=reader).json()["items"]
    assert len(sources) == len(SOURCES)
    briefing = next(s for s in sources if s["kind"] == "briefing")
    assert len(briefing["derived_from"]) == 5


def test_demo_quotes_are_verbatim() -> None:
    quoted = [
        c for claim in CLAIMS for c in claim["citations"] if c["source"] in documents.DOCUMENTS
    ]
    assert len(quoted) == len(CLAIMS) - 3
    for citation in quoted:
        assert citation["quote"] in documents.text(citation["source"]), citation["quote"]


def test_demo_seed_documents_ship_with_the_package() -> None:
    assert documents.text("briefing").startswith("\n\n\n\n# Kazakhstan- EU Weekly Briefing")
    assert documents.text("radio").startswith("EU weighs strategy as Kazakhstan deepens")
    assert "\\$" not in documents.text("briefing")


def test_demo_load_refuses_a_quote_its_document_does_not_hold(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = next(c for c in CLAIMS if c["citations"][0]["source"] == "radio")
    bent = {**claim, "citations": [{**claim["citations"][0], "quote": "trade fell to $1"}]}
    monkeypatch.setattr("app.demo.load.CLAIMS", [bent])
    with pytest.raises(documents.QuoteNotInDocument, match="not in the radio document"):
        load(session)


def test_demo_loads_twice_without_duplicating_sources(session: Session, demo: int) -> None:
    from sqlmodel import func, select

    from app.sources.models import Source

    load(session)
    assert session.execute(select(func.count()).select_from(Source)).scalar_one() == len(SOURCES)


def test_demo_briefing_only_claims_are_unverified(
    client: TestClient, reader: dict[str, str], demo: int
) -> None:
    items = client.get("/api/v1/claims?limit=500", headers=reader).json()["items"]
    briefing_only = [
        c for c in items if {x["source"]["kind"] for x in c["citations"]} == {"briefing"}
    ]
    expected = [c for c in CLAIMS if {x["source"] for x in c["citations"]} == {"briefing"}]
    assert len(briefing_only) == len(expected)
    assert {c["verification"]["state"] for c in briefing_only} == {"unverified"}


def test_demo_shows_a_conflict_in_the_queue(
    client: TestClient, reader: dict[str, str], demo: int
) -> None:
    queue = client.get("/api/v1/flags?kind=conflict", headers=reader).json()["items"]
    assert len(queue) == 1
    detail = client.get(f"/api/v1/flags/{queue[0]['id']}", headers=reader).json()
    assert [c["value_text"] for c in detail["claims"]] == ["$32.7bn", "$24.3bn"]


def test_demo_watchlist_shows_the_briefings_indicators(
    client: TestClient, reader: dict[str, str], demo: int
) -> None:
    from app.demo.data import INDICATORS

    watch = client.get("/api/v1/watchlist", headers=reader).json()
    assert sorted(w["slug"] for w in watch) == sorted(i["slug"] for i in INDICATORS)
    by_slug = {w["slug"]: w for w in watch}
    assert by_slug["autonomous-freight-growth"]["last_value"] == "12.4"
    assert by_slug["cloud-traffic-growth"]["last_value"] == "18.5"
    assert by_slug["eeas-press-release"]["last_value"] == "0"
    assert by_slug["eaeu-trade-turnover"]["last_value"] == "83300000000"
    assert by_slug["china-kazakhstan-trade"]["last_value"] == "43820000000"
    assert by_slug["titr-cargo-volume"]["last_value"] == "4500000"
    assert by_slug["eu-kazakhstan-trade"]["last_value"] == "49700000000"
    assert by_slug["kazakhstan-oil-output"]["last_value"] == "87560000"
    assert len(watch) == 14
    # EAEU trade is a flow: its target ("more than $100 billion" in 2026) is 2026's total, and
    # no value for 2026 is published yet (the history is 2015, 2020 and 2022).
    eaeu = by_slug["eaeu-trade-turnover"]["targets"]
    assert [(t["value_text"], t["status"]) for t in eaeu] == [
        ("more than $100 billion", "not_started")
    ]
    detail = client.get(f"/api/v1/indicators/{by_slug['ktz-new-rail-2026']['id']}", headers=reader)
    ktz = detail.json()["targets"][0]
    claim = client.get(f"/api/v1/claims/{ktz['claim_id']}", headers=reader).json()
    assert (claim["value_text"], claim["kind"]) == ("900 kilometers", "target")
