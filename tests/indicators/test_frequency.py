"""The one table of frequencies: what roll-ups and the stale check read of each."""

from datetime import date

from app.indicators.frequency import CADENCES, Frequency, cadence
from app.indicators.transforms import Rollup


def test_every_rollup_is_a_regular_frequency() -> None:
    assert [cadence(r) is not None for r in Rollup] == [True, True, True, True]


def test_an_irregular_series_has_no_cadence() -> None:
    assert cadence(Frequency.IRREGULAR) is None
    assert set(CADENCES) == set(Frequency) - {Frequency.IRREGULAR}


def test_cadences() -> None:
    day = date(2026, 2, 11)  # a Wednesday
    table = {
        f: (c.bucket_end(day), c.per_year, c.period_days, c.stale_after_days)
        for f, c in CADENCES.items()
    }
    assert table == {
        Frequency.DAILY: (day, 365, 1, 2),
        Frequency.WEEKLY: (date(2026, 2, 15), 52, 7, 14),
        Frequency.MONTHLY: (date(2026, 2, 28), 12, 31, 62),
        Frequency.QUARTERLY: (date(2026, 3, 31), 4, 92, 184),
        Frequency.ANNUAL: (date(2026, 12, 31), 1, 366, 732),
    }
