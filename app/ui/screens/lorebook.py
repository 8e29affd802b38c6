"""The lorebook a scope sees (``#/lorebook/global``, ``#/lorebook/{level}/{scope_id}``).

One section per level the scope sees, from the top (a story: Global, Series, Story; a
chat: Global, Character, Chat, Module), each headed by its level. Entries of the
screen's own scope are edited here (every field the engine uses, saving itself);
entries of other levels are read-only, with a badge naming their level and a link to
edit them where they live. "Promote" moves an own entry one level up the scope chain,
"Demote" moves an entry of a level above one level down toward this scope; both keep
the id, say who will see the entry afterwards, and can be undone. "Search entries",
sort and filters (level, category, tag); bulk enable / disable / delete / move of
selected entries, with "Undo". Each entry shows its token count (the generation
tokenizer; estimates are marked "≈") and the book its total; lint findings (keys that
collide across scopes, keys that match almost everything, entries that can never fit the
budget…) appear on the entries they concern. ``?entry=<id>`` opens at that entry.

Fast with 5,000 entries: searching folds each entry's text once per version
(``app.ui._lore_view``), each section renders its first 50 matches ("Show more"),
rows are keyed (toggling one entry touches one row), and token counts and lint run in
the background.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from app.domain import LorebookEntry
from app.domain.lorebook import Audience, Layer, LoreChange
from app.lore import LintIssue, MatchOptions, lint
from app.reactive import Readable, Subscribable, Writable, batch, derived, get, readable, writable
from app.state import Lookup
from app.ui import Ctx, Event, Node, Page, Row
from app.ui._autosave import Journal
from app.ui._bulk import Selection, UndoBar
from app.ui._entry_editor import entry_editor, recover_drafts
from app.ui._guard import Guard
from app.ui._lore_view import (
    PAGE,
    SORTS,
    LoreQuery,
    entry_name,
    facets,
    search_text,
    section_rows,
    sort_entries,
    sorted_rows,
)
from app.ui._not_found import not_found_message
from app.ui._record_page import record_title
from app.ui._token_counts import TokenCounts

from ._common import LEVEL_NAMES, back_link, lorebook_href, plural

__all__ = ["render", "scope_of", "title"]

log = logging.getLogger("app.ui")

_PAGES = {"series": "series", "story": "story", "character": "character", "chat": "chat"}
LINT_DELAY = 0.3
UPKEEP_DELAY = 0.3


def scope_of(page: Page) -> Layer:
    """The scope the screen shows (global for ``#/lorebook/global``)."""
    if page.screen.name == "global_lorebook":
        return Layer("global", None)
    return Layer(page.params["level"], page.params["scope_id"])  # type: ignore[arg-type]


def _scope_name(record: Any) -> str:
    name = str(getattr(record, "name", "") or getattr(record, "title", "") or "").strip()
    return name or "Untitled"


def _scope_lookup(page: Page, scope: Layer) -> Readable[Lookup[Any]]:
    assert scope.scope_id is not None
    # a scoped level is named as the entity kind that owns the scope ("story", "chat")
    return page.state.writing.record(scope.level, scope.scope_id)


def title(page: Page) -> Subscribable[str]:
    """The page title: "Global lorebook", or "Lorebook: <scope's name>"."""
    scope = scope_of(page)
    if scope.level == "global":
        return readable("Global lorebook")
    return record_title(
        _scope_lookup(page, scope), lambda r: f"Lorebook: {_scope_name(r)}", "Lorebook"
    )


def _targets(scope: Layer, seen: Any) -> list[Layer]:
    """Where selected entries can move: the other layers of the chain (not modules)."""
    return [x for x in seen or () if x != scope and x.level != "module"]


def _section_key(layer: Layer) -> str:
    """Module layers share one "Module" section; every other layer has its own."""
    return layer.level


def render(ctx: Ctx, page: Page) -> Node:
    scope = scope_of(page)
    if scope.level == "global":
        found: Readable[Lookup[Any]] = readable(Lookup(True, "global"))
    else:
        found = _scope_lookup(page, scope)
    heading = (
        readable("Global lorebook")
        if scope.level == "global"
        else record_title(found, lambda r: f"Lorebook: {_scope_name(r)}", "")
    )
    holder = ctx.el("div", {"class": "record-body"})

    def phase(lookup: Lookup[Any]) -> str:
        if not lookup.loaded:
            return "loading"
        return "missing" if lookup.record is None else "found"

    def view(c: Ctx, p: str) -> Node:
        if p == "found":
            return _book(c, page, scope, found)
        if p == "missing":
            return not_found_message(
                c, page.match.address, page.href("global_lorebook"), "Back to Lorebook", scope.level
            )
        return c.el("p", {"class": "loading", "role": "status"}, "Loading…")

    ctx.switch(holder, derived(found, phase), view)
    back = None
    if scope.level in _PAGES and scope.scope_id is not None:
        back = back_link(
            ctx,
            page.href(_PAGES[scope.level], id=scope.scope_id),
            f"Back to the {scope.level}",
        )
    return ctx.el(
        "section",
        {"class": "screen lorebook", "aria-labelledby": "screen-title"},
        back,
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, heading),
        holder,
    )


class _Book:
    """The state of one lorebook screen while it is shown."""

    def __init__(self, ctx: Ctx, page: Page, scope: Layer) -> None:
        self.ctx = ctx
        self.page = page
        self.scope = scope
        self.writing = page.state.writing
        self.guard = Guard(ctx)
        self.query: Writable[LoreQuery] = writable(LoreQuery())
        self.limits: Writable[dict[str, int]] = writable({})
        self.selection = Selection()
        self.open: Writable[str | None] = writable(None)
        self.tokens = TokenCounts()
        self.issues: Writable[dict[str, list[LintIssue]]] = writable({})
        self.audiences: Writable[dict[Layer, Audience]] = writable({})
        self.lore = self.writing.lore_seen(scope.level, scope.scope_id)
        self.undo = UndoBar(ctx, on_error=self.guard.fail)
        self._lint_timer: asyncio.TimerHandle | None = None
        self._upkeep_timer: asyncio.TimerHandle | None = None
        self.facets: Writable[tuple[list[str], list[str]]] = writable(([], []))
        self._tasks: set[asyncio.Future[Any]] = set()
        self.revealed = False  # ``?entry=`` was honoured
        self.recovered = False  # drafts left by a reload were saved
        self._linted: tuple[Any, ...] | None = None
        ctx.scope.on_dispose(self._stop)

    def _stop(self) -> None:
        self.tokens.stop()
        if self._upkeep_timer is not None:
            self._upkeep_timer.cancel()
        if self._lint_timer is not None:
            self._lint_timer.cancel()
        for task in self._tasks:
            task.cancel()

    def spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the chain ---------------------------------------------------------------------------
    def layers(self, seen: dict[Layer, list[LorebookEntry]] | None) -> list[Layer]:
        return list(seen or {})

    def chain(self) -> list[Layer]:
        """The layers without modules, top first (the promote/demote ladder)."""
        return [x for x in self.layers(get(self.lore)) if x.level != "module"]

    def promotion(self, entry: LorebookEntry) -> Layer | None:
        if entry.level in ("global", "module"):
            return None
        ladder = self.chain()
        here = Layer(entry.level, entry.scope_id)
        if here not in ladder or ladder.index(here) == 0:
            return None
        return ladder[ladder.index(here) - 1]

    def demotion(self, entry: LorebookEntry) -> Layer | None:
        ladder = self.chain()
        here = Layer(entry.level, entry.scope_id)
        if entry.level == "module" or here not in ladder or here == ladder[-1]:
            return None
        return ladder[ladder.index(here) + 1]

    def describe(self, layer: Layer) -> str:
        audience = get(self.audiences).get(layer)
        where = LEVEL_NAMES[layer.level] + " lorebook"
        if audience is not None and audience.name and layer.level != "global":
            where += f" “{audience.name}”"
        who = f": seen by {audience.who}" if audience is not None else ""
        return f"the {where}{who}"

    async def load_audiences(self, layers: Sequence[Layer]) -> None:
        found: dict[Layer, Audience] = {}
        for layer in layers:
            try:
                found[layer] = await self.writing.audience(layer)
            except Exception:  # a layer deleted meanwhile: no sentence for it
                continue
        self.audiences.set(found)

    # -- lint and tokens ---------------------------------------------------------------------
    def lint_changed(self, seen: dict[Layer, list[LorebookEntry]]) -> bool:
        """Whether anything lint reads changed since the last run (toggling an entry or
        editing its title does not)."""
        stamp = tuple(
            (
                e.id,
                e.level,
                e.scope_id,
                tuple(e.keys),
                tuple(e.secondary_keys),
                e.constant,
                e.case_sensitive,
                len(e.content),
            )
            for group in seen.values()
            for e in group
        )
        if stamp == self._linted:
            return False
        self._linted = stamp
        return True

    async def warm_search(self, entries: list[LorebookEntry]) -> None:
        """Fold every entry's searchable text ahead of the first keystroke, a batch at a
        time so the page stays responsive."""
        for start in range(0, len(entries), 250):
            for e in entries[start : start + 250]:
                search_text(e)
            await asyncio.sleep(0)

    def schedule_upkeep(self) -> None:
        """After a pause in changes: count tokens, lint, fold for search, list the
        categories and tags — each a pass over every entry, so not on every change."""
        if self._upkeep_timer is not None:
            self._upkeep_timer.cancel()
        loop = asyncio.get_event_loop()
        self._upkeep_timer = loop.call_later(UPKEEP_DELAY, self._upkeep)

    def _upkeep(self) -> None:
        self._upkeep_timer = None
        seen = get(self.lore)
        if seen is None:
            return
        everything = [e for group in seen.values() for e in group]
        self.tokens.want(e.content for e in everything)
        self.facets.set(facets(seen))
        if self.lint_changed(seen):
            self.spawn(self.run_lint())
        self.spawn(self.warm_search(everything))

    def schedule_lint(self) -> None:
        if self._lint_timer is not None:
            self._lint_timer.cancel()
        loop = asyncio.get_event_loop()
        self._lint_timer = loop.call_later(LINT_DELAY, lambda: self.spawn(self.run_lint()))

    async def run_lint(self) -> None:
        self._lint_timer = None
        seen = get(self.lore)
        if seen is None:
            return
        entries = [e for group in seen.values() for e in group]
        options = MatchOptions.from_settings(get(self.page.state.settings))
        tokens = self.tokens

        def count(text: str) -> int:
            return tokens.count(text)[0]

        from dataclasses import replace

        issues = lint(entries, replace(options, count_tokens=count))
        by_entry: dict[str, list[LintIssue]] = {}
        for issue in issues:
            for entry_id in dict.fromkeys(issue.entry_ids):
                by_entry.setdefault(entry_id, []).append(issue)
        self.issues.set(by_entry)

    # -- actions -----------------------------------------------------------------------------
    async def act(self, work: Callable[[], Any], message: Callable[[Any], str]) -> bool:
        ok, change = await self.guard.run(work)
        if not ok:
            return False
        if isinstance(change, LoreChange):

            async def undo() -> None:
                await self.writing.undo(change)

            self.undo.done(message(change), undo)
        else:
            self.undo.say(message(change))
        return True

    async def toggle(self, entry: LorebookEntry) -> None:
        """Enable or disable one entry (a single write the app state applies in place)."""
        on = not entry.enabled
        ok, _ = await self.guard.run(lambda: self.writing.update_entry(entry.id, {"enabled": on}))
        if not ok:
            return

        async def undo() -> None:
            await self.writing.update_entry(entry.id, {"enabled": not on})

        self.undo.done(f"{'Enabled' if on else 'Disabled'} “{entry_name(entry)}”.", undo)

    async def set_enabled(self, ids: Sequence[str], on: bool) -> None:
        await self.act(
            lambda: self.writing.set_enabled(ids, on),
            lambda ch: f"{'Enabled' if on else 'Disabled'} {plural(ch.count, 'entry', 'entries')}.",
        )

    async def delete(self, ids: Sequence[str]) -> None:
        if await self.act(
            lambda: self.writing.delete_entries(ids),
            lambda ch: f"Deleted {plural(ch.count, 'entry', 'entries')}.",
        ):
            self.selection.set_many(ids, False)

    async def move(self, ids: Sequence[str], layer: Layer, what: str) -> None:
        sentence = self.describe(layer)
        await self.act(
            lambda: self.writing.move_entries(ids, layer),
            lambda ch: f"{what} {plural(ch.count, 'entry', 'entries')} to {sentence}.",
        )
        self.selection.set_many(ids, False)

    async def recover(self, entries: list[LorebookEntry]) -> None:
        """Edits typed just before a reload (journalled, never stored) are saved now."""
        journal = Journal(self.ctx.dom.storage)
        await recover_drafts(journal, entries, self.writing.update_entry)

    async def create(self) -> None:
        ok, entry = await self.guard.run(
            lambda: self.writing.create_entry(self.scope, {"name": "New entry"})
        )
        if ok and entry is not None:
            self.query.set(LoreQuery(sort=get(self.query).sort))
            self.reveal(entry)

    def reveal(self, entry: LorebookEntry) -> None:
        """Make sure the entry's row is shown, then open (own) or focus it."""
        section = _section_key(Layer(entry.level, entry.scope_id))
        limits = dict(get(self.limits))
        seen = get(self.lore) or {}
        group = [e for layer, es in seen.items() if _section_key(layer) == section for e in es]
        rows = section_rows(group, get(self.query), len(group) + 1)
        where = next((i for i, e in enumerate(rows.entries) if e.id == entry.id), None)
        if where is None:  # filtered out: clear the search and filters
            self.query.set(LoreQuery(sort=get(self.query).sort))
            rows = section_rows(group, get(self.query), len(group) + 1)
            where = next((i for i, e in enumerate(rows.entries) if e.id == entry.id), 0)
        if where >= limits.get(section, PAGE):
            limits[section] = where + 1
            self.limits.set(limits)
        own = Layer(entry.level, entry.scope_id) == self.scope
        self.open.set(entry.id if own else None)


