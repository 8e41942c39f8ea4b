"""Signing a test client in through the form, as a browser does."""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy.orm import Session

from app.auth.models import ApiKeyCreate, Role
from app.demo.load import load
from app.flows import keys

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FORM = re.compile(r'<form [^>]*action="([^"]+)"')


def csrf_of(page: Response) -> str:
    found = CSRF.search(page.text)
    assert found is not None, page.text
    return found.group(1)


SIGNED = re.compile(r"^(.*)&sig=[0-9a-f]{64}$")


def unsigned(location: str) -> str:
    """A redirect's address after a form without its notices' signature (`web.notices`),
    which it must end with."""
    found = SIGNED.match(location)
    assert found is not None, f"{location} carries no signature"
    return found.group(1)


def forms_of(page: Response) -> list[str]:
    """The actions of the page's forms, in order."""
    return FORM.findall(page.text)


def sign_in(client: TestClient, secret: str, base: str = "") -> Response:
    """Load the sign-in form, then send it with this key (not following the redirect)."""
    form = client.get(f"{base}/signin")
    assert form.status_code == 200, form.text
    return client.post(
        f"{base}/signin", data={"key": secret, "csrf": csrf_of(form)}, follow_redirects=False
    )


WebKey = tuple[int, str]
WebKeyFactory = Callable[[Role], WebKey]


@pytest.fixture
def web_key(session: Session) -> WebKeyFactory:
    """A fresh key of the given role: its id and its secret."""

    def make(role: Role) -> WebKey:
        row, secret = keys.create(
            session, ApiKeyCreate(name=f"web {role}", role=role), created_by_id=None
        )
        session.commit()
        assert row.id is not None
        return row.id, secret

    return make


CHART_DATA = re.compile(r'<script type="application/json" id="chart-data">(.*?)</script>', re.S)


def chart_data(page: Response) -> Any:
    """The JSON a page hands its charts."""
    found = CHART_DATA.search(page.text)
    assert found is not None, page.text
    return json.loads(found.group(1))


@pytest.fixture
def demo(session: Session) -> None:
    """The demo data set, as `claimtrack seed` loads it."""
    assert load(session) == 25
    session.commit()
