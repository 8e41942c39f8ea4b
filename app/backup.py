"""Export every table to JSON lines and import it into an empty database (`claimtrack export`).

The file, plain or gzip (`.gz`), one JSON document a line:

    {"format": "claimtrack-export", "version": 1, "alembic_revision": "...", "exported_at": "..."}
    {"table": "api_keys", "columns": ["id", "name", ...]}
    [1, "admin", ...]                      one array per row, in the columns' order
    ...                                    every table of the metadata, parents before children
    {"end": true, "rows": {"api_keys": 3, ...}}

Only the models' tables travel: the claims' search index (`claims.search`) is derived, and an
import writes it again through the triggers that keep it (its revision says how). Webhook
subscriptions travel; their outbox and delivery log do not (`NOT_CARRIED`).

Values are exact: decimals as decimal strings, dates as ISO dates, timestamps as ISO timestamps
in UTC with their offset, JSON columns as JSON, ids as stored. Rows are read with a server-side
cursor and written one a line, and read back one a line, so memory does not grow with the data.
"""

import base64
import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import orjson
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    func,
    insert,
    select,
    text,
    update,
)

from app.core.db import WRITE_OPTION
from app.core.models import as_utc
from app.core.types import ExactDecimal
from app.tables import metadata

FORMAT = "claimtrack-export"
VERSION = 1
ROOT = Path(__file__).resolve().parent.parent
BATCH = 1000  # rows fetched at a time by export, inserted at a time by import


class Writer(Protocol):
    def write(self, data: bytes, /) -> object: ...


class Progress(Protocol):
    """Told how far a long export or import is (`claimtrack` draws a bar on a terminal)."""

    def __call__(self, done: int, total: int, /) -> None: ...


class BackupError(Exception):
    """A file or a database that export or import refuses, with the reason in words."""


@dataclass(frozen=True)
class Header:
    alembic_revision: str
    exported_at: datetime


def head_revision() -> str:
    """The newest Alembic revision of this code: the schema its tables describe."""
    head = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision the database has been migrated to (None: never migrated)."""
    return MigrationContext.configure(conn).get_current_revision()


# Webhook events queued and their delivery log belong to the database they were sent from: a
# restored copy must not send them again (its subscriptions travel, secrets still encrypted with
# CLAIMTRACK_WEBHOOK_SECRET_KEY: the restoring server needs the same key to sign).
NOT_CARRIED = frozenset({"webhook_outbox", "webhook_deliveries"})


def tables() -> list[Table]:
    """Every table carried, each after the tables it refers to."""
    return [t for t in metadata.sorted_tables if t.name not in NOT_CARRIED]


def _is_decimal(column: Column[Any]) -> bool:
    return isinstance(column.type, ExactDecimal | Numeric)


def _encoder(column: Column[Any]) -> Callable[[Any], Any]:
    if _is_decimal(column):
        return lambda v: None if v is None else format(v, "f")
    if isinstance(column.type, DateTime):
        return lambda v: None if v is None else _utc(v).isoformat()
    if isinstance(column.type, Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(column.type, LargeBinary):  # bytes travel as base64 text
        return lambda v: None if v is None else base64.b64encode(v).decode("ascii")
    return lambda v: v


def _decoder(column: Column[Any]) -> Callable[[Any], Any]:
    if _is_decimal(column):
        return lambda v: None if v is None else _decimal(v)
    if isinstance(column.type, DateTime):
        return lambda v: None if v is None else _aware(datetime.fromisoformat(v))
    if isinstance(column.type, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(column.type, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v, validate=True)
    return lambda v: v


def _decimal(text: object) -> Decimal:
    """Decimals travel as strings: a JSON number would have passed through a float."""
    value = None
    if isinstance(text, str):
        try:
            value = Decimal(text)
        except ArithmeticError:
            value = None
    if value is None or not value.is_finite():
        raise ValueError(f"not a decimal string: {text!r}")
    return value


def _utc(moment: datetime) -> datetime:
    """SQLite hands back UTC without a zone; PostgreSQL, the session's zone."""
    return (as_utc(moment) or moment).astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {moment.isoformat()}")
    return moment.astimezone(UTC)


def _line(document: Any) -> bytes:
    try:
        return orjson.dumps(document) + b"\n"
    except TypeError:  # an integer beyond 64 bits in a JSON column: orjson refuses it
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _order(conn: Connection, table: Table) -> list[Any]:
    """Primary-key order, text compared byte by byte on both databases (same file from both)."""
    keys: list[Any] = []
    for column in table.primary_key.columns:
        textual = isinstance(column.type, String) and not _is_decimal(column)
        keys.append(
            column.collate("C") if textual and conn.dialect.name == "postgresql" else column
        )
    return keys


