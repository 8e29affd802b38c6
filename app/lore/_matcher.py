"""The lore matcher: which entries a text activates, and why the others were left out."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from ._cache import LayerCache, LayerKey
from ._entry import layer_of, level_rank
from ._index import PRIMARY, SECONDARY, LayerIndex, PreparedText, prime
from ._options import MatchOptions
from ._trace import KeyHit, ScanResult, TraceItem

__all__ = ["SEPARATOR", "Matcher"]

#: Joins scanned messages and recursion contents, so that no plain key spans two of them.
SEPARATOR = "\n\x01\n"
#: At most this many key hits are kept in one trace item.
MAX_TRACE_HITS = 32
#: Entry contents whose key hits each layer index remembers (rescans then recurse for free).
CONTENT_CACHE_SIZE = 50_000
_UNSET: Any = object()
#: (entry number, PRIMARY/SECONDARY, key index, key, start, end)
_ContentHit = tuple[int, int, int, str, int, int]
_PENDING, _ACTIVE, _FINAL = 0, 1, 2


class _Chunk:
    """The scanned window: one text, or chat messages joined by SEPARATOR."""

    __slots__ = ("source", "starts")

    def __init__(self, source: str, starts: list[int]):
        self.source = source  # "text" | "message"
        self.starts = starts  # start offset of each message

    def locate(self, start: int, end: int) -> tuple[int, int, int]:
        """(message number, start, end) relative to the message holding `start`."""
        if self.source == "text":
            return 0, start, end
        piece = bisect_right(self.starts, start) - 1
        base = self.starts[piece]
        return piece, start - base, end - base


class _State:
    """Per-candidate bookkeeping during one scan."""

    __slots__ = (
        "detail",
        "hits",
        "outside",
        "primary",
        "reason",
        "secondary",
        "status",
        "step",
        "tokens",
    )

    def __init__(self) -> None:
        self.hits: list[KeyHit] = []
        self.outside = 0
        self.primary = 0
        self.secondary: set[int] = set()
        self.status = _PENDING
        self.reason = ""
        self.step: int | None = None
        self.tokens: int | None = None
        self.detail = ""


_KIND_NAMES = {PRIMARY: "primary", SECONDARY: "secondary"}


def _count_hit(state: _State, kind: int, hit: KeyHit) -> None:
    """Count one key hit for an entry and keep it for the trace (up to a limit)."""
    if kind == PRIMARY:
        state.primary += 1
    else:
        state.secondary.add(hit.key_index)
    if len(state.hits) < MAX_TRACE_HITS:
        state.hits.append(hit)


class Matcher:
    """Index over every entry a scope sees; `scan` finds the entries a text activates.

    Entries are grouped into layers by `(level, scope_id)`; each layer's index comes from
    `cache` (pass the app's long-lived `LayerCache` so unchanged layers are not rebuilt).
    """

    def __init__(
        self,
        entries: Iterable[Any],
        options: MatchOptions | None = None,
        *,
        cache: LayerCache | None = None,
    ) -> None:
        self.options = options or MatchOptions()
        self.cache = cache if cache is not None else LayerCache()
        grouped: dict[LayerKey, list[Any]] = {}
        for entry in entries:
            grouped.setdefault(layer_of(entry), []).append(entry)
        order = sorted(grouped, key=lambda k: (level_rank(k[0]), k[0], k[1] or ""))
        self._layers: list[tuple[LayerKey, list[Any], LayerIndex, int]] = []
        self._entries: list[Any] = []
        self._constants: list[int] = []
        self._secondary_total: list[int] = []
        self._max_scan_depth = 0
        for layer in order:
            layer_entries = grouped[layer]
            index = self.cache.index_for(
                layer,
                layer_entries,
                case_sensitive=self.options.case_sensitive,
                whole_words=self.options.match_whole_words,
            )
            base = len(self._entries)
            self._layers.append((layer, layer_entries, index, base))
            self._entries.extend(layer_entries)
            self._secondary_total.extend(index.secondary_count)
            self._constants.extend(base + local for local in index.constants)
            self._max_scan_depth = max(self._max_scan_depth, index.max_scan_depth)
        self._token_cache: dict[str, int] = {}
        self._first_runs: dict[bool, frozenset[str]] | None = None

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
        """`(entry, key, message)` for keys that cannot be used (e.g. invalid regex)."""
        out = []
        for _, layer_entries, index, _ in self._layers:
            out.extend((layer_entries[local], raw, msg) for local, raw, msg in index.errors)
        return out

    # -- scanning -------------------------------------------------------------------------

    def find(self, text: str) -> list[tuple[Any, str, int, int, int]]:
        """Every raw key occurrence in `text`: `(entry, kind, key_index, start, end)`."""
        prepared = PreparedText(text)
        out = []
        for _, layer_entries, index, _ in self._layers:
            for ref, start, end in index.find(prepared):
                local, kind, key_idx, _ = index.refs[ref]
                name = "primary" if kind == PRIMARY else "secondary"
                out.append((layer_entries[local], name, key_idx, start, end))
        return out

    def scan(
        self,
        text: str | Sequence[str],
        *,
        seed: int | str | None = _UNSET,
        token_budget: int | None = _UNSET,
        scan_depth: int | None = None,
    ) -> ScanResult:
        """Scan `text` (a chapter / scene beat) or a list of chat messages (oldest first).

        For messages, the last `scan_depth` (default: `options.scan_depth`) are scanned;
        an entry with its own `scan_depth` looks at that many instead.
        """
        opts = self.options
        budget = opts.token_budget if token_budget is _UNSET else token_budget
        seed = opts.seed if seed is _UNSET else seed
        if seed is None:
            seed = random.getrandbits(64)
        run = _Run(self, budget, seed)
        if isinstance(text, str):
            run.scan_window_text(text)
        else:
            depth = opts.scan_depth if scan_depth is None else scan_depth
            run.scan_window_messages(list(text), depth)
        return run.finish()

    def content_hits(self, contents: list[str]) -> list[list[_ContentHit]]:
        """Key hits inside each entry content as `(entry number, kind, key index, key, start,
        end)`. Each layer index remembers the hits per content string (so they survive
        across matchers sharing a `LayerCache`); contents new to some layer are joined and
        scanned in one pass."""
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
                found: list[list[tuple[int, int, int, str, int, int]]] = [[] for _ in missing]
                refs = index.refs
                for ref, start, end in index.find(prepared):
                    piece = bisect_right(starts, start) - 1
                    offset = starts[piece]
                    if end - offset > len(missing[piece]):
                        continue  # a regex match running into the next content
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


class _Run:
    """The state of one `Matcher.scan` call."""

    def __init__(self, matcher: Matcher, budget: int | None, seed: int | str) -> None:
        self.m = matcher
        self.entries = matcher._entries
        self.budget = budget
        self.seed = seed
        self.states: dict[int, _State] = {}
        self.used = 0
        self.admitted: list[int] = []
        self.warnings: list[str] = []
        self.steps = 0
        self.n_messages = 0
        self.default_depth = 0
        self._first_message = 0
        self.delayed: set[int] = set()
        self._order_keys: dict[int, tuple[int, int, int]] = {}

    # -- window ---------------------------------------------------------------------------

    def scan_window_text(self, text: str) -> None:
        self._scan_chunk(text, _Chunk("text", [0]))
        self._run_steps()

    def scan_window_messages(self, messages: list[str], depth: int) -> None:
        self.n_messages = len(messages)
        self.default_depth = max(0, depth)
        widest = max(self.default_depth, self.m._max_scan_depth)
        first = max(0, len(messages) - widest)
        window = messages[first:] if widest else []
        starts: list[int] = []
        pos = 0
        for msg in window:
            starts.append(pos)
            pos += len(msg) + len(SEPARATOR)
        chunk = _Chunk("message", starts)
        self._first_message = first
        self._scan_chunk(SEPARATOR.join(window), chunk)
        self._run_steps()

    # -- hits -----------------------------------------------------------------------------

    def _scan_chunk(self, text: str, chunk: _Chunk) -> set[int]:
        """Record every hit in the window text; return the entries that got a hit."""
        touched: set[int] = set()
        if not text:
            return touched
        prepared = PreparedText(text)
        prime(prepared, self.m.first_runs)
        for _, _, index, base in self.m._layers:
            hits = index.find(prepared)
            if hits:
                self._record(index.refs, base, hits, chunk, touched)
        return touched

    def _scan_contents(self, pieces: list[int]) -> set[int]:
        """Record the hits in the contents of newly admitted entries (cached per content)."""
        touched: set[int] = set()
        states = self.states
        entries = self.entries
        contents = [entries[gid].content for gid in pieces]
        for gid, hits in zip(pieces, self.m.content_hits(contents), strict=True):
            source_id = entries[gid].id
            for target, kind, key_idx, raw, start, end in hits:
                st = states.get(target)
                if st is None:
                    st = states[target] = _State()
                elif st.status != _PENDING:
                    continue  # already decided; later recursion hits change nothing
                _count_hit(
                    st,
                    kind,
                    KeyHit(
                        raw, _KIND_NAMES[kind], key_idx, start, end, "recursion", None, source_id
                    ),
                )
                touched.add(target)
        return touched

    def _record(
        self,
        refs: list[tuple[int, int, int, str]],
        base: int,
        hits: list[tuple[int, int, int]],
        chunk: _Chunk,
        touched: set[int],
    ) -> None:
        states = self.states
        entries = self.entries
        messages = chunk.source == "message"
        source = chunk.source
        for ref, start, end in hits:
            local, kind, key_idx, raw = refs[ref]
            gid = base + local
            st = states.get(gid)
            if st is None:
                st = states[gid] = _State()
            message = None
            if messages:
                piece, start, end = chunk.locate(start, end)
                message = self._first_message + piece
                depth = entries[gid].scan_depth
                if depth is None:
                    depth = self.default_depth
                if message < self.n_messages - depth:
                    st.outside += 1
                    continue
            _count_hit(
                st, kind, KeyHit(raw, _KIND_NAMES[kind], key_idx, start, end, source, message)
            )
            touched.add(gid)

    # -- activation -----------------------------------------------------------------------

    def _run_steps(self) -> None:
        opts = self.m.options
        candidates = {gid for gid, st in self.states.items() if st.primary}
        for gid in self.m._constants:
            self.states.setdefault(gid, _State())
        candidates.update(self.m._constants)
        step = 0
        while True:
            activated = self._evaluate(candidates, step, dry_run=False)
            pieces = self._admit(activated, step)
            self.steps = step
            if not opts.recursive:
                self._finalise_delayed()
                return
            if not pieces and not (step == 0 and self.delayed):
                self._finalise_delayed()
                return
            step += 1
            touched = self._scan_contents(pieces)
            candidates = {
                gid
                for gid in touched
                if self.states[gid].primary and self.states[gid].status == _PENDING
            }
            if step == 1:
                candidates |= self.delayed
            if step > opts.max_recursion:
                self._evaluate(candidates, step, dry_run=True)
                self._finalise_delayed()
                self.steps = step - 1
                return

    def _evaluate(self, candidates: Iterable[int], step: int, *, dry_run: bool) -> list[int]:
        entries = self.entries
        states = self.states
        activated: list[int] = []
        # Order does not matter here: probability rolls are seeded per entry, and `_admit`
        # sorts what this returns.
        for gid in candidates:
            st = states[gid]
            if st.status != _PENDING:
                continue
            e = entries[gid]
            if not e.enabled:
                st.status, st.reason = _FINAL, "disabled"
                continue
            constant = bool(e.constant)
            if not constant:
                if step == 0 and e.delay_until_recursion:
                    st.reason = "delay_until_recursion"
                    self.delayed.add(gid)
                    continue
                if step > 0 and e.exclude_recursion:
                    if not st.reason:
                        st.reason = "exclude_recursion"
                    continue
                if not self._secondary_ok(gid, e, st):
                    st.reason = "secondary_logic"
                    continue
            if dry_run:
                st.status, st.reason = _FINAL, "recursion_limit"
                st.detail = f"maximum recursion depth is {self.m.options.max_recursion}"
                continue
            probability = e.probability
            if probability is not None and probability < 100 and not self._roll(e, probability):
                st.status, st.reason = _FINAL, "probability"
                st.detail = f"{probability}%"
                continue
            st.status = _ACTIVE
            st.reason = "constant" if constant else "matched"
            st.step = step
            self.delayed.discard(gid)
            activated.append(gid)
        return activated

    def _secondary_ok(self, gid: int, e: Any, st: _State) -> bool:
        total = self.m._secondary_total[gid]
        if total == 0:
            return True
        found = len(st.secondary)
        logic = e.selective_logic or "and_any"
        if logic == "and_all":
            return found == total
        if logic == "not_any":
            return found == 0
        if logic == "not_all":
            return found < total
        return found > 0

    def _roll(self, e: Any, probability: int) -> bool:
        if probability <= 0:
            return False
        rng = random.Random(f"{self.seed}\x00{e.id}")
        return rng.random() * 100 < probability

    def _admit(self, activated: list[int], step: int) -> list[int]:
        """Apply the budget to this step's activations; return those whose content recurses."""
        entries = self.entries
        budget = self.budget
        states = self.states

        def prio(gid: int) -> tuple:
            e = entries[gid]
            return (not e.constant, -(e.priority or 0), *self._order_key(gid))

        pieces: list[int] = []
        for gid in sorted(activated, key=prio):
            e = entries[gid]
            st = states[gid]
            tokens = self.m.count_tokens(e.content or "")
            st.tokens = tokens
            if e.constant:
                self.used += tokens
                if budget is not None and self.used > budget:
                    st.detail = f"over budget by {self.used - budget} tokens; constant entries are never dropped"
                    self.warnings.append(
                        f"constant entries alone need {self.used} tokens, budget is {budget}"
                    )
            elif budget is not None and self.used + tokens > budget:
                st.status, st.reason = _FINAL, "budget"
                st.detail = f"needs {tokens} tokens, {budget - self.used} left"
                continue
            else:
                self.used += tokens
            self.admitted.append(gid)
            if e.content and not e.prevent_recursion:
                pieces.append(gid)
        return pieces

    def _finalise_delayed(self) -> None:
        for gid in self.delayed:
            st = self.states[gid]
            if st.status == _PENDING:
                st.status, st.reason = _FINAL, "delay_until_recursion"
        self.delayed.clear()

    def _order_key(self, gid: int) -> tuple[int, int, int]:
        key = self._order_keys.get(gid)
        if key is None:
            e = self.entries[gid]
            key = self._order_keys[gid] = (e.insertion_order or 0, level_rank(e.level), gid)
        return key

    # -- result ---------------------------------------------------------------------------

    def finish(self) -> ScanResult:
        entries = self.entries
        trace: list[TraceItem] = []
        for gid in sorted(self.states, key=self._order_key):
            st = self.states[gid]
            e = entries[gid]
            if st.status == _PENDING and not st.primary:
                if not st.outside:
                    continue  # only secondary keys matched: not a candidate
                st.reason = "scan_depth"
                st.detail = f"{st.outside} hit(s) in older messages"
            included = st.status == _ACTIVE  # active entries are exactly the admitted ones
            trace.append(
                TraceItem(
                    entry_id=e.id,
                    name=e.name,
                    level=e.level,
                    scope_id=e.scope_id,
                    included=included,
                    reason=st.reason or "secondary_logic",
                    step=st.step,
                    tokens=st.tokens,
                    hits=st.hits,
                    detail=st.detail,
                )
            )
        admitted = sorted(self.admitted, key=self._order_key)
        return ScanResult(
            entries=[entries[g] for g in admitted],
            trace=trace,
            tokens_used=self.used,
            token_budget=self.budget,
            steps=self.steps,
            warnings=list(dict.fromkeys(self.warnings)),
        )
