"""``python -m bench.writing [--json PATH] [--entries N] [--repeat K]``: the writing
workspace and the lorebook screen in headless Chromium, on IndexedDB.

The lorebook screen of a story seeing 5,000 entries (global, series and story layers):
mount, one search keystroke, toggling one entry. Mention marking in the chapter editor,
per keystroke, on a 50 KB chapter with those 5,000 entries in scope (target ≤ 30 ms),
in paragraphs and as one 50 KB paragraph. Search targets ≤ 100 ms per keystroke.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from bench._cli import bench_parser, report

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"search_keystroke_ms": 100.0, "keystroke_ms": 30.0}


def measure(entries: int, repeat: int) -> dict[str, Any]:
    from tools.browser import browser_session

    with browser_session() as session:
        session.run_python((ROOT / "lore" / "_data.py").read_text(encoding="utf-8"))
        session.run_python((Path(__file__).with_name("_in_page.py")).read_text(encoding="utf-8"))
        result: dict[str, Any] = session.run_python(f"await run({entries}, {repeat})")
        result["repeat"] = repeat
        result["browser"] = session.page.evaluate("navigator.userAgent")
    return result


def table(r: dict[str, Any]) -> str:
    para, one = r["chapter_paragraphs"], r["chapter_one_paragraph"]
    lines = [
        f"{r['entries']:,} lorebook entries in scope, a {r['chapter_chars']:,}-character chapter"
        f" — {r.get('browser', '')}",
        "",
        "| operation | median ms | worst ms | target |",
        "|---|---:|---:|---:|",
        f"| lorebook screen: mount ({r['lorebook_rows_shown']} rows drawn) "
        f"| {r['lorebook_mount_ms']:.0f} | – | – |",
        f"| lorebook screen: one search keystroke | {r['search_keystroke_ms']:.1f} "
        f"| {r['search_keystroke_ms_max']:.1f} | ≤ 100 |",
        f"| lorebook screen: toggle one entry | {r['toggle_entry_ms']:.1f} "
        f"| {r['toggle_entry_ms_max']:.1f} | – |",
        f"| chapter: open, first marking ({para['marks']} marks) | {para['open_ms']:.0f} | – | – |",
        f"| chapter: one keystroke, paragraphs | {para['keystroke_ms']:.1f} "
        f"| {para['keystroke_ms_max']:.1f} | ≤ 30 |",
        f"| chapter: one keystroke, one 50 KB paragraph | {one['keystroke_ms']:.1f} "
        f"| {one['keystroke_ms_max']:.1f} | ≤ 30 |",
        "",
        f"median and worst of {r.get('repeat', '?')} runs; a keystroke is the input event's "
        "handler (marking, the mirror patch, word count, draft journal).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser("python -m bench.writing", __doc__)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    result = measure(args.entries, args.repeat)
    report(table(result), result, args.json)
    ok = (
        result["search_keystroke_ms"] <= TARGETS["search_keystroke_ms"]
        and result["chapter_paragraphs"]["keystroke_ms"] <= TARGETS["keystroke_ms"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
