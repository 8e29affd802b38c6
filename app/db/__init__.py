"""app.db — a Dexie-style database over IndexedDB (browser) or memory (CPython).

>>> db = Database("t", backend="memory")
>>> db.version(1).stores({"friends": "++id, name, *tags"})  # doctest: +ELLIPSIS
<...>
"""

from . import errors
from ._collection import DELETE, Collection, WhereClause
from ._core import (
    CoreTransaction,
    DBCore,
    DBCoreLayer,
    DBCoreTable,
    DBCoreTableLayer,
    MutateRequest,
    MutateResponse,
    QueryRequest,
    QueryResponse,
)
from ._database import Database, Version, VersionChangeEvent
from ._keys import KeyRange, cmp
from ._live_query import LiveQuery, live_query
from ._observe import Change
from ._table import Table
from ._transaction import Transaction

__all__ = [
    "DELETE",
    "Change",
    "Collection",
    "CoreTransaction",
    "DBCore",
    "DBCoreLayer",
    "DBCoreTable",
    "DBCoreTableLayer",
    "Database",
    "KeyRange",
    "LiveQuery",
    "MutateRequest",
    "MutateResponse",
    "QueryRequest",
    "QueryResponse",
    "Table",
    "Transaction",
    "Version",
    "VersionChangeEvent",
    "WhereClause",
    "cmp",
    "errors",
    "live_query",
]
