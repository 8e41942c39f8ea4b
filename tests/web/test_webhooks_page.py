"""The webhooks pages: a key's subscriptions (an admin's: all) with their health and log; create
with the secret shown once, edit, pause, resume, rotate, delete, redeliver, each at the version
the page showed and with the session's CSRF token; no such page for a reader."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit.models import Event
from app.auth.models import Role
from app.webhooks import secrets
from app.webhooks.addresses import UrlPolicy
from app.webhooks.models import (
    OutboxState,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookOutbox,
    WebhookSubscription,
)
from tests.web.conftest import WebKeyFactory, csrf_of, forms_of, sign_in

URL = "https://hooks.example.org/claimtrack"


def _count(session: Session) -> int:
    query = select(func.count()).select_from(WebhookSubscription)
    return int(session.execute(query).scalar_one())


def _secret_on(page: Response) -> str:
    start = page.text.index('id="secret">') + len('id="secret">')
    return page.text[start : page.text.index("</code>", start)]


def _create(client: TestClient, **form: object) -> tuple[int, str]:
    """Create a subscription through the page's form: its id and its secret."""
    csrf = csrf_of(client.get("/webhooks"))
    data = {"csrf": csrf, "url": URL, "event_types": ["flag.opened"], **form}
    response = client.post("/webhooks", data=data)
    assert response.status_code == 201, response.text
    found = forms_of(response)
    assert found[1].endswith("/pause"), found
    return int(found[1].split("/")[2]), _secret_on(response)


def _signed_in(client: TestClient, web_key: WebKeyFactory, role: Role) -> int:
    key_id, secret = web_key(role)
    sign_in(client, secret)
    return key_id


def test_webhooks_page_without_session_redirects_to_signin(client: TestClient) -> None:
    response = client.get("/webhooks", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


def test_webhooks_page_for_reader_is_403_without_link_or_form(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.READER)
    home = client.get("/")
    response = client.get("/webhooks")
    assert 'href="/webhooks"' not in home.text
    assert response.status_code == 403
    assert "this page is for keys that may manage_webhooks" in response.text
    assert forms_of(response) == []  # the error page: no form


def test_create_webhook_by_reader_is_403_and_creates_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.READER)
    csrf = csrf_of(client.get("/"))
    data = {"csrf": csrf, "url": URL, "event_types": ["flag.opened"]}
    response = client.post("/webhooks", data=data)
    assert response.status_code == 403
    assert _count(session) == 0


@pytest.mark.parametrize("role", [Role.ANALYST, Role.REVIEWER, Role.ADMIN])
def test_webhooks_page_is_linked_for_every_role_but_reader(
    client: TestClient, web_key: WebKeyFactory, role: Role
) -> None:
    _signed_in(client, web_key, role)
    assert 'href="/webhooks"' in client.get("/").text
    page = client.get("/webhooks")
    assert page.status_code == 200
    assert forms_of(page) == ["/signout", "/webhooks"]
    assert "No subscriptions yet." in page.text


