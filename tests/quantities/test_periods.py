"""Reading the period a claim refers to, absolute or relative to the claim's date."""

from datetime import date

import pytest

from app.quantities import Period, QuantityError, parse_period

CLAIMED = date(2026, 5, 28)

# text, start, end: read without any reference date
ABSOLUTE: list[tuple[str, date, date]] = [
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("in 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
    ("Q2 2026", date(2026, 4, 1), date(2026, 6, 30)),
    ("2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("first quarter of 2026", date(2026, 1, 1), date(2026, 3, 31)),
    ("3rd quarter 2026", date(2026, 7, 1), date(2026, 9, 30)),
    ("1st half of 2026", date(2026, 1, 1), date(2026, 6, 30)),
    ("Sept. 2025", date(2025, 9, 1), date(2025, 9, 30)),
    ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("H1 2026", date(2026, 1, 1), date(2026, 6, 30)),
    ("H2 2025", date(2025, 7, 1), date(2025, 12, 31)),
    ("second half of 2025", date(2025, 7, 1), date(2025, 12, 31)),
    ("2024-05", date(2024, 5, 1), date(2024, 5, 31)),
    ("May 2024", date(2024, 5, 1), date(2024, 5, 31)),
    ("February 2024", date(2024, 2, 1), date(2024, 2, 29)),
    ("Feb 2023", date(2023, 2, 1), date(2023, 2, 28)),
    ("2024-05-28", date(2024, 5, 28), date(2024, 5, 28)),
    ("28 May 2024", date(2024, 5, 28), date(2024, 5, 28)),
    ("May 28, 2024", date(2024, 5, 28), date(2024, 5, 28)),
    ("May 28th, 2024", date(2024, 5, 28), date(2024, 5, 28)),
    ("1st of June 2026", date(2026, 6, 1), date(2026, 6, 1)),
    ("28.05.2026", date(2026, 5, 28), date(2026, 5, 28)),
    ("2023-01/2023-10", date(2023, 1, 1), date(2023, 10, 31)),
    ("Jan\u2013Oct 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("January-October 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("Jan 2023 - Mar 2024", date(2023, 1, 1), date(2024, 3, 31)),
    ("Q1-Q3 2024", date(2024, 1, 1), date(2024, 9, 30)),
    ("2005\u20132025", date(2005, 1, 1), date(2025, 12, 31)),
    ("2005-2025", date(2005, 1, 1), date(2025, 12, 31)),
    ("2005 to 2025", date(2005, 1, 1), date(2025, 12, 31)),
    ("between 2005 and 2025", date(2005, 1, 1), date(2025, 12, 31)),
    ("from 2005 to 2025", date(2005, 1, 1), date(2025, 12, 31)),
    ("May 25-31, 2026", date(2026, 5, 25), date(2026, 5, 31)),
    ("25\u201331 May 2026", date(2026, 5, 25), date(2026, 5, 31)),
    ("25 May - 1 June 2026", date(2026, 5, 25), date(2026, 6, 1)),
    ("end of 2026", date(2026, 12, 31), date(2026, 12, 31)),
    ("in the first half of 2026", date(2026, 1, 1), date(2026, 6, 30)),
    ("January to October 2023", date(2023, 1, 1), date(2023, 10, 31)),
    ("between Jan and Oct 2023", date(2023, 1, 1), date(2023, 10, 31)),
    # Roman quarters, as Kazakhstan's statistics write them in English
    ("In the II quarter of 2025", date(2025, 4, 1), date(2025, 6, 30)),
    ("in the IV quarter 2020", date(2020, 10, 1), date(2020, 12, 31)),
]


@pytest.mark.parametrize(("text", "start", "end"), ABSOLUTE)
def test_parse_period_reads_absolute_period(text: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(start, end, text)


@pytest.mark.parametrize(("text", "start", "end"), ABSOLUTE)
def test_parse_period_ignores_reference_for_absolute_period(
    text: str, start: date, end: date
) -> None:
    assert parse_period(text, reference=CLAIMED) == Period(start, end, text)


# text, start, end: read relative to CLAIMED (2026-05-28)
RELATIVE: list[tuple[str, date | None, date | None]] = [
    ("to 2030", CLAIMED, date(2030, 12, 31)),
    ("through 2030", CLAIMED, date(2030, 12, 31)),
    ("until 2030", CLAIMED, date(2030, 12, 31)),
    ("by 2030", CLAIMED, date(2030, 12, 31)),
    ("by the end of 2026", CLAIMED, date(2026, 12, 31)),
    ("by end-2026", CLAIMED, date(2026, 12, 31)),
    ("before 2030", CLAIMED, date(2029, 12, 31)),
    ("by 2020", None, date(2020, 12, 31)),
    ("this year", date(2026, 1, 1), date(2026, 12, 31)),
    ("this year alone", date(2026, 1, 1), date(2026, 12, 31)),
    ("last year", date(2025, 1, 1), date(2025, 12, 31)),
    ("the previous year", date(2025, 1, 1), date(2025, 12, 31)),
    ("next year", date(2027, 1, 1), date(2027, 12, 31)),
    ("by the end of the year", CLAIMED, date(2026, 12, 31)),
    ("before the end of the year", CLAIMED, date(2026, 12, 31)),
    ("by year end", CLAIMED, date(2026, 12, 31)),
    ("by year-end", CLAIMED, date(2026, 12, 31)),
    ("by end of year", CLAIMED, date(2026, 12, 31)),
    ("this quarter", date(2026, 4, 1), date(2026, 6, 30)),
    ("last quarter", date(2026, 1, 1), date(2026, 3, 31)),
    ("next quarter", date(2026, 7, 1), date(2026, 9, 30)),
    ("this month", date(2026, 5, 1), date(2026, 5, 31)),
    ("last month", date(2026, 4, 1), date(2026, 4, 30)),
    ("year to date", date(2026, 1, 1), CLAIMED),
    ("since 2005", date(2005, 1, 1), CLAIMED),
    ("from May 2024", date(2024, 5, 1), CLAIMED),
    # without its year: the latest that starts on or before the claim's date
    ("in May", date(2026, 5, 1), date(2026, 5, 31)),
    ("Jan-Oct", date(2026, 1, 1), date(2026, 10, 31)),
]


@pytest.mark.parametrize(("text", "start", "end"), RELATIVE)
def test_parse_period_reads_relative_period(
    text: str, start: date | None, end: date | None
) -> None:
    assert parse_period(text, reference=CLAIMED) == Period(start, end, text)


def test_parse_period_counts_last_quarter_back_across_new_year() -> None:
    period = parse_period("last quarter", reference=date(2026, 2, 10))

    assert period == Period(date(2025, 10, 1), date(2025, 12, 31), "last quarter")


def test_parse_period_counts_next_month_across_new_year() -> None:
    period = parse_period("next month", reference=date(2025, 12, 31))

    assert period == Period(date(2026, 1, 1), date(2026, 1, 31), "next month")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("to 2030", None, date(2030, 12, 31)),
        ("by end-2026", None, date(2026, 12, 31)),
        ("since 2005", date(2005, 1, 1), None),
    ],
)
def test_parse_period_leaves_end_open_without_reference(
    text: str, start: date | None, end: date | None
) -> None:
    assert parse_period(text) == Period(start, end, text)


@pytest.mark.parametrize("text", [None, "", "   "])
def test_parse_period_returns_none_without_period(text: str | None) -> None:
    assert parse_period(text, reference=CLAIMED) is None


def test_parse_period_keeps_text_unchanged() -> None:
    period = parse_period("  Jan\u2013Oct 2023 ")

    assert period is not None
    assert period.text == "  Jan\u2013Oct 2023 "


@pytest.mark.parametrize(
    "text",
    [
        "this year",
        "last year",
        "next quarter",
        "by the end of the year",
        "by year end",
        "year to date",
        "as of 1 June",
        "29 February",
    ],
)
def test_parse_period_needs_reference_for_relative_phrase(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text)

    assert caught.value.code == "needs_reference_date"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("sometime soon", "unreadable_period"),
        ("2024-02-30", "unreadable_period"),
        ("2024-13", "unreadable_period"),
        ("Q5 2024", "unreadable_period"),
        ("24", "unreadable_period"),
        ("mid-2026", "unreadable_period"),
        ("29 February", "unreadable_period"),
        ("2025-2024", "inverted_period"),
        ("Oct-Jan 2023", "inverted_period"),
        ("2023-10/2023-01", "inverted_period"),
    ],
)
def test_parse_period_refuses_unreadable_period(text: str, code: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text, reference=CLAIMED)

    assert caught.value.code == code


