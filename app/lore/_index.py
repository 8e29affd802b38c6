"""The search index of one scope layer: finds every key of the layer's entries in a text.

Keys fall into three groups, each searched by C code wherever possible:

* whole-word keys that start with a wordish character are *token-anchored*: such a match
  can only start where a wordish run of the text starts, and that run must equal the key's
  first run. The text is split into runs once per scan (`re.split`), runs are intersected
  with the index's first-run table (a set operation), and only the hits are verified.
* other literals (substring keys, CJK keys, keys starting with `#`...) go into a trie-shaped
  regular expression (`TrieRegex`), or are searched with `str.find` when they are few;
* `/regex/` keys are compiled once and run with `finditer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from ._keys import KeyError_, compile_regex_key
from ._text import FIRST_RUN, Folded, boundary_ok, lower, next_run, split_tokens
from ._trie import MAX_TRIE_LITERAL, TrieRegex

__all__ = ["PRIMARY", "SECONDARY", "LayerIndex", "PreparedText", "first_run_tables", "prime"]

_START = itemgetter(1)

_NEXT_RUN = next_run
_FIRST_RUN = FIRST_RUN
PRIMARY = 0
SECONDARY = 1
#: Up to this many substring literals, `str.find` loops beat building a trie regex.
FIND_LOOP_LIMIT = 24
#: At most this many matches are taken from one regex key in one text.
MAX_REGEX_MATCHES = 10_000


class PreparedText:
    """One text chunk, with the folded copy and word runs computed once for every layer."""

    __slots__ = ("_folded", "_positions", "_runs", "_wanted", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        self._folded: Folded | None = None
        self._runs: dict[bool, tuple[list[str], list[int]]] = {}
        self._wanted: dict[tuple[bool, int], set[str]] = {}
        self._positions: dict[bool, dict[str, list[int]]] = {False: {}, True: {}}

    @property
    def folded(self) -> Folded:
        if self._folded is None:
            self._folded = Folded(self.original)
        return self._folded

    def text(self, case_sensitive: bool) -> str:
        return self.original if case_sensitive else self.folded.text

    def runs(self, case_sensitive: bool) -> tuple[list[str], list[int]]:
        """The text's wordish runs and their start offsets."""
        got = self._runs.get(case_sensitive)
        if got is None:
            got = self._runs[case_sensitive] = split_tokens(self.text(case_sensitive))
        return got

    def wanted(self, case_sensitive: bool, first_runs: frozenset[str]) -> set[str]:
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

    def positions(self, case_sensitive: bool, wanted: set[str]) -> dict[str, list[int]]:
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

    def to_original(self, case_sensitive: bool, offset: int) -> int:
        return offset if case_sensitive else self.folded.to_original(offset)


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

    __slots__ = ("_find_list", "_long", "_trie", "exact", "first_runs", "longer", "substrings")

    def __init__(self) -> None:
        #: first run -> refs of keys that are exactly that run
        self.exact: dict[str, list[int]] = {}
        #: first run -> needle -> refs (frozen into `_Anchor`s)
        self.longer: dict[str, Any] = {}
        #: needle -> [(ref, whole_word), ...]
        self.substrings: dict[str, list[tuple[int, bool]]] = {}
        self.first_runs: frozenset[str] = frozenset()
        self._trie: TrieRegex | None = None
        self._find_list: list[str] = []
        self._long: list[str] = []

    def freeze(self) -> None:
        self.longer = {tok: _Anchor(tok, by_needle) for tok, by_needle in self.longer.items()}
        self.first_runs = frozenset(self.exact).union(self.longer)
        short = [n for n in self.substrings if len(n) <= MAX_TRIE_LITERAL]
        self._long = [n for n in self.substrings if len(n) > MAX_TRIE_LITERAL]
        if len(short) > FIND_LOOP_LIMIT:
            self._trie = TrieRegex(short)
        else:
            self._find_list = short

    def find(self, prepared: PreparedText, cs: bool, out: list[tuple[int, int, int]]) -> None:
        text = prepared.text(cs)
        mapped = not cs and prepared.folded._map is not None
        conv = prepared.folded.to_original
        if self.first_runs:
            tokens, starts = prepared.runs(cs)
            wanted = prepared.wanted(cs, self.first_runs)
            if wanted:
                positions = prepared.positions(cs, wanted)
                exact_map = self.exact
                longer_map = self.longer
                n_tokens = len(tokens)
                for tok in wanted:
                    exact = exact_map.get(tok)
                    anchor = longer_map.get(tok)
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
                self._emit(text, start, needle, subs[needle], mapped, conv, out)
        for needle in (*self._find_list, *self._long):
            start = text.find(needle)
            while start != -1:
                self._emit(text, start, needle, subs[needle], mapped, conv, out)
                start = text.find(needle, start + 1)

    @staticmethod
    def _emit(text, start, needle, refs, mapped, conv, out) -> None:  # type: ignore[no-untyped-def]
        end = start + len(needle)
        ok: bool | None = None
        s, e = (conv(start), conv(end)) if mapped else (start, end)
        for ref, whole_word in refs:
            if whole_word:
                if ok is None:
                    ok = boundary_ok(text, start, end, needle)
                if not ok:
                    continue
            out.append((ref, s, e))