def _book(ctx: Ctx, page: Page, scope: Layer, found: Readable[Lookup[Any]]) -> Node:
    book = _Book(ctx, page, scope)
    dom = ctx.dom
    lore = book.lore

    # -- toolbar: new entry, search, sort, filters ------------------------------------------------
    search = ctx.el(
        "input",
        {
            "id": "lore-search",
            "type": "search",
            "autocomplete": "off",
            ".value": derived(book.query, lambda q: q.text),
        },
    )

    def typed(event: Event) -> None:
        with batch():  # one recomputation of the sections per keystroke
            book.query.set(get(book.query).with_(text=str(dom.get_prop(search, "value"))))
            book.limits.set({})

    ctx.on(search, "input", typed)

    def menu(id: str, label: str, field: str, options: Readable[list[tuple[str, str]]]) -> Node:
        select = ctx.el("select", {"id": id})

        def fill(opts: list[tuple[str, str]]) -> None:
            dom.set_text(select, "")
            for value, text in opts:
                option = dom.element("option")
                dom.set_attr(option, "value", value)
                dom.insert(option, dom.text(text))
                dom.insert(select, option)
            dom.set_prop(select, "value", getattr(get(book.query), field))

        ctx.watch(options, fill)

        def changed(event: Event) -> None:
            with batch():
                book.query.set(get(book.query).with_(**{field: str(dom.get_prop(select, "value"))}))
                book.limits.set({})

        ctx.on(select, "change", changed)
        return ctx.el("div", {"class": "field"}, ctx.el("label", {"for": id}, label), select)

    def level_options(seen: Any) -> list[tuple[str, str]]:
        levels = list(dict.fromkeys(layer.level for layer in book.layers(seen)))
        return [("", "All levels"), *[(lv, LEVEL_NAMES[lv]) for lv in levels]]

    def facet_options(
        index: int, everything: str
    ) -> Callable[[tuple[list[str], list[str]]], list[tuple[str, str]]]:
        def options(found: tuple[list[str], list[str]]) -> list[tuple[str, str]]:
            return [("", everything), *[(v, v) for v in found[index]]]

        return options

    new_entry = ctx.el(
        "button",
        {"type": "button", "class": "primary"},
        "New entry",
        on={"click": lambda ev: book.create()},
    )
    toolbar = ctx.el(
        "div",
        {"class": "lore-toolbar"},
        ctx.el(
            "div",
            {"class": "search", "role": "search"},
            ctx.el("label", {"for": "lore-search"}, "Search entries"),
            search,
        ),
        ctx.el(
            "div",
            {"class": "filters"},
            menu("lore-sort", "Sort by", "sort", readable(list(SORTS.items()))),
            menu("lore-level", "Level", "level", derived(lore, level_options)),
            menu(
                "lore-category",
                "Category",
                "category",
                derived(book.facets, facet_options(0, "All categories")),
            ),
            menu("lore-tag", "Tag", "tag", derived(book.facets, facet_options(1, "All tags"))),
        ),
    )

    # -- summary: who sees it, totals ------------------------------------------------------------
    def totals(values: list[Any]) -> str:
        seen, _version = values
        if seen is None:
            return "Loading…"
        own = seen.get(scope, [])
        everything = [e for group in seen.values() for e in group]
        tokens, exact = book.tokens.total(e.content for e in own)
        mark = "" if exact else "≈"
        return (
            f"This lorebook: {plural(len(own), 'entry', 'entries')}, {mark}{tokens:,} tokens. "
            f"This scope sees {plural(len(everything), 'entry', 'entries')} in all."
        )

    def audience_line(audiences: dict[Layer, Audience]) -> str:
        audience = audiences.get(scope)
        return f"Entries here are seen by {audience.who}." if audience is not None else ""

    # -- bulk ------------------------------------------------------------------------------------
    def own_matching() -> list[str]:
        seen = get(lore) or {}
        rows = section_rows(seen.get(scope, []), get(book.query), 10**9)
        return [e.id for e in rows.entries]

    select_all = ctx.el("input", {"id": "lore-select-all", "type": "checkbox"})

    def toggle_all(event: Event) -> None:
        book.selection.set_many(own_matching(), bool(dom.get_prop(select_all, "checked")))

    ctx.on(select_all, "change", toggle_all)

    def sync_all(values: list[Any]) -> None:
        ids, _seen, _query = values
        if not ids:  # the common case, and free: nothing selected
            dom.set_prop(select_all, "checked", False)
            return
        matching = own_matching()
        dom.set_prop(select_all, "checked", bool(matching) and all(i in ids for i in matching))

    ctx.watch(derived([book.selection.ids, lore, book.query], lambda vs: vs), sync_all)

    move_to = ctx.el("select", {"id": "lore-move-to"})

    def fill_targets(seen: Any) -> None:
        dom.set_text(move_to, "")
        for layer in _targets(scope, seen):
            option = dom.element("option")
            dom.set_attr(option, "value", layer.level)
            dom.insert(option, dom.text(f"{LEVEL_NAMES[layer.level]} lorebook"))
            dom.insert(move_to, option)

    ctx.watch(lore, fill_targets)

    def chosen() -> list[str]:
        return list(book.selection)

    async def bulk_move(event: Event) -> None:
        level = str(dom.get_prop(move_to, "value"))
        target = next((x for x in book.chain() if x.level == level), None)
        if not chosen() or target is None:
            return
        await book.move(chosen(), target, "Moved")

    none_selected = derived(book.selection.count, lambda n: "true" if n == 0 else None)

    def bulk_button(text: str, run: Callable[[Event], Any]) -> Node:
        return ctx.el(
            "button",
            {"type": "button", "aria-disabled": none_selected},
            text,
            on={"click": lambda ev: run(ev) if get(book.selection.count) else None},
        )

    bulk = ctx.el(
        "div",
        {"class": "bulk", "role": "group", "aria-label": "Selected entries"},
        ctx.el(
            "div",
            {"class": "field check"},
            select_all,
            ctx.el("label", {"for": "lore-select-all"}, "Select all matching"),
        ),
        ctx.el(
            "p",
            {"class": "status"},
            derived(book.selection.count, lambda n: f"{plural(n, 'entry', 'entries')} selected"),
        ),
        bulk_button("Enable", lambda ev: book.set_enabled(chosen(), True)),
        bulk_button("Disable", lambda ev: book.set_enabled(chosen(), False)),
        bulk_button("Delete", lambda ev: book.delete(chosen())),
        ctx.el(
            "span",
            {
                "class": "move-group",
                "hidden": derived(lore, lambda seen: not _targets(scope, seen)),
            },
            ctx.el("label", {"for": "lore-move-to"}, "Move to"),
            move_to,
            bulk_button("Move", bulk_move),
        ),
    )

    # -- sections ------------------------------------------------------------------------------
    sections_holder = ctx.el("div", {"class": "lore-sections"})

    def section_keys(seen: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_section_key(layer) for layer in book.layers(seen)))

    def draw_sections(c: Ctx, keys: tuple[str, ...]) -> Node:
        return c.el("div", None, *[_section(c, book, key) for key in keys])

    ctx.switch(sections_holder, derived(lore, section_keys), draw_sections)

    # -- background work: tokens, lint, audiences, ?entry= ----------------------------------------
    shown_layers: list[tuple[Layer, ...]] = [()]

    def on_lore(seen: Any) -> None:
        if seen is None:
            return
        if get(book.selection.count):
            book.selection.keep_only(e.id for e in seen.get(scope, []))
        book.schedule_upkeep()
        layers = tuple(seen)
        if layers != shown_layers[0]:
            shown_layers[0] = layers
            book.spawn(book.load_audiences(layers))
        if not book.recovered:
            book.recovered = True
            book.spawn(book.recover(seen.get(scope, [])))
        wanted = page.query.get("entry")
        if wanted and not book.revealed:
            entry = next((e for group in seen.values() for e in group if e.id == wanted), None)
            if entry is not None:
                book.revealed = True
                book.reveal(entry)

    ctx.watch(lore, on_lore)
    ctx.watch(page.state.settings, lambda s: book.schedule_lint())

    return ctx.el(
        "div",
        {"class": "lore-book"},
        ctx.el("p", {"class": "intro"}, derived(book.audiences, audience_line)),
        ctx.el(
            "p", {"class": "status", "role": "status"}, derived([lore, book.tokens.version], totals)
        ),
        ctx.el("p", {"class": "hint"}, "Token counts: ", book.tokens.label),
        book.guard.node,
        ctx.el("div", {"class": "actions page-actions"}, new_entry),
        toolbar,
        bulk,
        book.undo.node,
        sections_holder,
    )