def test_parse_period_names_text_it_could_not_read() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period("sometime soon")

    assert str(caught.value) == "could not read a period in 'sometime soon'"


# Real periods, copied verbatim from the pages named above each group (the claim's date is
# the page's date where a relative phrase needs one). text, reference, start, end.
REAL: list[tuple[str, date | None, date | None, date | None]] = [
    # https://en.inform.kz/news/kazakhstan-eaeu-trade-turnover-rises-by-more-than-7-tokayev_a4011517/
    ("in January-October this year", date(2022, 12, 9), date(2022, 1, 1), date(2022, 10, 31)),
    # https://menafn.com/1107682129/Tajikistans-Trade-Turnover-With-Central-Asian-Countries-Decreases
    ("in the first 11 months of 2023", None, date(2023, 1, 1), date(2023, 11, 30)),
    ("From January through November of 2023", None, date(2023, 1, 1), date(2023, 11, 30)),
    ("from January through November 2023", None, date(2023, 1, 1), date(2023, 11, 30)),
    # https://jjtv.kz/en/news/business/31742-over-280-investment-projects-worth-1-9-trillion-tenge-to-be-launched-in-kazakhstan-in-2023
    ("since the beginning of the year", date(2023, 5, 29), date(2023, 1, 1), date(2023, 5, 29)),
    # https://astanatimes.com/2023/05/kazakhstan-plans-to-launch-over-280-investment-projects-worth-4-2-billion/
    ("in January-April this year", date(2023, 5, 29), date(2023, 1, 1), date(2023, 4, 30)),
    # https://en.inform.kz/news/kazakhstan-to-commission-280-investment-projects-worth-kzt2trl-this-year_a4081206/
    ("over the past five years", date(2023, 6, 20), date(2018, 1, 1), date(2022, 12, 31)),
    ("in the past five years", date(2023, 6, 20), date(2018, 1, 1), date(2022, 12, 31)),
    # https://jjtv.kz/en/news/business/27321-foreign-direct-investment-in-kazakhstan-rises-by-28
    ("in the first six months of 2022", None, date(2022, 1, 1), date(2022, 6, 30)),
    ("since the start of the year", date(2022, 12, 22), date(2022, 1, 1), date(2022, 12, 22)),
    # https://horasan.kazatomprom.kz/en/sub-news/kazatomprom-1h22-financial-results-and-2024-production-plan
    # (1H22 results, published in 2022: any day of 2022 reads "last year" alike)
    ("1H22", None, date(2022, 1, 1), date(2022, 6, 30)),
    ("1H2022", None, date(2022, 1, 1), date(2022, 6, 30)),
    ("the first half-year ended 30 June 2022", None, date(2022, 1, 1), date(2022, 6, 30)),
    ("the first six months of 2021", None, date(2021, 1, 1), date(2021, 6, 30)),
    ("the first half of last year", date(2022, 8, 31), date(2021, 1, 1), date(2021, 6, 30)),
    # https://1library.net/document/y6egog6n-interim-condensed-consolidated-financial-statements-unaudited-june.html
    ("For the six months period ended 30 June 2021", None, date(2021, 1, 1), date(2021, 6, 30)),
    # https://docslib.org/doc/4975556/joint-stock-company-kazkommertsbank
    ("for the six months ended 30 June 2017", None, date(2017, 1, 1), date(2017, 6, 30)),
    # https://en.trend.az/casia/kazakhstan/3821149.html
    ("first nine months of 2023", None, date(2023, 1, 1), date(2023, 9, 30)),
    ("from January through September 2023", None, date(2023, 1, 1), date(2023, 9, 30)),
    ("in the third quarter of 2023", None, date(2023, 7, 1), date(2023, 9, 30)),
    # https://www.apk-inform.com/en/news/1102314
    ("In 2017/18 MY", None, date(2017, 7, 1), date(2018, 6, 30)),
    ("In the season 2017/18", None, date(2017, 7, 1), date(2018, 6, 30)),
    ("the season-2016/17", None, date(2016, 7, 1), date(2017, 6, 30)),
    # https://www.apk-inform.com/en/news/1521076
    ("over 11 months of 2020/21 MY", None, date(2020, 7, 1), date(2021, 5, 31)),
    ("In July-May of 2020/21 MY", None, date(2020, 7, 1), date(2021, 5, 31)),
    # https://www.azernews.az/region/135141.html
    ("Since the beginning of the year", date(2018, 7, 20), date(2018, 1, 1), date(2018, 7, 20)),
    ("In the 2017-18 season", None, date(2017, 7, 1), date(2018, 6, 30)),
    # https://www.azernews.az/region/217390.html
    ("July 2023 - June 2024", None, date(2023, 7, 1), date(2024, 6, 30)),
    # http://www.blackseagrain.net/novosti/kazakhstan-exported-more-than-1-7-mmt-of-wheat-flour
    ("September 2015 \u2013 May 2016", None, date(2015, 9, 1), date(2016, 5, 31)),
    # https://en.trend.az/casia/uzbekistan/3427878.html
    ("In January-April 2021", None, date(2021, 1, 1), date(2021, 4, 30)),
    # https://kun.uz/en/news/2020/05/22/uzbekistans-gold-export-volume-for-jan-april-announced
    (
        "In the first four months of the current year",
        date(2020, 5, 22),
        date(2020, 1, 1),
        date(2020, 4, 30),
    ),
    # https://www.news18.com/news/business/indias-exports-hit-400-billion-highest-ever-46-mn-exports-done-every-hour-in-fy22-4899467.html
    ("April 2021 to January 2022", None, date(2021, 4, 1), date(2022, 1, 31)),
    ("April 2021-February 2022", None, date(2021, 4, 1), date(2022, 2, 28)),
    # https://orissadiary.com/indias-services-exports-for-the-first-time-achieve-the-targeted-250-billion-during-april-march-2021-22-exhibiting-a-positive-growth-of-21-31-per-cent-over-the-fiscal-2020-21/
    ("April-March 2021-22", None, date(2021, 4, 1), date(2022, 3, 31)),
    # https://www.tbsnews.net/world/south-asia/indias-exports-rise-record-high-4178b-fy22-397586
    ("April-March 2020-21", None, date(2020, 4, 1), date(2021, 3, 31)),
    # https://www.finanznachrichten.de/nachrichten-2022-11/57477035-heidelberg-materials-9-month-revenue-up-13-020.htm
    # (Heidelberg Materials' fiscal year is the calendar year)
    ("FY22", None, date(2022, 1, 1), date(2022, 12, 31)),
    ("In the third quarter of 2022", None, date(2022, 7, 1), date(2022, 9, 30)),
    # https://tass.com/economy/1551141
    ("Q3 2022", None, date(2022, 7, 1), date(2022, 9, 30)),
    ("3Q 2022", None, date(2022, 7, 1), date(2022, 9, 30)),
    # https://reportify.ai/filings/932565745739632640
    ("the nine months ended September 30, 2022", None, date(2022, 1, 1), date(2022, 9, 30)),
    # https://www.marketscreener.com/quote/stock/SCHINDLER-HOLDING-AG-175296/news/Initial-recovery-in-revenue-and-profitability-order-intake-under-pressure-42043122/
    ("In the first nine months of 2022", None, date(2022, 1, 1), date(2022, 9, 30)),
    # https://reportify.ai/financials/947602823397380096
    ("the first three quarters of 2022", None, date(2022, 1, 1), date(2022, 9, 30)),
    # https://en.inform.kz/news/rail-transit-traffic-up-32-in-kazakhstan_a3816413/
    ("in the first half-year of 2021", None, date(2021, 1, 1), date(2021, 6, 30)),
    ("by the yearend", date(2021, 7, 26), date(2021, 7, 26), date(2021, 12, 31)),
    ("by 2025", date(2021, 7, 26), date(2021, 7, 26), date(2025, 12, 31)),
    # https://en.inform.kz/news/cargo-turnover-of-kazakhstan-railways-increases-in-1h18_a3340503/
    ("for January-June this year", date(2018, 8, 1), date(2018, 1, 1), date(2018, 6, 30)),
    ("the first half of the year", date(2018, 8, 1), date(2018, 1, 1), date(2018, 6, 30)),
    ("by the end of this year", date(2018, 8, 1), date(2018, 8, 1), date(2018, 12, 31)),
    # https://en.inform.kz/news/container-transportations-via-kazakhstan-increased-by-49_a3460218/
    ("In 10 months of 2018", None, date(2018, 1, 1), date(2018, 10, 31)),
    ("in Jan-Oct 2018", None, date(2018, 1, 1), date(2018, 10, 31)),
    # https://en.inform.kz/amp/kazakhstan-increases-export-by-rail-to-china-russia_a3071298/
    (
        "over the first nine months of this year",
        date(2017, 10, 3),
        date(2017, 1, 1),
        date(2017, 9, 30),
    ),
    ("Over the nine months of 2017", None, date(2017, 1, 1), date(2017, 9, 30)),
    ("In January-September 2017", None, date(2017, 1, 1), date(2017, 9, 30)),
    # https://interfax.com/newsroom/top-stories/62719/
    ("in January-September 2010", None, date(2010, 1, 1), date(2010, 9, 30)),
    # https://www.minesandmetals.com/2020/10/kaz-minerals-reports-solid-q3-and-9m-2020-production-results/
    ("9M 2020", None, date(2020, 1, 1), date(2020, 9, 30)),
    # https://www.finanznachrichten.de/nachrichten-2020-04/49523816-kaz-minerals-q1-copper-gold-production-up-backs-fy20-production-view-020.htm
    # (KAZ Minerals' fiscal year is the calendar year)
    ("For fiscal 2020", None, date(2020, 1, 1), date(2020, 12, 31)),
    # https://world-grain.com/articles/13664-kazakhstan-wheat-output-to-bounce-back-from-drought
    ("the 2020-21 marketing year", None, date(2020, 7, 1), date(2021, 6, 30)),
    # https://fas.usda.gov./data/kazakhstan-grain-and-feed-update-0
    ("the 2014/15 marketing year", None, date(2014, 7, 1), date(2015, 6, 30)),
    # https://brecorder.com/news/amp/4298562
    ("the 2013/14 marketing year", None, date(2013, 7, 1), date(2014, 6, 30)),
    # https://qazaqtv.com/amp/en/news/business/16065-trade-turnover-between-kazakhstan-and-uzbekistan-reaches-us-3-billion-over-10-months-of-2021
    ("over 10 months of 2021", None, date(2021, 1, 1), date(2021, 10, 31)),
    ("over 10 months of this year", date(2021, 12, 29), date(2021, 1, 1), date(2021, 10, 31)),
    ("since the beginning of the year", date(2021, 12, 29), date(2021, 1, 1), date(2021, 12, 29)),
    # https://thecentral.asia/kz/731
    ("the first seven months of 2024", None, date(2024, 1, 1), date(2024, 7, 31)),
    ("From January to July 2024", None, date(2024, 1, 1), date(2024, 7, 31)),
    # https://vdocuments.net/2q-2021-results-irkaspikz.html
    ("1H21", None, date(2021, 1, 1), date(2021, 6, 30)),
    ("2Q\u201921", None, date(2021, 4, 1), date(2021, 6, 30)),
    ("1H\u201920", None, date(2020, 1, 1), date(2020, 6, 30)),
    ("4Q\u201920", None, date(2020, 10, 1), date(2020, 12, 31)),
    ("2Q 2021", None, date(2021, 4, 1), date(2021, 6, 30)),
    # https://fdocuments.in/document/halyk-group-financial-results-presentation-1h-2011-on-managementascurrent-expectations.html
    ("12M 2017", None, date(2017, 1, 1), date(2017, 12, 31)),
    ("4Q 2017", None, date(2017, 10, 1), date(2017, 12, 31)),
    ("1H 2011", None, date(2011, 1, 1), date(2011, 6, 30)),
    # https://www.candriam.com/en-dk/professional/insight-overview/publications/videos-webcasts/podcasts2/h2-2020-economic-outlook-there-will-be-no-return-to-normal2/
    ("H2 2020", None, date(2020, 7, 1), date(2020, 12, 31)),
    # https://thefinance.sg/2020/05/09/will-the-market-crash-in-the-second-half-of-2020-what-will-global-demand-look-like/
    ("the second half of 2020", None, date(2020, 7, 1), date(2020, 12, 31)),
    # https://astanatimes.com/2024/07/kazakhstan-exports-2-6-million-tons-of-grain-in-five-months-of-2024/
    ("in January-May this year", date(2024, 7, 16), date(2024, 1, 1), date(2024, 5, 31)),
    ("in the first five months of 2023", None, date(2023, 1, 1), date(2023, 5, 31)),
    # https://ccf2up.com/recovery-from-production-decline-in-kazakhstan/
    ("11m 2023", None, date(2023, 1, 1), date(2023, 11, 30)),
    ("from January to November 2023", None, date(2023, 1, 1), date(2023, 11, 30)),
    # https://menafn.com/1106993905/Kazakhstan-China-Eye-Boosting-Bilateral-Trade-By-2030
    ("Over the first half of 2023", None, date(2023, 1, 1), date(2023, 6, 30)),
    ("last year", date(2023, 8, 31), date(2022, 1, 1), date(2022, 12, 31)),
]


