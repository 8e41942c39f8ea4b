"""The `Prefer` request header (RFC 7240): the preferences a client states, which a route may
honour (saying so in `Preference-Applied`) or ignore."""

HEADER = "Prefer"
APPLIED_HEADER = "Preference-Applied"
RETURN_MINIMAL = "return=minimal"


def preference(header: str | None, name: str) -> str | None:
    """The value of preference `name` in a `Prefer` header ("" when it has none), or None.

    Names are case-insensitive; a value may be quoted; parameters after `;` are dropped; the
    first occurrence counts (RFC 7240 section 2). Anything unreadable is ignored, as a
    preference the server does not know is."""
    if not header:
        return None
    for item in header.split(","):
        token, _, value = item.split(";", 1)[0].partition("=")
        if token.strip().lower() == name:
            return value.strip().strip('"').lower()
    return None


def wants_minimal(header: str | None) -> bool:
    """`Prefer: return=minimal`; `return=representation`, or none, asks for the whole answer."""
    return preference(header, "return") == "minimal"
