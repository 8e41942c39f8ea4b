"""Keyset pagination: opaque cursors that carry the last row's sort key."""

import base64
import binascii
from typing import Any

import orjson
from starlette.datastructures import URL

from app.core.errors import InvalidInput


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode().rstrip("=")


def decode_cursor(cursor: str, length: int) -> list[Any]:
    """The sort key the cursor carries; a cursor that was not ours is a 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, orjson.JSONDecodeError) as exc:
        raise InvalidInput("the cursor is not one this service issued", field="cursor") from exc
    if not isinstance(values, list) or len(values) != length:
        raise InvalidInput("the cursor does not fit this sort order", field="cursor")
    return values


def next_link(url: URL, cursor: str | None) -> str | None:
    """The URL of the next page: the same query with the new cursor."""
    if cursor is None:
        return None
    return str(url.include_query_params(cursor=cursor))