def test_create_webhook_shows_secret_once(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    key_id = _signed_in(client, web_key, Role.ANALYST)
    hook_id, secret = _create(
        client,
        event_types=["claim.created", "flag.opened"],
        flag_kind="conflict",
        description="desk",
    )
    row = session.get(WebhookSubscription, hook_id)
    assert row is not None
    assert (row.owner_key_id, row.url, row.event_types) == (
        key_id,
        URL,
        ["claim.created", "flag.opened"],
    )
    assert (row.flag_kind, row.description, row.version) == ("conflict", "desk", 1)
    assert secret.startswith("whsec_") and len(secret) == 6 + 44
    assert secrets.decrypt(row.secret_encrypted) == secret
    assert secret not in client.get(f"/webhooks/{hook_id}").text
    assert secret not in client.get("/webhooks").text
    actions = session.execute(
        select(col(Event.action)).where(col(Event.record_type) == "webhook")
    ).scalars()
    assert list(actions) == ["webhook.created"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"url": "http://hooks.example.org/x"}, "url: give an https:// URL"),
        ({"url": "https://10.0.0.5/x"}, "url: 10.0.0.5 is a private"),
        ({"event_types": []}, "Check event_types: List should have at least 1 item"),
        ({"event_types": ["flag.sparkly"]}, "Check event_types: Input should be"),
        ({"entity_id": "999999"}, "filter.entity_id: no entity 999999"),
        ({"entity_id": "x"}, "Check filter.entity_id: Input should be a valid integer"),
        ({"flag_kind": "sparkly"}, "filter.flag_kind: a flag kind is one of"),
    ],
)
def test_create_webhook_refused_names_the_field_and_creates_nothing(
    client: TestClient,
    session: Session,
    web_key: WebKeyFactory,
    form: dict[str, object],
    message: str,
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    csrf = csrf_of(client.get("/webhooks"))
    data = {"csrf": csrf, "url": URL, "event_types": ["flag.opened"], **form}
    response = client.post("/webhooks", data=data)
    assert response.status_code == 422
    assert f'<p class="error" role="alert">{message}' in response.text
    assert _count(session) == 0
    sent_url = str(form.get("url", URL))
    assert f'value="{sent_url}"' in response.text  # the form comes back as sent


def test_create_webhook_without_csrf_is_403_and_creates_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    response = client.post("/webhooks", data={"url": URL, "event_types": ["flag.opened"]})
    assert response.status_code == 403
    assert "This form cannot be accepted" in response.text
    assert _count(session) == 0


def test_list_shows_own_subscriptions_and_admin_sees_all(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    mine, _ = _create(client, description="the analyst's")
    _, other_secret = web_key(Role.REVIEWER)
    sign_in(client, other_secret)
    theirs, _ = _create(client, description="the reviewer's")
    assert f'href="/webhooks/{mine}"' not in client.get("/webhooks").text
    assert client.get(f"/webhooks/{mine}").status_code == 404
    _signed_in(client, web_key, Role.ADMIN)
    listed = client.get("/webhooks")
    assert listed.text.count('<a class="url" href="/webhooks/') == 2
    assert f'href="/webhooks/{mine}"' in listed.text
    assert f'href="/webhooks/{theirs}"' in listed.text
    assert client.get(f"/webhooks/{theirs}").status_code == 200
    assert listed.text.count('<td data-label="Key">web reviewer</td>') == 1


def test_pause_and_resume_from_page_at_the_version_shown(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, _ = _create(client)
    csrf = csrf_of(client.get(f"/webhooks/{hook_id}"))
    paused = client.post(
        f"/webhooks/{hook_id}/pause", data={"csrf": csrf, "version": "1"}, follow_redirects=False
    )
    assert paused.status_code == 303
    assert paused.headers["location"] == f"/webhooks/{hook_id}?saved=paused"
    shown = client.get(paused.headers["location"])
    assert "Paused: no events are queued for it until it is resumed." in shown.text
    assert forms_of(shown)[1] == f"/webhooks/{hook_id}/resume"
    assert 'name="version" value="2"' in shown.text
    resumed = client.post(f"/webhooks/{hook_id}/resume", data={"csrf": csrf, "version": "2"})
    assert resumed.status_code == 200
    session.expire_all()
    row = session.get(WebhookSubscription, hook_id)
    assert row is not None
    assert (row.status, row.version) == (SubscriptionStatus.ACTIVE, 3)


@pytest.mark.parametrize("action", ["pause", "rotate", "delete"])
def test_action_at_stale_version_is_412_and_changes_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory, action: str
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, secret = _create(client)
    csrf = csrf_of(client.get(f"/webhooks/{hook_id}"))
    client.post(f"/webhooks/{hook_id}/pause", data={"csrf": csrf, "version": "1"})
    client.post(f"/webhooks/{hook_id}/resume", data={"csrf": csrf, "version": "2"})
    response = client.post(f"/webhooks/{hook_id}/{action}", data={"csrf": csrf, "version": "1"})
    assert response.status_code == 412
    assert "was changed since you loaded the page" in response.text
    assert f"webhook {hook_id} is no longer at version 1" in response.text
    assert 'id="secret"' not in response.text
    session.expire_all()
    row = session.get(WebhookSubscription, hook_id)
    assert row is not None
    assert (row.status, row.version) == (SubscriptionStatus.ACTIVE, 3)
    assert secrets.decrypt(row.secret_encrypted) == secret


def test_action_without_csrf_is_403_and_changes_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, _ = _create(client)
    response = client.post(f"/webhooks/{hook_id}/delete", data={"version": "1"})
    assert response.status_code == 403
    assert _count(session) == 1


def test_rotate_shows_new_secret_once_and_keeps_the_old(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, first = _create(client)
    csrf = csrf_of(client.get(f"/webhooks/{hook_id}"))
    response = client.post(f"/webhooks/{hook_id}/rotate", data={"csrf": csrf, "version": "1"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    second = _secret_on(response)
    assert second.startswith("whsec_") and second != first
    assert "The old secret still signs beside it until" in response.text
    row = session.get(WebhookSubscription, hook_id)
    assert row is not None and row.previous_secret_encrypted is not None
    assert secrets.decrypt(row.secret_encrypted) == second
    assert secrets.decrypt(row.previous_secret_encrypted) == first
    assert second not in client.get(f"/webhooks/{hook_id}").text


def test_delete_from_page_removes_it(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, _ = _create(client)
    csrf = csrf_of(client.get(f"/webhooks/{hook_id}"))
    response = client.post(
        f"/webhooks/{hook_id}/delete", data={"csrf": csrf, "version": "1"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/webhooks?deleted={hook_id}"
    assert f"Deleted subscription {hook_id}," in client.get(response.headers["location"]).text
    assert _count(session) == 0
    assert client.get(f"/webhooks/{hook_id}").status_code == 404


def test_edit_at_version_saves_and_stale_is_412(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, _ = _create(client)
    csrf = csrf_of(client.get(f"/webhooks/{hook_id}"))
    form = {
        "csrf": csrf,
        "version": "1",
        "url": "https://hooks.example.org/other",
        "event_types": ["flag.resolved", "flag.opened"],
        "description": "changed",
    }
    saved = client.post(f"/webhooks/{hook_id}", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/webhooks/{hook_id}?saved=edited"
    stale = client.post(f"/webhooks/{hook_id}", data={**form, "description": "lost"})
    assert stale.status_code == 412
    assert "was changed since you loaded the page" in stale.text
    assert 'value="changed"' in stale.text  # the form shows what is stored now
    session.expire_all()
    row = session.get(WebhookSubscription, hook_id)
    assert row is not None
    assert (row.url, row.event_types, row.description, row.version) == (
        "https://hooks.example.org/other",
        ["flag.opened", "flag.resolved"],
        "changed",
        2,
    )


def test_edit_with_refused_url_is_422_and_changes_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, _ = _create(client)
    csrf = csrf_of(client.get(f"/webhooks/{hook_id}"))
    form = {"csrf": csrf, "version": "1", "url": "https://[::1]/x", "event_types": ["flag.opened"]}
    response = client.post(f"/webhooks/{hook_id}", data=form)
    assert response.status_code == 422
    assert "url: ::1 is a private, loopback or link-local address" in response.text
    session.expire_all()
    row = session.get(WebhookSubscription, hook_id)
    assert row is not None
    assert (row.url, row.version) == (URL, 1)


def _queue(session: Session, hook_id: int) -> None:
    """Two events for the subscription: one delivered at the third attempt, one given up on."""
    now = datetime.now(UTC)
    for event_id, state, attempts in (
        ("msg_0000000000a1", OutboxState.DELIVERED, 3),
        ("msg_0000000000b2", OutboxState.DEAD, 2),
        ("msg_0000000000c3", OutboxState.PENDING, 0),
    ):
        row = WebhookOutbox(
            event_id=event_id,
            subscription_id=hook_id,
            event_type="flag.opened",
            payload={"type": "flag.opened"},
            attempts=attempts,
            state=state,
            created_at=now - timedelta(minutes=attempts),
            next_attempt_at=now,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        for attempt in range(1, attempts + 1):
            last = state == OutboxState.DELIVERED and attempt == attempts
            session.add(
                WebhookDelivery(
                    outbox_id=row.id,
                    subscription_id=hook_id,
                    event_id=event_id,
                    event_type="flag.opened",
                    attempt=attempt,
                    status_code=200 if last else 500,
                    latency_ms=40 + attempt,
                    response_excerpt="ok" if last else "upstream <broke>",
                    attempted_at=now,
                )
            )
    session.commit()


def test_page_shows_health_queue_and_delivery_log(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, _ = _create(client)
    _queue(session, hook_id)
    page = client.get(f"/webhooks/{hook_id}")
    assert "<dt>Queued</dt><dd>1 event, the oldest from " in page.text
    assert "<dt>Given up on</dt><dd>1</dd>" in page.text
    # the latest attempt: the given-up event's second
    assert '<dt>Last delivery</dt><dd>500 <span class="hook-bad">(failed)</span>, ' in page.text
    assert page.text.count('<td data-label="Attempt">') == 5
    assert page.text.count('<td data-label="Latency">43 ms</td>') == 1
    assert "upstream &lt;broke&gt;" in page.text  # a receiver's answer, escaped
    redeliver = [f for f in forms_of(page) if f.endswith("/redeliver")]
    assert redeliver == [
        f"/webhooks/{hook_id}/messages/msg_0000000000c3/redeliver",
        f"/webhooks/{hook_id}/messages/msg_0000000000b2/redeliver",
        f"/webhooks/{hook_id}/messages/msg_0000000000a1/redeliver",
    ]
    listed = client.get("/webhooks")
    assert (
        '<td data-label="Queued">1 <span class="hook-bad">(1 given up)</span></td>' in listed.text
    )


def test_redeliver_puts_a_given_up_event_back(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, _ = _create(client)
    _queue(session, hook_id)
    csrf = csrf_of(client.get(f"/webhooks/{hook_id}"))
    path = f"/webhooks/{hook_id}/messages/msg_0000000000b2/redeliver"
    response = client.post(path, data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/webhooks/{hook_id}?saved=redelivered"
    session.expire_all()
    states = session.execute(
        select(col(WebhookOutbox.event_id), col(WebhookOutbox.state))
        .where(col(WebhookOutbox.subscription_id) == hook_id)
        .order_by(col(WebhookOutbox.event_id))
    ).all()
    assert [tuple(s) for s in states] == [
        ("msg_0000000000a1", OutboxState.DELIVERED),
        ("msg_0000000000b2", OutboxState.PENDING),
        ("msg_0000000000c3", OutboxState.PENDING),
    ]
    missing = client.post(
        f"/webhooks/{hook_id}/messages/msg_0000000000ff/redeliver", data={"csrf": csrf}
    )
    assert missing.status_code == 404
    assert "No such event for this webhook subscription" in missing.text


def test_reader_and_other_keys_cannot_change_a_subscription(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, _ = _create(client)
    _signed_in(client, web_key, Role.READER)
    csrf = csrf_of(client.get("/"))
    as_reader = client.post(f"/webhooks/{hook_id}/delete", data={"csrf": csrf, "version": "1"})
    _signed_in(client, web_key, Role.REVIEWER)
    csrf = csrf_of(client.get("/webhooks"))
    as_other = client.post(f"/webhooks/{hook_id}/pause", data={"csrf": csrf, "version": "1"})
    assert as_reader.status_code == 403
    assert as_other.status_code == 404
    assert "No such webhook subscription" in as_other.text
    session.expire_all()
    row = session.get(WebhookSubscription, hook_id)
    assert row is not None
    assert (row.status, row.version) == (SubscriptionStatus.ACTIVE, 1)


def test_failing_subscription_shows_since_when_and_resume_clears_it(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _signed_in(client, web_key, Role.ANALYST)
    hook_id, _ = _create(client)
    row = session.get(WebhookSubscription, hook_id)
    assert row is not None
    row.status = SubscriptionStatus.FAILING
    row.failing_since = datetime(2026, 12, 5, 8, 30, tzinfo=UTC)
    session.commit()
    listed = client.get("/webhooks")
    page = client.get(f"/webhooks/{hook_id}")
    assert (
        '<span class="state hook-failing">failing</span><br>'
        '<span class="small">since 2026-12-05 08:30 UTC</span>'
    ) in listed.text
    assert "<dt>Failing since</dt><dd>2026-12-05 08:30 UTC</dd>" in page.text
    assert forms_of(page)[1:3] == [f"/webhooks/{hook_id}/pause", f"/webhooks/{hook_id}/resume"]
    resumed = client.post(
        f"/webhooks/{hook_id}/resume", data={"csrf": csrf_of(page), "version": "1"}
    )
    assert resumed.status_code == 200
    assert "<dt>Failing since</dt><dd>—</dd>" in resumed.text
    session.expire_all()
    row = session.get(WebhookSubscription, hook_id)
    assert row is not None
    assert (row.status, row.failing_since, row.version) == (SubscriptionStatus.ACTIVE, None, 2)


def test_url_hint_says_what_this_server_accepts(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    """The form's hint follows CLAIMTRACK_WEBHOOK_ALLOW_HTTP and _ALLOWED_HOSTS: with them set
    (the README's receiver on 127.0.0.1) it does not ask for https and a public host."""
    _signed_in(client, web_key, Role.ANALYST)
    strict = "https:// and a public host: each delivery is a signed POST to it."
    assert strict in client.get("/webhooks").text
    app = client.app
    before = app.state.webhook_urls  # type: ignore[attr-defined]
    app.state.webhook_urls = UrlPolicy.of(True, ["127.0.0.1", "hooks.internal"])  # type: ignore[attr-defined]
    try:
        page = client.get("/webhooks").text
    finally:
        app.state.webhook_urls = before  # type: ignore[attr-defined]
    assert strict not in page
    assert (
        "https:// or http://, and a public host or one allowed here (127.0.0.1, hooks.internal):"
        " each delivery is a signed POST to it." in page
    )
