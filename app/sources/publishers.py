"""Publishers: one name for a publication however a citation writes it.

A publisher is known by its key, the name with what does not tell publications apart taken
away: case, punctuation, spaces, a leading "The" and trailing designators such as "News
Agency", "International News Agency", "Inc." or ".kz". "Kazinform", "KAZINFORM" and
"Kazinform International News Agency" are one publisher; so are "Trend" and "Trend News
Agency". A publisher also has aliases, added by hand, for what the key cannot see ("Qazinform"
for "Kazinform")."""

import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import delete, func
from sqlalchemy import select as sa_select
from sqlalchemy import update as update_stmt
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.core.errors import InvalidInput
from app.core.pagination import decode_cursor, encode_cursor
from app.core.sessions import lock_keys
from app.core.versioning import bump_version
from app.sources.errors import PublisherNameTaken, PublisherNotFound
from app.sources.models import (
    Publisher,
    PublisherName,
    PublisherPublic,
    PublisherUpdate,
    Source,
)

# Trailing words that say what kind of outlet a name is, not which: removed from the end of a
# name, repeatedly ("Kazinform International News Agency" -> "Kazinform").
DESIGNATORS = (
    "international news agency",
    "national news agency",
    "information agency",
    "news agency",
    "press agency",
    "newswire",
    "news service",
    "news",
    "agency",
    "international",
    "inc",
    "ltd",
    "llc",
    "jsc",
    "plc",
    "corp",
    "com",
    "kz",
    "ru",
)
_WORDS = re.compile(r"[^\w]+")


def _words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    return [w for w in _WORDS.split(folded) if w]


def publisher_key(name: str) -> str:
    """The key a publisher is known by (empty when the name holds nothing but designators)."""
    words = _words(name)
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    stripped = True
    while stripped and len(words) > 1:
        stripped = False
        for designator in DESIGNATORS:
            tail = designator.split()
            if len(words) > len(tail) and words[-len(tail) :] == tail:
                words = words[: -len(tail)]
                stripped = True
                break
    return "".join(words)


# --- stored publishers ---------------------------------------------------------------------


def resolve(session: Session, name: str | None, *, actor_id: int | None) -> int | None:
    """The id of the publisher a citation's name is one of; a new publisher for a new name.
    None for no name (or one of designators only, such as "News Agency")."""
    if name is None:
        return None
    key = publisher_key(name)
    if not key:
        return None
    found = _by_key(session, key)
    if found is not None:
        return found
    lock_keys(session, [f"publisher:{key}"])
    found = _by_key(session, key)
    if found is not None:
        return found
    publisher = Publisher(name=" ".join(name.split()))
    session.add(publisher)
    session.flush()
    assert publisher.id is not None
    session.add(PublisherName(key=key, publisher_id=publisher.id))
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="publisher.created",
        record_type="publisher",
        record_id=publisher.id,
        version=publisher.version,
        after={"name": publisher.name, "key": key},
    )
    return publisher.id


def _by_key(session: Session, key: str) -> int | None:
    stmt = select(PublisherName.publisher_id).where(PublisherName.key == key)
    return session.execute(stmt).scalar_one_or_none()


def get(session: Session, publisher_id: int) -> Publisher:
    publisher = session.get(Publisher, publisher_id)
    if publisher is None:
        raise PublisherNotFound(f"no publisher {publisher_id}", field="publisher_id")
    return publisher


def to_public(session: Session, publisher: Publisher) -> PublisherPublic:
    assert publisher.id is not None
    aliases = session.execute(
        select(PublisherName.alias)
        .where(PublisherName.publisher_id == publisher.id, col(PublisherName.alias).is_not(None))
        .order_by(col(PublisherName.alias))
    ).scalars()
    sources = session.execute(
        sa_select(func.count()).where(col(Source.publisher_id) == publisher.id)
    ).scalar_one()
    return PublisherPublic(
        id=publisher.id,
        name=publisher.name,
        aliases=[a for a in aliases if a is not None],
        sources=sources,
        version=publisher.version,
    )


