"""The `claimtrack` command: serve, worker, migrate, seed, check, export, import, keys,
settings."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console

from app.auth.models import Role
from app.core.config import get_settings

if TYPE_CHECKING:
    from app.flows.reread import Report

cli = typer.Typer(help="Claimtrack: quantitative claims, their sources, and their intervals.")
keys_cli = typer.Typer(help="API keys.")
cli.add_typer(keys_cli, name="keys")
console = Console()
err_console = Console(stderr=True)
ROOT = Path(__file__).resolve().parent.parent


# The revision that ships the reading rules of figures and periods as real reporting writes
# them (figure types, hedges, digit grouping, units, periods): an upgrade across it reads every
# stored claim again (`claimtrack reread`), so nothing stored under the old rules stays silently.
READING_RULES_REVISION = "1baf50a7a1ed"


def migrate_db() -> None:
    """Upgrade to the newest revision; when the upgrade crosses `READING_RULES_REVISION` on a
    database that had claims, read them again and report what changed."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(str(ROOT / "alembic.ini"))
    before = _current_revision()
    command.upgrade(config, "head")
    if before is None:
        return  # a new database: nothing was stored under older rules
    crossed = {
        s.revision
        for s in ScriptDirectory.from_config(config).iterate_revisions("head", before)
        if s.revision != before
    }
    if READING_RULES_REVISION in crossed:
        console.print("the reading rules changed: reading the stored claims again")
        reread(dry_run=False)


def _current_revision() -> str | None:
    from alembic.runtime.migration import MigrationContext

    from app.core.db import get_batch_engine

    with get_batch_engine().connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@cli.command()
def migrate() -> None:
    """Bring the database schema to the newest revision."""
    migrate_db()
    console.print("[green]database is at the newest revision[/]")


@cli.command()
def seed(
    force: Annotated[bool, typer.Option(help="load even if the database has claims")] = False,
) -> None:
    """Load the demo data set (the two seed briefings) into the database."""
    import app.tables  # noqa: F401
    from app.core.db import get_batch_engine
    from app.core.sessions import transaction
    from app.demo.load import is_empty, load

    with transaction(get_batch_engine()) as session:
        if not force and not is_empty(session):
            console.print("the database already has claims; --force loads the demo again")
            raise typer.Exit(1)
        count = load(session)
    console.print(f"[green]loaded {count} demo claims[/]")


def _first_start() -> None:
    """Migrate; on an empty database load the demo; on a keyless one make the admin key."""
    import app.tables  # noqa: F401
    from app.core.db import get_batch_engine
    from app.core.models import utcnow
    from app.core.sessions import transaction
    from app.demo.load import is_empty, load
    from app.flows import indicators, keys

    settings = get_settings()
    migrate_db()
    with transaction(get_batch_engine()) as session:
        if settings.load_demo and is_empty(session):
            console.print(f"loaded {load(session)} demo claims from the seed briefings")
        indicators.check_all(session, utcnow().date(), actor_id=None)
        bootstrap = settings.bootstrap_admin_key
        try:
            text = keys.ensure_admin(
                session, key=bootstrap.get_secret_value() if bootstrap else None
            )
        except ValueError as exc:
            console.print(f"[red]CLAIMTRACK_BOOTSTRAP_ADMIN_KEY: {exc}[/]")
            raise typer.Exit(2) from exc
    if text is not None and bootstrap is None:
        console.print(
            "\n[bold]Admin API key (shown once, keep it):[/]\n"
            f"  {text}\n"
            f'  curl -H "Authorization: Bearer {text}" '
            f"http://{settings.host}:{settings.port}/api/v1/claims?entity=ktz\n",
            soft_wrap=True,
        )


@cli.command()
def check() -> None:
    """Open or close target_missed and stale flags as of today (run it daily)."""
    import app.tables  # noqa: F401
    from app.core.db import get_batch_engine
    from app.core.models import utcnow
    from app.core.sessions import transaction
    from app.flows import indicators

    with transaction(get_batch_engine()) as session:
        count = indicators.check_all(session, utcnow().date(), actor_id=None)
    console.print(f"checked {count} indicators")


