"""Optional sync server (CPython only; never shipped to the browser)."""

__all__: list[str] = []
