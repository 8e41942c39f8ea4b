"""Parameter types shared by routes: ids that fit the database's integer columns."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

MAX_ID = 2_147_483_647


def _not_a_boolean(value: object) -> object:
    """JSON's true is no id (pydantic's int would take it as 1)."""
    if isinstance(value, bool):
        raise ValueError("an id is a whole number, not true or false")
    return value


RecordId = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _iso_text(value: object) -> object:
    """Dates come as ISO text; a bare number would otherwise be read as a Unix timestamp."""
    if isinstance(value, date | datetime):
        return value
    if not isinstance(value, str) or not value[:4].isdigit() or "-" not in value:
        raise ValueError("give an ISO 8601 date such as 2026-05-28")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text)]


def _exact_number(value: object) -> object:
    """A JSON float has already lost digits (12345678901234567.891); ask for text instead."""
    if isinstance(value, float):
        raise ValueError('send decimals as strings ("16.5") or integers, so no digit is lost')
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    return value


def _utc(value: datetime) -> datetime:
    """Stored times are UTC: an offset is applied, not dropped; a naive time is taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 9999-12-31T23:59:59-01:00 is 10000-01-01 in UTC, a time no `datetime` can hold.
        raise ValueError(
            f"{value.isoformat()} is outside the calendar once converted to UTC"
            f" ({date.min} to {date.max})"
        ) from None


DecimalText = Annotated[
    Decimal,
    BeforeValidator(_exact_number),
    Field(allow_inf_nan=False, max_digits=40),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "format": "decimal",
                    "pattern": r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$",
                },
                {"type": "integer"},
            ],
            "description": 'decimal text ("16.5") or an integer; a JSON float is refused',
        }
    ),
]


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(_utc)]


# A decimal the API answers: plain digits as text (16500000000, -0.5), never a JSON number,
# whose readers would round it to a double.
DECIMAL_DIGITS = r"^-?[0-9]+(\.[0-9]+)?$"
DecimalString = Annotated[
    str, WithJsonSchema({"type": "string", "format": "decimal", "pattern": DECIMAL_DIGITS})
]
