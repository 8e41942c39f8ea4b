"""How well `POST /api/v1/drafts` reads real paragraphs: the labelled sets scored in the suite.

labelled.toml holds real paragraphs copied verbatim from public pages, every figure labelled by
hand (tests/drafts/scoring.py says how drafts are matched and judged); heldout.toml more of them,
gathered after the extractor landed and labelled the same way, so that a change made for the
first set that reads other text worse shows. The first tests check the sets themselves; the
last posts every paragraph as an analyst and asserts each set's scores stay at or above its
FLOORS, on whichever database the suite runs on (SQLite, or PostgreSQL with TEST_DATABASE_URL).
bench/drafts.py prints the same scores beside quantulum3's and writes them to bench/RESULTS.md.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.conftest import KeyFactory
from tests.drafts.scoring import (
    BOUNDS,
    FIGURE_TYPES,
    HELDOUT,
    KINDS,
    Figure,
    Span,
    Tally,
    load,
    locate,
    match,
    name_matches,
    score_response,
    table,
)

PARAGRAPHS = load()
SETS = {"labelled": PARAGRAPHS, "heldout": load(HELDOUT)}
EVERY = [p for paragraphs in SETS.values() for p in paragraphs]

# The aims.
AIMS = {"recall": 0.95, "precision": 0.95, "bound": 0.90, "period": 0.85}
# Floors: the scores measured on each set (bench/RESULTS.md "Draft claims"), rounded down to
# 0.01, so that a change that reads a set worse fails; raise them as the extractor improves.
FLOORS = {
    "labelled": {
        "recall": 1.00,
        "precision": 1.00,
        "value": 0.94,
        "bound": 0.98,
        "period": 0.85,
        "kind": 0.86,
        "entity": 0.53,
        "metric": 0.48,
    },
    "heldout": {
        "recall": 1.00,
        "precision": 1.00,
        "value": 0.95,
        "bound": 1.00,
        "period": 0.88,
        "kind": 0.95,
        "entity": 0.67,
        "metric": 0.74,
    },
}


# --- the set -------------------------------------------------------------------------------------


# Each set as labelled (the issue asks for at least 40 paragraphs, the held-out set at least
# 25): (paragraphs, pages, figures, skipped spans); a row lost or added shows.
SIZES = {"labelled": (48, 36, 266, 103), "heldout": (29, 29, 182, 70)}


@pytest.mark.parametrize("name", SETS)
def test_set_has_enough_real_paragraphs(name: str) -> None:
    paragraphs = SETS[name]
    pages = {p.url for p in paragraphs}
    figures = sum(len(p.figures) for p in paragraphs)
    skipped = sum(len(p.skipped) for p in paragraphs)
    assert (len(paragraphs), len(pages), figures, skipped) == SIZES[name]
    assert [p.id for p in paragraphs if not p.figures] == []
    assert len({p.id for p in paragraphs}) == len(paragraphs)


def test_held_out_set_shares_no_page_or_id_with_the_labelled_set() -> None:
    labelled, heldout = SETS["labelled"], SETS["heldout"]
    assert {p.url for p in labelled} & {p.url for p in heldout} == set()
    assert {p.id for p in labelled} & {p.id for p in heldout} == set()


@pytest.mark.parametrize("paragraph", EVERY, ids=lambda p: p.id)
def test_every_digit_is_a_labelled_figure_or_skipped(paragraph: Any) -> None:
    spans = [f.span for f in paragraph.figures] + list(paragraph.skipped)
    loose = [
        paragraph.text[max(0, m.start() - 12) : m.end() + 12]
        for m in re.finditer(r"\d", paragraph.text)
        if not any(s.start <= m.start() < s.end for s in spans)
    ]
    overlapping = [
        (paragraph.text[a.start : a.end], paragraph.text[b.start : b.end])
        for i, a in enumerate(spans)
        for b in spans[i + 1 :]
        if a.overlap(b)
    ]
    assert loose == []
    assert overlapping == []


@pytest.mark.parametrize("paragraph", EVERY, ids=lambda p: p.id)
def test_labels_use_the_apps_vocabulary(paragraph: Any) -> None:
    date.fromisoformat(paragraph.asserted_on)
    for figure in paragraph.figures:
        row = figure.row
        Decimal(row["value"])
        assert row["bound"] in BOUNDS
        assert row["figure_type"] in FIGURE_TYPES
        assert row["kind"] in KINDS
        assert row["entity"].strip() and row["metric"].strip()
        for key in ("period_start", "period_end"):
            if row[key]:
                date.fromisoformat(row[key])


# --- the scoring rules ---------------------------------------------------------------------------


def test_locate_finds_the_named_occurrence() -> None:
    assert locate("7% in 2025 and 7% next year", "7%", 2) == Span(15, 17)
    with pytest.raises(ValueError, match="occurrence 3"):
        locate("7% and 7%", "7%", 3)


def test_match_pairs_one_draft_with_one_figure_longest_overlap_first() -> None:
    figures = [Figure(Span(0, 10), {}), Figure(Span(12, 20), {})]
    # one draft over both figures is one figure found; the draft on a year is found nothing
    assert match(figures, [Span(2, 18), Span(30, 34)]) == {0: 0}
    assert match(figures, [Span(13, 15), Span(0, 4), Span(12, 20)]) == {0: 1, 1: 2}


def test_name_matches_by_plain_words() -> None:
    assert name_matches("trade turnover", ["Trade turnover"])
    assert name_matches("Aktau Commercial Sea Port | Aktau port", ["the Aktau port"])
    assert name_matches("gas exports", ["natural gas exports"])
    assert name_matches("exports to Kazakhstan", ["Exports"])
    assert not name_matches("trade turnover", ["exports"])
    assert not name_matches("Kazakhstan", [])
    # A word of the name that is not its head, or a name buried in a longer one, is not it.
    assert not name_matches("Kazakhstan–Türkiye trade", ["Kazakhstan"])
    assert not name_matches("capital expenditure as a percentage of GDP", ["GDP"])
    assert not name_matches("National Fund of Kazakhstan", ["Fund"])
    assert not name_matches("oil production", ["Kazakhstan oil and gas production and exports"])


def test_tally_counts_missed_and_false_drafts() -> None:
    paragraph = PARAGRAPHS[0]
    tally = Tally()
    first, year = paragraph.figures[0].span, paragraph.skipped[0]
    score_response(
        tally,
        paragraph,
        [
            {
                "span": {"start": first.start, "end": first.end},
                **paragraph.figures[0].row,
                "entity": {"name": "Uzbekistan", "confidence": 0.4},
            },
            {"span": {"start": year.start, "end": year.end}},
        ],
    )
    scores = tally.scores()
    assert (tally.found, tally.drafts, tally.skipped_drafted) == (1, 2, 1)
    assert scores["recall"] == 1 / len(paragraph.figures)
    assert scores["precision"] == 0.5
    assert scores["value_and_bound"] == 1.0
    assert (scores["entity"], scores["metric"], scores["period"]) == (0.0, 1.0, 1.0)


# --- the extractor -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SETS)
def test_drafts_meet_the_floors_on_each_set(
    client: TestClient, analyst: dict[str, str], name: str
) -> None:
    tally = Tally()
    for paragraph in SETS[name]:
        response = client.post(
            "/api/v1/drafts",
            json={"text": paragraph.text, "asserted_on": paragraph.asserted_on},
            headers=analyst,
        )
        assert response.status_code == 200, (paragraph.id, response.text)
        score_response(tally, paragraph, response.json()["drafts"])
    scores = tally.scores()
    report = table({f"claimtrack ({name})": scores})
    floors = FLOORS[name]
    below = {column: scores[column] for column, floor in floors.items() if scores[column] < floor}
    assert below == {}, f"{report}\nmissed: {tally.missed}\nfalse: {tally.false}"


def test_every_draft_of_both_sets_confirms_unchanged(client: TestClient, auth: KeyFactory) -> None:
    # Each paragraph's claims as drafted, confirmed in one call, one paragraph after another on
    # one database: a metric proposed new under a name another unit holds would be refused. A
    # new analyst key every 40 paragraphs keeps within the rate limit (100 requests in 10 s).
    refused = []
    for n, paragraph in enumerate(EVERY):
        if n % 40 == 0:
            analyst = auth(Role.ANALYST)
        source = {"url": f"https://example.org/{paragraph.id}", "title": paragraph.id}
        body = {"text": paragraph.text, "asserted_on": paragraph.asserted_on, "source": source}
        answer = client.post("/api/v1/drafts", json=body, headers=analyst)
        assert answer.status_code == 200, (paragraph.id, answer.text[:300])
        claims = [d["claim"] for d in answer.json()["drafts"]]
        response = client.post("/api/v1/claims:bulk", json=claims, headers=analyst)
        if response.status_code != 201:
            refused.append((paragraph.id, response.text[:300]))
    assert refused == []
