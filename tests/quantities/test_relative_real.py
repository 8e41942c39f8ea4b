"""Hedges, ranges and relative figures as real pages write them (Central Asian trade, transport,
energy and prices), copied verbatim, each under the address of its page; the figure read as
the page meant it, or refused with the code that says why."""

from decimal import Decimal

import pytest

from app.quantities import Bound, FigureType, QuantityError, parse_quantity

LEVEL, CHANGE = FigureType.LEVEL, FigureType.CHANGE
MULTIPLE, SHARE = FigureType.MULTIPLE, FigureType.SHARE
EXACT, APPROX, RANGE = Bound.EXACT, Bound.APPROX, Bound.RANGE
MORE_THAN, LESS_THAN, AT_MOST = Bound.MORE_THAN, Bound.LESS_THAN, Bound.AT_MOST

B, M = "000000000", "000000"  # billion, million: the zeros of a value in its unit

# text as written, figure type, value, unit, bound, low, high (None: unbounded)
READ: list[tuple[str, FigureType, str, str, Bound, str | None, str | None]] = [
    # https://www.azernews.az/region/155956.html
    ("has grown by 73.5 percent", CHANGE, "73.5", "percent", EXACT, "73.45", "73.55"),
    (
        "reached more than $1.9 billion",
        LEVEL,
        "19" + "0" * 8,
        "USD",
        MORE_THAN,
        "19" + "0" * 8,
        None,
    ),
    # http://www.xebersaati.com/news/114439-turkey-kazakhstan-eye-to-increase-trade-turnover-erdogan/
    ("up to $5 billion", LEVEL, "5" + B, "USD", AT_MOST, None, "5" + B),
    # https://en.inform.kz/news/expo-2017-boosts-retail-trade-in-astana_a3050348/
    ("grew by 37%", CHANGE, "37", "percent", EXACT, "36.5", "37.5"),
    ("increased 15%", CHANGE, "15", "percent", EXACT, "14.5", "15.5"),
    (
        "nearly 4 trillion tenge",
        LEVEL,
        "4" + "0" * 12,
        "KZT",
        APPROX,
        "38" + "0" * 11,
        "4" + "0" * 12,
    ),
    ("15 percent increase", CHANGE, "15", "percent", EXACT, "14.5", "15.5"),
    ("22 percent higher", CHANGE, "22", "percent", EXACT, "21.5", "22.5"),
    ("risen 37pct", CHANGE, "37", "percent", EXACT, "36.5", "37.5"),
    ("increasing 44%", CHANGE, "44", "percent", EXACT, "43.5", "44.5"),
    ("grown by 50pct", CHANGE, "50", "percent", EXACT, "49.5", "50.5"),
    ("expanded by 16%", CHANGE, "16", "percent", EXACT, "15.5", "16.5"),
    # https://en.vestikavkaza.ru/news/Kazakhstan-and-China-to-increase-cargo-turnover-by-23.html
    ("up to 9 million tons", LEVEL, "9" + M, "t", AT_MOST, None, "9" + M),
    ("23% more", CHANGE, "23", "percent", EXACT, "22.5", "23.5"),
    # https://en.trend.az/casia/kazakhstan/3901538.html
    ("5.3 percent decrease", CHANGE, "-5.3", "percent", EXACT, "-5.35", "-5.25"),
    ("16.4 percent less", CHANGE, "-16.4", "percent", EXACT, "-16.45", "-16.35"),
    ("increased 27 percent", CHANGE, "27", "percent", EXACT, "26.5", "27.5"),
    # https://www.azernews.az/region/141437.html
    ("about $1 billion", LEVEL, "1" + B, "USD", APPROX, "500" + M, "1500" + M),
    ("rose by 25 percent", CHANGE, "25", "percent", EXACT, "24.5", "25.5"),
    ("increased by 56.4 percent year-on-year", CHANGE, "56.4", "percent", EXACT, "56.35", "56.45"),
    ("increased twice", MULTIPLE, "2", "factor", EXACT, "1.5", "2.5"),
    ("rose by 1.5 times", MULTIPLE, "1.5", "factor", EXACT, "1.45", "1.55"),
    # https://www.centralbanking.com/central-banking/news/1420867/kazakhstan-raises-rates-200-basis
    ("200 basis points", CHANGE, "2", "pp", EXACT, "1.995", "2.005"),
    ("two percentage points", CHANGE, "2", "pp", EXACT, "1.5", "2.5"),
    # https://www.nationalbank.kz/en/news/press-relizy/8801
    ("31-36.5 US dollars", LEVEL, "33.75", "USD", RANGE, "31", "36.5"),
    # https://one.uz/en/news/world/28606-gazprom-increases-gas-exports-to-central-asia.html
    (
        "around 19-20 billion cubic meters",
        LEVEL,
        "195" + "0" * 8,
        "m3",
        RANGE,
        "1805" + "0" * 7,
        "21" + B,
    ),
    ("more than twofold", MULTIPLE, "2", "factor", MORE_THAN, "2", None),
    # https://nzherald.co.nz/business/turkmenistan-to-increase-gas-imports-to-china/2ALXHHWL7NSANBZXZABXZT5QQM
    ("more than double", MULTIPLE, "2", "factor", MORE_THAN, "2", None),
    # https://www.intellinews.com/annual-inflation-in-uzbekistan-drops-0-8-pp-to-8-in-september-404408/?source=bne-credit
    ("rose 0.6% m/m", CHANGE, "0.6", "percent", EXACT, "0.55", "0.65"),
    ("surged more than 30% y/y", CHANGE, "30", "percent", MORE_THAN, "30", None),
    ("fell 1% m/m", CHANGE, "-1", "percent", EXACT, "-1.5", "-0.5"),
    # https://www.gazeta.uz/en/2023/05/01/inflation/
    ("up 11% from a year earlier", CHANGE, "11", "percent", EXACT, "10.5", "11.5"),
    # https://intellinews.com/headline-inflation-in-uzbekistan-recorded-at-12-month-low-of-10-4-y-y-in-may-280408
    ("up by almost 17%", CHANGE, "17", "percent", APPROX, "16.15", "17"),
    # https://www.intellinews.com/uzbekistan-enjoying-lowest-annual-inflation-since-august-2016-306254
    ("declined by more than 40%", CHANGE, "-40", "percent", LESS_THAN, None, "-40"),
    # https://www.intellinews.com/inflation-perceptions-in-uzbekistan-at-lowest-level-since-march-2022-284688
    ("more than tripled", MULTIPLE, "3", "factor", MORE_THAN, "3", None),
    ("around $4.6bn", LEVEL, "46" + "0" * 8, "USD", APPROX, "4370" + M, "4830" + M),
    # https://silkwaytv.kz/en/central-asian-countries-set-to-increase-intra-regional-trade-to-15-billion_45037
    ("doubled", MULTIPLE, "2", "factor", EXACT, "1.9", "2.1"),
    ("grew by nearly 25 percent", CHANGE, "25", "percent", APPROX, "23.75", "25"),
    ("rising by almost a third", CHANGE, "33.33", "percent", APPROX, "31.6635", "33.33"),
    ("fivefold", MULTIPLE, "5", "factor", EXACT, "4.5", "5.5"),
    # https://old.qazaqtv.com/en/view/central_asia/page_195692_central-asia-economic-cooperation
    ("27 per cent higher", CHANGE, "27", "percent", EXACT, "26.5", "27.5"),
    ("almost US$106 million", LEVEL, "106" + M, "USD", APPROX, "100700000", "106" + M),
    (
        "over 40 per cent of flour produced in Akmola region",
        SHARE,
        "40",
        "percent",
        MORE_THAN,
        "40",
        None,
    ),
    ("up to 80 tonnes", LEVEL, "80", "t", AT_MOST, None, "80"),
    # https://politik.uz/en/economics/incomplete-trade-expansion-why-central-asian-countries-must-diversify-and-what-stands-in-their-way
    ("65.4% of all regional deliveries", SHARE, "65.4", "percent", EXACT, "65.35", "65.45"),
    # http://factsanddetails.com/central-asia/Kazakhstan/sub8_4e/entry-4676.html
    ("two thirds of the crude reserves", SHARE, "66.67", "percent", EXACT, "63.3365", "70.0035"),
    # https://en.inform.kz/news/rail-transit-traffic-up-32-in-kazakhstan_a3816413/
    ("32% more", CHANGE, "32", "percent", EXACT, "31.5", "32.5"),
    ("rising by 36%", CHANGE, "36", "percent", EXACT, "35.5", "36.5"),
    ("a 44% rise", CHANGE, "44", "percent", EXACT, "43.5", "44.5"),
    ("around one million", LEVEL, "1" + M, "count", APPROX, "500000", "1500000"),
    # https://astanatimes.com/2023/04/kazakhstan-china-freight-turnover-reaches-all-time-high-in-2022/
    ("more than a 30 percent increase", CHANGE, "30", "percent", MORE_THAN, "30", None),
    ("grew by 53 percent", CHANGE, "53", "percent", EXACT, "52.5", "53.5"),
    ("tripled", MULTIPLE, "3", "factor", EXACT, "2.85", "3.15"),
    ("increased by 35 percent", CHANGE, "35", "percent", EXACT, "34.5", "35.5"),
    # https://newsline.kz/article/1095383/
    ("up 5.2% on the year before", CHANGE, "5.2", "percent", EXACT, "5.15", "5.25"),
    # https://en.inform.kz/amp/kazakhstan-increases-export-by-rail-to-china-russia_a3071298/
    ("62% more", CHANGE, "62", "percent", EXACT, "61.5", "62.5"),
    ("An 85% increase", CHANGE, "85", "percent", EXACT, "84.5", "85.5"),
    ("grew 1.6 times", MULTIPLE, "1.6", "factor", EXACT, "1.55", "1.65"),
    # https://en.inform.kz/news/transit-traffic-via-kazakhstan-stands-at-around-11mln-tons-in-2024-ef40c6/
    ("up 1% compared to last year", CHANGE, "1", "percent", EXACT, "0.5", "1.5"),
    ("increasing by 50%", CHANGE, "50", "percent", EXACT, "49.5", "50.5"),
    ("a 11% rise", CHANGE, "11", "percent", EXACT, "10.5", "11.5"),
    # https://asiaplus.news/?p=296628
    ("decreased by almost 40%", CHANGE, "-40", "percent", APPROX, "-40", "-38"),
    ("almost 15% less", CHANGE, "-15", "percent", APPROX, "-15", "-14.25"),
    ("decreased by 57%", CHANGE, "-57", "percent", EXACT, "-57.5", "-56.5"),
    # http://www.news.tj/ru/node/257282
    ("increased by 7 percent", CHANGE, "7", "percent", EXACT, "6.5", "7.5"),
    ("some 90 million US dollars", LEVEL, "90" + M, "USD", APPROX, "85500000", "94500000"),
    (
        "more than 600 million U.S. dollars more",
        CHANGE,
        "600" + M,
        "USD",
        MORE_THAN,
        "600" + M,
        None,
    ),
    ("651 million U.S. dollars more", CHANGE, "651" + M, "USD", EXACT, "650500000", "651500000"),
    # https://asiaplustj.info/en/news/tajikistan/society/20190926/remittance-flows-to-tajikistan-continue-decreasing-despite-rising-labor-migration
    ("4.2 percent fewer", CHANGE, "-4.2", "percent", EXACT, "-4.25", "-4.15"),
    ("11 percent increase", CHANGE, "11", "percent", EXACT, "10.5", "11.5"),
    ("17 percent decrease", CHANGE, "-17", "percent", EXACT, "-17.5", "-16.5"),
    ("36 percent of all economic output", SHARE, "36", "percent", EXACT, "35.5", "36.5"),
    ("26 percent more", CHANGE, "26", "percent", EXACT, "25.5", "26.5"),
    # https://en.trend.az/casia/kyrgyzstan/2918380.html
    ("$84.5 million more", CHANGE, "84500000", "USD", EXACT, "84450000", "84550000"),
    (
        "about 95 percent of the total value of funds",
        SHARE,
        "95",
        "percent",
        APPROX,
        "90.25",
        "99.75",
    ),
    ("about 30,000-50,000", LEVEL, "40000", "count", RANGE, "28500", "52500"),
    # https://kazakhstannewsgazette.com/ministry-of-energy-expects-oil-production-at-kashagan-to-reach-7-million-tons-in-2017/
    ("from 4 to 7 million tons", LEVEL, "5500000", "t", RANGE, "4" + M, "7" + M),
    # https://kz.kursiv.media/en/2021-12-28/oil-production-kazakhstan-reaches-857-million-tons/
    ("about 11-12 million tons", LEVEL, "11500000", "t", RANGE, "10450000", "12600000"),
    # https://astanatimes.com/2023/06/kazakhstans-oil-output-to-go-up-7-to-90-5-million-tons-in-2023/
    ("7% more", CHANGE, "7", "percent", EXACT, "6.5", "7.5"),
    # https://silkwaytv.kz/en/major-investment-projects-underway-in-kazakhstan
    ("at least 700 million cubic meters", LEVEL, "700" + M, "m3", Bound.AT_LEAST, "700" + M, None),
    # https://en.trend.az/business/3976019.html
    ("nearly $25 billion", LEVEL, "25" + B, "USD", APPROX, "2375" + "0" * 7, "25" + B),
    (
        "nearly half of all foreign-invested enterprises",
        SHARE,
        "50",
        "percent",
        APPROX,
        "47.5",
        "50",
    ),
    ("exceeding $6 billion", LEVEL, "6" + B, "USD", MORE_THAN, "6" + B, None),
    # https://astanatimes.com/2023/05/kazakhstan-plans-to-launch-over-280-investment-projects-worth-4-2-billion/
    ("more than 280", LEVEL, "280", "count", MORE_THAN, "280", None),
    ("18% more", CHANGE, "18", "percent", EXACT, "17.5", "18.5"),
    # https://www.timesca.com/index.php/news/16673-kazakhstan-redirecting-foreign-investments-to-processing-industries
    ("around $237 million", LEVEL, "237" + M, "USD", APPROX, "225150000", "248850000"),
]


