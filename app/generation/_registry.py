"""The provider registry: providers keyed by name, found in `app.generation.providers`.

Adding a provider is one file in `app/generation/providers/` with a class decorated by
`@register_provider`; the package is scanned the first time a provider is looked up.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TypeVar

from ._provider import Provider

__all__ = ["all_providers", "get_provider", "provider_names", "register_provider"]

P = TypeVar("P", bound=type)
_PROVIDERS: dict[str, Provider] = {}
_discovered: list[bool] = []


def register_provider(cls: P) -> P:
    """Class decorator: make an instance of `cls` available under `cls.name`."""
    instance = cls()
    if not isinstance(instance, Provider):
        raise TypeError(f"{cls.__name__} does not implement the Provider interface")
    name = instance.name
    if not name:
        raise ValueError(f"{cls.__name__} has no name")
    existing = _PROVIDERS.get(name)
    if existing is not None and type(existing).__qualname__ != cls.__qualname__:
        raise ValueError(f"two providers are named {name!r}")
    _PROVIDERS[name] = instance
    return cls


def _discover() -> None:
    if _discovered:
        return
    package = importlib.import_module(__name__.rpartition(".")[0] + ".providers")
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")
    _discovered.append(True)


def all_providers() -> dict[str, Provider]:
    """Every registered provider by name."""
    _discover()
    return dict(_PROVIDERS)


def provider_names() -> list[str]:
    return sorted(all_providers())


def get_provider(name: str) -> Provider:
    """The provider registered as `name`; `KeyError` naming the known ones otherwise."""
    _discover()
    try:
        return _PROVIDERS[name]
    except KeyError:
        known = ", ".join(sorted(_PROVIDERS)) or "none"
        raise KeyError(f"no provider named {name!r} (known: {known})") from None
