"""Properties of reading figures that must hold for every number, not just the examples."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.quantities import Bound, Interval, convert, parse_quantity, parse_value

# Deterministic and without an example database, so a run never writes outside the repo's
# folders and always checks the same examples.
PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=150)

SCALES = {
    "thousand": 3,
    "k": 3,
    "million": 6,
    "mln": 6,
    "mn": 6,
    "billion": 9,
    "bn": 9,
    "bln": 9,
    "B": 9,
    "trillion": 12,
    "trln": 12,
    "tn": 12,
}


def decimals(places: int, bound: int = 10**9) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=-bound, max_value=bound, places=places, allow_nan=False, allow_infinity=False
    )


def any_decimal(bound: int = 10**9) -> st.SearchStrategy[Decimal]:
    return st.integers(0, 6).flatmap(lambda places: decimals(places, bound))


def half_unit(number: Decimal) -> Decimal:
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


@PROPERTY
@given(any_decimal())
def test_parse_quantity_reads_plain_decimal_as_itself(number: Decimal) -> None:
    quantity = parse_quantity(f"{number:f}")

    assert quantity.value == number
    assert quantity.low == number - half_unit(number)
    assert quantity.high == number + half_unit(number)


@PROPERTY
@given(any_decimal())
def test_parse_quantity_reads_grouped_decimal_as_itself(number: Decimal) -> None:
    assert parse_quantity(f"{number:,f}").value == number


@PROPERTY
@given(any_decimal(10**6).map(abs), st.sampled_from(sorted(SCALES)))
def test_parse_quantity_multiplies_scale_word_exactly(number: Decimal, word: str) -> None:
    quantity = parse_quantity(f"{number:f} {word}")

    assert quantity.value == number.scaleb(SCALES[word])
    assert quantity.high == (number + half_unit(number)).scaleb(SCALES[word])


@PROPERTY
@given(st.integers(1, 10**9))
def test_parse_quantity_reads_millions_as_billions(millions: int) -> None:
    as_millions = parse_quantity(f"{millions:,} million USD")
    as_billions = parse_quantity(f"${Decimal(millions).scaleb(-3):f} billion")

    assert as_millions.value == as_billions.value == Decimal(millions) * 10**6


@PROPERTY
@given(
    any_decimal(10**6),
    st.sampled_from(["", "about ", "around ", "approximately ", "roughly ", "some ", "~"]),
    st.sampled_from(["", "$", "€", "KZT "]),
    st.sampled_from(["", " billion", "bn", " million", " thousand"]),
)
def test_parse_quantity_interval_contains_stated_value(
    number: Decimal, qualifier: str, currency: str, scale: str
) -> None:
    quantity = parse_quantity(f"{qualifier}{currency}{number:f}{scale}")

    assert quantity.interval.contains(quantity.value)
    assert quantity.low is not None
    assert quantity.high is not None
    assert quantity.low < quantity.value < quantity.high


@PROPERTY
@given(any_decimal(10**6), any_decimal(10**6), st.sampled_from(["", " km", "%", " bn USD"]))
def test_parse_quantity_range_holds_both_ends_and_midpoint(
    a: Decimal, b: Decimal, unit: str
) -> None:
    low, high = min(a, b), max(a, b)
    quantity = parse_quantity(f"from {low:f} to {high:f}{unit}")
    plain = parse_quantity(f"{high:f}{unit}").value / high if high else None

    assert quantity.bound is Bound.RANGE
    assert quantity.low is not None
    assert quantity.high is not None
    assert quantity.low <= quantity.value <= quantity.high
    assert quantity.interval.contains(quantity.value)
    if plain is not None:
        assert quantity.low == low * plain
        assert quantity.high == high * plain


@PROPERTY
@given(
    any_decimal(10**6),
    st.sampled_from(
        [
            ("more than ", Bound.MORE_THAN),
            ("over ", Bound.MORE_THAN),
            ("at least ", Bound.AT_LEAST),
            ("up to ", Bound.AT_MOST),
            ("at most ", Bound.AT_MOST),
            ("less than ", Bound.LESS_THAN),
            ("under ", Bound.LESS_THAN),
        ]
    ),
)
def test_parse_quantity_leaves_open_side_unbounded(
    number: Decimal, qualifier: tuple[str, Bound]
) -> None:
    words, bound = qualifier
    quantity = parse_quantity(f"{words}{number:f} km")

    assert quantity.bound is bound
    if bound in (Bound.MORE_THAN, Bound.AT_LEAST):
        assert (quantity.low, quantity.high) == (number, None)
        assert quantity.interval.low_open is (bound is Bound.MORE_THAN)
    else:
        assert (quantity.low, quantity.high) == (None, number)
        assert quantity.interval.high_open is (bound is Bound.LESS_THAN)


@PROPERTY
@given(any_decimal(10**6), st.sampled_from(["km", "miles", "tonnes", "USD", "%", "GWh"]))
def test_parse_value_agrees_with_parse_quantity(number: Decimal, unit: str) -> None:
    assert parse_value(number, unit) == parse_value(f"{number:f}", unit)
    from_text = parse_quantity(f"{number:f} {unit}")
    from_value = parse_value(number, unit)

    assert (from_value.value, from_value.unit, from_value.interval) == (
        from_text.value,
        from_text.unit,
        from_text.interval,
    )


@PROPERTY
@given(any_decimal(10**6), st.sampled_from(["miles", "m", "kg", "kWh", "hectares", "barrels"]))
def test_convert_round_trips_exactly(number: Decimal, unit: str) -> None:
    canonical = parse_value(number, unit).unit

    assert convert(convert(number, unit, canonical), canonical, unit) == number


def intervals() -> st.SearchStrategy[Interval]:
    ends = st.one_of(st.none(), st.integers(-20, 20).map(Decimal))

    def build(low: Decimal | None, high: Decimal | None, lo: bool, hi: bool) -> Interval:
        if low is not None and high is not None:
            low, high = min(low, high), max(low, high)
            if low == high:
                lo = hi = False
        return Interval(low, high, lo, hi)

    return st.builds(build, ends, ends, st.booleans(), st.booleans())


@PROPERTY
@given(intervals(), intervals(), st.integers(-42, 42).map(lambda n: Decimal(n) / 2))
def test_intersects_agrees_with_shared_points(a: Interval, b: Interval, x: Decimal) -> None:
    assert a.intersects(b) is b.intersects(a)
    if a.contains(x) and b.contains(x):
        assert a.intersects(b)
    shared = a.intersection(b)
    if shared is not None:
        assert shared.contains(x) is (a.contains(x) and b.contains(x))
