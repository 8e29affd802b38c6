"""The chapter editor (``#/stories/{id}/chapters/{chapter_id}``).

- "Chapter text": a plain-text editor that saves itself (never losing a keystroke, see
  ``app.ui._autosave``) with a word count; every key of the story's lore that the text
  activates, and every ``@tag``, is marked in it (a ``mark`` per mention, never stored
  in the text: ``app.ui._marked_text``);
- "Mentioned entries": the entries the text mentions, with their scope, each a link to
  the entry in its lorebook;
- scene beats: short instructions attached to a point of the text (they follow the
  text as it changes), in text order, reorderable, each one "Write this beat";
- "Continue writing" (where a provider is configured): generated text streams into the
  chapter, "Stop" keeps what arrived; the prompt inspector shows what was sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app.domain import Chapter, LorebookEntry, SceneBeat, Story
from app.domain.lorebook import Layer
from app.lore import MatchOptions
from app.reactive import Readable, Subscribable, Writable, derived, get, writable
from app.state import Lookup
from app.ui import Ctx, Event, Node, Page, Row, prevent_default
from app.ui._autosave_field import autosave_field
from app.ui._confirm import confirm_button
from app.ui._guard import Guard
from app.ui._inline_edit import inline_edit
from app.ui._inspector import PromptInspector, prompt_report
from app.ui._lore_view import entry_name
from app.ui._marked_text import MarkedText
from app.ui._mentions import LineMarks, MentionIndex, Mentions, pieces
from app.ui._record_page import record_page, record_title
from app.ui._sortable import SortableRow, sortable_list
from app.ui._text_autosave import TextAutosave
from app.ui._word_count import LineWordCounter, word_count

from ._common import LEVEL_NAMES, back_link, lorebook_href, plural
from .story import chapter_name

__all__ = ["render", "title"]


def _lookup(page: Page) -> Readable[Lookup[Chapter]]:
    """The chapter, if it exists and belongs to the story in the address."""
    story_id = page.params["id"]

    def check(found: Lookup[Chapter]) -> Lookup[Chapter]:
        if found.record is not None and found.record.story_id != story_id:
            return Lookup(True, None)
        return found

    return derived(page.state.writing.chapter(page.params["chapter_id"]), check)


def _named(page: Page) -> Readable[Lookup[str]]:
    """The chapter's name: its title, or "Chapter N" by its place in the story."""
    chapters = page.state.writing.chapters_of(page.params["id"])

    def name(values: list[Any]) -> Lookup[str]:
        found: Lookup[Chapter] = values[0]
        listed: list[Chapter] | None = values[1]
        if not found.loaded or found.record is None:
            return Lookup(found.loaded, None)
        chapter = found.record
        index = next((i for i, c in enumerate(listed or ()) if c.id == chapter.id), 0)
        return Lookup(True, chapter_name(chapter, index))

    return derived([_lookup(page), chapters], name)


def _record(found: Lookup[Chapter]) -> Chapter:
    assert found.record is not None  # the body is shown only while the chapter exists
    return found.record


def title(page: Page) -> Subscribable[str]:
    """The page title (the screen table's): the chapter's name."""
    return record_title(_named(page), lambda name: name, "Chapter")


def render(ctx: Ctx, page: Page) -> Node:
    writing = page.state.writing
    story_id = page.params["id"]
    chapter_id = page.params["chapter_id"]
    story = writing.story(story_id)
    chapters = writing.chapters_of(story_id)
    named = _named(page)

    def story_title(found: Lookup[Story]) -> str:
        return found.record.title if found.record is not None else "the story"

    lookup = _lookup(page)

    def body(c: Ctx, _name: Readable[str]) -> Node:
        chapter: Readable[Chapter] = derived(lookup, _record)
        return _editor(c, page, story_id, chapter_id, chapter, chapters, named)

    return record_page(
        ctx,
        page,
        named,
        noun="chapter",
        name=lambda n: n,
        back=(page.href("story", id=story_id), "Back to the story"),
        body=body,
        css="chapter-page",
        before_heading=back_link(ctx, page.href("story", id=story_id), derived(story, story_title)),
    )


