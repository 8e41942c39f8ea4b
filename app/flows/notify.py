"""The one place a use case's changes become webhook events.

Every change is an audit event (`audit.record`); a use case ends by writing them with
`write_pending` here, which first turns the ones a subscription wants into webhook events and
queues them in the outbox (`webhooks.outbox`), in the same transaction: a change rolled back
sends nothing, a change committed cannot lose its event. With no subscription wanting any
event type this costs one cached look at the subscriptions and nothing else.

A target's status is derived from the series and the day, not recorded: the observations' use
case asks for the statuses before and after (`target_statuses`, `queue_target_changes`), the
periodic check for the ones time moved (`write_checked`); both note the status told on the
target (`notified_status`), so a change is sent once, by whichever path sees it first.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Table
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.claims.models import Claim
from app.core.config import get_settings
from app.core.inlist import in_list
from app.core.models import utcnow
from app.core.sessions import unwritten
from app.core.statements import fetch
from app.flows import views
from app.indicators import service as indicators
from app.indicators.models import Indicator, Target
from app.indicators.targets import progress_of, targets_of_all
from app.review import queue
from app.review.models import Flag
from app.webhooks import outbox
from app.webhooks.models import EventType
from app.webhooks.outbox import WebhookEvent

# Audit actions and the webhook event each one is. A flag the service closed by itself (its
# cause went away) is resolved too, `how` saying so.
ACTIONS: dict[str, EventType] = {
    "flag.opened": EventType.FLAG_OPENED,
    "flag.resolved": EventType.FLAG_RESOLVED,
    "flag.cleared": EventType.FLAG_RESOLVED,
    "flag.reopened": EventType.FLAG_REOPENED,
    "claim.created": EventType.CLAIM_CREATED,
    "claim.updated": EventType.CLAIM_CORRECTED,
    "claim.retracted": EventType.CLAIM_RETRACTED,
    "claim.verification_changed": EventType.CLAIM_VERIFICATION_CHANGED,
    "review.created": EventType.REVIEW_CREATED,
    "observation.created": EventType.OBSERVATION_ADDED,
}

CLAIMS: Table = Claim.__table__  # type: ignore[attr-defined]
CLAIM_ROWS = sa_select(*CLAIMS.c).where(in_list(CLAIMS.c.id, "ids"))
INDICATOR_TABLE: Table = Indicator.__table__  # type: ignore[attr-defined]
INDICATORS = sa_select(
    INDICATOR_TABLE.c.id,
    INDICATOR_TABLE.c.slug,
    INDICATOR_TABLE.c.name,
    INDICATOR_TABLE.c.entity_id,
    INDICATOR_TABLE.c.metric_id,
).where(in_list(INDICATOR_TABLE.c.id, "ids"))


def base_url() -> str:
    """Links in payloads: CLAIMTRACK_PUBLIC_URL (required in production), else the address
    `claimtrack serve` listens on."""
    settings = get_settings()
    return settings.public_url or f"http://{settings.host}:{settings.port}"


def _envelope(kind: EventType, occurred: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The payload as the Standard Webhooks specification suggests: type, timestamp, data."""
    moment = occurred.isoformat() if hasattr(occurred, "isoformat") else str(occurred)
    return {"type": str(kind), "timestamp": moment, "data": data}


def write_pending(session: Session) -> None:
    """Queue the webhook events of the audit events recorded in this transaction, then write
    the audit events (`audit.write_pending`)."""
    rows = unwritten(session)
    if rows:
        wanted = outbox.wanted_types(session)
        if wanted:
            chosen = [(ACTIONS[r["action"]], r) for r in rows if ACTIONS.get(r["action"]) in wanted]
            if chosen:
                outbox.enqueue(session, _events(session, chosen))
    audit.write_pending(session)


def _events(session: Session, chosen: Sequence[tuple[EventType, dict[str, Any]]]) -> list[Any]:
    by_table: dict[str, set[int]] = defaultdict(set)
    for _kind, row in chosen:
        if row["record_type"] == "flag":
            by_table["flag"].add(row["record_id"])
        elif row["record_type"] == "claim":
            by_table["claim"].add(row["record_id"])
        elif row["record_type"] == "review":
            by_table["claim"].add(int((row["after"] or {})["claim_id"]))
        elif row["record_type"] == "observation":
            by_table["indicator"].add(int((row["after"] or {})["indicator_id"]))
    flags = _flags(session, sorted(by_table["flag"]))
    claims = _claims(session, sorted(by_table["claim"]))
    found = _indicators(session, sorted(by_table["indicator"]))
    base = base_url()
    events: list[WebhookEvent] = []
    for kind, row in chosen:
        event = _event(kind, row, flags, claims, found, base)
        if event is not None:
            events.append(event)
    return events