def _section(c: Ctx, book: _Book, key: str) -> Node:
    """One level's entries (every module's entries in the "Module" section)."""
    scope = book.scope
    own_section = key == _section_key(scope)
    heading_id = f"lore-section-{key}"
    note_id = f"lore-note-{key}"
    listing = c.el("ul", {"class": "lore-entries", "aria-labelledby": heading_id})

    def group(seen: Any) -> list[LorebookEntry]:
        return [e for layer, es in (seen or {}).items() if _section_key(layer) == key for e in es]

    last: list[Any] = [None, None]  # (the layers' lists, query, limit) -> rows
    # (the layers' lists, sort) -> the entries in order, and the lists (kept, so that
    # their ids stay theirs while the stamps name them)
    ordered: list[Any] = [None, [], ()]

    def rows(values: list[Any]) -> Any:
        seen, query, limits = values
        mine = tuple(es for layer, es in (seen or {}).items() if _section_key(layer) == key)
        lists = tuple(map(id, mine))
        stamp = (lists, query, limits.get(key, PAGE))
        if stamp != last[0]:  # another section's change leaves these rows as they were
            last[0] = stamp
            if ordered[0] != (lists, query.sort):  # a keystroke keeps the order
                ordered[:] = [(lists, query.sort), sort_entries(group(seen), query.sort), mine]
            last[1] = sorted_rows(ordered[1], query, limits.get(key, PAGE))
        return last[1]

    shown = derived([book.lore, book.query, book.limits], rows)

    def movable(seen: Any) -> bool:
        """Whether this section's entries can move one level (all share their layer)."""
        layers = [x for x in book.layers(seen) if _section_key(x) == key]
        if not layers or key == "module":
            return False
        probe = LorebookEntry.model_construct(level=layers[0].level, scope_id=layers[0].scope_id)
        return (book.promotion(probe) if own_section else book.demotion(probe)) is not None

    can_move = derived(book.lore, movable)

    def render_row(rc: Ctx, entry: LorebookEntry) -> Row[LorebookEntry]:
        return _entry_row(rc, book, entry, own_section, note_id, can_move)

    c.each(
        listing, derived(shown, lambda s: list(s.entries)), key=lambda e: e.id, render=render_row
    )

    def more_text(s: Any) -> str:
        left = s.matching - len(s.entries)
        return f"Show more ({left:,} more)" if left > 0 else ""

    def show_more(event: Event) -> None:
        limits = dict(get(book.limits))
        limits[key] = limits.get(key, PAGE) + PAGE * 4
        book.limits.set(limits)

    def counted(s: Any) -> str:
        if s.total == 0:
            return "No entries at this level."
        if get(book.query).narrowing:
            return f"{s.matching:,} of {plural(s.total, 'entry', 'entries')} match."
        return plural(s.total, "entry", "entries")

    def note(values: list[Any]) -> str:
        seen, _audiences = values
        if seen is None:
            return ""
        ladder = book.chain()
        layers = [x for x in book.layers(seen) if _section_key(x) == key]
        if not layers:
            return ""
        layer = layers[0]
        if own_section:
            up = None
            if layer in ladder and ladder.index(layer) > 0 and layer.level != "module":
                up = ladder[ladder.index(layer) - 1]
            text = "Edit these entries here."
            if up is not None:
                text += f" Promote moves an entry to {book.describe(up)}."
            return text
        text = f"{LEVEL_NAMES[key]} entries are read-only here: edit them where they live."
        if layer in ladder and layer != ladder[-1]:
            text += f" Demote moves an entry to {book.describe(ladder[ladder.index(layer) + 1])}."
        return text

    return c.el(
        "section",
        {"class": f"lore-section level-{key}", "aria-labelledby": heading_id},
        c.el("h2", {"id": heading_id}, LEVEL_NAMES[key]),
        c.el("p", {"class": "hint", "id": note_id}, derived([book.lore, book.audiences], note)),
        c.el("p", {"class": "status"}, derived(shown, counted)),
        listing,
        c.el(
            "button",
            {"type": "button", "hidden": derived(shown, lambda s: not more_text(s))},
            derived(shown, more_text),
            on={"click": show_more},
        ),
    )


