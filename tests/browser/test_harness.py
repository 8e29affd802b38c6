"""The in-browser harness itself, checked in CPython (the shim and case expansion)."""

from __future__ import annotations

import pytest

from tests.browser import _cases, pytest_shim

RUN_IN_BROWSER = True


@pytest.mark.parametrize("a", [1, 2])
@pytest.mark.parametrize("b", ["x", "y"], ids=["ex", "why"])
def test_stacked_parametrize_is_seen(a: int, b: str) -> None:
    assert a in (1, 2) and b in ("x", "y")


def test_cases_expand_stacked_marks_in_a_stable_order() -> None:
    @pytest_shim.mark.parametrize("a", [1, pytest_shim.param(2, id="two")])
    @pytest_shim.mark.parametrize("b, c", [("p", 0.5), ("q", None)])
    def fn(a: int, b: str, c: float | None) -> None: ...

    got = [(c.id, c.params) for c in _cases.cases(fn)]
    assert [g[0] for g in got] == ["p-0.5-1", "p-0.5-two", "q-None-1", "q-None-two"]
    assert got[1][1] == {"b": "p", "c": 0.5, "a": 2}


def test_shim_raises_matches_and_exposes_value() -> None:
    with pytest_shim.raises(ValueError, match="bad") as info:
        raise ValueError("a bad thing")
    assert isinstance(info.value, ValueError)
    with pytest.raises(pytest_shim.Failed):
        with pytest_shim.raises(KeyError):
            pass


def test_shim_approx_handles_numbers_and_sequences() -> None:
    assert 0.1 + 0.2 == pytest_shim.approx(0.3)
    assert [1.0, 2.0000000001] == pytest_shim.approx([1, 2])
    assert 1.1 != pytest_shim.approx(1.0)


@pytest.fixture
def numbers() -> list[int]:
    return [1, 2, 3]


@pytest.fixture
async def doubled(numbers: list[int]):  # async generator fixture with teardown
    values = [n * 2 for n in numbers]
    yield values
    values.clear()


async def test_async_fixtures_chain(doubled: list[int]) -> None:
    assert doubled == [2, 4, 6]


def test_monkeypatch_is_undone(monkeypatch: pytest.MonkeyPatch) -> None:
    import math

    monkeypatch.setattr(math, "tau", 7)
    assert math.tau == 7
