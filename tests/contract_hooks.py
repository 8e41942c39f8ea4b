"""Schemathesis hooks for the CLI contract run (tests/test_contract_cli.py loads them through
SCHEMATHESIS_HOOKS; pytest never imports this module)."""

import os
from typing import Any

import schemathesis

OWN_KEY_ID = os.environ.get("CLAIMTRACK_CONTRACT_KEY_ID", "")


def filter_case(context: Any, case: Any) -> bool:
    """The run must not revoke the key it authenticates with: every later request would be 401.

    Only that one id is left out: keys_revoke is fuzzed with every other value as usual.
    """
    operation = case.operation
    if (operation.method.upper(), operation.path) != ("DELETE", "/api/v1/keys/{key_id}"):
        return True
    return str((case.path_parameters or {}).get("key_id")) != OWN_KEY_ID


schemathesis.hook(filter_case)
