"""Figures and the digits that are no figure, on sentences of the demo briefing and of public
pages (addresses beside them)."""

from datetime import date

import pytest

from app.drafts import extract, when

SAID_ON = date(2026, 5, 28)


def figures(sentence: str) -> list[tuple[str, str, str, str, str, str | None]]:
    periods = when.find_periods(sentence, SAID_ON)
    found, _ = extract.read_figures(sentence, periods, when.find_dates(sentence))
    return [
        (
            f.text,
            str(f.quantity.value),
            f.quantity.unit,
            f.quantity.bound.value,
            f.quantity.figure_type.value,
            f.role,
        )
        for f in found
    ]


def skipped(sentence: str) -> list[tuple[str, str]]:
    periods = when.find_periods(sentence, SAID_ON)
    _, skips = extract.read_figures(sentence, periods, when.find_dates(sentence))
    return [(s.text, s.why) for s in skips]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the demo briefing (app/demo/seeds/kazakhstan-eu-weekly-briefing-28.txt)
        (
            "It also quoted Deputy Foreign Minister Arman Issetov saying bilateral trade hit "
            "$45 billion last year, European capital inflows exceeded $200 billion between 2005 "
            "and 2025, and more than 4,000 European companies operate in Kazakhstan.",
            [
                ("$45 billion", "45000000000", "USD", "exact", "level", None),
                ("exceeded $200 billion", "200000000000", "USD", "more_than", "level", None),
                ("more than 4,000", "4000", "count", "more_than", "level", None),
            ],
        ),
        (
            "while autonomous road freight grew by 12.4%, cloud-network data processing traffic "
            "jumped 18.5%, and local trade bloc turnover rose steadily toward an estimated $100 "
            "billion year-end target.",
            [
                ("grew by 12.4%", "12.4", "percent", "exact", "change", None),
                ("jumped 18.5%", "18.5", "percent", "exact", "change", None),
                ("estimated $100 billion", "100000000000", "USD", "approx", "level", None),
            ],
        ),
        # https://en.trend.az/casia/kyrgyzstan/3903697.html
        (
            "Kyrgyzstan's exports to Kazakhstan during last year reached $455.702 million, "
            "increasing by 10.9 percent compared to $410.888 million in 2022.",
            [
                ("$455.702 million", "455702000", "USD", "exact", "level", None),
                ("increasing by 10.9 percent", "10.9", "percent", "exact", "change", None),
                ("$410.888 million", "410888000", "USD", "exact", "level", None),
            ],
        ),
        # https://en.inform.kz/news/kazakhstan-to-construct-new-railways-worth-15bn-46e152/
        (
            "The country is to build 4.7 thousand km of railways before 2030, Kazinform News "
            "Agency correspondent reports.",
            [("4.7 thousand km", "4700", "km", "exact", "level", None)],
        ),
        # https://www.azernews.az/region/228622.html
        (
            "In the first half of 2024, Kazakhstan saw a total cargo transportation volume of "
            "496.8 million tons, marking a 4.8 percent increase compared to the same period last "
            "year, Azernews reports.",
            [
                ("496.8 million tons", "496800000", "t", "exact", "level", None),
                ("4.8 percent increase", "4.8", "percent", "exact", "change", None),
            ],
        ),
        (
            "Kazakhstan's exports rose from 2 to 3 percent of the total a year earlier.",
            [
                ("2", "2", "percent", "exact", "share", "before"),
                ("3 percent of the total", "3", "percent", "exact", "share", "after"),
            ],
        ),
        (
            "Exports rose from $2 billion to $3 billion.",
            [
                ("$2 billion", "2000000000", "USD", "exact", "level", "before"),
                ("$3 billion", "3000000000", "USD", "exact", "level", "after"),
            ],
        ),
        (
            "Up to 5 million tonnes a year will pass.",
            [("Up to 5 million tonnes a year", "5000000", "t/yr", "at_most", "level", None)],
        ),
        (
            "Output rose from 2 to 3 percent.",
            [
                ("2", "2", "percent", "exact", "level", "before"),
                ("3 percent", "3", "percent", "exact", "level", "after"),
            ],
        ),
    ],
)
def test_figures_are_read_as_claims_read_them(
    sentence: str, expected: list[tuple[str, str, str, str, str, str | None]]
) -> None:
    assert figures(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "On May 29, 2026, Kazakhstan and the European Union officially convened the 23rd "
            "meeting of the Cooperation Committee in Political Configuration in Astana.",
            [("29", "date"), ("2026", "date"), ("23rd", "ordinal")],
        ),
        (
            "Over the first 10 months of 2023 trade grew by 5%.",
            [("10", "period_number"), ("2023", "year")],
        ),
        (
            "Call +7 (7172) 74-20-20 under Article 12 on COVID-19, Unit-2 and the G20 plan.",
            [
                ("+7", "phone"),
                ("7172", "phone"),
                ("74-20-20", "phone"),
                ("12", "article_number"),
                ("COVID-19", "name"),
                ("Unit-2", "name"),
                ("G20", "name"),
            ],
        ),
        ("The treaty extends to 2030 and the 2050 agenda.", [("2030", "year"), ("2050", "year")]),
    ],
)
def test_digits_that_are_no_figure_are_skipped_with_why(
    sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert skipped(sentence) == expected
    assert figures(sentence) == (
        [("grew by 5%", "5", "percent", "exact", "change", None)] if "5%" in sentence else []
    )


def test_number_words_are_figures_but_not_in_periods() -> None:
    sentence = (
        "In the first four months, the company commissioned six vessels and one of the ports."
    )
    assert figures(sentence) == [("six", "6", "count", "exact", "level", None)]
    assert skipped(sentence) == [("four", "period_number")]


def test_sentences_split_at_ends_but_not_at_abbreviations() -> None:
    text = "Exports hit $5 bln. in 2023. Mr. Smith said so.\n\nNew paragraph here."
    found = extract.sentences(text)
    assert [(s.text, s.paragraph) for s in found] == [
        ("Exports hit $5 bln. in 2023.", 0),
        ("Mr. Smith said so.", 0),
        ("New paragraph here.", 1),
    ]
    assert all(text[s.start : s.end] == s.text for s in found)
