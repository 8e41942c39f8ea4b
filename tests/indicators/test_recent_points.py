"""The newest points of every indicator in one statement (`series.recent_points_of_all`, the
watchlist's) are each indicator's `recent_points`: the value known today per period (the
latest vintage), withdrawn values left out, oldest first."""

from datetime import date
from decimal import Decimal

from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.demo.load import load
from app.indicators.aggregation import Aggregation
from app.indicators.frequency import Frequency
from app.indicators.models import Direction, Indicator, Observation, ObservationStatus, Target
from app.indicators.series import recent_points, recent_points_of_all
from app.indicators.watchlist import watchlist
from app.quantities.intervals import Bound


def _add(session: Session, indicator_id: int, day: date, value: str, vintage: date) -> None:
    session.add(
        Observation(
            indicator_id=indicator_id,
            period_text=day.isoformat(),
            period_start=day,
            period_end=day,
            value=Decimal(value),
            vintage=vintage,
        )
    )


def test_recent_points_of_all_are_each_indicators_recent_points(session: Session) -> None:
    load(session)
    ids: list[int] = [
        i
        for i in session.execute(select(col(Indicator.id)).order_by(col(Indicator.id))).scalars()
        if i is not None
    ]
    first, second = ids[0], ids[1]
    # On the first: three days, the second revised, the third withdrawn.
    for day, value in ((date(2030, 1, 1), "1"), (date(2030, 1, 2), "2"), (date(2030, 1, 3), "3")):
        _add(session, first, day, value, date(2030, 2, 1))
    _add(session, first, date(2030, 1, 2), "2.5", date(2030, 3, 1))
    session.flush()
    third = session.execute(
        select(Observation).where(
            col(Observation.indicator_id) == first, col(Observation.period_end) == date(2030, 1, 3)
        )
    ).scalar_one()
    third.status = ObservationStatus.WITHDRAWN
    _add(session, second, date(2030, 1, 2), "9", date(2030, 4, 1))  # the same day, later
    _add(session, second, date(2031, 6, 30), "7", date(2031, 7, 1))
    session.flush()

    every = recent_points_of_all(session, 3)

    assert every[first][-2:] == [
        (date(2030, 1, 1), Decimal("1")),
        (date(2030, 1, 2), Decimal("2.5")),
    ]
    assert every[second][-1] == (date(2031, 6, 30), Decimal("7"))
    with_points = [i for i in ids if recent_points(session, i, 3)]
    assert sorted(every) == with_points
    for i in ids:
        assert every.get(i, []) == recent_points(session, i, 3), i
        assert len(every.get(i, [])) <= 3
    assert recent_points_of_all(session, 1)[first] == [(date(2030, 1, 2), Decimal("2.5"))]


def test_watchlist_statements_do_not_grow_with_indicators(session: Session) -> None:
    load(session)
    today = date(2026, 12, 6)
    counted = [0]

    def count(*_: object) -> None:
        counted[0] += 1

    def statements() -> int:
        counted[0] = 0
        event.listen(session.get_bind(), "before_cursor_execute", count)
        try:
            watchlist(session, today)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", count)
        return counted[0]

    before = statements()
    shown = len(watchlist(session, today))
    model = session.execute(select(Indicator).order_by(col(Indicator.id))).scalars().first()
    assert model is not None
    for n in range(3):
        added = Indicator(
            slug=f"more-{n}",
            name=f"More {n}",
            entity_id=model.entity_id,
            metric_id=model.metric_id,
            unit=model.unit,
            dimension=model.dimension,
            frequency=Frequency.DAILY,
            aggregation=Aggregation.STOCK,
            direction=Direction.UP_IS_GOOD,
        )
        session.add(added)
        session.flush()
        assert added.id is not None
        _add(session, added.id, date(2026, 1, 1), "5", date(2026, 1, 2))
        session.add(
            Target(
                indicator_id=added.id,
                value_text="10",
                value=Decimal(10),
                bound=Bound.EXACT,
                low=Decimal(10),
                high=Decimal(10),
                due_on=date(2027, 12, 31),
            )
        )
    session.flush()
    assert len(watchlist(session, today)) == shown + 3
    assert statements() == before
