"""Routes: pure matching of a location hash (``match``) and building one (``href``).

Routes live in the URL hash (``#/characters/<id>``), so any static host serves the app
and back/forward are the browser's own history. Ids are percent-encoded in hrefs and
decoded when matched. A segment ``{name}`` captures one segment; ``{name:a|b|c}``
captures only one of the listed values (Starlette's convertors, trimmed to a choice).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote

__all__ = ["NOT_FOUND", "Match", "Route", "href", "match", "split_hash"]

NOT_FOUND = "not_found"
"""The name of the match for a location no route claims."""


@dataclass(frozen=True, slots=True)
class _Segment:
    text: str  # the literal text, or the parameter's name
    param: bool = False
    choices: frozenset[str] | None = None

    @classmethod
    def parse(cls, raw: str) -> _Segment:
        if not (raw.startswith("{") and raw.endswith("}")):
            return cls(raw)
        name, colon, options = raw[1:-1].partition(":")
        return cls(name, True, frozenset(options.split("|")) if colon else None)


@dataclass(frozen=True, slots=True)
class Route:
    """A named pattern: ``Route("character", "/characters/{id}")``."""

    name: str
    pattern: str
    _segments: tuple[_Segment, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_segments", tuple(_Segment.parse(s) for s in _split(self.pattern))
        )

    @property
    def params(self) -> tuple[str, ...]:
        """The names of the parameters, in order."""
        return tuple(s.text for s in self._segments if s.param)

    def match(self, path: str) -> dict[str, str] | None:
        parts = _split(path)
        if len(parts) != len(self._segments):
            return None
        params: dict[str, str] = {}
        for want, got in zip(self._segments, parts, strict=True):
            if want.param:
                value = unquote(got)
                if not value or (want.choices is not None and value not in want.choices):
                    return None
                params[want.text] = value
            elif want.text != got:
                return None
        return params

    def href(self, **params: str) -> str:
        out = []
        for seg in self._segments:
            if seg.param:
                value = str(params[seg.text])
                if seg.choices is not None and value not in seg.choices:
                    raise ValueError(f"{seg.text}={value!r} is not one of {sorted(seg.choices)}")
                out.append(quote(value, safe=""))
            else:
                out.append(seg.text)
        return "#/" + "/".join(out)


@dataclass(frozen=True, slots=True)
class Match:
    """The route a location resolved to (``name == NOT_FOUND`` when none did)."""

    name: str
    params: Mapping[str, str] = field(default_factory=dict)
    path: str = "/"
    query: Mapping[str, str] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.name != NOT_FOUND

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What identifies the page: the route and its params (for an unknown location,
        its path), not the query."""
        if not self.found:
            return self.name, (("path", self.path),)
        return self.name, tuple(sorted(self.params.items()))

    @property
    def address(self) -> str:
        """The location as a person reads it: ``#/characters/abc``."""
        return "#" + self.path


def _split(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split("/") if p)


def split_hash(hash: str) -> tuple[str, dict[str, str]]:
    """``"#/a/b?q=1"`` → ``("/a/b", {"q": "1"})``."""
    raw = hash[1:] if hash.startswith("#") else hash
    path, _, query = raw.partition("?")
    return "/" + "/".join(_split(path)), dict(parse_qsl(query))


def match(hash: str, routes: Iterable[Route]) -> Match:
    """Resolve a location hash to the first route that claims it (or ``NOT_FOUND``)."""
    path, query = split_hash(hash)
    for route in routes:
        params = route.match(path)
        if params is not None:
            return Match(route.name, params, path, query)
    return Match(NOT_FOUND, {}, path, query)


def href(routes: Iterable[Route], name: str, **params: str) -> str:
    """The hash for route ``name`` with ``params``."""
    for route in routes:
        if route.name == name:
            return route.href(**params)
    raise KeyError(f"no route named {name!r}")
