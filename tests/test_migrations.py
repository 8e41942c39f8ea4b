"""Alembic owns the schema: no drift from the models, and every revision goes down and up."""

import re
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, inspect, select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth import service as keys
from app.auth import web_sessions
from app.auth.models import ApiKeyCreate, Role
from app.claims.models import Claim
from app.claims.search import DOCUMENTS_TABLE
from app.core.models import utcnow
from app.demo.load import load
from app.flows import review
from app.fx import service as fx
from app.fx.models import FxRateCreate
from app.idempotency.models import IdempotencyRecord
from app.review import resolution
from app.review.models import Flag, FlagKind, FlagStatus, ResolveDifferent, ReviewIn, Verdict
from app.tables import include_name, is_index_table, metadata
from app.webhooks.models import WebhookDelivery, WebhookOutbox, WebhookSubscription
from tests.conftest import ROOT, _tmp, alembic_config
from tests.reliability.harness import scratch_database


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []


@pytest.fixture
def scratch(engine: Engine) -> Iterator[Connection]:
    """An empty database beside the test one: a file on SQLite, a schema on PostgreSQL."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            conn.execute(text("CREATE SCHEMA migration_check"))
            conn.execute(text("SET search_path TO migration_check"))
            conn.commit()
            yield conn
            conn.rollback()
            conn.execute(text("SET search_path TO public"))
            conn.execute(text("DROP SCHEMA migration_check CASCADE"))
            conn.commit()
    else:
        scratch_engine = create_engine(f"sqlite:///{_tmp / 'migrations.db'}")
        with scratch_engine.connect() as conn:
            yield conn
        scratch_engine.dispose()


def _tables(conn: Connection) -> set[str]:
    """The tables the models describe (not the search index: tests/claims/test_search_index)."""
    names = set(inspect(conn).get_table_names()) - {"alembic_version"}
    return {name for name in names if not is_index_table(name)}


def _index_tables(conn: Connection) -> set[str]:
    """The search index's tables (on SQLite FTS5's own among them)."""
    return {name for name in inspect(conn).get_table_names() if is_index_table(name)}


def test_upgrade_downgrade_upgrade(scratch: Connection) -> None:
    cfg = alembic_config(scratch)
    command.upgrade(cfg, "head")
    scratch.commit()
    assert _tables(scratch) == set(metadata.tables)
    assert DOCUMENTS_TABLE in _index_tables(scratch)
    command.downgrade(cfg, "base")
    scratch.commit()
    assert _tables(scratch) == _index_tables(scratch) == set()
    command.upgrade(cfg, "head")
    scratch.commit()
    assert _tables(scratch) == set(metadata.tables)


# --- migrations with data ---------------------------------------------------------------------
#
# Each revision's downgrade drops what that revision added, by design: going down to the third
# revision drops the idempotency records; going down to the first revision also drops the
# indicators, targets and observations, flags, reviews, fx rates and separations, and the claims'
# rank, rank_reason and verification columns. Everything else must come back from a round trip
# row for row, and rows written while at an older revision must survive the upgrade. Run on a
# database set up as the app sets it up (on SQLite: foreign keys on, the way `claimtrack migrate`
# runs).

FIRST = "59c6466e8b2d"
SECOND = "3aca8811b99b"
THIRD = "745ddff1462a"
FOURTH = "602e357a437f"
FIFTH = "df65a9e74656"  # the last before claims stored their verification once (SIXTH)
SIXTH = "fe26b8382a68"  # before one source a page, publishers, and figure types
ADDED_BY_FOURTH = {"idempotency_keys"}
ADDED_BY_THIRD = {"indicators", "indicator_targets", "observations"}
ADDED_BY_SECOND = {"flags", "flag_claims", "claim_separations", "fx_rates", "reviews"}
CLAIM_COLUMNS_OF_SECOND = ("rank", "rank_reason", "verification")


def _load(engine: Engine) -> None:
    """The demo data, plus a key, a review, an fx rate, a separation and an idempotency record:
    every table has rows."""
    with Session(engine) as session, session.begin():
        assert load(session) > 0
        key, _ = keys.create(
            session, ApiKeyCreate(name="migrations", role=Role.ADMIN), created_by_id=None
        )
        claim = session.execute(select(Claim).order_by(col(Claim.id)).limit(1)).scalar_one()
        assert claim.id is not None
        review.add_review(session, claim.id, ReviewIn(verdict=Verdict.ACCURATE), key=key)
        fx.create(
            session,
            FxRateCreate(base="EUR", quote="USD", rate=Decimal("1.08"), as_of=date(2025, 1, 2)),
            actor_id=key.id,
        )
        session.add(
            IdempotencyRecord(
                api_key_id=key.id or 0,
                key="migrations-1",
                fingerprint="0" * 64,
                status_code=201,
                headers={"Location": "/api/v1/fx-rates/1"},
                body=b'{"id": 1}',
            )
        )
        flag = (
            session.execute(
                select(Flag).where(
                    col(Flag.kind) == FlagKind.CONFLICT, col(Flag.status) == FlagStatus.OPEN
                )
            )
            .scalars()
            .first()
        )
        assert flag is not None and flag.id is not None
        resolution.resolve(
            session,
            flag.id,
            ResolveDifferent(resolution="different_quantities", reason="two series"),
            expected_version=None,
            actor_id=key.id,
        )
        assert key.id is not None
        web_sessions.start(session, key.id)
        hook = WebhookSubscription(
            owner_key_id=key.id,
            url="https://hooks.example.org/x",
            event_types=["flag.opened"],
            secret_encrypted="token",
        )
        session.add(hook)
        session.flush()
        assert hook.id is not None
        event = WebhookOutbox(
            event_id="msg_1", subscription_id=hook.id, event_type="flag.opened", payload={}
        )
        session.add(event)
        session.flush()
        assert event.id is not None
        session.add(
            WebhookDelivery(
                outbox_id=event.id,
                subscription_id=hook.id,
                event_id="msg_1",
                event_type="flag.opened",
                attempt=1,
                latency_ms=1,
            )
        )


def _rows(engine: Engine, *, drop_columns: Mapping[str, tuple[str, ...]] | None = None) -> Any:
    """Every row of every table, in primary-key order (minus the named columns)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name in sorted(_tables(conn)):
            table = Table(name, MetaData(), autoload_with=conn)
            skip = (drop_columns or {}).get(name, ())
            columns = [c for c in table.columns if c.name not in skip]
            order = list(table.primary_key.columns) or columns
            out[name] = [tuple(r) for r in conn.execute(select(*columns).order_by(*order))]
    return out


