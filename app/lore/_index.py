"""The search index of one scope layer: finds every plain key of the layer's entries in a text.

Plain keys fall into two groups, each searched by C code wherever possible:

* whole-word keys that start with a wordish character are *token-anchored*: such a match
  can only start where a wordish run of the text starts, and that run must equal the key's
  first run. The text is split into runs once per scan (`re.split`), runs are intersected
  with the index's first-run table (a set operation), and only the hits are verified.
* other literals (substring keys, CJK keys, keys starting with `#`...) go into a trie-shaped
  regular expression (`TrieRegex`), or are searched with `str.find` when they are few.

Keys are trimmed and NFKC-normalised (`_text`). `/regex/` keys are not searched here: the
scan runs them over the text layout SillyTavern builds (`_layout`), with JavaScript's
rules (`_regex_run`). A `/…/` key JavaScript would reject is a plain key, as in SillyTavern.

An index is built in one go (`LayerIndex(...)`) or a slice of entries at a time
(`LayerIndex.building(...)`, which the cooperative builder steps between event-loop turns).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any

from ._entry import SOURCE_FIELDS, index_facts
from ._jsregex import JS_WHITESPACE as _JS_WS
from ._keys import JsCheck, RegexKey, parse_key
from ._text import FIRST_RUN, Normalized, boundary_ok, next_run, normalize_key, split_tokens
from ._trie import MAX_TRIE_LITERAL, TrieRegex

__all__ = [
    "PRIMARY",
    "SECONDARY",
    "SOURCES",
    "LayerIndex",
    "PreparedText",
    "first_run_tables",
    "prime",
]

_START = itemgetter(1)

_NEXT_RUN = next_run
_FIRST_RUN = FIRST_RUN
PRIMARY = 0
SECONDARY = 1
#: Up to this many substring literals, `str.find` loops beat building a trie regex.
FIND_LOOP_LIMIT = 24
#: The extra texts an entry may ask to be matched against: entry field -> bit.
SOURCES: dict[str, int] = {name: 1 << i for i, name in enumerate(SOURCE_FIELDS)}
#: Entries added to an index between two yields of the cooperative builder.
BUILD_SLICE = 600


class PreparedText:
    """One text chunk, with its normal forms and word runs computed once for every layer."""

    __slots__ = ("_norm", "_positions", "_runs", "_wanted", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        self._norm: dict[bool, Normalized] = {}
        self._runs: dict[bool, tuple[list[str], list[int]]] = {}
        self._wanted: dict[tuple[bool, int], frozenset[str]] = {}
        self._positions: dict[bool, dict[str, list[int]]] = {False: {}, True: {}}

    def normalized(self, case_sensitive: bool) -> Normalized:
        got = self._norm.get(case_sensitive)
        if got is None:
            got = self._norm[case_sensitive] = Normalized(self.original, case_sensitive)
        return got

    def text(self, case_sensitive: bool) -> str:
        return self.normalized(case_sensitive).text

    def runs(self, case_sensitive: bool) -> tuple[list[str], list[int]]:
        """The text's wordish runs and their start offsets."""
        got = self._runs.get(case_sensitive)
        if got is None:
            got = self._runs[case_sensitive] = split_tokens(self.text(case_sensitive))
        return got

    def wanted(self, case_sensitive: bool, first_runs: frozenset[str]) -> frozenset[str]:
        """The runs of the text that are in `first_runs` (cached per table). After `prime`,
        this intersects two small sets instead of walking the runs again."""
        key = (case_sensitive, id(first_runs))
        got = self._wanted.get(key)
        if got is None:
            primed = self._wanted.get((case_sensitive, 0))
            if primed is not None:
                got = primed.intersection(first_runs)
            else:
                got = first_runs.intersection(self.runs(case_sensitive)[0])
            self._wanted[key] = got
        return got

    def positions(self, case_sensitive: bool, wanted: frozenset[str]) -> dict[str, list[int]]:
        """Run indexes of each wanted token; one pass over the runs per batch of new tokens
        (`prime` asks for every layer's tokens at once)."""
        cache = self._positions[case_sensitive]
        missing = wanted.difference(cache)
        if missing:
            tokens = self.runs(case_sensitive)[0]
            for tok in missing:
                cache[tok] = []
            for i in [i for i, tok in enumerate(tokens) if tok in missing]:
                cache[tokens[i]].append(i)
        return cache


class _Anchor:
    """Keys longer than their first wordish run `token`.

    They are grouped by their second wordish run (`by_second`), which must then equal the
    text's next run; keys without a second run are in `rest`.
    """

    __slots__ = ("by_second", "rest", "token")

    def __init__(self, token: str, by_needle: dict[str, list[int]]) -> None:
        self.token = token
        self.by_second: dict[str, list[tuple[str, list[int]]]] = {}
        self.rest: list[tuple[str, list[int]]] = []
        for needle, refs in by_needle.items():
            m = _NEXT_RUN(needle, len(token))
            if m is None:
                self.rest.append((needle, refs))
            else:
                self.by_second.setdefault(m.group(), []).append((needle, refs))