def _entry_row(
    c: Ctx,
    book: _Book,
    first: LorebookEntry,
    own: bool,
    note_id: str,
    can_move: Readable[bool],
) -> Row[LorebookEntry]:
    """One entry's row. Its texts are patched from the entry (``paint``), so a row costs
    a handful of nodes and five subscriptions (tokens, lint, selection, the open editor,
    whether its section can promote/demote) even with 5,000 entries in the book."""
    dom = c.dom
    entry: Writable[LorebookEntry] = writable(first)  # the editor follows it
    entry_id = first.id
    level = first.level
    li = c.el("li", {"class": "lore-entry", "data-id": entry_id})
    name_text = dom.text("")
    keys_text = dom.text("")
    tokens_text = dom.text("")
    off = c.el("span", {"class": "off"}, "Disabled")
    lint_list = c.el("ul", {"class": "lint"})
    labelled: list[tuple[Node, str]] = []  # (node, "Edit {}") aria-labels naming the entry

    def named(node: Node, pattern: str) -> Node:
        labelled.append((node, pattern))
        return node

    painters: list[Callable[[LorebookEntry], None]] = []  # what else each kind of row shows

    def paint(e: LorebookEntry) -> None:
        name = entry_name(e)
        dom.set_data(name_text, name)
        dom.set_data(keys_text, _keys_line(e))
        dom.set_attr(off, "hidden", e.enabled)
        for node, pattern in labelled:
            dom.set_attr(node, "aria-label", pattern.format(name))
        count_tokens(e)
        for painter in painters:
            painter(e)

    def count_tokens(e: LorebookEntry) -> None:
        n, exact = book.tokens.count(e.content)
        dom.set_data(tokens_text, f"{'' if exact else '≈'}{plural(n, 'token', 'tokens')}")

    shown_issues: list[tuple[str, ...]] = [()]

    def fill_issues(found: dict[str, list[LintIssue]]) -> None:
        messages = tuple(issue.message for issue in found.get(entry_id, ()))
        if messages == shown_issues[0]:
            return
        shown_issues[0] = messages
        dom.set_text(lint_list, "")
        for message in messages:
            item = dom.element("li")
            dom.insert(item, dom.text(message))
            dom.insert(lint_list, item)
        dom.set_attr(lint_list, "hidden", not messages)

    named(lint_list, "Problems with {}")
    c.watch(book.issues, fill_issues)
    c.watch(book.tokens.version, lambda _v: count_tokens(get(entry)))

    actions = c.el("div", {"class": "actions"})
    checkbox = None
    if own:
        checkbox = named(
            c.el(
                "input",
                {
                    "type": "checkbox",
                    "id": f"select-{entry_id}",
                    ".checked": book.selection.has(entry_id),
                },
            ),
            "Select {}",
        )
        box = checkbox
        c.on(
            box,
            "change",
            lambda ev: book.selection.set(entry_id, bool(dom.get_prop(box, "checked"))),
        )
    summary = c.el(
        "div",
        {"class": "entry-summary"},
        checkbox,
        c.el("strong", {"class": "entry-name"}, name_text),
        None if own else c.el("span", {"class": "badge"}, LEVEL_NAMES[level]),
        off,
        c.el("span", {"class": "meta"}, tokens_text),
    )
    details = c.el("p", {"class": "meta keys"}, keys_text)
    hidden = derived(can_move, lambda ok: not ok)
    editor_holder = c.el("div", {"class": "entry-editor-holder"})

    if own:
        expanded = derived(book.open, lambda current: current == entry_id)

        async def promote(event: Event) -> None:
            target = book.promotion(get(entry))
            if target is not None:
                await book.move([entry_id], target, "Promoted")

        toggle_label = dom.text("Disable")
        enable = c.el(
            "button",
            {"type": "button"},
            toggle_label,
            on={"click": lambda ev: book.toggle(get(entry))},
        )
        for node in (
            named(
                c.el(
                    "button",
                    {
                        "type": "button",
                        "aria-expanded": derived(expanded, lambda x: "true" if x else "false"),
                    },
                    "Edit",
                    on={"click": lambda ev: book.open.set(None if get(expanded) else entry_id)},
                ),
                "Edit {}",
            ),
            enable,
            named(
                c.el(
                    "button",
                    {"type": "button", "aria-describedby": note_id, "hidden": hidden},
                    "Promote",
                    on={"click": promote},
                ),
                "Promote {}",
            ),
            named(
                c.el(
                    "button",
                    {"type": "button", "class": "danger"},
                    "Delete",
                    on={"click": lambda ev: book.delete([entry_id])},
                ),
                "Delete {}",
            ),
        ):
            dom.insert(actions, node)

        base_paint = paint

        def paint(e: LorebookEntry) -> None:
            base_paint(e)
            word = "Disable" if e.enabled else "Enable"
            dom.set_data(toggle_label, word)
            dom.set_attr(enable, "aria-label", f"{word} {entry_name(e)}")

        async def save(eid: str, values: dict[str, Any]) -> None:
            await book.writing.update_entry(eid, values)

        controls: dict[str, Node] = {}

        def draw_editor(c2: Ctx, is_open: bool) -> Node | None:
            controls.clear()
            if not is_open:
                return None
            form, _auto, made = entry_editor(c2, entry, save=save, on_error=book.guard.fail)
            controls.update(made)
            return form

        def focus_title(is_open: bool, node: Node | None) -> None:
            # on the next turn: a row drawn open (``?entry=``) is still being put into
            # the document now, and a detached field takes no focus
            field = controls.get("name")
            if is_open and field is not None:
                asyncio.get_event_loop().call_soon(lambda: dom.call(field, "focus"))

        c.switch(editor_holder, expanded, draw_editor, after=focus_title)
    else:

        async def demote(event: Event) -> None:
            target = book.demotion(get(entry))
            if target is not None:
                await book.move([entry_id], target, "Demoted")

        where = f"Edit in the {LEVEL_NAMES[level]} lorebook"
        dom.insert(
            actions,
            named(
                c.el(
                    "a", {"href": lorebook_href(book.page, level, first.scope_id, entry_id)}, where
                ),
                where + ": {}",
            ),
        )
        dom.insert(
            actions,
            named(
                c.el(
                    "button",
                    {"type": "button", "aria-describedby": note_id, "hidden": hidden},
                    "Demote",
                    on={"click": demote},
                ),
                "Demote {}",
            ),
        )
        preview = dom.text("")
        dom.insert(editor_holder, c.el("p", {"class": "preview"}, preview))
        base_paint = paint

        def paint(e: LorebookEntry) -> None:
            base_paint(e)
            dom.set_data(preview, e.content[:240])

    paint(first)
    for node in (summary, details, lint_list, actions, editor_holder):
        dom.insert(li, node)

    def update(e: LorebookEntry) -> None:
        entry.set(e)
        paint(e)

    return Row(li, update)


def _keys_line(e: LorebookEntry) -> str:
    keys = ", ".join(k for k in e.keys if k.strip())
    if e.constant:
        return "Always active" + (f" · keys: {keys}" if keys else "")
    return f"Keys: {keys}" if keys else "No keys"