class LayerIndex:
    """Index over the keys of one layer's entries (built once, reused while they are unchanged).

    A *ref* numbers one usable key; `refs[ref]` says whose it is.
    """

    def __init__(self, entries: Sequence[Any], *, case_sensitive: bool, whole_words: bool) -> None:
        self.size = len(entries)
        #: ref -> (entry position, PRIMARY/SECONDARY, key position, key as written)
        self.refs: list[tuple[int, int, int, str]] = []
        self.secondary_count: list[int] = [0] * len(entries)
        self.constants: list[int] = []
        self.max_scan_depth = 0
        self.errors: list[tuple[int, str, str]] = []
        groups = {False: _LiteralGroup(), True: _LiteralGroup()}
        self._groups = groups
        self._regex: list[tuple[int, Any]] = []
        #: content string -> hits of this layer's keys in it (filled by `Matcher`)
        self.content_hits: dict[str, list[tuple[int, int, int, str, int, int]]] = {}
        refs = self.refs
        first = _FIRST_RUN
        for local, entry in enumerate(entries):
            if entry.constant:
                self.constants.append(local)
            if entry.scan_depth is not None:
                self.max_scan_depth = max(self.max_scan_depth, entry.scan_depth)
            cs = case_sensitive if entry.case_sensitive is None else bool(entry.case_sensitive)
            ww = whole_words if entry.match_whole_words is None else bool(entry.match_whole_words)
            group = groups[cs]
            for kind, keys in ((PRIMARY, entry.keys), (SECONDARY, entry.secondary_keys)):
                if not keys:
                    continue
                for key_idx, raw in enumerate(keys):
                    if not isinstance(raw, str) or not raw or raw.isspace():
                        continue
                    if raw[0] == "/":
                        try:
                            regex = compile_regex_key(raw)
                        except KeyError_ as exc:
                            self.errors.append((local, raw, str(exc)))
                            continue
                        if regex is not None:
                            self._regex.append((len(refs), regex))
                            refs.append((local, kind, key_idx, raw))
                            if kind:
                                self.secondary_count[local] += 1
                            continue
                    ref = len(refs)
                    refs.append((local, kind, key_idx, raw))
                    if kind:
                        self.secondary_count[local] += 1
                    needle = raw if cs else lower(raw)
                    m = first(needle) if ww else None
                    if m is None:
                        group.substrings.setdefault(needle, []).append((ref, ww))
                        continue
                    tok = m.group()
                    if len(tok) == len(needle):
                        group.exact.setdefault(tok, []).append(ref)
                    else:
                        group.longer.setdefault(tok, {}).setdefault(needle, []).append(ref)
        for group in groups.values():
            group.freeze()
        self._active = [(cs, g) for cs, g in groups.items() if g.first_runs or g.substrings]

    def find(self, prepared: PreparedText) -> list[tuple[int, int, int]]:
        """Every `(ref, start, end)` occurrence in the chunk (offsets in the original text),
        ordered by start offset."""
        out: list[tuple[int, int, int]] = []
        for cs, group in self._active:
            group.find(prepared, cs, out)
        if self._regex:
            text = prepared.original
            for ref, rx in self._regex:
                n = 0
                for m in rx.finditer(text):
                    if m.end() > m.start():
                        out.append((ref, m.start(), m.end()))
                        n += 1
                        if n >= MAX_REGEX_MATCHES:
                            break
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