def _migrate(engine: Engine, to: str, *, down: bool) -> None:
    """As `claimtrack migrate` does it: alembic's env.py opens the connection itself."""
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["engine"] = engine
    (command.downgrade if down else command.upgrade)(cfg, to)


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    with scratch_database(engine, tmp_path, "migrations") as db:
        _load(db.engine)
        yield db.engine


QUEUED_FLAGS = (
    "SELECT f.kind, f.status, m.claim_id, f.assignee_id, f.resolved_by_id, f.reason FROM flags f"
    " JOIN flag_claims m ON m.flag_id = f.id"
    " WHERE f.kind IN ('unsourced', 'unverified') ORDER BY m.claim_id"
)
QUEUED_CLAIMS = (
    "SELECT verification, 'open', id, NULL, NULL, NULL FROM claims"
    " WHERE status = 'active' AND verification IN ('unsourced', 'unverified') ORDER BY id"
)


def test_round_trips_keep_every_row_their_revisions_do_not_drop(loaded: Engine) -> None:
    without_second = {"claims": CLAIM_COLUMNS_OF_SECOND}
    at_head = _rows(loaded)
    assert all(at_head[name] for name in at_head), [n for n in at_head if not at_head[n]]
    # Below the sixth revision each unsourced or unverified claim has its flag (rebuilt by
    # the downgrade); up again, they leave and every row is as it was.
    with loaded.connect() as conn:
        queued = conn.execute(text(QUEUED_CLAIMS)).all()
    # The seventh revision builds the publishers anew from the sources' names: the same ones,
    # made at the time of the upgrade.
    # An indicator's aggregation is gone below the revision that adds it: up again, each takes
    # that upgrade's default (a rate for a percent, else a stock), not what the demo set.
    made = {"publishers": ("created_at", "updated_at"), "indicators": ("aggregation",)}
    at_head_but_made = _rows(loaded, drop_columns=made)
    _migrate(loaded, FIFTH, down=True)
    with loaded.connect() as conn:
        assert conn.execute(text(QUEUED_FLAGS)).all() == queued != []
    _migrate(loaded, "head", down=False)
    # Web sessions end on a downgrade past their revision (everyone signs in again); webhook
    # subscriptions, their outbox and log, past theirs.
    assert _rows(loaded, drop_columns=made) == {
        **at_head_but_made,
        "web_sessions": [],
        "webhook_subscriptions": [],
        "webhook_outbox": [],
        "webhook_deliveries": [],
    }
    with loaded.connect() as conn:
        aggregations = conn.execute(
            text("SELECT aggregation, count(*) FROM indicators GROUP BY aggregation ORDER BY 1")
        ).all()
    assert [tuple(r) for r in aggregations] == [("rate", 4), ("stock", 10)]
    # The earlier revisions, from the fifth.
    _migrate(loaded, FIFTH, down=True)
    at_head = _rows(loaded)
    at_head_without_second = _rows(loaded, drop_columns=without_second)
    # Down to the third revision and up again: only the fourth's table loses its rows.
    _migrate(loaded, THIRD, down=True)
    assert _rows(loaded) == {k: v for k, v in at_head.items() if k not in ADDED_BY_FOURTH}
    _migrate(loaded, FIFTH, down=False)
    assert _rows(loaded) == {**at_head, **{name: [] for name in ADDED_BY_FOURTH}}
    # Down to the first revision, a row written there, and up to head again.
    _migrate(loaded, FIRST, down=True)
    gone = ADDED_BY_FOURTH | ADDED_BY_THIRD | ADDED_BY_SECOND
    assert _rows(loaded) == {k: v for k, v in at_head_without_second.items() if k not in gone}
    with loaded.begin() as conn:
        conn.execute(
            text("INSERT INTO entities (slug, name, created_at) VALUES ('new', 'New', :t)"),
            {"t": utcnow()},
        )
    _migrate(loaded, FIFTH, down=False)
    again = _rows(loaded, drop_columns=without_second)
    assert again["entities"][-1][1:3] == ("new", "New")
    again["entities"].pop()
    assert again == {**at_head_without_second, **{name: [] for name in gone}}
    # The columns the second revision adds are filled as its upgrade says.
    with loaded.connect() as conn:
        states = conn.execute(
            text(
                "SELECT c.rank, c.verification, EXISTS (SELECT 1 FROM citations t"
                " WHERE t.claim_id = c.id) FROM claims c"
            )
        ).all()
    assert {(rank, state, bool(cited)) for rank, state, cited in states} <= {
        ("normal", "unverified", True),
        ("normal", "unsourced", False),
    }


