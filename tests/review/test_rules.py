"""The conflict rule on real figures, and its properties (the verification rule: test_verify.py)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.quantities import Interval, parse_quantity
from app.review import rules
from app.review.conflicts import _apart
from app.review.rules import (
    Figure,
    clashes,
    comparable,
    conflicted,
    conflicts,
    never_apart,
)


def fig(
    claim_id: int,
    text: str,
    *,
    entity: int = 1,
    metric: int = 1,
    period: tuple[date, date] | None = (date(2024, 1, 1), date(2024, 12, 31)),
    kind: str = "actual",
    basis: str | None = None,
) -> Figure:
    q = parse_quantity(text)
    return Figure(
        claim_id=claim_id,
        entity_id=entity,
        metric_id=metric,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        kind=kind,
        basis=basis,
        unit=q.unit,
        dimension=q.dimension,
        interval=q.interval,
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("$45 billion", "$44.6 billion", False),
        ("$16.5 billion", "$16.2 billion", True),
        ("more than 4,000", "about 4,200", False),
        ("more than 4,000", "3,900", True),
        ("$5-7 billion", "$8 billion", True),
        ("$5-8 billion", "$7.5 billion", False),
        ("900 km", "560 miles", False),
        ("900 km", "950 km", True),
    ],
)
def test_conflicts_on_the_issue_examples(a: str, b: str, expected: bool) -> None:
    assert conflicts(fig(1, a), fig(2, b)) is expected
    assert conflicts(fig(2, b), fig(1, a)) is expected


def test_same_number_on_different_things_is_not_compared() -> None:
    ktz = fig(1, "$10 billion", entity=1, metric=1, kind="commitment")
    projects = fig(2, "$12 billion", entity=2, metric=2, kind="estimate")
    assert conflicts(ktz, projects) is False


def test_different_periods_are_not_compared() -> None:
    year = fig(1, "$44 billion")
    ten_months = fig(2, "$30 billion", period=(date(2024, 1, 1), date(2024, 10, 31)))
    assert conflicts(year, ten_months) is False


def test_commitment_and_actual_are_not_compared() -> None:
    commitment = fig(1, "$10 billion", kind="commitment")
    actual = fig(2, "$3 billion", kind="actual")
    assert conflicts(commitment, actual) is False
    assert conflicts(fig(3, "$10 billion", kind="target"), commitment) is False
    assert conflicts(fig(4, "$20 billion", kind="target"), commitment) is True


def test_different_bases_are_kept_apart() -> None:
    customs = fig(1, "$43.8 billion", basis="China customs")
    stats = fig(2, "$30.8 billion", basis="Kazakhstan statistics bureau")
    assert conflicts(customs, stats) is False
    assert conflicts(customs, fig(3, "$30.8 billion")) is True
    assert conflicts(customs, fig(4, "$30.8 billion", basis="china CUSTOMS")) is True


def test_bases_compare_alike_whatever_their_case_and_spacing() -> None:
    customs = fig(1, "$45 billion", basis="China customs")
    assert comparable(customs, fig(2, "$40 billion", basis="  china   CUSTOMS "))
    assert comparable(customs, fig(3, "$40 billion", basis=None))
    assert comparable(fig(4, "$40 billion", basis=""), customs)
    assert not comparable(customs, fig(5, "$40 billion", basis="China customs office"))
    assert not comparable(customs, replace(customs, interval=Interval(None, None)))


def test_currencies_need_a_stored_rate() -> None:
    usd = fig(1, "$10 billion")
    eur = fig(2, "€5 billion")
    assert conflicts(usd, eur) is None
    assert conflicts(usd, eur, lambda f, t: Decimal("1.1") if (f, t) == ("EUR", "USD") else None)


finite = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=2)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    a, b = sorted([draw(finite), draw(finite)])
    return Interval(
        draw(st.one_of(st.none(), st.just(a))),
        draw(st.one_of(st.none(), st.just(b))),
        low_open=draw(st.booleans()) if a != b else False,
        high_open=draw(st.booleans()) if a != b else False,
    )


def raw(claim_id: int, interval: Interval) -> Figure:
    return Figure(
        claim_id,
        1,
        1,
        date(2024, 1, 1),
        date(2024, 12, 31),
        "actual",
        None,
        "USD",
        "money",
        interval,
    )


@settings(derandomize=True, max_examples=300)
@given(intervals(), intervals())
def test_conflict_is_symmetric(a: Interval, b: Interval) -> None:
    assert conflicts(raw(1, a), raw(2, b)) == conflicts(raw(2, b), raw(1, a))


@settings(derandomize=True, max_examples=200)
@given(intervals())
def test_claim_never_conflicts_with_itself(a: Interval) -> None:
    assert conflicts(raw(1, a), raw(1, a)) is False


@settings(derandomize=True, max_examples=300)
@given(intervals(), intervals(), finite)
def test_widening_never_creates_a_conflict(a: Interval, b: Interval, extra: Decimal) -> None:
    wider = Interval(
        None if a.low is None else a.low - abs(extra),
        None if a.high is None else a.high + abs(extra),
        a.low_open,
        a.high_open,
    )
    if not conflicts(raw(1, a), raw(2, b)):
        assert not conflicts(raw(1, wider), raw(2, b))


@settings(derandomize=True, max_examples=100)
@given(st.lists(intervals(), min_size=2, max_size=6), st.randoms(use_true_random=False))
def test_flag_set_does_not_depend_on_order(items: list[Interval], rnd: object) -> None:
    figures = [raw(i + 1, x) for i, x in enumerate(items)]
    shuffled = list(figures)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert conflicted(figures) == conflicted(shuffled)


def test_clashes_asks_the_rule_once_per_figure_said(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[int, int]] = []

    def counted(a: Figure, b: Figure, rate: rules.RateLookup) -> bool | None:
        asked.append((a.claim_id, b.claim_id))
        return conflicts(a, b, rate)

    monkeypatch.setattr(rules, "conflicts", counted)
    reposted = [fig(i, "$45 billion") for i in range(1, 41)]
    agreeing = [fig(i, "$40.1 billion") for i in range(41, 51)]
    other_basis = fig(51, "$45 billion", basis="customs")
    new = fig(52, "$40 billion")
    found = clashes(new, [*reposted, *agreeing, other_basis, new])
    assert [x.claim_id for x in found] == [*range(1, 41), 51]
    assert asked == [(52, 1), (52, 41), (52, 51)]


@settings(derandomize=True, max_examples=200)
@given(st.lists(st.sampled_from(["$45 billion", "$40 billion", "$40-46 billion"]), max_size=12))
def test_clashes_are_the_claims_the_rule_finds_one_by_one(texts: list[str]) -> None:
    others = [fig(i + 1, t) for i, t in enumerate(texts)]
    new = fig(100, "$40 billion")
    assert clashes(new, others) == [x for x in others if conflicts(new, x)]


def test_a_twin_of_a_separated_claim_is_kept_apart_from_the_other_and_its_twins() -> None:
    first, first_again = fig(1, "$45 billion"), fig(3, "$45 billion")
    second, second_again = fig(2, "$40 billion"), fig(4, "$40 billion")
    unrelated = fig(5, "$50 billion")
    apart = _apart({(1, 2)}, [first, first_again, second, second_again, unrelated])
    assert [apart(second_again, first_again), apart(first_again, second)] == [True, True]
    assert [apart(second_again, unrelated), apart(first, first_again)] == [False, False]
    assert _apart(set(), [first, second]) is never_apart


def eur_to_usd(base: str, quote: str) -> Decimal | None:
    return Decimal("1.1") if (base, quote) == ("EUR", "USD") else None


def test_clashes_skip_the_new_claim_wherever_it_is_listed() -> None:
    new = fig(2, "$40 billion")
    before, after = fig(1, "$45 billion"), fig(3, "$30 billion")
    assert clashes(new, [before, new, after]) == [before, after]


def test_clashes_convert_currencies_with_the_rate_given() -> None:
    usd, eur = fig(1, "$10 billion"), fig(2, "€5 billion")
    assert clashes(usd, [eur]) == []
    assert clashes(usd, [eur], eur_to_usd) == [eur]


def test_clashes_leave_out_the_pairs_kept_apart() -> None:
    new, first, second = fig(3, "$30 billion"), fig(1, "$45 billion"), fig(2, "$40 billion")

    def apart(a: Figure, b: Figure) -> bool:
        return (a.claim_id, b.claim_id) == (3, 1)

    assert clashes(new, [first, second], apart=apart) == [second]


def test_conflicted_is_every_claim_of_a_contradicting_pair() -> None:
    figures = [
        fig(1, "$45 billion"),
        fig(2, "$45.2 billion"),
        fig(3, "$40 billion"),
        fig(4, "$40-46 billion"),
    ]
    assert conflicted(figures) == {1, 2, 3}
    assert conflicted([fig(1, "$45 billion"), fig(2, "$45.2 billion")]) == set()


def test_conflicted_converts_currencies_with_the_rate_given() -> None:
    figures = [fig(1, "$10 billion"), fig(2, "€5 billion")]
    assert conflicted(figures) == set()
    assert conflicted(figures, eur_to_usd) == {1, 2}


def test_conflicted_leaves_out_the_pairs_kept_apart() -> None:
    figures = [fig(1, "$45 billion"), fig(2, "$40 billion"), fig(3, "$45.1 billion")]

    def apart(a: Figure, b: Figure) -> bool:
        return {a.claim_id, b.claim_id} == {1, 2}

    assert conflicted(figures, apart=apart) == {2, 3}
    assert conflicted(figures) == {1, 2, 3}


def test_a_twin_with_another_basis_is_not_kept_apart() -> None:
    first, second = fig(1, "$45 billion"), fig(2, "$40 billion")
    other_basis = fig(3, "$45 billion", basis="customs")
    apart = _apart({(1, 2)}, [first, second, other_basis])
    assert [apart(first, second), apart(other_basis, second)] == [True, False]
