"""Sealing stored responses that carry a secret (a new API key) under the caller's credential.

The clear text of an API key exists in one response only. When that response must be kept for a
retry, it is kept encrypted under a key derived from the credential of the caller, which the
database does not hold (only its keyed hash): a replay, which presents that credential again,
can open it; a copy of the database cannot. Standard library only: a SHAKE-256 keystream and an
HMAC-SHA-256 tag over salt and ciphertext (encrypt-then-MAC), with a fresh salt per record.
"""

import hashlib
import hmac
import os

CONTEXT = b"claimtrack idempotency seal v1"
SALT_BYTES = 16
TAG_BYTES = 32


class SealBroken(Exception):
    """The sealed bytes were not sealed with this credential, or were altered."""


def _keys(credential: str, salt: bytes) -> tuple[bytes, bytes]:
    root = hmac.new(credential.encode(), CONTEXT + salt, hashlib.sha256).digest()
    encrypt = hmac.new(root, b"encrypt", hashlib.sha256).digest()
    authenticate = hmac.new(root, b"authenticate", hashlib.sha256).digest()
    return encrypt, authenticate


def _xor(data: bytes, key: bytes) -> bytes:
    stream = hashlib.shake_256(key).digest(len(data))
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return mixed.to_bytes(len(data), "big")


def seal(credential: str, plain: bytes) -> bytes:
    salt = os.urandom(SALT_BYTES)
    encrypt, authenticate = _keys(credential, salt)
    cipher = _xor(plain, encrypt)
    tag = hmac.new(authenticate, salt + cipher, hashlib.sha256).digest()
    return salt + tag + cipher


def unseal(credential: str, sealed: bytes) -> bytes:
    salt, tag = sealed[:SALT_BYTES], sealed[SALT_BYTES : SALT_BYTES + TAG_BYTES]
    cipher = sealed[SALT_BYTES + TAG_BYTES :]
    encrypt, authenticate = _keys(credential, salt)
    expected = hmac.new(authenticate, salt + cipher, hashlib.sha256).digest()
    if len(salt) != SALT_BYTES or not hmac.compare_digest(tag, expected):
        raise SealBroken("the stored response was sealed under another credential")
    return _xor(cipher, encrypt)
