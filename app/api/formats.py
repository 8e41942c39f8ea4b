"""CSV as an operation of its own (`/claims.csv` beside `/claims`): one operation, one media
type, so that a generated client parses what it gets. The JSON operation still reads the old
`?format=csv`, out of the OpenAPI document, so that scripts written for it keep working."""

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from fastapi.routing import APIRoute
from starlette.responses import Response

from app.core.errors import AppError, responses

Format = Literal["json", "csv"]
CSV_SUFFIX = ".csv"


def _format(
    request: Request,
    format: Annotated[Format, Query(include_in_schema=False)] = "json",
) -> Format:
    route = request.scope.get("route")
    if isinstance(route, APIRoute) and route.path.endswith(CSV_SUFFIX):
        return "csv"
    return format


Representation = Annotated[Format, Depends(_format)]


class CsvResponse(Response):
    """Declares text/csv as the answer in the document (the routes stream it)."""

    media_type = "text/csv"


def csv_operation(*errors: type[AppError], not_modified: bool = False) -> dict[str, Any]:
    """The keywords of a `.csv` route: its answer is text/csv alone (or problem+json)."""
    cached = {304: {"description": "Not modified"}} if not_modified else {}
    return {
        "response_model": None,
        "response_class": CsvResponse,
        "responses": {
            **responses(*errors),
            **cached,
            200: {
                "description": "CSV with a header row, every match (no pages)",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            },
        },
    }


# A CSV request body: the file's bytes, UTF-8, with a header row (a generated client sends a
# file's payload as it is; `type: string` alone would make it a text field to encode).
CSV_BODY = {"schema": {"type": "string", "format": "binary"}}
