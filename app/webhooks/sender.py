"""One delivery: the event signed as the Standard Webhooks specification says (with the
`standardwebhooks` library), POSTed to the address the host name was checked to resolve to.

The connection goes to that address and no other (the URL's host replaced by it, the `Host`
header and the TLS server name, `sni_hostname`, kept as the name, so the certificate is checked
against the name): a name that resolves to a public address when checked and to a private one a
moment later (DNS rebinding) cannot slip past. Redirects are not followed: a 3xx is a failure.
"""

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

import httpx
from standardwebhooks.webhooks import Webhook

from app.core.models import utcnow
from app.webhooks.addresses import AddressRefused, UrlPolicy, resolve

EXCERPT_BYTES = 500
USER_AGENT = "Claimtrack-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave: a status (None: no answer), the time it took, the answer's
    start, an error, and how long the receiver asked us to wait (Retry-After)."""

    status_code: int | None
    latency_ms: int
    excerpt: str | None = None
    error: str | None = None
    retry_after_s: float | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signature(secrets: list[str], event_id: str, moment: datetime, body: bytes) -> str:
    """`v1,<base64>` for each secret, space-separated (the current one first; during a
    rotation's overlap, the previous one after it, as the specification allows)."""
    return " ".join(Webhook(s).sign(event_id, moment, body) for s in secrets)


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from a Retry-After header: a number, or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds())


class Clients:
    """httpx clients, one per pinned (scheme, host, address, port): a kept-alive connection is
    reused only for the name and address it was opened and checked for."""

    def __init__(self, timeout_s: float, size: int = 64) -> None:
        self.timeout = httpx.Timeout(timeout_s)
        self.total_s = timeout_s
        self.size = size
        self._clients: OrderedDict[tuple[str, str, str, int], httpx.AsyncClient] = OrderedDict()

    def get(self, key: tuple[str, str, str, int]) -> httpx.AsyncClient:
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        client = httpx.AsyncClient(
            timeout=self.timeout,
            follow_redirects=False,
            trust_env=False,  # never through a proxy: the address checked is the one reached
            headers={"User-Agent": USER_AGENT},
        )
        self._clients[key] = client
        while len(self._clients) > self.size:
            _, old = self._clients.popitem(last=False)
            asyncio.get_running_loop().create_task(old.aclose())
        return client

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), OrderedDict()
        for client in clients:
            await client.aclose()


async def send(
    clients: Clients,
    policy: UrlPolicy,
    url: str,
    event_id: str,
    body: bytes,
    secrets: list[str],
) -> Outcome:
    """POST one event, signed; never raises for what the network or the receiver does."""
    started = time.perf_counter()

    def took() -> int:
        return round((time.perf_counter() - started) * 1000)

    target = httpx.URL(url)
    host = target.host
    port = target.port or (443 if target.scheme == "https" else 80)
    try:
        address = await resolve(host, port, policy)
    except AddressRefused as exc:
        return Outcome(None, took(), error=str(exc)[:500])
    now = utcnow()
    headers = {
        "content-type": "application/json",
        "webhook-id": event_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature(secrets, event_id, now, body),
        "host": target.netloc.decode("ascii"),
    }
    pinned = target.copy_with(host=address)
    extensions = {"sni_hostname": host} if target.scheme == "https" else {}
    client = clients.get((target.scheme, host, address, port))
    try:
        # httpx bounds each read; this bounds the whole answer (a receiver that trickles a
        # byte a second would otherwise hold the worker as long as it likes).
        async with asyncio.timeout(clients.total_s):
            request = client.build_request(
                "POST", pinned, content=body, headers=headers, extensions=extensions
            )
            response = await client.send(request, stream=True)
            try:
                excerpt = await _excerpt(response)
            finally:
                await response.aclose()
    except (httpx.TimeoutException, TimeoutError):
        return Outcome(None, took(), error=f"no answer within {clients.total_s:g} s")
    except httpx.HTTPError as exc:
        return Outcome(None, took(), error=f"{exc.__class__.__name__}: {exc}"[:500])
    error = None
    if response.is_redirect:
        error = f"redirect to {response.headers.get('location', '?')} not followed"[:500]
    elif not response.is_success:
        error = f"answered {response.status_code}"
    return Outcome(
        response.status_code,
        took(),
        excerpt=excerpt,
        error=error,
        retry_after_s=retry_after(response.headers.get("retry-after"), utcnow()),
    )


async def _excerpt(response: httpx.Response) -> str:
    """The answer's first bytes, as text; the rest is not read."""
    taken = b""
    async for chunk in response.aiter_raw():
        taken += chunk
        if len(taken) >= EXCERPT_BYTES:
            break
    return taken[:EXCERPT_BYTES].decode("utf-8", errors="replace")
