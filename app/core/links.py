"""OpenAPI links and response headers: what a response lets a client call next, and with what.

A link names the operation it leads to and where its parameters come from in this response:
the record's id from the body, and the ETag header for the If-Match an edit needs. Clients read
them as documentation; schemathesis follows them in its stateful run (create, read, edit with
the ETag, retract).
"""

from typing import Any

BODY_ID = "$response.body#/id"
ETAG = "$response.header.ETag"

ETAG_HEADER: dict[str, Any] = {
    "description": "The record's version: send it back in If-Match to edit the record.",
    "required": True,
    "schema": {"type": "string", "pattern": r'^"[a-z_]+-[0-9]+-v[0-9]+(\.[0-9a-f]+)?"$'},
}
LOCATION_HEADER: dict[str, Any] = {
    "description": "The path of the new record.",
    "required": True,
    "schema": {"type": "string", "pattern": r"^/api/v1/[a-z-]+/[0-9]+$"},
}


def link(operation_id: str, description: str, /, **parameters: str) -> dict[str, Any]:
    """A link to `operation_id`; each parameter (`path_name`, or `header.Name`) is an expression."""
    return {"operationId": operation_id, "description": description, "parameters": parameters}


def by_id(operation_id: str, parameter: str, description: str) -> dict[str, Any]:
    """A link that passes this record's id as the target's path parameter."""
    return link(operation_id, description, **{parameter: BODY_ID})


def edit(operation_id: str, parameter: str, description: str) -> dict[str, Any]:
    """A link to an edit of this record: its id, and its ETag as If-Match."""
    return link(operation_id, description, **{parameter: BODY_ID, "header.If-Match": ETAG})


def success(
    status: int,
    links: dict[str, dict[str, Any]],
    *,
    etag: bool = False,
    location: bool = False,
) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry of a route's success: its links and the headers it always sends."""
    headers: dict[str, Any] = {}
    if etag:
        headers["ETag"] = ETAG_HEADER
    if location:
        headers["Location"] = LOCATION_HEADER
    entry: dict[str, Any] = {"links": links}
    if headers:
        entry["headers"] = headers
    return {status: entry}
