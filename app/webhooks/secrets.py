"""Webhook signing secrets: made as the Standard Webhooks specification writes them (`whsec_`
and 32 random bytes in base64), kept encrypted with Fernet under CLAIMTRACK_WEBHOOK_SECRET_KEY.

The secrets cannot be stored as hashes, as API keys are: the worker needs each one to sign.
Without a configured key (development), a key is made once and kept in `var/`; production
refuses to start without one (`core.config`), since each host would make its own.
"""

import base64
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.core.config import get_settings

SECRET_PREFIX = "whsec_"  # noqa: S105 - the specification's prefix, not a secret
DEV_KEY_FILE = Path("var/webhook-secret.key")


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _dev_key(path: Path) -> str:
    """The development key, made on first use (readable by this user only)."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Fernet.generate_key().decode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(key + "\n")
        return key


@lru_cache
def cipher() -> MultiFernet:
    configured = get_settings().webhook_secret_key
    text = configured.get_secret_value() if configured else _dev_key(DEV_KEY_FILE)
    keys = [part.strip() for part in text.split(",") if part.strip()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(secret: str) -> str:
    return cipher().encrypt(secret.encode()).decode()


class UnreadableSecret(RuntimeError):
    """A stored secret the configured keys cannot decrypt: the key was changed, not rotated."""


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise UnreadableSecret("CLAIMTRACK_WEBHOOK_SECRET_KEY cannot decrypt a secret") from exc
