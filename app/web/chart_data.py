"""What the indicator page shows and `static/web/chart.js` draws: the series as known on a day,
the targets at their due dates, and the claims about the indicator's entity and metric as
intervals, read through the services the API reads (`indicators.series`, `flows.claims`'s
listing, `flows.views`)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.claims.listing import ClaimFilters
from app.flows import claims as claim_flows
from app.flows import views
from app.indicators import series, service
from app.indicators.models import Indicator, IndicatorPublic, TargetProgress
from app.indicators.series import SeriesQuery
from app.indicators.targets import progress_of
from app.quantities import FigureType
from app.review.models import ClaimPublic, FlagKind, FlagStatus
from app.web.numbers import Scale, interval, readable, scale_of

MOST_POINTS = series.MAX_JSON_POINTS  # a page draws at most this many (more: the CSV)
MOST_CLAIMS = 500  # the claims drawn and listed on one page; more are counted, not shown


@dataclass(frozen=True)
class Point:
    on: date
    start: date
    value: Decimal
    vintage: date


@dataclass(frozen=True)
class ClaimShown:
    """A claim about the indicator's entity and metric: drawn on the chart, or listed with
    why it is not (`why`)."""

    claim: ClaimPublic
    conflict: bool
    why: str | None

    @property
    def quote(self) -> str:
        return self.claim.citations[0].quote if self.claim.citations else self.claim.statement

    @property
    def source(self) -> str:
        if not self.claim.citations:
            return "no source"
        s = self.claim.citations[0].source
        return f"{s.title} ({s.publisher})" if s.publisher else s.title


@dataclass
class IndicatorView:
    indicator: IndicatorPublic
    as_of: date | None
    points: list[Point]
    targets: list[TargetProgress]
    claims: list[ClaimShown]
    more_claims: bool
    scale: Scale
    vintages: list[tuple[date, int]] = field(default_factory=list)

    @property
    def drawn(self) -> list[ClaimShown]:
        return [c for c in self.claims if c.why is None]

    def readable(self, value: Decimal | str | None) -> str:
        return readable(value, self.indicator.unit)

    def interval(self, claim: ClaimPublic) -> str:
        return interval(
            claim.low,
            claim.high,
            claim.unit,
            low_open=claim.low_open,
            high_open=claim.high_open,
        )

    def chart(self) -> dict[str, Any]:
        """The JSON `chart.js` reads: numbers as doubles (the page's tables keep them exact)."""
        return {
            "name": self.indicator.name,
            "unit": self.indicator.unit,
            "label": self.scale.label(self.indicator.unit),
            "factor": float(self.scale.factor),
            "as_of": self.as_of,
            "points": [{"date": p.on, "value": float(p.value)} for p in self.points],
            "targets": [
                {
                    "due": t.due_on,
                    "goal": float(Decimal(t.goal)),
                    "text": t.value_text,
                    "status": t.status,
                }
                for t in self.targets
            ],
            "claims": [_mark(c) for c in self.drawn],
        }


def _number(text: str | None) -> float | None:
    return None if text is None else float(Decimal(text))


def _mark(shown: ClaimShown) -> dict[str, Any]:
    c = shown.claim
    return {
        "id": c.id,
        "start": c.period_start or c.period_end,
        "end": c.period_end,
        "value": _number(c.value),
        "low": _number(c.low),
        "high": _number(c.high),
        "value_text": c.value_text,
        "period": c.period,
        "kind": c.kind,
        "verification": c.verification.state,
        "conflict": shown.conflict,
        "quote": shown.quote,
        "source": shown.source,
        "stated_by": c.stated_by,
        "asserted_on": c.asserted_on,
    }


def why_not_drawn(claim: ClaimPublic, indicator: IndicatorPublic) -> str | None:
    """Why a claim cannot sit on the indicator's chart, or None when it can."""
    if claim.figure_type != FigureType.LEVEL:
        return f"a {claim.figure_type} figure, not a level of the series"
    if claim.unit != indicator.unit:
        return (
            f"in {claim.unit}, the series in {indicator.unit}: not converted "
            "(currencies are compared only through a stored rate)"
        )
    if claim.period_end is None:
        return "no period: no date to draw it at"
    if claim.low is None and claim.high is None:
        return "no interval"
    return None


def _claims(
    session: Session, indicator: IndicatorPublic, as_of: date | None
) -> tuple[list[ClaimShown], bool]:
    filters = ClaimFilters(entity=indicator.entity.slug, metric=indicator.metric.slug)
    rows, more = claim_flows.LISTING.get_all(
        session, filters, sort="-id", limit=MOST_CLAIMS, cursor=None
    )
    shown = []
    for c in views.to_public_many(session, rows):
        if as_of is not None and c.asserted_on > as_of:
            continue  # not yet said on that day
        conflict = any(f.kind == FlagKind.CONFLICT and f.status == FlagStatus.OPEN for f in c.flags)
        shown.append(ClaimShown(c, conflict, why_not_drawn(c, indicator)))
    shown.sort(key=lambda s: (s.claim.period_end or date.max, s.claim.id))
    return shown, more is not None


def series_rows(session: Session, indicator_id: int, q: SeriesQuery) -> list[Any]:
    """The stored points as known on `q.as_of` (today's when None), oldest first: the rows
    `shapes` renders for the API."""
    return series.all_rows(session, indicator_id, q, most=MOST_POINTS)


def points(session: Session, indicator_id: int, as_of: date | None) -> list[Point]:
    rows = series_rows(session, indicator_id, SeriesQuery(as_of=as_of))
    return [Point(r.period_end, r.period_start, r.value, r.vintage) for r in rows]


def indicator_view(
    session: Session, indicator: Indicator, as_of: date | None, today: date
) -> IndicatorView:
    public = service.to_public_many(session, [indicator])[0]
    assert indicator.id is not None
    pts = points(session, indicator.id, as_of)
    targets = progress_of(session, indicator, today)
    claims, more = _claims(session, public, as_of)
    values: list[Decimal | None] = [p.value for p in pts]
    values += [Decimal(t.goal) for t in targets]
    for c in claims:
        if c.why is None:
            values += [Decimal(v) for v in (c.claim.value, c.claim.low, c.claim.high) if v]
    return IndicatorView(public, as_of, pts, targets, claims, more, scale_of(values))
