"""Walking the claims list by `next` links while others insert and retract claims.

Whatever happens meanwhile, a walk returns no claim twice, keeps its sort order across pages,
and returns every claim that was there, active, for the whole walk. (Claims inserted or
retracted during the walk may or may not appear; that is what keyset pages promise.)
"""

import random
import threading
from datetime import date, timedelta
from typing import Any

import pytest

from app.auth.models import Role
from tests.factories import claim_body
from tests.reliability.harness import ScratchDb, Server, running

STABLE = 120  # never retracted
VOLATILE = 80  # retracted during the walks
PAGE = 7
DAYS = 12  # few distinct asserted_on dates: many ties, broken by id
SORTS = ("-id", "id", "asserted_on", "-asserted_on")
FIRST_DAY = date(2026, 1, 1)
MAX_PAGES = 200  # a walk that goes round in circles fails instead of hanging


def _claim(rng: random.Random, label: str) -> dict[str, Any]:
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    return claim_body(entity=f"page-{label}", asserted_on=day.isoformat(), citations=[])


def _key(item: dict[str, Any], sort: str) -> tuple[Any, int]:
    field = sort.lstrip("-")
    return (item[field], item["id"]) if field != "id" else (item["id"], item["id"])


def _walk(server: Server, headers: dict[str, str], sort: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    url = f"/api/v1/claims?sort={sort}&limit={PAGE}"
    with server.client() as client:
        for _ in range(MAX_PAGES):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, response.text
            page = response.json()
            items.extend(page["items"])
            url = page["next"]
            if url is None:
                return items
    raise AssertionError(f"{sort}: the walk did not end after {MAX_PAGES} pages")


class Churn(threading.Thread):
    """Inserts new claims and retracts volatile ones until told to stop."""

    def __init__(self, server: Server, headers: dict[str, str], volatile: list[int]) -> None:
        super().__init__()
        self.server, self.headers = server, headers
        self.volatile = volatile
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.rng = random.Random(7)

    def run(self) -> None:
        with self.server.client() as client:
            n = 0
            while not self.stop.is_set():
                n += 1
                body = _claim(self.rng, f"new-{n}")
                created = client.post("/api/v1/claims", json=body, headers=self.headers)
                self.statuses.append(created.status_code)
                if created.status_code == 201:
                    self.volatile.append(created.json()["id"])
                if self.volatile and n % 2 == 0:
                    victim = self.volatile.pop(self.rng.randrange(len(self.volatile)))
                    retracted = client.delete(
                        f"/api/v1/claims/{victim}", headers={**self.headers, "If-Match": "*"}
                    )
                    self.statuses.append(retracted.status_code)


@pytest.mark.slow
def test_walking_pages_while_claims_come_and_go_skips_and_repeats_nothing(
    scratch: ScratchDb,
) -> None:
    rng = random.Random(11)
    headers = scratch.key(Role.ANALYST)
    with running(scratch.url) as server:
        with server.client() as client:
            rows = [_claim(rng, f"old-{i}") for i in range(STABLE + VOLATILE)]
            created = client.post("/api/v1/claims:bulk", json=rows, headers=headers)
            assert created.status_code == 201, created.text
        ids = [item["id"] for item in created.json()["items"]]
        rng.shuffle(ids)
        stable, volatile = set(ids[:STABLE]), ids[STABLE:]
        churn = Churn(server, headers, volatile)
        churn.start()
        try:
            walks = {sort: _walk(server, headers, sort) for sort in SORTS}
        finally:
            churn.stop.set()
            churn.join()
    assert set(churn.statuses) == {200, 201}
    assert churn.statuses.count(200) >= 10  # retractions happened during the walks
    for sort, items in walks.items():
        seen = [item["id"] for item in items]
        assert len(seen) == len(set(seen)), f"{sort}: a claim came twice"
        assert stable <= set(seen), f"{sort}: skipped {sorted(stable - set(seen))}"
        keys = [_key(item, sort) for item in items]
        assert keys == sorted(keys, reverse=sort.startswith("-")), f"{sort}: out of order"
        assert {item["status"] for item in items} == {"active"}