def _editor(
    c: Ctx,
    page: Page,
    story_id: str,
    chapter_id: str,
    chapter: Readable[Chapter],
    chapters: Readable[list[Chapter] | None],
    named: Readable[Lookup[str]],
) -> Node:
    writing = page.state.writing
    guard = Guard(c)
    first: Chapter = get(chapter)

    # -- mentions ----------------------------------------------------------------------------
    lore = writing.lore_seen("story", story_id)
    settings = page.state.settings
    index: list[MentionIndex | None] = [None]
    mentions: Writable[Mentions | None] = writable(None)

    def analyse(text: str) -> list[LineMarks]:
        found = index[0]
        if found is None:
            return [LineMarks(piece, (), newline) for piece, newline in pieces(text)]
        result = found.analyse(text)
        mentions.set(result)
        return list(result.lines)

    # -- text, autosave, word count -------------------------------------------------------------
    key = f"chapter:{chapter_id}:text"

    async def save(text: str) -> None:
        await writing.save_chapter_text(chapter_id, text)

    auto = TextAutosave(c, key, save, saved_text=first.content)
    counter = LineWordCounter()
    words = writable(plural(counter(first.content), "word", "words"))

    def typed(text: str) -> None:
        auto.changed(text)
        words.set(plural(counter(text), "word", "words"))

    recovered = auto.recover(first.updated_at)
    editor = MarkedText(
        c,
        id="chapter-text",
        text=recovered if recovered is not None else first.content,
        analyse=analyse,
        on_text=typed,
        describedby="chapter-words chapter-saved",
    )
    if recovered is not None:  # typed before a reload and never saved (it saves after the pause)
        typed(recovered)

    def rebuild(values: list[Any]) -> None:
        seen: dict[Layer, list[LorebookEntry]] | None = values[0]
        if seen is None:
            return
        entries = [e for layer_entries in seen.values() for e in layer_entries if e.enabled]
        index[0] = MentionIndex(entries, MatchOptions.from_settings(values[1]), cache=writing.lore_cache)
        editor.remark()

    c.watch(derived([lore, settings], lambda vs: vs), rebuild)

    def follow(stored: Chapter | None) -> None:
        """Another tab (or generation) changed the text: show it unless the person is
        typing (then their text wins when it saves)."""
        if stored is None:
            return
        if auto.dirty:
            auto.saved_elsewhere(stored.content)
            return
        if stored.content != editor.text:
            auto.reset(stored.content)
            editor.set_text(stored.content)
            words.set(plural(counter(stored.content), "word", "words"))

    c.watch(chapter, follow)
    c.on(editor.textarea, "blur", lambda ev: auto.flush())
    generator = _Generator(c, page, story_id, editor, typed, auto)

    # -- title -----------------------------------------------------------------------------------
    async def rename(text: str) -> bool:
        ok, _ = await guard.run(lambda: writing.update_chapter(chapter_id, {"title": text}))
        return ok

    # -- neighbours ------------------------------------------------------------------------------
    def neighbours(listed: list[Chapter] | None) -> list[tuple[str, str, str]]:
        out: list[tuple[str, str, str]] = []
        items = listed or []
        here = next((i for i, ch in enumerate(items) if ch.id == chapter_id), None)
        if here is None:
            return out
        if here > 0:
            prev = items[here - 1]
            out.append(("Previous: ", chapter_name(prev, here - 1), prev.id))
        if here + 1 < len(items):
            nxt = items[here + 1]
            out.append(("Next: ", chapter_name(nxt, here + 1), nxt.id))
        return out

    nav = c.el("nav", {"class": "chapter-nav", "aria-label": "Chapters"})

    def draw_nav(c2: Ctx, links: list[tuple[str, str, str]]) -> Node:
        return c2.el(
            "ul",
            {"class": "inline-list"},
            *[
                c2.el(
                    "li",
                    None,
                    c2.el(
                        "a",
                        {"href": page.href("chapter", id=story_id, chapter_id=cid)},
                        prefix,
                        label,
                    ),
                )
                for prefix, label, cid in links
            ],
        )

    c.switch(nav, derived(chapters, neighbours), draw_nav, key=lambda links: tuple(links))

    return c.el(
        "div",
        {"class": "chapter-editor"},
        c.el(
            "div",
            {"class": "actions page-actions"},
            inline_edit(
                c,
                value=derived(chapter, lambda ch: ch.title if ch is not None else ""),
                field_label="Chapter title",
                button_label="Rename chapter",
                save=rename,
                required=False,
            ),
            c.el(
                "a",
                {"href": page.href("lorebook", level="story", scope_id=story_id)},
                "Story lorebook",
            ),
        ),
        guard.node,
        c.el(
            "div",
            {"class": "editor-field"},
            c.el("label", {"for": "chapter-text"}, "Chapter text"),
            editor.node,
            c.el(
                "div",
                {"class": "editor-meta"},
                c.el("p", {"id": "chapter-words", "class": "status"}, words),
                c.el(
                    "p", {"id": "chapter-saved", "class": "status", "role": "status"}, auto.status
                ),
            ),
        ),
        generator.node,
        _beats(c, page, chapter_id, editor, guard, auto.flush, generator),
        _mentioned(c, page, mentions, lore),
        nav,
    )


