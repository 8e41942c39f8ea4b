"""Draft claims from text: every figure of a pasted paragraph, read as a claim would read it."""
