"""Keyset pagination: opaque cursors that carry the last row's sort key."""

import base64
import binascii
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import orjson
from starlette.requests import Request

from app.core.errors import InvalidInput
from app.core.params import MAX_ID
from app.core.urls import request_url


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


def _typed(value: Any, kind: type) -> Any:
    if kind is int:
        # bool is an int to Python, and a huge int would overflow the database's integers.
        # Negative: the review queue's verification items (minus their claim's id).
        if type(value) is not int or not -MAX_ID <= value <= MAX_ID:
            raise ValueError(value)
        return value
    if kind is float:  # a search score: a float as JSON gave it back, exactly
        if type(value) is not float or not math.isfinite(value):
            raise ValueError(value)
        return value
    if not isinstance(value, str) or len(value) > 300:
        raise ValueError(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    return value


def decode_cursor(cursor: str, kinds: Sequence[type]) -> list[Any]:
    """The sort key the cursor carries, typed as `kinds` (int, float, str, date, datetime).

    A cursor that was not ours, or does not fit this sort order, is a 422 naming `cursor`.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, orjson.JSONDecodeError) as exc:
        raise InvalidInput("the cursor is not one this service issued", field="cursor") from exc
    if not isinstance(values, list) or len(values) != len(kinds):
        raise InvalidInput("the cursor does not fit this sort order", field="cursor")
    try:
        return [_typed(v, k) for v, k in zip(values, kinds, strict=True)]
    except (TypeError, ValueError) as exc:
        raise InvalidInput("the cursor does not fit this sort order", field="cursor") from exc


def next_link(request: Request, cursor: str | None) -> str | None:
    """The URL of the next page: the same query with the new cursor, on the public URL."""
    if cursor is None:
        return None
    return str(request_url(request).include_query_params(cursor=cursor))
