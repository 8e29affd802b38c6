"""The writing benchmark's page side: runs inside Pyodide in Chromium (sent as source,
after ``bench/lore/_data.py``, whose ``make_entries`` / ``make_chapter`` it uses).

A library on IndexedDB gets a story in a series and 5,000 lorebook entries spread over
its global, series and story layers; the app is started on it the way the boot does.
Then:

- the lorebook screen of the story: mount (navigation until every section shows its
  rows), one search keystroke (the input event's handler: filter 5,000 entries, patch
  the lists), toggling one entry (the click until its row shows it disabled);
- the chapter editor on a 50 KB chapter: one keystroke in the middle of the text (the
  input event's handler: mention marking, the mirror patch, word count, the draft
  journal), in paragraphs and in one 50 KB paragraph.
"""

from __future__ import annotations

import asyncio
import statistics
import uuid
from typing import Any

import js

from app.startup import open_library
from app.state import AppState, DomainBackend
from app.ui import BrowserDom, start

now = js.performance.now


def _say(what: str) -> None:
    js.console.log(f"[bench.writing] {what}")


def _paragraphs(text: str, every: int = 700) -> str:
    """Prose cut into paragraphs of about ``every`` characters (at a space)."""
    out: list[str] = []
    start = 0
    while start < len(text):
        cut = text.find(" ", start + every)
        cut = len(text) if cut < 0 else cut
        out.append(text[start:cut].strip())
        start = cut + 1
    return "\n\n".join(out)


async def _idle(app: Any, state: Any, dom: Any) -> None:
    for _ in range(6):
        await dom.settle()
        await app.settle()
        await state.writing.settle()
        await asyncio.sleep(0)


def _input(node: Any) -> None:
    node.dispatchEvent(js.Event.new("input", js.Object.fromEntries([["bubbles", True]])))


async def run(entries: int = 5000, repeat: int = 15) -> dict[str, Any]:
    library = await open_library(f"bench-writing-{uuid.uuid4().hex[:8]}")
    d = library.domain
    saga = await d.series.create({"name": "Saga"})
    story = await d.stories.stories.create({"title": "Dune", "series_id": saga.id})
    made = make_entries(entries)  # noqa: F821 - defined by bench/lore/_data.py, sent first
    records = []
    for e in made:
        record = e.to_record() if hasattr(e, "to_record") else dict(e.__dict__)
        scope = {"global": None, "series": saga.id, "story": story.id}[record["level"]]
        record.update(
            id=str(uuid.uuid4()),
            scope_id=scope,
            created_at="2026-01-01T00:00:00.000000Z",
            updated_at="2026-01-01T00:00:00.000000Z",
        )
        records.append(record)
    await d.store.table("lorebook_entries").bulk_put(records)
    _say('entries stored')
    chapter_text = make_chapter(made)  # noqa: F821
    paragraphs = _paragraphs(chapter_text)
    chapter = await d.stories.chapters.create(
        {"story_id": story.id, "title": "One", "content": paragraphs}
    )

    host = js.document.createElement("div")
    js.document.body.appendChild(host)
    dom = BrowserDom()
    state = AppState(DomainBackend(d))
    js.window.location.hash = "#/series"
    app = await start(host, state, dom=dom)
    await _idle(app, state, dom)
    _say("app started")
    out: dict[str, Any] = {"entries": entries, "chapter_chars": len(paragraphs)}

    # -- the lorebook screen ------------------------------------------------------------
    t0 = now()
    app.router.navigate(f"#/lorebook/story/{story.id}")
    await _idle(app, state, dom)
    rows = host.querySelectorAll("li.lore-entry").length
    t1 = now()
    out["lorebook_mount_ms"] = t1 - t0
    out["lorebook_rows_shown"] = int(rows)
    _say('lorebook mounted')

    search = host.querySelector("#lore-search")
    typed = ["a", "al", "alb", "albo", "", "kel", "ke", "k", ""]
    times = []
    for i in range(repeat):
        search.value = typed[i % len(typed)]
        t0 = now()
        _input(search)
        times.append(now() - t0)
    search.value = ""
    _input(search)
    out["search_keystroke_ms"] = statistics.median(times)
    out["search_keystroke_ms_max"] = max(times)
    _say('searched')

    times = []
    for _ in range(repeat):
        button = host.querySelector(
            "section.level-story li.lore-entry button[aria-label^='Disable'], section.level-story li.lore-entry button[aria-label^='Enable']"
        )
        label = str(button.getAttribute("aria-label"))
        t0 = now()
        button.click()
        want = "Enable" if label.startswith("Disable") else "Disable"
        while not str(button.getAttribute("aria-label")).startswith(want):
            await asyncio.sleep(0.001)  # a timer turn: IndexedDB's events must get theirs
        times.append(now() - t0)
    out["toggle_entry_ms"] = statistics.median(times)
    out["toggle_entry_ms_max"] = max(times)
    _say('toggled')
    await _idle(app, state, dom)

    # -- the chapter editor ---------------------------------------------------------------
    async def keystrokes(text: str) -> dict[str, float]:
        await d.stories.save_chapter_text(chapter.id, text)
        t0 = now()
        app.router.navigate(f"#/stories/{story.id}/chapters/{chapter.id}")
        await _idle(app, state, dom)
        while host.querySelectorAll(".marked-mirror mark").length == 0:
            await asyncio.sleep(0.01)
        opened = now() - t0
        area = host.querySelector("#chapter-text")
        times = []
        value = str(area.value)
        for i in range(repeat):
            at = len(value) // 2 + i
            value = value[:at] + "e" + value[at:]
            area.value = value
            area.setSelectionRange(at + 1, at + 1)
            t0 = now()
            _input(area)
            times.append(now() - t0)
        marks = int(host.querySelectorAll(".marked-mirror mark").length)
        app.router.navigate(f"#/stories/{story.id}")
        await _idle(app, state, dom)
        return {
            "open_ms": opened,
            "keystroke_ms": statistics.median(times),
            "keystroke_ms_max": max(times),
            "marks": marks,
        }

    out["chapter_paragraphs"] = await keystrokes(paragraphs)
    out["chapter_one_paragraph"] = await keystrokes(chapter_text)
    app.stop()
    state.close()
    host.remove()
    d.store.close()
    await d.store.db.delete()
    return out
