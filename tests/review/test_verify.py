"""The verification rule: what a claim stands on."""

import pytest

from app.claims.states import VerificationState
from app.review.rules import CitationCheck, Cited, Verification, independent, verify


def cite(
    citation_id: int,
    source_id: int,
    publisher: str | None = "Example News",
    kind: str = "news",
    ancestors: frozenset[int] = frozenset(),
) -> Cited:
    return Cited(citation_id, source_id, publisher, kind, ancestors)


NOTHING_VERIFIES = "no official or statistics source, no two independent citations, no verdict"


def test_verify_without_citations_is_unsourced_even_with_a_verdict() -> None:
    assert verify([], []) == Verification(VerificationState.UNSOURCED, ["no citation"], [])
    assert verify([], ["accurate"]) == Verification(
        VerificationState.UNSOURCED, ["no citation", "reviewer verdict: accurate"], []
    )


@pytest.mark.parametrize("kind", ["official", "statistics"])
def test_verify_an_official_or_statistics_source_verifies_alone(kind: str) -> None:
    assert verify([cite(1, 10, "MFA", kind)], []) == Verification(
        VerificationState.VERIFIED,
        [f"citation 1 cites a source of kind {kind}"],
        [CitationCheck(1, 10, True, f"{kind} source")],
    )


def test_verify_a_single_news_source_is_unverified() -> None:
    assert verify([cite(1, 10)], ["misleading"]) == Verification(
        VerificationState.UNVERIFIED,
        [NOTHING_VERIFIES],
        [CitationCheck(1, 10, False, "single news source, not official")],
    )


def test_verify_only_the_latest_verdict_counts() -> None:
    single = [CitationCheck(1, 10, False, "single news source, not official")]
    assert verify([cite(1, 10)], iter(["inaccurate", "mostly_accurate"])) == Verification(
        VerificationState.VERIFIED, ["reviewer verdict: mostly_accurate"], single
    )
    assert verify([cite(1, 10)], ["accurate", "inaccurate"]) == Verification(
        VerificationState.UNVERIFIED, [NOTHING_VERIFIES], single
    )


def test_verify_two_independent_publishers_verify() -> None:
    assert verify([cite(1, 10, "Reuters"), cite(2, 20, "Kazinform")], []) == Verification(
        VerificationState.VERIFIED,
        ["citations 1 and 2 are independent"],
        [
            CitationCheck(1, 10, True, "independent of citation 2"),
            CitationCheck(2, 20, True, "independent of citation 1"),
        ],
    )


def test_verify_names_the_first_independent_pair() -> None:
    cited = [cite(1, 10, "Reuters"), cite(2, 20, " reuters"), cite(3, 30, "Kazinform")]
    assert verify(cited, []) == Verification(
        VerificationState.VERIFIED,
        ["citations 1 and 3 are independent"],
        [
            CitationCheck(1, 10, True, "independent of citation 3"),
            CitationCheck(2, 20, True, "independent of citation 3"),
            CitationCheck(3, 30, True, "independent of citation 1"),
        ],
    )


def test_verify_an_official_source_is_independent_of_a_news_one() -> None:
    assert verify([cite(1, 10, "MFA", "official"), cite(2, 20)], []) == Verification(
        VerificationState.VERIFIED,
        ["citation 1 cites a source of kind official", "citations 2 and 1 are independent"],
        [
            CitationCheck(1, 10, True, "official source"),
            CitationCheck(2, 20, True, "independent of citation 1"),
        ],
    )


@pytest.mark.parametrize(
    ("first", "second", "why_first", "why_second"),
    [
        (
            cite(1, 10, "Reuters"),
            cite(2, 10, "Reuters"),
            "cites the same source as citation 2",
            "cites the same source as citation 1",
        ),
        (
            cite(1, 10, "Example  News"),
            cite(2, 20, "example news"),
            "same publisher as citation 2 (Example  News)",
            "same publisher as citation 1 (example news)",
        ),
        (
            cite(1, 10, "Blog", ancestors=frozenset({30, 20})),
            cite(2, 20, "Reuters"),
            "derived from source 20, cited by citation 2",
            "source 10 (citation 1) derives from it",
        ),
    ],
)
def test_verify_citations_that_are_not_independent_do_not_verify(
    first: Cited, second: Cited, why_first: str, why_second: str
) -> None:
    assert verify([first, second], []) == Verification(
        VerificationState.UNVERIFIED,
        [NOTHING_VERIFIES],
        [
            CitationCheck(first.citation_id, first.source_id, False, why_first),
            CitationCheck(second.citation_id, second.source_id, False, why_second),
        ],
    )


def test_independent_sources_without_a_publisher_match_only_themselves() -> None:
    assert independent(cite(1, 10, None), cite(2, 20, None)) is None
    assert independent(cite(1, 10, None), cite(2, 20, "Reuters")) is None
    assert independent(cite(1, 10, None), cite(2, 10, None)) == (
        "cites the same source as citation 2"
    )
