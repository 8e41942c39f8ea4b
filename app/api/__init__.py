"""The HTTP API: thin routes, one module per resource; each calls one flow or service."""
