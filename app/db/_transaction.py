"""Transactions: the current one travels in a ContextVar (Dexie's zone).

IndexedDB commits a transaction as soon as control returns to the event loop with no
request pending.  :class:`Transaction` reproduces that on every backend: when a
transaction starts, and again after each database operation, it schedules a probe
with ``loop.call_soon``.  The probe only runs if the body handed control back to the
event loop; if at that moment no database request is in flight, the body is awaiting
something else, so the transaction commits there and then (as IndexedDB would) and
the body gets :class:`PrematureCommitError` from its next database call or from the
end of the ``async with`` block.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._core import CoreTransaction, Mode
from .errors import (
    AbortError,
    DatabaseError,
    InvalidTableError,
    PrematureCommitError,
    ReadOnlyError,
    SubTransactionError,
    TransactionInactiveError,
)

if TYPE_CHECKING:
    from ._database import Database
    from ._table import Table

current_transaction: contextvars.ContextVar[Transaction | None] = contextvars.ContextVar(
    "app_db_transaction", default=None
)

_MODES: dict[str, Mode] = {
    "r": "r",
    "readonly": "r",
    "rw": "rw",
    "readwrite": "rw",
}


def parse_mode(mode: str) -> Mode:
    try:
        return _MODES[mode]
    except KeyError:
        raise ValueError(f"transaction mode must be 'r' or 'rw', not {mode!r}") from None


def table_names(tables: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for t in tables:
        if isinstance(t, (list, tuple)):
            out.extend(table_names(t))
        elif isinstance(t, str):
            out.append(t)
        elif hasattr(t, "name"):
            out.append(t.name)
        else:
            raise TypeError(f"not a table: {t!r}")
    seen: dict[str, None] = dict.fromkeys(out)
    return list(seen)


class Transaction:
    """A database transaction (explicit, implicit or upgrade)."""

    def __init__(self, db: Database, mode: Mode, tables: list[str], core: CoreTransaction) -> None:
        self.db = db
        self.mode: Mode = mode
        self.tables = tables
        self.core = core
        self.premature = False
        self.aborted = False
        self.failed: BaseException | None = None
        self._probe_queued = False
        self._probe_off = False
        #: A probe found nothing in flight; if the body itself continues, it awaited
        #: something foreign.
        self.suspect = False
        #: Operations by other tasks (gather) since the body's own last operation.
        self.child_ops = 0
        self.owner: Any = _current_task()

    # ---------------------------------------------------------- user API
    def table(self, name: str) -> Table:
        if name not in self.tables and name not in self.core.tables:
            raise InvalidTableError(f"table {name!r} is not part of this transaction")
        return self.db.table(name)

    def __getattr__(self, name: str) -> Table:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.table(name)
        except InvalidTableError as err:
            raise AttributeError(str(err)) from None

    @property
    def active(self) -> bool:
        return not self.core.done and not self.core._finishing and not self.premature

    def abort(self) -> None:
        """Abort: nothing written in this transaction is kept."""
        self.aborted = True
        self.disarm()
        self.core.abort(AbortError("the transaction was aborted by the code"))

    # ---------------------------------------------------------- internals
    def check(self, table: str, write: bool) -> None:
        """Raise unless ``table`` may be used (for writing, if ``write``) now."""
        if not self.premature:
            if _current_task() is self.owner:
                if self.suspect and self.child_ops == 0:
                    # the body itself resumed from a non-database await
                    self.commit_early()
                else:
                    self.child_ops = 0
                    self.suspect = False
            else:
                # a task the body started (e.g. asyncio.gather) is doing the work
                self.child_ops += 1
                self.suspect = False
        if self.premature:
            raise PrematureCommitError(
                f"table {table!r}: the transaction committed before its body finished "
                "(the body awaited something that is not a database operation)"
            )
        if self.core.done or self.core._finishing:
            if self.aborted or (self.core.error is not None and self.failed is None):
                raise AbortError(f"table {table!r}: the transaction was aborted", self.core.error)
            raise TransactionInactiveError(f"table {table!r}: the transaction is no longer active")
        if table not in self.tables and table not in self.core.tables:
            raise InvalidTableError(f"table {table!r} is not part of the current transaction")
        if write and self.mode == "r":
            raise ReadOnlyError(f"table {table!r}: cannot write in a read-only transaction")

    def arm(self) -> None:
        """Make sure a probe runs when the body next hands control to the event loop."""
        if self._probe_queued or self._probe_off:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._probe_queued = True
        loop.call_soon(self._on_probe, 1)

    def disarm(self) -> None:
        self._probe_off = True

    def _on_probe(self, phase: int) -> None:
        self._probe_queued = False
        if self._probe_off:
            return
        core = self.core
        if core.done or core._finishing:
            return
        if self._waits_on_foreign():
            self.commit_early()
            return
        if core.pending > 0:
            self.suspect = False
            return
        if phase == 1:
            # Nothing in flight. Give tasks the body may just have started (gather)
            # one turn to place their requests before deciding.
            self.suspect = True
            self._probe_queued = True
            asyncio.get_running_loop().call_soon(self._on_probe, 2)
            return
        if self.suspect and self.child_ops == 0:
            self.commit_early()

    def _waits_on_foreign(self) -> bool:
        """The body, or a task it waits on (``asyncio.gather``), is suspended on
        something that is not a database request (a bare ``yield`` such as
        ``asyncio.sleep(0)``, a timer, any other future)."""
        owner = self.owner
        if not isinstance(owner, asyncio.Task):
            return False
        return _foreign_task(owner, self.core.requests, 0)

    def commit_early(self) -> None:
        """The body is suspended on something that is not a database request:
        IndexedDB commits here, and so do we."""
        self.premature = True
        self.suspect = False
        core = self.core
        if core.done or core._finishing:
            return
        if core.mode == "versionchange":
            # never commit half an upgrade: fail it instead
            core.abort(
                PrematureCommitError("the upgrade function awaited a non-database operation")
            )
        else:
            core.finish()


_UNKNOWN = object()


def _foreign_task(task: asyncio.Task[Any], requests: set[asyncio.Future[Any]], depth: int) -> bool:
    if task.done() or depth > 64:
        return False
    try:
        state = inspect.getcoroutinestate(task.get_coro())  # type: ignore[arg-type]
    except (TypeError, AttributeError):  # not a plain coroutine: no verdict
        return False
    if state != inspect.CORO_SUSPENDED:  # not started yet, or running now
        return False
    # asyncio keeps what a suspended task waits on here (CPython and Pyodide alike)
    waiter = getattr(task, "_fut_waiter", _UNKNOWN)
    if waiter is _UNKNOWN:
        return False
    if waiter is None:  # a bare yield: it runs again next turn, after a foreign await
        return True
    if not isinstance(waiter, asyncio.Future):
        return False
    return _foreign_future(waiter, requests, depth + 1)


def _foreign_future(
    fut: asyncio.Future[Any], requests: set[asyncio.Future[Any]], depth: int
) -> bool:
    if fut.done() or fut in requests:
        return False
    if isinstance(fut, asyncio.Task):
        return _foreign_task(fut, requests, depth)
    children = getattr(fut, "_children", None)  # what asyncio.gather waits for
    if isinstance(children, list):
        return any(_foreign_future(c, requests, depth + 1) for c in children)
    return True


def _current_task() -> Any:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


class TransactionScope:
    """``async with db.transaction("rw", db.a, db.b): ...`` (or awaited with a body fn)."""

    def __init__(self, db: Database, mode: str, tables: list[str], body: Any = None) -> None:
        self.db = db
        self.mode = parse_mode(mode)
        self.tables = tables
        self.body = body
        self.tx: Transaction | None = None
        self._token: contextvars.Token[Transaction | None] | None = None
        self._nested = False

    async def __aenter__(self) -> Transaction:
        db = self.db
        parent = current_transaction.get()
        if parent is not None and parent.db is db and parent.active:
            missing = [
                t for t in self.tables if t not in parent.tables and t not in parent.core.tables
            ]
            if missing:
                raise SubTransactionError(
                    f"table(s) {', '.join(map(repr, missing))} not included in the parent transaction"
                )
            if self.mode == "rw" and parent.mode == "r":
                raise SubTransactionError(
                    "cannot enter a read-write transaction inside a read-only one"
                )
            self._nested = True
            self.tx = parent
            return parent
        if parent is not None and parent.db is db and parent.premature:
            raise PrematureCommitError(
                "the enclosing transaction already committed (its body awaited a non-database operation)"
            )
        await db.open()
        for t in self.tables:
            db.table(t)  # raises InvalidTableError for unknown tables
        core = db._current_core().transaction(self.tables, self.mode)
        tx = Transaction(db, self.mode, self.tables, core)
        self.tx = tx
        self._token = current_transaction.set(tx)
        tx.arm()
        return tx

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        tx = self.tx
        assert tx is not None
        if self._nested:
            if exc is not None and tx.active:
                tx.failed = exc
                tx.core.abort(AbortError(f"aborted by an exception in a nested block: {exc!r}"))
            return
        assert self._token is not None
        current_transaction.reset(self._token)
        tx.disarm()
        core = tx.core
        if exc is not None:
            if not core.done:
                tx.failed = exc
                core.abort(AbortError(f"aborted by {type(exc).__name__}: {exc}"))
            try:
                await core.wait()
            except DatabaseError:
                pass
            if tx.premature and not isinstance(exc, DatabaseError):
                raise PrematureCommitError(
                    "the transaction committed before its body finished", exc
                ) from exc
            return
        if tx.suspect and not tx.premature and tx.child_ops == 0:
            tx.commit_early()
        if tx.premature:
            try:
                await core.wait()
            except DatabaseError:
                pass
            raise PrematureCommitError(
                "the transaction committed before its body finished: the body awaited "
                "something that is not a database operation"
            )
        if not core.done:
            core.finish()
        try:
            await core.wait()
        except AbortError:
            if tx.failed is None:
                raise
            # a nested block failed (and its caller caught it): as Dexie rejects the
            # parent with the sub-transaction's error, the outer block ends with it too
            raise tx.failed from None

    def __await__(self) -> Any:
        return self._run().__await__()

    async def _run(self) -> Any:
        if self.body is None:
            raise TypeError("db.transaction(...) needs a body function to be awaited")
        async with self as tx:
            result = self.body(tx) if _wants_arg(self.body) else self.body()
            if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
                result = await result
        return result


def _wants_arg(fn: Any) -> bool:
    import inspect

    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
        for p in params.values()
    )
