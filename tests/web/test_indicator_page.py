"""The indicator page: the series points, targets and claims its chart draws (claims in another
unit or without a period listed with why), as known on a day (`as_of`), and its downloads under
the session."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.indicators import service
from tests.web.conftest import WebKeyFactory, chart_data, sign_in

pytestmark = pytest.mark.usefixtures("demo")


def _claims(data: dict[str, list[dict[str, object]]]) -> list[tuple[object, ...]]:
    return [
        (c["value_text"], c["start"], c["end"], c["low"], c["high"], c["conflict"])
        for c in data["claims"]
    ]


def test_indicator_page_carries_points_and_claims(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    page = client.get("/indicators/china-kazakhstan-trade")
    assert page.status_code == 200
    data = chart_data(page)
    assert (data["unit"], data["label"], data["factor"]) == ("USD", "billion USD", 1e9)
    assert data["points"] == [
        {"date": "2022-12-31", "value": 31200000000.0},
        {"date": "2023-12-31", "value": 41000000000.0},
        {"date": "2024-12-31", "value": 43820000000.0},
    ]
    assert data["targets"] == []
    assert _claims(data) == [
        ("$32.7bn", "2023-01-01", "2023-10-31", 32650000000.0, 32750000000.0, True),
        ("$24.3bn", "2023-01-01", "2023-10-31", 24250000000.0, 24350000000.0, True),
        ("$44 billion", "2024-01-01", "2024-12-31", 43500000000.0, 44500000000.0, False),
        ("$43.82 billion", "2024-01-01", "2024-12-31", 43815000000.0, 43825000000.0, False),
    ]
    first = data["claims"][0]
    assert first["verification"] == "unverified"
    assert first["stated_by"] == "Zhang Xiao, China's ambassador to Kazakhstan"
    assert isinstance(first["quote"], str) and "32.7" in first["quote"]
    assert page.text.count('<tr id="claim-') == 4
    assert "43.815 to 43.825 billion USD" in page.text
    assert 'href="/indicators/china-kazakhstan-trade?as_of=2024-03-28"' in page.text


def test_indicator_page_draws_targets_and_open_claims(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    page = client.get("/indicators/eaeu-trade-turnover")
    data = chart_data(page)
    assert data["targets"] == [
        {
            "due": "2026-12-31",
            "goal": 100000000000.0,
            "text": "more than $100 billion",
            "status": "not_started",
        }
    ]
    assert _claims(data) == [
        ("more than $100 billion", "2026-01-01", "2026-12-31", 100000000000.0, None, False),
        ("$100 billion", "2026-01-01", "2026-12-31", 99500000000.0, 100500000000.0, False),
    ]
    assert "more than 100 billion USD" in page.text
    assert "not drawn: no period: no date to draw it at" in page.text
    assert page.text.count('<tr id="claim-') == 3


def test_indicator_page_lists_claims_in_another_currency_undrawn(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    page = client.get("/indicators/kazakhstan-gdp")
    data = chart_data(page)
    assert (data["label"], data["claims"]) == ("trillion KZT", [])
    assert "more than $300 billion" in page.text
    assert "not drawn: in USD, the series in KZT: not converted" in page.text


def test_indicator_page_as_of_shows_what_was_known(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    then = client.get("/indicators/eaeu-trade-turnover", params={"as_of": "2022-01-01"})
    assert then.status_code == 200
    data = chart_data(then)
    assert data["as_of"] == "2022-01-01"
    assert data["points"] == [{"date": "2020-12-31", "value": 55000000000.0}]
    assert data["claims"] == []  # every claim was made after that day
    assert "What was known on 2022-01-01" in then.text
    later = chart_data(client.get("/indicators/eaeu-trade-turnover?as_of=2023-08-07"))
    assert [p["date"] for p in later["points"]] == ["2015-12-31", "2020-12-31", "2022-12-31"]
    today = chart_data(client.get("/indicators/eaeu-trade-turnover?as_of="))
    assert today["as_of"] is None
    assert len(today["claims"]) == 2


def test_indicator_page_by_id_is_the_page_by_slug(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    by_slug = client.get("/indicators/titr-cargo-volume")
    found = re.search(r'action="/indicators/([^"]+)"', by_slug.text)
    assert found is not None and found.group(1) == "titr-cargo-volume"
    by_id = client.get(f"/indicators/{service.id_of(session, 'titr-cargo-volume')}")
    assert by_id.status_code == 200
    assert chart_data(by_id) == chart_data(by_slug)
    assert len(chart_data(by_id)["points"]) == 3


def test_indicator_page_bad_as_of_and_unknown_indicator(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    sign_in(client, web_key(Role.READER)[1])
    bad = client.get("/indicators/eaeu-trade-turnover?as_of=2022-13-01")
    assert bad.status_code == 422
    assert "give the as-of day as YYYY-MM-DD" in bad.text
    missing = client.get("/indicators/no-such-thing")
    assert missing.status_code == 404
    assert "no indicator &#39;no-such-thing&#39;" in missing.text


def test_series_downloads_under_the_session(client: TestClient, web_key: WebKeyFactory) -> None:
    sign_in(client, web_key(Role.READER)[1])
    csv = client.get("/indicators/eaeu-trade-turnover/series.csv?as_of=2023-08-07")
    assert csv.status_code == 200
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.text.splitlines() == [
        "date,period_start,period_end,value",
        "2015-12-31,2015-01-01,2015-12-31,44500000000",
        "2020-12-31,2020-01-01,2020-12-31,55000000000",
        "2022-12-31,2022-01-01,2022-12-31,83300000000",
    ]
    json_ = client.get("/indicators/eaeu-trade-turnover/series.json?as_of=2022-01-01")
    assert json_.json() == [
        {
            "date": "2020-12-31",
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
            "value": 55000000000.0,
            "value_exact": "55000000000",
        }
    ]
    page = client.get("/indicators/eaeu-trade-turnover")
    assert 'href="/indicators/eaeu-trade-turnover/series.csv" download' in page.text
    assert 'href="/indicators/eaeu-trade-turnover/series.json" download' in page.text


def test_indicator_page_and_downloads_need_a_session(client: TestClient) -> None:
    for path in ("/indicators/eaeu-trade-turnover", "/indicators/eaeu-trade-turnover/series.csv"):
        response = client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/signin")


@pytest.mark.parametrize("role", list(Role))
def test_indicator_page_is_open_to_every_role(
    client: TestClient, web_key: WebKeyFactory, role: Role
) -> None:
    sign_in(client, web_key(role)[1])
    assert client.get("/indicators/china-kazakhstan-trade").status_code == 200
