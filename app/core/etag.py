"""ETags of versioned records, and the If-Match rule for edits."""

import re

from app.core.errors import PreconditionFailed, PreconditionRequired
from app.core.params import MAX_ID

_TAG = re.compile(r'^"([a-z_]+)-(-?\d{1,12})-v(\d{1,12})(?:\.[0-9a-f]{1,16})?"$')


def etag(record_type: str, record_id: int, version: int, state: str | None = None) -> str:
    """The version for If-Match; `state` also changes the tag when what the service derives
    (flags, verification) changes without an edit, so that If-None-Match never serves it stale."""
    suffix = f".{state}" if state else ""
    return f'"{record_type}-{record_id}-v{version}{suffix}"'


def expected_version(if_match: str | None, record_type: str, record_id: int) -> int | None:
    """The version the client last read; None for `*` (any). 428 without the header."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "send If-Match with the ETag you read, so that edits do not overwrite each other",
            field="If-Match",
        )
    value = if_match.strip()
    if value == "*":
        return None
    for candidate in value.split(","):
        match = _TAG.match(candidate.strip())
        # Weak tags never satisfy If-Match (RFC 9110 13.1.1); a version past any id cannot exist.
        if match and match[1] == record_type and int(match[2]) == record_id:
            version = int(match[3])
            return version if version <= MAX_ID else 0
    raise PreconditionFailed(f"If-Match {value} does not name this {record_type}", field="If-Match")


def not_modified(if_none_match: str | None, tag: str) -> bool:
    """If-None-Match uses the weak comparison: W/"x" matches "x", and * matches anything."""
    if if_none_match is None:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or tag in tags
