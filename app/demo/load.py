"""Loading the demo data set through the same services an analyst's requests use."""

from sqlalchemy.orm import Session
from sqlmodel import select

from app.claims import service as claims
from app.claims.models import Claim, ClaimCreate
from app.demo.data import CLAIMS, ENTITIES, METRICS, SOURCES
from app.entities import service as entities
from app.entities.models import EntityCreate, MetricCreate
from app.sources import service as sources
from app.sources.models import SourceCreate


def is_empty(session: Session) -> bool:
    return session.execute(select(Claim.id).limit(1)).first() is None


def load(session: Session, *, actor_id: int | None = None) -> int:
    """Create the demo sources, entities, metrics and claims; returns the number of claims."""
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
            entities.create_entity(session, EntityCreate.model_validate(spec))
    for spec in METRICS:
        if entities.find_metric(session, spec["slug"]) is None:
            entities.create_metric(
                session, MetricCreate(name=spec["name"], slug=spec["slug"], unit=spec["unit"])
            )
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
    return len(claims.create_many(session, rows, actor_id=actor_id))
