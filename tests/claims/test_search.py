"""`q` on the claims list: full-text search over a claim's statement, quotes, entity and metric
names and aliases, and its sources' titles and publishers; ranked, with word stems, and kept in
step with every edit."""

from itertools import count
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlalchemy.orm import Session
from sqlmodel import col

from app.entities.models import Entity, EntityAlias, Metric
from tests.factories import claim_body

_numbers = count(1)


def claim(
    client: TestClient,
    headers: dict[str, str],
    statement: str,
    *,
    quote: str = "the figure was given at a briefing in the capital",
    title: str = "Annual report on the economy",
    publisher: str = "Example Daily",
    **overrides: Any,
) -> dict[str, Any]:
    """A claim with a source of its own (a new URL each time), its value unique too."""
    n = next(_numbers)
    citation = {
        "url": f"https://search.example/{n}",
        "title": title,
        "publisher": publisher,
        "kind": "news",
        "quote": quote,
    }
    body = claim_body(
        statement=statement, value_text=f"${n} billion", citations=[citation], **overrides
    )
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def found(client: TestClient, headers: dict[str, str], query: str) -> list[int]:
    response = client.get("/api/v1/claims", params={"q": query}, headers=headers)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["items"]]


def test_search_finds_the_words_in_any_order(client: TestClient, analyst: dict[str, str]) -> None:
    china = claim(client, analyst, "Trade with China reached a record.")
    claim(client, analyst, "Trade with the EU fell.")
    assert found(client, analyst, "China trade") == [china["id"]]
    assert found(client, analyst, "china TRADE record") == [china["id"]]
    assert found(client, analyst, "China steel") == []


def test_search_finds_word_stems(client: TestClient, analyst: dict[str, str]) -> None:
    trade = claim(client, analyst, "Kazakhstan's trade grew.")
    railways = claim(client, analyst, "The railways carried more grain.")
    assert found(client, analyst, "trades") == [trade["id"]]
    assert found(client, analyst, "traded") == [trade["id"]]
    assert found(client, analyst, "railway carries") == [railways["id"]]


def test_search_finds_a_source_title(client: TestClient, analyst: dict[str, str]) -> None:
    titled = claim(client, analyst, "Volumes grew.", title="Middle Corridor cargo outlook")
    claim(client, analyst, "Volumes fell.")
    assert found(client, analyst, "cargo outlook") == [titled["id"]]


def test_search_finds_a_publisher(client: TestClient, analyst: dict[str, str]) -> None:
    published = claim(client, analyst, "Volumes grew.", publisher="Kazinform News Agency")
    claim(client, analyst, "Volumes fell.")
    assert found(client, analyst, "kazinform") == [published["id"]]


def test_search_finds_an_entity_alias_and_the_metric_name(
    client: TestClient, analyst: dict[str, str]
) -> None:
    entity = {"name": "Kazakhstan Temir Zholy", "aliases": ["national railway operator"]}
    assert client.post("/api/v1/entities", json=entity, headers=analyst).status_code == 201
    aliased = claim(client, analyst, "It will invest.", entity="Kazakhstan Temir Zholy")
    other = claim(client, analyst, "It will invest.", entity="Samruk", metric="dividends")
    assert found(client, analyst, "railway operators") == [aliased["id"]]
    assert found(client, analyst, "temir zholy") == [aliased["id"]]
    assert found(client, analyst, "dividend") == [other["id"]]


def test_search_ranks_statement_then_names_then_quotes_then_sources(
    client: TestClient, analyst: dict[str, str]
) -> None:
    """One word, once, in a different part of each claim (of the same length), made in another
    order than the rank; fillers keep the word rare among the claims."""
    in_source = claim(client, analyst, "Volumes grew on the corridor.", title="Annual freight")
    in_names = claim(client, analyst, "Volumes grew on the corridor.", entity="Freight port")
    in_statement = claim(client, analyst, "Freight grew on the corridor.")
    in_quote = claim(
        client,
        analyst,
        "Volumes grew on the corridor.",
        quote="the figure was given at a freight briefing in the capital",
    )
    for _ in range(6):
        claim(client, analyst, "Volumes grew on the corridor.")
    ranked = [in_statement["id"], in_names["id"], in_quote["id"], in_source["id"]]
    assert found(client, analyst, "freight") == ranked
    by_id = client.get("/api/v1/claims?q=freight&sort=id", headers=analyst).json()["items"]
    assert [c["id"] for c in by_id] == sorted(ranked)
    csv = client.get("/api/v1/claims?q=freight&format=csv", headers=analyst).text.splitlines()
    assert [int(line.split(",")[0]) for line in csv[1:]] == ranked


