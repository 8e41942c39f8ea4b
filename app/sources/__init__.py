"""Publications that claims cite, deduplicated by canonical URL."""
