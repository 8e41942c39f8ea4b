"""CSV files imported from the command line (`claimtrack import FILE.csv`): claims as
`POST /claims:bulk` reads them, or one indicator's observations as its observations route does;
all or nothing, through the same use cases as the API."""

from sqlalchemy.orm import Session

from app.claims import bulk
from app.flows import claims, observations
from app.indicators import service as indicators
from app.indicators.errors import IndicatorNotFound
from app.indicators.observations import parse_observations

CSV = "text/csv"


def claims_csv(session: Session, body: bytes) -> tuple[int, int]:
    """Claims from CSV: (stored, already there)."""
    created = claims.create_many(session, bulk.read_rows(body, CSV), actor_id=None)
    new = sum(c.stored for c in created)
    return new, len(created) - new


def observations_csv(session: Session, body: bytes, indicator: str, *, confirm: bool) -> int:
    """Observations of the indicator named by slug or id, from CSV: how many were stored."""
    found = indicators.find(session, indicator)
    if found is None and indicator.isdigit():
        found = indicators.get(session, int(indicator))
    if found is None or found.id is None:
        raise IndicatorNotFound(f"no indicator {indicator!r}", field="indicator")
    items = parse_observations(body, CSV)
    return len(observations.record(session, found.id, items, actor_id=None, confirm=confirm))
