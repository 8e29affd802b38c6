"""Compensated multi-step writes, for steps that cannot share one transaction.

Seed 000's two patterns: create-then-register-reference removes the created entity
if registering fails; delete-with-reference-cleanup restores the references if the
delete fails. The original error is always re-raised; a failing compensation is
attached as a note and logged, never swallowed silently.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

__all__ = ["create_then_register", "delete_with_cleanup"]

T = TypeVar("T")
R = TypeVar("R")
_log = logging.getLogger(__name__)


def _note(error: BaseException, message: str) -> None:
    if hasattr(error, "add_note"):
        error.add_note(message)
    _log.error(message)


async def create_then_register(
    create: Callable[[], Awaitable[T]],
    register: Callable[[T], Awaitable[Any]],
    remove: Callable[[T], Awaitable[Any]],
) -> T:
    """`create()`, then `register(created)`; on failure `remove(created)` and re-raise."""
    created = await create()
    try:
        await register(created)
    except BaseException as error:
        try:
            await remove(created)
        except Exception as compensation_error:
            _note(error, f"compensating removal failed too: {compensation_error!r}")
        raise
    return created


async def delete_with_cleanup(
    unlink: Callable[[], Awaitable[R]],
    delete: Callable[[], Awaitable[Any]],
    restore: Callable[[R], Awaitable[Any]],
) -> None:
    """`refs = unlink()`, then `delete()`; if the delete fails `restore(refs)`, re-raise."""
    refs = await unlink()
    try:
        await delete()
    except BaseException as error:
        try:
            await restore(refs)
        except Exception as compensation_error:
            _note(error, f"restoring references failed too: {compensation_error!r}")
        raise