@cli.command()
def reread(
    dry_run: Annotated[bool, typer.Option(help="report what would change, change nothing")] = False,
) -> None:
    """Read every stored claim's value and period again with today's rules; report and apply
    what changed (each change a new version and a claim.reread event, conflicts checked anew)."""
    import app.tables  # noqa: F401
    from app.core.db import get_batch_engine
    from app.core.sessions import transaction
    from app.flows.reread import reread as reread_claims

    engine = get_batch_engine()
    if dry_run:
        from sqlalchemy.orm import Session

        with Session(engine) as session:
            report = reread_claims(session, actor_id=None, dry_run=True)
            session.rollback()
    else:
        with transaction(engine) as session:
            report = reread_claims(session, actor_id=None)
    _print_reread(report, dry_run=dry_run)


def _print_reread(report: "Report", *, dry_run: bool) -> None:
    from rich.table import Table

    verb = "would change" if dry_run else "changed"
    console.print(
        f"read {report.read} claims again: {len(report.changed)} {verb}, "
        f"{len(report.refused)} refused by today's rules (left as they were)"
    )
    if report.changed:
        table = Table("claim", "column", "before", "after")
        for change in report.changed:
            for name, (before, after) in change.changes.items():
                table.add_row(str(change.claim_id), name, str(before), str(after))
        console.print(table)
    if report.refused:
        table = Table("claim", "field", "text", "why")
        for r in report.refused:
            table.add_row(str(r.claim_id), r.field, r.text, r.why)
        console.print(table)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default: CLAIMTRACK_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="default: CLAIMTRACK_PORT")] = None,
    workers: int = 1,
) -> None:
    """Migrate, load the demo into an empty database, and serve the app and the API."""
    import uvicorn

    settings = get_settings()
    _first_start()
    host, port = host or settings.host, port or settings.port
    # The links the server writes without CLAIMTRACK_PUBLIC_URL (webhook payloads) name the
    # address it listens on: this one, in this process and in the workers it starts.
    os.environ["CLAIMTRACK_HOST"], os.environ["CLAIMTRACK_PORT"] = host, str(port)
    get_settings.cache_clear()
    # One address a line, never wrapped: a terminal or a script copies each whole.
    console.print(f"Claimtrack on http://{host}:{port}/  (sign in with an API key)", soft_wrap=True)
    console.print(f"API docs:    http://{host}:{port}/docs", soft_wrap=True)
    # The app logs each request itself (CLAIMTRACK_ACCESS_LOG) and formats uvicorn's own
    # records (CLAIMTRACK_LOG_FORMAT) when it is imported: uvicorn configures no logging.
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=None,
        access_log=False,
    )


