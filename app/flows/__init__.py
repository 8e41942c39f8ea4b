"""Use cases: what one request does across domains (a new claim is checked for conflicts,
verification and data; a changed source re-verifies its claims; a new rate re-checks the
conflicts it can decide; new observations re-check the claims meeting them; a verdict, or a
conflict ranked, sets the claims' verification state). Routes, the demo loader and the CLI call
these; the domains below never call each other upward. Each use case that changes anything ends
by writing the audit events its work recorded, and the webhook events they make
(`notify.write_pending`): the commit refuses a transaction that left any unwritten."""
