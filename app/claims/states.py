"""A claim's verification state: what the verification rule (app/review/rules.py) decides."""

from enum import StrEnum


class VerificationState(StrEnum):
    UNSOURCED = "unsourced"  # no citation
    UNVERIFIED = "unverified"  # cited, but not by enough
    VERIFIED = "verified"  # an official source, two independent ones, or a reviewer's verdict
