"""What a transaction wrote, as other connections and live queries need to know it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._key_path import index_keys
from ._keys import Encoded
from ._schema import TableSchema

__all__ = ["BATCH_KEYS", "TableWrites", "Writes"]

#: Beyond this many keys in one table and transaction, the keys are not kept for other
#: connections: they hear "the table changed" (as after a clear).
BATCH_KEYS = 1000


@dataclass(slots=True)
class TableWrites:
    """The keys one transaction wrote in one table (``all``: not known, any may have)."""

    all: bool = False
    #: Rows went by a key range (``clear``, a range delete): other connections hear no
    #: keys for the table, even when this connection read them.
    ranged: bool = False
    #: Old index keys were not read (nobody listened in this tab): readers that did
    #: not record the primary keys they saw must assume they are affected.
    unknown_old: bool = False
    pks: set[Encoded] = field(default_factory=set)
    #: Values written (old and new), their index keys not yet worked out: that waits
    #: until a reader asks (`index_keys`), and is skipped when the writes become ``all``.
    _values: list[tuple[TableSchema, Any]] = field(default_factory=list)
    _index_keys: dict[str, set[Encoded]] = field(default_factory=dict)

    def add_value(self, schema: TableSchema, epk: Encoded, value: Any) -> None:
        """Note a write of ``value`` (old or new) at primary key ``epk`` (the value is
        the transaction's own copy: it is read later)."""
        self.pks.add(epk)
        if value is not None:
            self._values.append((schema, value))

    def forget_keys(self) -> None:
        """Every reader of the table hears it changed: no key is kept."""
        self.all = True
        self.pks.clear()
        self._values.clear()
        self._index_keys.clear()

    def settle(self) -> None:
        """Work out the index keys of the values written so far (at commit, before
        anybody is handed the values)."""
        if self.all:
            self._values.clear()
            return
        out = self._index_keys
        for schema, value in self._values:
            for name, spec in schema.indexes.items():
                assert spec.key_path is not None
                ks = index_keys(value, spec.key_path, spec.multi)
                if ks:
                    out.setdefault(name, set()).update(ks)
        self._values.clear()

    @property
    def index_keys(self) -> dict[str, set[Encoded]]:
        """Index name -> the encoded keys the written values have in it."""
        self.settle()
        return self._index_keys


#: (database name, table name) -> writes
Writes = dict[tuple[str, str], TableWrites]