# -- mentioned entries ------------------------------------------------------------------------------


def _mentioned(c: Ctx, page: Page, mentions: Readable[Mentions | None], lore: Any) -> Node:
    listing = c.el("ul", {"class": "mentioned", "aria-labelledby": "mentioned-heading"})

    # (id, name, level, scope id, count): plain values, so comparing the list on every
    # keystroke is cheap and an unchanged list touches nothing
    Item = tuple[str, str, str, str | None, int]

    def items(found: Mentions | None) -> list[Item]:
        if found is None:
            return []
        return [
            (e.id, entry_name(e), e.level, e.scope_id, found.counts[e.id]) for e in found.entries
        ]

    def row(rc: Ctx, item: Item) -> Row[Item]:
        entry_id, label, level, scope_id, count = item
        link = rc.el("a", {"href": lorebook_href(page, level, scope_id, entry_id)}, label)
        node = rc.el(
            "li",
            None,
            link,
            " ",
            rc.el("span", {"class": "badge"}, LEVEL_NAMES.get(level, level)),
            " ",
            rc.el("span", {"class": "meta"}, plural(count, "mention", "mentions")),
        )
        return Row(node)

    shown = derived(mentions, items, equals=lambda a, b: a == b)
    c.each(listing, shown, key=lambda item: item, render=row)

    def summary(values: list[Any]) -> str:
        found, seen = values
        if seen is None:
            return "Reading the story's lorebook…"
        if found is None or not found.entries:
            return "The text mentions no lorebook entry yet."
        return plural(len(found.entries), "entry mentioned", "entries mentioned")

    return c.el(
        "section",
        {"class": "block", "aria-labelledby": "mentioned-heading"},
        c.el("h2", {"id": "mentioned-heading"}, "Mentioned entries"),
        c.el("p", {"class": "status"}, derived([mentions, lore], summary)),
        listing,
    )


# -- scene beats ------------------------------------------------------------------------------------


def _beat_name(beat: SceneBeat, index: int) -> str:
    return f"Beat {index + 1}"


def _where(beat: SceneBeat) -> str:
    before = beat.context_before.replace("\n", " ").strip()
    if not before:
        return "At the start of the chapter"
    return f"After “…{before[-40:]}”"


