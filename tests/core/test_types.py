"""Decimals written as plain digits, every digit kept."""

from decimal import Decimal

from app.core.types import decimal_text


def test_decimal_text_keeps_every_digit_of_a_thirty_digit_value() -> None:
    values = ["12345678901234567890123.4567891", "1.65E+10", "3.250", "0E-5", "-2.50", "-0"]
    assert [decimal_text(Decimal(v)) for v in values] == [
        "12345678901234567890123.4567891",
        "16500000000",
        "3.25",
        "0",
        "-2.5",
        "-0",
    ]
    assert decimal_text(None) is None
