"""The lorebook entry editor: every field the engine uses, saving itself.

One control per field of ``editable_fields()``, grouped in fieldsets. Every change is
parsed (a value the field cannot take is explained next to the form and not saved) and
the form's values are saved through ``TextAutosave`` — journalled at once, stored after a
pause or when the editor closes — so an edit survives a reload. While the person is not
editing, the form follows the stored entry (another tab's edit shows up).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from app.reactive import Subscribable, get, writable

from ._autosave import Journal
from ._context import Ctx
from ._dom import Node
from ._entry_fields import GROUPS, FieldSpec, editable_fields, format_value, parse_value
from ._guard import alert_text
from ._text_autosave import TextAutosave, journalled_text

__all__ = ["entry_editor", "field_id", "recover_drafts"]

_TRISTATE = (("", "Default (from Settings)"), ("true", "Yes"), ("false", "No"))


def field_id(entry_id: str, name: str) -> str:
    return f"entry-{entry_id}-{name}"


def _stored_values(entry: Any, specs: list[FieldSpec]) -> dict[str, Any]:
    return {s.name: getattr(entry, s.name) for s in specs}


def _dump(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, default=str)


def journal_key(entry_id: str) -> str:
    return f"entry:{entry_id}"


async def recover_drafts(
    journal: Journal,
    entries: list[Any],
    save: Callable[[str, dict[str, Any]], Awaitable[object]],
) -> int:
    """Save the edits of entries typed before a reload and never stored (their editors
    are closed now, so nothing else would); returns how many were saved."""
    wanted = {k for k in journal.keys("entry:")}
    if not wanted:
        return 0
    specs = editable_fields()
    saved = 0
    for entry in entries:
        key = journal_key(entry.id)
        if key not in wanted:
            continue
        stored = _dump(_stored_values(entry, specs))
        text = journalled_text(journal, key, stored, entry.updated_at)
        if text is None:
            continue
        await save(entry.id, json.loads(text))
        journal.clear(key)
        saved += 1
    return saved


def entry_editor(
    ctx: Ctx,
    entry: Subscribable[Any],
    *,
    save: Callable[[str, dict[str, Any]], Awaitable[object]],
    on_error: Callable[[str], None],
) -> tuple[Node, TextAutosave, dict[str, Node]]:
    """The form for one entry; returns it, its autosave and its controls by field."""
    dom = ctx.dom
    first = get(entry)
    entry_id = first.id
    specs = editable_fields()
    controls: dict[str, Node] = {}
    problems = writable("")

    async def store(text: str) -> None:
        await save(entry_id, json.loads(text))

    key = journal_key(entry_id)
    auto = TextAutosave(ctx, key, store, saved_text=_dump(_stored_values(first, specs)))

    def read_form() -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        errors: list[str] = []
        for spec in specs:
            node = controls[spec.name]
            if spec.kind == "bool":
                raw = "true" if dom.get_prop(node, "checked") else "false"
            else:
                raw = str(dom.get_prop(node, "value"))
            try:
                values[spec.name] = parse_value(spec, raw)
            except ValueError as exc:
                errors.append(f"{spec.label}: {exc}")
        problems.set("; ".join(errors))
        if errors:
            on_error("; ".join(errors))
            return None
        return values

    def edited(event: object) -> None:
        values = read_form()
        if values is not None:
            auto.changed(_dump(values))

    def fill(values: dict[str, Any]) -> None:
        for spec in specs:
            node = controls[spec.name]
            shown = format_value(spec, values.get(spec.name))
            if spec.kind == "bool":
                dom.set_prop(node, "checked", shown == "true")
            elif dom.get_prop(node, "value") != shown:
                dom.set_prop(node, "value", shown)

    def control(spec: FieldSpec) -> Node:
        fid = field_id(entry_id, spec.name)
        value = format_value(spec, getattr(first, spec.name))
        hint_id = f"{fid}-hint"
        described = {"aria-describedby": hint_id} if spec.hint else {}
        if spec.kind == "textarea":
            node = ctx.el("textarea", {"id": fid, "rows": "6", ".value": value, **described})
        elif spec.kind == "bool":
            node = ctx.el("input", {"id": fid, "type": "checkbox", ".checked": value == "true"})
        elif spec.kind in ("choice", "tristate"):
            choices = _TRISTATE if spec.kind == "tristate" else spec.choices
            node = ctx.el(
                "select",
                {"id": fid, **described},
                *[ctx.el("option", {"value": v}, text) for v, text in choices],
            )
            dom.set_prop(node, "value", value)
        elif spec.kind in ("int", "optional_int"):
            node = ctx.el(
                "input",
                {
                    "id": fid,
                    "type": "number",
                    "step": "1",
                    "inputmode": "numeric",
                    ".value": value,
                    **described,
                },
            )
        else:
            node = ctx.el("input", {"id": fid, "type": "text", ".value": value, **described})
        controls[spec.name] = node
        ctx.on(node, "change" if spec.kind in ("bool", "choice", "tristate") else "input", edited)
        label = ctx.el("label", {"for": fid}, spec.label)
        hint = ctx.el("p", {"class": "hint", "id": hint_id}, spec.hint) if spec.hint else None
        css = "field check" if spec.kind == "bool" else "field"
        if spec.kind == "bool":
            return ctx.el("div", {"class": css}, node, label, hint)
        return ctx.el("div", {"class": css}, label, node, hint)

    groups = []
    for group in GROUPS:
        members = [s for s in specs if s.group == group]
        if not members:
            continue
        groups.append(
            ctx.el(
                "fieldset",
                {"class": f"group group-{group.split()[0].lower()}"},
                ctx.el("legend", None, group),
                *[control(s) for s in members],
            )
        )

    def follow(current: Any) -> None:
        if current is None:
            return
        stored = _stored_values(current, specs)
        if auto.dirty:
            auto.saved_elsewhere(_dump(stored))
            return
        text = _dump(stored)
        if text != auto.latest:
            auto.reset(text)
            fill(stored)

    ctx.watch(entry, follow)
    recovered = auto.recover(first.updated_at)
    if recovered is not None:  # edited before a reload, never saved: show it (it saves)
        fill(json.loads(recovered))
    form = ctx.el(
        "form",
        {"class": "entry-editor", "aria-label": "Edit entry"},
        *groups,
        alert_text(ctx, problems),
        ctx.el("p", {"class": "status", "role": "status"}, auto.status),
        on={"submit": lambda ev: ev.preventDefault()},
    )
    ctx.on(form, "focusout", lambda ev: auto.flush())
    return form, auto, controls
