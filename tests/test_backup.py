"""`claimtrack export` / `import`: every table, exact, from one database into another and back.

The source is the test database (demo data plus a few rows of every other kind, inside the
test's transaction); targets are fresh databases beside it: a SQLite file, and a schema on
PostgreSQL when the suite runs there.
"""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, func, insert, text, update
from sqlalchemy.orm import Session
from sqlmodel import col, select
from typer.testing import CliRunner

from app.audit.models import Event
from app.auth import web_sessions
from app.auth.models import ApiKey, Role
from app.backup import (
    NOT_CARRIED,
    BackupError,
    export,
    export_file,
    import_file,
    nonempty_tables,
    tables,
)
from app.claims.models import Claim
from app.cli import cli
from app.core.config import Settings
from app.core.db import make_engine
from app.core.models import as_utc, utcnow
from app.demo.load import load
from app.entities.models import Entity
from app.fx.models import FxRate
from app.indicators.models import Indicator, Observation, Target
from app.tables import metadata
from app.webhooks.models import WebhookDelivery, WebhookOutbox
from tests.conftest import KeyFactory, alembic_config
from tests.factories import claim_body

SCHEMA = "backup_check"
EXACT = Decimal("16450000000.005")

EngineFactory = Callable[[str], Engine]


@pytest.fixture
def databases(engine: Engine, tmp_path: Path) -> Iterator[EngineFactory]:
    """Fresh migrated databases: `make("sqlite")` a file, `make("same")` one of the suite's kind
    (a schema beside the test one on PostgreSQL)."""
    made: list[Engine] = []
    schemas: list[str] = []

    def make(kind: str) -> Engine:
        if kind == "same" and engine.dialect.name == "postgresql":
            schema = f"{SCHEMA}_{len(schemas)}"
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            schemas.append(schema)
            target = create_engine(engine.url, connect_args={"options": f"-csearch_path={schema}"})
        else:
            url = f"sqlite:///{tmp_path / f'target-{len(made)}.db'}"
            target = make_engine(Settings(database_url=url))
        with target.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        made.append(target)
        return target

    yield make
    for target in made:
        target.dispose()
    for schema in schemas:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


