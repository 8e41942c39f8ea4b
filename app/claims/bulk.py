"""Reading a bulk import (JSON array or CSV) into validated rows, each error with its row."""

import csv
import io
from typing import Any

import orjson

from app.claims.models import ClaimCreate
from app.core.errors import FieldProblem, InvalidInput
from app.core.rows import validate_rows

MAX_ROWS = 5000
CSV_FIELDS = (
    "entity",
    "metric",
    "value_text",
    "figure_type",
    "period",
    "kind",
    "basis",
    "stated_by",
    "asserted_on",
    "statement",
    "tags",
    "source_id",
    "source_url",
    "source_title",
    "source_publisher",
    "source_published_on",
    "source_kind",
    "quote",
)
REQUIRED_CSV = ("entity", "metric", "value_text", "stated_by", "asserted_on", "statement")


def _csv_row(row: dict[str | None, Any]) -> dict[str, Any]:
    """A CSV row in the JSON shape: empty cells are absent, one citation per row."""
    if row.get(None):
        raise ValueError("the row has more cells than the header has columns")
    cell = {k: (v or "").strip() for k, v in row.items() if k is not None and isinstance(v, str)}
    out: dict[str, Any] = {
        k: cell[k]
        for k in (
            *("entity", "metric", "value_text", "figure_type", "period", "kind", "basis"),
            "stated_by",
        )
        if cell.get(k)
    }
    for k in ("asserted_on", "statement"):
        if cell.get(k):
            out[k] = cell[k]
    if cell.get("tags"):
        out["tags"] = [t for t in cell["tags"].split(";") if t.strip()]
    citation: dict[str, Any] = {}
    if cell.get("source_id"):
        citation["source_id"] = cell["source_id"]
    for name in ("url", "title", "publisher", "published_on", "kind"):
        if cell.get(f"source_{name}"):
            citation[name] = cell[f"source_{name}"]
    if citation or cell.get("quote"):
        citation["quote"] = cell.get("quote", "")
        out["citations"] = [citation]
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
    unknown = [name for name in header if name not in CSV_FIELDS]
    if unknown:
        raise InvalidInput(f"the CSV header has unknown columns {unknown}", field="header")
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
