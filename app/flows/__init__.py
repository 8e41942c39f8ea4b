"""Use cases: what one request does across domains (a new claim is checked for conflicts,
verification and data; a changed source re-verifies its claims; a new rate re-checks the
conflicts it can decide; a verdict, or a conflict ranked, sets the claims' verification
state). Routes, the demo loader and the CLI call these; the domains below never call each
other upward."""
