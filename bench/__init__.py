"""Benchmarks: run each as `.venv/bin/python -m bench.<name>`; results go to bench/RESULTS.md."""