def test_search_pages_by_relevance_without_repeats(
    client: TestClient, analyst: dict[str, str]
) -> None:
    made = [claim(client, analyst, f"Freight {'grew ' * n}fast.")["id"] for n in range(4)]
    made.append(claim(client, analyst, "Freight grew fast.")["id"])  # ties the second
    whole = found(client, analyst, "freight")
    assert sorted(whole) == sorted(made)
    seen: list[int] = []
    url: str | None = "/api/v1/claims?q=freight&limit=2"
    while url is not None:
        page = client.get(url, headers=analyst).json()
        seen += [c["id"] for c in page["items"]]
        url = page["next"]
    assert seen == whole
    first = client.get("/api/v1/claims?q=freight&limit=2", headers=analyst).json()
    cursor = first["next"].split("cursor=")[1]
    other_sort = client.get(f"/api/v1/claims?q=freight&sort=id&cursor={cursor}", headers=analyst)
    assert other_sort.status_code == 422
    assert other_sort.json()["field"] == "cursor"


def test_sort_by_relevance_needs_q(client: TestClient, analyst: dict[str, str]) -> None:
    response = client.get("/api/v1/claims?sort=relevance", headers=analyst)
    assert response.status_code == 422
    assert response.json()["field"] == "sort"


def test_search_reads_phrases_exclusions_and_or(
    client: TestClient, analyst: dict[str, str]
) -> None:
    china = claim(client, analyst, "Trade with China reached a record.")
    eu = claim(client, analyst, "Trade with the EU fell to a low.")
    assert found(client, analyst, '"trade with china"') == [china["id"]]
    assert found(client, analyst, '"china trade"') == []
    assert found(client, analyst, "trade -china") == [eu["id"]]
    assert found(client, analyst, 'trade -"with china"') == [eu["id"]]
    assert sorted(found(client, analyst, "record or low")) == sorted([eu["id"], china["id"]])


TWO_HUNDRED_ALTERNATIVES = "x or " * 200
MANY_EXCLUSIONS = "china" + " -x" * 331 + "  "
LONG_WORDS = "china " * 165 + "trade" + " " * 5


@pytest.mark.parametrize(
    ("query", "hit"),
    [
        ("NEAR(china trade)", False),
        ("NEAR(china trade, 2)", False),
        ("china*", True),
        ("^china", True),
        ("(china) (trade", True),
        ("china AND trade", True),  # "and", "not": common words, not searched
        ("china NOT trade", True),
        ('"unmatched quote china', False),
        ('china "', True),
        ('china""trade', True),
        ("china's trade", True),
        ("statement:china", False),
        ("{statement quotes}: china", False),
        ("china + trade", True),
        ("--china trade", False),
        ("china -", True),
        ("china or or trade", True),
        ("or china", True),
        ("china or", True),
        pytest.param(TWO_HUNDRED_ALTERNATIVES, False, id="200 alternatives in 1000 characters"),
        pytest.param(MANY_EXCLUSIONS, True, id="331 exclusions in 1000 characters"),
        pytest.param(LONG_WORDS, True, id="166 words in 1000 characters"),
    ],
)
def test_search_reads_hostile_queries_as_words(
    client: TestClient, analyst: dict[str, str], query: str, hit: bool
) -> None:
    china = claim(client, analyst, "Trade with China reached a record.")
    assert len(query) <= 1000
    assert found(client, analyst, query) == ([china["id"]] if hit else [])


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "***",
        "()",
        "-",
        "-china",
        "china or -trade",
        "or",
        "the",
        '"the of"',
        pytest.param("(" * 1000, id="1000 parentheses"),
    ],
)
def test_search_without_a_word_to_find_is_refused(
    client: TestClient, analyst: dict[str, str], query: str
) -> None:
    response = client.get("/api/v1/claims", params={"q": query}, headers=analyst)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "q"


def test_search_longer_than_1000_characters_is_refused(
    client: TestClient, analyst: dict[str, str]
) -> None:
    response = client.get("/api/v1/claims", params={"q": "a" * 1001}, headers=analyst)
    assert response.status_code == 422
    assert response.json()["field"] == "q"


