"""``./lk bench chat [--json PATH] [--runs N] [--no-browser]``: the chat benchmark.

Engine rows (Pyodide in headless Chromium, CPython beside it for scale):

* building the prompt for a 1,000-message chat with 5,000 lore entries in scope — the
  first build (empty lore-index and token caches) and the next reply's build (one new
  message; caches warm; target ≤ 50 ms in Pyodide);
* token counting of a 100 KB chat, cold (empty count cache) and cached;
* loading the tokenizer on first use (the wheel and the o200k vocabulary).

The chat screen's DOM rows (chunk to paint with a 2,000-message chat open, opening a
10,000-message chat) join `CASES` with `where="dom"` and a `case_<key>` function in a page
module; see bench/chat/README.md.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._cli import bench_parser, report

__all__ = ["CASES", "Case", "main"]

_HERE = Path(__file__).resolve().parent
_FILES = ("__init__.py", "_data.py", "_measure.py", "_dom.py")


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    target_ms: float | None = None
    #: "engine": runs in CPython and Pyodide; "dom": in the app page only.
    where: str = "engine"


CASES = [
    Case("prompt_warm", "prompt, next reply (1,000 msgs, 5,000 lore entries)", 50.0),
    Case("prompt_first", "prompt, first build (cold lore index and counts)"),
    Case("tokens_cold", "token count, 100 KB chat, cold"),
    Case("tokens_cached", "token count, 100 KB chat, cached"),
    Case("tokenizer_load", "tokenizer first use (load + vocabulary)"),
    Case(
        "chunk_to_dom",
        "streamed chunk to the DOM, 2,000-message chat open (p95)",
        16.0,
        where="dom",
    ),
    Case("open_10k", "opening a 10,000-message chat to its messages painted", 300.0, where="dom"),
]


def run_cpython(runs: int) -> dict[str, Any]:
    import asyncio

    from bench.chat._measure import prepare, run_case

    state = asyncio.run(prepare())
    rows = {c.key: run_case(c.key, state, runs) for c in CASES if c.where == "engine"}
    return {"runtime": "CPython " + sys.version.split()[0], "rows": rows}


def run_pyodide(runs: int) -> dict[str, Any]:
    from tools.browser import browser_session

    sources = {name: (_HERE / name).read_text() for name in _FILES}
    setup = (
        "import os, sys\n"
        "os.makedirs('/home/pyodide/chatbench', exist_ok=True)\n"
        f"files = {sources!r}\n"
        "for name, text in files.items():\n"
        "    open('/home/pyodide/chatbench/' + name, 'w').write(text)\n"
        "sys.path.insert(0, '/home/pyodide')\n"
        "import chatbench._measure as m\n"
        "state = await m.prepare()\n"
        "sys.version.split()[0]\n"
    )
    rows: dict[str, Any] = {}
    with browser_session(timeout_ms=1_800_000) as s:
        version = s.run_python(setup)
        for case in CASES:
            if case.where == "engine":
                row = s.run_python(
                    f"r = m.run_case({case.key!r}, state, {runs}); r.pop('value', None); r"
                )
                rows[case.key] = row
        s.run_python("import chatbench._dom as d\nNone")
        for case in CASES:
            if case.where == "dom":
                rows[case.key] = s.run_python(f"await d.run_dom_case({case.key!r}, {runs})")
        browser = s.page.evaluate("navigator.userAgent")
    return {"runtime": f"Pyodide (Python {version}, Chromium)", "rows": rows, "browser": browser}


def _fmt(row: dict[str, Any] | None) -> str:
    if row is None:
        return "–"
    return f"{row['ms']:.1f}" if row["ms"] < 100 else f"{row['ms']:.0f}"


def table(results: list[dict[str, Any]]) -> str:
    head = "| case | " + " | ".join(r["runtime"] for r in results) + " | target |"
    lines = [head, "|" + "---|" * (len(results) + 2)]
    for case in CASES:
        cells = [_fmt(r["rows"].get(case.key)) for r in results]
        target = "–"
        if case.target_ms is not None:
            first = results[0]["rows"].get(case.key)
            ok = first is not None and first["ms"] <= case.target_ms
            target = f"≤ {case.target_ms:g} {'✓' if ok else '✗'}"
        lines.append(f"| {case.label} | " + " | ".join(cells) + f" | {target} |")
    detail = results[0]["rows"].get("prompt_warm") or {}
    cold = results[0]["rows"].get("tokens_cold") or {}
    chunk = results[0]["rows"].get("chunk_to_dom")
    opened = results[0]["rows"].get("open_10k")
    if chunk:
        lines.append("")
        lines.append(
            f"Streaming (in the app page): a chunk reaches the text node in "
            f"{chunk['median']:.1f} ms (median), p95 {chunk['ms']:.1f} ms over {chunk['runs']} "
            f"chunks, painted by the next frame (p95 {chunk['painted_p95']:.1f} ms); "
            f"{chunk['articles_in_dom']} of 2,001 messages are in the document."
        )
    if opened:
        lines.append("")
        lines.append(
            f"Opening 10,000 messages: median of {opened['runs']} runs, worst "
            f"{opened['max']:.0f} ms; {opened['articles_in_dom']} articles rendered (the chat "
            "opens on its newest messages; the rest is read right after, outside the timing)."
        )
    if not (detail and cold):
        return "\n".join(lines)
    lines.append("")
    lines.append(
        f"ms, median of the runs. Prompt: {detail.get('kept', '?')} newest messages kept in a "
        f"16k context, {detail.get('tokens', '?')} tokens, {detail.get('considered', '?')} lore "
        f"entries considered. Token count: {cold.get('messages', '?')} messages, "
        f"{cold.get('kb', '?')} KB, {cold.get('tokens', '?')} tokens (o200k_base)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser("python -m bench.chat", __doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-browser", action="store_true", help="CPython only")
    parser.add_argument("--only", help="comma-separated case keys to run (default: all)")
    args = parser.parse_args(argv)
    if args.only:
        wanted = set(args.only.split(","))
        CASES[:] = [c for c in CASES if c.key in wanted]
    results = [run_cpython(args.runs)]  # first: Playwright's sync API leaves a loop running
    if not args.no_browser:
        results.insert(0, run_pyodide(args.runs))
    for r in results:
        for row in r["rows"].values():
            row.pop("value", None)
    report(table(results), results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
