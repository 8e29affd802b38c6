"""Random operation sequences against the memory backend vs. a trivial reference model.

CPython only (uses hypothesis). The model is a dict of primary key -> record; every
query is answered by brute force over it, with IndexedDB ordering written out by hand.
"""

from __future__ import annotations

import asyncio
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db import Database
from app.db.errors import BulkError, ConstraintError

_names = itertools.count()

ids = st.integers(min_value=0, max_value=15)
scalars = st.one_of(
    st.integers(min_value=-5, max_value=5),
    st.sampled_from(["", "a", "B", "ab", "b", "é", "😀", "\uffff"]),
)
records = st.fixed_dictionaries(
    {"id": ids},
    optional={"a": scalars, "u": st.integers(0, 6), "tags": st.lists(scalars, max_size=3)},
)

ops = st.one_of(
    st.tuples(st.just("put"), records),
    st.tuples(st.just("add"), records),
    st.tuples(st.just("bulk_put"), st.lists(records, max_size=5)),
    st.tuples(st.just("delete"), ids),
    st.tuples(
        st.just("update"),
        ids,
        st.fixed_dictionaries({}, optional={"a": scalars, "u": st.integers(0, 6)}),
    ),
    st.tuples(st.just("clear")),
    st.tuples(
        st.just("range"),
        st.sampled_from(["id", "a", "tags"]),
        scalars,
        scalars,
        st.booleans(),
        st.booleans(),
    ),
    st.tuples(st.just("equals"), st.sampled_from(["id", "a", "tags", "u"]), scalars),
    st.tuples(st.just("any_of"), st.sampled_from(["a", "tags"]), st.lists(scalars, max_size=3)),
    st.tuples(st.just("starts_with"), st.sampled_from(["", "a", "b", "\uffff"])),
    st.tuples(
        st.just("page"),
        st.sampled_from(["id", "a", "u"]),
        st.booleans(),
        st.integers(0, 5),
        st.integers(0, 8),
    ),
    st.tuples(st.just("count_above"), st.sampled_from(["a", "u"]), scalars),
    st.tuples(st.just("rollback"), records),
)


def order_key(v):
    """IndexedDB order for ints and strings, spelled out independently of app.db."""
    if isinstance(v, int):
        return (0, v, ())
    return (1, 0, tuple(v.encode("utf-16-be", "surrogatepass")))


class Model:
    def __init__(self):
        self.rows: dict[int, dict] = {}

    def unique_ok(self, rec):
        if "u" not in rec:
            return True
        return not any(r.get("u") == rec["u"] and k != rec["id"] for k, r in self.rows.items())

    def entries(self, index):
        """(index key, pk) pairs for an index, ordered."""
        out = []
        for pk, r in self.rows.items():
            if index == "id":
                out.append((pk, pk))
            elif index == "tags":
                seen = set()
                for t in r.get("tags", []):
                    if (type(t), t) not in seen:
                        seen.add((type(t), t))
                        out.append((t, pk))
            elif index in r:
                out.append((r[index], pk))
        out.sort(key=lambda e: (order_key(e[0]), e[1]))
        return out


async def run(sequence):
    db = Database(f"model-{next(_names)}", backend="memory")
    db.version(1).stores({"t": "id, a, &u, *tags"})
    model = Model()
    t = db.t
    try:
        for op in sequence:
            kind = op[0]
            if kind in ("put", "add"):
                rec = dict(op[1])
                exists = rec["id"] in model.rows
                ok = model.unique_ok(rec) and not (kind == "add" and exists)
                try:
                    await getattr(t, kind)(dict(rec))
                    assert ok, (op, "should have failed")
                    model.rows[rec["id"]] = rec
                except ConstraintError:
                    assert not ok, op
            elif kind == "bulk_put":
                failed = []
                for i, rec in enumerate(op[1]):
                    if model.unique_ok(rec):
                        model.rows[rec["id"]] = dict(rec)
                    else:
                        failed.append(i)
                try:
                    await t.bulk_put([dict(r) for r in op[1]])
                    assert not failed
                except BulkError as e:
                    assert list(e.failures_by_pos) == failed
            elif kind == "delete":
                model.rows.pop(op[1], None)
                await t.delete(op[1])
            elif kind == "update":
                changes = op[2]
                cur = model.rows.get(op[1])
                expect = 0
                if cur is not None:
                    new = {**cur, **changes}
                    if model.unique_ok(new):
                        expect = int(new != cur)
                        try:
                            n = await t.update(op[1], changes)
                        except BulkError:
                            raise AssertionError(op) from None
                        model.rows[op[1]] = new
                        assert n == expect, op
                        continue
                    try:
                        await t.update(op[1], changes)
                        raise AssertionError(("should fail", op))
                    except BulkError:
                        continue
                assert await t.update(op[1], changes) == 0
            elif kind == "clear":
                model.rows.clear()
                await t.clear()
            elif kind == "rollback":
                try:
                    async with db.transaction("rw", t):
                        await t.put(dict(op[1]))
                        raise RuntimeError
                except (RuntimeError, ConstraintError):
                    pass
            elif kind == "range":
                _, index, lo, hi, il, iu = op
                got = await t.where(index).between(lo, hi, il, iu).primary_keys()
                klo, khi = order_key(lo), order_key(hi)
                exp = [
                    pk
                    for k, pk in model.entries(index)
                    if (klo < order_key(k) or (il and klo == order_key(k)))
                    and (order_key(k) < khi or (iu and order_key(k) == khi))
                ]
                if klo > khi or (klo == khi and not (il and iu)):
                    exp = []
                assert got == exp, (op, got, exp)
            elif kind == "equals":
                _, index, v = op
                got = await t.where(index).equals(v).primary_keys()
                exp = [pk for k, pk in model.entries(index) if order_key(k) == order_key(v)]
                assert got == exp, op
            elif kind == "any_of":
                _, index, vs = op
                got = await t.where(index).any_of(vs).primary_keys()
                want = {order_key(v) for v in vs}
                exp = [pk for k, pk in model.entries(index) if order_key(k) in want]
                assert got == exp, op
            elif kind == "starts_with":
                got = await t.where("a").starts_with(op[1]).primary_keys()
                exp = [
                    pk
                    for k, pk in model.entries("a")
                    if isinstance(k, str)
                    and k.startswith(op[1])
                    and (k[len(op[1]) :] == "\uffff" or not k[len(op[1]) :].startswith("\uffff"))
                ]
                assert got == exp, op
            elif kind == "page":
                _, index, rev, off, lim = op
                coll = t.order_by(index)
                if rev:
                    coll = coll.reverse()
                got = await coll.offset(off).limit(lim).to_array()
                ents = model.entries(index)
                if rev:
                    ents = ents[::-1]
                exp = [model.rows[pk] for _k, pk in ents][off : off + lim]
                assert got == exp, op
            elif kind == "count_above":
                _, index, v = op
                got = await t.where(index).above(v).count()
                exp = sum(1 for k, _pk in model.entries(index) if order_key(k) > order_key(v))
                assert got == exp, op
        assert await t.to_array() == [model.rows[k] for k in sorted(model.rows)]
        assert await t.count() == len(model.rows)
    finally:
        await db.delete()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ops, max_size=40))
def test_random_sequences_match_model(sequence):
    asyncio.run(run(sequence))
