"""What a figure takes from the words around it: the period of the sentence before, "the same
period last year", a change or a share said around a percent, a unit written once for a list,
and the names proposed when no record is known (app/drafts/assign.py, readings.py, names.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.drafts import build, cues, extract, names, proposals, readings, when
from app.drafts.models import DraftRequest
from app.drafts.proposals import Catalog, MetricInfo, metric_names, metric_words
from app.entities.matching import NameIndex

EMPTY = Catalog(entities=NameIndex(), entity_slugs={}, metrics=[], metric_index=NameIndex())


def drafted(text: str, on: str) -> list[dict[str, Any]]:
    request = DraftRequest(text=text, asserted_on=date.fromisoformat(on))
    answer = build.draft(request, EMPTY, date.fromisoformat(on))
    return [d.model_dump(mode="json") for d in answer.drafts]


def periods(text: str, on: str) -> list[tuple[str, str | None, str | None]]:
    return [(d["value_text"], d["period_start"], d["period_end"]) for d in drafted(text, on)]


def refined(sentence: str) -> list[tuple[str, str, str, str]]:
    found = when.find_periods(sentence, date(2024, 1, 1))
    figures, _ = extract.read_figures(sentence, found, when.find_dates(sentence))
    return [
        (f.text, str(f.quantity.value), f.quantity.unit, f.quantity.figure_type.value)
        for f in readings.refine(sentence, figures)
    ]


def test_a_sentence_without_a_period_goes_on_with_the_one_before() -> None:
    # https://en.trend.az/casia/kazakhstan/3918770.html (shortened)
    text = (
        "Kazakhstan produced 90 million tons of oil in 2023. Oil exports also increased and "
        "amounted to 70.5 million tons, which is 9.6 percent more than the previous year."
    )
    assert periods(text, "2024-07-02") == [
        ("90 million tons", "2023-01-01", "2023-12-31"),
        ("70.5 million tons", "2023-01-01", "2023-12-31"),
        ("9.6 percent more", "2023-01-01", "2023-12-31"),
    ]


def test_the_same_period_last_year_is_the_period_before_a_year_back() -> None:
    text = (
        "The total number of passengers in the January-June period reached 30,594,981, "
        "compared to 27,463,127 passengers in the same period last year."
    )
    assert periods(text, "2024-07-18") == [
        ("30,594,981", "2024-01-01", "2024-06-30"),
        ("27,463,127", "2023-01-01", "2023-06-30"),
    ]


def test_currently_is_the_day_and_a_reporting_date_is_no_period() -> None:
    assert periods(
        "Currently, Uzbekistan is building 32 green energy facilities.", "2024-06-09"
    ) == [("32", "2024-06-09", "2024-06-09")]
    said = "Kazakhstan plans to produce 90.5 million tons of oil this year, TV reported on June 23."
    assert periods(said, "2023-06-26") == [("90.5 million tons", "2023-01-01", "2023-12-31")]


def test_a_claim_states_a_period_the_words_alone_do_not() -> None:
    text = "Gas exports rose 4% to 9.4 bcm. This is 62% more than in the same period last year."
    claims = [d["claim"].get("period") for d in drafted(text, "2024-08-06")]
    assert claims == [None, None, None]
    text = "In January-July, exports were $5 billion. Imports were $2 billion in the same period."
    claims = [d["claim"].get("period") for d in drafted(text, "2024-08-06")]
    assert claims == ["In January-July", "2024-01-01 to 2024-07-31"]


def test_words_around_a_percent_make_it_a_change_or_a_share() -> None:
    assert refined("Liquid bulks showed an overall downturn of 24% to 3.35 million tonnes.") == [
        ("24%", "-24", "percent", "change"),
        ("3.35 million tonnes", "3350000", "t", "level"),
    ]
    assert refined("It grew by $3.02 billion, or 23.7 percent.") == [
        ("grew by $3.02 billion", "3020000000", "USD", "change"),
        ("23.7 percent", "23.7", "percent", "change"),
    ]
    assert refined("Gas accounted for 15% of China's annual gas need.") == [
        ("15% of China's", "15", "percent", "share")
    ]
    assert refined("The plan cuts losses in electricity transmission by 2.35%.") == [
        ("by 2.35%", "-2.35", "percent", "change")
    ]


def test_a_unit_written_once_serves_the_list() -> None:
    assert refined("Expenditures are 14.9 trillion, 17.3 trillion, and 18.7 trillion tenge.") == [
        ("14.9 trillion", "14900000000000", "KZT", "level"),
        ("17.3 trillion", "17300000000000", "KZT", "level"),
        ("18.7 trillion tenge", "18700000000000", "KZT", "level"),
    ]


def test_figures_said_in_words_and_tenge_written_with_t() -> None:
    assert refined("The debt increased by T4.2 trillion, and storage can cover up to a third.") == [
        ("increased by T4.2 trillion", "4200000000000", "KZT", "change"),
        ("up to a third", "33.33", "percent", "share"),
    ]
    assert refined("Dry bulk rose by 9.6 percent to 17.8 million tonnes.") == [
        ("rose by 9.6 percent", "9.6", "percent", "change"),
        ("17.8 million tonnes", "17800000", "t", "level"),
    ]


def test_names_proposed_from_the_sentence() -> None:
    sentence = "Kazakhstan's Energy Ministry announced plans to produce 90 million tonnes of oil."
    span = (sentence.index("90"), sentence.index(" of oil"))
    whole = (0, len(sentence))
    assert names.entity_name(sentence, whole, None, frozenset()) == ("Kazakhstan", None)
    assert names.metric_name(sentence, whole, span) == "oil production"
    sent = "During the same period, 7.3 billion cubic meters of gas were sent to Turkiye."
    assert names.entity_name(sent, (0, len(sent)), None, frozenset()) == (None, "Turkiye")
    opening = "Container transhipment fell by 4.8 percent."
    assert names.entity_name(opening, (0, len(opening)), None, frozenset()) == (None, None)


def test_counts_of_years_and_ranks_are_no_figures() -> None:
    sentence = (
        "The pipeline carried 270 bcm in its 10 years of operation to its first two branches."
    )
    found = when.find_periods(sentence, date(2024, 1, 1))
    figures, skipped = extract.read_figures(sentence, found, when.find_dates(sentence))
    assert [f.text for f in figures] == ["270 bcm"]
    assert [(s.text, s.why) for s in skipped] == [("10", "duration")]


def test_a_year_so_far_runs_to_the_day_said_or_the_month_named() -> None:
    on = "2024-09-26"
    assert periods("Exports reached $3 billion in 2024 so far.", on) == [
        ("$3 billion", "2024-01-01", "2024-09-26")
    ]
    assert periods("So far in 2024, through August, imports were $2 billion.", on) == [
        ("$2 billion", "2024-01-01", "2024-08-31")
    ]
    assert periods("In 2024 so far, the port handled 4 million tons, data for July show.", on) == [
        ("4 million tons", "2024-01-01", "2024-07-31")
    ]
    assert periods("Since the beginning of the year, the mine produced 12 tons of gold.", on) == [
        ("12 tons", "2024-01-01", "2024-09-26")
    ]
    assert periods("From the start of the year, sales grew 4% to $8 million.", on) == [
        ("grew 4%", "2024-01-01", "2024-09-26"),
        ("$8 million", "2024-01-01", "2024-09-26"),
    ]


def test_a_half_year_is_the_half_of_the_year_named() -> None:
    assert periods("Sales rose to 5,000 cars in the first half-year of 2021.", "2021-08-01") == [
        ("5,000", "2021-01-01", "2021-06-30")
    ]


def entity(sentence: str) -> tuple[str | None, str | None]:
    return names.entity_name(sentence, (0, len(sentence)), None, frozenset())


def test_numbers_ordinals_and_list_openers_are_no_names() -> None:
    assert entity("Notable: Moldova's exports of wine rose 12% to $90 million.") == (
        "Moldova",
        None,
    )
    assert entity("Five new berths at Poti handle 2 million tons a year.") == ("Poti", None)
    assert entity("First, Georgia cut the rate from 11% to 10.5%.") == ("Georgia", None)
    assert entity("There were 40 flights a week at Batumi airport.") == ("Batumi airport", None)
    assert entity("Looking ahead, Armenia plans to invest $2 billion.") == ("Armenia", None)
    # A name that ends in -ing is still one before its verb.
    assert entity("Beijing has spent $3 billion on the metro.") == ("Beijing", None)


def test_a_currency_written_before_a_figure_is_no_name() -> None:
    assert entity("The deal is worth US$40 million to Tajikistan.") == (None, "Tajikistan")
    assert entity("Debt service cost T2.1 trillion for Kazakhstan in 2022.") == ("Kazakhstan", None)


def test_a_body_named_with_bank_or_fund_keeps_its_whole_name() -> None:
    assert entity("The Asian Development Bank lent $300 million.") == (
        "Asian Development Bank",
        None,
    )
    assert entity("The State Oil Fund holds $60 billion.") == ("State Oil Fund", None)


def test_a_name_that_reports_on_another_is_named_aside() -> None:
    assert entity("The IEA forecasted that Norway will export 120 bcm in 2025.") == (
        "Norway",
        "IEA",
    )
    # ... and is the subject when it reports its own figure.
    assert entity("Chevron reported revenue of $50 billion.") == ("Chevron", None)


def test_a_unit_abbreviation_or_an_authority_is_no_subject() -> None:
    assert entity("Traffic at the end of May was 12.5 MT.") == (None, None)
    assert entity("Figures from the Maritime Authority show 40 calls in Varna.") == ("Varna", None)


def test_trade_between_two_names_is_the_pair_s_trade() -> None:
    sentence = "Trade turnover between Georgia and Armenia reached $1.1 billion in 2023."
    assert entity(sentence) == ("Georgia\u2013Armenia trade", None)


def measured(sentence: str, figure: str) -> str | None:
    start = sentence.index(figure)
    return names.metric_name(sentence, (0, len(sentence)), (start, start + len(figure)))


def test_numbers_hedges_units_and_adverbs_do_not_qualify_a_metric() -> None:
    assert measured("The plant has a total capacity of two million tons.", "two million tons") == (
        "capacity"
    )
    sentence = "The stations have a combined capacity of approximately 900 MW."
    assert measured(sentence, "900 MW") == "capacity"
    assert measured(
        "The mine will produce 2 million tons of copper annually.", "2 million tons"
    ) == ("copper production")


def known_metric(
    metric_id: int, name: str, slug: str, dimension: str, unit: str, aliases: list[str]
) -> MetricInfo:
    words = metric_words(name, slug, aliases, unit)
    return MetricInfo(
        metric_id, slug, name, dimension, unit, words, metric_names(name, slug, aliases, unit)
    )


KNOWN = Catalog(
    entities=NameIndex(),
    entity_slugs={},
    metrics=[
        known_metric(1, "Gross domestic product", "gdp", "money", "USD", []),
        known_metric(2, "Trade turnover", "trade-turnover", "money", "USD", []),
        known_metric(3, "New rail length", "new-rail-length", "length", "km", []),
    ],
    metric_index=NameIndex(),
)


def metric_of(sentence: str, figure: str) -> tuple[str, bool]:
    found = when.find_periods(sentence, date(2024, 1, 1))
    figures, _ = extract.read_figures(sentence, found, when.find_dates(sentence))
    (f,) = [f for f in figures if f.text == figure]
    span = (f.start, f.end)
    clause = cues.clause(sentence, *span)
    proposal = proposals.metric_for(sentence, span, clause, f.quantity, KNOWN)
    return proposal.name, proposal.new


def test_a_known_metric_is_proposed_when_the_clause_names_it_not_on_one_shared_word() -> None:
    assert metric_of("Georgia's GDP reached $30 billion.", "$30 billion") == (
        "Gross domestic product",
        False,
    )
    assert metric_of("Trade turnover reached $5 billion.", "$5 billion") == (
        "Trade turnover",
        False,
    )
    # Half of its words, and what the clause measures ends in one of them.
    assert metric_of("It will lay 900 kilometers of new rail routes.", "900 kilometers") == (
        "New rail length",
        False,
    )
    assert metric_of("Exports of chemical products reached $2 billion.", "$2 billion") == (
        "Chemical exports",
        True,
    )
    assert metric_of("Armenia's trade deficit widened to $3 billion.", "$3 billion") == (
        "Trade deficit",
        True,
    )


def test_a_deadline_is_not_carried_to_the_sentences_after_it() -> None:
    text = "Kuryk port plans to handle 5 million tons by year-end. The port has four berths."
    assert periods(text, "2024-09-26") == [
        ("5 million tons", "2024-09-26", "2024-12-31"),
        ("four", None, None),
    ]
    text = "Uzbekistan will build 300 km of roads until 2030. Its network has 42,000 km of roads."
    assert periods(text, "2024-09-26") == [
        ("300 km", "2024-09-26", "2030-12-31"),
        ("42,000 km", None, None),
    ]


def test_the_size_of_what_is_being_built_is_a_projection() -> None:
    building = "The bank is financing the construction of the 500 MW Vakhsh plant in Tajikistan."
    assert [(d["value_text"], d["kind"]) for d in drafted(building, "2024-09-26")] == [
        ("500 MW", "projection")
    ]
    built = "Construction of the 40 km road in Tajikistan was completed in 2020."
    assert [(d["value_text"], d["kind"]) for d in drafted(built, "2024-09-26")] == [
        ("40 km", "actual")
    ]


def test_a_clause_set_against_the_one_before_is_of_its_period() -> None:
    text = "Imports rose 8% in 2022 to $4 billion, while exports fell 3% to $2 billion."
    assert periods(text, "2023-03-01") == [
        ("rose 8%", "2022-01-01", "2022-12-31"),
        ("$4 billion", "2022-01-01", "2022-12-31"),
        ("fell 3%", "2022-01-01", "2022-12-31"),
        ("$2 billion", "2022-01-01", "2022-12-31"),
    ]


def test_respectively_pairs_the_figures_with_the_periods_in_order() -> None:
    text = (
        "In 2024 and 2025, exports will reach $3 billion ($2.9 billion) and $4 billion, "
        "respectively."
    )
    assert periods(text, "2023-12-01") == [
        ("$3 billion", "2024-01-01", "2024-12-31"),
        ("$2.9 billion", "2024-01-01", "2024-12-31"),
        ("$4 billion", "2025-01-01", "2025-12-31"),
    ]
    text = (
        "Revenues will be 5 trillion in 2026 and 6 trillion in 2027. "
        "Expenditures will be 7 trillion and 8 trillion tenge, respectively."
    )
    assert periods(text, "2025-12-01") == [
        ("5 trillion", "2026-01-01", "2026-12-31"),
        ("6 trillion", "2027-01-01", "2027-12-31"),
        ("7 trillion", "2026-01-01", "2026-12-31"),
        ("8 trillion tenge", "2027-01-01", "2027-12-31"),
    ]


def test_for_the_period_is_the_period_named_before_not_the_one_compared_with() -> None:
    text = (
        "Georgia's exports reached $5 billion in 2023, up 4% compared to 2022 ($4.8 billion). "
        "Wine exports for the period amounted to $300 million, 10% more than from January "
        "through December 2022 ($270 million)."
    )
    assert periods(text, "2024-02-01") == [
        ("$5 billion", "2023-01-01", "2023-12-31"),
        ("up 4%", "2023-01-01", "2023-12-31"),
        ("$4.8 billion", "2022-01-01", "2022-12-31"),
        ("$300 million", "2023-01-01", "2023-12-31"),
        ("10% more", "2023-01-01", "2023-12-31"),
        ("$270 million", "2022-01-01", "2022-12-31"),
    ]


def test_a_period_up_to_a_day_within_it_runs_to_that_day() -> None:
    text = "In the month of May 2021 till 10 May 2021, Georgian Railway carried 1.1 million tons."
    assert periods(text, "2021-05-12") == [("1.1 million tons", "2021-05-01", "2021-05-10")]


def test_compare_to_last_year_is_what_a_change_is_measured_from() -> None:
    text = "In June 2021 the port handled 2 million tons, 5% higher compare to last year."
    assert periods(text, "2021-07-05") == [
        ("2 million tons", "2021-06-01", "2021-06-30"),
        ("5% higher", "2021-06-01", "2021-06-30"),
    ]


def test_a_clause_set_against_the_one_before_but_about_now_takes_no_period() -> None:
    text = "The port handled 2 million tons in 2022, while its current capacity is 5 million tons."
    assert periods(text, "2023-03-01") == [
        ("2 million tons", "2022-01-01", "2022-12-31"),
        ("5 million tons", None, None),
    ]


def test_a_rate_a_year_takes_no_period_from_the_sentences_before() -> None:
    text = "Poti port handled 8.5 million tons in 2023. Its capacity is 12.5 million tons annually."
    assert periods(text, "2024-03-01") == [
        ("8.5 million tons", "2023-01-01", "2023-12-31"),
        ("12.5 million tons annually", None, None),
    ]
    text = "Exports rose to $2 billion in 2023. Imports were $1.5 billion, up from a year earlier."
    assert periods(text, "2024-03-01") == [
        ("$2 billion", "2023-01-01", "2023-12-31"),
        ("$1.5 billion", "2023-01-01", "2023-12-31"),
    ]


def test_last_year_s_figure_for_the_same_period_is_a_year_back() -> None:
    text = (
        "In May 2021 Georgian Railway carried 1.1 million tons, 5% higher compare to last "
        "year\u2019s loading for the same period (1.05 million tons)."
    )
    assert periods(text, "2021-06-03") == [
        ("1.1 million tons", "2021-05-01", "2021-05-31"),
        ("5% higher", "2021-05-01", "2021-05-31"),
        ("1.05 million tons", "2020-05-01", "2020-05-31"),
    ]


def test_a_figure_compared_with_the_same_period_last_year_is_of_that_period_a_year_on() -> None:
    text = (
        "Georgia's wine exports amounted to $120 million, up 4% compared to the same period "
        "last year ($115 million in January-May 2023)."
    )
    assert periods(text, "2024-06-10") == [
        ("$120 million", "2024-01-01", "2024-05-31"),
        ("up 4%", "2024-01-01", "2024-05-31"),
        ("$115 million", "2023-01-01", "2023-05-31"),
    ]


def test_a_possessive_opening_the_sentence_is_the_owner_of_what_follows() -> None:
    assert entity("Moldova\u2019s exports to Romania rose 8% to $1 billion.") == ("Moldova", None)
    assert entity("Moldova's imports from Romania fell 2%.") == ("Moldova", None)


def test_the_name_of_a_currency_is_no_subject() -> None:
    sentence = "A road plan of 2.3 billion Georgian lari ($850 million) starts in Batumi."
    assert entity(sentence) == ("Batumi", None)
    assert entity("The budget holds 4 trillion Uzbek sums for roads.") == (None, None)


def test_the_port_of_a_place_and_a_named_facility_of_a_country_are_the_subject() -> None:
    sentence = "In 2023, cargo at the seaport of Batumi amounted to 4 million tons."
    assert entity(sentence) == ("Batumi seaport", None)
    assert entity("Poti seaport handled 8 million tons.") == ("Poti seaport", None)
    sentence = "Georgia's Anaklia Deep Sea Port will handle 100,000 TEU."
    assert entity(sentence) == ("Anaklia Deep Sea Port", None)
    # an office of the country stays the country's
    assert entity("Georgia's Economy Ministry expects 5% growth.") == ("Georgia", None)


def test_a_clause_that_names_no_measure_goes_on_with_the_one_before() -> None:
    text = (
        "The FAO puts Georgia's wheat harvest at 120,000 tons in 2023, while the ministry "
        "at 135,000 tons."
    )
    assert [d["metric"]["name"] for d in drafted(text, "2024-01-10")] == [
        "Wheat harvest",
        "Wheat harvest",
    ]


def test_verbs_pronouns_and_question_words_are_no_part_of_a_metric_name() -> None:
    def metrics(text: str) -> list[str]:
        return [d["metric"]["name"] for d in drafted(text, "2024-01-10")]

    assert metrics("In 2023, 3.1 billion cubic meters of gas were supplied to Armenia.") == [
        "Gas supplies"
    ]
    assert metrics("The company kept production guidance at 300,000 tonnes.") == ["Production"]
    assert metrics("It is the region where air traffic rose by 12% in 2023.") == ["Air traffic"]


def test_a_known_metric_s_unit_outranks_one_proposed_earlier_in_the_text() -> None:
    catalog = Catalog(
        entities=NameIndex(),
        entity_slugs={},
        metrics=[known_metric(7, "Transportation", "transportation", "count", "count", [])],
        metric_index=NameIndex(),
    )
    named = {"transportation": "percent"}  # a share of it proposed before, in this text
    level = extract.read_figures("It was 75%.", [], [])[0][0].quantity
    new = proposals.Proposal("Transportation", "transportation", None, 0.0)
    assert proposals.distinct(new, level, catalog, named).name == "Transportation (percent)"
