"""Currencies as the region writes them: spellings, a sign with a code, and what is refused."""

from decimal import Decimal

import pytest

from app.quantities import QuantityError, canonical_unit, convert, parse_quantity, parse_value

D = Decimal


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("tenge", "KZT"),
        ("tenges", "KZT"),
        ("KZT", "KZT"),
        ("₸", "KZT"),
        ("Kazakhstani tenge", "KZT"),
        ("тенге", "KZT"),
        ("som", "KGS"),
        ("soms", "KGS"),
        ("Som", "KGS"),
        ("KGS", "KGS"),
        ("сом", "KGS"),
        ("Kyrgyz som", "KGS"),
        ("somoni", "TJS"),
        ("TJS", "TJS"),
        ("Tajik somoni", "TJS"),
        ("sum", "UZS"),
        ("soum", "UZS"),
        ("soums", "UZS"),
        ("so'm", "UZS"),
        ("so’m", "UZS"),
        ("soʻm", "UZS"),
        ("UZS", "UZS"),
        ("Uzbek som", "UZS"),
        ("Uzbekistani som", "UZS"),
        ("Turkmen manat", "TMT"),
        ("Turkmen manats", "TMT"),
        ("TMT", "TMT"),
        ("Azerbaijani manat", "AZN"),
        ("AZN", "AZN"),
        ("₼", "AZN"),
        ("yuan", "CNY"),
        ("renminbi", "CNY"),
        ("RMB", "CNY"),
        ("CNY", "CNY"),
        ("CN¥", "CNY"),
        ("yen", "JPY"),
        ("JPY", "JPY"),
        ("JP¥", "JPY"),
        ("roubles", "RUB"),
        ("Russian rubles", "RUB"),
        ("₽", "RUB"),
        ("euro", "EUR"),
        ("€", "EUR"),
        ("GBP", "GBP"),
        ("£", "GBP"),
        ("pounds sterling", "GBP"),
        ("U.S. dollars", "USD"),
        ("US$", "USD"),
        ("dollars", "USD"),
        ("C$", "CAD"),
        ("A$", "AUD"),
        ("HK$", "HKD"),
        ("S$", "SGD"),
        ("NZ$", "NZD"),
        ("Singapore dollars", "SGD"),
    ],
)
def test_canonical_unit_reads_currency_spelling(spelling: str, code: str) -> None:
    assert canonical_unit(spelling) == (code, "money")


# A sign and a code, a code before or after the number, a code in brackets: one currency.
@pytest.mark.parametrize(
    ("text", "value", "code"),
    [
        ("$5 billion USD", "5000000000", "USD"),
        ("$5 billion (USD)", "5000000000", "USD"),
        ("5 billion (USD)", "5000000000", "USD"),
        ("US$ 5bn", "5000000000", "USD"),
        ("USD 5 billion", "5000000000", "USD"),
        ("5 billion USD", "5000000000", "USD"),
        ("$5 billion CAD", "5000000000", "CAD"),
        ("C$5 billion dollars", "5000000000", "CAD"),
        ("A$5bn", "5000000000", "AUD"),
        ("S$5 billion dollars", "5000000000", "SGD"),
        ("HK$ 5 billion Hong Kong dollars", "5000000000", "HKD"),
        ("NZ$5bn", "5000000000", "NZD"),
        ("$5bn to US$7bn", "6000000000", "USD"),
        ("£5bn pounds", "5000000000", "GBP"),
        ("¥5 billion CNY", "5000000000", "CNY"),
        ("¥5bn JPY", "5000000000", "JPY"),
        ("¥5 billion to 7 billion yen", "6000000000", "JPY"),
        ("5 billion so'm", "5000000000", "UZS"),
    ],
)
def test_parse_quantity_reads_sign_and_code_as_one_currency(
    text: str, value: str, code: str
) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.dimension) == (D(value), code, "money")


@pytest.mark.parametrize(
    ("text", "default_unit", "code"),
    [
        ("¥5 billion", "CNY", "CNY"),
        ("¥5 billion", "JPY", "JPY"),
        ("5 billion manat", "AZN", "AZN"),
        ("5 billion manats", "TMT", "TMT"),
        ("700 million pounds", "GBP", "GBP"),
        ("¥5 billion a year", "CNY/yr", "CNY/yr"),
        # what is written wins over the metric's unit: "$" alone is the US dollar
        ("$5 billion", "CAD", "USD"),
    ],
)
def test_parse_quantity_settles_shared_spelling_by_metric_unit(
    text: str, default_unit: str, code: str
) -> None:
    assert parse_quantity(text, default_unit=default_unit).unit == code


