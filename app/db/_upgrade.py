"""Running user upgrade functions inside the version-change transaction."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from ._core import CoreTransaction
from ._transaction import Transaction, current_transaction
from .errors import PrematureCommitError

if TYPE_CHECKING:
    from ._database import Database, Version


async def run_upgrade_fn(db: Database, core_trans: CoreTransaction, version: Version) -> None:
    """Run ``version.upgrade_fn(tx)`` with ``tx`` as the current transaction."""
    fn = version.upgrade_fn
    if fn is None:
        return
    tx = Transaction(db, "versionchange", list(core_trans.tables), core_trans)
    token = current_transaction.set(tx)
    tx.arm()
    try:
        result = fn(tx)
        if inspect.isawaitable(result):
            await result
    finally:
        tx._cancel_probe()
        current_transaction.reset(token)
    if tx.suspect and not tx.premature and tx.child_ops == 0:
        tx._commit_early()
    if tx.premature:
        raise PrematureCommitError(
            f"upgrade to version {version.number}: the upgrade function awaited something "
            "that is not a database operation"
        )


async def run_populate(db: Database, core_trans: CoreTransaction) -> None:
    """Fire ``populate`` listeners inside the creating version-change transaction."""
    listeners = list(db._listeners["populate"])
    if not listeners:
        return

    class _Populate:
        number = db.declared_versions()[-1].number if db.declared_versions() else 0

        @staticmethod
        async def upgrade_fn(tx: Transaction) -> None:
            for fn in listeners:
                r = fn(db)
                if inspect.isawaitable(r):
                    await r

    await run_upgrade_fn(db, core_trans, _Populate)  # type: ignore[arg-type]


def check_primary_keys(old: Any, new: Any, table: str, version: int) -> None:
    from .errors import UpgradeError

    if (
        old.primary_key.key_path != new.primary_key.key_path
        or old.primary_key.auto != new.primary_key.auto
    ):
        raise UpgradeError(
            f"upgrade to version {version}: cannot change the primary key of table {table!r} "
            f"({old.primary_key.src!r} -> {new.primary_key.src!r}); copy into a new table instead",
            version=version,
        )
