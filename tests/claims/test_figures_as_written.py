"""Claims whose figures are written with the world's digit groups, through the API."""

from fastapi.testclient import TestClient

from tests.factories import claim_body


def test_create_claim_reads_a_decimal_comma_and_space_groups(
    client: TestClient, analyst: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/claims",
        json=claim_body(value_text="US$ 1,25 billion", statement="KTZ will invest $1.25 bn."),
        headers=analyst,
    )
    assert response.status_code == 201, response.text
    claim = response.json()
    assert (claim["value"], claim["unit"]) == ("1250000000", "USD")
    assert (claim["low"], claim["high"]) == ("1245000000", "1255000000")

    response = client.post(
        "/api/v1/claims",
        json=claim_body(
            value_text="640\u00a0000\u00a0000 dollars", statement="KTZ will invest $640 mln."
        ),
        headers=analyst,
    )
    assert response.status_code == 201, response.text
    assert response.json()["value"] == "640000000"


def test_create_claim_refuses_a_comma_that_could_be_decimal_before_billion(
    client: TestClient, analyst: dict[str, str]
) -> None:
    # 24.kg wrote "$1,340 billion" for $1.340 billion; read as thousands it is $1.34 trillion.
    response = client.post(
        "/api/v1/claims", json=claim_body(value_text="$1,340 billion"), headers=analyst
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["code"], problem["field"]) == ("invalid_input", "value_text")
    assert problem["detail"] == (
        "'1,340 billion' in '$1,340 billion' could be 1.340 billion (a decimal comma) or "
        "1340 billion (a comma grouping thousands); write '1.340 billion' or '1 340 billion'"
    )
