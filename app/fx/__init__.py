"""Exchange rates someone stored, with date and source: the only way currencies are compared."""
