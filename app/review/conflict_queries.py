"""What the conflict check reads: the claims on the same keys as figures, the conflict flags of
those keys and their members, the pairs a reviewer kept apart, and the rates to compare with.

Statements run on every check are built once, with bound parameters; `fetch` keeps what it
compiles for them.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, String, bindparam, cast, column, func, or_, text, values
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import Claim, ClaimStatus
from app.core.inlist import in_list
from app.core.statements import fetch
from app.fx import service as fx
from app.quantities import Interval
from app.review.conflict_key import (
    KEY_COLUMNS,
    key_values,
    keys_json,
    kinds_compared,
    on_key,
    on_key_text,
)
from app.review.models import ClaimSeparation, Flag, FlagClaim, FlagKind, Rank
from app.review.rules import Figure, RateLookup

FIGURE_COLUMNS: tuple[Any, ...] = tuple(
    col(c)
    for c in (
        Claim.id,
        Claim.entity_id,
        Claim.metric_id,
        Claim.period_start,
        Claim.period_end,
        Claim.kind,
        Claim.basis,
        Claim.unit,
        Claim.dimension,
        Claim.figure_type,
        Claim.low,
        Claim.high,
        Claim.low_open,
        Claim.high_open,
        Claim.period_from_said,
    )
)


def figure(row: Any) -> Figure:
    """A claim (ORM object or selected row) as the conflict rule sees it."""
    return Figure(
        claim_id=row.id,
        entity_id=row.entity_id,
        metric_id=row.metric_id,
        period_start=row.period_start,
        period_end=row.period_end,
        kind=str(row.kind),
        basis=row.basis,
        unit=row.unit,
        dimension=row.dimension,
        interval=Interval(row.low, row.high, row.low_open, row.high_open),
        figure_type=str(row.figure_type),
        period_from_said=bool(row.period_from_said),
    )


LIVE = col(Claim.status) == ClaimStatus.ACTIVE

# One key, with bind parameters: built once (a VALUES list is compiled anew each time).
SAME_KEY = sa_select(*FIGURE_COLUMNS).where(
    on_key(bindparam("e"), bindparam("m"), bindparam("s"), bindparam("t"), bindparam("f")),
    LIVE,
    in_list(col(Claim.kind), "kinds", "text"),
)


def _json_part(name: str) -> str:
    return f"json_extract(k.value, '$.{name}')"


# Many dated keys, passed as one JSON array of objects named by the key's columns.
# SQLite, without statistics, would walk claims by status and scan the keys for each; CROSS
# JOIN keeps the keys outside and looks each one up in the comparison index.
SAME_KEYS_SQLITE = (
    text(
        f"SELECT {', '.join(f'c.{c.key}' for c in FIGURE_COLUMNS)} "  # noqa: S608 (no input)
        "FROM json_each(:keys) AS k CROSS JOIN claims AS c "
        f"ON {on_key_text('c', _json_part)} "
        f"WHERE c.status = '{ClaimStatus.ACTIVE.value}' AND c.kind IN :kinds"
    )
    .bindparams(bindparam("kinds", expanding=True))
    .columns(*FIGURE_COLUMNS)
)
_PG_KEYS = (
    func.jsonb_to_recordset(cast(bindparam("keys", type_=String), JSONB))
    .table_valued(*(column(name, type_) for name, type_ in KEY_COLUMNS))
    .render_derived(name="k", with_types=True)
)
SAME_KEYS_PG = (
    sa_select(*FIGURE_COLUMNS)
    .select_from(_PG_KEYS)
    .join(Claim, on_key(*(_PG_KEYS.c[name] for name, _ in KEY_COLUMNS)))
    .where(LIVE, col(Claim.kind).in_(bindparam("kinds", expanding=True)))
)


def same_key_rows(session: Session, figures: Sequence[Figure]) -> list[Figure]:
    """Every active claim sharing a comparison key with one of these.

    The keys are joined as a table (a JSON array of dated keys, a VALUES list of undated
    ones), so that both databases look each one up in the comparison index (a row-value IN
    list makes SQLite scan the table).
    """
    kinds = kinds_compared(figures)
    keys = {key_values(f) for f in figures}
    dated = sorted((e, m, s, t, f) for e, m, s, t, f in keys if s is not None and t is not None)
    undated = sorted((e, m, f) for e, m, s, t, f in keys if s is None and t is None)
    # Horizons ("to 2030": no start in the key, `key_start`), all in one statement; keys
    # open at the end ("after 2026") are rarer still: one each.
    horizons = sorted((e, m, t, f) for e, m, s, t, f in keys if s is None and t is not None)
    half = [(e, m, s, t, f) for e, m, s, t, f in keys if s is not None and t is None]
    if len(dated) == 1 and not undated and not horizons and not half:  # one new claim
        e, m, first, last, typed = dated[0]
        params = {"e": e, "m": m, "s": first, "t": last, "f": typed, "kinds": kinds}
        return [figure(row) for row in fetch(session, SAME_KEY, params)]
    rows: list[Any] = []
    if dated:
        # Many keys: one statement built once, the keys passed as one JSON array (a VALUES
        # list would be compiled anew, at a cost that grows with the batch).
        dialect = session.get_bind().dialect.name
        stmt = SAME_KEYS_PG if dialect == "postgresql" else SAME_KEYS_SQLITE
        rows += fetch(session, stmt, {"keys": keys_json(dated), "kinds": kinds})
    # The rare keys below make statements built for this call: SQLAlchemy's own execution
    # (`fetch` keeps what it compiles for statements built once, and would only pile these up).
    dynamic: list[Any] = []
    live = (LIVE, col(Claim.kind).in_(kinds))
    if undated:
        u = (
            values(column("e", Integer), column("m", Integer), column("f", String), name="u")
            .data(undated)
            .cte("u")
        )
        dynamic.append(
            sa_select(*FIGURE_COLUMNS)
            .select_from(u)
            .join(Claim, on_key(u.c.e, u.c.m, None, None, u.c.f))
            .where(*live)
        )
    if horizons:
        h = (
            values(
                column("e", Integer),
                column("m", Integer),
                column("t", Date),
                column("f", String),
                name="h",
            )
            .data(horizons)
            .cte("h")
        )
        dynamic.append(
            sa_select(*FIGURE_COLUMNS)
            .select_from(h)
            .join(Claim, on_key(h.c.e, h.c.m, None, h.c.t, h.c.f))
            .where(*live)
        )
    for half_key in sorted(half, key=str):
        dynamic.append(sa_select(*FIGURE_COLUMNS).where(*live, on_key(*half_key)))
    for stmt in dynamic:
        rows += session.execute(stmt).all()
    return [figure(row) for row in rows]


def live_figures(session: Session, claim_ids: Iterable[int]) -> list[Figure]:
    """These claims, those still active, as the conflict rule sees them."""
    stmt = sa_select(*FIGURE_COLUMNS).where(col(Claim.id).in_(list(claim_ids)), LIVE)
    return [figure(r) for r in session.execute(stmt)]


def preferred_among(session: Session, claim_ids: set[int]) -> set[int]:
    """Those of these claims that are active and ranked preferred."""
    if not claim_ids:
        return set()
    return set(
        session.execute(
            select(Claim.id).where(
                col(Claim.id).in_(claim_ids), col(Claim.rank) == Rank.PREFERRED, LIVE
            )
        ).scalars()
    )


SEPARATIONS = sa_select(
    col(ClaimSeparation.low_claim_id), col(ClaimSeparation.high_claim_id)
).where(
    or_(
        in_list(col(ClaimSeparation.low_claim_id), "ids"),
        in_list(col(ClaimSeparation.high_claim_id), "ids"),
    )
)


def separations(session: Session, claim_ids: set[int]) -> set[tuple[int, int]]:
    """The pairs (low id, high id) among these claims' that a reviewer kept apart."""
    if not claim_ids:
        return set()
    return {(a, b) for a, b in fetch(session, SEPARATIONS, {"ids": sorted(claim_ids)})}


