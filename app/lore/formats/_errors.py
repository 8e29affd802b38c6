"""The one error every importer raises."""

from __future__ import annotations

__all__ = ["FormatError"]


class FormatError(ValueError):
    """A file that cannot be imported (unknown format, malformed, hostile, wrong types).

    Raised before anything is returned, so a failed import imports nothing.
    """
