"""`Secret`: an API key that never shows itself in a repr, a log line or a traceback."""

from __future__ import annotations

import hmac
from typing import Any

__all__ = ["Secret", "scrub"]

_MASK = "••••••••"


class Secret:
    """A secret string. `str()`, `repr()` and f-strings show a mask; `reveal()` gives the
    value, and only the HTTP transport calls it, at the moment a request is sent."""

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        object.__setattr__(self, "_value", str(value))

    def reveal(self) -> str:
        """The secret itself (for the request header, nothing else)."""
        value: str = object.__getattribute__(self, "_value")
        return value

    def masked(self) -> str:
        """What a screen may show: a mask and, for long keys, the last four characters."""
        value = self.reveal()
        return _MASK + value[-4:] if len(value) >= 16 else _MASK

    def __bool__(self) -> bool:
        return bool(self.reveal())

    def __len__(self) -> int:
        return len(self.reveal())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self.reveal().encode(), other.reveal().encode())

    def __hash__(self) -> int:
        return hash((Secret, self.reveal()))

    def __repr__(self) -> str:
        return f"Secret('{self.masked()}')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Secret is immutable")

    def __reduce__(self) -> Any:
        raise TypeError("a Secret is not pickled (it must not leave the device by accident)")


def scrub(text: str, *secrets: Secret | None) -> str:
    """`text` with every occurrence of each secret's value replaced by its mask (servers
    sometimes echo the key back in an error message)."""
    for secret in secrets:
        if secret is not None:
            value = secret.reveal()
            if len(value) >= 4 and value in text:
                text = text.replace(value, secret.masked())
    return text
