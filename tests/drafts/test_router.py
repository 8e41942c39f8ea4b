"""POST /api/v1/drafts: the demo briefing's Middle Corridor paragraph drafts the demo's three
claims, and confirming them through POST /claims:bulk merges them into those three."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.demo import documents
from app.demo.load import load

BRIEFING = {
    "url": "https://claimtrack.invalid/seeds/kazakhstan-eu-weekly-briefing-28",
    "title": "Kazakhstan-EU Weekly Briefing Issue 28, May 25-31, 2026",
    "publisher": "Kazakhstan-EU Weekly Briefing",
    "published_on": "2026-06-01",
    "kind": "briefing",
}


def middle_corridor() -> str:
    """The paragraph as a reader sees it (the Markdown's escaped dollar signs unescaped)."""
    text = documents.text("briefing")
    start = text.index("On May 28, 2026, the Trans-Caspian")
    end = text.index("across the Caspian Sea.", start) + len("across the Caspian Sea.")
    return text[start:end]


@pytest.fixture
def demo(session: Session) -> int:
    count = load(session)
    session.commit()
    return count


def _drafts(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/drafts", json=body, headers=headers)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


# value_text, value, unit, bound, period, period_start, period_end, kind, entity, metric
MIDDLE_CORRIDOR = [
    (
        "$10 billion",
        "10000000000",
        "USD",
        "exact",
        "to 2030",
        "2026-05-28",
        "2030-12-31",
        "commitment",
        "ktz",
        "investment",
    ),
    (
        "900 kilometers",
        "900",
        "km",
        "exact",
        "this year",
        "2026-01-01",
        "2026-12-31",
        "target",
        "ktz",
        "new-rail-length",
    ),
    ("six", "6", "count", "exact", None, None, None, "actual", "ktz", "vessels-commissioned"),
]


def _row(draft: dict[str, Any]) -> tuple[Any, ...]:
    return (
        draft["value_text"],
        draft["value"],
        draft["unit"],
        draft["bound"],
        draft["period"],
        draft["period_start"],
        draft["period_end"],
        draft["kind"],
        draft["entity"]["slug"],
        draft["metric"]["slug"],
    )


def test_middle_corridor_drafts_the_demo_claims(
    client: TestClient, analyst: dict[str, str], demo: int
) -> None:
    text = middle_corridor()
    answer = _drafts(client, analyst, text=text, source=BRIEFING)
    assert [_row(d) for d in answer["drafts"]] == MIDDLE_CORRIDOR
    for draft in answer["drafts"]:
        assert text[draft["span"]["start"] : draft["span"]["end"]] == draft["value_text"]
        assert draft["stated_by"] == "Kazakhstan Temir Zholy (KTZ)"
        assert draft["asserted_on"] == "2026-05-28"
        assert draft["entity"]["new"] is False
        assert draft["metric"]["new"] is False
    assert [d["kind_cue"] for d in answer["drafts"]] == ["investment", "fast-tracking", None]
    assert [(s["text"], s["why"]) for s in answer["skipped"]] == [
        ("28", "date"),
        ("2026", "date"),
        ("2030", "year"),
    ]


def test_confirming_middle_corridor_drafts_merges_into_the_demo_claims(
    client: TestClient, analyst: dict[str, str], demo: int
) -> None:
    answer = _drafts(client, analyst, text=middle_corridor(), source=BRIEFING)
    before = client.get("/api/v1/claims?limit=500", headers=analyst).json()["items"]
    response = client.post(
        "/api/v1/claims:bulk", json=[d["claim"] for d in answer["drafts"]], headers=analyst
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["created"], result["existing"]) == (0, 3)
    after = client.get("/api/v1/claims?limit=500", headers=analyst).json()["items"]
    assert len(after) == len(before)


def test_confirming_middle_corridor_drafts_on_empty_database_stores_three(
    client: TestClient, analyst: dict[str, str]
) -> None:
    answer = _drafts(client, analyst, text=middle_corridor(), source=BRIEFING)
    assert [d["entity"]["new"] for d in answer["drafts"]] == [True, True, True]
    response = client.post(
        "/api/v1/claims:bulk", json=[d["claim"] for d in answer["drafts"]], headers=analyst
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["created"], result["existing"]) == (3, 0)
    sources = {c["source"]["url"] for i in result["items"] for c in i["citations"]}
    assert sources == {BRIEFING["url"]}


# https://www.gdnonline.com/Details/1315796
EGYPT = (
    "Egypt\u2019s merchandise exports soared by 9.8 per cent year-on-year in the first five "
    "months of 2024 to reach $16.55 billion, according to a top official.\n"
    "Exports increased every month over the period, underscoring the north African country\u2019s "
    "ongoing expansion in global trade, according to Egypt\u2019s Minister of Trade and Industry "
    "Ahmed Samir.\n"
    "Notable items that contributed to the growth included fresh and dried citrus fruits valued "
    "at $721 million, wires at $353m, and manufactured petroleum oils at $186m."
)
GDN = {
    "url": "https://www.gdnonline.com/Details/1315796",
    "title": "Egypt exports up 9.8pc",
    "publisher": "GDN Online",
    "published_on": "2024-06-20",
    "kind": "news",
}


def test_the_same_text_confirmed_twice_is_merged_the_second_time(
    client: TestClient, analyst: dict[str, str], demo: int
) -> None:
    """A change and a level of one new subject give one new metric, measured in the level's unit
    though the change comes first; drafted again, both find that metric rather than "Exports",
    made from the next sentence, so confirming again stores nothing new."""
    first = _drafts(client, analyst, text=EGYPT, source=GDN)
    metrics = [d["metric"]["name"] for d in first["drafts"]]
    assert metrics == ["Merchandise exports", "Merchandise exports", *["Exports"] * 3]
    stored = client.post(
        "/api/v1/claims:bulk", json=[d["claim"] for d in first["drafts"]], headers=analyst
    )
    assert (stored.json()["created"], stored.json()["existing"]) == (5, 0)
    again = _drafts(client, analyst, text=EGYPT, source=GDN)
    assert [d["metric"]["slug"] for d in again["drafts"]] == [
        "merchandise-exports",
        "merchandise-exports",
        *["exports"] * 3,
    ]
    response = client.post(
        "/api/v1/claims:bulk", json=[d["claim"] for d in again["drafts"]], headers=analyst
    )
    assert (response.json()["created"], response.json()["existing"]) == (0, 5)


def test_a_target_takes_no_period_over_before_it_was_said(
    client: TestClient, analyst: dict[str, str]
) -> None:
    """The paragraph's "first five months of 2024" is carried to a sentence naming no period,
    but not to a target said after those months ended: a goal is about what is to come."""
    text = (
        "Egypt\u2019s merchandise exports soared by 9.8 per cent year-on-year in the first five "
        "months of 2024 to reach $16.55 billion, according to a top official.\n"
        "This effort supports Egypt\u2019s target of achieving $100bn in annual merchandise "
        "exports."
    )
    answer = _drafts(client, analyst, text=text, source=GDN)
    read = [(d["value_text"], d["kind"], d["period"], d["period_end"]) for d in answer["drafts"]]
    assert read == [
        ("soared by 9.8 per cent", "actual", "in the first five months of 2024", "2024-05-31"),
        ("$16.55 billion", "actual", "in the first five months of 2024", "2024-05-31"),
        ("$100bn", "target", None, None),
    ]
    target = answer["drafts"][2]
    assert "period" not in target["claim"]
    assert (
        "period 'in the first five months of 2024' of the sentences before was over on "
        "2024-06-20, before this target was said: none proposed" in target["notices"]
    )
