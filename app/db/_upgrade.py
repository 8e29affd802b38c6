"""The upgrade runner: from the installed version to the latest, one version at a time.

Dexie's rule, on both backends. A new database is created at the latest schema and
``populate`` listeners fill it. An existing one goes through every declared version
above the installed one, in order; for each:

1. tables the version adds are created, tables it changes get their new indexes
   (a table keeps its primary key: changing it is an ``UpgradeError``);
2. its upgrade function runs, with every table of the version *and* those it deletes
   (still holding their data, so the function can copy from them);
3. the tables it deletes are dropped.

So a table deleted in one version can come back with another primary key in a later
one, the upgrade functions copying the data through a table in between. Everything
happens in the one version-change transaction: if any step fails, nothing of it stays
and the open fails with ``UpgradeError`` naming the version.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ._backend import SchemaEditor
from ._core import CoreTransaction
from ._schema import DBSchema
from ._transaction import Transaction, current_transaction
from ._version import UpgradeFn, Versions
from .errors import PrematureCommitError, UpgradeError

if TYPE_CHECKING:
    from ._database import Database

__all__ = ["UPGRADING_TO", "run_upgrade"]

#: Key in the version-change transaction's ``data``: the version being applied (for
#: backends that learn of a failure only when the transaction aborts).
UPGRADING_TO = "upgrading_to"


async def run_upgrade(
    db: Database,
    versions: Versions,
    trans: CoreTransaction,
    installed: float,
    editor: SchemaEditor,
    populate: Sequence[Callable[[Any], Any]],
) -> None:
    """Bring ``editor``'s database from ``installed`` (0: new) to ``versions.latest``."""
    latest = versions.latest
    assert latest is not None, "a database with no declared version is never upgraded"
    number = latest.number
    try:
        if installed == 0:
            trans.data[UPGRADING_TO] = number
            _reshape(editor, versions.schema_at(number), number)
            trans.tables = list(editor.schema)
            if populate:
                await _run_in(db, trans, number, _populate_fn(db, populate))
            return
        for version in versions:
            if version.number <= installed:
                continue
            number = trans.data[UPGRADING_TO] = version.number
            target = versions.schema_at(number)
            doomed = [name for name in editor.schema if name not in target]
            _reshape(editor, target, number)
            trans.tables = list(editor.schema)  # the doomed tables too, with their data
            if version.upgrade_fn is not None:
                await _run_in(db, trans, number, version.upgrade_fn)
            for name in doomed:
                editor.delete_table(name)
            trans.tables = list(editor.schema)
    except UpgradeError:
        raise
    except Exception as exc:
        raise UpgradeError(
            f"database {db.name!r}: upgrade to version {number} failed: "
            f"{type(exc).__name__}: {exc}",
            inner=exc,
            version=number,
        ) from exc


def _reshape(editor: SchemaEditor, target: DBSchema, number: float) -> None:
    """Create and change tables so every table of ``target`` has its schema."""
    for name, table in target.items():
        current = editor.schema.get(name)
        if current is None:
            editor.create_table(table)
            continue
        if current is table:
            continue
        old_pk, new_pk = current.primary_key, table.primary_key
        if old_pk.key_path != new_pk.key_path or old_pk.auto != new_pk.auto:
            raise UpgradeError(
                f"upgrade to version {number}: cannot change the primary key of table "
                f"{name!r} ({old_pk.src!r} -> {new_pk.src!r}); delete the table in one "
                "version and create it again in a later one, copying the data in between",
                version=number,
            )
        editor.change_table(table)


def _populate_fn(db: Database, listeners: Sequence[Callable[[Any], Any]]) -> UpgradeFn:
    async def populate(_tx: Any) -> None:
        for fn in listeners:
            result = fn(db)
            if inspect.isawaitable(result):
                await result

    return populate


async def _run_in(db: Database, trans: CoreTransaction, number: float, fn: UpgradeFn) -> None:
    """Run ``fn(tx)`` with ``tx`` the current transaction (premature commits fail it)."""
    tx = Transaction(db, "versionchange", list(trans.tables), trans)
    token = current_transaction.set(tx)
    tx.arm()
    try:
        result = fn(tx)
        if inspect.isawaitable(result):
            await result
    finally:
        tx.disarm()
        current_transaction.reset(token)
    if tx.suspect and not tx.premature and tx.child_ops == 0:
        tx.commit_early()
    if tx.premature:
        raise PrematureCommitError(
            f"upgrade to version {number}: the upgrade function awaited something "
            "that is not a database operation"
        )
