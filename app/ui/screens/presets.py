"""Prompt presets (``#/presets``): the system prompt, sampling settings (temperature,
top-p, max tokens, stop strings and more) and how the prompt is assembled. One preset is
active; chats use it.

Create ("New preset", "Create preset"), duplicate, choose the active one (radio group
"Active preset"), edit one at a time (saved by itself; a value out of range is said in
words and not saved), delete (asked first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from app.reactive import Readable, derived, get, writable
from app.ui import Ctx, Event, Node, Page, fold
from app.ui._autosave import Autosave
from app.ui._guard import alert_text

from ._record_page import ActiveList, active_list, create_form, guard

if TYPE_CHECKING:
    from app.domain import PromptPreset

__all__ = ["FIELDS", "SettingField", "escape", "parse_value", "render", "unescape"]

Section = Literal["sampling", "prompt"]
Kind = Literal["float", "int", "lines", "text", "choice", "flag"]


@dataclass(frozen=True, slots=True)
class SettingField:
    """One control of the preset editor for ``PresetSettings.<section>.<key>``."""

    section: Section
    key: str
    label: str
    kind: Kind
    hint: str = ""
    optional: bool = False  # empty means "the server's default"
    step: str = "any"
    choices: tuple[tuple[str, str], ...] = ()
    advanced: bool = False


FIELDS: tuple[SettingField, ...] = (
    SettingField(
        "sampling",
        "temperature",
        "Temperature",
        "float",
        "0 to 2; higher is more varied. Empty: the server's default.",
        True,
        "0.05",
    ),
    SettingField(
        "sampling",
        "top_p",
        "Top P",
        "float",
        "Above 0, up to 1. Empty: the server's default.",
        True,
        "0.01",
    ),
    SettingField(
        "sampling",
        "max_tokens",
        "Max tokens",
        "int",
        "The longest reply, in tokens (kept free in the context).",
        step="1",
    ),
    SettingField(
        "sampling",
        "stop",
        "Stop strings",
        "lines",
        "One per line; the reply ends where one appears. Type \\n for a line break.",
    ),
    SettingField(
        "prompt",
        "context_size",
        "Context size",
        "int",
        "The model's context window in tokens.",
        step="1",
    ),
    SettingField(
        "prompt",
        "post_history_instructions",
        "Post-history instructions",
        "text",
        "Sent after the chat history.",
    ),
    SettingField(
        "prompt",
        "examples",
        "Example dialogue",
        "choice",
        "Keep the character's examples always, or let a long chat push them out.",
        choices=(("push_out", "Pushed out as the chat grows"), ("keep", "Always kept")),
    ),
    SettingField(
        "prompt",
        "lore_scan_depth",
        "Lore scan depth",
        "int",
        "How many of the latest messages lore keys are looked for in.",
        step="1",
    ),
    SettingField(
        "prompt",
        "lore_budget_percent",
        "Lore budget (% of the context)",
        "int",
        "0 to 100.",
        step="1",
    ),
    SettingField(
        "sampling",
        "top_k",
        "Top K",
        "int",
        "Local servers only. Empty: the server's default.",
        True,
        "1",
        advanced=True,
    ),
    SettingField(
        "sampling",
        "min_p",
        "Min P",
        "float",
        "Local servers only, 0 to 1.",
        True,
        "0.01",
        advanced=True,
    ),
    SettingField(
        "sampling",
        "presence_penalty",
        "Presence penalty",
        "float",
        "-2 to 2.",
        True,
        "0.05",
        advanced=True,
    ),
    SettingField(
        "sampling",
        "frequency_penalty",
        "Frequency penalty",
        "float",
        "-2 to 2.",
        True,
        "0.05",
        advanced=True,
    ),
    SettingField(
        "sampling",
        "repetition_penalty",
        "Repetition penalty",
        "float",
        "Local servers only, above 0 up to 3.",
        True,
        "0.01",
        advanced=True,
    ),
    SettingField(
        "sampling",
        "seed",
        "Seed",
        "int",
        "The same seed repeats a reply where the server supports it.",
        True,
        "1",
        advanced=True,
    ),
    SettingField(
        "prompt",
        "merge_system",
        "Merge system messages",
        "flag",
        "Some local chat templates accept only one system message.",
        advanced=True,
    ),
    SettingField(
        "prompt",
        "prefer_character_prompts",
        "Prefer the character's prompts",
        "flag",
        "A character's own system prompt and post-history instructions replace the preset's.",
        advanced=True,
    ),
    SettingField(
        "prompt",
        "instruct_template",
        "Instruct template",
        "choice",
        "For text completion: how messages become one prompt.",
        advanced=True,
    ),
)
"""The editor's settings controls, in order (``advanced`` ones under "More settings")."""


_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}


def unescape(line: str) -> str:
    """``\\n`` and ``\\t`` typed in a line become a line break and a tab (a stop string
    such as "\\nUser:" needs one); ``\\\\`` is a backslash."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and line[i + 1] in _ESCAPES:
            out.append(_ESCAPES[line[i + 1]])
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def escape(value: str) -> str:
    """The one-line form of a stop string (the inverse of ``unescape``)."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