def _beats(
    c: Ctx,
    page: Page,
    chapter_id: str,
    editor: MarkedText,
    guard: Guard,
    flush: Callable[[], Awaitable[object]],
    generator: _Generator,
) -> Node:
    writing = page.state.writing
    dom = c.dom
    beats = writing.beats_of(chapter_id)
    new_beat = c.el("textarea", {"id": "new-beat", "rows": "2"})

    async def add(event: Event) -> None:
        text = str(dom.get_prop(new_beat, "value")).strip()
        if not text:
            guard.fail("A scene beat needs a few words.")
            dom.call(new_beat, "focus")
            return
        caret = editor.caret()
        await flush()  # the point is in the text as shown: store it first
        ok, _ = await guard.run(lambda: writing.create_beat(chapter_id, text, caret))
        if ok:
            dom.set_prop(new_beat, "value", "")
        dom.call(new_beat, "focus")

    async def move(beat: SceneBeat, delta: int) -> None:
        await writing.move_beat(beat.id, delta)

    def row(rc: Ctx, item: SortableRow[SceneBeat]) -> Node:
        beat_id = get(item.item).id
        content, _ = autosave_field(
            rc,
            id=f"beat-{beat_id}",
            label="Instruction",
            value=derived(item.item, lambda b: b.content),
            save=lambda text: writing.update_beat(beat_id, {"content": text}),
            journal_key=f"beat:{beat_id}:content",
            multiline=True,
            stored_at=get(item.item).updated_at,
        )

        def go_to(event: Event) -> None:
            editor.focus(get(item.item).position)

        async def attach(event: Event) -> None:
            caret = editor.caret()
            await flush()
            await guard.run(lambda: writing.attach_beat(beat_id, caret))

        async def delete() -> None:
            await guard.run(lambda: writing.delete_beat(beat_id))

        async def write_beat(event: Event) -> None:
            await flush()
            beat = get(item.item)
            await generator.write(beat.content, beat.position)

        async def preview(event: Event) -> None:
            await flush()
            beat = get(item.item)
            await generator.preview(beat.content, beat.position, preview_button)

        preview_button = rc.el(
            "button",
            {"type": "button", "aria-label": derived(item.name, lambda n: f"Prompt for {n}")},
            "Prompt",
            on={"click": preview},
        )

        return rc.el(
            "div",
            {"class": "beat"},
            rc.el("h3", {"class": "beat-name"}, item.name),
            rc.el("p", {"class": "meta"}, derived(item.item, _where)),
            content,
            rc.el(
                "div",
                {"class": "actions"},
                rc.el(
                    "button",
                    {"type": "button", "aria-label": derived(item.name, lambda n: f"Go to {n}")},
                    "Go to",
                    on={"click": go_to},
                ),
                rc.el(
                    "button",
                    {
                        "type": "button",
                        "aria-label": derived(item.name, lambda n: f"Attach {n} at the caret"),
                    },
                    "Attach",
                    on={"click": attach},
                ),
                rc.el(
                    "button",
                    {
                        "type": "button",
                        "class": "primary",
                        "aria-label": derived(item.name, lambda n: f"Write this beat: {n}"),
                        "aria-disabled": derived(generator.busy, lambda b: "true" if b else None),
                    },
                    "Write this beat",
                    on={"click": write_beat},
                ),
                preview_button,
                confirm_button(
                    rc,
                    text="Delete",
                    label=derived(item.name, lambda n: f"Delete {n}"),
                    question=derived(item.name, lambda n: f"Delete {n}?"),
                    run=delete,
                ),
            ),
        )

    listing, status = sortable_list(
        c,
        derived(beats, lambda items: items or []),
        key=lambda b: b.id,
        name=_beat_name,
        render=row,
        move=move,
        label="Scene beats",
        on_error=guard.fail,
        css="beat-row",
    )

    def summary(items: list[SceneBeat] | None) -> str:
        if items is None:
            return ""
        if not items:
            return "No scene beats yet. A beat is attached where the caret is in the text."
        return plural(len(items), "scene beat", "scene beats")

    return c.el(
        "section",
        {"class": "block", "aria-labelledby": "beats-heading"},
        c.el("h2", {"id": "beats-heading"}, "Scene beats"),
        c.el(
            "form",
            {"class": "create-form", "aria-label": "Add a scene beat"},
            c.el("label", {"for": "new-beat"}, "New scene beat"),
            new_beat,
            c.el("button", {"type": "submit", "class": "primary"}, "Add beat"),
            on={"submit": prevent_default(add)},
        ),
        c.el("p", {"class": "status"}, derived(beats, summary)),
        listing,
        status,
    )


# -- generation -------------------------------------------------------------------------------------


