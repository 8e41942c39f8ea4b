"""Claims as written, read: values and periods, the entity, metric and sources they name, each
name looked up once a batch."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import (
    Citation,
    CitationIn,
    ClaimCreate,
    ClaimFields,
    ClaimTag,
)
from app.claims.states import VerificationState
from app.core.errors import AppError, InvalidInput
from app.core.models import utcnow
from app.core.rows import row_failed
from app.entities import close
from app.entities import service as entities
from app.entities.aliases import ENTITY, METRIC, Kind
from app.entities.matching import Match, NameIndex
from app.entities.models import Ref
from app.entities.names import slugify
from app.entities.service import MetricRow
from app.quantities import (
    Bound,
    Period,
    Quantity,
    QuantityError,
    for_metric,
    in_metric_unit,
    parse_period,
    parse_quantity,
    parse_value,
)
from app.sources import service as sources
from app.sources.models import Source

# --- reading values and periods ---------------------------------------------------------------


def read_value(fields: ClaimFields, *, default_unit: str | None, text: str | None) -> Quantity:
    """The quantity the claim states, from its text or from value + unit + bound (+ the
    figure type the value is, when its unit allows more than one)."""
    try:
        if fields.value is not None and fields.unit is not None:
            return parse_value(
                fields.value,
                fields.unit,
                fields.bound or Bound.EXACT,
                high=fields.value_high,
                figure_type=fields.figure_type,
            )
        assert text is not None
        quantity = parse_quantity(text, default_unit=default_unit, index=fields.value_is_index)
    except QuantityError as exc:
        field = "value_text" if fields.value is None else "value"
        if exc.code == "incompatible_figure_type":
            field = "figure_type"
        raise InvalidInput(exc.message, field=field) from exc
    return quantity


def read_period(text: str | None, asserted_on: date) -> Period | None:
    try:
        return parse_period(text, reference=asserted_on)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="period") from exc


def value_columns(quantity: Quantity) -> dict[str, Any]:
    return {
        "value": quantity.value,
        "unit": quantity.unit,
        "dimension": quantity.dimension,
        "bound": quantity.bound,
        "figure_type": quantity.figure_type,
        "low": quantity.interval.low,
        "high": quantity.interval.high,
        "low_open": quantity.interval.low_open,
        "high_open": quantity.interval.high_open,
    }


def period_columns(text: str | None, period: Period | None) -> dict[str, Any]:
    return {
        "period_text": text if period is not None else None,
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
        "period_from_said": period.from_said if period else False,
    }


# --- building a claim -------------------------------------------------------------------------


@dataclass
class Names:
    """What a batch has looked up, by the name or URL it gave: each is looked up once. `close`:
    the indexes of close matches, by kind, once a name is new; `strict`: a new name close to a
    record's is refused rather than created with a notice. `values` and `periods`: what each
    distinct text read as (quantities and periods are immutable), read once a batch."""

    entities: dict[str, Ref] = field(default_factory=dict)
    metrics: dict[str, MetricRow] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    close: dict[str, NameIndex] = field(default_factory=dict)
    strict: bool = False
    values: dict[tuple[str, str | None, bool], Quantity] = field(default_factory=dict)
    periods: dict[tuple[str | None, date], Period | None] = field(default_factory=dict)
    # The slug of a metric the batch names that does not exist yet -> the unit of the batch's
    # first level of it: the metric is created in that unit, whichever row comes first.
    level_units: dict[str, str] = field(default_factory=dict)


def _value_once(
    fields: ClaimFields, default_unit: str | None, text: str | None, names: Names | None
) -> Quantity:
    """`read_value`, a value text read once a batch (a value given with its unit is cheap)."""
    if names is None or fields.value is not None or text is None:
        return read_value(fields, default_unit=default_unit, text=text)
    key = (text, default_unit, fields.value_is_index)
    if key not in names.values:
        names.values[key] = read_value(fields, default_unit=default_unit, text=text)
    return names.values[key]


def _period_once(text: str | None, asserted_on: date, names: Names) -> Period | None:
    """`read_period`, each period text (relative to its date) read once a batch."""
    key = (text, asserted_on)
    if key not in names.periods:
        names.periods[key] = read_period(text, asserted_on)
    return names.periods[key]


def _close_to(session: Session, kind: Kind, names: Names | None) -> NameIndex:
    """The index of close matches of this kind: the batch's, built when first needed."""
    if names is None:
        return close.index(session, kind)
    if kind.name not in names.close:
        names.close[kind.name] = close.index(session, kind)
    return names.close[kind.name]