class _LiteralGroup:
    """Literals of one case mode: token-anchored tables plus a substring searcher."""

    __slots__ = (
        "_find_list",
        "_long",
        "_trie",
        "anchors",
        "exact",
        "first_runs",
        "longer",
        "substrings",
    )

    def __init__(self) -> None:
        #: first run -> refs of keys that are exactly that run
        self.exact: dict[str, list[int]] = {}
        #: first run -> needle -> refs (frozen into `anchors`)
        self.longer: dict[str, dict[str, list[int]]] = {}
        self.anchors: dict[str, _Anchor] = {}
        #: needle -> [(ref, whole_word), ...]
        self.substrings: dict[str, list[tuple[int, bool]]] = {}
        self.first_runs: frozenset[str] = frozenset()
        self._trie: TrieRegex | None = None
        self._find_list: list[str] = []
        self._long: list[str] = []

    def freeze_steps(self) -> Iterator[None]:
        """Build the lookup tables, yielding now and then (see `LayerIndex.building`)."""
        done = 0
        for tok, by_needle in self.longer.items():
            self.anchors[tok] = _Anchor(tok, by_needle)
            done += len(by_needle)
            if done >= BUILD_SLICE * 2:
                done = 0
                yield
        self.first_runs = frozenset(self.exact).union(self.anchors)
        short = [n for n in self.substrings if len(n) <= MAX_TRIE_LITERAL]
        self._long = [n for n in self.substrings if len(n) > MAX_TRIE_LITERAL]
        if len(short) > FIND_LOOP_LIMIT:
            self._trie = TrieRegex(short)
        else:
            self._find_list = short

    def find(self, prepared: PreparedText, cs: bool, out: list[tuple[int, int, int]]) -> None:
        norm = prepared.normalized(cs)
        text = norm.text
        mapped = norm.mapped
        conv = norm.to_original
        if self.first_runs:
            tokens, starts = prepared.runs(cs)
            wanted = prepared.wanted(cs, self.first_runs)
            if wanted:
                positions = prepared.positions(cs, wanted)
                exact_map = self.exact
                anchors = self.anchors
                n_tokens = len(tokens)
                for tok in wanted:
                    exact = exact_map.get(tok)
                    anchor = anchors.get(tok)
                    for i in positions[tok]:
                        start = starts[i]
                        if exact:
                            end = start + len(tok)
                            s, e = (conv(start), conv(end)) if mapped else (start, end)
                            for ref in exact:
                                out.append((ref, s, e))
                        if anchor is None:
                            continue
                        longer = []
                        if anchor.rest:
                            longer = [nr for nr in anchor.rest if text.startswith(nr[0], start)]
                        if anchor.by_second and i + 1 < n_tokens:
                            second = anchor.by_second.get(tokens[i + 1])
                            if second:
                                longer.extend(nr for nr in second if text.startswith(nr[0], start))
                        if not longer:
                            continue
                        for needle, refs in longer:
                            end = start + len(needle)
                            if not boundary_ok(text, start, end, needle):
                                continue
                            s, e = (conv(start), conv(end)) if mapped else (start, end)
                            for ref in refs:
                                out.append((ref, s, e))
        if not self.substrings:
            return
        subs = self.substrings
        if self._trie is not None:
            for start, needle in self._trie.finditer(text):
                self._emit(text, start, needle, subs[needle], norm, out)
        for needle in (*self._find_list, *self._long):
            start = text.find(needle)
            while start != -1:
                self._emit(text, start, needle, subs[needle], norm, out)
                start = text.find(needle, start + 1)

    @staticmethod
    def _emit(
        text: str,
        start: int,
        needle: str,
        refs: list[tuple[int, bool]],
        norm: Normalized,
        out: list[tuple[int, int, int]],
    ) -> None:
        end = start + len(needle)
        ok: bool | None = None
        s, e = norm.to_original(start), norm.to_original(end)
        for ref, whole_word in refs:
            if whole_word:
                if ok is None:
                    ok = boundary_ok(text, start, end, needle)
                if not ok:
                    continue
            out.append((ref, s, e))


