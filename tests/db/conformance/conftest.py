"""Fixtures for the app.db conformance suite (CPython: memory backend; browser: IndexedDB)."""

from __future__ import annotations

import itertools
import os
import random

import pytest

from app.db import Database

from ._util import open_probes

_counter = itertools.count()
_RUN = f"{os.getpid()}-{random.randrange(1 << 30)}"

SCHEMA = {
    "friends": "++id, name, age, *tags, [name+age], address.city",
    "items": "id, &code, category, [category+price]",
    "kv": "",
    "logs": "++",
}


def unique_name(prefix: str = "conf") -> str:
    return f"{prefix}-{_RUN}-{next(_counter)}"


@pytest.fixture(autouse=True)
def _close_probes():
    """A test that failed half-way leaves no live query running into the next one."""
    yield
    while open_probes:
        open_probes.pop().off()


@pytest.fixture
async def make_db():
    """Factory: ``make_db(name=None)`` -> a new, unopened Database; all deleted afterwards."""
    made: list[Database] = []

    def make(name: str | None = None, **kwargs) -> Database:
        db = Database(name or unique_name(), **kwargs)
        made.append(db)
        return db

    yield make
    names = []
    for db in made:
        db.close()
        if db.name not in names:
            names.append(db.name)
    for name in names:
        await Database(name).delete()


@pytest.fixture
async def db(make_db):
    """An open database with the standard test schema."""
    d = make_db()
    d.version(1).stores(SCHEMA)
    await d.open()
    return d


FRIENDS = [
    {"name": "Alice", "age": 31, "tags": ["a", "b"], "address": {"city": "Oslo"}},
    {"name": "bob", "age": 25, "tags": ["b"], "address": {"city": "Bergen"}},
    {"name": "Carol", "age": 42, "tags": [], "address": {"city": "Oslo"}},
    {"name": "dave", "age": 25, "tags": ["c", "a"]},
    {"name": "Eve", "age": 19},
    {"name": "Ärger", "age": 50, "tags": ["ä"]},
]


@pytest.fixture
async def friends(db):
    """The database with FRIENDS loaded (ids 1..6)."""
    await db.friends.bulk_add([dict(f) for f in FRIENDS])
    return db


#: The two users of Dexie's own test files (``users: "++id, first, last, &username,
#: *&email, *pets"``), for the modules that follow them.
DEXIE_USERS = [
    {
        "first": "David",
        "last": "Fahlander",
        "username": "dfahlander",
        "email": ["david@awarica.com", "daw@thridi.com"],
        "pets": ["dog"],
    },
    {
        "first": "Karl",
        "last": "Cedersköld",
        "username": "kceder",
        "email": ["karl@ceder.what", "dadda@ceder.what"],
        "pets": [],
    },
]
DEXIE_USERS_SCHEMA = "++id, first, last, &username, *&email, *pets"
