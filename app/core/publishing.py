"""Publishing fact checks: whether `/fact-checks` is served, and the organisation that signs
them (`CLAIMTRACK_PUBLISH_FACT_CHECKS`, `CLAIMTRACK_PUBLISHER_*`), as the app was built with."""

from dataclasses import dataclass

from starlette.requests import Request

from app.core.config import Settings


@dataclass(frozen=True)
class Publisher:
    """The fact-checking organisation: the `author` of every ClaimReview."""

    name: str
    url: str | None = None
    logo_url: str | None = None


@dataclass(frozen=True)
class Publishing:
    enabled: bool = False
    publisher: Publisher | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "Publishing":
        publisher = (
            Publisher(settings.publisher_name, settings.publisher_url, settings.publisher_logo_url)
            if settings.publisher_name
            else None
        )
        return cls(enabled=settings.publish_fact_checks, publisher=publisher)


def publishing(request: Request) -> Publishing:
    """What the app serving this request publishes."""
    found: Publishing | None = getattr(request.app.state, "publishing", None)
    return found or Publishing()
