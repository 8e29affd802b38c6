"""Render benchmark for ``app.ui`` (``python -m bench.ui``)."""
