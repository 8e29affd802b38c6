"""positional_arity: the code-object fast path agrees with the inspect.signature path."""

from __future__ import annotations

import functools

import pytest

from app.reactive._store import arity_by_signature as _by_signature
from app.reactive._store import positional_arity

RUN_IN_BROWSER = True


class _Thing:
    def one(self, a):
        return a

    def two_default(self, a, b=1):
        return a

    def star(self, *args):
        return args

    def __call__(self, a, b):
        return a


def _decorated(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


@_decorated
def _wrapped(a, b, c=1):
    return a


CALLABLES = [
    lambda: 0,
    lambda a: a,
    lambda a, b: a,
    lambda a, b, c: a,
    lambda a, b=1: a,
    lambda *a: a,
    lambda a, *rest: a,
    lambda a, b, c, d, *rest: a,
    lambda a, /, b, *, c: a,
    lambda *, k: k,
    lambda a, **kw: a,
    _Thing().one,
    _Thing().two_default,
    _Thing().star,
    _Thing(),
    _wrapped,
    functools.partial(lambda a, b, c: a, 1),
    print,
    len,
]


@pytest.mark.parametrize("index", range(len(CALLABLES)))
def test_fast_arity_matches_the_signature(index: int) -> None:
    fn = CALLABLES[index]
    assert positional_arity(fn) == _by_signature(fn)
