"""Names as analysts write them: the normalised form aliases are matched in, and slugs."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from app.core.errors import InvalidInput


def normalize(name: str) -> str:
    """The form aliases are matched in: "Temir Zholy (KTZ)" is "temir zholy ktz"."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def slugify(name: str) -> str:
    """An ASCII slug; a name with no ASCII letters ("Россия") gets one made from its hash, so
    that two such names never share a slug."""
    spaced = re.sub(r"[\W_]+", " ", name)
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    slug = "-".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())[:100].strip("-")
    if len(slug) * 2 >= len(normalize(name).replace(" ", "")) and slug:
        return slug
    digest = hashlib.sha256(normalize(name).encode()).hexdigest()[:10]
    return f"{slug[:80]}-{digest}".strip("-")


def check_name(name: str, field: str) -> None:
    if not normalize(name):
        raise InvalidInput(f"'{name}' has no letter or digit to name anything by", field=field)


def alias_forms(names: Iterable[str]) -> dict[str, str]:
    """Each name by its normalised form, the first spelling of each form kept, in order."""
    normalized: dict[str, str] = {}
    for alias in names:
        key = normalize(alias)
        if len(key) > 200:
            raise InvalidInput("an alias may be at most 200 characters", field="aliases")
        if key and key not in normalized:
            normalized[key] = alias
    return normalized
