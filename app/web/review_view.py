"""What the review pages show, read through the review queue's own service: the queue's filters
as a person types them, a flag's place in the queue (its previous and next open flag), names of
keys, entities and metrics, and the figures, intervals, periods and ages as people read them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from sqlalchemy.orm import Session

from app.auth import service as keys
from app.auth.models import ApiKey
from app.auth.policy import Permission, allows
from app.core.errors import InvalidInput
from app.core.models import as_utc
from app.entities import service as entities
from app.indicators import service as indicators
from app.review import queue
from app.review.models import FlagClaimView, FlagKind, FlagStatus

DASH = "\u2013"  # an en dash, between the ends of an interval or a period
QUEUE_SORT = "severity"  # the queue pages read the API's listing, most severe first
PAGE_SIZE = 50
E = TypeVar("E", FlagKind, FlagStatus)
PLACE_PAGES = 20  # how far (pages of 500) a flag's place in the queue is looked for


@dataclass(frozen=True)
class QueueForm:
    """The queue's filter form as sent: each field as typed, for the form to show again."""

    kind: str = ""
    status: str = "open"
    entity: str = ""
    metric: str = ""
    indicator: str = ""
    assignee: str = ""


def filters(session: Session, form: QueueForm, my_id: int) -> queue.FlagFilters | None:
    """The API's flag filters from the form (422 naming the field it cannot read); None when an
    indicator named matches nothing, so nothing can match."""
    kind = _choice(FlagKind, form.kind, "kind")
    status = None if form.status == "all" else _choice(FlagStatus, form.status or "open", "status")
    assignee: int | None = None
    if form.assignee == "me":
        assignee = my_id
    elif form.assignee:
        if not form.assignee.isdigit() or not 1 <= int(form.assignee) <= 2_147_483_647:
            raise InvalidInput("choose an assignee from the list", field="assignee")
        assignee = int(form.assignee)
    entity, metric = form.entity.strip() or None, form.metric.strip() or None
    if form.indicator.strip():
        found = indicators.find(session, form.indicator.strip())
        if found is None:
            return None
        entity = entities.get_entity(session, found.entity_id).slug
        metric = entities.get_metric(session, found.metric_id).slug
    return queue.FlagFilters(
        kind=kind, status=status, entity=entity, metric=metric, assignee_id=assignee
    )


def _choice(enum: type[E], value: str, field: str) -> E | None:
    if not value:
        return None
    try:
        return enum(value)
    except ValueError as exc:
        raise InvalidInput(f"{value!r} is not a {field}", field=field) from exc


@dataclass(frozen=True)
class Place:
    """A flag's neighbours in the open queue (most severe first)."""

    previous: int | None = None
    next: int | None = None


def place(session: Session, flag_id: int) -> Place:
    """The open flags before and after this one in the queue; for a flag not (or no longer) in
    it, the first open flag as its next."""
    open_queue = queue.FlagFilters()
    cursor: str | None = None
    previous: int | None = None
    first: int | None = None
    for _ in range(PLACE_PAGES):
        rows, cursor = queue.get_all(session, open_queue, sort=QUEUE_SORT, limit=500, cursor=cursor)
        ids = [r.id for r in rows if r.id is not None]
        first = ids[0] if first is None and ids else first
        if flag_id in ids:
            at = ids.index(flag_id)
            before = ids[at - 1] if at > 0 else previous
            if at + 1 < len(ids):
                return Place(before, ids[at + 1])
            if cursor is None:
                return Place(before, None)
            after, _ = queue.get_all(session, open_queue, sort=QUEUE_SORT, limit=1, cursor=cursor)
            return Place(before, after[0].id if after else None)
        previous = ids[-1] if ids else previous
        if cursor is None:
            break
    return Place(None, first if first != flag_id else None)


def key_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the keys flags are assigned to."""
    names: dict[int, str] = {}
    for key_id in {i for i in ids if i is not None}:
        key = session.get(ApiKey, key_id)
        names[key_id] = key.name if key is not None else f"key {key_id}"
    return names


def reviewers(session: Session) -> list[ApiKey]:
    """Live keys a flag can be assigned to (the API's rule: reviewers and admins)."""
    return [
        k
        for k in keys.get_all(session)
        if k.revoked_at is None and allows(k.role, Permission.REVIEW)
    ]


def entity_name(session: Session, entity_id: int | None) -> str:
    return "—" if entity_id is None else entities.get_entity(session, entity_id).name


def metric_name(session: Session, metric_id: int | None) -> str:
    return "—" if metric_id is None else entities.get_metric(session, metric_id).name


def age(opened_at: datetime, now: datetime | None = None) -> str:
    """How long a flag has been open, in its largest whole unit: `3 d`, `5 h`, `12 min`,
    `<1 min`."""
    seconds = ((now or datetime.now(UTC)) - (as_utc(opened_at) or opened_at)).total_seconds()
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return "<1 min"


SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)


def _number(value: Decimal, scale: Decimal) -> str:
    return f"{(value / scale).normalize():,f}"


def _scale(values: Iterable[Decimal]) -> tuple[Decimal, str]:
    biggest = max((abs(v) for v in values), default=Decimal(0))
    for size, word in SCALES:
        if biggest >= size:
            return size, f" {word}"
    return Decimal(1), ""


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def interval(claim: FlagClaimView) -> str:
    """A claim's interval as people read it: `32.65-32.75 billion USD` (an en dash), `more than
    100 billion USD`, `at most 5 km`; open ends said in words."""
    low, high = _decimal(claim.low), _decimal(claim.high)
    size, word = _scale(v for v in (low, high) if v is not None)
    unit = f"{word} {claim.unit}".rstrip()
    if low is not None and high is not None:
        if low == high:
            return f"{_number(low, size)}{unit}"
        ends = {(True, True): " (both ends excluded)", (True, False): " (low end excluded)"}
        ends[(False, True)] = " (high end excluded)"
        note = ends.get((claim.low_open, claim.high_open), "")
        return f"{_number(low, size)}{DASH}{_number(high, size)}{unit}{note}"
    if low is not None:
        return f"{'more than' if claim.low_open else 'at least'} {_number(low, size)}{unit}"
    if high is not None:
        return f"{'less than' if claim.high_open else 'at most'} {_number(high, size)}{unit}"
    return "any value"


def period(claim: FlagClaimView) -> str:
    """The period as written and as read: `the first 10 months of 2023 (2023-01-01 to
    2023-10-31)`, the dates joined by an en dash."""
    if claim.period_start is None or claim.period_end is None:
        return claim.period or "no period"
    span = _span(claim.period_start, claim.period_end)
    return f"{claim.period} ({span})" if claim.period else span


def _span(start: date, end: date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()} {DASH} {end.isoformat()}"
