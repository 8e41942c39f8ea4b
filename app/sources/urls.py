"""Canonical URLs: the identity of a source, so that one publication is one source."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "yclid", "igshid", "_ga", "_gl"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2048


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMS


def canonical_url(raw: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters.

    Raises ValueError naming what is wrong when the text is not an http(s) URL.
    """
    text = raw.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError("a source URL must start with http:// or https://")
    host = (parts.hostname or "").lower()
    if not host or any(c.isspace() for c in text):
        raise ValueError("a source URL needs a host and no spaces")
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    url = urlunsplit((scheme, netloc, parts.path or "/", urlencode(sorted(query)), ""))
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"the canonical URL is longer than {MAX_URL_LENGTH} characters")
    return url


# Host prefixes that name the same site: the desktop, mobile and AMP pages of one publication.
SITE_PREFIXES = ("www.", "m.", "amp.")


def site_of(url: str) -> str:
    """The site a canonical URL is on: its host, without `www.`, `m.` or `amp.`."""
    host = urlsplit(url).netloc
    for prefix in SITE_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            return host.removeprefix(prefix)
    return host


def identity_key(url: str) -> str:
    """What makes two canonical URLs one source: the site and path, whatever the scheme
    (`http` or `https`), a `www.` (or `m.`, `amp.`) in front and a slash at the end; the query
    stays (it often names the article). `https://www.kazinform.kz/news/a/` and
    `http://kazinform.kz/news/a` are one source."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{site_of(url)}{path}{query}"