def export(
    conn: Connection, out: Writer, *, now: datetime | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Write every table to `out`; returns the rows written per table.

    `conn` should be in one transaction (a snapshot: REPEATABLE READ on PostgreSQL) so that the
    tables agree with one another."""
    revision = current_revision(conn)
    head = head_revision()
    if revision != head:
        raise BackupError(
            f"the database is at revision {revision or 'none'}, this Claimtrack at {head}: "
            "run `claimtrack migrate` first (or export with the version that matches)"
        )
    header = {
        "format": FORMAT,
        "version": VERSION,
        "alembic_revision": revision,
        "exported_at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(),
    }
    out.write(_line(header))
    counts: dict[str, int] = {}
    total = done = 0
    if progress is not None:  # rows in all, counted in the same snapshot
        total = sum(
            conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables()
        )
    for table in tables():
        columns = list(table.columns)
        encoders = [_encoder(c) for c in columns]
        out.write(_line({"table": table.name, "columns": [c.name for c in columns]}))
        count = 0
        stmt = select(*columns).order_by(*_order(conn, table))
        # yield_per: a server-side cursor on PostgreSQL, BATCH rows in memory at a time
        result = conn.execute(stmt, execution_options={"yield_per": BATCH})
        for row in result:
            out.write(_line([encode(v) for encode, v in zip(encoders, row, strict=True)]))
            count += 1
            done += 1
            if progress is not None and done % BATCH == 0:
                progress(done, total)
        counts[table.name] = count
    if progress is not None:
        progress(total, total)
    out.write(_line({"end": True, "rows": counts}))
    return counts


def read_header(lines: Iterator[bytes]) -> Header:
    try:
        first = json.loads(next(lines))
    except (StopIteration, ValueError) as exc:
        raise BackupError("the file is empty or not JSON lines") from exc
    if not isinstance(first, dict) or first.get("format") != FORMAT:
        raise BackupError(f"not a {FORMAT} file")
    if first.get("version") != VERSION:
        raise BackupError(f"export format version {first.get('version')!r}; expected {VERSION}")
    try:
        return Header(str(first["alembic_revision"]), datetime.fromisoformat(first["exported_at"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError("the header lacks alembic_revision or exported_at") from exc


def nonempty_tables(conn: Connection) -> list[str]:
    return [t.name for t in tables() if conn.execute(select(1).select_from(t).limit(1)).first()]


def check_target(conn: Connection, header: Header) -> None:
    """Refuse a database that is not migrated, not at the file's revision, or not empty."""
    revision = current_revision(conn)
    if revision is None:
        raise BackupError("the database is not migrated: run `claimtrack migrate` first")
    head = head_revision()
    if header.alembic_revision != head:
        raise BackupError(
            f"the file is from revision {header.alembic_revision}, this Claimtrack is at "
            f"{head}: import it with the Claimtrack version that wrote it, then migrate"
        )
    if revision != header.alembic_revision:
        raise BackupError(
            f"the database is at revision {revision}, the file at {header.alembic_revision}: "
            "run `claimtrack migrate` on an empty database first"
        )
    filled = nonempty_tables(conn)
    if filled:
        raise BackupError(
            "import needs an empty database; these tables have rows: " + ", ".join(filled)
        )


def _self_references(table: Table) -> list[Column[Any]]:
    """Columns that point at the same table (a key's creator): filled in after the rows."""
    return [c for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys)]


class _TableLoader:
    """Rows of one table, inserted a batch of rows at a time."""

    def __init__(self, conn: Connection, table: Table, names: list[str]) -> None:
        expected = [c.name for c in table.columns]
        if names != expected:
            raise BackupError(
                f"table {table.name}: the file has columns {names}, this database {expected}"
            )
        self.conn, self.table = conn, table
        self.columns = list(table.columns)
        self.decoders = [_decoder(c) for c in self.columns]
        self.insert = insert(table)
        self.batch: list[dict[str, Any]] = []
        self.count = 0
        pk = list(table.primary_key.columns)
        self.id_column = pk[0].name if len(pk) == 1 and isinstance(pk[0].type, Integer) else None
        self.deferred_columns = [c.name for c in _self_references(table)]
        if self.deferred_columns and self.id_column is None:
            raise BackupError(f"table {table.name}: self-reference without an integer id")
        self.deferred: list[tuple[Any, str, Any]] = []

    def add(self, values: list[Any]) -> None:
        if len(values) != len(self.columns):
            raise BackupError(
                f"table {self.table.name}: a row of {len(values)} values, "
                f"expected {len(self.columns)}"
            )
        try:
            row = {
                c.name: decode(v)
                for c, decode, v in zip(self.columns, self.decoders, values, strict=True)
            }
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise BackupError(f"table {self.table.name}, row {self.count + 1}: {exc}") from exc
        for name in self.deferred_columns:
            ref, own = row[name], row[self.id_column]  # type: ignore[index]
            if ref is not None and ref >= own:  # rows come in id order: it is not in yet
                self.deferred.append((own, name, ref))
                row[name] = None
        self.batch.append(row)
        self.count += 1
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """One INSERT for the batch, executed over all its rows at once (executemany: SQLite
        steps one prepared statement, psycopg pipelines the rows in one round trip)."""
        if self.batch:
            self.conn.execute(self.insert, self.batch)
            self.batch = []

    def finish(self) -> int:
        self.flush()
        id_col = self.table.c[self.id_column] if self.id_column else None
        for own, name, ref in self.deferred:
            assert id_col is not None
            self.conn.execute(update(self.table).where(id_col == own).values({name: ref}))
        return self.count