@pytest.fixture
def filled(
    session: Session, client: TestClient, auth: KeyFactory, admin: dict[str, str]
) -> dict[str, Any]:
    """The demo plus a row of every other kind: a separation, a review, vintages, a rate, a
    revoked key made by another key, a claim whose value needs every digit and whose tags
    sort differently by bytes and by most locales."""
    load(session)
    session.commit()
    analyst, reviewer = auth(Role.ANALYST), auth(Role.REVIEWER)
    made = client.post("/api/v1/keys", json={"name": "temp", "role": "reader"}, headers=admin)
    assert made.status_code == 201, made.text
    assert client.delete(f"/api/v1/keys/{made.json()['id']}", headers=admin).status_code == 200
    exact = client.post(
        "/api/v1/claims",
        json=claim_body(
            value_text="$16,450,000,000.005",
            entity="balkhash-npp",
            period="2030",
            tags=["ab", "é", "a_b", "a-b"],
        ),
        headers=analyst,
    )
    assert exact.status_code == 201, exact.text
    change = client.post(
        "/api/v1/claims",
        json=claim_body(value_text="fell by almost 12%", entity="balkhash-npp", period="2031"),
        headers=analyst,
    )
    assert change.status_code == 201, change.text
    review = client.post(
        f"/api/v1/claims/{exact.json()['id']}/reviews",
        json={"verdict": "mostly_accurate", "note": "rounded"},
        headers=reviewer,
    )
    assert review.status_code == 201, review.text
    conflict = client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"][0]
    resolved = client.post(
        f"/api/v1/flags/{conflict['id']}/resolve",
        json={"resolution": "different_quantities", "reason": "goods vs goods and services"},
        headers={**reviewer, "If-Match": "*"},
    )
    assert resolved.status_code == 200, resolved.text
    # Two claims' verification items: one assigned, one dismissed (columns of claims).
    first, second = client.get("/api/v1/flags?kind=unverified&limit=2", headers=analyst).json()[
        "items"
    ]
    keys = client.get("/api/v1/keys", headers=admin).json()
    (reviewer_id,) = [k["id"] for k in keys if k["role"] == "reviewer"]
    assigned = client.post(
        f"/api/v1/flags/{first['id']}/assign",
        json={"assignee_id": reviewer_id},
        headers={**reviewer, "If-Match": "*"},
    )
    assert assigned.status_code == 200, assigned.text
    dismissed = client.post(
        f"/api/v1/flags/{second['id']}/resolve",
        json={"resolution": "dismissed", "reason": "a known figure"},
        headers={**reviewer, "If-Match": "*"},
    )
    assert dismissed.status_code == 200, dismissed.text
    rate = {"base": "EUR", "quote": "USD", "rate": "1.0825", "as_of": "2025-06-30"}
    keyed = {**analyst, "Idempotency-Key": "backup-rate-1"}  # an idempotency record too
    assert client.post("/api/v1/fx-rates", json=rate, headers=keyed).status_code == 201
    indicator = session.execute(
        select(Indicator.id).where(Indicator.slug == "eaeu-trade-turnover")
    ).scalar_one()
    vintages = [
        {"period": "2024", "value_text": "$64.5 billion", "vintage": "2025-02-01"},
        {"period": "2024", "value_text": "$64.62 billion", "vintage": "2025-05-15"},
        {"period": "2025", "value_text": "$66 billion", "vintage": "2026-02-01"},
    ]
    observed = client.post(
        f"/api/v1/indicators/{indicator}/observations", json=vintages, headers=analyst
    )
    assert observed.status_code == 201, observed.text
    # A key that names a later key as its maker: import must fill that in after both exist.
    first = session.execute(select(func.min(col(ApiKey.id)))).scalar_one()
    assert first is not None
    session.execute(
        update(ApiKey).where(col(ApiKey.id) == first).values(created_by_id=made.json()["id"])
    )
    web_sessions.start(session, first)  # someone signed in to the web app
    hook = client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example.org/x", "event_types": ["flag.opened"]},
        headers=analyst,
    )
    assert hook.status_code == 201, hook.text
    # An event queued and an attempt logged: neither travels (a restored copy must not resend).
    queued = session.execute(
        insert(WebhookOutbox)
        .values(
            event_id="msg_1",
            subscription_id=hook.json()["id"],
            event_type="flag.opened",
            payload={"type": "flag.opened"},
            created_at=utcnow(),
            next_attempt_at=utcnow(),
            attempts=1,
            state="pending",
        )
        .returning(col(WebhookOutbox.id))
    ).scalar_one()
    session.execute(
        insert(WebhookDelivery).values(
            outbox_id=queued,
            subscription_id=hook.json()["id"],
            event_id="msg_1",
            event_type="flag.opened",
            attempt=1,
            status_code=500,
            latency_ms=3,
            attempted_at=utcnow(),
        )
    )
    session.commit()
    return {
        "claim_id": exact.json()["id"],
        "change_id": change.json()["id"],
        "indicator_id": indicator,
        "key_id": made.json()["id"],
    }


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def export_source(connection: Connection, path: Path) -> dict[str, int]:
    with path.open("wb") as out:
        return export(connection, out)


def counts(conn: Connection) -> dict[str, int]:
    """Rows of each table an export carries."""
    return {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables()
    }


def rows_of(path: Path, table: str) -> list[dict[str, Any]]:
    """The rows of one table in an export file, in file order, as column -> JSON value."""
    columns: list[str] = []
    current, rows = None, []
    for line in lines(path)[1:]:
        document = orjson.loads(line)
        if isinstance(document, dict) and "table" in document:
            current, columns = document["table"], document["columns"]
        elif current == table:
            rows.append(dict(zip(columns, document, strict=True)))
    return rows