@cli.command()
def worker(
    batch: Annotated[int, typer.Option(min=1, max=1000, help="events taken at a time")] = 50,
) -> None:
    """Deliver webhooks, apart from the servers (run as many as wanted on PostgreSQL; with
    CLAIMTRACK_WEBHOOK_WORKER=false the servers deliver none themselves). Stops on SIGTERM or
    Ctrl-C; events it held are taken again once their lease ends."""
    import asyncio
    import signal

    import app.tables  # noqa: F401
    from app.core.db import get_engine
    from app.core.logs import configure_logging
    from app.webhooks.worker import Worker

    settings = get_settings()
    configure_logging(settings)
    migrate_db()

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await Worker(get_engine(), settings, batch=batch).run(stop)

    console.print("delivering webhooks (Ctrl-C stops)")
    asyncio.run(run())


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar for a long export or import, on a terminal only (never in a pipe or a
    log): the callback to tell it (done, total), or None."""
    if not console.is_terminal:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(what, total=None)

        def tell(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tell


@cli.command("export")
def export_data(
    file: Annotated[Path, typer.Argument(help="where to write; gzip when it ends in .gz")],
) -> None:
    """Back up every table to FILE (JSON lines, one snapshot; API keys as hashes only)."""
    from app.backup import BackupError, export_file
    from app.core.db import get_batch_engine

    try:
        with _progress(f"exporting to {file}") as progress:
            counts = export_file(get_batch_engine(), file, progress=progress)
    except BackupError as exc:
        err_console.print(f"[red]export refused: {exc}[/]", soft_wrap=True)
        raise typer.Exit(2) from exc
    console.print(
        f"exported {sum(counts.values())} rows of {len(counts)} tables to {file}", soft_wrap=True
    )


@cli.command("import")
def import_data(
    file: Annotated[
        Path,
        typer.Argument(
            help="a `claimtrack export` file (JSON lines, plain or gzip), or a CSV of claims "
            "or, with --indicator, of observations (FILE ending in .csv)",
            exists=True,
            dir_okay=False,
        ),
    ],
    indicator: Annotated[
        str | None,
        typer.Option(help="the CSV holds observations of this indicator (slug or id)"),
    ] = None,
    confirm: Annotated[
        bool, typer.Option(help="store observations 100 times off the series' median")
    ] = False,
) -> None:
    """Restore FILE into an empty database migrated to the file's revision (all or nothing);
    or add the claims or observations of a CSV file, as the API reads them (all or nothing)."""
    from sqlalchemy.exc import DBAPIError

    from app.backup import BackupError, import_file
    from app.core.db import get_batch_engine

    if file.suffix.lower() == ".csv" or indicator is not None:
        _import_csv(file, indicator, confirm=confirm)
        return
    try:
        with _progress(f"importing {file}") as progress:
            counts = import_file(get_batch_engine(), file, progress=progress)
    except BackupError as exc:
        err_console.print(f"[red]import refused: {exc}[/]", soft_wrap=True)
        raise typer.Exit(2) from exc
    except DBAPIError as exc:
        err_console.print(f"[red]import failed, nothing was written: {exc.orig}[/]", soft_wrap=True)
        raise typer.Exit(1) from exc
    console.print(
        f"imported {sum(counts.values())} rows of {len(counts)} tables from {file}", soft_wrap=True
    )


def _import_csv(file: Path, indicator: str | None, *, confirm: bool) -> None:
    """Claims (or an indicator's observations) from CSV, in one transaction: a bad row is
    named and nothing is written (exit 2)."""
    import app.tables  # noqa: F401
    from app.core.db import get_batch_engine
    from app.core.errors import AppError
    from app.core.sessions import transaction
    from app.flows import imports

    body = file.read_bytes()
    rows = max(body.count(b"\n") - 1, 1)  # about: a quoted cell may hold a line break
    what = "observations" if indicator else "claims"
    try:
        with _progress(f"importing {what} from {file}") as progress:
            if progress:
                progress(0, rows)
            with transaction(get_batch_engine()) as session:
                if indicator is not None:
                    stored = imports.observations_csv(session, body, indicator, confirm=confirm)
                    message = f"imported {stored} observations of {indicator} from {file}"
                else:
                    new, known = imports.claims_csv(session, body)
                    message = f"imported {new} claims from {file} ({known} were there already)"
            if progress:
                progress(rows, rows)
    except AppError as exc:
        where = f" ({exc.field})" if exc.field else ""
        from rich.markup import escape

        why = escape(f"{exc.detail or exc.title}{where}")
        err_console.print(f"[red]import refused, nothing was written: {why}[/]", soft_wrap=True)
        raise typer.Exit(2) from exc
    console.print(message, soft_wrap=True)


@keys_cli.command("create")
def create_key(
    name: str,
    role: Annotated[Role, typer.Option(help="what the key may do", case_sensitive=False)] = (
        Role.READER
    ),
) -> None:
    """Issue an API key and print it once."""
    import app.tables  # noqa: F401
    from app.auth.models import ApiKeyCreate
    from app.core.db import get_engine
    from app.core.sessions import transaction
    from app.flows import keys

    with transaction(get_engine()) as session:
        _, text = keys.create(session, ApiKeyCreate(name=name, role=role), created_by_id=None)
    console.print(text, soft_wrap=True)


@keys_cli.command("list")
def list_keys() -> None:
    """Every API key: id, name, role, prefix, when made, last used, revoked (never a secret)."""
    from rich.table import Table
    from sqlalchemy.orm import Session

    import app.tables  # noqa: F401
    from app.auth import service as keys
    from app.core.db import get_engine

    table = Table("id", "name", "role", "prefix", "created", "last used", "revoked")
    with Session(get_engine()) as session:
        for k in keys.get_all(session):
            table.add_row(
                str(k.id),
                k.name,
                str(k.role),
                k.prefix,
                k.created_at.strftime("%Y-%m-%d %H:%M"),
                k.last_used_at.strftime("%Y-%m-%d %H:%M") if k.last_used_at else "never",
                k.revoked_at.strftime("%Y-%m-%d %H:%M") if k.revoked_at else "",
            )
    console.print(table)


@keys_cli.command("revoke")
def revoke_key(key_id: Annotated[int, typer.Argument(help="the key's id (keys list)")]) -> None:
    """Revoke an API key: it stops working at once; the row and its events stay."""
    import app.tables  # noqa: F401
    from app.core.db import get_engine
    from app.core.errors import AppError
    from app.core.sessions import transaction
    from app.flows import keys

    try:
        with transaction(get_engine()) as session:
            row = keys.revoke(session, key_id, actor_id=None)
            name = row.name
    except AppError as exc:
        err_console.print(f"[red]{exc.detail or exc.title}[/]", soft_wrap=True)
        raise typer.Exit(1) from exc
    console.print(f"revoked key {key_id} ({name})", soft_wrap=True)


SETTINGS_START = "<!-- settings table: claimtrack settings --readme -->\n"
SETTINGS_END = "<!-- end of settings table -->\n"


@cli.command("settings")
def settings_table(
    readme: Annotated[bool, typer.Option(help="rewrite the table in README.md")] = False,
) -> None:
    """Print every setting: its variable, default and meaning (a Markdown table)."""
    from app.core.config import reference_table

    _print_or_write(reference_table(), readme, SETTINGS_START, SETTINGS_END, "settings")


def _print_or_write(table: str, readme: bool, first: str, last: str, what: str) -> None:
    """Print a reference table, or write it into README.md between its two marker lines."""
    if not readme:
        console.print(table, soft_wrap=True, markup=False, highlight=False, end="")
        return
    path = ROOT / "README.md"
    head, start, rest = path.read_text().partition(first)
    _, end, tail = rest.partition(last)
    if not start or not end:
        console.print(f"README.md has no {first.strip()} ... {last.strip()}")
        raise typer.Exit(1)
    path.write_text(head + start + table + end + tail)
    console.print(f"wrote the {what} table into {path}")


HEDGES_START = "<!-- hedge table: claimtrack hedges --readme -->\n"
HEDGES_END = "<!-- end of hedge table -->\n"


@cli.command("hedges")
def hedges_table(
    readme: Annotated[bool, typer.Option(help="rewrite the table in README.md")] = False,
) -> None:
    """Print the hedges a figure is read with: bound and interval of each (a Markdown table)."""
    from app.quantities.hedges import hedge_table

    _print_or_write(hedge_table(), readme, HEDGES_START, HEDGES_END, "hedge")


@cli.command()
def openapi(out: Path = ROOT / "openapi" / "openapi.json") -> None:
    """Write the app's OpenAPI document to openapi/openapi.json."""
    from app.main import create_app

    spec = create_app().openapi()
    out.write_bytes(orjson.dumps(spec, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    console.print(f"wrote {out}")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