def test_verification_flags_move_onto_their_claims_and_come_back_on_downgrade(
    loaded: Engine,
) -> None:
    """The sixth revision carries an open unverified/unsourced flag's assignee and a dismissed
    one's dismissal onto its claim, then deletes those flags, their members and their flag
    events; the claims' own events stay."""
    _migrate(loaded, FIFTH, down=True)
    with loaded.begin() as conn:
        key = conn.execute(text("SELECT id FROM api_keys ORDER BY id LIMIT 1")).scalar_one()
        (open_id, open_claim), (gone_id, gone_claim) = conn.execute(
            text(
                "SELECT f.id, m.claim_id FROM flags f JOIN flag_claims m ON m.flag_id = f.id"
                " WHERE f.kind IN ('unsourced', 'unverified') ORDER BY f.id LIMIT 2"
            )
        ).all()
        conn.execute(
            text("UPDATE flags SET assignee_id = :k WHERE id = :f"), {"k": key, "f": open_id}
        )
        conn.execute(
            text(
                "UPDATE flags SET status = 'dismissed', resolution = 'dismissed',"
                " resolved_at = :t, resolved_by_id = :k, reason = 'known' WHERE id = :f"
            ),
            {"k": key, "f": gone_id, "t": utcnow()},
        )
        conn.execute(
            text(
                "INSERT INTO events (action, record_type, record_id, occurred_at)"
                " VALUES ('flag.opened', 'flag', :f, :t), ('flag.resolved', 'flag', :f, :t)"
            ),
            {"f": gone_id, "t": utcnow()},
        )
        claim_events = conn.execute(
            text("SELECT count(*) FROM events WHERE record_type = 'claim'")
        ).scalar_one()
        flag_events = conn.execute(
            text("SELECT count(*) FROM events WHERE record_type = 'flag'")
        ).scalar_one()
    _migrate(loaded, "head", down=False)
    with loaded.connect() as conn:
        assert conn.execute(text(QUEUED_FLAGS)).all() == []
        assert (
            conn.execute(
                text("SELECT count(*) FROM events WHERE record_type = 'claim'")
            ).scalar_one()
            == claim_events
        )
        assert (
            conn.execute(
                text("SELECT count(*) FROM events WHERE record_type = 'flag'")
            ).scalar_one()
            == flag_events - 2
        )
        carried = conn.execute(
            text(
                "SELECT id, verification_assignee_id, verification_dismissed_by_id,"
                " verification_dismissed_reason, verification_dismissed_at IS NOT NULL"
                " FROM claims WHERE id IN (:a, :b) ORDER BY id"
            ),
            {"a": open_claim, "b": gone_claim},
        ).all()
    assert sorted(carried) == sorted(
        [(open_claim, key, None, None, False), (gone_claim, None, key, "known", True)]
    )
    _migrate(loaded, FIFTH, down=True)
    with loaded.connect() as conn:
        back = {r[2]: r for r in conn.execute(text(QUEUED_FLAGS)).all()}
    assert (back[open_claim][1], back[open_claim][3]) == ("open", key)
    assert back[gone_claim][1:] == ("dismissed", gone_claim, None, key, "known")


