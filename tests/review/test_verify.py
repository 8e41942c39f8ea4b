"""The verification rule: what a claim stands on (citations) and what a reviewer decided
(the latest verdict, or a rank given when a conflict was resolved)."""

import pytest

from app.claims.states import VerificationState
from app.review.models import Verdict
from app.review.rules import QUEUED, CitationCheck, Cited, Verification, independent, verify
from app.sources.publishers import publisher_key

# Publishers by key, as the sources' publishers table holds them: a name's publisher id.
PUBLISHER_IDS: dict[str, int] = {}


def cite(
    citation_id: int,
    source_id: int,
    publisher: str | None = "Example News",
    kind: str = "news",
    ancestors: frozenset[int] = frozenset(),
    site: str = "",
) -> Cited:
    publisher_id = (
        PUBLISHER_IDS.setdefault(publisher_key(publisher), len(PUBLISHER_IDS) + 1)
        if publisher
        else None
    )
    return Cited(citation_id, source_id, publisher, kind, ancestors, publisher_id, site)


NOT_ENOUGH = "no official or statistics source, no two independent citations"
NOTHING_VERIFIES = f"{NOT_ENOUGH}, no verdict"
SINGLE = [CitationCheck(1, 10, False, "single news source, not official")]


def test_verify_without_citations_is_unsourced() -> None:
    assert verify([], []) == Verification(VerificationState.UNSOURCED, ["no citation"], [])


@pytest.mark.parametrize("kind", ["official", "statistics"])
def test_verify_an_official_or_statistics_source_verifies_alone(kind: str) -> None:
    assert verify([cite(1, 10, "MFA", kind)], []) == Verification(
        VerificationState.VERIFIED,
        [f"citation 1 cites a source of kind {kind}"],
        [CitationCheck(1, 10, True, f"{kind} source")],
    )


def test_verify_a_single_news_source_is_unverified() -> None:
    assert verify([cite(1, 10)], []) == Verification(
        VerificationState.UNVERIFIED, [NOTHING_VERIFIES], SINGLE
    )


@pytest.mark.parametrize("verdict", list(Verdict))
def test_verify_any_verdict_makes_the_claim_reviewed(verdict: Verdict) -> None:
    assert verify([cite(1, 10)], [verdict.value]) == Verification(
        VerificationState.REVIEWED, [f"reviewer verdict: {verdict}", NOT_ENOUGH], SINGLE, verdict
    )


def test_verify_only_the_latest_verdict_counts() -> None:
    assert verify([cite(1, 10)], iter(["inaccurate", "mostly_accurate"])) == Verification(
        VerificationState.REVIEWED,
        ["reviewer verdict: mostly_accurate", NOT_ENOUGH],
        SINGLE,
        "mostly_accurate",
    )
    assert verify([cite(1, 10)], ["accurate", "inaccurate"]).verdict == "inaccurate"


def test_verify_a_verdict_against_what_the_sources_say_is_still_the_verdict() -> None:
    """A claim its sources verify, ruled misleading, is reviewed (misleading): not verified,
    and not sent back to the queue as unverified."""
    assert verify([cite(1, 10, "MFA", "official")], ["accurate", "misleading"]) == Verification(
        VerificationState.REVIEWED,
        ["reviewer verdict: misleading", "citation 1 cites a source of kind official"],
        [CitationCheck(1, 10, True, "official source")],
        "misleading",
    )


def test_verify_a_verdict_settles_a_claim_without_citations() -> None:
    assert verify([], ["inaccurate"]) == Verification(
        VerificationState.REVIEWED,
        ["reviewer verdict: inaccurate", "no citation"],
        [],
        "inaccurate",
    )


@pytest.mark.parametrize("rank", ["preferred", "deprecated"])
def test_verify_a_rank_from_a_resolved_conflict_is_a_decision(rank: str) -> None:
    assert verify([cite(1, 10)], [], rank) == Verification(
        VerificationState.REVIEWED, [f"ranked {rank} in a resolved conflict", NOT_ENOUGH], SINGLE
    )
    assert verify([], [], rank) == Verification(
        VerificationState.REVIEWED, [f"ranked {rank} in a resolved conflict", "no citation"], []
    )


def test_verify_a_normal_rank_decides_nothing() -> None:
    assert verify([cite(1, 10)], [], "normal") == verify([cite(1, 10)], [])
    assert verify([], [], "normal").state == VerificationState.UNSOURCED


def test_verify_a_verdict_and_a_rank_are_both_given_as_reasons() -> None:
    assert verify([cite(1, 10)], ["misleading"], "deprecated") == Verification(
        VerificationState.REVIEWED,
        [
            "reviewer verdict: misleading",
            "ranked deprecated in a resolved conflict",
            NOT_ENOUGH,
        ],
        SINGLE,
        "misleading",
    )


def test_only_unsourced_and_unverified_claims_wait_in_the_queue() -> None:
    assert QUEUED == (VerificationState.UNSOURCED, VerificationState.UNVERIFIED)


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


def test_a_publishers_short_and_full_names_are_one_publisher() -> None:
    assert independent(
        cite(1, 10, "Kazinform"), cite(2, 20, "Kazinform International News Agency")
    ) == ("same publisher as citation 2 (Kazinform)")
    assert independent(cite(1, 10, "Trend News Agency"), cite(2, 20, "TREND")) == (
        "same publisher as citation 2 (Trend News Agency)"
    )
    assert independent(cite(1, 10, "Astana Times"), cite(2, 20, "Kazinform")) is None


def test_two_pages_of_one_site_are_not_independent_whatever_their_publishers_say() -> None:
    first = cite(1, 10, None, site="kursiv.media")
    assert independent(first, cite(2, 20, "Kursiv", site="kursiv.media")) == (
        "same site as citation 2 (kursiv.media)"
    )
    assert independent(first, cite(2, 20, None, site="kz.kursiv.media")) is None
