"""How well `POST /api/v1/drafts` reads real paragraphs: the labelled set scored in the suite.

labelled.toml holds real paragraphs copied verbatim from public pages, every figure labelled by
hand (tests/drafts/scoring.py says how drafts are matched and judged). The first tests check the
set itself; the last posts every paragraph as an analyst and asserts the scores stay at or above
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

from tests.drafts.scoring import (
    BOUNDS,
    FIGURE_TYPES,
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

# The aims. Recall and periods are not there yet (bench/RESULTS.md "Draft claims").
AIMS = {"recall": 0.95, "precision": 0.95, "bound": 0.90, "period": 0.85}
# Floors: the scores measured when the extractor landed (recall 0.906, precision 0.988, value
# 0.925, bound 0.971, period 0.539, kind 0.813, entity 0.228, metric 0.257), a hair below, so
# that a change that reads the set worse fails; raise them as the extractor improves.
FLOORS = {
    "recall": 0.90,
    "precision": 0.98,
    "value": 0.92,
    "bound": 0.96,
    "period": 0.53,
    "kind": 0.80,
    "entity": 0.22,
    "metric": 0.25,
}


# --- the set -------------------------------------------------------------------------------------


def test_set_has_enough_real_paragraphs() -> None:
    pages = {p.url for p in PARAGRAPHS}
    # The set as labelled (the issue asks for at least 40 paragraphs): a row lost or added shows.
    assert (len(PARAGRAPHS), len(pages)) == (48, 36)
    assert [p.id for p in PARAGRAPHS if not p.figures] == []
    assert sum(len(p.figures) for p in PARAGRAPHS) == 266
    assert sum(len(p.skipped) for p in PARAGRAPHS) == 103
    assert len({p.id for p in PARAGRAPHS}) == len(PARAGRAPHS)


@pytest.mark.parametrize("paragraph", PARAGRAPHS, ids=lambda p: p.id)
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


@pytest.mark.parametrize("paragraph", PARAGRAPHS, ids=lambda p: p.id)
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


def test_name_matches_by_words_either_way() -> None:
    assert name_matches("Kazakhstan–Türkiye trade", ["Kazakhstan"])
    assert name_matches("trade turnover", ["Trade turnover"])
    assert name_matches("Aktau Commercial Sea Port | Aktau port", ["the Aktau port"])
    assert not name_matches("trade turnover", ["exports"])
    assert not name_matches("Kazakhstan", [])


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


def test_drafts_meet_the_floors_on_the_labelled_set(
    client: TestClient, analyst: dict[str, str]
) -> None:
    tally = Tally()
    for paragraph in PARAGRAPHS:
        response = client.post(
            "/api/v1/drafts",
            json={"text": paragraph.text, "asserted_on": paragraph.asserted_on},
            headers=analyst,
        )
        assert response.status_code == 200, (paragraph.id, response.text)
        score_response(tally, paragraph, response.json()["drafts"])
    scores = tally.scores()
    report = table({"claimtrack": scores})
    below = {name: scores[name] for name, floor in FLOORS.items() if scores[name] < floor}
    assert below == {}, f"{report}\nmissed: {tally.missed}\nfalse: {tally.false}"
