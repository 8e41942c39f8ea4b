"""The demo's indicator history: real yearly values copied from public pages, each with its page
and the words that state it, so that a dashboard draws something on first start."""

import re
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.demo import documents
from app.demo.data import INDICATORS, SOURCES
from app.demo.load import load
from app.indicators.models import Indicator, Observation
from app.quantities import parse_quantity
from app.review.models import Flag, FlagKind
from app.sources.models import Source

# What the public pages hold per indicator (app/demo/README.md says where each gap comes from).
POINTS = {
    "eaeu-trade-turnover": 3,
    "ktz-new-rail-2026": 0,
    "autonomous-freight-growth": 1,
    "cloud-traffic-growth": 1,
    "corridor-border-wait": 0,
    "data-center-valley-developers": 0,
    "heavy-industrial-output": 1,
    "eeas-press-release": 1,
    "china-kazakhstan-trade": 3,
    "eu-kazakhstan-trade": 4,
    "kazakhstan-gdp": 2,
    "titr-cargo-volume": 3,
    "industrial-output-growth-yearly": 2,
    "kazakhstan-oil-output": 3,
}

HISTORY = [
    (indicator, o)
    for indicator in INDICATORS
    for o in indicator["observations"]
    if o["source"] not in documents.DOCUMENTS
]


@pytest.fixture
def demo(session: Session) -> Session:
    load(session)
    session.commit()
    return session


def _stored(session: Session) -> list[tuple[str, str, str, Decimal, str | None, str | None]]:
    """(indicator slug, unit, period, value, source URL, quote) of every stored observation."""
    rows = session.execute(
        select(
            col(Indicator.slug),
            col(Indicator.unit),
            col(Observation.period_text),
            col(Observation.value),
            col(Source.url),
            col(Observation.quote),
        )
        .join(Indicator, col(Indicator.id) == col(Observation.indicator_id))
        .outerjoin(Source, col(Source.id) == col(Observation.source_id))
        .order_by(col(Indicator.slug), col(Observation.period_start))
    ).all()
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def test_demo_loads_every_indicator_with_its_history(demo: Session) -> None:
    stored = _stored(demo)
    counts = dict.fromkeys(POINTS, 0)
    for slug, *_ in stored:
        counts[slug] += 1
    assert counts == POINTS
    assert sorted(slug for slug, n in counts.items() if n >= 3) == [
        "china-kazakhstan-trade",
        "eaeu-trade-turnover",
        "eu-kazakhstan-trade",
        "kazakhstan-oil-output",
        "titr-cargo-volume",
    ]


def test_demo_observations_each_cite_a_page_and_its_words(demo: Session) -> None:
    stored = _stored(demo)
    assert len(stored) == sum(POINTS.values())
    assert [row for row in stored if not row[4] or not row[5]] == []
    history_urls = {row[4] for row in stored} - {
        s["url"] for s in SOURCES if s["key"] == "briefing"
    }
    assert all(url is not None and url.startswith("https://") for url in history_urls)
    assert len(history_urls) == 19


@pytest.mark.parametrize(
    ("indicator", "observation"),
    HISTORY,
    ids=[f"{i['slug']}-{o['period']}" for i, o in HISTORY],
)
def test_demo_history_quote_states_its_value_and_year(
    indicator: dict[str, Any], observation: dict[str, Any]
) -> None:
    quote, value_text = observation["quote"], observation["value_text"]
    assert value_text in quote
    year = re.match(r"\d{4}", observation["period"])
    assert year is not None and year.group() in quote


def test_demo_history_values_are_stored_as_their_quotes_write_them(demo: Session) -> None:
    stored = {
        (slug, period): (unit, value, quote)
        for slug, unit, period, value, _, quote in _stored(demo)
    }
    assert len(HISTORY) == 21
    for indicator, observation in HISTORY:
        unit, value, quote = stored[(indicator["slug"], observation["period"])]
        assert quote == observation["quote"]
        read = parse_quantity(observation["value_text"], default_unit=unit)
        assert (read.value, read.unit) == (value, unit), observation


def test_demo_history_spot_values(demo: Session) -> None:
    stored = {(slug, period): value for slug, _, period, value, _, _ in _stored(demo)}
    assert stored[("china-kazakhstan-trade", "2022")] == Decimal("31200000000")
    assert stored[("eaeu-trade-turnover", "2015")] == Decimal("44500000000")
    assert stored[("kazakhstan-gdp", "2023")] == Decimal("119442289700000")
    assert stored[("titr-cargo-volume", "2024")] == Decimal("4500000")
    assert stored[("industrial-output-growth-yearly", "2023")] == Decimal("4.3")
    assert stored[("eu-kazakhstan-trade", "2021")] == Decimal("28900000000")
    assert stored[("eu-kazakhstan-trade", "2024")] == Decimal("49700000000")
    assert stored[("kazakhstan-oil-output", "2024")] == Decimal("87560000")


def test_demo_history_meets_the_claims_without_contradicting_them(
    client: TestClient, reader: dict[str, str], demo: Session
) -> None:
    # The radio's "$44 billion" and the Astana Times' "$43.82 billion" for 2024 both meet China's
    # customs figure for 2024 and agree with it; no claim of the demo is contradicted by its data.
    items = client.get(
        "/api/v1/claims?entity=china-kazakhstan&metric=trade-turnover&limit=50", headers=reader
    ).json()["items"]
    checked = sorted(
        (c["value_text"], c["data_check"]["value"], c["data_check"]["agrees"])
        for c in items
        if c["data_check"] is not None
    )
    assert checked == [
        ("$43.82 billion", "43820000000", True),
        ("$44 billion", "43820000000", True),
    ]
    kinds = demo.execute(
        select(col(Flag.kind)).where(col(Flag.kind) == FlagKind.CONTRADICTED_BY_DATA)
    ).all()
    assert kinds == []