MANAT = "'manat' is the currency of both Azerbaijan (AZN) and Turkmenistan (TMT): write AZN or TMT"
YEN_YUAN = (
    "'¥' is the sign of both the Japanese yen (JPY) and the Chinese yuan (CNY): write JPY or CNY"
)
POUNDS = (
    "'pounds' could be pounds sterling (GBP), another country's pound or a weight: write GBP or £"
)


@pytest.mark.parametrize(
    ("text", "default_unit", "message"),
    [
        ("¥5 billion", None, YEN_YUAN),
        ("¥5bn-¥7bn", None, YEN_YUAN),
        ("¥5 billion", "USD", YEN_YUAN),
        ("5 billion manat", None, MANAT),
        ("5 billion manat", "KZT", MANAT),
        ("5 pounds", None, POUNDS),
    ],
)
def test_parse_quantity_refuses_shared_spelling_nothing_settles(
    text: str, default_unit: str | None, message: str
) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text, default_unit=default_unit)

    assert (caught.value.code, caught.value.message) == ("ambiguous_unit", f"{message} ('{text}')")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("C$5 billion USD", "'C$5 billion USD' names two units: CAD and USD"),
        ("$5 billion EUR", "'$5 billion EUR' names two units: USD and EUR"),
        ("€5 billion (USD)", "'€5 billion (USD)' names two units: EUR and USD"),
        ("5 billion tenge (USD)", "'5 billion tenge (USD)' names two units: KZT and USD"),
    ],
)
def test_parse_quantity_refuses_two_currencies_in_one_figure(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)

    assert (caught.value.code, caught.value.message) == ("mixed_units", message)


def test_parse_value_refuses_shared_spelling_as_unit() -> None:
    with pytest.raises(QuantityError) as caught:
        parse_value(5, "bn manat")

    assert (caught.value.code, caught.value.message) == ("ambiguous_unit", f"{MANAT} ('bn manat')")


@pytest.mark.parametrize(("source", "target"), [("KZT", "USD"), ("tenge", "som"), ("₼", "TMT")])
def test_convert_never_converts_between_currencies(source: str, target: str) -> None:
    with pytest.raises(QuantityError) as caught:
        convert(D(1), source, target)

    assert caught.value.code == "incompatible_units"


