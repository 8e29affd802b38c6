"""The slice of pytest that browser-run test modules use, for Pyodide (shipped as ``pytest``).

Fixtures (function scope; sync, async, generator and async-generator; autouse), marks
(``parametrize``, ``skip``, ``skipif`` and any other name), ``param``, ``raises``,
``approx``, ``skip``, ``fail``; ``monkeypatch`` is a built-in fixture of the runner.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["approx", "fail", "fixture", "mark", "param", "raises", "skip"]

version = "shim"


class Skipped(Exception):
    pass


class Failed(AssertionError):
    pass


def skip(reason: str = "", *, allow_module_level: bool = False) -> None:
    raise Skipped(reason)


def fail(reason: str = "", pytrace: bool = True) -> None:
    raise Failed(reason)


@dataclass
class FixtureDef:
    name: str
    func: Callable[..., Any]
    autouse: bool = False


def fixture(func: Callable[..., Any] | None = None, *, name: str | None = None,
            autouse: bool = False, scope: str = "function", **_: Any) -> Any:
    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn._lk_fixture = FixtureDef(name or fn.__name__, fn, autouse)  # type: ignore[attr-defined]
        return fn

    return wrap(func) if func is not None else wrap


@dataclass
class Mark:
    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


class MarkDecorator:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and callable(args[0]) and not kwargs and self.name not in {
                "skipif", "parametrize"}:
            return self._apply(args[0], Mark(self.name))
        mark_ = Mark(self.name, args, kwargs)
        return _Applied(mark_)

    def _apply(self, obj: Any, mark_: Mark) -> Any:
        obj.pytestmark = [*getattr(obj, "pytestmark", []), mark_]
        return obj


class _Applied:
    def __init__(self, mark_: Mark) -> None:
        self.mark = mark_
        self.name, self.args, self.kwargs = mark_.name, mark_.args, mark_.kwargs

    def __call__(self, obj: Any) -> Any:
        obj.pytestmark = [*getattr(obj, "pytestmark", []), self.mark]
        return obj


class _MarkGenerator:
    def __getattr__(self, name: str) -> MarkDecorator:
        return MarkDecorator(name)


mark = _MarkGenerator()


@dataclass
class ParameterSet:
    values: tuple[Any, ...]
    marks: tuple[Any, ...] = ()
    id: str | None = None


def param(*values: Any, marks: Any = (), id: str | None = None) -> ParameterSet:
    marks = tuple(marks) if isinstance(marks, list | tuple) else (marks,)
    return ParameterSet(values, tuple(getattr(m, "mark", m) for m in marks), id)


class ExceptionInfo:
    def __init__(self) -> None:
        self.value: BaseException | None = None
        self.type: type[BaseException] | None = None

    def match(self, pattern: str) -> bool:
        assert re.search(pattern, str(self.value)), f"{pattern!r} not found in {self.value!s}"
        return True


class _Raises:
    def __init__(self, expected: Any, match: str | None) -> None:
        self.expected, self.pattern, self.info = expected, match, ExceptionInfo()

    def __enter__(self) -> ExceptionInfo:
        return self.info

    def __exit__(self, kind: Any, value: Any, tb: Any) -> bool:
        if kind is None:
            raise Failed(f"DID NOT RAISE {self.expected}")
        if not issubclass(kind, self.expected):
            return False
        self.info.value, self.info.type = value, kind
        if self.pattern is not None and not re.search(self.pattern, str(value)):
            raise Failed(f"Regex pattern {self.pattern!r} did not match {str(value)!r}")
        return True


def raises(expected: Any, *args: Any, match: str | None = None, **kwargs: Any) -> Any:
    context = _Raises(expected, match)
    if args:
        with context:
            args[0](*args[1:], **kwargs)
        return context.info
    return context


class approx:
    def __init__(self, expected: Any, rel: float | None = None, abs: float | None = None) -> None:
        self.expected, self.rel, self.abs = expected, rel, abs

    def _close(self, a: Any, b: Any) -> bool:
        if isinstance(b, dict):
            return isinstance(a, dict) and a.keys() == b.keys() and all(
                self._close(a[k], b[k]) for k in b)
        if isinstance(b, Iterable) and not isinstance(b, str | bytes):
            a, b = list(a), list(b)
            return len(a) == len(b) and all(self._close(x, y) for x, y in zip(a, b, strict=True))
        rel = 1e-6 if self.rel is None else self.rel
        abs_ = 1e-12 if self.abs is None else self.abs
        return bool(a == b or math.isclose(a, b, rel_tol=rel, abs_tol=abs_))

    def __eq__(self, other: object) -> bool:
        return self._close(other, self.expected)

    def __repr__(self) -> str:
        return f"approx({self.expected!r})"
