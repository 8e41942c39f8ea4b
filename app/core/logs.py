"""Logging: one JSON object a line (or plain text), each with the id of the request it is about."""

import logging
import sys
import time
from typing import Any, TextIO

import orjson

from app.core.config import Settings
from app.core.observe import current_request

# The loggers Claimtrack writes through: its own, and uvicorn's (startup, shutdown, errors).
LOGGERS = ("claimtrack", "uvicorn")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message, request id, and its fields."""

    _second: tuple[int, str] = (-1, "")

    def _ts(self, created: float) -> str:
        # UTC to the millisecond; the date and time part is formatted once a second.
        second = int(created)
        cached, stamp = self._second
        if second != cached:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = (second, stamp)
        return f"{stamp}.{int((created - second) * 1000):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": self._ts(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        info = current_request()
        if info is not None:
            out["request_id"] = info.id
            if info.key_id is not None:
                out["key_id"] = info.key_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(out, default=str).decode()


class _RequestIdFilter(logging.Filter):
    """Gives text records a `request_id` attribute ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        info = current_request()
        record.request_id = info.id if info is not None else "-"
        return True


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is when the record is emitted (pytest swaps it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: TextIO) -> None:
        pass


def configure_logging(settings: Settings) -> None:
    """Send Claimtrack's and uvicorn's records to stderr in the configured format (idempotent)."""
    handler = _StderrHandler()
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.addFilter(_RequestIdFilter())
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logger.disabled = False  # as a fileConfig(disable_existing_loggers=True) may leave it
