"""Hash routing: pure matching (``match``/``href``) and a ``Router`` bound to the location.

Routes live in the URL hash (``#/characters/<id>``), so any static host serves the app
and back/forward are the browser's own history. Ids are percent-encoded in hrefs and
decoded when matched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote

from ._dom import Dom, Unlisten

if TYPE_CHECKING:
    from ._context import Readable

__all__ = [
    "DEFAULT_PATH",
    "NOT_FOUND",
    "ROUTES",
    "Match",
    "Route",
    "Router",
    "href",
    "match",
    "split_hash",
]

NOT_FOUND = "not_found"
DEFAULT_PATH = "/characters"


@dataclass(frozen=True, slots=True)
class Route:
    """A named pattern; ``{name}`` segments capture one path segment each."""

    name: str
    pattern: str

    @property
    def segments(self) -> tuple[str, ...]:
        return _split(self.pattern)

    def match(self, path: str) -> dict[str, str] | None:
        parts = _split(path)
        pattern = self.segments
        if len(parts) != len(pattern):
            return None
        params: dict[str, str] = {}
        for want, got in zip(pattern, parts, strict=True):
            if want.startswith("{") and want.endswith("}"):
                value = unquote(got)
                if not value:
                    return None
                params[want[1:-1]] = value
            elif want != got:
                return None
        return params

    def href(self, **params: str) -> str:
        out = []
        for seg in self.segments:
            if seg.startswith("{") and seg.endswith("}"):
                out.append(quote(str(params[seg[1:-1]]), safe=""))
            else:
                out.append(seg)
        return "#/" + "/".join(out)


ROUTES: tuple[Route, ...] = (
    Route("characters", "/characters"),
    Route("character", "/characters/{id}"),
    Route("chat", "/chats/{id}"),
    Route("series_list", "/series"),
    Route("series", "/series/{id}"),
    Route("story", "/stories/{id}"),
    Route("global_lorebook", "/lorebook/global"),
    Route("settings", "/settings"),
)


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
        """What identifies the screen: the route and its params, not the query."""
        return self.name, tuple(sorted(self.params.items()))


def _split(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split("/") if p)


def split_hash(hash: str) -> tuple[str, dict[str, str]]:
    """``"#/a/b?q=1"`` → ``("/a/b", {"q": "1"})``."""
    raw = hash[1:] if hash.startswith("#") else hash
    path, _, query = raw.partition("?")
    return "/" + "/".join(_split(path)), dict(parse_qsl(query))


def match(hash: str, routes: tuple[Route, ...] = ROUTES) -> Match:
    """Resolve a location hash to a route (or ``NOT_FOUND``)."""
    path, query = split_hash(hash)
    for route in routes:
        params = route.match(path)
        if params is not None:
            return Match(route.name, params, path, query)
    return Match(NOT_FOUND, {}, path, query)


def href(name: str, routes: tuple[Route, ...] = ROUTES, **params: str) -> str:
    """The hash for route ``name`` with ``params`` (``href("character", id=x)``)."""
    for route in routes:
        if route.name == name:
            return route.href(**params)
    raise KeyError(f"no route named {name!r}")


class Router:
    """Follows the location hash; ``current`` is a readable store of the :class:`Match`.

    An empty hash is replaced (no history entry) by ``default``; ``navigate`` pushes a
    history entry, so back and forward walk the screens the person visited.
    """

    def __init__(
        self, dom: Dom, routes: tuple[Route, ...] = ROUTES, default: str = DEFAULT_PATH
    ) -> None:
        from app.reactive import readonly, writable

        self._dom = dom
        self.routes = routes
        self.default = default
        self._current = writable(self._resolve(), equals=_same_match)
        self.current: Readable[Match] = readonly(self._current)
        self._unlisten: Unlisten | None = None

    def _resolve(self) -> Match:
        hash = self._dom.get_hash()
        if split_hash(hash)[0] == "/" and self.default:
            self._dom.replace_hash("#" + self.default)
            hash = "#" + self.default
        return match(hash, self.routes)

    def start(self) -> Callable[[], None]:
        """Listen for location changes; returns (and remembers) the stop function."""
        if self._unlisten is None:
            self._unlisten = self._dom.listen(self._dom.window, "hashchange", self._on_change)
            self.refresh()
        return self.stop

    def stop(self) -> None:
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None

    def refresh(self) -> None:
        self._current.set(self._resolve())

    def _on_change(self, _event: Any = None) -> None:
        self.refresh()

    def navigate(self, target: str) -> None:
        """Go to ``target`` (``"/characters/1"`` or ``"#/characters/1"``), adding history."""
        hash = target if target.startswith("#") else "#" + target
        if hash != self._dom.get_hash():
            self._dom.push_hash(hash)
        self.refresh()  # hashchange arrives later in a browser; the store is equal then

    def href(self, name: str, **params: str) -> str:
        return href(name, self.routes, **params)


def _same_match(a: Match, b: Match) -> bool:
    return a == b