def patch_claim(
    client: TestClient, headers: dict[str, str], made: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any]:
    response = client.patch(
        f"/api/v1/claims/{made['id']}",
        json=body,
        headers={**headers, "If-Match": f'"claim-{made["id"]}-v{made["version"]}"'},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_search_follows_edits_and_retraction(client: TestClient, analyst: dict[str, str]) -> None:
    made = claim(client, analyst, "Exports of wheat rose.")
    assert found(client, analyst, "wheat") == [made["id"]]
    edited = patch_claim(client, analyst, made, {"statement": "Exports of barley rose."})
    assert found(client, analyst, "wheat") == []
    assert found(client, analyst, "barley") == [edited["id"]]
    moved = patch_claim(client, analyst, edited, {"entity": "Aral port", "metric": "tonnage"})
    assert found(client, analyst, "aral tonnage") == [made["id"]]
    assert found(client, analyst, "investment") == []  # the metric it had
    retracted = client.delete(
        f"/api/v1/claims/{made['id']}",
        headers={**analyst, "If-Match": f'"claim-{made["id"]}-v{moved["version"]}"'},
    )
    assert retracted.status_code == 200
    assert found(client, analyst, "barley") == []
    every = client.get("/api/v1/claims?q=barley&status=all", headers=analyst).json()["items"]
    assert [c["id"] for c in every] == [made["id"]]


def test_search_follows_new_citations(client: TestClient, analyst: dict[str, str]) -> None:
    made = claim(client, analyst, "Volumes grew.")
    citation = {
        "url": "https://search.example/pipeline",
        "title": "Caspian pipeline consortium",
        "publisher": "Interfax",
        "kind": "news",
        "quote": "shipments through the terminal rose",
    }
    cited = client.post(f"/api/v1/claims/{made['id']}/citations", json=[citation], headers=analyst)
    assert cited.status_code == 201, cited.text
    assert found(client, analyst, "terminal shipments") == [made["id"]]
    assert found(client, analyst, "pipeline consortium") == [made["id"]]
    assert found(client, analyst, "interfax") == [made["id"]]


def test_search_follows_source_edits(client: TestClient, analyst: dict[str, str]) -> None:
    made = claim(client, analyst, "Volumes grew.", title="Wheat outlook", publisher="Tengrinews")
    source = made["citations"][0]["source"]
    response = client.patch(
        f"/api/v1/sources/{source['id']}",
        json={"title": "Barley outlook", "publisher": "Kursiv"},
        headers={**analyst, "If-Match": f'"source-{source["id"]}-v1"'},
    )
    assert response.status_code == 200, response.text
    assert found(client, analyst, "wheat") == []
    assert found(client, analyst, "tengrinews") == []
    assert found(client, analyst, "barley outlook") == [made["id"]]
    assert found(client, analyst, "kursiv") == [made["id"]]


def test_search_finds_claims_of_a_bulk_import(client: TestClient, analyst: dict[str, str]) -> None:
    rows = [
        claim_body(statement="Coal exports rose.", value_text="$1 billion"),
        claim_body(statement="Oil exports fell.", value_text="$2 billion"),
    ]
    response = client.post("/api/v1/claims:bulk", json=rows, headers=analyst)
    assert response.status_code == 201, response.text
    coal, oil = (c["id"] for c in response.json()["items"])
    assert found(client, analyst, "coal") == [coal]
    assert found(client, analyst, "exports") == [oil, coal]


def test_search_follows_entity_and_metric_renames_and_aliases(
    client: TestClient, analyst: dict[str, str], session: Session
) -> None:
    """No route renames an entity or a metric yet, nor adds an alias: the tables are changed
    directly, as such a route would."""
    made = claim(client, analyst, "Volumes grew.", entity="Aktau port", metric="throughput")
    entity_id, metric_id = made["entity"]["id"], made["metric"]["id"]
    session.execute(update(Entity).where(col(Entity.id) == entity_id).values(name="Caspian gate"))
    session.execute(update(Metric).where(col(Metric.id) == metric_id).values(name="cargo handled"))
    session.add(EntityAlias(entity_id=entity_id, alias="Kuryk ferry", normalized="kuryk ferry"))
    session.commit()
    assert found(client, analyst, "caspian gate") == [made["id"]]
    assert found(client, analyst, "cargo handled") == [made["id"]]
    assert found(client, analyst, "throughput") == []
    assert found(client, analyst, "kuryk ferry") == [made["id"]]
    session.execute(delete(EntityAlias).where(col(EntityAlias.alias) == "Kuryk ferry"))
    session.commit()
    assert found(client, analyst, "kuryk") == []
