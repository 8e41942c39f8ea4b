"""What the list pages share (`templates/list.html`): a table of cells, a link to the next page
of a keyset, and the context every signed-in page gives its layout."""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.requests import Request

from app.auth.policy import Permission
from app.web.sessions import SignedInPage

# Rows a list page shows at a time (the API's default page).
PAGE_SIZE = 50


@dataclass(frozen=True)
class Cell:
    """One cell: its text, a link when it leads to a page, `code` for a slug or an id."""

    text: str
    href: str | None = None
    code: bool = False
    nowrap: bool = False  # a date or a time, kept on one line
    items: list["Cell"] = field(default_factory=list)  # a list in the cell (aliases, parents)


def text(value: object, *, nowrap: bool = False) -> Cell:
    return Cell("—" if value is None or value == "" else str(value), nowrap=nowrap)


def signed_in_context(me: SignedInPage, **context: Any) -> dict[str, Any]:
    """What the layout needs (the nav: which links this key's role sees) and the page's own."""
    return {"me": me, "can_manage_keys": me.may(Permission.MANAGE_KEYS), **context}


def next_url(request: Request, cursor: str | None) -> str | None:
    """This page's address with its filters and the next page's cursor; None on the last."""
    if cursor is None:
        return None
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor" and v]
    return f"{request.url.path}?{urlencode([*query, ('cursor', cursor)])}"


def first_url(request: Request) -> str | None:
    """This page's first page (same filters), when this one came from a cursor."""
    if "cursor" not in request.query_params:
        return None
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor" and v]
    return f"{request.url.path}?{urlencode(query)}" if query else request.url.path


def restart(session: Session) -> None:
    """A refused write: its transaction rolled back (nothing of it kept, its recorded events
    dropped with it), so the page shown after it reads what is stored."""
    session.rollback()