def test_bootstrap_keys_get_a_random_prefix_on_upgrade_and_their_old_one_back_on_downgrade(
    engine: Engine, tmp_path: Path
) -> None:
    """A key chosen by a deployer was stored under 64 bits of its HMAC ("h_" + 16 hex digits),
    listed by GET /keys and logged on every request; the upgrade replaces it with a random one,
    in its key.created event too, and the key still works."""
    text_key = "a deployer's chosen bootstrap key"
    with scratch_database(engine, tmp_path, "bootstrap") as db:
        _migrate(db.engine, FOURTH, down=True)
        old = "h_" + keys.hash_key(text_key)[:16]
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO api_keys (name, role, prefix, key_hash, created_at)"
                    " VALUES ('bootstrap admin', 'admin', :prefix, :hash, :t)"
                ),
                {"prefix": old, "hash": keys.hash_key(text_key), "t": utcnow()},
            )
            conn.execute(
                text(
                    "INSERT INTO events (action, record_type, record_id, after, occurred_at)"
                    " VALUES ('key.created', 'key', 1, :after, :t)"
                ),
                {"after": f'{{"name": "bootstrap admin", "prefix": "{old}"}}', "t": utcnow()},
            )
        _migrate(db.engine, "head", down=False)
        prefix = db.scalar("SELECT prefix FROM api_keys")
        assert re.fullmatch(r"cb_[0-9a-f]{8}", prefix), prefix
        after = db.scalar("SELECT CAST(after AS TEXT) FROM events")
        assert orjson.loads(after) == {"name": "bootstrap admin", "prefix": prefix}
        with Session(db.engine) as session:
            caller = keys.authenticate(session, text_key)
        assert caller is not None and caller.prefix == prefix
        _migrate(db.engine, FOURTH, down=True)
        assert db.scalar("SELECT prefix FROM api_keys") == old


