"""LLM providers and keys (``#/settings/providers``).

A provider config says where replies come from: the provider type (from the generation
registry: OpenAI-compatible chat, text completion, Anthropic), "Base URL", "API key" (a
password field; a saved key is shown masked and never put back into the page), and the
"Model" (a combobox filled from the server's model list by "Test connection", whose
result is said in a ``status``). "Save" stores the config and its key together. One
config is the default (radio group "Default provider"); chats use it.

Keys stay on this device: they live in the ``api_keys`` table, which never syncs and is
never exported unless the person asks for it on the export.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.reactive import Readable, derived, get, writable
from app.ui import Ctx, Event, Node, Page, fold, prevent_default
from app.ui._guard import alert_text

from ._common import back_link
from ._record_page import ActiveList, active_list, guard

if TYPE_CHECKING:
    from app.domain import ApiKey, ProviderConfig

__all__ = ["NEW", "render"]

NEW = "new"
"""``chosen`` while the editor shows a config not saved yet."""


def render(ctx: Ctx, page: Page) -> Node:
    state = page.state
    error = writable("")
    configs: Readable[list[ProviderConfig]] = derived(
        state.provider_configs, lambda cs: sorted(cs, key=lambda c: (fold(c.name), c.name, c.id))
    )

    def default_of(values: list[Any]) -> str | None:
        items, settings = values
        wanted = getattr(settings, "default_provider_config_id", None)
        enabled = [c for c in items if c.enabled]
        chosen = next((c for c in enabled if c.id == wanted), None) or (
            enabled[0] if enabled else None
        )
        return chosen.id if chosen is not None else None

    default_id = derived([configs, state.settings], default_of)
    chosen = writable(get(default_id) or NEW)
    #: What "Test connection" or "Save" found, said in the editor's status region (kept
    #: when a new config, once saved, opens as itself; cleared when another is chosen).
    check = writable("")
    ctx.watch(chosen, lambda _: check.set(""))

    guarded = guard(error)

    async def activate(config_id: str) -> None:
        await guarded(
            "The default was not changed",
            state.set_setting("default_provider_config_id", config_id),
        )

    async def delete(config_id: str) -> bool:
        config = next((c for c in get(configs) if c.id == config_id), None)
        if await guarded("The provider was not deleted", _delete(state, config_id)) is None:
            return False
        key_id = config.api_key_id if config is not None else None
        if key_id and not any(c.api_key_id == key_id for c in get(configs) if c.id != config_id):
            await guarded("Its API key was not deleted", _delete_key(state, key_id))
        if get(chosen) == config_id:
            chosen.set(get(default_id) or NEW)
        return True

    new_button = ctx.el(
        "button",
        {"type": "button", "class": "primary"},
        "New provider",
        on={"click": lambda ev: chosen.set(NEW)},
    )
    group = active_list(
        ctx,
        configs,
        default_id,
        chosen,
        ActiveList(
            group="Default provider",
            empty="No providers yet. Add the server your models run on.",
            question=lambda n: f"Delete the provider “{n}” and its saved API key?",
            activate=activate,
            delete=delete,
        ),
        fallback_focus=new_button,
    )
    editor = ctx.el("div", {"class": "record-editor"})
    shown = derived(
        [chosen, configs], lambda v: v[0] if v[0] == NEW or any(c.id == v[0] for c in v[1]) else NEW
    )
    ctx.switch(editor, shown, lambda c, cid: _editor(c, page, cid, chosen, check))
    return ctx.el(
        "section",
        {"class": "screen providers", "aria-labelledby": "screen-title"},
        back_link(ctx, page.href("settings"), "Settings"),
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Providers"),
        ctx.el(
            "p",
            {"class": "muted"},
            "Where replies come from: a local server (Ollama, LM Studio, llama.cpp, KoboldCpp, "
            "vLLM) or a service (OpenAI, OpenRouter, Anthropic). API keys stay on this device.",
        ),
        alert_text(ctx, error),
        ctx.el("div", {"class": "records-layout"}, ctx.el("div", None, group, new_button), editor),
    )


async def _delete(state: Any, config_id: str) -> bool:
    await state.delete("provider_config", config_id)
    return True


async def _delete_key(state: Any, key_id: str) -> bool:
    await state.delete("api_key", key_id)
    return True


def _editor(ctx: Ctx, page: Page, config_id: str, chosen: Any, check: Any) -> Node:
    from app.generation import KNOWN_SERVERS, Secret, all_providers

    state = page.state
    dom = ctx.dom
    config = next((c for c in get(state.provider_configs) if c.id == config_id), None)
    saved_key: ApiKey | None = None
    if config is not None and config.api_key_id:
        saved_key = next((k for k in get(state.api_keys) if k.id == config.api_key_id), None)
    providers = all_providers()
    problem = writable("")
    busy = writable(False)

    def field(label: str, field_id: str, control: Node, hint: str = "") -> Node:
        hint_node = ctx.el("p", {"class": "hint", "id": f"{field_id}-hint"}, hint) if hint else None
        if hint:
            dom.set_attr(control, "aria-describedby", f"{field_id}-hint")
        return ctx.el(
            "div", {"class": "field"}, ctx.el("label", {"for": field_id}, label), hint_node, control
        )

    name = ctx.el(
        "input",
        {
            "id": "provider-name",
            "type": "text",
            "maxlength": "200",
            ".value": config.name if config else "",
        },
    )
    kind = ctx.el(
        "select",
        {"id": "provider-type", ".value": config.type if config else "openai"},
        *(
            ctx.el(
                "option",
                {"value": key, "selected": key == (config.type if config else "openai")},
                p.label,
            )
            for key, p in sorted(providers.items(), key=lambda kv: kv[0] != "openai")
        ),
    )
    options = dict(config.options) if config else {}
    server = ctx.el(
        "select",
        {"id": "provider-server", ".value": options.get("server") or ""},
        ctx.el(
            "option",
            {"value": "", "selected": not options.get("server")},
            "Detect from the address",
        ),
        *(
            ctx.el("option", {"value": s, "selected": options.get("server") == s}, s)
            for s in KNOWN_SERVERS
        ),
    )
    base_url = ctx.el(
        "input",
        {
            "id": "provider-base-url",
            "type": "url",
            "inputmode": "url",
            "autocomplete": "off",
            "placeholder": "http://127.0.0.1:11434/v1",
            ".value": (config.base_url or "") if config else "",
        },
    )

    def server_chosen(event: Event) -> None:
        picked = KNOWN_SERVERS.get(str(dom.get_prop(server, "value")))
        if picked is not None and not str(dom.get_prop(base_url, "value")).strip():
            dom.set_prop(base_url, "value", picked.default_url)

    ctx.on(server, "change", server_chosen)
    key_field = ctx.el(
        "input", {"id": "provider-api-key", "type": "password", "autocomplete": "new-password"}
    )
    remove_key = ctx.el("input", {"id": "provider-remove-key", "type": "checkbox"})
    key_hint = (
        f"Saved key: {Secret(saved_key.value).masked()}. Type a new one to replace it."
        if saved_key is not None
        else "Leave empty for servers that need no key (most local ones)."
    )
    models_id = "provider-models"
    model = ctx.el(
        "input",
        {
            "id": "provider-model",
            "type": "text",
            "list": models_id,
            "autocomplete": "off",
            ".value": (config.default_model or "") if config else "",
        },
    )
    datalist = ctx.el("datalist", {"id": models_id})
    for known in config.models if config else []:
        dom.insert(datalist, ctx.el("option", {"value": known}))
    found_models = list(config.models) if config else []

    def draft_endpoint() -> Any:
        from app.generation import Endpoint

        typed = str(dom.get_prop(key_field, "value"))
        key_value = typed or (
            saved_key.value
            if saved_key is not None and not dom.get_prop(remove_key, "checked")
            else ""
        )
        picked_server = str(dom.get_prop(server, "value")) or None
        return Endpoint(
            provider=str(dom.get_prop(kind, "value")),
            base_url=str(dom.get_prop(base_url, "value")).strip(),
            model=str(dom.get_prop(model, "value")).strip(),
            api_key=Secret(key_value) if key_value else None,
            server=picked_server,
        )

    async def test_connection(event: Event) -> None:
        from app.generation import default_transport, get_provider

        endpoint = draft_endpoint()
        if not endpoint.base_url:
            check.set("Type the server's Base URL first.")
            dom.call(base_url, "focus")
            return
        busy.set(True)
        check.set("Testing the connection…")
        try:
            result = await get_provider(endpoint.provider).test_connection(
                endpoint, transport=default_transport()
            )
        finally:
            busy.set(False)
        check.set(result.message)
        if result.models:
            found_models[:] = [m.id for m in result.models]
            dom.set_text(datalist, "")
            for m in result.models:
                dom.insert(
                    datalist,
                    ctx.el("option", {"value": m.id}, m.label if m.label != m.id else None),
                )
            if not str(dom.get_prop(model, "value")).strip():
                dom.set_prop(model, "value", result.models[0].id)

    async def save(event: Event) -> None:
        problem.set("")
        label = str(dom.get_prop(name, "value")).strip()
        if not label:
            problem.set(
                "A provider needs a name (how you recognise it, such as “Ollama on my laptop”)."
            )
            dom.call(name, "focus")
            return
        url = str(dom.get_prop(base_url, "value")).strip()
        if not url:
            problem.set("A provider needs its Base URL, such as http://127.0.0.1:11434/v1.")
            dom.call(base_url, "focus")
            return
        picked_server = str(dom.get_prop(server, "value"))
        new_options = (
            {**options, "server": picked_server}
            if picked_server
            else {k: v for k, v in options.items() if k != "server"}
        )
        data = {
            "name": label,
            "type": str(dom.get_prop(kind, "value")),
            "base_url": url,
            "default_model": str(dom.get_prop(model, "value")).strip() or None,
            "models": found_models,
            "options": new_options,
        }
        typed_key = str(dom.get_prop(key_field, "value"))
        api_key = typed_key if typed_key else ("" if dom.get_prop(remove_key, "checked") else None)
        try:
            stored = await state.save_provider(
                data, config_id=None if config is None else config.id, api_key=api_key
            )
            settings = get(state.settings)
            others = [c for c in get(state.provider_configs) if c.id != stored.id]
            if getattr(settings, "default_provider_config_id", None) is None or not others:
                await state.set_setting("default_provider_config_id", stored.id)
        except Exception as error:
            problem.set(f"Not saved: {error}")
            return
        dom.set_prop(key_field, "value", "")
        if config is None:
            chosen.set(stored.id)
        check.set(f"Saved “{stored.name}”.")

    heading = f"Edit {config.name}" if config is not None else "New provider"
    return ctx.el(
        "form",
        {"class": "card-form provider-editor", "aria-label": heading},
        ctx.el("h2", None, heading),
        alert_text(ctx, problem),
        field("Name", "provider-name", name),
        field("Provider type", "provider-type", kind),
        field(
            "Server software",
            "provider-server",
            server,
            "Used for exact advice when the browser is refused (CORS), and to fill in the usual address.",
        ),
        field(
            "Base URL", "provider-base-url", base_url, "The API's address, usually ending in /v1."
        ),
        field("API key", "provider-api-key", key_field, key_hint),
        ctx.el(
            "div",
            {"class": "field check", "hidden": saved_key is None},
            remove_key,
            ctx.el("label", {"for": "provider-remove-key"}, "Remove the saved key"),
        ),
        field(
            "Model",
            "provider-model",
            model,
            "Pick from the server's list (Test connection fills it) or type a name.",
        ),
        datalist,
        ctx.el(
            "div",
            {"class": "actions"},
            ctx.el(
                "button",
                {"type": "button", "disabled": busy},
                "Test connection",
                on={"click": test_connection},
            ),
            ctx.el("button", {"type": "submit", "class": "primary"}, "Save"),
        ),
        ctx.el("p", {"class": "status", "role": "status"}, check),
        on={"submit": prevent_default(save)},
    )
