"""One scan: SillyTavern's activation loop over our layer indexes.

The loop follows `checkWorldInfo` in SillyTavern's `public/scripts/world-info.js`: each
step finds the entries that can activate now (filters, timed effects, recursion flags,
constants, sticky entries, keys), orders them for the budget, lets each inclusion group
keep one, rolls probabilities, admits what fits the budget, and decides the next step:
recursion over the admitted contents, a wider window for minimum activations, or the next
delay-until-recursion level. Our deliberate differences are in the package README.

A scan is a generator (`Run.steps`): when a step needs regex keys run it yields a batch of
`RegexJob`s and receives their outcomes, so the same loop serves the synchronous scan and
the asynchronous one (which runs them in a Web Worker).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Generator, Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ._entry import PRIORITY_LEVELS, attr, entry_groups, level_rank
from ._groups import choose_group_winners
from ._index import PRIMARY, SECONDARY, SOURCES, PreparedText, prime
from ._layout import Layout
from ._regex_run import Outcome, RegexJob
from ._scan_context import ScanContext
from ._timed import TimedEffects
from ._trace import KeyHit, KeyProblem, ScanResult, TraceItem

if TYPE_CHECKING:
    from ._matcher import Matcher

__all__ = ["SEPARATOR", "RegexBatch", "Run"]

#: Joins scanned messages and recursion contents, so that no plain key spans two of them.
SEPARATOR = "\n\x01\n"
#: At most this many key hits are kept in one trace item.
MAX_TRACE_HITS = 32
_PENDING, _ACTIVE, _FINAL = 0, 1, 2
INITIAL, RECURSION, MIN_ACTIVATIONS = 1, 2, 3
_KIND_NAMES = {PRIMARY: "primary", SECONDARY: "secondary"}
_PRIORITY = {level: i for i, level in enumerate(PRIORITY_LEVELS)}
_LAST = len(PRIORITY_LEVELS)
_SOURCE_NAMES = tuple(SOURCES)
#: (regex key texts, jobs); the driver answers with one `Outcome` per job.
RegexBatch = tuple[list[str], list[RegexJob]]
_KeyId = tuple[int, int]  # (PRIMARY/SECONDARY, key position)
#: Shared empty values of `_State`'s rarely used containers (never written to).
_NO_HITS: dict[_KeyId, int] = {}
_NO_KEYS: set[_KeyId] = set()
_NO_PROBLEMS: list[KeyProblem] = []


class _State:
    """Per-candidate bookkeeping during one scan.

    Hits are kept by where they are visible from: `primary` / `secondary` (the window, at
    the entry's own depth), `far` (older window messages a minimum-activation pass may
    reach: key -> newest message), `rec` (recursion contents: key -> first step that sees
    them), `src` (extra texts: key -> source bits) and `rx` (regex keys matched this step).
    Fields most candidates never set stay class defaults (one scan makes hundreds of these).
    """

    far: dict[_KeyId, int] = _NO_HITS
    rec: dict[_KeyId, int] = _NO_HITS
    src: dict[_KeyId, int] = _NO_HITS
    rx: set[_KeyId] = _NO_KEYS
    problems: list[KeyProblem] = _NO_PROBLEMS
    step: int | None = None
    tokens: int | None = None
    detail = ""
    order = -1
    group: str | None = None
    group_winner: str | None = None
    sticky_since: int | None = None
    timed_until: int | None = None

    def __init__(self) -> None:
        self.hits: list[KeyHit] = []
        self.primary: set[int] = set()
        self.secondary: set[int] = set()
        self.status = _PENDING
        self.reason = ""

    def own(self, name: str) -> Any:
        """This state's own container `name` (created on the first write)."""
        value = getattr(self, name)
        if value is _NO_HITS or value is _NO_KEYS or value is _NO_PROBLEMS:
            value = type(value)()
            setattr(self, name, value)
        return value

    def keep(self, hit: KeyHit) -> None:
        if len(self.hits) < MAX_TRACE_HITS:
            self.hits.append(hit)