@pytest.mark.parametrize(("text", "kind", "value", "unit", "bound", "low", "high"), READ)
def test_parse_quantity_reads_real_hedges_ranges_and_relative_figures(
    text: str,
    kind: FigureType,
    value: str,
    unit: str,
    bound: Bound,
    low: str | None,
    high: str | None,
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.figure_type, quantity.value, quantity.unit) == (kind, Decimal(value), unit)
    assert quantity.bound is bound
    assert quantity.low == (None if low is None else Decimal(low))
    assert quantity.high == (None if high is None else Decimal(high))


REFUSED: list[tuple[str, str]] = [
    # https://astanatimes.com/2022/12/national-bank-raises-base-rate-to-nearly-17-percent/
    ("grew from 9.75 percent to 10.25 percent", "two_levels"),
    # https://nzherald.co.nz/business/turkmenistan-to-increase-gas-imports-to-china/2ALXHHWL7NSANBZXZABXZT5QQM
    ("up from 25 billion cubic meters", "two_levels"),
    # https://www.azernews.az/region/222253.html
    ("fell by 0.2 percentage points to 10.8%", "two_figures"),
    # https://one.uz/en/news/world/28606-gazprom-increases-gas-exports-to-central-asia.html
    ("decreased nearly fivefold", "ambiguous_multiple"),
    # https://intellinews.com/headline-inflation-in-uzbekistan-recorded-at-12-month-low-of-10-4-y-y-in-may-280408
    ("twice as low", "ambiguous_multiple"),
    # https://en.inform.kz/news/rail-transit-traffic-up-32-in-kazakhstan_a3816413/
    ("3.6-time more", "ambiguous_multiple"),
    # https://nationalbank.kz/en/page/bazovaya-stavka-dkp-functions
    ("8 times a year", "counts_events"),
]


@pytest.mark.parametrize(("text", "code"), REFUSED)
def test_parse_quantity_refuses_real_figures_it_cannot_read_as_one(text: str, code: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert caught.value.code == code


def test_a_real_signed_change_of_a_money_metric_is_a_change() -> None:
    # https://en.inform.kz/news/expo-2017-boosts-retail-trade-in-astana_a3050348/
    quantity = parse_quantity("plus 13pct", default_unit="KZT")

    assert (quantity.figure_type, quantity.value, quantity.unit) == (CHANGE, Decimal(13), "percent")
