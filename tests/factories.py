"""Request bodies for tests: the smallest valid input, with overrides."""

from typing import Any


def claim_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "entity": "KTZ",
        "metric": "investment",
        "value_text": "$10 billion",
        "period": "to 2030",
        "kind": "commitment",
        "stated_by": "Kazakhstan Temir Zholy",
        "asserted_on": "2026-05-28",
        "statement": "KTZ will invest $10 billion to 2030.",
        "citations": [
            {
                "url": "https://example.com/ktz",
                "title": "KTZ plan",
                "publisher": "Example News",
                "kind": "news",
                "quote": "an aggressive $10 billion investment blueprint stretching to 2030",
            }
        ],
        "tags": ["middle-corridor"],
    }
    body.update(overrides)
    return body
