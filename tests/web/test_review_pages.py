"""The review queue pages: the demo's conflict listed first, decided through the forms with the
CSRF token and the flag's ETag, a stale ETag refused with the page saying so, bulk actions, and
readers who see the queue but no form that acts on it."""

import html
import re

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth.models import Role
from app.claims.models import Claim, Rank
from app.demo.load import load
from app.flows import review
from app.review import queue
from app.review.models import Flag, FlagKind, FlagStatus
from tests.web.conftest import WebKeyFactory, csrf_of, forms_of, sign_in, unsigned

ROWS = re.compile(r'<tr data-flag="(-?\d+)"')
IF_MATCH = re.compile(r'name="if_match" value="([^"]+)"')
CHANGED = "This flag changed since you opened it"


@pytest.fixture
def conflict(session: Session) -> Flag:
    """The demo loaded; its one conflict flag (China-Kazakhstan trade, claims of $32.7bn and
    $24.3bn for the first ten months of 2023)."""
    load(session)
    session.commit()
    return session.execute(select(Flag).where(col(Flag.kind) == FlagKind.CONFLICT)).scalar_one()


def rows_of(page: Response) -> list[int]:
    return [int(i) for i in ROWS.findall(page.text)]


def if_match_of(page: Response) -> str:
    found = IF_MATCH.search(page.text)
    assert found is not None, page.text
    return html.unescape(found.group(1))


def _claims(session: Session, flag: Flag) -> list[int]:
    assert flag.id is not None
    return queue.member_ids(session, [flag.id])[flag.id]


