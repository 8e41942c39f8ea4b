"""The generated Python client against the app: a claim with its citation, a list paged by
its `next` links, a conflict resolved with the flag's ETag, CSV, and a problem read back."""

from types import ModuleType
from urllib.parse import parse_qs, urlsplit

from tests.clients.conftest import ApiFactory, part
from tests.factories import claim_body


def _claim(generated: ModuleType, **overrides: object) -> object:
    return part(generated, "models").ClaimCreate.from_dict(claim_body(**overrides))


def test_client_creates_pages_and_resolves_with_etag(
    generated: ModuleType, api: ApiFactory, analyst: dict[str, str], admin: dict[str, str]
) -> None:
    models = part(generated, "models")
    create, listing = (
        part(generated, "api.claims.claims_create"),
        part(generated, "api.claims.claims_list"),
    )
    csv_listing = part(generated, "api.claims.claims_list_csv")
    get_flag, resolve = (
        part(generated, "api.review.flags_get"),
        part(generated, "api.review.flags_resolve"),
    )
    writer = api(analyst)

    first = create.sync_detailed(client=writer, body=_claim(generated))
    assert first.status_code == 201
    created = first.parsed
    assert (created.value, created.unit, created.low, created.high) == (
        "10000000000",
        "USD",
        "9500000000",
        "10500000000",
    )
    assert [c.quote for c in created.citations] == [claim_body()["citations"][0]["quote"]]
    second = create.sync(
        client=writer,
        body=_claim(
            generated, value_text="$12 billion", statement="KTZ will invest $12 billion to 2030."
        ),
    )
    conflicts = [f for f in second.flags if f.kind == "conflict"]
    assert [(f.status, f.with_) for f in conflicts] == [("open", [created.id])]

    # Two pages of one claim each, by the `next` link's cursor.
    page = listing.sync(client=writer, entity="KTZ", limit=1)
    assert [c.id for c in page.items] == [second.id]
    cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    last = listing.sync(client=writer, entity="KTZ", limit=1, cursor=cursor)
    assert ([c.id for c in last.items], last.next_) == ([created.id], None)

    csv = csv_listing.sync_detailed(client=writer, entity="KTZ")
    assert csv.status_code == 200
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert len(csv.content.decode().strip().splitlines()) == 3  # the header and two claims

    reviewer = api(admin)
    flag_id = conflicts[0].id
    read = get_flag.sync_detailed(flag_id, client=reviewer)
    assert read.status_code == 200
    resolved = resolve.sync_detailed(
        flag_id,
        client=reviewer,
        body=models.ResolveDismissed.from_dict({"resolution": "dismissed", "reason": "two plans"}),
        if_match=read.headers["etag"],
    )
    assert resolved.status_code == 200
    assert resolved.parsed.status == "dismissed"
    stale = resolve.sync_detailed(
        flag_id,
        client=reviewer,
        body=models.ResolveDismissed.from_dict({"resolution": "dismissed", "reason": "again"}),
        if_match=read.headers["etag"],
    )
    assert stale.status_code == 412
    assert stale.parsed.code == "precondition_failed"


def test_client_reads_a_problem(
    generated: ModuleType, api: ApiFactory, reader: dict[str, str]
) -> None:
    get_claim = part(generated, "api.claims.claims_get")
    missing = get_claim.sync_detailed(2_000_000_000, client=api(reader))
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert isinstance(missing.parsed, part(generated, "models").Problem)
    assert (missing.parsed.status, missing.parsed.code) == (404, "claim_not_found")
