"""app.db — a Dexie-style database over IndexedDB (browser) or memory (CPython).

>>> db = Database("t", backend="memory")
>>> db.version(1).stores({"friends": "++id, name, *tags"})  # doctest: +ELLIPSIS
<...>
"""

from . import errors
from ._backend import VersionChangeEvent
from ._collection import DELETE, Collection
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
from ._database import Database
from ._key_range import KeyRange
from ._keys import cmp
from ._live_query import LiveQuery, live_query
from ._observe import Change
from ._table import Table
from ._transaction import Transaction
from ._version import Version
from ._where_clause import WhereClause

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