@pytest.mark.parametrize(("text", "reference", "start", "end"), REAL)
def test_parse_period_reads_real_period(
    text: str, reference: date | None, start: date | None, end: date | None
) -> None:
    assert parse_period(text, reference=reference) == Period(start, end, text)


# Real periods that are refused because the page does not say which year it means.
REAL_AMBIGUOUS: list[str] = [
    # https://www.azernews.az/region/135141.html
    "in 2018-19",
    # http://www.blackseagrain.net/novosti/kazakhstan-exported-more-than-1-7-mmt-of-wheat-flour
    # (its flour year runs September to May: a July-June reading would be wrong)
    "In 2015/16",
    # https://www.world-grain.com/articles/12440-kazakhstans-grain-production-to-stay-flat?v=preview
    "for 2019-20",
    # https://world-grain.com/articles/20368-kazakhstan-to-produce-more-wheat-challenges-remain
    "in 2024-25",
    # https://nogger-noggersblog.blogspot.com/2010/09/kazakh-harvest-not-as-bad-as-feared-say.html
    "in 2010/11",
    # https://www.news18.com/news/business/indias-exports-hit-400-billion-highest-ever-46-mn-exports-done-every-hour-in-fy22-4899467.html
    "FY2020-21",
    # https://www.tbsnews.net/world/south-asia/indias-exports-rise-record-high-4178b-fy22-397586
    "FY2021-22",
    # https://orissadiary.com/india-achieves-an-all-time-high-annual-merchandise-exports-touching-usd-417-81-billion-in-fy-2021-22-an-increase-of-43-18-over-usd-291-81-billion-in-previous-fiscal/
    "FY 2021-22",
    # https://www.sharesansar.com/newsdetail/indias-exports-rise-to-record-high-of-4178-billion-usd-in-fy22-2022-04-03
    "2021-22 fiscal year",
]


@pytest.mark.parametrize("text", REAL_AMBIGUOUS)
def test_parse_period_refuses_real_period_with_two_readings(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text, reference=CLAIMED)

    assert caught.value.code == "ambiguous_period"


@pytest.mark.parametrize(
    "text", ["2024 YTD", "YTD 2024", "in 2024 so far", "so far in 2024", "2024 year-to-date"]
)
def test_parse_period_reads_the_year_to_date_of_a_year_named(text: str) -> None:
    period = parse_period(text, reference=date(2024, 6, 1))
    assert period is not None
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 6, 1))


def test_parse_period_refuses_the_year_to_date_of_a_year_said_after_it() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period("2023 YTD", reference=date(2024, 6, 1))
    assert caught.value.code == "ambiguous_period"


def test_parse_period_needs_the_date_said_for_the_year_to_date_of_a_year() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period("in 2024 so far")
    assert caught.value.code == "needs_reference_date"


@pytest.mark.parametrize(
    "text",
    [
        "the 2021-2025 period",
        "the period 2021-2025",
        "for the period 2021-2025",
        "2021-2025 period",
    ],
)
def test_parse_period_reads_a_period_named_beside_the_word_period(text: str) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.start, period.end) == (date(2021, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize("text", ["the period", "the same period", "the reporting period"])
def test_parse_period_finds_no_period_in_the_word_period_alone(text: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_period(text)
    assert caught.value.code == "unreadable_period"


@pytest.mark.parametrize(
    ("text", "from_said"),
    [
        ("to 2030", True),
        ("by the end of next year", True),
        ("before 2030", True),
        ("by 2020", False),  # said after it: no start at all
        ("2026", False),
        ("the next 12 months", False),
        ("since 2020", False),
    ],
)
def test_a_deadline_says_its_start_is_the_day_said(text: str, from_said: bool) -> None:
    period = parse_period(text, reference=date(2026, 5, 28))
    assert period is not None
    assert period.from_said is from_said
