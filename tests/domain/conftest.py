"""Fixtures: a fresh memory database per test and the domain registered on it."""

from __future__ import annotations

import pytest

from app.domain import open_domain
from tests.domain._support import FakeClock, memory_db


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