class FieldProblem(ValueError):
    """A value that cannot be saved; the message says why, in words."""


def parse_value(spec: SettingField, raw: str | bool) -> Any:
    """The typed value for what was typed (``FieldProblem`` when it is not one)."""
    if spec.kind == "flag":
        return bool(raw)
    text = str(raw)
    if spec.kind == "lines":
        return [unescape(line) for line in text.splitlines() if line]
    if spec.kind in ("text", "choice"):
        return text
    if not text.strip():
        if spec.optional:
            return None
        raise FieldProblem(f"{spec.label} needs a value.")
    try:
        return int(text) if spec.kind == "int" else float(text)
    except ValueError:
        kind = "a whole number" if spec.kind == "int" else "a number"
        raise FieldProblem(f"{spec.label} must be {kind}.") from None


def _shown(value: Any, spec: SettingField) -> str:
    if value is None:
        return ""
    if spec.kind == "lines":
        return "\n".join(escape(v) for v in value)
    return str(value)


def render(ctx: Ctx, page: Page) -> Node:
    state = page.state
    error = writable("")
    presets: Readable[list[PromptPreset]] = derived(
        state.presets, lambda ps: sorted(ps, key=lambda p: (fold(p.name), p.name, p.id))
    )
    active_id = derived(state.active_preset, lambda p: p.id if p is not None else None)
    chosen = writable(get(active_id) or next((p.id for p in get(presets)), None))

    guarded = guard(error)

    async def create(name: str) -> Any:
        from app.generation import PresetSettings

        made = await guarded(
            "The preset was not created",
            state.create("preset", {"name": name, "parameters": PresetSettings().to_parameters()}),
        )
        if made is not None:
            chosen.set(made.id)
        return made

    create_preset, new_name = create_form(ctx, noun="preset", error=error, create=create)

    async def duplicate(preset_id: str) -> None:
        original = next((p for p in get(presets) if p.id == preset_id), None)
        if original is None:
            return
        data = original.model_dump(include={"system_prompt", "template", "parameters"})
        made = await guarded(
            "The preset was not copied",
            state.create("preset", {**data, "name": f"{original.name} (copy)"}),
        )
        if made is not None:
            chosen.set(made.id)

    async def activate(preset_id: str) -> None:
        await guarded("The preset was not made active", state.set_active_preset(preset_id))

    async def delete(preset_id: str) -> bool:
        rest = [p for p in get(presets) if p.id != preset_id]
        if await guarded("The preset was not deleted", _deleted(state, preset_id)) is None:
            return False
        if get(chosen) == preset_id:
            chosen.set(rest[0].id if rest else None)
        return True

    def extra(c: Ctx, current: Readable[Any]) -> Sequence[Node]:
        return [
            c.el(
                "button",
                {"type": "button", "aria-label": derived(current, lambda p: f"Duplicate {p.name}")},
                "Duplicate",
                on={"click": lambda ev: duplicate(get(current).id)},
            )
        ]

    group = active_list(
        ctx,
        presets,
        active_id,
        chosen,
        ActiveList(
            group="Active preset",
            empty="No presets yet: chats use the default settings until you create one.",
            question=lambda n: f"Delete the preset “{n}”? This cannot be undone.",
            activate=activate,
            delete=delete,
            extra=extra,
        ),
        fallback_focus=new_name,
    )
    editor = ctx.el("div", {"class": "record-editor"})
    shown_id = derived(
        [chosen, presets], lambda v: v[0] if any(p.id == v[0] for p in v[1]) else None
    )
    ctx.switch(editor, shown_id, lambda c, pid: _editor(c, page, pid) if pid else None)

    return ctx.el(
        "section",
        {"class": "screen presets", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Presets"),
        ctx.el(
            "p",
            {"class": "muted"},
            "The active preset decides the system prompt, the sampling settings and how each chat's prompt is put together.",
        ),
        create_preset,
        alert_text(ctx, error),
        ctx.el("div", {"class": "records-layout"}, group, editor),
    )


async def _deleted(state: Any, preset_id: str) -> bool:
    await state.delete("preset", preset_id)
    return True


def _editor(ctx: Ctx, page: Page, preset_id: str) -> Node:
    from pydantic import ValidationError

    from app.generation import INSTRUCT_TEMPLATES, PresetSettings

    state = page.state
    dom = ctx.dom
    preset = next(p for p in get(state.presets) if p.id == preset_id)

    async def save(changes: dict[str, Any]) -> None:
        await state.update("preset", preset_id, changes)

    saver = Autosave(ctx, f"preset:{preset_id}", save)
    recovered = saver.recover(preset.updated_at)
    values = {**preset.model_dump(), **recovered}
    try:
        settings = [PresetSettings.of(values.get("parameters") or {})]
    except ValidationError:
        settings = [PresetSettings()]
    problems: dict[str, str] = {}
    problem_text = writable("")

    def say_problems() -> None:
        problem_text.set(" ".join(problems.values()))

    name_field = ctx.el(
        "input", {"id": "preset-name", "type": "text", "maxlength": "200", ".value": values["name"]}
    )
    system = ctx.el(
        "textarea",
        {"id": "preset-system-prompt", "rows": "6", ".value": values.get("system_prompt") or ""},
    )

    def typed_name(event: Event) -> None:
        value = str(dom.get_prop(name_field, "value")).strip()
        if not value:
            problems["name"] = "A preset needs a name; the last name is kept until you type one."
        else:
            problems.pop("name", None)
            saver.edit("name", value)
        say_problems()

    ctx.on(name_field, "input", typed_name)
    ctx.on(
        system, "input", lambda ev: saver.edit("system_prompt", str(dom.get_prop(system, "value")))
    )

    def control(spec: SettingField) -> Node:
        field_id = f"preset-{spec.key.replace('_', '-')}"
        hint_id = f"{field_id}-hint"
        current = getattr(getattr(settings[0], spec.section), spec.key)
        attrs: dict[str, Any] = {"id": field_id, "aria-describedby": hint_id}
        if spec.kind in ("float", "int"):
            attrs.update(
                {
                    "type": "number",
                    "step": spec.step,
                    "inputmode": "decimal",
                    ".value": _shown(current, spec),
                }
            )
            node = ctx.el("input", attrs)
        elif spec.kind == "flag":
            attrs.update({"type": "checkbox", ".checked": bool(current)})
            node = ctx.el("input", attrs)
        elif spec.kind == "choice":
            choices = spec.choices or tuple((name, name) for name in INSTRUCT_TEMPLATES)
            node = ctx.el(
                "select",
                {**attrs, ".value": str(current)},
                *(
                    ctx.el("option", {"value": v, "selected": v == current}, label)
                    for v, label in choices
                ),
            )
        else:
            attrs.update({"rows": "3", ".value": _shown(current, spec)})
            node = ctx.el("textarea", attrs)

        def changed(event: Event) -> None:
            raw = (
                dom.get_prop(node, "checked")
                if spec.kind == "flag"
                else dom.get_prop(node, "value")
            )
            try:
                value = parse_value(spec, raw)
                data = settings[0].model_dump()
                data[spec.section][spec.key] = value
                updated = PresetSettings.model_validate(data)
            except FieldProblem as problem:
                _invalid(node, spec, str(problem))
                return
            except ValidationError as problem:
                _invalid(node, spec, f"{spec.label}: {_first_message(problem)}.")
                return
            problems.pop(spec.key, None)
            dom.set_attr(node, "aria-invalid", None)
            say_problems()
            settings[0] = updated
            saver.edit("parameters", updated.to_parameters(values.get("parameters")))

        def _invalid(node: Node, spec: SettingField, words: str) -> None:
            problems[spec.key] = words
            dom.set_attr(node, "aria-invalid", "true")
            say_problems()

        ctx.on(node, "change" if spec.kind in ("flag", "choice") else "input", changed)
        label = ctx.el("label", {"for": field_id}, spec.label)
        hint = ctx.el("p", {"class": "hint", "id": hint_id}, spec.hint)
        if spec.kind == "flag":
            return ctx.el("div", {"class": "field check"}, node, label, hint)
        return ctx.el("div", {"class": "field"}, label, hint, node)

    name_store = derived(
        state.presets, lambda ps: next((p.name for p in ps if p.id == preset_id), "")
    )
    return ctx.el(
        "form",
        {
            "class": "card-form preset-editor",
            "aria-label": derived(name_store, lambda n: f"Edit {n}"),
        },
        ctx.el(
            "header",
            {"class": "editor-header"},
            ctx.el("h2", None, derived(name_store, lambda n: f"Edit {n}")),
            ctx.el("p", {"class": "status", "role": "status"}, saver.status),
        ),
        alert_text(ctx, problem_text),
        ctx.el(
            "div", {"class": "field"}, ctx.el("label", {"for": "preset-name"}, "Name"), name_field
        ),
        ctx.el(
            "div",
            {"class": "field"},
            ctx.el("label", {"for": "preset-system-prompt"}, "System prompt"),
            ctx.el(
                "p", {"class": "hint"}, "Opens every prompt. {{char}} and {{user}} are filled in."
            ),
            system,
        ),
        ctx.el(
            "fieldset",
            {"class": "card-group"},
            ctx.el("legend", None, "Sampling and prompt"),
            *(control(s) for s in FIELDS if not s.advanced),
        ),
        ctx.el(
            "details",
            {"class": "card-group"},
            ctx.el("summary", None, "More settings"),
            *(control(s) for s in FIELDS if s.advanced),
        ),
        on={"submit": lambda ev: ev.preventDefault()},
    )


def _first_message(error: Any) -> str:
    errors: list[dict[str, Any]] = error.errors()
    message = str(errors[0].get("msg", "not a valid value")) if errors else "not a valid value"
    return message[:1].lower() + message[1:]
