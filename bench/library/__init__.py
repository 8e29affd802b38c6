"""The library's import benchmark (``./lk bench library``)."""
