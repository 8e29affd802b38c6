from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._support import Harness, make_harness


@pytest.fixture
def harness() -> Iterator[Harness]:
    h = make_harness()
    yield h
    h.close()
