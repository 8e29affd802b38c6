"""A textbook pure-Python Aho–Corasick automaton, to show why the engine does not use one."""

from __future__ import annotations

from collections import deque

__all__ = ["AhoCorasick"]


class AhoCorasick:
    """Goto/fail/output automaton over lowered keys; `scan` steps through the text per char."""

    def __init__(self, keys: list[str]) -> None:
        goto: list[dict[str, int]] = [{}]
        fail = [0]
        out: list[list[int]] = [[]]
        for i, key in enumerate(keys):
            s = 0
            for ch in key:
                n = goto[s].get(ch)
                if n is None:
                    n = len(goto)
                    goto.append({})
                    fail.append(0)
                    out.append([])
                    goto[s][ch] = n
                s = n
            out[s].append(i)
        queue = deque(goto[0].values())
        while queue:
            s = queue.popleft()
            for ch, n in goto[s].items():
                queue.append(n)
                f = fail[s]
                while f and ch not in goto[f]:
                    f = fail[f]
                target = goto[f].get(ch, 0)
                fail[n] = target if target != n else 0
                out[n] = out[n] + out[fail[n]]
        self.goto, self.fail, self.out = goto, fail, out

    def scan(self, text: str) -> list[tuple[int, int]]:
        """(end offset, state) of every position where some key ends (no boundary checks)."""
        goto, fail, out = self.goto, self.fail, self.out
        s = 0
        hits = []
        for pos, ch in enumerate(text):
            while s and ch not in goto[s]:
                s = fail[s]
            s = goto[s].get(ch, 0)
            if out[s]:
                hits.append((pos, s))
        return hits
