"""ETags of versioned records, and the If-Match rule for edits."""

import re

from app.core.errors import PreconditionFailed, PreconditionRequired

_TAG = re.compile(r'^(?:W/)?"([a-z]+)-(\d+)-v(\d+)"$')


def etag(record_type: str, record_id: int, version: int) -> str:
    return f'"{record_type}-{record_id}-v{version}"'


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
        if match and match[1] == record_type and int(match[2]) == record_id:
            return int(match[3])
    raise PreconditionFailed(f"If-Match {value} does not name this {record_type}", field="If-Match")