def _unknown(
    session: Session, kind: Kind, name: str, names: Names | None
) -> tuple[NameIndex, list[Match]]:
    """A name about to be created: the records it is close to (refused if names are strict)."""
    index = _close_to(session, kind, names)
    matches = index.close_to(name)
    if matches and names is not None and names.strict:
        raise close.refuse(kind, name, matches)
    return index, matches


def _created(
    kind: Kind, name: str, ref: Ref | MetricRow, found: tuple[NameIndex, list[Match]]
) -> list[str]:
    """The notices of a record created from `name`; the batch's index learns its names."""
    index, matches = found
    for alias in (ref.name, ref.slug):
        index.add(ref.id, ref.name, ref.slug, alias)
    return [close.notice(kind, name, ref.id, m) for m in matches]


def new_metric(
    session: Session,
    name: str,
    unit: str,
    notices: list[str],
    names: Names | None = None,
    *,
    actor_id: int | None,
) -> MetricRow:
    """A metric no claim has named yet, created in `unit` with a notice of any metric its name
    is close to (found after all, when another request has just created it)."""
    unknown = _unknown(session, METRIC, name, names)
    metric, created = entities.resolve_metric(session, name, unit=unit, actor_id=actor_id)
    if created:
        notices.append(f"metric '{metric.slug}' was created, measured in {metric.unit}")
        notices.extend(_created(METRIC, name, metric, unknown))
    return metric


def metric_for(
    session: Session,
    name: str,
    fields: ClaimFields,
    text: str | None,
    notices: list[str],
    names: Names | None = None,
    *,
    actor_id: int | None,
) -> tuple[MetricRow, Quantity]:
    """The metric a claim names (created from its unit when new, with a notice of any metric
    its name is close to), and its value read in it (a share of a metric measured in percent is
    its level: `for_metric`).

    `names` holds what a batch has already looked up, by the name it gave."""
    metric = names.metrics.get(name) if names is not None else None
    if metric is None:
        metric = entities.find_metric(session, name)
    quantity = _value_once(fields, metric.unit if metric else None, text, names)
    level_unit = names.level_units.get(slugify(name)) if names is not None else None
    if metric is None and level_unit is not None and level_unit != quantity.unit:
        # A change or share first, a level of the same new metric later in the batch: the
        # metric measures what the level does, and this row is read as the metric's, as it
        # would be once the metric exists ("rose 9.6%" before "$17.8 billion" of imports).
        metric = new_metric(session, name, level_unit, notices, names, actor_id=actor_id)
        quantity = _value_once(fields, metric.unit, text, names)
        check_dimension(quantity, metric, fields, text)
    elif metric is None:
        metric = new_metric(session, name, quantity.unit, notices, names, actor_id=actor_id)
        if not in_metric_unit(quantity.figure_type, quantity.dimension):
            created = f"metric '{metric.slug}' was created, measured in {metric.unit}"
            notices[:] = [
                n + f" (read from a {quantity.figure_type}: if its levels are in another unit, "
                "create the metric with that unit first, POST /api/v1/metrics)"
                if n == created
                else n
                for n in notices
            ]
    else:
        check_dimension(quantity, metric, fields, text)
    if names is not None:
        names.metrics[name] = metric
    return metric, settle(quantity, metric.dimension, fields, text)


