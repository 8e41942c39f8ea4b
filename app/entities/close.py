"""Close matches of a name created on the fly, as the notices (or, with strict names, the
refusal) that name the record it likely means. The rules are `matching`'s."""

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.entities.aliases import Kind
from app.entities.errors import CloseMatch
from app.entities.matching import Match, NameIndex


def index(session: Session, kind: Kind) -> NameIndex:
    """Every alias of every record of this kind, indexed for `NameIndex.close_to`."""
    found = NameIndex()
    stmt = (
        select(
            kind.owner_column, col(kind.record.name), col(kind.record.slug), col(kind.alias.alias)
        )
        .join(kind.record, col(kind.record.id) == kind.owner_column)
        .order_by(col(kind.alias.id))
    )
    for record_id, name, slug, alias in session.execute(stmt):
        found.add(record_id, name, slug, alias)
    return found


def notice(kind: Kind, name: str, created_id: int | None, match: Match) -> str:
    """What the analyst reads: the record, why it is close, and the two ways to fix it."""
    merge = (
        f"; or have a reviewer merge them: POST /api/v1/{kind.path}/{created_id}/merge "
        f'{{"into": {match.record_id}}}'
        if created_id is not None
        else ""
    )
    return (
        f"'{name}' is close to {kind.name} {match.record_id} '{match.record_name}' "
        f"({match.why}): if it is the same {kind.name}, write '{match.record_name}' instead"
        f"{merge}"
    )


def refuse(kind: Kind, name: str, matches: list[Match]) -> CloseMatch:
    """The refusal of a new name close to a record's, when names must be strict."""
    return CloseMatch(
        "; ".join(notice(kind, name, None, m) for m in matches)
        + f". To create '{name}' as a new {kind.name} anyway, send it without strict_names",
        field=kind.name,
    )