class LayerIndex:
    """Index over the keys of one layer's entries (built once, reused while they are unchanged).

    A *ref* numbers one plain key; `refs[ref]` says whose it is. Regex keys are listed in
    `regex_keys`; `/…/` keys that are matched as plain text are listed in `problems`.
    """

    def __init__(
        self,
        entries: Sequence[Any],
        *,
        case_sensitive: bool,
        whole_words: bool,
        js_check: JsCheck | None = None,
    ) -> None:
        for _ in self.building(entries, case_sensitive, whole_words, js_check):
            pass

    @classmethod
    def empty(cls) -> LayerIndex:
        return cls.__new__(cls)

    def building(
        self,
        entries: Sequence[Any],
        case_sensitive: bool,
        whole_words: bool,
        js_check: JsCheck | None = None,
    ) -> Iterator[None]:
        """Fill this index, yielding after every `BUILD_SLICE` entries (and while freezing
        its tables) so a caller can give the event loop a turn."""
        self.size = len(entries)
        #: ref -> (entry position, PRIMARY/SECONDARY, key position, key as written)
        self.refs: list[tuple[int, int, int, str]] = []
        self.secondary_count: list[int] = [0] * len(entries)
        self.constants: list[int] = []
        #: entry position -> its own scan depth (entries that set one)
        self.depths: dict[int, int] = {}
        self.max_scan_depth = 0
        #: recursion levels of the entries that wait for recursion
        self.delay_levels: set[int] = set()
        #: OR of the SOURCES bits the entries ask for
        self.source_mask = 0
        #: (entry position, PRIMARY/SECONDARY, key position, key as written, regex)
        self.regex_keys: list[tuple[int, int, int, str, RegexKey]] = []
        #: (entry position, key as written, why it is matched as plain text)
        self.problems: list[tuple[int, str, str]] = []
        groups = {False: _LiteralGroup(), True: _LiteralGroup()}
        self._groups = groups
        #: content string -> hits of this layer's keys in it (filled by `Matcher`)
        self.content_hits: dict[str, list[tuple[int, int, int, str, int, int]]] = {}
        facts: list[Any] = []
        for start in range(0, len(entries), BUILD_SLICE):
            for local in range(start, min(start + BUILD_SLICE, len(entries))):
                item = index_facts(entries[local])
                facts.append(item)
                self._add(local, item, case_sensitive, whole_words, js_check)
            yield
        #: what the index was built from (see `index_fingerprint`)
        self.fingerprint = facts
        for group in groups.values():
            yield from group.freeze_steps()
        self._active = [(cs, g) for cs, g in groups.items() if g.first_runs or g.substrings]

    def _add(
        self,
        local: int,
        facts: Any,
        case_sensitive: bool,
        whole_words: bool,
        js_check: JsCheck | None,
    ) -> None:
        refs = self.refs
        _, keys, secondary, case, whole, constant, scan_depth, level, bits = facts
        if constant:
            self.constants.append(local)
        if scan_depth is not None:
            self.depths[local] = scan_depth
            self.max_scan_depth = max(self.max_scan_depth, scan_depth)
        if level:
            self.delay_levels.add(level)
        self.source_mask |= bits
        cs = case_sensitive if case is None else bool(case)
        ww = whole_words if whole is None else bool(whole)
        group = self._groups[cs]
        if secondary:
            self.secondary_count[local] = len(secondary)
        for kind, kind_keys in ((PRIMARY, keys), (SECONDARY, secondary)):
            if not kind_keys:
                continue
            for key_idx, raw in enumerate(kind_keys):
                if not isinstance(raw, str):
                    continue
                text = raw.strip(_JS_WS)
                if not text:
                    continue  # an empty key never matches (it still counts for AND ALL)
                if text[0] == "/":
                    spec = parse_key(raw, js_check=js_check)
                    if spec.regex is not None:
                        self.regex_keys.append((local, kind, key_idx, raw, spec.regex))
                        continue
                    if spec.problem is not None:
                        self.problems.append((local, raw, spec.problem))
                ref = len(refs)
                refs.append((local, kind, key_idx, raw))
                if text.isascii():
                    needle = text if cs else text.lower()
                else:
                    needle = normalize_key(text, cs)
                m = _FIRST_RUN(needle) if ww else None
                if m is None:
                    group.substrings.setdefault(needle, []).append((ref, ww))
                    continue
                tok = m.group()
                if len(tok) == len(needle):
                    group.exact.setdefault(tok, []).append(ref)
                else:
                    group.longer.setdefault(tok, {}).setdefault(needle, []).append(ref)

    def find(self, prepared: PreparedText) -> list[tuple[int, int, int]]:
        """Every `(ref, start, end)` plain-key occurrence in the chunk (offsets in the
        original text), ordered by start offset."""
        out: list[tuple[int, int, int]] = []
        for cs, group in self._active:
            group.find(prepared, cs, out)
        out.sort(key=_START)
        return out


def first_run_tables(indexes: list[LayerIndex]) -> dict[bool, frozenset[str]]:
    """Per case mode, the union of the layers' first-run tables."""
    out: dict[bool, frozenset[str]] = {}
    for cs in (False, True):
        tables = [index._groups[cs].first_runs for index in indexes if index._groups[cs].first_runs]
        if tables:
            out[cs] = tables[0] if len(tables) == 1 else frozenset().union(*tables)
    return out


def prime(prepared: PreparedText, tables: dict[bool, frozenset[str]]) -> None:
    """Find, in one pass over the text, the runs that any layer needs, and locate them
    (instead of one pass per layer). `tables` comes from `first_run_tables`."""
    for cs, table in tables.items():
        wanted = table.intersection(prepared.runs(cs)[0])
        prepared._wanted[(cs, 0)] = wanted
        if wanted:
            prepared.positions(cs, wanted)
