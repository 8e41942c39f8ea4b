"""The sources API: canonical URLs, derivation, versioned edits."""

from fastapi.testclient import TestClient

SOURCE = {
    "url": "https://www.aa.com.tr/en/x",
    "title": "EAEU trade",
    "publisher": "Anadolu",
    "kind": "news",
}


def test_create_source_canonicalises_url(client: TestClient, analyst: dict[str, str]) -> None:
    body = {**SOURCE, "url": "HTTPS://WWW.AA.com.tr:443/en/x?utm_campaign=a&b=1#frag"}
    response = client.post("/api/v1/sources", json=body, headers=analyst)
    assert response.status_code == 201, response.text
    assert response.json()["url"] == "https://www.aa.com.tr/en/x?b=1"
    assert response.headers["ETag"] == f'"source-{response.json()["id"]}-v1"'


def test_create_source_twice_is_409_naming_the_first(
    client: TestClient, analyst: dict[str, str]
) -> None:
    first = client.post("/api/v1/sources", json=SOURCE, headers=analyst).json()
    again = client.post(
        "/api/v1/sources", json={**SOURCE, "url": "https://www.aa.com.tr/en/x#top"}, headers=analyst
    )
    assert again.status_code == 409
    assert again.json()["code"] == "source_exists"
    assert again.headers["Location"] == f"/api/v1/sources/{first['id']}"


def test_create_source_rejects_non_http_url(client: TestClient, analyst: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/sources", json={**SOURCE, "url": "javascript:alert(1)"}, headers=analyst
    )
    assert response.status_code == 422
    assert response.json()["field"] == "url"


def test_source_derivation_refuses_cycles_and_unknown_parents(
    client: TestClient, analyst: dict[str, str]
) -> None:
    news = client.post("/api/v1/sources", json=SOURCE, headers=analyst).json()
    brief = client.post(
        "/api/v1/sources",
        json={
            "url": "https://b.example/1",
            "title": "Brief",
            "kind": "briefing",
            "derived_from": [news["id"]],
        },
        headers=analyst,
    ).json()
    assert brief["derived_from"] == [news["id"]]
    cycle = client.patch(
        f"/api/v1/sources/{news['id']}",
        json={"derived_from": [brief["id"]]},
        headers={**analyst, "If-Match": f'"source-{news["id"]}-v1"'},
    )
    assert cycle.status_code == 422
    assert cycle.json()["field"] == "derived_from"
    unknown = client.post(
        "/api/v1/sources",
        json={"url": "https://c.example/1", "title": "C", "derived_from": [987654]},
        headers=analyst,
    )
    assert unknown.status_code == 422


def test_update_source_needs_if_match(client: TestClient, analyst: dict[str, str]) -> None:
    source = client.post("/api/v1/sources", json=SOURCE, headers=analyst).json()
    url = f"/api/v1/sources/{source['id']}"
    assert client.patch(url, json={"title": "New"}, headers=analyst).status_code == 428
    ok = client.patch(
        url, json={"title": "New"}, headers={**analyst, "If-Match": f'"source-{source["id"]}-v1"'}
    )
    assert ok.status_code == 200
    assert (ok.json()["title"], ok.json()["version"]) == ("New", 2)
    stale = client.patch(
        url, json={"title": "Old"}, headers={**analyst, "If-Match": f'"source-{source["id"]}-v1"'}
    )
    assert stale.status_code == 412
    assert client.get(url, headers=analyst).json()["title"] == "New"


def test_get_source_missing_is_404(client: TestClient, reader: dict[str, str]) -> None:
    response = client.get("/api/v1/sources/31337", headers=reader)
    assert response.status_code == 404
    assert response.json()["code"] == "source_not_found"


def test_list_sources_filters_and_pages(
    client: TestClient, analyst: dict[str, str], reader: dict[str, str]
) -> None:
    for i in range(3):
        client.post(
            "/api/v1/sources",
            json={**SOURCE, "url": f"https://a.example/{i}", "kind": "official" if i else "news"},
            headers=analyst,
        )
    first = client.get("/api/v1/sources?limit=2", headers=reader).json()
    assert len(first["items"]) == 2
    rest = client.get(first["next"], headers=reader).json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    official = client.get("/api/v1/sources?kind=official", headers=reader).json()["items"]
    assert [s["url"] for s in official] == ["https://a.example/1", "https://a.example/2"]


def test_create_source_by_reader_is_403(client: TestClient, reader: dict[str, str]) -> None:
    assert client.post("/api/v1/sources", json=SOURCE, headers=reader).status_code == 403
