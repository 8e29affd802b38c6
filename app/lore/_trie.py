"""A regular expression shaped like a trie, for finding many literals with Python's C regex engine.

`re` tries alternatives one by one, so `a|b|c|...` over thousands of keys is slow; nested
groups that share prefixes (`ann(?:a|e)?`) let it follow one path per position. Wrapped in a
lookahead, `finditer` visits every position and returns the *longest* literal that starts
there; every shorter literal starting there is a prefix of it (see `prefixes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["MAX_TRIE_LITERAL", "TrieRegex"]

#: Literals longer than this are searched with `str.find` instead (bounds regex nesting).
MAX_TRIE_LITERAL = 48
_END = ""


class TrieRegex:
    """All occurrences (overlapping ones too) of a fixed set of literals."""

    __slots__ = ("_prefixes", "pattern")

    def __init__(self, literals: Iterable[str]) -> None:
        words = sorted({w for w in literals if w})
        root: dict[str, Any] = {}
        for word in words:
            node = root
            for ch in word:
                node = node.setdefault(ch, {})
            node[_END] = {}
        self.pattern = re.compile(f"(?=({_emit(root)}))", re.DOTALL)
        wordset = set(words)
        self._prefixes: dict[str, tuple[str, ...]] = {}
        for word in words:
            self._prefixes[word] = tuple(
                word[:n] for n in range(1, len(word) + 1) if word[:n] in wordset
            )

    def prefixes(self, literal: str) -> tuple[str, ...]:
        """Every literal of the set that is a prefix of `literal` (itself included)."""
        return self._prefixes[literal]

    def finditer(self, text: str) -> Iterable[tuple[int, str]]:
        """Yield `(offset, literal)` for every literal occurrence in `text`."""
        prefixes = self._prefixes
        for m in self.pattern.finditer(text):
            start = m.start()
            for word in prefixes[m.group(1)]:
                yield start, word


def _emit(node: dict[str, Any]) -> str:
    """Regex for the subtrie under `node` (iterative over literal chains)."""
    children = sorted(ch for ch in node if ch != _END)
    terminal = _END in node
    if not children:
        return ""
    if len(children) == 1 and not terminal:
        # Follow a chain of single children as one literal.
        chain = []
        cur = node
        while True:
            kids = [ch for ch in cur if ch != _END]
            if len(kids) != 1 or (_END in cur and cur is not node):
                break
            chain.append(kids[0])
            cur = cur[kids[0]]
        return re.escape("".join(chain)) + _emit(cur)
    leaves = [ch for ch in children if len(node[ch]) == 1 and _END in node[ch]]
    branches = [re.escape(ch) + _emit(node[ch]) for ch in children if ch not in leaves]
    if len(leaves) == 1:
        branches.append(re.escape(leaves[0]))
    elif leaves:
        branches.append("[" + "".join(_class_escape(ch) for ch in leaves) + "]")
    body = (
        branches[0]
        if len(branches) == 1 and len(children) == 1
        else "(?:" + "|".join(branches) + ")"
    )
    if terminal:
        if len(branches) == 1 and len(children) > 1 and body.startswith("["):
            return body + "?"
        return (body if body.startswith("(?:") else "(?:" + body + ")") + "?"
    return body


def _class_escape(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch
