"""Sealed responses open with the credential that sealed them, and with nothing else."""

import pytest

from app.idempotency.seal import SALT_BYTES, TAG_BYTES, SealBroken, seal, unseal

CREDENTIAL = "ct_1a2b3c4d_" + "s" * 43
BODY = b'{"key": "ct_5e6f7a8b_secret-of-the-new-key"}'


@pytest.mark.parametrize("body", [BODY, b"", bytes(range(256)) * 40])
def test_seal_opens_with_the_same_credential(body: bytes) -> None:
    sealed = seal(CREDENTIAL, body)
    assert len(sealed) == SALT_BYTES + TAG_BYTES + len(body)
    assert unseal(CREDENTIAL, sealed) == body


def test_sealed_bytes_hide_the_body_and_differ_each_time() -> None:
    one, two = seal(CREDENTIAL, BODY), seal(CREDENTIAL, BODY)
    assert one != two
    assert b"secret-of-the-new-key" not in one
    assert b"secret-of-the-new-key" not in two


def test_another_credential_cannot_open_it() -> None:
    with pytest.raises(SealBroken):
        unseal(CREDENTIAL + "x", seal(CREDENTIAL, BODY))


@pytest.mark.parametrize("position", [0, SALT_BYTES, SALT_BYTES + TAG_BYTES, -1])
def test_altered_bytes_do_not_open(position: int) -> None:
    sealed = bytearray(seal(CREDENTIAL, BODY))
    sealed[position] ^= 1
    with pytest.raises(SealBroken):
        unseal(CREDENTIAL, bytes(sealed))


def test_truncated_bytes_do_not_open() -> None:
    with pytest.raises(SealBroken):
        unseal(CREDENTIAL, seal(CREDENTIAL, BODY)[: SALT_BYTES - 1])
