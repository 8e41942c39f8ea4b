"""The two seed documents the demo is built from, as shipped in `app/demo/seeds/`."""

from functools import cache
from importlib.resources import files
from typing import Final

# Demo source key -> the file that holds the document (see seeds/README.md).
DOCUMENTS: Final = {
    "briefing": "kazakhstan-eu-weekly-briefing-28.txt",
    "radio": "eu-weighs-strategy-kazakhstan-china.txt",
}


class QuoteNotInDocument(ValueError):
    """A demo claim quotes a seed document with words the document does not hold."""


@cache
def text(key: str) -> str:
    """The document's text as a reader sees it (the briefing's Markdown `\\$` is a `$`)."""
    raw = files("app.demo").joinpath("seeds", DOCUMENTS[key]).read_text(encoding="utf-8")
    return raw.replace("\\$", "$")


def check_quote(source_key: str, quote: str) -> None:
    """Refuse a quote attributed to a seed document that is not in it word for word; quotes
    from other sources are not checked (their pages are not shipped)."""
    if source_key in DOCUMENTS and quote not in text(source_key):
        raise QuoteNotInDocument(f"not in the {source_key} document: {quote!r}")