def check_dimension(
    quantity: Quantity, metric: MetricRow, fields: ClaimFields, text: str | None
) -> None:
    """A level (or a change in the metric's unit) must measure what the known metric does."""
    if in_metric_unit(quantity.figure_type, quantity.dimension) and (
        quantity.dimension != metric.dimension
    ):
        field = "value_text" if fields.value is None else "unit"
        raise InvalidInput(
            f"'{text or fields.unit}' is a {quantity.dimension}, but metric '{metric.slug}' "
            f"measures {metric.dimension} ({metric.unit})" + _relative_hint(quantity),
            field=field,
        )


def settle(quantity: Quantity, dimension: str, fields: ClaimFields, text: str | None) -> Quantity:
    """The value read in a metric measuring `dimension` (a share of a metric measured in
    percent is its level: `for_metric`); a figure type given that it is not is refused."""
    settled = for_metric(quantity, dimension)
    given = fields.figure_type
    if given is not None and given not in (quantity.figure_type, settled.figure_type):
        raise InvalidInput(
            f"'{text}' reads as a {settled.figure_type}, not a {given}: leave figure_type "
            f"out, or write the figure as a {given} is written ('up 5%', '40% of', 'doubled')",
            field="figure_type",
        )
    return settled


def _relative_hint(quantity: Quantity) -> str:
    """How to write a percent that is no level of a metric in another unit."""
    if quantity.dimension != "percent":
        return ""
    return "; if it is a change, a share or a multiple, write it so ('up 5%', '40% of', 'doubled')"


def entity_for(
    session: Session,
    name: str,
    notices: list[str],
    names: Names | None = None,
    *,
    actor_id: int | None,
) -> Ref:
    """The entity a claim names, created when new, with a notice of any entity its name is
    close to."""
    entity = names.entities.get(name) if names is not None else entities.find_entity(session, name)
    if entity is not None:
        return entity
    unknown = _unknown(session, ENTITY, name, names)
    entity, created = entities.resolve_entity(session, name, actor_id=actor_id)
    if created:
        notices.append(f"entity '{entity.slug}' was created from '{name}'")
        notices.extend(_created(ENTITY, name, entity, unknown))
    if names is not None:
        names.entities[name] = entity
    return entity


def replace_tags(session: Session, claim_id: int, tags: list[str]) -> None:
    session.execute(delete(ClaimTag).where(col(ClaimTag.claim_id) == claim_id))
    unique = sorted(set(tags))
    if unique:
        session.execute(insert(ClaimTag), [{"claim_id": claim_id, "tag": t} for t in unique])


def _source_for(
    session: Session,
    citation: CitationIn,
    where: str,
    *,
    actor_id: int | None,
    notices: list[str],
    known: dict[str, Source],
) -> Source:
    """The cited source: by id, or found or created by URL (`known`: by URL, this batch's)."""
    if citation.source_id is not None:
        source = session.get(Source, citation.source_id)
        if source is None:
            raise InvalidInput(f"no source {citation.source_id}", field=f"{where}.source_id")
        return source
    assert citation.url is not None
    if citation.url in known:
        return known[citation.url]
    source, created = sources.find_or_create(
        session,
        url=citation.url,
        title=citation.title,
        publisher=citation.publisher,
        kind=citation.kind,
        published_on=citation.published_on,
        actor_id=actor_id,
        field=where,
    )
    if created:
        notices.append(f"source {source.id} was created for {source.url}")
    known[citation.url] = source
    return source


def _cited(
    session: Session,
    citations: Sequence[CitationIn],
    seen: set[tuple[int, str]],
    *,
    actor_id: int | None,
    notices: list[str],
    field: str,
    known: dict[str, Source],
) -> list[tuple[int, str]]:
    """(source id, quote) of each citation not already among `seen` (which it extends)."""
    out: list[tuple[int, str]] = []
    for i, citation in enumerate(citations):
        where = f"{field}[{i}]"
        source = _source_for(
            session, citation, where, actor_id=actor_id, notices=notices, known=known
        )
        assert source.id is not None
        if (source.id, citation.quote) in seen:
            notices.append(f"{where} repeats a citation of source {source.id} with the same quote")
            continue
        seen.add((source.id, citation.quote))
        out.append((source.id, citation.quote))
    return out