def test_one_page_at_two_spellings_becomes_one_source_and_publishers_are_made(
    engine: Engine, tmp_path: Path
) -> None:
    """Two sources that were one page (http and https, www. and a last slash) become the
    first; the second's citations move to it, but for one that would repeat a citation of the
    same claim with the same quote. Each publisher name, up to its key, becomes a publisher."""
    with scratch_database(engine, tmp_path, "sources") as db:
        _migrate(db.engine, SIXTH, down=True)
        now = utcnow()
        with db.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO entities (slug, name, created_at) VALUES ('ktz', 'KTZ', :t)"),
                {"t": now},
            )
            conn.execute(
                text(
                    "INSERT INTO metrics (slug, name, dimension, unit, created_at)"
                    " VALUES ('investment', 'investment', 'money', 'USD', :t)"
                ),
                {"t": now},
            )
            for url, publisher in (
                ("https://www.kazinform.kz/a/", "Kazinform"),
                ("http://kazinform.kz/a", "KAZINFORM International News Agency"),
                ("https://trend.az/b", None),
            ):
                conn.execute(
                    text(
                        "INSERT INTO sources (url, title, publisher, kind, version, created_at,"
                        " updated_at) VALUES (:u, 'T', :p, 'news', 1, :t, :t)"
                    ),
                    {"u": url, "p": publisher, "t": now},
                )
            for _ in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO claims (entity_id, metric_id, value_text, value_is_index,"
                        " value, unit, dimension, bound, low_open, high_open, kind, stated_by,"
                        " asserted_on, statement, status, rank, verification, version,"
                        " created_at, updated_at) VALUES (1, 1, '$1', false, 1, 'USD', 'money',"
                        " 'exact', false, false, 'reported', 'KTZ', '2026-01-01', 's', 'active',"
                        " 'normal', 'unverified', 1, :t, :t)"
                    ),
                    {"t": now},
                )
            for claim, source, quote in ((1, 1, "q"), (1, 2, "q"), (2, 2, "q"), (2, 3, "r")):
                conn.execute(
                    text(
                        "INSERT INTO citations (claim_id, source_id, quote, created_at)"
                        " VALUES (:c, :s, :q, :t)"
                    ),
                    {"c": claim, "s": source, "q": quote, "t": now},
                )
        _migrate(db.engine, "head", down=False)
        with db.engine.connect() as conn:
            sources = conn.execute(
                text("SELECT id, url_key, publisher_id FROM sources ORDER BY id")
            ).all()
            citations = conn.execute(
                text("SELECT claim_id, source_id FROM citations ORDER BY claim_id, source_id")
            ).all()
            publishers = conn.execute(
                text(
                    "SELECT p.id, p.name, n.key FROM publishers p"
                    " JOIN publisher_names n ON n.publisher_id = p.id"
                )
            ).all()
    assert [tuple(r) for r in sources] == [(1, "kazinform.kz/a", 1), (3, "trend.az/b", None)]
    assert [tuple(r) for r in citations] == [(1, 1), (2, 1), (2, 3)]
    assert [tuple(r) for r in publishers] == [(1, "Kazinform", "kazinform")]


def _comparison_index(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        (index,) = [
            i for i in inspect(conn).get_indexes("claims") if i["name"] == "ix_claims_comparison"
        ]
    return [str(name) for name in index["column_names"]]


def test_stored_claims_become_levels_and_the_comparison_index_takes_the_figure_type(
    loaded: Engine,
) -> None:
    """Every claim stored before figure types was read as a level; the downgrade drops the
    column and gives the comparison index its four columns back."""
    key = ["entity_id", "metric_id", "period_start", "period_end"]
    _migrate(loaded, SIXTH, down=True)
    with loaded.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("claims")}
        claims = conn.execute(text("SELECT count(*) FROM claims")).scalar_one()
    assert "figure_type" not in columns
    assert _comparison_index(loaded) == key
    _migrate(loaded, "head", down=False)
    with loaded.connect() as conn:
        types = conn.execute(
            text("SELECT figure_type, count(*) FROM claims GROUP BY figure_type")
        ).all()
    assert [tuple(t) for t in types] == [("level", claims)] != [("level", 0)]
    assert _comparison_index(loaded) == [*key, "figure_type"]


ENTITIES_VERSIONED = "653a5b477337"  # the last before metrics had aliases


