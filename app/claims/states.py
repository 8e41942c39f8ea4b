"""A claim's verification state and a reviewer's verdicts: what the verification rule
(app/review/rules.py) decides, and the vocabulary it reads."""

from enum import StrEnum


class VerificationState(StrEnum):
    UNSOURCED = "unsourced"  # no citation, no reviewer's decision
    UNVERIFIED = "unverified"  # cited, but not by enough; no reviewer's decision
    VERIFIED = "verified"  # an official or statistics source, or two independent ones
    # A reviewer decided: a verdict (the latest is the claim's `verdict`), or a rank given when
    # resolving a conflict. Whatever the citations say: the decision is the state.
    REVIEWED = "reviewed"


class Verdict(StrEnum):
    ACCURATE = "accurate"
    MOSTLY_ACCURATE = "mostly_accurate"
    MISLEADING = "misleading"
    INACCURATE = "inaccurate"
    UNVERIFIABLE = "unverifiable"