def test_export_import_export_gives_the_same_file(
    connection: Connection, filled: dict[str, Any], databases: EngineFactory, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    exported = export_source(connection, first)
    target = databases("same")
    imported = import_file(target, first)
    export_file(target, second)

    assert lines(first)[1:] == lines(second)[1:]
    header = orjson.loads(lines(first)[0])
    assert sorted(header) == ["alembic_revision", "exported_at", "format", "version"]
    assert (header["format"], header["version"]) == ("claimtrack-export", 1)
    source_counts = counts(connection)
    assert exported == imported == source_counts
    carried = [t.name for t in metadata.sorted_tables if t.name not in NOT_CARRIED]
    assert list(source_counts) == carried
    assert [name for name, n in source_counts.items() if n == 0] == []
    assert sorted(NOT_CARRIED) == ["webhook_deliveries", "webhook_outbox"]
    assert b'"webhook_outbox"' not in first.read_bytes()
    with target.connect() as conn:
        assert counts(conn) == source_counts
        value, low, high = conn.execute(
            select(col(Claim.value), col(Claim.low), col(Claim.high)).where(
                col(Claim.id) == filled["claim_id"]
            )
        ).one()
        assert (value, low, high) == (
            EXACT,
            Decimal("16450000000.0045"),
            Decimal("16450000000.0055"),
        )
        assert str(value) == "16450000000.005"
        change = conn.execute(
            select(col(Claim.figure_type), col(Claim.value), col(Claim.low), col(Claim.high)).where(
                col(Claim.id) == filled["change_id"]
            )
        ).one()
        assert tuple(change) == ("change", Decimal(-12), Decimal(-12), Decimal("-11.4"))
        # How an indicator adds up and the period its targets start on come across.
        aggregation, period_start = conn.execute(
            select(col(Indicator.aggregation), col(Target.period_start))
            .join(Target, col(Target.indicator_id) == col(Indicator.id))
            .where(col(Indicator.id) == filled["indicator_id"])
        ).one()
        assert (aggregation, period_start) == ("flow", date(2026, 1, 1))
        rate = conn.execute(select(col(FxRate.rate))).scalar_one()
        assert str(rate) == "1.0825"
        observations = conn.execute(
            select(col(Observation.period_text), col(Observation.vintage), col(Observation.value))
            .where(Observation.indicator_id == filled["indicator_id"])
            .order_by(col(Observation.id))
        ).all()
        assert [(p, v, str(x)) for p, v, x in observations] == [
            # the demo's history, then the vintages added above
            ("2015", date(2023, 8, 7), "44500000000"),
            ("2020", date(2021, 5, 21), "55000000000"),
            ("2022", date(2023, 8, 7), "83300000000"),
            ("2024", date(2025, 2, 1), "64500000000"),
            ("2024", date(2025, 5, 15), "64620000000"),
            ("2025", date(2026, 2, 1), "66000000000"),
        ]
        source_key = connection.execute(
            select(ApiKey.key_hash, ApiKey.revoked_at, ApiKey.created_by_id).where(
                ApiKey.id == filled["key_id"]
            )
        ).one()
        key = conn.execute(
            select(ApiKey.key_hash, ApiKey.revoked_at, ApiKey.created_by_id).where(
                ApiKey.id == filled["key_id"]
            )
        ).one()
        assert key.revoked_at is not None
        assert key.created_by_id is not None
        assert (key.key_hash, as_utc(key.revoked_at), key.created_by_id) == (
            source_key.key_hash,
            as_utc(source_key.revoked_at),
            source_key.created_by_id,
        )
        last_event = select(Event.after).order_by(col(Event.id).desc()).limit(1)
        assert conn.execute(last_event).scalar_one() == connection.execute(last_event).scalar_one()
    tags = [r["tag"] for r in rows_of(first, "claim_tags") if r["claim_id"] == filled["claim_id"]]
    assert tags == ["a-b", "a_b", "ab", "é"]
    with target.connect() as conn:
        makers = select(ApiKey.id, ApiKey.created_by_id).order_by(col(ApiKey.id))
        assert conn.execute(makers).all() == connection.execute(makers).all()
    (claim,) = [r for r in rows_of(first, "claims") if r["id"] == filled["claim_id"]]
    assert (claim["value"], claim["low"]) == ("16450000000.005", "16450000000.0045")
    assert claim["created_at"].endswith("+00:00")


def test_import_moves_ids_on_so_new_rows_do_not_collide(
    connection: Connection, filled: dict[str, Any], databases: EngineFactory, tmp_path: Path
) -> None:
    path = tmp_path / "backup.jsonl"
    export_source(connection, path)
    target = databases("same")
    import_file(target, path)
    with target.begin() as conn:
        top = conn.execute(select(func.max(col(Entity.id)))).scalar_one()
        new = conn.execute(
            insert(Entity)
            .values(slug="after-restore", name="After restore", created_at=utcnow())
            .returning(col(Entity.id))
        ).scalar_one()
    assert top is not None
    assert new == top + 1


def test_backup_moves_between_sqlite_and_the_suite_database(
    connection: Connection, filled: dict[str, Any], databases: EngineFactory, tmp_path: Path
) -> None:
    """On PostgreSQL: PostgreSQL -> SQLite -> PostgreSQL, through a gzip file in between."""
    first, second, third = tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz", tmp_path / "c.jsonl"
    export_source(connection, first)
    sqlite = databases("sqlite")
    import_file(sqlite, first)
    export_file(sqlite, second)
    assert second.read_bytes()[:2] == b"\x1f\x8b"
    back = databases("same")
    import_file(back, second)
    export_file(back, third)
    assert lines(first)[1:] == lines(third)[1:]
    with back.connect() as conn:
        value = conn.execute(select(col(Claim.value)).where(col(Claim.id) == filled["claim_id"]))
        assert value.scalar_one() == EXACT


def test_import_refuses_a_database_with_rows(
    connection: Connection, filled: dict[str, Any], databases: EngineFactory, tmp_path: Path
) -> None:
    path = tmp_path / "backup.jsonl"
    export_source(connection, path)
    target = databases("same")
    with target.begin() as conn:
        conn.execute(
            insert(Entity).values(slug="already-here", name="Already here", created_at=utcnow())
        )
    with pytest.raises(BackupError) as refused:
        import_file(target, path)
    assert str(refused.value) == "import needs an empty database; these tables have rows: entities"


def test_cli_import_exits_2_on_a_database_with_rows(
    databases: EngineFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = databases("sqlite")
    with target.begin() as conn:
        conn.execute(insert(Entity).values(slug="here", name="Here", created_at=utcnow()))
    monkeypatch.setattr("app.core.db.get_engine", lambda: target)
    path = tmp_path / "backup.jsonl.gz"
    runner = CliRunner()
    exported = runner.invoke(cli, ["export", str(path)])
    assert (exported.exit_code, exported.stdout) == (
        0,
        f"exported 1 rows of {len(tables())} tables to {path}\n",
    )
    refused = runner.invoke(cli, ["import", str(path)])
    assert (refused.exit_code, refused.stderr) == (
        2,
        "import refused: import needs an empty database; these tables have rows: entities\n",
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [("backup.jsonl", "truncated"), ("backup.jsonl.gz", "gzip file is damaged or truncated")],
)
def test_import_of_a_truncated_file_leaves_the_database_empty(
    connection: Connection,
    filled: dict[str, Any],
    databases: EngineFactory,
    tmp_path: Path,
    name: str,
    message: str,
) -> None:
    whole, path = tmp_path / "whole.jsonl", tmp_path / name
    export_source(connection, whole)
    source = databases("sqlite")
    import_file(source, whole)
    export_file(source, path)
    data = path.read_bytes()
    if name.endswith(".gz"):
        path.write_bytes(data[: len(data) - 200])
    else:
        path.write_bytes(b"\n".join(data.splitlines()[:-1]) + b"\n")
    target = databases("same")
    with pytest.raises(BackupError, match=message):
        import_file(target, path)
    with target.connect() as conn:
        assert nonempty_tables(conn) == []


def test_import_refuses_another_revision_and_an_unmigrated_database(
    databases: EngineFactory, tmp_path: Path
) -> None:
    source = databases("sqlite")
    path = tmp_path / "empty.jsonl"
    assert set(export_file(source, path).values()) == {0}
    header, *rest = lines(path)
    older = orjson.loads(header) | {"alembic_revision": "3aca8811b99b"}
    path.write_bytes(b"\n".join([orjson.dumps(older), *rest]) + b"\n")
    with pytest.raises(BackupError, match=r"^the file is from revision 3aca8811b99b"):
        import_file(databases("sqlite"), path)
    bare = make_engine(Settings(database_url=f"sqlite:///{tmp_path / 'bare.db'}"))
    path.write_bytes(b"\n".join([header, *rest]) + b"\n")
    with pytest.raises(BackupError, match="not migrated"):
        import_file(bare, path)
    bare.dispose()