# Real figures, verbatim, from the pages named; the reading as the page meant it.
REAL: list[tuple[str, str, str]] = [
    # https://astanatimes.com/2024/06/nearly-ten-million-foreign-tourists-visit-kazakhstan-in-2023/
    ("450 billion tenge", "450000000000", "KZT"),
    ("US$1 billion", "1000000000", "USD"),
    ("US$143.4 million", "143400000", "USD"),
    # https://caliber.az/en/post/russia-kazakhstan-bilateral-trade-grows-amid-west-s-sanctions-on-moscow
    ("2 trillion Russian rubles", "2000000000000", "RUB"),
    ("13 trillion tenges", "13000000000000", "KZT"),
    ("716 billion rubles", "716000000000", "RUB"),
    # https://en.inform.kz/news/ebrd-considers-lending-more-than-usd-200-mln-to-kazakhstan-for-road-reconstruction_a2815390/
    ("USD 243 million", "243000000", "USD"),
    ("USD 200 mln", "200000000", "USD"),
    # https://finchannel.com/ebrd-helps-kazakh-city-of-petropavlovsk-upgrade-water-supply/51504/business-2/2015/10/
    ("US$ 7 billion", "7000000000", "USD"),
    # http://eurasiatx.com/ (EDB to invest in Kazakhstan in 2016)
    ("US $128.2 million", "128200000", "USD"),
    # https://en.inform.kz/news/w-kazakhstan-to-build-2-new-water-reservoirs_a3876176/
    ("KZT 2.6 bln", "2600000000", "KZT"),
    # https://www.nbkr.kg/printver.jsp?item=2025&lang=ENG&material=22268
    ("Som 47.1244", "47.1244", "KGS"),
    ("USD 46.70 mln", "46700000", "USD"),
    # https://24.kg/english/355673_Consolidated_Kyrgyzstans_budget_for_2026_planned_to_exceed_843_billion_soms/
    ("843 billion soms", "843000000000", "KGS"),
    ("400 million soms", "400000000", "KGS"),
    # http://easttime.info/category/news-country/central-asia/tajikistan?page=7
    ("TJS1.7 billion", "1700000000", "TJS"),
    ("TJS200 million", "200000000", "TJS"),
    # https://eng.khovar.tj/2023/08/more-than-18-6-billion-somoni-was-sent-to-the-economic-spheres-of-tajikistan
    ("18.6 Billion Somoni", "18600000000", "TJS"),
    ("964.3 million somoni", "964300000", "TJS"),
    # https://en.trend.az/casia/uzbekistan/3989935.html
    ("11.1 trillion soums", "11100000000000", "UZS"),
    # https://iboratop.uz/?page=3&q=amount
    ("312,921 billion UZS", "312921000000000", "UZS"),
    # https://m.kun.uz/en/news/2019/10/07/central-bank-establishes-new-exchange-rates-of-foreign-currencies-against-uzbek-soum
    ("9,433.34 soums", "9433.34", "UZS"),
    # http://www.timesca.com/index.php/news/17320-turkmenistan-s-state-budget-almost-halved-in-us-dollars-in-two-years
    ("102.478 billion Turkmen manats", "102478000000", "TMT"),
    # https://www.investopedia.com/terms/t/turkmenistan-manat-tmt.asp
    ("3.5 TMT", "3.5", "TMT"),
    # https://turkmenistannewsgazette.com/azerbaijan-unveils-revenues-and-expenses-of-2023-state-budget
    ("AZN 35,236.4 million", "35236400000", "AZN"),
    # https://wealthradar360.com/?p=1554
    ("75.11 billion yuan", "75110000000", "CNY"),
    ("US $10.7 billion", "10700000000", "USD"),
    # https://newscentralasia.net/?p=39089
    ("50.25 billion U.S. dollars", "50250000000", "USD"),
    # https://asiaplus.news/en/news/centralasia/20151026/japan-s-pm-pledges-12-billion-uzbekistan
    # (Japanese aid to Uzbekistan: "¥" is the yen here, not the yuan)
    ("¥55.9 million yen", "55900000", "JPY"),
    # https://jamestown.org/program/japanese-lending-targets-infrastructure-programs/
    ("15.5 billion yen", "15500000000", "JPY"),
    # https://www.clecat.org/news/newsletters/global-gateway-ec-to-invest-10-billion-in-trans-ca
    ("€1.47 billion", "1470000000", "EUR"),
    # http://www.railwaypro.com/wp/10-billion-euros-for-asia-europe-connectivity/
    ("EUR 10 billion", "10000000000", "EUR"),
    ("10 billion euros", "10000000000", "EUR"),
    # https://ndtv.com/world-news/uk-signs-163-3-billion-in-trade-deals-with-kazakhstan-1239799
    ("£3 billion", "3000000000", "GBP"),
    # https://www.scmp.com/article/245547/long-traditional-business-link-hong-kong
    ("S$6.5 billion", "6500000000", "SGD"),
    ("HK$30.87 billion", "30870000000", "HKD"),
    # https://www.seetaoe.com/details/255777.html
    ("89 million US dollars", "89000000", "USD"),
    # https://www.einpresswire.com/article/617538745/uzbekistan-china-solar-power-plants-with-a-total-capacity-of-2000-mw-to-be-built-in-uzbekistan
    ("two billion USD", "2000000000", "USD"),
]


@pytest.mark.parametrize(("text", "value", "code"), REAL)
def test_parse_quantity_reads_real_currency_figure(text: str, value: str, code: str) -> None:
    quantity = parse_quantity(text)

    assert (quantity.value, quantity.unit, quantity.dimension) == (D(value), code, "money")


# Real figures whose currency the text alone cannot tell: refused, or read with the metric's unit.
@pytest.mark.parametrize(
    ("text", "default_unit", "value"),
    [
        # https://en.trend.az/business/3900219.html (Azerbaijan's budget)
        ("13.26 billion manat", "AZN", "13260000000"),
        # http://www.timesca.com/index.php/news/17320-turkmenistan-s-state-budget-almost-halved-in-us-dollars-in-two-years
        ("104.878 billion manats", "TMT", "104878000000"),
        # https://timesca.com/uzbekistan-signs-246-million-loan-agreement-with-japanese-agency/
        ("¥37 billion", "JPY", "37000000000"),
        # http://www.bloomberg.com/news/2013-06-30/u-k-to-sign-kazakh-business-deals-worth-700-million-pounds.html
        ("700 million pounds", "GBP", "700000000"),
    ],
)
def test_parse_quantity_reads_real_shared_spelling_with_metric_unit(
    text: str, default_unit: str, value: str
) -> None:
    quantity = parse_quantity(text, default_unit=default_unit)

    assert (quantity.value, quantity.unit) == (D(value), default_unit)
    with pytest.raises(QuantityError) as caught:
        parse_quantity(text)
    assert caught.value.code == "ambiguous_unit"
