"""Reading a bulk import (JSON array or CSV) into validated rows, each error with its row."""

import csv
import io
from typing import Any

import orjson

from app.claims.models import ClaimCreate
from app.core.errors import FieldProblem, InvalidInput
from app.core.rows import validate_rows

MAX_ROWS = 5000
# The columns `POST /claims:bulk` reads from CSV, each with what it holds (the OpenAPI document
# and the README list them). Cells are text; an empty cell is an absent field.
CSV_FIELDS: dict[str, str] = {
    "entity": "what the claim is about: slug, name or alias (a new name is created)",
    "metric": "what is measured: slug, name or alias",
    "value_text": 'the value as written, e.g. "$16.5 billion", "more than 4,000 km"',
    "figure_type": "level, change, multiple or share (default: read from value_text)",
    "value_is_index": "true when the value is a growth index (105.3% = +5.3%); default false",
    "period": 'the period as written: "2024", "2026-Q2", "to 2030"; empty: none',
    "kind": "actual, estimate, projection, target or commitment (default actual)",
    "basis": "whose statistics or which method",
    "stated_by": "who said it",
    "asserted_on": "the date it was said (YYYY-MM-DD)",
    "statement": "the sentence that states the figure",
    "tags": "tags separated by ;",
    "citations": "every citation: a JSON array of objects with url or source_id, quote, and "
    "optionally title, publisher, published_on, kind (as GET /claims?format=csv writes it)",
    "source_id": "one more citation: a known source's id (with quote)",
    "source_url": "one more citation: the source's URL (found or created), with quote",
    "source_title": "that source's title",
    "source_publisher": "that source's publisher",
    "source_published_on": "that source's date (YYYY-MM-DD)",
    "source_kind": "that source's kind: official, statistics, news, analysis, briefing, other",
    "quote": "that citation's words, verbatim",
}
# What `GET /claims?format=csv` writes that a claim is not created from: read from the other
# columns or given by the service. Accepted, so that an export imports as it is, and ignored.
READ_ONLY_CSV: dict[str, str] = {
    "id": "ignored: the new claim gets its own",
    "value": "ignored: read from value_text",
    "unit": "ignored: read from value_text",
    "bound": "ignored: read from value_text",
    "low": "ignored: read from value_text",
    "high": "ignored: read from value_text",
    "period_start": "ignored: read from period",
    "period_end": "ignored: read from period",
    "sources": "ignored: the source ids of the citations column",
    "status": "ignored: a new claim is active",
    "version": "ignored: a new claim is at version 1",
}
REQUIRED_CSV = ("entity", "metric", "value_text", "stated_by", "asserted_on", "statement")


def csv_body_schema() -> dict[str, Any]:
    """The CSV request body for the OpenAPI document: text, with its columns described."""
    columns = {
        **{name: {"type": "string", "description": doc} for name, doc in CSV_FIELDS.items()},
        **{
            name: {"type": "string", "description": doc, "readOnly": True}
            for name, doc in READ_ONLY_CSV.items()
        },
    }
    return {
        # The file's bytes (a generated client sends a file's payload as it is).
        "type": "string",
        "format": "binary",
        "description": "CSV (UTF-8) with a header row naming its columns, in any order, one "
        f"claim a row. Required columns: {', '.join(REQUIRED_CSV)}. Columns: "
        + "; ".join(f"{name} ({doc})" for name, doc in CSV_FIELDS.items())
        + ". Accepted and ignored (written by the CSV export): "
        + ", ".join(READ_ONLY_CSV)
        + ". Any other column is refused (422).",
        "x-csv-columns": {
            "type": "object",
            "properties": columns,
            "required": list(REQUIRED_CSV),
            "additionalProperties": False,
        },
    }


def _citations(cell: str) -> list[Any]:
    try:
        items = orjson.loads(cell)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"citations: not a JSON array: {exc}") from exc
    if not isinstance(items, list):
        raise ValueError("citations: not a JSON array")
    return items


def _csv_row(row: dict[str | None, Any]) -> dict[str, Any]:
    """A CSV row in the JSON shape: empty cells are absent; the citations column and the
    source_* columns (one more citation) together."""
    if row.get(None):
        raise ValueError("the row has more cells than the header has columns")
    cell = {k: (v or "").strip() for k, v in row.items() if k is not None and isinstance(v, str)}
    out: dict[str, Any] = {
        k: cell[k]
        for k in (
            *("entity", "metric", "value_text", "figure_type", "period", "kind", "basis"),
            *("stated_by", "asserted_on", "statement", "value_is_index"),
        )
        if cell.get(k)
    }
    if cell.get("tags"):
        out["tags"] = [t for t in cell["tags"].split(";") if t.strip()]
    citations = _citations(cell["citations"]) if cell.get("citations") else []
    citation: dict[str, Any] = {}
    if cell.get("source_id"):
        citation["source_id"] = cell["source_id"]
    for name in ("url", "title", "publisher", "published_on", "kind"):
        if cell.get(f"source_{name}"):
            citation[name] = cell[f"source_{name}"]
    if citation or cell.get("quote"):
        citation["quote"] = cell.get("quote", "")
        citations.append(citation)
    if citations:
        out["citations"] = citations
    return out


def _csv_rows(body: bytes) -> list[dict[str, Any]]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the CSV is not UTF-8", field="body") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [name for name in REQUIRED_CSV if name not in header]
    if missing:
        raise InvalidInput(f"the CSV header lacks columns {missing}", field="header")
    unknown = [name for name in header if name not in CSV_FIELDS and name not in READ_ONLY_CSV]
    if unknown:
        raise InvalidInput(
            f"the CSV header has unknown columns {unknown}; the columns read are "
            f"{[*CSV_FIELDS]} (and, ignored, {[*READ_ONLY_CSV]})",
            field="header",
        )
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise InvalidInput(f"the CSV header repeats columns {twice}", field="header")
    rows: list[dict[str, Any]] = []
    try:
        for number, row in enumerate(reader, start=1):
            try:
                rows.append(_csv_row(row))
            except ValueError as exc:
                raise InvalidInput(
                    f"row {number}: {exc}; nothing was stored",
                    field=f"[{number}]",
                    errors=[FieldProblem(row=number, field=f"[{number}]", problem=str(exc))],
                ) from exc
    except csv.Error as exc:
        raise InvalidInput(f"the CSV cannot be read: {exc}", field="body") from exc
    return rows


def _json_rows(body: bytes) -> list[Any]:
    try:
        rows = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"the body is not valid JSON: {exc}", field="body") from exc
    if not isinstance(rows, list):
        raise InvalidInput("a bulk import is a JSON array of claims", field="body")
    return rows


def read_rows(body: bytes, content_type: str) -> list[ClaimCreate]:
    """Validate every row; if any is bad, reject the whole batch naming each bad row."""
    is_csv = content_type.split(";")[0].strip().lower() == "text/csv"
    raw = _csv_rows(body) if is_csv else _json_rows(body)
    return validate_rows(ClaimCreate, raw, max_rows=MAX_ROWS)
