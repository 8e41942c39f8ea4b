"""Every found figure whose reading is wrong, with its sentence, the label and the proposal.

    .venv/bin/python -m bench.drafts_misses [--set labelled|held-out|both] [--column period ...]

Posts every paragraph of the labelled sets to `POST /api/v1/drafts` on a fresh SQLite database
(as bench/drafts.py does, without quantulum3), judges each draft as tests/drafts/scoring.py
does, and prints, per column asked for (period, entity, metric by default), each miss: the
paragraph, the figure, the sentence it is in, what the label says and what the draft proposed.
Ends with the scores of every column, so that a change can be read on both sets in one run.
"""

from __future__ import annotations  # noqa: I001 (bench.drafts sets the database up before the app is imported)

import argparse
import re
import sys
from collections.abc import Mapping
from typing import Any

from bench.drafts import analyst_headers, draft  # sets up the scratch database first
from fastapi.testclient import TestClient

from app.main import create_app
from tests.drafts.scoring import (
    HELDOUT,
    Paragraph,
    Span,
    Tally,
    judge,
    load,
    match,
    proposed_names,
    reading,
    score_response,
    table,
)

COLUMNS = ("period", "entity", "metric", "kind", "value", "figure_type")


def sentence_of(text: str, span: Span) -> str:
    """The sentence around the span: from the last full stop or line break before it."""
    starts = [m.end() for m in re.finditer(r"[.!?]\s+|\n", text[: span.start])]
    start = starts[-1] if starts else 0
    end_match = re.search(r"[.!?](?:\s|$)|\n", text[span.end :])
    end = span.end + end_match.end() if end_match else len(text)
    return text[start:end].strip()


def expected(row: Mapping[str, Any], column: str) -> str:
    if column == "period":
        return f"{row.get('period', '')!r} {row['period_start']}..{row['period_end']}"
    if column == "value":
        return f"{row['value']} {row['unit']}"
    return str(row[column])


def proposed(d: Mapping[str, Any], column: str) -> str:
    if column == "period":
        start, end = reading(d, "period_start"), reading(d, "period_end")
        return f"{d.get('period')!r} {start or ''}..{end or ''}"
    if column in ("entity", "metric"):
        return " | ".join(dict.fromkeys(proposed_names(d, column))) or "-"
    if column == "value":
        return f"{reading(d, 'value')} {reading(d, 'unit')}"
    return str(reading(d, column))


def misses(
    paragraphs: list[Paragraph], answers: list[list[dict[str, Any]]], column: str
) -> list[str]:
    lines = []
    for paragraph, drafts in zip(paragraphs, answers, strict=True):
        spans = [Span(d["span"]["start"], d["span"]["end"]) for d in drafts]
        for i, j in sorted(match(paragraph.figures, spans).items()):
            figure = paragraph.figures[i]
            if judge(figure.row, drafts[j])[column]:
                continue
            lines.append(
                f"- {paragraph.id} {figure.row['text']!r}\n"
                f"    sentence: {sentence_of(paragraph.text, figure.span)}\n"
                f"    expected: {expected(figure.row, column)}\n"
                f"    proposed: {proposed(drafts[j], column)}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("labelled", "held-out", "both"), default="labelled")
    parser.add_argument("--column", action="append", choices=COLUMNS)
    parser.add_argument("--scores", action="store_true", help="print only the scores")
    args = parser.parse_args(argv)
    sets = {"labelled": load(), "held-out": load(HELDOUT)}
    chosen = list(sets) if args.set == "both" else [args.set]
    headers = analyst_headers()
    scores = {}
    with TestClient(create_app()) as client:
        for name in sets:
            paragraphs = sets[name]
            answers = [draft(client, headers, p.text, p.asserted_on)["drafts"] for p in paragraphs]
            tally = Tally()
            for paragraph, drafts in zip(paragraphs, answers, strict=True):
                score_response(tally, paragraph, drafts)
            scores[name] = tally.scores()
            if name not in chosen or args.scores:
                continue
            for column in args.column or COLUMNS[:3]:
                lines = misses(paragraphs, answers, column)
                print(f"\n## {name}: {column}, {len(lines)} wrong\n")
                print("\n".join(lines))
    print()
    print(table(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
