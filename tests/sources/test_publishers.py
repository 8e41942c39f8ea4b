"""One page is one source, one publisher is one publisher: however a citation writes them."""

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import claim_body


def cited(url: str, publisher: str | None, quote: str = "$10 billion") -> dict[str, Any]:
    return {"url": url, "title": "KTZ plan", "publisher": publisher, "kind": "news", "quote": quote}


def log(client: TestClient, headers: dict[str, str], *citations: dict[str, Any]) -> Any:
    response = client.post(
        "/api/v1/claims", json=claim_body(citations=list(citations)), headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_the_same_article_at_two_spellings_is_one_source(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = log(
        client,
        analyst,
        cited("https://www.kazinform.kz/news/ktz-plan/", "Kazinform"),
        cited("http://kazinform.kz/news/ktz-plan", "Kazinform", quote="10 billion dollars"),
    )
    sources = {c["source"]["id"] for c in claim["citations"]}
    assert len(sources) == 1
    assert claim["verification"]["state"] == "unverified"
    again = client.post(
        "/api/v1/sources",
        json={"url": "https://m.kazinform.kz/news/ktz-plan?", "title": "KTZ", "kind": "news"},
        headers=analyst,
    )
    assert again.status_code == 409
    assert again.headers["Location"] == f"/api/v1/sources/{sources.pop()}"


def test_a_news_agencys_short_and_full_names_are_one_publisher(
    client: TestClient, analyst: dict[str, str]
) -> None:
    claim = log(
        client,
        analyst,
        cited("https://www.inform.kz/en/ktz-plan", "Kazinform"),
        cited("https://kazinform.example/ktz", "KAZINFORM International News Agency"),
    )
    assert claim["verification"]["state"] == "unverified"
    whys = [c["why"] for c in claim["verification"]["citations"]]
    assert whys == [
        f"same publisher as citation {claim['citations'][1]['id']} (Kazinform)",
        f"same publisher as citation {claim['citations'][0]['id']} "
        "(KAZINFORM International News Agency)",
    ]
    (publisher,) = client.get("/api/v1/publishers", headers=analyst).json()["items"]
    assert (publisher["name"], publisher["sources"], publisher["aliases"]) == ("Kazinform", 2, [])


def test_aliases_are_versioned_and_a_taken_one_points_to_a_merge(
    client: TestClient, analyst: dict[str, str], admin: dict[str, str]
) -> None:
    claim = log(
        client,
        analyst,
        cited("https://www.inform.kz/en/ktz-plan", "Kazinform"),
        cited("https://qazinform.example/ktz", "Qazinform"),
    )
    assert claim["verification"]["state"] == "verified"
    kazinform, qazinform = client.get("/api/v1/publishers", headers=analyst).json()["items"]
    url = f"/api/v1/publishers/{kazinform['id']}"
    etag = client.get(url, headers=analyst).headers["ETag"]
    taken = client.patch(
        url, json={"aliases": ["Qazinform"]}, headers={**analyst, "If-Match": etag}
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "publisher_name_taken")
    assert f"publisher {qazinform['id']} is already known by 'qazinform'" in taken.json()["detail"]
    renamed = client.patch(
        url,
        json={"aliases": ["Qazaqparat", "Казинформ"]},
        headers={**analyst, "If-Match": etag},
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["aliases"] == ["Qazaqparat", "Казинформ"]
    stale = client.patch(url, json={"aliases": []}, headers={**analyst, "If-Match": etag})
    assert stale.status_code == 412
    merged = client.post(
        f"/api/v1/publishers/{qazinform['id']}/merge", json={"into": kazinform["id"]}, headers=admin
    )
    assert merged.status_code == 200, merged.text
    assert (merged.json()["sources"], merged.json()["aliases"]) == (
        2,
        ["Qazaqparat", "Qazinform", "Казинформ"],
    )
    after = client.get(f"/api/v1/claims/{claim['id']}", headers=analyst).json()
    assert after["verification"]["state"] == "unverified"
    gone = client.get(f"/api/v1/publishers/{qazinform['id']}", headers=analyst)
    assert gone.status_code == 404
    # A source citing the merged name from now on finds the publisher it was merged into.
    source = client.post(
        "/api/v1/sources",
        json={"url": "https://qazinform.example/other", "title": "x", "publisher": "QAZINFORM"},
        headers=analyst,
    ).json()
    assert source["publisher_id"] == kazinform["id"]


def test_merging_needs_a_reviewer(client: TestClient, analyst: dict[str, str]) -> None:
    log(
        client,
        analyst,
        cited("https://www.inform.kz/en/ktz-plan", "Kazinform"),
        cited("https://qazinform.example/ktz", "Qazinform"),
    )
    first, second = client.get("/api/v1/publishers", headers=analyst).json()["items"]
    response = client.post(
        f"/api/v1/publishers/{second['id']}/merge", json={"into": first["id"]}, headers=analyst
    )
    assert response.status_code == 403