MEMBERS = sa_select(col(FlagClaim.flag_id), col(FlagClaim.claim_id)).where(
    in_list(col(FlagClaim.flag_id), "ids")
)


def members(session: Session, flag_ids: Iterable[int]) -> dict[int, set[int]]:
    """The claims of each flag."""
    ids = list(flag_ids)
    out: dict[int, set[int]] = {i: set() for i in ids}
    if ids:
        for flag_id, claim_id in fetch(session, MEMBERS, {"ids": ids}):
            out[flag_id].add(claim_id)
    return out


FLAGS_BY_ID = select(Flag).where(in_list(col(Flag.id), "ids"))


def loader(session: Session, flag_ids: Iterable[int]) -> Callable[[int], Flag]:
    """The flags to change, by id: all of them loaded in one statement when the first is
    wanted (none when no flag changes), whatever the batch."""
    ids = sorted(set(flag_ids))
    loaded: dict[int, Flag] = {}

    def flag(flag_id: int) -> Flag:
        if not loaded:
            loaded.update(
                (f.id or 0, f) for f in session.execute(FLAGS_BY_ID, {"ids": ids}).scalars()
            )
        return loaded[flag_id]

    return flag


# The conflict flags of some keys, as columns: most checks find none, or none to change, so
# no ORM object is built for them; an open one joined is counted anew in one UPDATE, a ranked
# one to change is loaded by its id (`loader`).
CONFLICT_FLAGS = (
    sa_select(
        col(Flag.id),
        col(Flag.group_key),
        col(Flag.status),
        col(Flag.resolution),
        col(Flag.kind),
        col(Flag.version),
    )
    .where(
        col(Flag.kind) == FlagKind.CONFLICT,
        in_list(col(Flag.group_key), "keys", "text"),
    )
    .order_by(col(Flag.id))
)


def rate_on(session: Session, f: Figure) -> RateLookup:
    """Rates as published by the end of the claim's period (today, for claims with none).

    Claims are compared only within one key, so every pair in a group uses the same date.
    """
    return fx.lookup(session, f.period_end or date.today())


def rates(session: Session) -> Callable[[Figure], RateLookup]:
    """`rate_on` for a batch: one lookup (and its cache of rates) per date, not per claim, so
    that a batch of claims on one period asks for each currency pair once."""
    by_day: dict[date | None, RateLookup] = {}

    def of(f: Figure) -> RateLookup:
        if f.period_end not in by_day:
            by_day[f.period_end] = rate_on(session, f)
        return by_day[f.period_end]

    return of