class _Fields:
    """`.get(name, default)` / `[name]` over an entry object whose fields are not all in
    its `__dict__` (missing ones read as the model's defaults)."""

    __slots__ = ("entry",)

    def __init__(self, entry: Any) -> None:
        self.entry = entry

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self.entry, name, default)

    def __getitem__(self, name: str) -> Any:
        return attr(self.entry, name)


#: The fields that can keep a matching entry out; all falsy for most entries.
_GATES = (
    "triggers",
    "character_filter_names",
    "character_filter_tags",
    "delay",
    "delay_until_recursion",
)
_gates = itemgetter(*_GATES)
#: Entry types whose instances keep every field in their `__dict__` (checked once per type).
_WHOLE_DICT: dict[type, bool] = {}
_VIEW_FIELDS = frozenset(
    (
        *_GATES,
        "use_probability",
        "ignore_budget",
        "group",
        "group_override",
        "group_weight",
        "use_group_scoring",
    )
)


class Run:
    """The state of one `Matcher.scan` call."""

    def __init__(
        self,
        matcher: Matcher,
        window: str | Sequence[str],
        *,
        budget: int | None,
        seed: int | str,
        scan_depth: int | None,
        context: ScanContext,
    ) -> None:
        self.m = matcher
        self.opts = matcher.options
        self.entries = matcher._entries
        self.budget = budget
        self.seed = seed
        self.context = context
        self.text_mode = isinstance(window, str)
        self.messages: list[str] = [window] if isinstance(window, str) else list(window)
        self.n = len(self.messages)
        if self.text_mode:
            self.base_depth = 1
        else:
            depth = self.opts.scan_depth if scan_depth is None else scan_depth
            self.base_depth = max(0, depth)
        self.states: dict[int, _State] = {}
        self.used = 0
        self.admitted: list[int] = []
        self.warnings: list[str] = []
        self.step = 0
        self.state = INITIAL
        self.skew = 0
        self.first_message = 0
        self.recursion: list[list[tuple[int, str]]] = []
        self.gave_up: dict[tuple[int, int, int], KeyProblem] = {}
        self._order_keys: dict[int, tuple[int, int, int]] = {}
        self._field_views: dict[int, Any] = {}
        #: pending entries held back by a delay level, their group or secondary keys: a
        #: later step may let them in
        self.waiting: set[int] = set()
        #: entries with a regex key matched in this step
        self.regex_matched: set[int] = set()
        self._layouts: dict[tuple[int, int, int], int] = {}
        self._texts: list[Layout] = []
        chat_length = context.chat_length
        if chat_length is None and not self.text_mode:
            chat_length = self.n
        self._by_id: dict[str, int] | None = None
        self.timed = TimedEffects(
            context.lore_state, chat_length, dry_run=context.dry_run, lookup=self._lookup
        )
        levels: set[int] = set()
        for _, _, index, _ in matcher._layers:
            levels |= index.delay_levels
        self.levels = sorted(levels)
        self.level = self.levels.pop(0) if self.levels else 0
        self.sources = [
            (name, context.source_text(name))
            for name in _SOURCE_NAMES
            if context.source_text(name) and matcher._source_mask & SOURCES[name]
        ]
        self.source_bits = sum(SOURCES[name] for name, _ in self.sources)
        self.taken_groups: set[str] = set()

    # -- helpers --------------------------------------------------------------------------

    def _lookup(self, entry_id: str) -> Any | None:
        if self._by_id is None:
            self._by_id = {e.id: gid for gid, e in enumerate(self.entries)}
        gid = self._by_id.get(entry_id)
        return None if gid is None else self.entries[gid]

    def fields(self, gid: int) -> Any:
        """The entry's fields as a mapping (`.get(name, default)`): its instance dict for
        models and dataclasses, attribute reads otherwise."""
        view = self._field_views.get(gid)
        if view is None:
            e = self.entries[gid]
            d = getattr(e, "__dict__", None)
            kind = type(e)
            whole = _WHOLE_DICT.get(kind)
            if whole is None:
                whole = _WHOLE_DICT[kind] = d is not None and _VIEW_FIELDS.issubset(d)
            view = d if whole else _Fields(e)
            self._field_views[gid] = view
        return view

    def depth_of(self, e: Any) -> int:
        own = e.scan_depth
        if own is not None:
            return int(own)
        return self.base_depth + self.skew

    def _state(self, gid: int) -> _State:
        st = self.states.get(gid)
        if st is None:
            st = self.states[gid] = _State()
        return st

    def _order_key(self, gid: int) -> tuple[int, int, int]:
        key = self._order_keys.get(gid)
        if key is None:
            e = self.entries[gid]
            key = self._order_keys[gid] = (e.insertion_order or 0, level_rank(e.level), gid)
        return key

    # -- the window -------------------------------------------------------------------------

    def _window(self) -> None:
        """Scan every message any pass may see (and the extra texts) for plain keys."""
        opts = self.opts
        widest = max(self.base_depth, self.m._max_scan_depth)
        if opts.min_activations > 0 and not self.text_mode:
            cap = opts.min_activations_depth_max
            widest = max(widest, self.n if cap <= 0 else min(self.n, cap + 1))
        first = max(0, self.n - widest)
        window = self.messages[first:] if widest else []
        self.first_message = first
        starts: list[int] = []
        pos = 0
        for msg in window:
            starts.append(pos)
            pos += len(msg) + len(SEPARATOR)
        text = SEPARATOR.join(window)
        if text:
            self._scan_window(text, starts)
        for name, source in self.sources:
            self._scan_source(name, source)

    def _prepared(self, text: str) -> PreparedText:
        prepared = PreparedText(text)
        prime(prepared, self.m.first_runs)
        return prepared

    def _scan_window(self, text: str, starts: list[int]) -> None:
        prepared = self._prepared(text)
        n = self.n
        text_mode = self.text_mode
        source = "text" if text_mode else "message"
        base = self.base_depth
        states = self.states
        keep_max = MAX_TRACE_HITS
        names = _KIND_NAMES
        new_hit = KeyHit
        for _, _, index, offset in self.m._layers:
            hits = index.find(prepared)
            if not hits:
                continue
            refs = index.refs
            depths = index.depths
            single = len(starts) == 1
            first_message = self.first_message
            for ref, start, end in hits:
                local, kind, key_idx, raw = refs[ref]
                gid = offset + local
                piece = 0 if single else bisect_right(starts, start) - 1
                message = first_message + piece
                depth = depths.get(local, base) if depths else base
                st = states.get(gid)
                if st is None:
                    st = states[gid] = _State()
                if depth <= 0 or message < n - depth:
                    key = (kind, key_idx)
                    far = st.own("far")
                    far[key] = max(far.get(key, -1), message)
                    continue
                if kind:
                    st.secondary.add(key_idx)
                else:
                    st.primary.add(key_idx)
                kept = st.hits
                if len(kept) < keep_max:
                    shift = starts[piece]
                    kept.append(
                        new_hit(
                            raw,
                            names[kind],
                            key_idx,
                            start - shift,
                            end - shift,
                            source,
                            None if text_mode else message,
                        )
                    )

    def _scan_source(self, name: str, text: str) -> None:
        prepared = self._prepared(text)
        bit = SOURCES[name]
        for _, _, index, offset in self.m._layers:
            if not index.source_mask & bit:
                continue
            refs = index.refs
            for ref, start, end in index.find(prepared):
                local, kind, key_idx, raw = refs[ref]
                gid = offset + local
                if not attr(self.entries[gid], name):
                    continue
                st = self._state(gid)
                key = (kind, key_idx)
                src = st.own("src")
                src[key] = src.get(key, 0) | bit
                st.keep(
                    KeyHit(raw, _KIND_NAMES[kind], key_idx, start, end, name.removeprefix("match_"))
                )

    def _scan_contents(self, pieces: list[int], visible_from: int) -> set[int]:
        """Record plain-key hits in the contents of newly admitted entries (cached per
        content); they are seen from step `visible_from` on."""
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
                key = (kind, key_idx)
                if key not in st.rec:
                    st.own("rec")[key] = visible_from
                st.keep(
                    KeyHit(
                        raw, _KIND_NAMES[kind], key_idx, start, end, "recursion", None, source_id
                    )
                )
                touched.add(target)
        return touched

    # -- regex keys -------------------------------------------------------------------------

    def _layout(self, depth: int, bits: int, recursion: int) -> int:
        key = (depth, bits, recursion)
        got = self._layouts.get(key)
        if got is None:
            count = min(depth, self.n)
            newest_first = list(range(self.n - 1, self.n - 1 - count, -1))
            sources = [(name, text) for name, text in self.sources if SOURCES[name] & bits]
            layout = Layout(
                self.messages,
                newest_first,
                sources,
                self.recursion[:recursion],
                text_mode=self.text_mode,
            )
            got = self._layouts[key] = len(self._texts)
            self._texts.append(layout)
        return got

    def _entry_bits(self, e: Any) -> int:
        if not self.source_bits:
            return 0
        return sum(bit for name, bit in SOURCES.items() if attr(e, name)) & self.source_bits

    def regex_batch(self) -> tuple[RegexBatch, list[list[tuple[int, int, int, str]]]]:
        """The regex jobs of this step, and for each job the (entry, kind, key, raw) it
        answers for."""
        jobs: list[RegexJob] = []
        owners: list[list[tuple[int, int, int, str]]] = []
        seen: dict[tuple[int, str, str], int] = {}
        recursion = len(self.recursion) if self.state != MIN_ACTIVATIONS else 0
        for _, _, index, offset in self.m._layers:
            for local, kind, key_idx, raw, regex in index.regex_keys:
                gid = offset + local
                st = self.states.get(gid)
                if st is not None and st.status != _PENDING:
                    continue
                if (gid, kind, key_idx) in self.gave_up:
                    continue
                e = self.entries[gid]
                if not e.enabled:
                    continue
                depth = self.depth_of(e)
                if depth <= 0:
                    continue
                text = self._layout(min(depth, self.n), self._entry_bits(e), recursion)
                dedup = (text, regex.source, regex.flags)
                job = seen.get(dedup)
                if job is None:
                    job = seen[dedup] = len(jobs)
                    jobs.append(RegexJob(text, regex))
                    owners.append([])
                owners[job].append((gid, kind, key_idx, raw))
        return ([layout.text for layout in self._texts], jobs), owners

    def apply_regex(
        self,
        jobs: list[RegexJob],
        owners: list[list[tuple[int, int, int, str]]],
        outcomes: Sequence[Outcome],
    ) -> None:
        for job, who, outcome in zip(jobs, owners, outcomes, strict=True):
            for gid, kind, key_idx, raw in who:
                st = self._state(gid)
                if outcome is None:
                    continue
                if isinstance(outcome[0], str):
                    problem = KeyProblem(raw, str(outcome[0]), str(outcome[1]))
                    self.gave_up[(gid, kind, key_idx)] = problem
                    st.own("problems").append(problem)
                    continue
                start, end = int(outcome[0]), int(outcome[1])
                if (kind, key_idx) in st.rx:
                    continue
                st.own("rx").add((kind, key_idx))
                self.regex_matched.add(gid)
                st.keep(self._regex_hit(raw, kind, key_idx, job.text, start, end))

    def _regex_hit(
        self, raw: str, kind: int, key_idx: int, text: int, start: int, end: int
    ) -> KeyHit:
        located = self._texts[text].locate(start)
        name = _KIND_NAMES[kind]
        if located is None:
            return KeyHit(raw, name, key_idx, start, end, "text" if self.text_mode else "message")
        segment, local = located
        length = end - start
        if segment.source == "recursion":
            return KeyHit(
                raw,
                name,
                key_idx,
                local,
                local + length,
                "recursion",
                None,
                self.entries[segment.ref].id,
            )
        if segment.source == "message":
            return KeyHit(raw, name, key_idx, local, local + length, "message", segment.ref)
        source = segment.source.removeprefix("match_")
        return KeyHit(raw, name, key_idx, local, local + length, source)

    # -- visibility -------------------------------------------------------------------------

    def _visible(self, e: Any, st: _State) -> tuple[set[int], set[int]]:
        """(primary keys, secondary keys) visible to the entry in this step."""
        own = e.scan_depth
        if own == 0 or (own is None and self.base_depth + self.skew <= 0):
            return set(), set()
        if not (st.far or st.rec or st.src or st.rx):
            return st.primary, st.secondary
        found: tuple[set[int], set[int]] = (set(st.primary), set(st.secondary))
        if st.far and own is None and self.skew:
            limit = self.n - (self.base_depth + self.skew)
            for (kind, idx), newest in st.far.items():
                if newest >= limit:
                    found[kind].add(idx)
        if st.rec and self.state != MIN_ACTIVATIONS:
            for (kind, idx), since in st.rec.items():
                if since <= self.step:
                    found[kind].add(idx)
        if st.src:
            bits = self._entry_bits(e)
            for (kind, idx), where in st.src.items():
                if where & bits:
                    found[kind].add(idx)
        for kind, idx in st.rx:
            found[kind].add(idx)
        return found

    def _secondary_ok(self, gid: int, e: Any, found: set[int]) -> bool:
        total = self.m._secondary_total[gid]
        if total == 0:
            return True
        logic = e.selective_logic or "and_any"
        count = len(found)
        if logic == "and_all":
            return count == total
        if logic == "not_any":
            return count == 0
        if logic == "not_all":
            return count < total
        return count > 0

    def _score(self, gid: int) -> int:
        """SillyTavern's group score (`getScore`): primary keys matched, plus the secondary
        ones for AND ANY, or for AND ALL when all matched."""
        e = self.entries[gid]
        if not e.keys:
            return 0
        primary, secondary = self._visible(e, self._state(gid))
        total = self.m._secondary_total[gid]
        score = len(primary)
        if total:
            logic = e.selective_logic or "and_any"
            if logic == "and_any" or (logic == "and_all" and len(secondary) == total):
                score += len(secondary)
        return score

    # -- one step ---------------------------------------------------------------------------

    def _candidates(self, full: bool, touched: set[int]) -> list[int]:
        constants = self.m._constants
        sticky = [g for g in (self._by_id_get(i) for i in self.timed.sticky_ids) if g is not None]
        if full:
            pool = set(self.states)
        else:
            # entries new hits reached, plus those waiting on something a later step changes
            pool = touched | self.waiting | self.regex_matched
        pool.update(constants)
        pool.update(sticky)
        states = self.states
        return [gid for gid in pool if (st := states.get(gid)) is None or st.status == _PENDING]

    def _by_id_get(self, entry_id: str) -> int | None:
        if self._by_id is None:
            self._lookup(entry_id)
        assert self._by_id is not None
        return self._by_id.get(entry_id)

    def evaluate(self, candidates: Iterable[int], *, dry_run: bool = False) -> list[int]:
        entries = self.entries
        ctx = self.context
        timed = self.timed
        active_effects = bool(timed.active["sticky"] or timed.active["cooldown"])
        count_delay = timed.known
        chat_length = timed.chat_length
        activated: list[int] = []
        recursion_pass = self.state == RECURSION
        states = self.states
        for gid in candidates:
            st = states.get(gid)
            if st is None:
                st = states[gid] = _State()
            elif st.status != _PENDING:
                continue
            e = entries[gid]
            if not e.enabled:
                st.status, st.reason = _FINAL, "disabled"
                continue
            f = self.fields(gid)
            triggers, names, tags, delay, level = _gates(f)
            if triggers and ctx.trigger not in triggers:
                st.status, st.reason = _FINAL, "trigger"
                st.detail = f"{ctx.trigger!r} is not one of {', '.join(triggers)}"
                continue
            if (names or tags) and self._filtered_out(f, st):
                continue
            sticky = timed.sticky(e.id) if active_effects else None
            if delay and count_delay and chat_length < delay:
                st.status, st.reason = _FINAL, "delay"
                st.detail = f"needs {delay} messages, the chat has {chat_length}"
                continue
            cooldown = timed.cooldown(e.id) if active_effects else None
            if cooldown is not None and sticky is None:
                st.status, st.reason = _FINAL, "cooldown"
                st.timed_until = int(cooldown["end"])
                st.detail = f"until the chat has {cooldown['end']} messages"
                continue
            if level and sticky is None:
                if not recursion_pass:
                    st.reason = "delay_until_recursion"
                    self.waiting.add(gid)
                    continue
                if level > self.level:
                    st.reason = "delay_until_recursion"
                    st.detail = f"recursion level {level}; this step is level {self.level}"
                    self.waiting.add(gid)
                    continue
            if recursion_pass and self.opts.recursive and e.exclude_recursion and sticky is None:
                if not st.reason:
                    st.reason = "exclude_recursion"
                continue
            if e.constant:
                reason = "constant"
            elif sticky is not None:
                reason = "sticky"
                st.sticky_since = int(sticky["start"])
                st.timed_until = int(sticky["end"])
                st.detail = (
                    f"sticky since the chat had {sticky['start']} messages,"
                    f" until it has {sticky['end']}"
                )
            else:
                if not e.keys:
                    continue
                if st.far or st.rec or st.src or st.rx or e.scan_depth == 0 or self.skew:
                    primary, secondary = self._visible(e, st)
                else:  # only window hits at the entry's depth
                    primary, secondary = st.primary, st.secondary
                if not primary:
                    continue
                if not self._secondary_ok(gid, e, secondary):
                    st.reason = "secondary_logic"
                    self.waiting.add(gid)
                    continue
                reason = "matched"
            if dry_run:
                st.status, st.reason = _FINAL, "recursion_limit"
                st.detail = f"maximum recursion depth is {self.opts.max_recursion}"
                continue
            st.reason = reason
            self.waiting.discard(gid)
            activated.append(gid)
        return activated

    def _filtered_out(self, f: Any, st: _State) -> bool:
        ctx = self.context
        names = f.get("character_filter_names")
        exclude = bool(f.get("character_filter_exclude"))
        if names:
            included = any(n in names for n in (ctx.character_name, ctx.character_id) if n)
            if included == exclude:
                st.status, st.reason = _FINAL, "character_filter"
                who = ctx.character_name or ctx.character_id or "no character"
                st.detail = f"{who} is {'excluded' if exclude else 'not listed'}"
                return True
        tags = f.get("character_filter_tags")
        if tags and ctx.has_character:
            tagged = any(t in tags for t in ctx.character_tags)
            if tagged == exclude:
                st.status, st.reason = _FINAL, "character_filter"
                st.detail = "excluded by tag" if exclude else "has none of the tags"
                return True
        return False

    def _budget_key(self, gid: int) -> tuple[bool, bool, int, int, int, int]:
        e = self.entries[gid]
        stuck = self.timed.active["sticky"]
        return (
            not e.constant,
            not stuck or e.id not in stuck,
            -(e.insertion_order or 0),
            -(e.priority or 0),
            _PRIORITY.get(e.level, _LAST),
            gid,
        )

    def _groups(self, new: list[int]) -> None:
        if not any(self.fields(gid).get("group") for gid in new):
            return
        entries = self.entries
        use_scoring = self.opts.use_group_scoring

        def scored(gid: int) -> bool:
            own = self.fields(gid).get("use_group_scoring")
            return bool(use_scoring if own is None else own)

        losses = choose_group_winners(
            new,
            lambda gid: entry_groups(entries[gid]),
            sticky=lambda gid: self.timed.sticky(entries[gid].id) is not None,
            taken=self.taken_groups,
            scored=scored,
            score=self._score,
            override=lambda gid: bool(self.fields(gid).get("group_override")),
            order=lambda gid: int(entries[gid].insertion_order or 0),
            weight=lambda gid: int(self.fields(gid).get("group_weight", 100)),
            roll=lambda name: random.Random(
                f"{self.seed}\x00group\x00{name}\x00{self.step}"
            ).random(),
        )
        how = {
            "sticky": "a sticky entry of the group stays",
            "score": "another entry matched more keys",
            "taken": "the group already has an active entry",
            "override": "a prioritised entry with a higher order won",
            "roll": "lost the weighted draw",
        }
        for loss in losses:
            st = self._state(loss.entry)
            st.reason = "group"
            self.waiting.add(loss.entry)
            st.group = loss.group
            winner = None if loss.winner is None else entries[loss.winner]
            st.group_winner = None if winner is None else winner.id
            st.detail = f"group {loss.group!r}: {how[loss.why]}" + (
                f" ({winner.name or winner.id})" if winner is not None else ""
            )

    def _roll(self, e: Any, probability: int) -> bool:
        if probability <= 0:
            return False
        rng = random.Random(f"{self.seed}\x00{e.id}")
        return rng.random() * 100 < probability

    def admit(self, new: list[int]) -> list[int]:
        """Roll probabilities and apply the budget; return the admitted entries whose content
        feeds recursion."""
        entries = self.entries
        states = self.states
        budget = self.budget
        stuck = self.timed.active["sticky"]
        count = self.m.count_tokens
        pieces: list[int] = []
        for gid in new:
            e = entries[gid]
            st = states[gid]
            f = self.fields(gid)
            probability = e.probability
            if (
                probability is not None
                and probability < 100
                and f.get("use_probability", True)
                and not (stuck and e.id in stuck)
                and not self._roll(e, probability)
            ):
                st.status, st.reason = _FINAL, "probability"
                st.detail = f"{probability}%"
                continue
            tokens = count(e.content or "")
            st.tokens = tokens
            free = e.constant or f.get("ignore_budget")
            if budget is not None and not free and self.used + tokens > budget:
                st.status, st.reason = _FINAL, "budget"
                st.detail = f"needs {tokens} tokens, {budget - self.used} left"
                continue
            self.used += tokens
            if budget is not None and free and self.used > budget:
                what = "constant" if e.constant else "ignore-budget"
                st.detail = (
                    f"over budget by {self.used - budget} tokens; {what} entries are never dropped"
                )
                self.warnings.append(
                    f"entries that are never dropped need {self.used} tokens, budget is {budget}"
                )
            st.status = _ACTIVE
            st.step = self.step
            st.order = len(self.admitted)
            self.admitted.append(gid)
            if f.get("group"):
                self.taken_groups.update(entry_groups(e))
            if e.content and not e.prevent_recursion:
                pieces.append(gid)
        return pieces

    # -- the loop -------------------------------------------------------------------------

    def steps(self) -> Generator[RegexBatch, list[Outcome], None]:
        """Run the scan; yields regex batches and receives their outcomes."""
        opts = self.opts
        self._window()
        has_regex = self.m._has_regex
        touched: set[int] = set()
        full = True
        recursion_steps = 0
        while True:
            if has_regex:
                for gid in self.regex_matched:
                    self.states[gid].rx = _NO_KEYS
                self.regex_matched = set()
                (texts, jobs), owners = self.regex_batch()
                if jobs:
                    outcomes = yield texts, jobs
                    self.apply_regex(jobs, owners, outcomes)
            candidates = self._candidates(full, touched)
            activated = self.evaluate(candidates)
            new = sorted(activated, key=self._budget_key)
            self._groups(new)
            pieces = self.admit(new)
            previous = self.state
            nxt = 0
            if opts.recursive and pieces:
                nxt = RECURSION
            elif opts.recursive and previous == MIN_ACTIVATIONS and self.recursion:
                nxt = RECURSION
            if (
                not nxt
                and opts.min_activations > 0
                and not self.text_mode
                and len(self.admitted) < opts.min_activations
            ):
                depth = self.base_depth + self.skew
                cap = opts.min_activations_depth_max
                if not ((cap > 0 and depth > cap) or depth > self.n):
                    nxt = MIN_ACTIVATIONS
                    self.skew += 1
            level_changed = False
            if not nxt and self.levels:
                nxt = RECURSION
                self.level = self.levels.pop(0)
                level_changed = True
            if not nxt:
                break
            touched = set()
            if pieces:
                chunk = [(gid, self.entries[gid].content) for gid in pieces]
                self.recursion.append(chunk)
                touched = self._scan_contents(pieces, self.step + 1)
            if nxt == RECURSION:
                recursion_steps += 1
                if recursion_steps > opts.max_recursion:
                    self.step += 1
                    self.state = nxt
                    self.evaluate(self._candidates(False, touched), dry_run=True)
                    self.step -= 1
                    break
            full = nxt == MIN_ACTIVATIONS or previous == MIN_ACTIVATIONS or level_changed
            self.step += 1
            self.state = nxt
        self._finalise()

    def _finalise(self) -> None:
        for st in self.states.values():
            if st.status == _PENDING and st.reason == "delay_until_recursion":
                st.status = _FINAL

    # -- result -----------------------------------------------------------------------------

    def finish(self) -> ScanResult:
        entries = self.entries
        trace: list[TraceItem] = []
        for gid in sorted(self.states, key=self._order_key):
            st = self.states[gid]
            e = entries[gid]
            if st.status == _PENDING and not st.reason:
                if any(kind == PRIMARY for kind, _ in st.far):
                    st.reason = "scan_depth"
                    st.detail = f"{len(st.far)} key(s) matched only in older messages"
                elif st.problems:
                    st.reason = "key_problem"
                else:
                    continue  # only secondary keys matched: not a candidate
            trace.append(
                TraceItem(
                    e.id,
                    e.name,
                    e.level,
                    e.scope_id,
                    st.status == _ACTIVE,
                    st.reason,
                    st.step,
                    st.tokens,
                    st.hits,
                    st.detail,
                    st.problems,
                    st.group,
                    st.group_winner,
                    st.sticky_since,
                    st.timed_until,
                )
            )
        states = self.states
        admitted = sorted(
            self.admitted, key=lambda gid: (entries[gid].insertion_order or 0, -states[gid].order)
        )
        for name, problem in self.gave_up.items():
            gid = name[0]
            if problem.problem == "timeout":
                self.warnings.append(
                    f"regex key {problem.key!r} of {entries[gid].name or entries[gid].id!r}"
                    f" {problem.detail}"
                )
        activated = [entries[g] for g in admitted]
        return ScanResult(
            entries=activated,
            trace=trace,
            tokens_used=self.used,
            token_budget=self.budget,
            steps=self.step,
            warnings=list(dict.fromkeys(self.warnings)),
            lore_state=self.timed.finish(activated),
        )