class _Generator:
    """ "Continue writing" and "Write this beat": generated text streams into the chapter
    at its point (the end, or the beat's point) while the text is read-only; "Stop"
    keeps what arrived; every piece is journalled and saved like typing."""

    def __init__(
        self,
        ctx: Ctx,
        page: Page,
        story_id: str,
        editor: MarkedText,
        typed: Callable[[str], None],
        auto: TextAutosave,
    ) -> None:
        self.ctx = ctx
        self.page = page
        self.story_id = story_id
        self.editor = editor
        self.typed = typed
        self.auto = auto
        self.busy: Writable[bool] = writable(False)
        self.said = writable("")
        self.failed = writable("")
        self.no_provider = writable(False)
        #: what the last request sent and how it went (for the prompt inspector)
        self.last_report: Writable[dict[str, Any] | None] = writable(None)
        self._running: Any = None
        self.inspector = PromptInspector(
            ctx, scope_name=lambda level, _scope: LEVEL_NAMES.get(level, level.capitalize())
        )
        self.inspect_button = ctx.el(
            "button",
            {
                "type": "button",
                "hidden": derived(self.last_report, lambda r: r is None),
                "aria-label": "Prompt inspector for the last request",
            },
            "Prompt inspector",
            on={"click": lambda ev: self._inspect_last()},
        )
        self.stop_button = ctx.el(
            "button",
            {"type": "button", "class": "danger", "hidden": derived(self.busy, lambda b: not b)},
            "Stop",
            on={"click": lambda ev: self.stop()},
        )
        self.continue_button = ctx.el(
            "button",
            {
                "type": "button",
                "class": "primary",
                "aria-disabled": derived(self.busy, lambda b: "true" if b else None),
            },
            "Continue writing",
            on={"click": lambda ev: self.write(None, None)},
        )
        ctx.scope.on_dispose(self.stop)
        self.node = ctx.el(
            "section",
            {"class": "block generate", "aria-labelledby": "generate-heading"},
            ctx.el("h2", {"id": "generate-heading"}, "Write with the model"),
            ctx.el(
                "div",
                {"class": "actions"},
                self.continue_button,
                self.stop_button,
                self.inspect_button,
            ),
            ctx.el("p", {"class": "status", "role": "status"}, self.said),
            ctx.el(
                "div",
                {
                    "class": "error",
                    "role": "alert",
                    "hidden": derived(self.failed, lambda f: not f),
                },
                self.failed,
                ctx.el(
                    "a",
                    {
                        "href": page.href("providers"),
                        "hidden": derived(self.no_provider, lambda n: not n),
                    },
                    " Set up a provider",
                ),
            ),
            self.inspector.node,
        )

    def _inspect_last(self) -> None:
        report = get(self.last_report)
        if report is not None:
            self.inspector.open(report, opener=self.inspect_button)

    async def preview(self, beat: str, at: int, opener: Node) -> None:
        """What writing ``beat`` at ``at`` would send, in the prompt inspector (nothing is
        sent)."""
        from app.state._story_writer import NoProviderError

        self.failed.set("")
        self.no_provider.set(False)
        text = self.editor.text
        point = max(0, min(at, len(text)))
        writer = self.page.state.writing.story_writer
        try:
            prompt = await writer.prompt(self.story_id, text[:point], beat=beat)
        except NoProviderError as exc:
            self.no_provider.set(True)
            self.failed.set(str(exc))
            return
        except Exception as exc:
            self.failed.set(str(exc).strip() or type(exc).__name__)
            return
        if not self.ctx.scope.disposed:
            self.inspector.open(prompt_report(prompt.built), opener=opener)

    def stop(self) -> None:
        if self._running is not None:
            self._running.stop()

    async def write(self, beat: str | None, at: int | None) -> None:
        """Generate into the chapter at ``at`` (default: its end)."""
        if get(self.busy):
            return
        self.failed.set("")
        self.no_provider.set(False)
        text = self.editor.text
        point = len(text) if at is None else max(0, min(at, len(text)))
        writer = self.page.state.writing.story_writer
        self.busy.set(True)
        self.said.set("Building the prompt…")
        dom = self.ctx.dom
        try:
            from app.state._story_writer import NoProviderError

            try:
                prompt = await writer.prompt(self.story_id, text[:point], beat=beat)
            except NoProviderError as exc:
                self.no_provider.set(True)
                self.failed.set(str(exc))
                self.said.set("")
                return
            except Exception as exc:
                self.failed.set(str(exc).strip() or type(exc).__name__)
                self.said.set("")
                return
            self.last_report.set(prompt_report(prompt.built))
            generation = writer.start(prompt)
            self._running = generation
            self.said.set("Writing…")
            dom.set_attr(self.editor.textarea, "readonly", True)
            dom.set_attr(self.editor.textarea, "aria-busy", "true")
            before, after = text[:point], text[point:]
            joiner = "" if not before or before[-1].isspace() else " "
            written = ""
            async for delta in generation:
                if delta.kind != "text" or self.ctx.scope.disposed:
                    continue
                if not written:
                    delta_text = delta.text.lstrip() if joiner else delta.text
                    written = joiner + delta_text
                else:
                    written += delta.text
                new = before + written + after
                self.editor.set_text(new)
                self.typed(new)
            result = await generation.result()
        finally:
            self._running = None
            if not self.ctx.scope.disposed:
                dom.set_attr(self.editor.textarea, "readonly", None)
                dom.set_attr(self.editor.textarea, "aria-busy", None)
            self.busy.set(False)
        self.last_report.set(
            prompt_report(prompt.built, result, provider=prompt.endpoint.model or "")
        )
        await self.auto.flush()
        words = plural(word_count(written), "word", "words")
        if result.status == "done":
            self.said.set(f"Done: {words} written.")
        elif result.status == "stopped":
            self.said.set(f"Stopped: {words} kept.")
        else:
            error = result.error
            message = str(error) if error is not None else "The model did not answer."
            self.failed.set(f"{message} ({words} kept.)")
            self.said.set("")
