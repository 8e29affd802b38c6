"""The Sync screen (``#/settings/sync``): sign in to a sync server, see what the sync is
doing, follow the first sync of a large library, sign out (the library stays here).

UI.md names: textboxes "Server URL" and "Username", password "Password", button
"Sign in"; one ``status`` saying "Synced", "Syncing", "Offline" or "N changes waiting"
and naming every change the server refused (which record, why); a ``progressbar`` named
"First sync" while a large library first goes up or comes down.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from app.reactive import derived, writable
from app.ui import Ctx, Event, Node, Page, Row, SyncControls, prevent_default
from app.ui._guard import alert_text

if TYPE_CHECKING:
    from app.sync import SyncStatus
    from app.sync._state import Rejection

__all__ = ["render", "sync_view"]

def record_name(table: str, rid: str) -> str:
    """How a refused record is named: "character 0193…" (its entity's label, from the
    domain's registry, then its id)."""
    from app.domain import default_registry

    registry = default_registry()
    label = registry.for_table(table).label if registry.has_table(table) else table
    return f"{label.replace('_', ' ')} {rid}"


def _problem(error: BaseException, server: str) -> str:
    from app.sync import ApiError, NetworkError

    if isinstance(error, NetworkError):
        return (f"Cannot reach {server}: check the address, that the server is running, "
                "and that it allows this site (its --cors-origin).")
    if isinstance(error, ApiError):
        return error.message[:1].upper() + error.message[1:]
    return str(error) or type(error).__name__


def _quietly(task: asyncio.Future[None]) -> None:
    """Offering a server is a courtesy: a failure to work one out is not an error."""
    if not task.cancelled():
        task.exception()


def render(ctx: Ctx, page: Page) -> Node:
    sync = page.state.sync
    if sync is None:
        return ctx.el(
            "section", {"class": "screen sync", "aria-labelledby": "screen-title"},
            ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Sync"),
            ctx.el("div", {"role": "status"}, "Sync is not available in this window."))
    return sync_view(ctx, sync)


def sync_view(ctx: Ctx, sync: SyncControls) -> Node:
    dom = ctx.dom
    status = sync.status
    error = writable("")
    busy = writable(False)

    def field(fid: str, label: str, kind: str, autocomplete: str) -> tuple[Node, Node]:
        node = ctx.el("input", {"id": fid, "name": fid, "type": kind, "required": True,
                                "autocomplete": autocomplete, "spellcheck": "false",
                                "autocapitalize": "off"})
        return ctx.el("label", {"for": fid}, label), node

    server_label, server = field("sync-server", "Server URL", "url", "url")
    user_label, username = field("sync-username", "Username", "text", "username")
    pass_label, password = field("sync-password", "Password", "password", "current-password")

    async def prefill() -> None:
        suggestion = await sync.suggested_server()
        if suggestion and not str(dom.get_prop(server, "value")):
            dom.set_prop(server, "value", suggestion)

    filling = asyncio.ensure_future(prefill())
    filling.add_done_callback(_quietly)
    ctx.scope.on_dispose(filling.cancel)

    def values() -> tuple[str, str, str] | None:
        url = str(dom.get_prop(server, "value")).strip().rstrip("/")
        name = str(dom.get_prop(username, "value")).strip()
        secret = str(dom.get_prop(password, "value"))
        for node, value, what in ((server, url, "the server's address"),
                                  (username, name, "your username"),
                                  (password, secret, "your password")):
            if not value:
                error.set(f"Enter {what}.")
                dom.call(node, "focus")
                return None
        if not url.startswith(("http://", "https://")):
            error.set("The server URL starts with http:// or https://.")
            dom.call(server, "focus")
            return None
        return url, name, secret

    async def attempt(*steps: Callable[[str, str, str], Awaitable[None]]) -> None:
        found = values()
        if found is None:
            return
        error.set("")
        busy.set(True)
        try:
            for step in steps:
                await step(*found)
        except Exception as exc:
            error.set(_problem(exc, found[0]))
            dom.call(password, "focus")
            return
        finally:
            busy.set(False)
        dom.set_prop(password, "value", "")

    async def sign_in(_event: Event) -> None:
        await attempt(sync.sign_in)

    async def create_account(_event: Event) -> None:
        await attempt(sync.register, sync.sign_in)

    def signed_out_view(c: Ctx) -> Node:
        form = c.el(
            "form", {"class": "sync-sign-in", "aria-label": "Sign in to a sync server"},
            c.el("div", {"class": "field"}, server_label, server),
            c.el("div", {"class": "field"}, user_label, username),
            c.el("div", {"class": "field"}, pass_label, password),
            c.el("div", {"class": "field-row"},
                 c.el("button", {"type": "submit", "class": "primary", "disabled": busy},
                      "Sign in"),
                 c.el("button", {"type": "button", "disabled": busy}, "Create account",
                      on={"click": create_account})),
            on={"submit": prevent_default(sign_in)})
        return c.el("div", None, form, c.el(
            "p", {"class": "hint"},
            "Your library stays on this device. Signing in keeps it in step with your other "
            "devices through that server; the first sync sends what is already here and "
            "replaces nothing."))

    async def sign_out(_event: Event) -> None:
        error.set("")
        try:
            await sync.sign_out()
        except Exception as exc:
            error.set(_problem(exc, ""))

    def signed_in_view(c: Ctx) -> Node:
        who = derived(status, lambda s: f"Signed in as {s.username or '?'} on {s.server or '?'}.")
        return c.el(
            "div", {"class": "sync-account"},
            c.el("p", None, who),
            c.el("div", {"class": "field-row"},
                 c.el("button", {"type": "button"}, "Sync now",
                      on={"click": lambda _event: sync.wake("now")}),
                 c.el("button", {"type": "button"}, "Sign out", on={"click": sign_out})),
            c.el("p", {"class": "hint"}, "Signing out keeps everything on this device."))

    def signed_out(s: SyncStatus) -> bool:
        return s.state in ("off", "signed_out")

    account = ctx.el("div", {"class": "sync-account-area"})
    ctx.switch(account, status,
               lambda c, s: signed_out_view(c) if signed_out(s) else signed_in_view(c),
               key=signed_out)

    # -- the one live status, naming the changes the server refused -------------------------
    refused = ctx.el("ul", {"class": "sync-refused", "aria-label": "Changes not synced",
                            "hidden": derived(status, lambda s: not s.rejected)})

    def refused_row(c: Ctx, item: Rejection) -> Row[Rejection]:
        return Row(c.el("li", None, f"Not synced: {record_name(item['table'], item['id'])} "
                                    f"— {item['reason']}"))

    ctx.each(refused, derived(status, lambda s: list(s.rejected)),
             key=lambda r: (r["table"], r["id"]), render=refused_row)

    async def dismiss(_event: Event) -> None:
        await sync.dismiss_rejected()

    def progress_value(s: SyncStatus) -> int:
        return s.progress.done if s.progress is not None else 0

    def progress_max(s: SyncStatus) -> int:
        return max(1, s.progress.total) if s.progress is not None else 1

    def waiting_for(s: SyncStatus) -> str:
        if s.progress is None:
            return ""
        what = "Sending" if s.progress.phase == "push" else "Receiving"
        return f"{what} {s.progress.done:,} of {s.progress.total:,}"

    return ctx.el(
        "section", {"class": "screen sync", "aria-labelledby": "screen-title"},
        ctx.el("h1", {"id": "screen-title", "tabindex": "-1"}, "Sync"),
        ctx.el("div", {"role": "status", "class": "sync-status"},
               ctx.el("p", {"class": "sync-state"}, derived(status, lambda s: s.text)),
               refused),
        ctx.el("div", {"class": "sync-progress", "hidden": derived(
            status, lambda s: s.progress is None)},
               ctx.el("progress", {"aria-label": "First sync",
                                   "max": derived(status, progress_max),
                                   "value": derived(status, progress_value),
                                   "aria-valuetext": derived(status, waiting_for)}),
               ctx.el("span", None, derived(status, waiting_for))),
        ctx.el("button", {"type": "button", "hidden": derived(status, lambda s: not s.rejected)},
               "Dismiss", on={"click": dismiss}),
        alert_text(ctx, error),
        account)