def citation_rows(
    claim_id: int, cited: Sequence[tuple[int, str]], actor_id: int | None
) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "claim_id": claim_id,
            "source_id": source_id,
            "quote": quote,
            "created_by_id": actor_id,
            "created_at": now,
        }
        for source_id, quote in cited
    ]


def add_citations(
    session: Session,
    claim_id: int,
    citations: Sequence[CitationIn],
    *,
    actor_id: int | None,
    notices: list[str],
    field: str = "citations",
) -> None:
    """Attach citations to a stored claim, finding or creating each source by its URL."""
    seen: set[tuple[int, str]] = {
        (source_id, quote)
        for source_id, quote in session.execute(
            select(Citation.source_id, Citation.quote).where(col(Citation.claim_id) == claim_id)
        )
    }
    cited = _cited(
        session, citations, seen, actor_id=actor_id, notices=notices, field=field, known={}
    )
    if cited:
        session.execute(insert(Citation), citation_rows(claim_id, cited, actor_id))


class Read(NamedTuple):
    """One claim as read, ready to store: its columns, tags, citations and notices."""

    columns: dict[str, Any]
    tags: list[str]
    cited: list[tuple[int, str]]
    notices: list[str]


def read(session: Session, data: ClaimCreate, names: Names, actor_id: int | None) -> Read:
    """Read a claim as written: its value, period, entity, metric and sources."""
    notices: list[str] = []
    metric, quantity = metric_for(
        session, data.metric, data, data.value_text, notices, names, actor_id=actor_id
    )
    entity = entity_for(session, data.entity, notices, names, actor_id=actor_id)
    period = _period_once(data.period, data.asserted_on, names)
    columns = {
        "entity_id": entity.id,
        "metric_id": metric.id,
        "value_text": data.value_text or quantity.text,
        "value_is_index": data.value_is_index,
        "kind": data.kind,
        "basis": data.basis,
        "stated_by": data.stated_by,
        "asserted_on": data.asserted_on,
        "statement": data.statement,
        # What the verification check will most often find (it writes any other state):
        "verification": (
            VerificationState.UNVERIFIED if data.citations else VerificationState.UNSOURCED
        ),
        "created_by_id": actor_id,
        **value_columns(quantity),
        **period_columns(data.period, period),
    }
    cited = _cited(
        session,
        data.citations,
        set(),
        actor_id=actor_id,
        notices=notices,
        field="citations",
        known=names.sources,
    )
    return Read(columns, sorted(set(data.tags or [])), cited, notices)


def names_of(session: Session, rows: Sequence[ClaimCreate], *, strict: bool = False) -> Names:
    """The entities and metrics the rows name that exist, in one query for the lot."""
    found, metrics = entities.find_names(
        session, {r.entity for r in rows}, {r.metric for r in rows}
    )
    return Names(entities=found, metrics=metrics, strict=strict)


def level_units(rows: Sequence[ClaimCreate], names: Names) -> dict[str, str]:
    """For each metric the rows name that does not exist yet (by its slug: "imports" and
    "Imports" are one), the unit of the first of its rows whose value is a level (or a change
    in the metric's own unit). A row that cannot be read is passed over here: reading the rows
    in order refuses it with its number."""
    units: dict[str, str] = {}
    for data in rows:
        slug = slugify(data.metric)
        if data.metric in names.metrics or slug in units:
            continue
        try:
            quantity = _value_once(data, None, data.value_text, names)
        except AppError:
            continue
        if in_metric_unit(quantity.figure_type, quantity.dimension):
            units[slug] = quantity.unit
    return units


def read_all(
    session: Session, rows: Sequence[ClaimCreate], actor_id: int | None, *, strict: bool = False
) -> list[Read]:
    """Every row read, all or nothing: the first bad row rejects the batch with its number."""
    names = names_of(session, rows, strict=strict)
    names.level_units = level_units(rows, names)
    out: list[Read] = []
    for i, data in enumerate(rows, start=1):
        try:
            out.append(read(session, data, names, actor_id))
        except AppError as exc:
            raise row_failed(i, exc) from exc
    return out
