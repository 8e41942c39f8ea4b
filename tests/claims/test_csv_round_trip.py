"""Claims CSV round-trips: what `GET /claims?format=csv` writes, `POST /claims:bulk` reads back,
into an empty database, and exports again the same but for ids."""

import csv
import io
from typing import Any

import orjson
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import ApiKeyCreate, Role
from app.claims.bulk import CSV_FIELDS, READ_ONLY_CSV
from app.claims.listing import CSV_COLUMNS
from app.flows import keys
from app.main import create_app
from tests.conftest import _on_test_session
from tests.factories import claim_body
from tests.test_backup import EngineFactory, databases  # noqa: F401  (a fixture)

CSV = {"Content-Type": "text/csv"}
TWO_CITATIONS = [
    {
        "url": "https://stat.example/trade",
        "title": "Trade 2024",
        "publisher": "Statistics Bureau",
        "published_on": "2025-02-01",
        "kind": "statistics",
        "quote": "turnover reached $44 billion; a record",
    },
    {"url": "https://news.example/a", "title": "Record trade", "quote": 'he said "44"'},
]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _without_ids(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{k: v for k, v in r.items() if k not in ("id", "sources")} for r in rows]


def _export(client: TestClient, headers: dict[str, str]) -> str:
    response = client.get("/api/v1/claims?format=csv&sort=id", headers=headers)
    assert response.status_code == 200, response.text
    return response.text


def test_export_imports_into_an_empty_database_and_exports_the_same(
    client: TestClient,
    analyst: dict[str, str],
    databases: EngineFactory,  # noqa: F811
) -> None:
    bodies = [
        claim_body(
            entity="China-Kazakhstan trade",
            metric="trade turnover",
            value_text="$44 billion",
            period="2024",
            basis="China customs",
            tags=["trade", "china"],
            citations=TWO_CITATIONS,
        ),
        claim_body(value_text="more than 4,000 km", metric="new rail length", citations=[]),
        claim_body(value_text="+176 per cent", metric="trade turnover", period="2023"),
        claim_body(value_text="105.3%", value_is_index=True, metric="industrial output"),
    ]
    for body in bodies:
        made = client.post("/api/v1/claims", json=body, headers=analyst)
        assert made.status_code == 201, made.text
    first = _export(client, analyst)
    cells = _rows(first)
    assert len(cells) == 4
    assert orjson.loads(cells[0]["citations"]) == [
        TWO_CITATIONS[0],
        {**TWO_CITATIONS[1], "kind": "other"},
    ]
    assert (cells[1]["citations"], cells[3]["value_is_index"]) == ("", "true")

    # A SQLite file: on PostgreSQL a schema beside the test one would wait on the advisory
    # locks the test's open transaction holds on the same names (they are per database).
    target = databases("sqlite")
    with Session(target, expire_on_commit=False) as other:
        _, secret = keys.create(
            other, ApiKeyCreate(name="import", role=Role.ANALYST), created_by_id=None
        )
        other.commit()
        headers = {"Authorization": f"Bearer {secret}"}
        app = _on_test_session(create_app(), other)
        with TestClient(app, raise_server_exceptions=False) as fresh:
            imported = fresh.post("/api/v1/claims:bulk", content=first, headers={**headers, **CSV})
            assert imported.status_code == 201, imported.text
            assert imported.json()["created"] == 4
            assert [len(c["citations"]) for c in imported.json()["items"]] == [2, 0, 1, 1]
            again = _export(fresh, headers)
    assert _without_ids(_rows(again)) == _without_ids(cells)


def test_bulk_csv_refuses_unknown_columns_naming_them(
    client: TestClient, analyst: dict[str, str]
) -> None:
    text = (
        "entity,metric,value_text,stated_by,asserted_on,statement,id,colour,size\n"
        "KTZ,investment,$10 billion,KTZ,2026-05-28,ok,7,red,9\n"
    )
    refused = client.post("/api/v1/claims:bulk", content=text, headers={**analyst, **CSV})
    assert (refused.status_code, refused.json()["field"]) == (422, "header")
    assert refused.json()["detail"].startswith(
        "the CSV header has unknown columns ['colour', 'size']"
    )


def test_bulk_csv_row_carries_several_citations(
    client: TestClient, analyst: dict[str, str]
) -> None:
    cited = orjson.dumps(TWO_CITATIONS[:1]).decode().replace('"', '""')
    text = (
        "entity,metric,value_text,stated_by,asserted_on,statement,"
        "citations,source_url,source_title,quote\n"
        f'KTZ,investment,$10 billion,KTZ,2026-05-28,ok,"{cited}",https://b.example/x,B,ten\n'
        "KTZ,investment,$11 billion,KTZ,2026-05-28,bad,[1,ignored\n"
    )
    refused = client.post("/api/v1/claims:bulk", content=text, headers={**analyst, **CSV})
    assert (refused.status_code, refused.json()["errors"][0]["row"]) == (422, 2)
    ok = client.post(
        "/api/v1/claims:bulk",
        content=text.rsplit("\n", 2)[0] + "\n",
        headers={**analyst, **CSV},
    )
    assert ok.status_code == 201, ok.text
    quotes = [c["quote"] for c in ok.json()["items"][0]["citations"]]
    assert sorted(quotes) == ["ten", "turnover reached $44 billion; a record"]


def test_openapi_declares_the_csv_columns(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/v1/claims:bulk"]["post"]["requestBody"]["content"]["text/csv"]
    columns = body["schema"]["x-csv-columns"]["properties"]
    assert set(columns) == set(CSV_FIELDS) | set(READ_ONLY_CSV)
    assert set(CSV_COLUMNS) <= set(columns)
    assert [n for n, c in columns.items() if c.get("readOnly")] == list(READ_ONLY_CSV)


def _readme() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_lists_every_csv_column() -> None:
    readme = _readme()
    missing: list[Any] = [n for n in (*CSV_FIELDS, *READ_ONLY_CSV) if f"`{n}`" not in readme]
    assert missing == []
