"""Shared parameter types at the edges of the calendar: an offset applied must not overflow."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import DateTime, Engine, literal, select

from app.core.config import get_settings
from app.core.db import make_engine
from app.core.models import as_utc
from app.core.params import IsoDateTime

# Times that exist with their offset but not in UTC (10000-01-01T00:59:59Z, 0000-12-31T23:00Z).
LATE = "9999-12-31T23:59:59-01:00"
EARLY = "0001-01-01T00:00:00+01:00"
OUTSIDE = "is outside the calendar once converted to UTC (0001-01-01 to 9999-12-31)"


@pytest.mark.parametrize("path", ["/api/v1/flags", "/api/v1/events"])
@pytest.mark.parametrize("since", [LATE, EARLY])
def test_since_outside_calendar_in_utc_is_refused(
    client: TestClient, admin: dict[str, str], path: str, since: str
) -> None:
    response = client.get(path, params={"since": since}, headers=admin)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["code"], problem["field"]) == ("invalid_input", "since")
    assert problem["errors"][0]["problem"] == f"Value error, {since} {OUTSIDE}"


@pytest.mark.parametrize("path", ["/api/v1/flags", "/api/v1/events"])
def test_since_at_calendar_edges_is_read(
    client: TestClient, admin: dict[str, str], path: str
) -> None:
    late = client.get(f"{path}?since=9999-12-31T23:59:59Z", headers=admin)
    assert (late.status_code, late.json()["items"]) == (200, [])
    early = client.get(f"{path}?since=0001-01-01T00:00:00Z", headers=admin)
    assert early.status_code == 200
    assert len(early.json()["items"]) == len(client.get(path, headers=admin).json()["items"])


def test_key_expiry_outside_calendar_in_utc_is_refused(
    client: TestClient, admin: dict[str, str]
) -> None:
    body = {"name": "x", "role": "reader", "expires_at": LATE}
    response = client.post("/api/v1/keys", json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert (response.json()["code"], response.json()["field"]) == ("invalid_input", "expires_at")
    assert response.json()["errors"][0]["problem"] == f"Value error, {LATE} {OUTSIDE}"


def test_key_expiry_on_last_second_of_calendar_is_kept(
    client: TestClient, admin: dict[str, str]
) -> None:
    body = {"name": "x", "role": "reader", "expires_at": "9999-12-31T23:59:59+00:00"}
    created = client.post("/api/v1/keys", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["expires_at"] == "9999-12-31T23:59:59Z"
    headers = {"Authorization": f"Bearer {created.json()['key']}"}
    assert client.get("/api/v1/claims", headers=headers).status_code == 200


PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=200)
READ_TIME = TypeAdapter(IsoDateTime)

# Wall-clock times anywhere in the calendar, the first and last days as often as the rest, at
# any offset a zone has (-12:00 to +14:00, and a margin: the parser allows up to ±23:59).
wall_times = st.one_of(
    st.datetimes(min_value=datetime.min, max_value=datetime.max),
    st.datetimes(min_value=datetime.min, max_value=datetime(1, 1, 2)),
    st.datetimes(min_value=datetime(9999, 12, 31), max_value=datetime.max),
)
offsets = st.timedeltas(min_value=timedelta(hours=-14), max_value=timedelta(hours=14)).map(
    lambda t: timezone(timedelta(minutes=t // timedelta(minutes=1)))
)


@PROPERTY
@given(wall_times, offsets)
def test_iso_datetime_is_same_instant_in_utc_or_refused(wall: datetime, offset: timezone) -> None:
    moment = wall.replace(tzinfo=offset)
    offset_td = moment.utcoffset()
    assert offset_td is not None
    # The instant in UTC, counted from datetime.min in timedelta arithmetic (which cannot
    # overflow here), tells whether a datetime can hold it.
    since_min = (wall - datetime.min) - offset_td
    if not timedelta(0) <= since_min <= datetime.max - datetime.min:
        with pytest.raises(ValidationError) as refused:
            READ_TIME.validate_python(moment.isoformat())
        assert [e["type"] for e in refused.value.errors()] == ["value_error"]
        assert OUTSIDE in str(refused.value.errors()[0]["msg"])
        return
    read = READ_TIME.validate_python(moment.isoformat())
    assert read.tzinfo is UTC
    assert read.replace(tzinfo=None) == datetime.min + since_min
    assert read == moment


@pytest.mark.parametrize(
    ("server_zone", "moment"),
    [
        ("Asia/Almaty", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("America/New_York", datetime(1, 1, 1, tzinfo=UTC)),
    ],
)
def test_time_at_calendar_edge_reads_back_in_any_server_zone(
    engine: Engine, server_zone: str, moment: datetime
) -> None:
    # A server configured in a zone other than UTC (stood for by the URL's options, which the
    # app's own come after): a stored time at the calendar's edge must still read back.
    url = engine.url
    if engine.dialect.name == "postgresql":
        url = url.update_query_dict({"options": f"-c TimeZone={server_zone}"})
    database_url = url.render_as_string(hide_password=False)
    settings = get_settings().model_copy(update={"database_url": database_url})
    zoned = make_engine(settings, pooled=False)
    try:
        with zoned.connect() as conn:
            read = conn.execute(select(literal(moment, DateTime(timezone=True)))).scalar_one()
    finally:
        zoned.dispose()
    assert as_utc(read) == moment