def _event(
    kind: EventType,
    row: Mapping[str, Any],
    flags: Mapping[int, dict[str, Any]],
    claims: Mapping[int, "ClaimShown"],
    found: Mapping[int, dict[str, Any]],
    base: str,
) -> WebhookEvent | None:
    after: dict[str, Any] = row["after"] or {}
    record_id: int = row["record_id"]
    if row["record_type"] == "flag":
        flag = flags.get(record_id)
        if flag is None:
            return None
        data: dict[str, Any] = {"flag": flag, "links": _flag_links(base, record_id)}
        if kind == EventType.FLAG_RESOLVED:
            data["how"] = flag["resolution"] if row["action"] == "flag.resolved" else "cleared"
            data["reason"] = after.get("reason") if row["action"] == "flag.cleared" else None
        if kind == EventType.FLAG_REOPENED:
            data["because"] = after.get("because")
        return WebhookEvent(
            type=kind,
            payload=_envelope(kind, row["occurred_at"], data),
            record_version=row["version"],
            entity_id=flag["entity_id"],
            metric_id=flag["metric_id"],
            flag_kind=flag["kind"],
        )
    if row["record_type"] in ("claim", "review"):
        claim_id = record_id if row["record_type"] == "claim" else int(after["claim_id"])
        claim = claims.get(claim_id)
        if claim is None:
            return None
        data = {"claim": claim.shown, "links": _claim_links(base, claim_id)}
        if kind == EventType.CLAIM_CORRECTED:
            before = row["before"] or {}
            data["changed"] = sorted(k for k in after if before.get(k) != after.get(k))
        if kind == EventType.CLAIM_VERIFICATION_CHANGED:
            data["before"], data["after"] = row["before"], after
        if kind == EventType.REVIEW_CREATED:
            data["review"] = {"id": record_id, **after}
        return WebhookEvent(
            type=kind,
            payload=_envelope(kind, row["occurred_at"], data),
            record_version=row["version"] if row["record_type"] == "claim" else claim.version,
            entity_id=claim.entity_id,
            metric_id=claim.metric_id,
        )
    if row["record_type"] == "observation":
        indicator = found.get(int(after["indicator_id"]))
        if indicator is None:
            return None
        observation = {"id": record_id, **{k: v for k, v in after.items() if k != "indicator_id"}}
        data = {
            "observation": observation,
            "indicator": indicator,
            "links": _indicator_links(base, indicator),
        }
        return WebhookEvent(
            type=kind,
            payload=_envelope(kind, row["occurred_at"], data),
            record_version=after.get("version"),
            entity_id=indicator["entity_id"],
            metric_id=indicator["metric_id"],
        )
    return None


def _flag_links(base: str, flag_id: int) -> dict[str, str]:
    return {"api": f"{base}/api/v1/flags/{flag_id}", "web": f"{base}/review/{flag_id}"}


def _claim_links(base: str, claim_id: int) -> dict[str, str]:
    return {"api": f"{base}/api/v1/claims/{claim_id}", "web": f"{base}/claims/{claim_id}"}


def _indicator_links(base: str, indicator: Mapping[str, Any]) -> dict[str, str]:
    return {
        "api": f"{base}/api/v1/indicators/{indicator['id']}",
        "web": f"{base}/indicators/{indicator['slug']}",
    }


