"""The lore matcher: which entries a text activates, and why the others were left out."""

from __future__ import annotations

import asyncio
import gc
import random
from bisect import bisect_right
from collections.abc import Generator, Iterable, Sequence
from operator import attrgetter
from typing import Any

from ._cache import LayerCache, LayerKey
from ._entry import level_rank
from ._index import BUILD_SLICE, PRIMARY, LayerIndex, PreparedText, prime
from ._options import MatchOptions
from ._regex_run import Outcome, RegexJob, RegexRunner, default_runner, js_check
from ._run import SEPARATOR, RegexBatch, Run
from ._scan_context import ScanContext
from ._trace import ScanResult

__all__ = ["SEPARATOR", "Matcher"]

#: Entry contents whose key hits each layer index remembers (rescans then recurse for free).
CONTENT_CACHE_SIZE = 50_000
_UNSET: Any = object()
#: (entry number, PRIMARY/SECONDARY, key index, key, start, end)
_ContentHit = tuple[int, int, int, str, int, int]
_NO_CONTEXT = ScanContext()
_LAYER_KEY = attrgetter("level", "scope_id")


def _next_batch(
    steps: Generator[RegexBatch, list[Outcome], None], outcomes: list[Outcome] | None
) -> RegexBatch | None:
    """The scan's next batch of regex keys to run (given the last one's outcomes), or None
    when the scan is done."""
    try:
        return steps.send(outcomes) if outcomes is not None else next(steps)
    except StopIteration:
        return None


