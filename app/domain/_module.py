"""Helpers for feature modules' `register(store)`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from ._store import Store

__all__ = ["declare"]

R = TypeVar("R")


def declare(store: Store, module: str, tables: Mapping[str, str], api: R) -> R:
    """Declare `module`'s tables on `store` and remember its repository API."""
    store.define(module, tables)
    return store.provide(module, api)
