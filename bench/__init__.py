"""Benchmarks: each prints a table; `--json PATH` also writes the figures."""
