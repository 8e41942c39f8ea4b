"""The watchlist, the signed-in home page: every demo indicator with its sparkline's points,
last value and change in readable numbers, progress to its goal and open flags, what needs
attention first; open to every role."""

import re

import pytest
from fastapi.testclient import TestClient

from app.auth.models import Role
from tests.web.conftest import WebKeyFactory, chart_data, sign_in

NAMES = re.compile(r'<h2><a href="/indicators/([^"]+)">')


@pytest.mark.usefixtures("demo")
def test_watchlist_lists_every_indicator_attention_first(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    home = client.get("/")
    assert home.status_code == 200
    slugs = NAMES.findall(home.text)
    assert len(slugs) == 14
    # The two with a target not started come first; then those without targets, by slug.
    assert slugs[:3] == ["eaeu-trade-turnover", "ktz-new-rail-2026", "autonomous-freight-growth"]
    assert home.text.count('<li class="watch card') == 14


@pytest.mark.usefixtures("demo")
def test_watchlist_shows_readable_values_and_changes(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    text = client.get("/").text
    assert '<data value="43820000000" class="big">43.82 billion USD</data>' in text
    assert '<data value="2820000000">+2.82 billion USD</data>' in text
    assert '<data value="119442289700000" class="big">119.44 trillion KZT</data>' in text
    assert '<data value="-2340000">-2.34 million t</data>' in text
    assert '<data value="3.2">+3.2 pp</data>' in text


@pytest.mark.usefixtures("demo")
def test_watchlist_hands_sparklines_their_recent_points(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    home = client.get("/")
    sparks = chart_data(home)["sparklines"]
    assert len(sparks) == 14
    assert sparks["china-kazakhstan-trade"]["points"] == [
        ["2022-12-31", 31200000000.0],
        ["2023-12-31", 41000000000.0],
        ["2024-12-31", 43820000000.0],
    ]
    assert sparks["ktz-new-rail-2026"]["points"] == []
    # A sparkline box for each indicator with points, "No data yet" for the three without.
    assert home.text.count('class="spark" data-spark=') == 11
    assert home.text.count("No data yet") == 3


@pytest.mark.usefixtures("demo")
def test_watchlist_shows_goal_progress_and_flag_badges(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    text = client.get("/").text
    assert "Goal: <strong>more than $100 billion</strong> by 2026-12-31" in text
    assert '<progress id="progress-eaeu-trade-turnover" max="100" value="0"' in text
    assert text.count("<progress ") == 2
    badges = re.findall(r'<a class="badge flag-(\w+)" href="([^"]+)">([^<]+)</a>', text)
    assert badges == [
        ("stale", f"/review?indicator={slug}", "1 open stale")
        for slug in (
            "eaeu-trade-turnover",
            "autonomous-freight-growth",
            "cloud-traffic-growth",
            "heavy-industrial-output",
            "industrial-output-growth-yearly",
            "kazakhstan-gdp",
        )
    ]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.usefixtures("demo")
def test_watchlist_is_open_to_every_role(
    client: TestClient, web_key: WebKeyFactory, role: Role
) -> None:
    sign_in(client, web_key(role)[1])
    home = client.get("/")
    assert home.status_code == 200
    assert len(NAMES.findall(home.text)) == 14
    assert home.headers["content-security-policy"].startswith("default-src 'self'")


@pytest.mark.usefixtures("demo")
def test_every_page_links_log_a_claim_for_a_writer_only(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    link = '<a href="/claims/new">Log a claim</a>'
    sign_in(client, web_key(Role.ANALYST)[1])
    assert [client.get(p).text.count(link) for p in ("/", "/review", "/sources")] == [1, 1, 1]
    sign_in(client, web_key(Role.READER)[1])
    assert [client.get(p).text.count(link) for p in ("/", "/review", "/sources")] == [0, 0, 0]
