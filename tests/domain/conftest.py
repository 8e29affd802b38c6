"""Fixtures: a fresh memory database per test and the domain registered on it (or, for
storage faults, on it behind a `FaultInjector`)."""

from __future__ import annotations

import pytest

from app.domain import open_domain
from tests.domain._support import FakeClock, FaultInjector, memory_db


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
async def db():
    database = memory_db()
    yield database
    await database.delete()


@pytest.fixture
async def domain(db, clock):
    domain = await open_domain(db, clock=clock)
    yield domain
    domain.store.close()


@pytest.fixture
async def faulty(db):
    """(domain, injector): the domain on `db` behind a `FaultInjector` layer."""
    injector = FaultInjector()
    db.use(injector)
    domain = await open_domain(db)
    yield domain, injector
    domain.store.close()
