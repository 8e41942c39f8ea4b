"""Parameter types shared by routes: ids that fit the database's integer columns."""

from datetime import date, datetime
from typing import Annotated

from fastapi import Path
from pydantic import BeforeValidator, Field

MAX_ID = 2_147_483_647

RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _iso_text(value: object) -> object:
    """Dates come as ISO text; a bare number would otherwise be read as a Unix timestamp."""
    if isinstance(value, date | datetime):
        return value
    if not isinstance(value, str) or not value[:4].isdigit() or "-" not in value:
        raise ValueError("give an ISO 8601 date such as 2026-05-28")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text)]