def get_all(
    session: Session, *, limit: int, cursor: str | None
) -> tuple[Sequence[Publisher], str | None]:
    """A page of publishers in id order, and the cursor of the next page."""
    stmt = select(Publisher).order_by(col(Publisher.id)).limit(limit + 1)
    if cursor is not None:
        (after,) = decode_cursor(cursor, (int,))
        stmt = stmt.where(col(Publisher.id) > after)
    rows = session.execute(stmt).scalars().all()
    nxt = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return rows[:limit], nxt


def _claim_keys(
    session: Session, publisher_id: int, names: dict[str, str | None], field: str
) -> None:
    """Make `names` (key -> alias, None for the name's own key) the publisher's keys; a key
    another publisher holds is refused, naming it (merge the two instead)."""
    if not all(names):
        raise InvalidInput(
            "a name or alias must hold more than designators such as 'News Agency'", field=field
        )
    taken = session.execute(
        select(PublisherName.key, PublisherName.publisher_id).where(
            col(PublisherName.key).in_(list(names)), PublisherName.publisher_id != publisher_id
        )
    ).first()
    if taken is not None:
        raise PublisherNameTaken(
            f"publisher {taken[1]} is already known by '{taken[0]}': merge it into this one "
            f"(POST /api/v1/publishers/{taken[1]}/merge) rather than naming it twice",
            field=field,
        )
    session.execute(delete(PublisherName).where(col(PublisherName.publisher_id) == publisher_id))
    session.flush()
    session.add_all(
        PublisherName(key=key, publisher_id=publisher_id, alias=alias)
        for key, alias in names.items()
    )


def update(
    session: Session,
    publisher_id: int,
    data: PublisherUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Publisher:
    """Rename a publisher or set its aliases, at the version the client read (None: any)."""
    publisher = get(session, publisher_id)
    before = to_public(session, publisher)
    bump_version(session, Publisher, publisher_id, expected_version, "publisher")
    session.refresh(publisher)
    name = " ".join(data.name.split()) if data.name is not None else publisher.name
    aliases = before.aliases if data.aliases is None else data.aliases
    keys: dict[str, str | None] = {}
    for i, alias in enumerate(aliases):
        keys.setdefault(publisher_key(alias), " ".join(alias.split()))
        if not alias.strip():
            raise InvalidInput("an alias cannot be blank", field=f"aliases[{i}]")
    keys[publisher_key(name)] = None  # the name's own key wins over an alias with the same
    _claim_keys(session, publisher_id, keys, "aliases" if data.aliases is not None else "name")
    publisher.name = name
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="publisher.updated",
        record_type="publisher",
        record_id=publisher_id,
        version=publisher.version,
        before=before.model_dump(mode="json", exclude={"sources"}),
        after=to_public(session, publisher).model_dump(mode="json", exclude={"sources"}),
    )
    return publisher


def merge(session: Session, publisher_id: int, into_id: int, *, actor_id: int | None) -> list[int]:
    """Fold a publisher into another: its sources, its name and aliases (as aliases) go to
    `into_id`, and it is gone. The ids of the sources that moved."""
    if publisher_id == into_id:
        raise InvalidInput("a publisher cannot be merged into itself", field="into")
    gone = get(session, publisher_id)
    into = get(session, into_id)
    before = to_public(session, gone)
    moved: list[int] = [
        i
        for i in session.execute(
            sa_select(col(Source.id)).where(col(Source.publisher_id) == publisher_id)
        ).scalars()
        if i is not None
    ]
    session.execute(
        update_stmt(Source)
        .where(col(Source.publisher_id) == publisher_id)
        .values(publisher_id=into_id)
    )
    session.execute(
        update_stmt(PublisherName)
        .where(col(PublisherName.publisher_id) == publisher_id)
        .values(publisher_id=into_id, alias=func.coalesce(col(PublisherName.alias), gone.name))
    )
    bump_version(session, Publisher, into_id, None, "publisher")
    session.flush()
    session.delete(gone)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="publisher.merged",
        record_type="publisher",
        record_id=publisher_id,
        before=before.model_dump(mode="json"),
        after={"into": into_id, "sources": moved},
    )
    session.refresh(into)
    return moved
