"""The import panel: shows an ``ImportFlow`` — reading, what the file holds, the choices,
the progress bar with its Cancel button, the result or what is wrong with the file.

Used inline on the Library screen and inside the import dialog (drop anywhere, the
character list's file input). Focus follows the flow: to the panel's heading when a
preview or a result appears, so keyboard and screen-reader users land on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.reactive import Subscribable, Writable, derived, get

from ._context import AttrValue, Ctx
from ._dom import Event, Node
from ._import_flow import ImportFlow, ImportPhase, scope_key
from ._router import Router

if TYPE_CHECKING:
    from app.domain import ImportReport
    from app.domain.library import Incoming

__all__ = ["CONFLICT_CHOICES", "import_panel", "report_text", "result_link"]

#: The conflict policies, as the select offers them.
CONFLICT_CHOICES: tuple[tuple[str, str], ...] = (
    ("skip", "Keep mine (skip the file's copy)"),
    ("overwrite", "Replace mine with the file's"),
    ("copy", "Import them as copies (new ids)"),
)


def _count(registry_label: str, n: int) -> str:
    from app.domain.library import plural

    return plural(registry_label, n)


def _labelled(counts: dict[str, int], labels: Callable[[str], str]) -> str:
    parts = [_count(labels(table), n) for table, n in counts.items()]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "nothing"


def report_text(report: ImportReport, labels: Callable[[str], str]) -> str:
    """ "Imported 1 character and 2 lorebook entries. Kept 3 records you already had." """
    text = f"Imported {_labelled(report.written, labels)}."
    skipped = sum(report.skipped_existing.values())
    if skipped:
        text += f" Kept {_count('record', skipped)} you already had."
    copied = sum(report.copied.values())
    if copied:
        text += f" {_count('record', copied)} already existed and came in as copies."
    if report.orphaned:
        text += f" {_count('link', len(report.orphaned))} to missing records were cleared."
    return text


def result_link(
    incoming: Incoming, report: ImportReport, scope: str, router: Router
) -> tuple[str, str] | None:
    """(text, address) of the page showing what was imported, if there is one."""
    first = {item.table: item.record for item in reversed(incoming.items)}
    copies = report.id_map

    def ident(table: str) -> str | None:
        record = first.get(table)
        if record is None:
            return None
        return str(copies.get(record["id"], record["id"]))

    kind = incoming.kind
    if kind == "card" and (cid := ident("characters")):
        return f"Open {first['characters']['name']}", router.href("character", id=cid)
    if kind in ("lorebook", "global-lorebook"):
        level, _, scope_id = scope.partition(":")
        if scope_id:
            return "Open the lorebook", router.href("lorebook", level=level, scope_id=scope_id)
        return "Open the global lorebook", router.href("global_lorebook")
    if kind == "story" and (sid := ident("stories")):
        return f"Open {first['stories']['title']}", router.href("story", id=sid)
    if kind == "series" and (sid := ident("series")):
        return f"Open {first['series']['name']}", router.href("series", id=sid)
    if kind == "chat" and (cid := ident("chats")):
        return "Open the chat", router.href("chat", id=cid)
    return "Go to your characters", router.href("characters")


def import_panel(
    ctx: Ctx,
    flow: ImportFlow,
    router: Router,
    *,
    heading_level: int = 2,
    again_label: str | Subscribable[str] = "Import another file",
    on_again: Callable[[], object] | None = None,
    on_close: Callable[[], None] | None = None,
    id_prefix: str = "import",
) -> Node:
    """The panel for ``flow``. ``on_again`` offers another file (the Library screen's
    file input; the dialog's next dropped file, labelled by a store that is empty when
    there is none); ``on_close`` a Close button (the dialog). ``id_prefix`` keeps element
    ids unique when two panels are in the document."""
    dom = ctx.dom
    heading_tag = f"h{heading_level}"
    panel = ctx.el("div", {"class": "import-panel"})

    def labels(table: str) -> str:
        return flow.state.files.domain.registry.for_table(table).label

    def focus_heading(node: Node | None) -> None:
        if node is None:
            return
        target = dom.query(node, heading_tag)
        if target is not None:
            dom.call(target, "focus")

    def heading(c: Ctx, *text: Any) -> Node:
        return c.el(heading_tag, {"tabindex": "-1", "class": "import-heading"}, *text)

    def finish_buttons(c: Ctx) -> Node:
        buttons: list[Node] = []
        if on_again is not None:
            hidden: AttrValue = (
                False if isinstance(again_label, str) else derived(again_label, lambda t: not t)
            )
            buttons.append(
                c.el(
                    "button",
                    {"type": "button", "hidden": hidden},
                    again_label,
                    on={"click": lambda e: on_again()},
                )
            )
        if on_close is not None:
            buttons.append(
                c.el("button", {"type": "button"}, "Close", on={"click": lambda e: on_close()})
            )
        return c.el("div", {"class": "actions"}, *buttons)

    # -- each phase ---------------------------------------------------------------------
    def reading(c: Ctx) -> Node:
        name = get(flow.filename)
        return c.el(
            "div",
            {"class": "import-reading"},
            c.el("progress", {"aria-label": f"Reading {name}"}),
            c.el("p", {"role": "status"}, f"Reading {name}…"),
        )

    def failed(c: Ctx) -> Node:
        errors = get(flow.errors)
        return c.el(
            "div",
            {"class": "import-failed"},
            c.el(
                "div",
                {"class": "error", "role": "alert"},
                heading(c, f"{get(flow.filename)} was not imported"),
                c.el(
                    "p",
                    None,
                    "Nothing was written. "
                    + ("What is wrong with the file:" if get(flow.failed_in_file) else "Why:"),
                ),
                c.el("ul", {"class": "import-errors"}, *[c.el("li", None, e) for e in errors]),
            ),
            finish_buttons(c),
        )

    def preview(c: Ctx) -> Node:
        incoming = get(flow.incoming)
        assert incoming is not None
        holds = c.el(
            "ul",
            {"class": "import-counts", "aria-label": "What the file holds"},
            *[
                c.el("li", None, line)
                for line in incoming.summary(flow.state.files.domain.registry)
            ],
        )
        parts: list[Node] = [
            heading(c, incoming.title),
            c.el("p", {"class": "muted"}, f"{incoming.format} · {incoming.filename}"),
            holds,
        ]
        if incoming.warnings:
            parts.append(
                c.el(
                    "div",
                    {"class": "import-warnings"},
                    c.el("p", {"id": f"{id_prefix}-warnings-title"}, "Before you import:"),
                    c.el(
                        "ul",
                        {"aria-labelledby": f"{id_prefix}-warnings-title"},
                        *[c.el("li", None, w) for w in incoming.warnings],
                    ),
                )
            )
        if incoming.scoped:
            parts.append(_scope_field(c, flow, id_prefix))
        existing = sum(incoming.existing.values())
        if existing:
            parts.append(_conflict_field(c, flow, existing, incoming.total, id_prefix))

        async def run(event: Event) -> None:
            await flow.start()

        parts.append(
            c.el(
                "div",
                {"class": "actions"},
                c.el("button", {"type": "button", "class": "primary"}, "Import", on={"click": run}),
                c.el(
                    "button",
                    {"type": "button"},
                    "Cancel",
                    on={"click": lambda e: _cancel_preview(flow, on_close, on_again)},
                ),
            )
        )
        return c.el("div", {"class": "import-preview"}, *parts)

    def importing(c: Ctx) -> Node:
        name = get(flow.filename)
        text = derived([flow.done, flow.total], lambda v: f"Writing {v[0]:,} of {v[1]:,} records…")
        return c.el(
            "div",
            {"class": "import-running"},
            heading(c, f"Importing {name}"),
            c.el(
                "progress",
                {
                    "aria-label": f"Importing {name}",
                    "max": derived(flow.total, lambda t: str(max(t, 1))),
                    "value": flow.done,
                },
            ),
            c.el("p", {"class": "muted"}, text),
            c.el(
                "div",
                {"class": "actions"},
                c.el(
                    "button",
                    {"type": "button"},
                    "Cancel import",
                    on={"click": lambda e: flow.cancel()},
                ),
            ),
        )

    def done(c: Ctx) -> Node:
        incoming = get(flow.incoming)
        report = get(flow.report)
        assert incoming is not None and report is not None
        link = result_link(incoming, report, get(flow.scope_key), router)
        return c.el(
            "div",
            {"class": "import-done"},
            heading(c, f"{incoming.title} is in your library"),
            c.el("p", {"role": "status"}, report_text(report, labels)),
            c.el("p", None, c.el("a", {"href": link[1]}, link[0])) if link else None,
            finish_buttons(c),
        )

    def cancelled(c: Ctx) -> Node:
        return c.el(
            "div",
            {"class": "import-cancelled"},
            heading(c, "Import cancelled"),
            c.el("p", {"role": "status"}, "Import cancelled: nothing was written."),
            finish_buttons(c),
        )

    views: dict[ImportPhase, Callable[[Ctx], Node]] = {
        "reading": reading,
        "failed": failed,
        "preview": preview,
        "importing": importing,
        "done": done,
        "cancelled": cancelled,
    }

    def render(c: Ctx, phase: ImportPhase) -> Node | None:
        view = views.get(phase)
        return view(c) if view is not None else None

    def after(phase: ImportPhase, node: Node | None) -> None:
        if phase in ("preview", "failed", "done", "cancelled", "importing"):
            focus_heading(node)

    ctx.switch(panel, flow.phase, render, after=after)
    return panel


def _cancel_preview(
    flow: ImportFlow, on_close: Callable[[], None] | None, on_again: Callable[[], object] | None
) -> None:
    flow.reset()
    if on_close is not None:
        on_close()
    elif on_again is not None:
        on_again()


def _choice_field(
    c: Ctx,
    id: str,
    label: str,
    options: list[tuple[str, str]],
    chosen: Writable[str],
    hint: str,
) -> Node:
    """A labelled select (with a hint) whose value is kept in ``chosen``."""
    dom = c.dom
    select = c.el(
        "select",
        {"id": id, "aria-describedby": f"{id}-hint"},
        *[c.el("option", {"value": value}, text) for value, text in options],
    )
    dom.set_prop(select, "value", get(chosen))
    c.on(select, "change", lambda e: chosen.set(str(dom.get_prop(select, "value"))))
    return c.el(
        "div",
        {"class": "field"},
        c.el("label", {"for": id}, label),
        select,
        c.el("p", {"class": "muted", "id": f"{id}-hint"}, hint),
    )


def _scope_field(c: Ctx, flow: ImportFlow, prefix: str) -> Node:
    options = [(scope_key(o.scope.level, o.scope.scope_id), o.label) for o in get(flow.scopes)]
    return _choice_field(
        c,
        f"{prefix}-scope",
        "Import into",
        options,
        flow.scope_key,
        "The lorebook's entries go to this scope: everything that sees it will use them.",
    )


def _conflict_field(c: Ctx, flow: ImportFlow, existing: int, total: int, prefix: str) -> Node:
    return _choice_field(
        c,
        f"{prefix}-conflict",
        "Records already in your library",
        list(CONFLICT_CHOICES),
        flow.on_conflict,
        f"{existing:,} of the file's {total:,} records are already in your library.",
    )
