"""Where webhooks may go: the URL rule at create, and the address rule the worker applies after
resolving the name (server-side request forgery: a subscriber must not make the service call
its own network, a cloud metadata endpoint, or itself)."""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from app.webhooks.errors import WebhookUrlRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class UrlPolicy:
    """CLAIMTRACK_WEBHOOK_ALLOW_HTTP and CLAIMTRACK_WEBHOOK_ALLOWED_HOSTS."""

    allow_http: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, allow_http: bool, allowed_hosts: list[str]) -> "UrlPolicy":
        return cls(allow_http, frozenset(h.strip().lower().strip("[]") for h in allowed_hosts))

    def allows_host(self, host: str) -> bool:
        return host.lower().strip("[]") in self.allowed_hosts


def refused_address(address: IPAddress) -> bool:
    """Private, loopback, link-local (the 169.254.169.254 metadata service among them),
    unspecified, reserved, shared (100.64/10) or multicast: anything not on the public internet."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url: str, policy: UrlPolicy) -> str:
    """The URL, if events may be sent to it: https (http only when allowed), a host, no
    credentials in it, and no literal address that the worker would refuse."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise WebhookUrlRefused(f"not a URL: {exc}", field="url") from exc
    schemes = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme not in schemes:
        raise WebhookUrlRefused(
            "give an https:// URL" + ("" if policy.allow_http else " (http is not allowed)"),
            field="url",
        )
    host = parts.hostname
    if not host:
        raise WebhookUrlRefused("the URL names no host", field="url")
    if parts.username is not None or parts.password is not None:
        raise WebhookUrlRefused("no user name or password in the URL", field="url")
    if parts.fragment:
        raise WebhookUrlRefused("no #fragment in the URL", field="url")
    if port == 0:
        raise WebhookUrlRefused("port 0 is no port", field="url")
    literal = literal_address(host)
    if literal is not None and refused_address(literal) and not policy.allows_host(host):
        raise WebhookUrlRefused(f"{host} is a private, loopback or link-local address", field="url")
    return url


class AddressRefused(Exception):
    """The host resolved to no address the worker may connect to."""


async def lookup(host: str, port: int) -> list[IPAddress]:
    """Every address the name resolves to."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AddressRefused(f"{host} does not resolve: {exc.strerror}") from exc
    return [ipaddress.ip_address(info[4][0]) for info in infos]


async def resolve(host: str, port: int, policy: UrlPolicy) -> str:
    """The address to connect to for `host`: the first one it resolves to, refused when any is
    private (a name that resolves to both a public and a private address is refused, whichever
    a connection would take). The worker connects to this address and no other."""
    literal = literal_address(host)
    if literal is not None:
        found: list[IPAddress] = [literal]
    else:
        found = await lookup(host, port)
        if not found:
            raise AddressRefused(f"{host} resolves to no address")
    if not policy.allows_host(host):
        bad = [str(a) for a in found if refused_address(a)]
        if bad:
            raise AddressRefused(
                f"{host} resolves to {', '.join(bad)}: private, loopback, link-local or "
                "metadata addresses are refused (CLAIMTRACK_WEBHOOK_ALLOWED_HOSTS to allow)"
            )
    return str(found[0])
