"""How a page writes the interval a value was read as."""

from decimal import Decimal

import pytest

from app.web import readings


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("16450000000", "16550000000", "16.45\u201316.55 billion USD"),
        # "have decreased by 0.8 percent": a dash between two minus signs reads as a subtraction
        ("-0.85", "-0.75", "-0.85 to -0.75%"),
        ("-0.5", "0.5", "-0.5 to 0.5%"),
    ],
)
def test_an_interval_with_a_negative_end_is_written_with_to(
    low: str, high: str, expected: str
) -> None:
    unit = "USD" if expected.endswith("USD") else "percent"
    assert readings.interval(Decimal(low), Decimal(high), False, False, unit) == expected
