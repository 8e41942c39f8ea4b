"""Quantitative claims: what was said, by whom, when, read into intervals, with citations."""