def test_metrics_go_by_their_names_and_slugs_after_the_upgrade(loaded: Engine) -> None:
    """The metric aliases revision gives each metric its name and slug as aliases (a form two
    metrics would share stays the older one's) and version 1, updated when created."""
    _migrate(loaded, ENTITIES_VERSIONED, down=True)
    created = utcnow()
    with loaded.begin() as conn:
        for slug, name in (
            ("port-throughput", "Port throughput"),
            ("throughput", "PORT THROUGHPUT"),
        ):
            conn.execute(
                text(
                    "INSERT INTO metrics (slug, name, dimension, unit, created_at)"
                    " VALUES (:s, :n, 'mass', 't', :t)"
                ),
                {"s": slug, "n": name, "t": created},
            )
    _migrate(loaded, "head", down=False)
    with loaded.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT m.slug, a.alias, a.normalized, m.version, m.updated_at = m.created_at"
                " FROM metric_aliases a JOIN metrics m ON m.id = a.metric_id"
                " WHERE m.slug IN ('port-throughput', 'throughput') ORDER BY a.id"
            )
        ).all()
        demo = conn.execute(
            text(
                "SELECT a.alias FROM metric_aliases a JOIN metrics m ON m.id = a.metric_id"
                " WHERE m.slug = 'gdp' ORDER BY a.id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("port-throughput", "Port throughput", "port throughput", 1, True),
        ("throughput", "throughput", "throughput", 1, True),
    ]
    assert [r[0] for r in demo] == ["Gross domestic product", "gdp"]


BEFORE_HORIZON_KEYS = "8a4dbd7a53bb"  # the revision before horizon conflict keys


def test_horizon_periods_are_marked_and_their_flags_rekeyed_and_back_on_downgrade(
    loaded: Engine,
) -> None:
    """The upgrade marks the claims whose period is a deadline starting on the day they were
    said ("to 2030") and keys a conflict flag over them without that day, as the conflict
    check keys them now; a flag over dated periods keeps its key; the downgrade gives the day
    back and drops the column."""
    with loaded.connect() as conn:
        said = (
            conn.execute(text("SELECT id FROM claims WHERE period_from_said ORDER BY id"))
            .scalars()
            .all()
        )
    assert said != []  # the demo's "to 2030"
    _migrate(loaded, BEFORE_HORIZON_KEYS, down=True)
    claims = "SELECT id, entity_id, metric_id, period_start, period_end FROM claims WHERE id = :i"
    dated_sql = "SELECT min(id) FROM claims WHERE period_start <> asserted_on"
    made: dict[str, tuple[int, str]] = {}
    with loaded.begin() as conn:
        dated_id = conn.execute(text(dated_sql)).scalar_one()
        for name, claim_id in (("horizon", said[0]), ("dated", dated_id)):
            row = conn.execute(text(claims), {"i": claim_id}).one()
            key = f"{row.entity_id}:{row.metric_id}:{row.period_start}:{row.period_end}:goal"
            flag_id = conn.execute(
                text(
                    "INSERT INTO flags (kind, status, group_key, severity, claim_count, summary,"
                    " opened_at, updated_at, version) VALUES ('conflict', 'open', :k, 2, 1, '',"
                    " :t, :t, 1) RETURNING id"
                ),
                {"k": key, "t": utcnow()},
            ).scalar_one()
            conn.execute(
                text("INSERT INTO flag_claims (flag_id, claim_id, added_at) VALUES (:f, :c, :t)"),
                {"f": flag_id, "c": claim_id, "t": utcnow()},
            )
            made[name] = (flag_id, key)

    def key_of(name: str) -> str:
        with loaded.connect() as conn:
            return str(
                conn.execute(
                    text("SELECT group_key FROM flags WHERE id = :i"), {"i": made[name][0]}
                ).scalar_one()
            )

    _migrate(loaded, "head", down=False)
    entity, metric, _, rest = made["horizon"][1].split(":", 3)
    assert key_of("horizon") == f"{entity}:{metric}:-:{rest}"
    assert key_of("dated") == made["dated"][1]
    with loaded.connect() as conn:
        again = (
            conn.execute(text("SELECT id FROM claims WHERE period_from_said ORDER BY id"))
            .scalars()
            .all()
        )
    assert again == said
    _migrate(loaded, BEFORE_HORIZON_KEYS, down=True)
    assert (key_of("horizon"), key_of("dated")) == (made["horizon"][1], made["dated"][1])