def reset_sequences(conn: Connection) -> None:
    """On PostgreSQL, the next id of every table follows the largest one imported."""
    if conn.dialect.name != "postgresql":
        return  # SQLite picks max(id) + 1 by itself
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        column = pk[0]
        top = conn.execute(select(func.max(column))).scalar()
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, :column), :next, false)"),
            {"table": table.name, "column": column.name, "next": (top or 0) + 1},
        )


def import_(conn: Connection, lines: Iterable[bytes]) -> dict[str, int]:
    """Insert an export into the empty database behind `conn`; returns rows per table.

    The caller owns the transaction: commit after, roll back on any exception (all or nothing).
    """
    stream = iter(lines)
    header = read_header(stream)
    check_target(conn, header)
    order = [t.name for t in tables()]
    counts: dict[str, int] = {}
    loader: _TableLoader | None = None
    trailer: dict[str, Any] | None = None
    for number, raw in enumerate(stream, start=2):
        if not raw.strip():
            continue
        if trailer is not None:
            raise BackupError(f"line {number}: data after the end line")
        try:
            document = json.loads(raw)
        except ValueError as exc:
            raise BackupError(f"line {number}: not JSON ({exc})") from exc
        if isinstance(document, list):
            if loader is None:
                raise BackupError(f"line {number}: a row before any table line")
            loader.add(document)
        elif isinstance(document, dict) and "table" in document:
            if loader is not None:
                counts[loader.table.name] = loader.finish()
            name = document["table"]
            expected = order[len(counts)] if len(counts) < len(order) else None
            if name != expected:
                raise BackupError(f"line {number}: table {name!r} where {expected!r} belongs")
            loader = _TableLoader(conn, metadata.tables[name], list(document.get("columns", [])))
        elif isinstance(document, dict) and document.get("end") is True:
            if loader is not None:
                counts[loader.table.name] = loader.finish()
                loader = None
            trailer = document
        else:
            raise BackupError(f"line {number}: neither a table line, a row nor the end line")
    if trailer is None:
        raise BackupError("the file ends before its end line: it is truncated")
    if trailer.get("rows") != counts or list(counts) != order:
        raise BackupError(f"the end line counts {trailer.get('rows')}, the file holds {counts}")
    reset_sequences(conn)
    return counts


GZIP_MAGIC = b"\x1f\x8b"


def export_file(
    engine: Engine, path: Path, *, now: datetime | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Export to `path` (gzip when it ends in .gz) through a temporary file renamed at the end,
    so that a failed export never leaves a file that looks whole."""
    if not path.parent.is_dir():
        raise BackupError(f"no folder {path.parent} to write {path.name} into")
    partial = path.with_name(path.name + ".partial")
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    try:
        with partial.open("wb") as raw, engine.connect() as conn:
            conn = conn.execution_options(**options)
            with conn.begin():
                if path.suffix == ".gz":
                    name = path.name.removesuffix(".gz")
                    with gzip.GzipFile(filename=name, mode="wb", fileobj=raw) as out:
                        counts = export(conn, out, now=now, progress=progress)
                else:
                    counts = export(conn, raw, now=now, progress=progress)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


@contextmanager
def _reader(path: Path, progress: Progress | None) -> Iterator[Iterable[bytes]]:
    with path.open("rb") as raw:
        gzipped = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        if gzipped:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield _tracked(unzipped, raw, progress)
        else:
            yield _tracked(raw, raw, progress)


def _tracked(lines: Iterable[bytes], raw: Any, progress: Progress | None) -> Iterator[bytes]:
    """The lines, telling `progress` how many bytes of the file were read, every BATCH lines."""
    size = Path(raw.name).stat().st_size
    for number, line in enumerate(lines, start=1):
        if progress is not None and number % BATCH == 0:
            progress(raw.tell(), size)
        yield line
    if progress is not None:
        progress(size, size)


def import_file(engine: Engine, path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Import `path` (plain or gzip) into the empty database in one transaction."""
    with _reader(path, progress) as lines, engine.connect() as conn:
        conn = conn.execution_options(**{WRITE_OPTION: True})
        try:
            with conn.begin():
                return import_(conn, lines)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise BackupError(f"the gzip file is damaged or truncated ({exc})") from exc