def test_queue_lists_the_demo_conflict_first(
    client: TestClient, web_key: WebKeyFactory, conflict: Flag
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    page = client.get("/review")
    assert page.status_code == 200
    rows = rows_of(page)
    assert len(rows) == 32  # one conflict, 25 unverified claims, 6 stale series
    assert rows[0] == conflict.id
    assert conflict.summary in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_queue_filters_by_kind_and_indicator(
    client: TestClient, web_key: WebKeyFactory, conflict: Flag
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    assert rows_of(client.get("/review?kind=conflict")) == [conflict.id]
    assert len(rows_of(client.get("/review?kind=stale"))) == 6
    assert len(rows_of(client.get("/review?indicator=kazakhstan-gdp&kind=stale"))) == 1
    assert rows_of(client.get("/review?indicator=no-such-indicator")) == []
    wrong = client.get("/review?kind=nonsense")
    assert wrong.status_code == 422
    assert "not a kind" in wrong.text


@pytest.mark.parametrize("role", [Role.READER, Role.ANALYST])
def test_who_may_not_review_sees_no_forms_and_gets_403(
    client: TestClient, session: Session, web_key: WebKeyFactory, conflict: Flag, role: Role
) -> None:
    _, secret = web_key(role)
    sign_in(client, secret)
    assert forms_of(client.get("/review")) == ["/signout", "/review"]  # sign out; filter (GET)
    page = client.get(f"/review/{conflict.id}")
    assert page.status_code == 200
    assert forms_of(page) == ["/signout"]
    assert 'name="if_match"' not in page.text
    tag = f'"flag-{conflict.id}-v1"'
    for action, data in [
        ("dismiss", {"reason": "no"}),
        ("assign", {}),
        ("rank", {}),
        ("different", {"reason": "no"}),
        ("verdict", {}),
    ]:
        sent = {"csrf": csrf_of(page), "if_match": tag, **data}
        refused = client.post(f"/review/{conflict.id}/{action}", data=sent)
        assert refused.status_code == 403, action
    refused = client.post("/review/bulk", data={"csrf": csrf_of(page), "action": "assign"})
    assert refused.status_code == 403
    session.refresh(conflict)
    assert (conflict.status, conflict.version, conflict.assignee_id) == (FlagStatus.OPEN, 1, None)


def test_resolve_by_ranking_goes_to_the_next_flag_and_leaves_the_queue(
    client: TestClient, session: Session, web_key: WebKeyFactory, conflict: Flag
) -> None:
    me, secret = web_key(Role.REVIEWER)
    sign_in(client, secret)
    queue_before = rows_of(client.get("/review"))
    page = client.get(f"/review/{conflict.id}")
    assert if_match_of(page) == f'"flag-{conflict.id}-v1"'
    first, second = _claims(session, conflict)
    done = client.post(
        f"/review/{conflict.id}/rank",
        data={
            "csrf": csrf_of(page),
            "if_match": if_match_of(page),
            "claim_id": [str(first), str(second)],
            "rank": ["preferred", "deprecated"],
            "reason": ["the ambassador's figure matches China customs", "misread"],
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/review/{queue_before[1]}"
    session.refresh(conflict)
    assert (conflict.status, conflict.resolved_by_id) == (FlagStatus.RESOLVED, me)
    ranks = [session.get(Claim, i) for i in (first, second)]
    assert [(c.rank, c.rank_reason) for c in ranks if c is not None] == [
        (Rank.PREFERRED, "the ambassador's figure matches China customs"),
        (Rank.DEPRECATED, "misread"),
    ]
    # Ranked, both claims count as reviewed: their unverified items leave the queue too.
    assert {-first, -second} < set(queue_before)
    left = [i for i in queue_before[1:] if i not in (-first, -second)]
    assert rows_of(client.get("/review")) == left
    assert len(left) == 29


def test_a_stale_etag_says_the_flag_changed_and_changes_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory, conflict: Flag
) -> None:
    me, secret = web_key(Role.REVIEWER)
    sign_in(client, secret)
    page = client.get(f"/review/{conflict.id}")
    assert conflict.id is not None
    review.assign(session, conflict.id, me, expected_version=1, actor_id=me)  # meanwhile
    session.commit()
    stale = client.post(
        f"/review/{conflict.id}/dismiss",
        data={"csrf": csrf_of(page), "if_match": if_match_of(page), "reason": "duplicate"},
    )
    assert stale.status_code == 412
    assert CHANGED in stale.text
    assert if_match_of(stale) == f'"flag-{conflict.id}-v2"'  # the page as it is now
    session.refresh(conflict)
    assert (conflict.status, conflict.version, conflict.reason) == (FlagStatus.OPEN, 2, None)
    assert rows_of(client.get("/review"))[0] == conflict.id


def test_a_form_without_the_etag_is_refused(
    client: TestClient, session: Session, web_key: WebKeyFactory, conflict: Flag
) -> None:
    _, secret = web_key(Role.REVIEWER)
    sign_in(client, secret)
    page = client.get(f"/review/{conflict.id}")
    missing = client.post(
        f"/review/{conflict.id}/dismiss", data={"csrf": csrf_of(page), "reason": "duplicate"}
    )
    assert missing.status_code == 428
    no_csrf = client.post(
        f"/review/{conflict.id}/dismiss",
        data={"if_match": if_match_of(page), "reason": "duplicate"},
    )
    assert no_csrf.status_code == 403
    session.refresh(conflict)
    assert (conflict.status, conflict.version) == (FlagStatus.OPEN, 1)


def test_ranking_without_a_reason_is_refused_with_nothing_changed(
    client: TestClient, session: Session, web_key: WebKeyFactory, conflict: Flag
) -> None:
    _, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    page = client.get(f"/review/{conflict.id}")
    first, second = _claims(session, conflict)
    refused = client.post(
        f"/review/{conflict.id}/rank",
        data={
            "csrf": csrf_of(page),
            "if_match": if_match_of(page),
            "claim_id": [str(first), str(second)],
            "rank": ["preferred", "deprecated"],
            "reason": ["right", " "],
        },
    )
    assert refused.status_code == 422
    assert f"give the reason claim {second} is deprecated" in refused.text
    session.refresh(conflict)
    assert (conflict.status, conflict.version) == (FlagStatus.OPEN, 1)
    assert [c.rank for c in (session.get(Claim, i) for i in (first, second)) if c] == [
        Rank.NORMAL,
        Rank.NORMAL,
    ]


def test_a_verdict_closes_a_claims_item_and_goes_on(
    client: TestClient, session: Session, web_key: WebKeyFactory, conflict: Flag
) -> None:
    _, secret = web_key(Role.REVIEWER)
    sign_in(client, secret)
    rows = rows_of(client.get("/review"))
    item = rows[1]  # the first unverified claim's item
    page = client.get(f"/review/{item}")
    done = client.post(
        f"/review/{item}/verdict",
        data={
            "csrf": csrf_of(page),
            "if_match": if_match_of(page),
            "claim_id": str(-item),
            "verdict": "accurate",
            "note": "checked against the ministry's release",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/review/{rows[2]}"
    assert rows_of(client.get("/review")) == [rows[0], *rows[2:]]


def test_bulk_assign_to_me(
    client: TestClient, session: Session, web_key: WebKeyFactory, conflict: Flag
) -> None:
    me, secret = web_key(Role.REVIEWER)
    sign_in(client, secret)
    page = client.get("/review")
    picked = rows_of(page)[:3]
    done = client.post(
        "/review/bulk",
        data={"csrf": csrf_of(page), "action": "assign", "flag_ids": [str(i) for i in picked]},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert unsigned(done.headers["location"]) == "/review?done=assigned&n=3"
    assert "3 flags assigned to you." in client.get(done.headers["location"]).text
    assert rows_of(client.get("/review?assignee=me")) == picked
    session.refresh(conflict)
    assert conflict.assignee_id == me


def test_bulk_dismiss_needs_a_reason_and_is_all_or_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory, conflict: Flag
) -> None:
    _, secret = web_key(Role.REVIEWER)
    sign_in(client, secret)
    page = client.get("/review")
    picked = [str(i) for i in rows_of(page)[:2]]
    form = {"csrf": csrf_of(page), "action": "dismiss", "flag_ids": picked}
    refused = client.post("/review/bulk", data={**form, "reason": ""})
    assert refused.status_code == 422
    assert "Give a reason to dismiss." in refused.text
    assert len(rows_of(client.get("/review"))) == 32
    done = client.post(
        "/review/bulk", data={**form, "reason": "duplicates"}, follow_redirects=False
    )
    assert unsigned(done.headers["location"]) == "/review?done=dismissed&n=2"
    assert len(rows_of(client.get("/review"))) == 30
    session.refresh(conflict)
    assert (conflict.status, conflict.reason) == (FlagStatus.DISMISSED, "duplicates")


def test_a_refused_ranking_leaves_the_flag_at_its_version(
    client: TestClient, session: Session, web_key: WebKeyFactory, conflict: Flag
) -> None:
    """The flow takes the flag's next version before it finds a claim outside the flag: the
    page refusing the decision must not keep that half of it."""
    _, secret = web_key(Role.REVIEWER)
    sign_in(client, secret)
    page = client.get(f"/review/{conflict.id}")
    first, _ = _claims(session, conflict)
    outsider = session.execute(
        select(col(Claim.id)).where(col(Claim.id).not_in(_claims(session, conflict))).limit(1)
    ).scalar_one()
    refused = client.post(
        f"/review/{conflict.id}/rank",
        data={
            "csrf": csrf_of(page),
            "if_match": if_match_of(page),
            "claim_id": [str(first), str(outsider)],
            "rank": ["preferred", "deprecated"],
            "reason": ["right", "wrong"],
        },
    )
    assert refused.status_code == 422
    assert f"claim {outsider} is not in flag {conflict.id}" in refused.text
    assert if_match_of(refused) == f'"flag-{conflict.id}-v1"'
    session.refresh(conflict)
    assert (conflict.status, conflict.version) == (FlagStatus.OPEN, 1)
