"""Conflicts found as claims arrive, the review queue, and how flags are settled."""

import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event

from app.auth.models import Role
from tests.conftest import KeyFactory
from tests.factories import claim_body

OFFICIAL = [{"url": "https://gov.example/a", "title": "Ministry", "kind": "official", "quote": "q"}]


# Each claim posted is said by someone else: the same claim posted twice is stored once.
SPEAKERS = itertools.count(1)


def post(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    overrides.setdefault("stated_by", f"Speaker {next(SPEAKERS)}")
    body = claim_body(citations=OFFICIAL, **overrides)
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def conflict_flags(claim: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in claim["flags"] if f["kind"] == "conflict"]


TRADE = {"entity": "EU-Kazakhstan", "metric": "trade turnover", "kind": "actual", "period": "2025"}


@pytest.mark.parametrize(
    ("first", "second", "overrides", "conflict"),
    [
        ("$45 billion", "$44.6 billion", {}, False),
        ("$16.5 billion", "$16.2 billion", {"period": None, "kind": "estimate"}, True),
        ("more than 4,000", "about 4,200", {"metric": "companies operating"}, False),
        ("more than 4,000", "3,900", {"metric": "companies operating"}, True),
        ("$5-7 billion", "$8 billion", {}, True),
        ("$5-8 billion", "$7.5 billion", {}, False),
        ("900 km", "560 miles", {"metric": "new rail length"}, False),
        ("900 km", "950 km", {"metric": "new rail length"}, True),
    ],
)
def test_second_claim_opens_conflict_flag_when_intervals_part(
    client: TestClient,
    analyst: dict[str, str],
    first: str,
    second: str,
    overrides: dict[str, Any],
    conflict: bool,
) -> None:
    a = post(client, analyst, **{**TRADE, **overrides, "value_text": first})
    b = post(client, analyst, **{**TRADE, **overrides, "value_text": second})
    assert conflict_flags(a) == []
    if conflict:
        assert conflict_flags(b) == [
            {
                "id": conflict_flags(b)[0]["id"],
                "kind": "conflict",
                "status": "open",
                "with": [a["id"]],
            }
        ]
        assert f"conflicts with claim {a['id']}" in b["notices"][-1]
    else:
        assert conflict_flags(b) == []


def test_not_comparable_pairs_never_flag(client: TestClient, analyst: dict[str, str]) -> None:
    post(
        client,
        analyst,
        entity="KTZ",
        metric="investment",
        value_text="$10 billion",
        period="to 2030",
        kind="commitment",
    )
    projects = post(
        client,
        analyst,
        entity="industrial portfolio",
        metric="portfolio value",
        value_text="$10 billion",
        period=None,
        kind="estimate",
    )
    post(
        client,
        analyst,
        entity="China-Kazakhstan",
        metric="trade turnover",
        value_text="$44 billion",
        period="2024",
    )
    ten_months = post(
        client,
        analyst,
        entity="China-Kazakhstan",
        metric="trade turnover",
        value_text="$30 billion",
        period="Jan-Oct 2024",
    )
    actual = post(
        client,
        analyst,
        entity="KTZ",
        metric="investment",
        value_text="$1 billion",
        period="2025",
        kind="actual",
    )
    customs = post(
        client,
        analyst,
        entity="China-Kazakhstan",
        metric="trade turnover",
        value_text="$43.8 billion",
        period="2023",
        basis="China customs",
    )
    stats = post(
        client,
        analyst,
        entity="China-Kazakhstan",
        metric="trade turnover",
        value_text="$30.8 billion",
        period="2023",
        basis="Kazakhstan statistics bureau",
    )
    for claim in (projects, ten_months, actual, customs, stats):
        assert conflict_flags(claim) == []
    queue = client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"]
    assert queue == []


@pytest.mark.parametrize(
    ("second", "conflict"),
    [
        ({"asserted_on": "2026-06-02", "value_text": "$15 billion"}, True),  # said days later
        (
            {"asserted_on": "2031-03-01", "value_text": "$15 billion"},
            True,
        ),  # "by 2030", looking back
        ({"asserted_on": "2026-06-02", "value_text": "$10.2 billion"}, False),  # agrees
        ({"asserted_on": "2026-06-02", "value_text": "$15 billion", "period": "2026-2030"}, False),
        ({"asserted_on": "2026-06-02", "value_text": "$15 billion", "period": "to 2031"}, False),
    ],
)
def test_a_horizon_said_on_two_days_is_one_period(
    client: TestClient, analyst: dict[str, str], second: dict[str, str], conflict: bool
) -> None:
    """ "$10 billion to 2030" said on 28 May and "$15 billion to 2030" said on 2 June: each
    period starts on its day, and both are the horizon to 2030 (conflict_key.key_start)."""
    first = post(client, analyst)  # KTZ, investment, "$10 billion", "to 2030", 2026-05-28
    other = post(client, analyst, **second)
    assert (first["period_start"], first["period_end"]) == ("2026-05-28", "2030-12-31")
    assert [f["with"] for f in conflict_flags(other)] == ([[first["id"]]] if conflict else [])


def test_a_year_said_on_its_first_day_is_the_year(
    client: TestClient, analyst: dict[str, str]
) -> None:
    """ "2024" said on 1 January is the year 2024, as said on 10 March: no horizon."""
    year = {**TRADE, "period": "2024"}
    first = post(client, analyst, **year, asserted_on="2024-01-01", value_text="$44 billion")
    other = post(client, analyst, **year, asserted_on="2024-03-10", value_text="$15 billion")
    assert "period_from_said" not in other  # the key's business, not shown
    assert [f["with"] for f in conflict_flags(other)] == [[first["id"]]]


def test_bulk_compares_horizons_said_on_two_days(
    client: TestClient, analyst: dict[str, str]
) -> None:
    rows = [
        claim_body(citations=OFFICIAL, stated_by="A"),
        claim_body(
            citations=OFFICIAL, stated_by="B", asserted_on="2026-06-02", value_text="$15 billion"
        ),
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    first, second = response.json()["items"]
    assert [f["with"] for f in conflict_flags(second)] == [[first["id"]]]


def test_group_is_one_flag_however_many_claims_join(
    client: TestClient, analyst: dict[str, str]
) -> None:
    a = post(client, analyst, **TRADE, value_text="$45 billion")
    b = post(client, analyst, **TRADE, value_text="$40 billion")
    c = post(client, analyst, **TRADE, value_text="$30 billion")
    flag_id = conflict_flags(b)[0]["id"]
    assert conflict_flags(c)[0]["id"] == flag_id
    assert conflict_flags(c)[0]["with"] == [a["id"], b["id"]]
    queue = client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"]
    assert [(f["id"], f["claim_ids"], f["claim_count"]) for f in queue] == [
        (flag_id, [a["id"], b["id"], c["id"]], 3)
    ]


def test_bulk_import_checks_the_batch_itself(client: TestClient, analyst: dict[str, str]) -> None:
    rows = [
        claim_body(citations=OFFICIAL, **TRADE, value_text="$45 billion"),
        claim_body(citations=OFFICIAL, **TRADE, value_text="$40 billion"),
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    first, second = response.json()["items"]
    assert conflict_flags(second)[0]["with"] == [first["id"]]
    assert conflict_flags(first)[0]["with"] == [second["id"]]


def test_retracting_a_claim_clears_the_flag(client: TestClient, analyst: dict[str, str]) -> None:
    post(client, analyst, **TRADE, value_text="$45 billion")
    b = post(client, analyst, **TRADE, value_text="$40 billion")
    flag_id = conflict_flags(b)[0]["id"]
    retracted = client.delete(
        f"/api/v1/claims/{b['id']}", headers={**analyst, "If-Match": f'"claim-{b["id"]}-v1"'}
    )
    assert retracted.status_code == 200
    flag = client.get(f"/api/v1/flags/{flag_id}", headers=analyst).json()
    assert (flag["status"], flag["resolution"]) == ("resolved", "cleared")
    events = client.get(f"/api/v1/events?record_type=flag&record_id={flag_id}", headers=analyst)
    assert [e["action"] for e in events.json()["items"]] == [
        "flag.cleared",
        "flag.left",
        "flag.opened",
    ]


def test_correcting_a_claim_moves_it_out_of_the_conflict(
    client: TestClient, analyst: dict[str, str]
) -> None:
    post(client, analyst, **TRADE, value_text="$45 billion")
    b = post(client, analyst, **TRADE, value_text="$40 billion")
    flag_id = conflict_flags(b)[0]["id"]
    fixed = client.patch(
        f"/api/v1/claims/{b['id']}",
        json={"value_text": "$45.2 billion"},
        headers={**analyst, "If-Match": f'"claim-{b["id"]}-v1"'},
    )
    assert fixed.status_code == 200
    assert conflict_flags(fixed.json()) == []
    assert client.get(f"/api/v1/flags/{flag_id}", headers=analyst).json()["status"] == "resolved"


def test_correcting_the_basis_moves_a_claim_into_and_out_of_a_conflict(
    client: TestClient, analyst: dict[str, str]
) -> None:
    a = post(client, analyst, **TRADE, value_text="$45 billion", basis="China customs")
    b = post(client, analyst, **TRADE, value_text="$40 billion", basis="Kazakhstan statistics")
    assert conflict_flags(b) == []
    url = f"/api/v1/claims/{b['id']}"
    same_basis = client.patch(
        url, json={"basis": "china  CUSTOMS"}, headers={**analyst, "If-Match": "*"}
    )
    assert same_basis.status_code == 200
    opened = conflict_flags(same_basis.json())
    assert [(f["status"], f["with"]) for f in opened] == [("open", [a["id"]])]
    apart_again = client.patch(
        url, json={"basis": "Kazakhstan statistics"}, headers={**analyst, "If-Match": "*"}
    )
    assert apart_again.status_code == 200
    assert conflict_flags(apart_again.json()) == []
    cleared = client.get(f"/api/v1/flags/{opened[0]['id']}", headers=analyst).json()
    assert (cleared["status"], cleared["resolution"]) == ("resolved", "cleared")


@pytest.fixture
def conflict(client: TestClient, analyst: dict[str, str]) -> tuple[dict[str, Any], ...]:
    a = post(client, analyst, **TRADE, value_text="$45 billion", stated_by="MFA")
    b = post(client, analyst, **TRADE, value_text="$40 billion", stated_by="Blog")
    return a, b, client.get(f"/api/v1/flags/{conflict_flags(b)[0]['id']}", headers=analyst).json()


def test_flag_shows_claims_side_by_side(
    client: TestClient, reader: dict[str, str], conflict: tuple[dict[str, Any], ...]
) -> None:
    a, b, flag = conflict
    detail = client.get(f"/api/v1/flags/{flag['id']}", headers=reader)
    assert detail.headers["ETag"] == f'"flag-{flag["id"]}-v1"'
    claims = detail.json()["claims"]
    assert [(c["id"], c["value_text"], c["low"], c["high"], c["stated_by"]) for c in claims] == [
        (a["id"], "$45 billion", "44500000000", "45500000000", "MFA"),
        (b["id"], "$40 billion", "39500000000", "40500000000", "Blog"),
    ]
    assert claims[0]["citations"][0]["kind"] == "official"
    assert claims[0]["citations"][0]["quote"] == "q"


def test_resolve_by_ranking_sets_ranks_and_best_rank(
    client: TestClient,
    auth: KeyFactory,
    analyst: dict[str, str],
    conflict: tuple[dict[str, Any], ...],
) -> None:
    a, b, flag = conflict
    reviewer = auth(Role.REVIEWER)
    body = {
        "resolution": "ranked",
        "preferred": [{"claim_id": a["id"], "reason": "official figure"}],
        "deprecated": [{"claim_id": b["id"], "reason": "blog rounding"}],
    }
    url = f"/api/v1/flags/{flag['id']}/resolve"
    assert client.post(url, json=body, headers=reviewer).status_code == 428
    assert (
        client.post(url, json=body, headers={**analyst, "If-Match": '"flag-1-v1"'}).status_code
        == 403
    )
    done = client.post(url, json=body, headers={**reviewer, "If-Match": f'"flag-{flag["id"]}-v1"'})
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["resolution"]) == ("resolved", "ranked")
    ranks = {c["id"]: c["rank"] for c in done.json()["claims"]}
    assert ranks == {a["id"]: "preferred", b["id"]: "deprecated"}
    best = client.get("/api/v1/claims?rank=best&metric=trade-turnover", headers=analyst).json()
    assert [c["id"] for c in best["items"]] == [a["id"]]
    agreeing = post(client, analyst, **TRADE, value_text="$45.1 billion")
    assert conflict_flags(agreeing)[0]["status"] == "resolved"
    best = client.get("/api/v1/claims?rank=best&metric=trade-turnover", headers=analyst).json()
    assert [c["id"] for c in best["items"]] == [a["id"]]
    contradicting = post(client, analyst, **TRADE, value_text="$50 billion")
    assert conflict_flags(contradicting)[0] == {
        "id": flag["id"],
        "kind": "conflict",
        "status": "open",
        "with": [a["id"], b["id"], agreeing["id"]],
    }


def test_resolve_as_different_quantities_sticks(
    client: TestClient,
    auth: KeyFactory,
    analyst: dict[str, str],
    conflict: tuple[dict[str, Any], ...],
) -> None:
    _, _, flag = conflict
    reviewer = auth(Role.REVIEWER)
    done = client.post(
        f"/api/v1/flags/{flag['id']}/resolve",
        json={"resolution": "different_quantities", "reason": "goods vs goods and services"},
        headers={**reviewer, "If-Match": f'"flag-{flag["id"]}-v1"'},
    )
    assert done.status_code == 200, done.text
    again = post(client, analyst, **TRADE, value_text="$40 billion", stated_by="Another blog")
    assert conflict_flags(again) == []
    open_flags = client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"]
    assert open_flags == []


def test_resolve_closed_flag_is_409(
    client: TestClient, auth: KeyFactory, conflict: tuple[dict[str, Any], ...]
) -> None:
    _, _, flag = conflict
    reviewer = auth(Role.REVIEWER)
    url = f"/api/v1/flags/{flag['id']}/resolve"
    body = {"resolution": "dismissed", "reason": "not worth it"}
    assert client.post(url, json=body, headers={**reviewer, "If-Match": "*"}).status_code == 200
    again = client.post(url, json=body, headers={**reviewer, "If-Match": "*"})
    assert again.status_code == 409
    assert again.json()["code"] == "flag_closed"


def test_ranking_a_claim_outside_the_flag_is_422(
    client: TestClient, auth: KeyFactory, conflict: tuple[dict[str, Any], ...]
) -> None:
    _, _, flag = conflict
    body = {"resolution": "ranked", "preferred": [{"claim_id": 999, "reason": "x"}]}
    response = client.post(
        f"/api/v1/flags/{flag['id']}/resolve",
        json=body,
        headers={**auth(Role.REVIEWER), "If-Match": "*"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "ranks[0].claim_id"


def test_assign_and_filter_by_assignee(
    client: TestClient,
    auth: KeyFactory,
    admin: dict[str, str],
    conflict: tuple[dict[str, Any], ...],
) -> None:
    _, _, flag = conflict
    reviewer_key = client.post(
        "/api/v1/keys", json={"name": "ana", "role": "reviewer"}, headers=admin
    ).json()
    reader_key = client.post(
        "/api/v1/keys", json={"name": "rob", "role": "reader"}, headers=admin
    ).json()
    url = f"/api/v1/flags/{flag['id']}/assign"
    bad = client.post(
        url, json={"assignee_id": reader_key["id"]}, headers={**admin, "If-Match": "*"}
    )
    assert bad.status_code == 422
    ok = client.post(
        url, json={"assignee_id": reviewer_key["id"]}, headers={**admin, "If-Match": "*"}
    )
    assert ok.status_code == 200
    mine = client.get(f"/api/v1/flags?assignee={reviewer_key['id']}", headers=admin).json()["items"]
    assert [f["id"] for f in mine] == [flag["id"]]


def test_bulk_resolve_and_assign(
    client: TestClient, auth: KeyFactory, analyst: dict[str, str]
) -> None:
    post(client, analyst, **TRADE, value_text="$45 billion")
    first = conflict_flags(post(client, analyst, **TRADE, value_text="$40 billion"))[0]["id"]
    other = {**TRADE, "period": "2024"}
    post(client, analyst, **other, value_text="$45 billion")
    second = conflict_flags(post(client, analyst, **other, value_text="$40 billion"))[0]["id"]
    reviewer = auth(Role.REVIEWER)
    bad = client.post(
        "/api/v1/flags:resolve",
        json={"flag_ids": [first, 99999], "resolution": "dismissed", "reason": "r"},
        headers=reviewer,
    )
    assert bad.status_code == 404
    assert client.get(f"/api/v1/flags/{first}", headers=reviewer).json()["status"] == "open"
    done = client.post(
        "/api/v1/flags:resolve",
        json={"flag_ids": [first, second], "resolution": "dismissed", "reason": "r"},
        headers=reviewer,
    )
    assert done.status_code == 200
    assert [f["status"] for f in done.json()["items"]] == ["dismissed", "dismissed"]


def test_queue_sorts_filters_pages_and_exports(client: TestClient, analyst: dict[str, str]) -> None:
    post(client, analyst, **TRADE, value_text="$45 billion")
    post(client, analyst, **TRADE, value_text="$40 billion")
    post(client, analyst, **TRADE, value_text="$30 billion")
    unsourced = client.post(
        "/api/v1/claims",
        json=claim_body(citations=[], entity="EAEU", metric="gdp"),
        headers=analyst,
    ).json()
    by_severity = client.get("/api/v1/flags?sort=severity", headers=analyst).json()["items"]
    assert [f["kind"] for f in by_severity] == ["conflict", "unsourced"]
    by_size = client.get("/api/v1/flags?sort=most_claims&limit=1", headers=analyst).json()
    assert by_size["items"][0]["claim_count"] == 3
    rest = client.get(by_size["next"], headers=analyst).json()
    assert [f["claim_ids"] for f in rest["items"]] == [[unsourced["id"]]]
    assert rest["next"] is None
    eaeu = client.get("/api/v1/flags?entity=eaeu", headers=analyst).json()["items"]
    assert [f["kind"] for f in eaeu] == ["unsourced"]
    csv = client.get("/api/v1/flags?format=csv&sort=severity", headers=analyst)
    assert (
        csv.text.splitlines()[0]
        == "id,kind,status,severity,claim_count,claim_ids,opened_at,assignee_id,resolution,summary"
    )
    assert len(csv.text.splitlines()) == 3


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0), (2, 0, 3, 1)])
def test_flagged_claims_do_not_depend_on_insertion_order(
    client: TestClient, analyst: dict[str, str], order: tuple[int, ...]
) -> None:
    # 0-2 and 1-2 conflict; 3 ("$40-46 billion") agrees with everyone.
    values = ["$45 billion", "$45.2 billion", "$40 billion", "$40-46 billion"]
    made = {i: post(client, analyst, **TRADE, value_text=values[i]) for i in order}
    queue = client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"]
    assert len(queue) == 1
    flagged = {i for i, claim in made.items() if claim["id"] in queue[0]["claim_ids"]}
    assert flagged == {0, 1, 2}


def test_claim_etag_changes_when_its_flags_change(
    client: TestClient, analyst: dict[str, str]
) -> None:
    a = post(client, analyst, **TRADE, value_text="$45 billion")
    first = client.get(f"/api/v1/claims/{a['id']}", headers=analyst)
    post(client, analyst, **TRADE, value_text="$40 billion")
    again = client.get(
        f"/api/v1/claims/{a['id']}", headers={**analyst, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 200
    assert [f["kind"] for f in again.json()["flags"]] == ["conflict"]
    assert again.json()["version"] == 1


def test_reposting_separated_figures_opens_nothing(
    client: TestClient, auth: KeyFactory, analyst: dict[str, str]
) -> None:
    post(client, analyst, **TRADE, value_text="$45 billion")
    b = post(client, analyst, **TRADE, value_text="$40 billion")
    flag_id = conflict_flags(b)[0]["id"]
    done = client.post(
        f"/api/v1/flags/{flag_id}/resolve",
        json={"resolution": "different_quantities", "reason": "goods vs services"},
        headers={**auth(Role.REVIEWER), "If-Match": "*"},
    )
    assert done.status_code == 200
    rows = [
        claim_body(citations=OFFICIAL, **TRADE, value_text="$45 billion"),
        claim_body(citations=OFFICIAL, **TRADE, value_text="$40 billion"),
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert [conflict_flags(c) for c in response.json()["items"]] == [[], []]
    assert client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"] == []


def test_dismissing_a_conflict_keeps_its_claims_and_their_twins_apart(
    client: TestClient, auth: KeyFactory, analyst: dict[str, str]
) -> None:
    a = post(client, analyst, **TRADE, value_text="$45 billion")
    b = post(client, analyst, **TRADE, value_text="$40 billion")
    flag_id = conflict_flags(b)[0]["id"]
    dismissed = client.post(
        f"/api/v1/flags/{flag_id}/resolve",
        json={"resolution": "dismissed", "reason": "known rounding"},
        headers={**auth(Role.REVIEWER), "If-Match": "*"},
    )
    assert dismissed.status_code == 200
    # The same figure said again is not compared with the claim it was dismissed against...
    twin = post(client, analyst, **TRADE, value_text="$40 billion")
    assert conflict_flags(twin) == []
    # ...and neither is a dismissed claim corrected to a figure that still contradicts.
    corrected = client.patch(
        f"/api/v1/claims/{b['id']}",
        json={"value_text": "$39 billion"},
        headers={**analyst, "If-Match": "*"},
    )
    assert corrected.status_code == 200
    assert conflict_flags(corrected.json()) == []
    flag = client.get(f"/api/v1/flags/{flag_id}", headers=analyst).json()
    assert (flag["status"], flag["resolution"], flag["reason"]) == (
        "dismissed",
        "dismissed",
        "known rounding",
    )
    assert [c["id"] for c in flag["claims"]] == [a["id"], b["id"]]
    assert client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"] == []


def test_dismissing_an_unverified_flag_keeps_it_closed_when_the_claim_changes(
    client: TestClient, auth: KeyFactory, analyst: dict[str, str]
) -> None:
    claim = client.post(
        "/api/v1/claims", json=claim_body(entity="Zed", metric="zeds"), headers=analyst
    ).json()
    assert [(f["kind"], f["status"]) for f in claim["flags"]] == [("unverified", "open")]
    dismissed = client.post(
        f"/api/v1/flags/{claim['flags'][0]['id']}/resolve",
        json={"resolution": "dismissed", "reason": "known source"},
        headers={**auth(Role.REVIEWER), "If-Match": "*"},
    )
    assert dismissed.status_code == 200
    touched = client.patch(
        f"/api/v1/claims/{claim['id']}",
        json={"tags": ["y"]},
        headers={**analyst, "If-Match": "*"},
    )
    assert touched.status_code == 200
    assert (touched.json()["verification"]["state"], touched.json()["flags"]) == (
        "unverified",
        [],
    )
    assert client.get("/api/v1/flags?kind=unverified", headers=analyst).json()["items"] == []


def test_latest_verdict_decides(
    client: TestClient, auth: KeyFactory, analyst: dict[str, str]
) -> None:
    claim = client.post("/api/v1/claims", json=claim_body(), headers=analyst).json()
    reviewer = auth(Role.REVIEWER)
    url = f"/api/v1/claims/{claim['id']}"
    client.post(f"{url}/reviews", json={"verdict": "accurate"}, headers=reviewer)
    shown = client.get(url, headers=analyst).json()["verification"]
    assert (shown["state"], shown["verdict"]) == ("reviewed", "accurate")
    client.post(f"{url}/reviews", json={"verdict": "inaccurate"}, headers=reviewer)
    shown = client.get(url, headers=analyst).json()["verification"]
    assert (shown["state"], shown["verdict"]) == ("reviewed", "inaccurate")
    ld = client.get(f"{url}/claimreview", headers=analyst)
    assert ld.headers["content-type"] == "application/ld+json"
    assert ld.json()["reviewRating"]["alternateName"] == "Inaccurate"


def test_reopened_flag_drops_old_resolution_and_retracted_preferred_does_not_hide(
    client: TestClient, auth: KeyFactory, analyst: dict[str, str]
) -> None:
    a = post(client, analyst, **TRADE, value_text="$45 billion")
    b = post(client, analyst, **TRADE, value_text="$40 billion")
    flag_id = conflict_flags(b)[0]["id"]
    reviewer = {**auth(Role.REVIEWER), "If-Match": "*"}
    ranked = {
        "resolution": "ranked",
        "preferred": [{"claim_id": a["id"], "reason": "official"}],
        "deprecated": [{"claim_id": b["id"], "reason": "blog"}],
    }
    assert (
        client.post(f"/api/v1/flags/{flag_id}/resolve", json=ranked, headers=reviewer).status_code
        == 200
    )
    history = client.get(f"/api/v1/claims/{a['id']}/history", headers=analyst).json()
    assert [h["action"] for h in history] == [
        "claim.created",
        "claim.ranked",
        "claim.verification_changed",
    ]
    client.delete(f"/api/v1/claims/{a['id']}", headers={**analyst, "If-Match": "*"})
    c = post(client, analyst, **TRADE, value_text="$30 billion")
    flag = client.get(f"/api/v1/flags/{flag_id}", headers=analyst).json()
    assert (flag["status"], flag["resolution"], flag["reason"]) == ("open", None, None)
    assert conflict_flags(c)[0]["id"] == flag_id


def test_new_rate_decides_pairs_already_stored(client: TestClient, analyst: dict[str, str]) -> None:
    usd = post(client, analyst, **TRADE, value_text="$45 billion")
    eur = post(client, analyst, **TRADE, value_text="€30 billion")
    assert conflict_flags(eur) == []
    rate = {"base": "EUR", "quote": "USD", "rate": "1.10", "as_of": "2025-06-30"}
    assert client.post("/api/v1/fx-rates", json=rate, headers=analyst).status_code == 201
    queue = client.get("/api/v1/flags?kind=conflict", headers=analyst).json()["items"]
    assert [f["claim_ids"] for f in queue] == [sorted([usd["id"], eur["id"]])]


def test_bulk_import_joining_open_flags_costs_the_same_statements_for_any_batch(
    client: TestClient, analyst: dict[str, str], connection: Connection
) -> None:
    def joining(years: range) -> tuple[list[dict[str, Any]], int]:
        """One open conflict flag per year, then a bulk import that joins each of them."""
        for year in years:
            post(client, analyst, **{**TRADE, "period": str(year)}, value_text="$45 billion")
            post(client, analyst, **{**TRADE, "period": str(year)}, value_text="$40 billion")
        rows = [
            claim_body(citations=OFFICIAL, **{**TRADE, "period": str(y)}, value_text="$30 billion")
            for y in years
        ]
        statements: list[str] = []
        listen = event.listens_for(connection, "before_cursor_execute")
        record = listen(lambda *args: statements.append(args[2]))
        response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
        event.remove(connection, "before_cursor_execute", record)
        assert response.status_code == 201, response.text
        return response.json()["items"], len(statements)

    two, two_cost = joining(range(2001, 2003))
    six, six_cost = joining(range(2011, 2017))
    assert [len(conflict_flags(c)[0]["with"]) for c in two + six] == [2] * 8
    assert two_cost == six_cost


def test_a_single_create_that_opens_a_conflict_costs_a_fixed_list_of_statements(
    client: TestClient, analyst: dict[str, str], connection: Connection
) -> None:
    first = claim_body(**TRADE, value_text="$45 billion")
    assert client.post("/api/v1/claims", json=first, headers=analyst).status_code == 201
    statements: list[str] = []
    listen = event.listens_for(connection, "before_cursor_execute")
    record = listen(lambda *args: statements.append(args[2]))
    second = claim_body(**TRADE, value_text="$40 billion")
    response = client.post("/api/v1/claims", json=second, headers=analyst)
    event.remove(connection, "before_cursor_execute", record)
    assert response.status_code == 201, response.text
    assert [f["kind"] for f in response.json()["flags"]] == ["conflict", "unverified"]
    for note in response.json()["flags"]:  # opened together, each shown with its real id
        opened = client.get(f"/api/v1/flags/{note['id']}", headers=analyst).json()
        assert (opened["kind"], response.json()["id"] in opened["claim_ids"]) == (
            note["kind"],
            True,
        )
    work = [
        " ".join(s.split()[:3])
        for s in statements
        if s.split()[0] in {"SELECT", "INSERT", "UPDATE"}
    ]
    # The key; the names with the cited source; the claim (its row back by RETURNING), its
    # tags and citations; what it shows (one UNION ALL: the verification and the data check
    # are worked out from it once) and its source's ancestry; the conflict check; the conflict
    # flag with its members; the events. The verification is the claim's column, not a flag:
    # no UPDATE either, a cited claim is stored as `unverified` to begin with.
    sqlite = connection.dialect.name == "sqlite"
    lock = [] if sqlite else ["SELECT count(pg_advisory_xact_lock(u.n)) FROM"]
    assert work == [
        "SELECT api_keys.id, api_keys.name,",
        "SELECT 'alias' AS",
        "SELECT sources.id, sources.url,",
        *lock,  # the claim's identity, so that two writers of the same claim store it once
        (
            "SELECT c.id, c.entity_id," if sqlite else "SELECT claims.id, claims.entity_id,"
        ),  # stored before?
        "INSERT INTO claims",
        "INSERT INTO claim_tags",
        "INSERT INTO citations",
        "SELECT 'entity' AS",
        "SELECT source_derivations.source_id, source_derivations.derived_from_id",
        *lock,
        "SELECT claims.id, claims.entity_id,",
        "SELECT flags.id, flags.group_key,",
        "SELECT claim_separations.low_claim_id, claim_separations.high_claim_id",
        "INSERT INTO flags",
        "INSERT INTO flag_claims",
        "INSERT INTO events",
    ]


def test_a_bulk_import_in_another_currency_looks_each_rate_up_once(
    client: TestClient, analyst: dict[str, str], connection: Connection
) -> None:
    post(client, analyst, **TRADE, value_text="$45 billion")
    rate = {"base": "EUR", "quote": "USD", "rate": "1.10", "as_of": "2024-06-30"}
    assert client.post("/api/v1/fx-rates", json=rate, headers=analyst).status_code == 201
    rows = [claim_body(**TRADE, value_text="€30 billion", statement=f"Said {n}.") for n in range(5)]
    statements: list[str] = []
    listen = event.listens_for(connection, "before_cursor_execute")
    record = listen(lambda *args: statements.append(args[2]))
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    event.remove(connection, "before_cursor_execute", record)
    assert response.status_code == 201, response.text
    # €30 billion is $33 billion at the stored rate: each contradicts the $45 billion.
    assert [len(conflict_flags(c)) for c in response.json()["items"]] == [1] * 5
    assert sum("fx_rates" in s for s in statements) == 1


def test_a_bulk_of_horizons_costs_the_same_statements_for_two_keys_as_for_six(
    client: TestClient, analyst: dict[str, str], connection: Connection
) -> None:
    """Horizon keys ("to 2030": no start in the key) are looked up in one statement, not
    one a key."""

    def imported(entities: range) -> int:
        for n in entities:  # the entities, metric and source made before: not counted
            post(client, analyst, entity=f"Horizon {n}", period="2025", value_text="$1 billion")
        rows = [
            claim_body(citations=OFFICIAL, entity=f"Horizon {n}", stated_by=f"S{n}")
            for n in entities
        ]
        statements: list[str] = []
        listen = event.listens_for(connection, "before_cursor_execute")
        record = listen(lambda *args: statements.append(args[2]))
        response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
        event.remove(connection, "before_cursor_execute", record)
        assert response.status_code == 201, response.text
        return len(statements)

    assert imported(range(2101, 2103)) == imported(range(2111, 2117))
