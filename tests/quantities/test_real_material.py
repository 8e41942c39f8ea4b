"""Real figures and periods, as public pages write them, read as a careful human reads them.

The two tables beside this file (real_figures.toml, real_periods.toml) were copied verbatim from
public pages about Kazakhstan, Central Asia and their partners (each row names its page and the
sentence it came from), with the reading written down by hand from DESIGN.md's rules. Every row
is one test case, named by the phrase it reads. Nothing in them comes from the demo.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import pytest

from app.quantities import QuantityError, parse_period, parse_quantity

Row = dict[str, str]

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent.parent / "app" / "demo"


def _table(name: str, key: str) -> list[Row]:
    rows = tomllib.loads((HERE / name).read_text(encoding="utf-8"))[key]
    return cast(list[Row], rows)


FIGURES = _table("real_figures.toml", "figure")
PERIODS = _table("real_periods.toml", "period")
READABLE_FIGURES = [row for row in FIGURES if "refused" not in row]
REFUSED_FIGURES = [row for row in FIGURES if "refused" in row]
READABLE_PERIODS = [row for row in PERIODS if "refused" not in row]
REFUSED_PERIODS = [row for row in PERIODS if "refused" in row]

BOUNDS = {"exact", "approx", "range", "at_least", "more_than", "at_most", "less_than"}
FIGURE_TYPES = {"level", "change", "multiple", "share"}
READING = ("value", "unit", "bound", "low", "high", "figure_type")


def _text(row: Row) -> str:
    return row["text"]


def _end(written: str) -> Decimal | None:
    return Decimal(written) if written else None


def _day(written: str) -> date | None:
    return date.fromisoformat(written) if written else None


# --- the readings -------------------------------------------------------------------------------


@pytest.mark.parametrize("row", READABLE_FIGURES, ids=_text)
def test_parse_quantity_reads_real_figure_as_the_page_means_it(row: Row) -> None:
    quantity = parse_quantity(row["text"])

    read = (
        quantity.value,
        quantity.unit,
        str(quantity.bound),
        quantity.low,
        quantity.high,
        str(getattr(quantity, "figure_type", "level")),
    )
    assert read == (
        Decimal(row["value"]),
        row["unit"],
        row["bound"],
        _end(row["low"]),
        _end(row["high"]),
        row["figure_type"],
    )


@pytest.mark.parametrize("row", REFUSED_FIGURES, ids=_text)
def test_parse_quantity_refuses_real_figure_it_cannot_read_for_sure(row: Row) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(row["text"])

    assert caught.value.code == row["refused"]


@pytest.mark.parametrize("row", READABLE_PERIODS, ids=_text)
def test_parse_period_reads_real_period_as_the_page_means_it(row: Row) -> None:
    period = parse_period(row["text"], reference=_day(row["reference"]))

    assert period is not None
    assert (period.start, period.end) == (_day(row["start"]), _day(row["end"]))


@pytest.mark.parametrize("row", REFUSED_PERIODS, ids=_text)
def test_parse_period_refuses_real_period_it_cannot_read_for_sure(row: Row) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(row["text"], reference=_day(row["reference"]))

    assert caught.value.code == row["refused"]


# --- the tables themselves ----------------------------------------------------------------------


def test_real_tables_hold_at_least_200_figures_and_60_periods() -> None:
    assert (len(FIGURES) >= 200, len(PERIODS) >= 60) == (True, True)


def test_real_tables_cite_an_http_page_for_every_row() -> None:
    bad = [
        row["url"]
        for row in [*FIGURES, *PERIODS]
        if urlsplit(row["url"]).scheme not in ("http", "https") or not urlsplit(row["url"]).netloc
    ]

    assert bad == []


def test_real_tables_copy_every_phrase_from_its_quote() -> None:
    assert [row["text"] for row in [*FIGURES, *PERIODS] if row["text"] not in row["quote"]] == []


def test_real_figure_rows_give_a_full_reading_or_a_refusal() -> None:
    def malformed(row: Row) -> bool:
        if "refused" in row:
            return not row["why"] or any(key in row for key in READING)
        return (
            any(key not in row for key in READING)
            or row["bound"] not in BOUNDS
            or row["figure_type"] not in FIGURE_TYPES
        )

    assert [row["text"] for row in FIGURES if malformed(row)] == []


def test_real_period_rows_give_dates_or_a_refusal() -> None:
    def malformed(row: Row) -> bool:
        if "refused" in row:
            return not row["why"] or "start" in row or "end" in row
        return "start" not in row or "end" not in row or not (row["start"] or row["end"])

    assert [row["text"] for row in PERIODS if malformed(row)] == []


def test_real_tables_take_nothing_from_the_demo() -> None:
    seeds = "\n".join(path.read_text(encoding="utf-8") for path in (DEMO / "seeds").iterdir())
    # The briefing is Markdown and escapes "$"; compare with the dollar signs as a page shows them.
    seeds += "\n" + seeds.replace("\\$", "$")
    demo_urls = {
        source["url"]
        for source in tomllib.loads((DEMO / "sources.toml").read_text(encoding="utf-8"))["sources"]
        if "url" in source
    }
    # A bare relative phrase ("last year") is in any text; a figure is not.
    copied = [
        row["text"]
        for row in [*FIGURES, *PERIODS]
        if row["quote"] in seeds or row["url"] in demo_urls
    ] + [row["text"] for row in FIGURES if row["text"] in seeds]

    assert copied == []
