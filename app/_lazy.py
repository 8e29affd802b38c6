"""Public names a package loads when first used (PEP 562), so importing the package at
boot costs only what the boot itself needs.

    __getattr__ = lazy_names(__name__, {"Transfer": ".transfer", "formats": ".formats"})

A name whose home is ``"." + name`` is that submodule itself; any other is looked up in
its home module. The value is kept in the package's namespace after the first use.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for ``package`` serving ``homes`` (name -> module,
    relative to the package)."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(home, package)
        value = module if home == f".{name}" else getattr(module, name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
