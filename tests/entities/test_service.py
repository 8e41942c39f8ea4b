"""Name resolution: entities by alias or slug, metrics by slug, in one statement."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.entities import service as entities
from app.entities.models import EntityCreate, MetricCreate, Ref
from app.entities.service import MetricRow


def test_names_resolve_by_alias_or_slug_in_one_statement(session: Session) -> None:
    ktz = entities.create_entity(
        session, EntityCreate(name="Kazakhstan Temir Zholy", aliases=["KTZ"]), actor_id=None
    )
    china = entities.create_entity(session, EntityCreate(name="China", slug="prc"), actor_id=None)
    rail = entities.create_metric(session, MetricCreate(name="New rail", unit="km"), actor_id=None)
    session.flush()
    assert ktz.id is not None and china.id is not None and rail.id is not None
    seen: list[str] = []

    def before(*args: Any) -> None:
        seen.append(args[2])

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", before)
    try:
        found, metrics = entities.find_names(
            session,
            ["ktz", "kazakhstan-temir-zholy", "PRC", "China", "Nobody"],
            ["New rail", "gdp"],
        )
    finally:
        event.remove(connection, "before_cursor_execute", before)
    assert len(seen) == 1
    ktz_ref = Ref(id=ktz.id, slug="kazakhstan-temir-zholy", name="Kazakhstan Temir Zholy")
    china_ref = Ref(id=china.id, slug="prc", name="China")
    assert found == {
        "ktz": ktz_ref,  # an alias, in any case
        "kazakhstan-temir-zholy": ktz_ref,  # the slug
        "PRC": china_ref,  # the slug, slugified
        "China": china_ref,  # the name, an alias of its own
    }
    assert metrics == {"New rail": MetricRow(rail.id, "new-rail", "New rail", "length", "km")}