def _flags(session: Session, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Each flag with its claims side by side, as `GET /flags/{id}` shows it."""
    if not ids:
        return {}
    session.flush()
    rows = session.execute(select(Flag).where(in_list(col(Flag.id), "ids")), {"ids": list(ids)})
    return {
        flag.id: queue.detail(session, flag).model_dump(mode="json")
        for flag in rows.scalars()
        if flag.id is not None
    }


class ClaimShown(NamedTuple):
    shown: dict[str, Any]
    entity_id: int
    metric_id: int
    version: int


def _claims(session: Session, ids: Sequence[int]) -> dict[int, ClaimShown]:
    """Each claim as the API shows it (verification, open flags, data check)."""
    if not ids:
        return {}
    session.flush()
    rows = fetch(session, CLAIM_ROWS, {"ids": list(ids)})
    stored = {r.id: r for r in rows}
    return {
        public.id: ClaimShown(
            public.model_dump(mode="json"),
            stored[public.id].entity_id,
            stored[public.id].metric_id,
            stored[public.id].version,
        )
        for public in views.to_public_many(session, rows)
    }


def _indicators(session: Session, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = session.execute(INDICATORS, {"ids": list(ids)}).all()
    return {r.id: dict(r._mapping) for r in rows}


def target_statuses(session: Session, indicator_id: int) -> dict[int, str] | None:
    """The status of each of the indicator's targets before a change of its data, when a
    subscription wants to hear of their changes (None: none does, and nothing was computed):
    the one subscribers were last told of, else the one today."""
    if EventType.TARGET_STATUS_CHANGED not in outbox.wanted_types(session):
        return None
    indicator = indicators.get(session, indicator_id)
    told = {t.id: t.notified_status for t in _targets_of(session, indicator_id)}
    return {
        p.target_id: told.get(p.target_id) or str(p.status)
        for p in progress_of(session, indicator, utcnow().date())
    }


def _targets_of(session: Session, indicator_id: int) -> list[Target]:
    found = session.execute(
        select(Target).where(col(Target.indicator_id) == indicator_id).order_by(col(Target.due_on))
    )
    return list(found.scalars())


def queue_target_changes(
    session: Session, indicator_id: int, before: Mapping[int, str] | None
) -> None:
    """target.status_changed for each target whose status differs from `before`."""
    if before is None:
        return
    session.flush()
    indicator = indicators.get(session, indicator_id)
    _announce(session, indicator, _targets_of(session, indicator_id), before, utcnow())


def queue_due_changes(session: Session, today: date) -> None:
    """target.status_changed for each target whose status moved since subscribers were last
    told (`Target.notified_status`): time passing (on_track or at_risk to missed past the due
    date), or a change no data path announced (a target edited). A target never told is only
    noted: its status is the one the next change is reckoned from. Nothing is computed when
    no subscription wants the event."""
    if EventType.TARGET_STATUS_CHANGED not in outbox.wanted_types(session):
        return
    session.flush()
    now = utcnow()
    by_indicator = targets_of_all(session)
    if not by_indicator:
        return
    rows = session.execute(
        select(Indicator).where(in_list(col(Indicator.id), "ids")).order_by(col(Indicator.id)),
        {"ids": sorted(by_indicator)},
    )
    for indicator in rows.scalars():
        assert indicator.id is not None
        targets = by_indicator[indicator.id]
        told = {t.id: t.notified_status for t in targets if t.id is not None and t.notified_status}
        _announce(session, indicator, targets, told, now, today)


def write_checked(session: Session, today: date) -> None:
    """The periodic check's writer: targets' status changes, then `write_pending`."""
    queue_due_changes(session, today)
    write_pending(session)


def _announce(
    session: Session,
    indicator: Indicator,
    targets: list[Target],
    before: Mapping[int, str],
    now: datetime,
    today: date | None = None,
) -> None:
    """Queue a change of each target whose status today differs from `before`, and note each
    status as told (in this transaction, so an event is queued once per change)."""
    base = base_url()
    shown = {
        "id": indicator.id,
        "slug": indicator.slug,
        "name": indicator.name,
        "entity_id": indicator.entity_id,
        "metric_id": indicator.metric_id,
    }
    events: list[WebhookEvent] = []
    rows = {t.id: t for t in targets}
    for p in progress_of(session, indicator, today or now.date(), targets=targets):
        if p.target_id in before and before[p.target_id] != p.status:
            data = {
                "target": p.model_dump(mode="json"),
                "before": before[p.target_id],
                "after": p.status,
                "indicator": shown,
                "links": _indicator_links(base, {"id": indicator.id, "slug": indicator.slug}),
            }
            events.append(
                WebhookEvent(
                    type=EventType.TARGET_STATUS_CHANGED,
                    payload=_envelope(EventType.TARGET_STATUS_CHANGED, now, data),
                    entity_id=indicator.entity_id,
                    metric_id=indicator.metric_id,
                )
            )
        row = rows[p.target_id]
        if row.notified_status != p.status:
            row.notified_status = str(p.status)
    outbox.enqueue(session, events)
    session.flush()
