"""Loading the demo data set through the same flows an analyst's requests use (its claims are
checked for conflicts, data and verification as theirs are)."""

from sqlalchemy.orm import Session
from sqlmodel import select

from app.audit import service as audit
from app.claims.models import Claim, ClaimCreate
from app.demo.data import CLAIMS, ENTITIES, INDICATORS, METRICS, SOURCES
from app.demo.documents import check_quote
from app.entities import service as entities
from app.entities.models import EntityCreate, MetricCreate
from app.flows import claims, observations
from app.indicators import service as indicators
from app.indicators import targets
from app.indicators.models import IndicatorCreate, ObservationIn, TargetCreate
from app.sources import service as sources
from app.sources.models import SourceCreate


def is_empty(session: Session) -> bool:
    return session.execute(select(Claim.id).limit(1)).first() is None


def load(session: Session, *, actor_id: int | None = None) -> int:
    """Create the demo sources, entities, metrics and claims, audited (the flows it calls write
    their own events, the rest are written at its end); returns the number of claims."""
    source_ids: dict[str, int] = {}
    for spec in SOURCES:
        data = SourceCreate.model_validate(
            {k: v for k, v in spec.items() if k not in ("key", "derived_from")}
        )
        source = sources.get_by_url(session, data.url) or sources.create(
            session, data, actor_id=actor_id
        )
        assert source.id is not None
        source_ids[spec["key"]] = source.id
    for spec in SOURCES:
        if spec.get("derived_from"):
            sources.set_parents(
                session, source_ids[spec["key"]], [source_ids[k] for k in spec["derived_from"]]
            )
    for spec in ENTITIES:
        if entities.find_entity(session, spec["slug"]) is None:
            entities.create_entity(session, EntityCreate.model_validate(spec), actor_id=actor_id)
    for spec in METRICS:
        if entities.find_metric(session, spec["slug"]) is None:
            metric = MetricCreate(name=spec["name"], slug=spec["slug"], unit=spec["unit"])
            entities.create_metric(session, metric, actor_id=actor_id)
    for spec in CLAIMS:
        for citation in spec["citations"]:
            check_quote(citation["source"], citation["quote"])
    rows = [
        ClaimCreate.model_validate(
            {
                **{k: v for k, v in spec.items() if k != "citations"},
                "citations": [
                    {"source_id": source_ids[c["source"]], "quote": c["quote"]}
                    for c in spec["citations"]
                ],
            }
        )
        for spec in CLAIMS
    ]
    created = claims.create_many(session, rows, actor_id=actor_id)
    by_key = {
        (spec["entity"], spec["metric"], spec["kind"]): claim.id
        for spec, (claim, *_) in zip(CLAIMS, created, strict=True)
    }
    for spec in INDICATORS:
        if indicators.find(session, spec["slug"]) is not None:
            continue
        described = IndicatorCreate.model_validate(
            {k: v for k, v in spec.items() if k not in ("targets", "observations")}
        )
        indicator = indicators.create(session, described, actor_id=actor_id)
        assert indicator.id is not None
        for target in spec["targets"]:
            targets.add_target(
                session,
                indicator.id,
                TargetCreate(
                    value_text=target["value_text"],
                    due_on=target["due_on"],
                    claim_id=by_key[target["claim"]],
                ),
                actor_id=actor_id,
            )
        observed = [
            ObservationIn.model_validate(
                {
                    "period": o["period"],
                    "value_text": o["value_text"],
                    "vintage": o["vintage"],
                    "citation": {"source_id": source_ids[o["source"]], "quote": o["quote"]},
                }
            )
            for o in spec["observations"]
        ]
        if observed:
            observations.record(session, indicator.id, observed, actor_id=actor_id)
    audit.write_pending(session)
    return len(created)
