"""/static: the vendored front-end files, cached by the browser, named as one route."""

from fastapi.testclient import TestClient

from app.core import static
from tests.test_metrics import sample


def test_vendored_file_answers_304_to_its_etag(client: TestClient) -> None:
    first = client.get("/static/vendor/swagger-ui.css")
    assert first.status_code == 200
    again = client.get(
        "/static/vendor/swagger-ui.css", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


def test_static_url_carries_a_hash_of_the_content() -> None:
    url = static.static_url("vendor/d3.min.js")
    path, _, version = url.partition("?v=")
    assert path == "/static/vendor/d3.min.js"
    assert len(version) == 12


def test_static_files_are_one_route_in_the_metrics(client: TestClient) -> None:
    client.get("/static/vendor/d3.min.js")
    client.get("/static/vendor/axe.min.js")
    client.get("/static/vendor/nothing.js")
    text = client.get("/metrics").text
    counted = sample(
        text, "claimtrack_http_requests_total", method="GET", route="/static", status="200"
    )
    assert counted == 2
    assert (
        sample(text, "claimtrack_http_requests_total", method="GET", route="/static", status="404")
        == 1
    )
    assert "d3.min.js" not in text