class Matcher:
    """Index over every entry a scope sees; `scan` finds the entries a text activates.

    Entries are grouped into layers by `(level, scope_id)`; each layer's index comes from
    `cache` (pass the app's long-lived `LayerCache` so unchanged layers are not rebuilt).
    `regex` runs regex keys (default: the browser's `RegExp` in Pyodide, `re` in CPython,
    both with a time limit per key). `await Matcher.build(...)` builds the same matcher a
    slice of entries at a time, giving the event loop a turn between slices.
    """

    def __init__(
        self,
        entries: Iterable[Any],
        options: MatchOptions | None = None,
        *,
        cache: LayerCache | None = None,
        regex: RegexRunner | None = None,
        _build: bool = True,
    ) -> None:
        self.options = options or MatchOptions()
        self.cache = cache if cache is not None else LayerCache()
        self.regex = regex if regex is not None else default_runner()
        self._source = entries
        self._layers: list[tuple[LayerKey, list[Any], LayerIndex, int]] = []
        self._entries: list[Any] = []
        self._constants: list[int] = []
        self._secondary_total: list[int] = []
        self._max_scan_depth = 0
        self._source_mask = 0
        self._has_regex = False
        self._token_cache: dict[str, int] = {}
        self._first_runs: dict[bool, frozenset[str]] | None = None
        if _build:
            for _ in self._build_steps():
                pass

    @classmethod
    async def build(
        cls,
        entries: Iterable[Any],
        options: MatchOptions | None = None,
        *,
        cache: LayerCache | None = None,
        regex: RegexRunner | None = None,
    ) -> Matcher:
        """A matcher built cooperatively: the page stays responsive while a large layer is
        indexed (each slice of `BUILD_SLICE` entries is followed by an event-loop turn).
        Meanwhile the objects that already exist are left out of garbage collection
        (`gc.freeze`), so a full collection cannot stall one of the slices."""
        matcher = cls(entries, options, cache=cache, regex=regex, _build=False)
        gc.freeze()
        try:
            for _ in matcher._build_steps():
                await asyncio.sleep(0)
        finally:
            gc.unfreeze()
        return matcher

    def _build_steps(self) -> Generator[None, None, None]:
        source = self._source
        entries = list(source)
        object_ids, grouped = self.cache.grouping(entries)
        if grouped is None:
            grouped = {}
            slice_ = BUILD_SLICE * 4
            for start in range(0, len(entries), slice_):
                part = entries[start : start + slice_]
                for key, entry in zip(map(_LAYER_KEY, part), part, strict=True):
                    layer = grouped.get(key)
                    if layer is None:
                        layer = grouped[key] = []
                    layer.append(entry)
                if start + slice_ < len(entries):
                    yield
            self.cache.remember_grouping(object_ids, entries, grouped)
        self._source = ()
        check = js_check()
        for layer_key in sorted(grouped, key=lambda k: (level_rank(k[0]), k[0], k[1] or "")):
            layer_entries = grouped[layer_key]
            steps = self.cache.index_steps(
                layer_key,
                layer_entries,
                self.options.case_sensitive,
                self.options.match_whole_words,
                check,
            )
            while True:
                try:
                    yield next(steps)
                except StopIteration as done:
                    index: LayerIndex = done.value
                    break
            base = len(self._entries)
            self._layers.append((layer_key, layer_entries, index, base))
            self._entries.extend(layer_entries)
            self._secondary_total.extend(index.secondary_count)
            self._constants.extend(base + local for local in index.constants)
            self._max_scan_depth = max(self._max_scan_depth, index.max_scan_depth)
            self._source_mask |= index.source_mask
            self._has_regex = self._has_regex or bool(index.regex_keys)

    @property
    def first_runs(self) -> dict[bool, frozenset[str]]:
        """Union of the layers' first-run tables (shared through the cache)."""
        if self._first_runs is None:
            self._first_runs = self.cache.first_run_tables([i for _, _, i, _ in self._layers])
        return self._first_runs

    @property
    def entries(self) -> list[Any]:
        """Every entry the matcher indexes, layer by layer (global first)."""
        return list(self._entries)

    @property
    def layers(self) -> list[LayerKey]:
        return [layer for layer, _, _, _ in self._layers]

    def key_errors(self) -> list[tuple[Any, str, str]]:
        """`(entry, key, message)` for `/…/` keys matched as plain text (not a valid
        regular expression, or an unescaped `/`), as SillyTavern matches them."""
        out: list[tuple[Any, str, str]] = []
        for _, layer_entries, index, _ in self._layers:
            out.extend((layer_entries[local], raw, msg) for local, raw, msg in index.problems)
        return out

    # -- scanning -------------------------------------------------------------------------

    def find(self, text: str) -> list[tuple[Any, str, int, int, int]]:
        """Every key occurrence in `text`: `(entry, kind, key_index, start, end)` (the first
        match of each regex key)."""
        prepared = PreparedText(text)
        out: list[tuple[Any, str, int, int, int]] = []
        jobs: list[RegexJob] = []
        owners: list[tuple[Any, str, int]] = []
        for _, layer_entries, index, _ in self._layers:
            for ref, start, end in index.find(prepared):
                local, kind, key_idx, _ = index.refs[ref]
                name = "primary" if kind == PRIMARY else "secondary"
                out.append((layer_entries[local], name, key_idx, start, end))
            for local, kind, key_idx, _, regex in index.regex_keys:
                jobs.append(RegexJob(0, regex))
                owners.append(
                    (layer_entries[local], "primary" if kind == PRIMARY else "secondary", key_idx)
                )
        if jobs:
            for (entry, name, key_idx), outcome in zip(
                owners, self.regex.run([text], jobs), strict=True
            ):
                if outcome is not None and not isinstance(outcome[0], str):
                    out.append((entry, name, key_idx, int(outcome[0]), int(outcome[1])))
        return out

    def _run(
        self,
        text: str | Sequence[str],
        seed: int | str | None,
        token_budget: int | None,
        scan_depth: int | None,
        context: ScanContext | None,
    ) -> Run:
        opts = self.options
        budget = opts.token_budget if token_budget is _UNSET else token_budget
        seed = opts.seed if seed is _UNSET else seed
        if seed is None:
            seed = random.getrandbits(64)
        return Run(
            self,
            text,
            budget=budget,
            seed=seed,
            scan_depth=scan_depth,
            context=context or _NO_CONTEXT,
        )

    def scan(
        self,
        text: str | Sequence[str],
        *,
        seed: int | str | None = _UNSET,
        token_budget: int | None = _UNSET,
        scan_depth: int | None = None,
        context: ScanContext | None = None,
    ) -> ScanResult:
        """Scan `text` (a chapter / scene beat) or a list of chat messages (oldest first).

        For messages, the last `scan_depth` (default: `options.scan_depth`) are scanned;
        an entry with its own `scan_depth` looks at that many instead. `context` gives the
        extra texts, character, generation type and timed-effects state (`ScanContext`).
        In the browser, prefer `scan_async`: it runs every regex key in a worker with a
        time limit, where this synchronous scan skips the keys that may run for very long.
        """
        run = self._run(text, seed, token_budget, scan_depth, context)
        steps = run.steps()
        outcomes: list[Outcome] | None = None
        while (batch := _next_batch(steps, outcomes)) is not None:
            outcomes = self.regex.run(*batch)
        return run.finish()

    async def scan_async(
        self,
        text: str | Sequence[str],
        *,
        seed: int | str | None = _UNSET,
        token_budget: int | None = _UNSET,
        scan_depth: int | None = None,
        context: ScanContext | None = None,
    ) -> ScanResult:
        """`scan`, with regex keys run asynchronously (in the browser: in a Web Worker, so
        a catastrophic key gives up after the time limit while the page stays responsive)."""
        run = self._run(text, seed, token_budget, scan_depth, context)
        steps = run.steps()
        outcomes: list[Outcome] | None = None
        while (batch := _next_batch(steps, outcomes)) is not None:
            outcomes = await self.regex.run_async(*batch)
        return run.finish()

    def content_hits(self, contents: list[str]) -> list[list[_ContentHit]]:
        """Plain-key hits inside each entry content as `(entry number, kind, key index, key,
        start, end)`. Each layer index remembers the hits per content string (so they
        survive across matchers sharing a `LayerCache`); contents new to some layer are
        joined and scanned in one pass."""
        layers = self._layers
        caches = [index.content_hits for _, _, index, _ in layers]
        missing = [c for c in dict.fromkeys(contents) if any(c not in cache for cache in caches)]
        if missing:
            starts: list[int] = []
            pos = 0
            for c in missing:
                starts.append(pos)
                pos += len(c) + len(SEPARATOR)
            prepared = PreparedText(SEPARATOR.join(missing))
            prime(prepared, self.first_runs)
            for (_, _, index, _), cache in zip(layers, caches, strict=True):
                found: list[list[_ContentHit]] = [[] for _ in missing]
                refs = index.refs
                for ref, start, end in index.find(prepared):
                    piece = bisect_right(starts, start) - 1
                    offset = starts[piece]
                    if end - offset > len(missing[piece]):
                        continue  # a match running into the next content
                    local, kind, key_idx, raw = refs[ref]
                    found[piece].append((local, kind, key_idx, raw, start - offset, end - offset))
                while len(cache) + len(missing) > CONTENT_CACHE_SIZE and cache:
                    cache.pop(next(iter(cache)))
                for c, hits in zip(missing, found, strict=True):
                    cache[c] = hits
        out: list[list[_ContentHit]] = []
        for c in contents:
            merged: list[_ContentHit] = []
            for (_, _, _, base), cache in zip(layers, caches, strict=True):
                hits = cache[c]
                if hits:
                    if base:
                        merged.extend((base + h[0], *h[1:]) for h in hits)
                    else:
                        merged.extend(hits)
            out.append(merged)
        return out

    def count_tokens(self, content: str) -> int:
        got = self._token_cache.get(content)
        if got is None:
            got = self.options.count_tokens(content)
            self._token_cache[content] = got
        return got
