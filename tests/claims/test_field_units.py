"""A claim in a unit of the field answers with its canonical unit and dimension."""

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import claim_body


def post(client: TestClient, headers: dict[str, str], **overrides: Any) -> Any:
    return client.post("/api/v1/claims", json=claim_body(**overrides), headers=headers)


def test_create_claim_answers_rate_in_canonical_unit(
    client: TestClient, analyst: dict[str, str]
) -> None:
    response = post(
        client, analyst, entity="Kazakhstan", metric="oil output", value_text="1.85 million bpd"
    )

    assert response.status_code == 201, response.text
    claim = response.json()
    assert (claim["value"], claim["unit"], claim["dimension"]) == (
        "107429702.5240362",
        "m3/yr",
        "volume/yr",
    )
    assert (claim["low"], claim["high"]) == ("107139351.97667394", "107720053.07139846")
    assert "metric 'oil-output' was created, measured in m3/yr" in claim["notices"]


def test_create_claim_reads_rate_in_metric_unit_and_refuses_a_level(
    client: TestClient, analyst: dict[str, str]
) -> None:
    first = post(client, analyst, metric="gas exports", value_text="40 bcm of gas per year")
    assert first.status_code == 201, first.text

    rate = post(client, analyst, metric="gas exports", value_text="110 million cubic metres a day")
    level = post(client, analyst, metric="gas exports", value_text="40 bcm")

    assert rate.status_code == 201, rate.text
    assert (rate.json()["value"], rate.json()["unit"]) == ("40177500000", "m3/yr")
    assert level.status_code == 422
    assert (level.json()["field"], level.json()["detail"]) == (
        "value_text",
        "'40 bcm' is a volume, but metric 'gas-exports' measures volume/yr (m3/yr)",
    )


def test_create_claim_settles_manat_by_metric_currency(
    client: TestClient, analyst: dict[str, str]
) -> None:
    refused = post(client, analyst, metric="budget", value_text="13.26 billion manat")
    assert refused.status_code == 422
    assert (refused.json()["field"], refused.json()["detail"]) == (
        "value_text",
        "'manat' is the currency of both Azerbaijan (AZN) and Turkmenistan (TMT): write AZN or "
        "TMT ('13.26 billion manat')",
    )

    first = post(client, analyst, metric="budget", value_text="AZN 35,236.4 million")
    settled = post(client, analyst, metric="budget", value_text="13.26 billion manat")

    assert first.status_code == 201, first.text
    assert settled.status_code == 201, settled.text
    assert (settled.json()["value"], settled.json()["unit"]) == ("13260000000", "AZN")


def test_create_claim_keeps_price_per_barrel_and_refuses_a_sum_for_it(
    client: TestClient, analyst: dict[str, str]
) -> None:
    first = post(client, analyst, metric="oil price", value_text="$40 a barrel")
    bare = post(client, analyst, metric="oil price", value_text="45 per barrel")
    money = post(client, analyst, metric="oil price", value_text="$40")

    assert first.status_code == 201, first.text
    assert (first.json()["value"], first.json()["unit"], first.json()["dimension"]) == (
        "40",
        "USD/bbl",
        "money/volume",
    )
    assert "metric 'oil-price' was created, measured in USD/bbl" in first.json()["notices"]
    assert bare.status_code == 201, bare.text
    assert (bare.json()["value"], bare.json()["unit"]) == ("45", "USD/bbl")
    assert money.status_code == 422
    assert (money.json()["field"], money.json()["detail"]) == (
        "value_text",
        "'$40' is a money, but metric 'oil-price' measures money/volume (USD/bbl)",
    )
