"""View layer: stores in, DOM patches out; keyed lists; hash routing; the screen table.

A component is a function ``(ctx: Ctx) -> node``. ``ctx.el(tag, attrs, *children, on=...)``
builds elements; children and attribute values may be stores (anything with
``subscribe``), which keeps that one text node or attribute up to date. Text only ever
reaches the document as text nodes and attribute values (there is no HTML API).
Everything a component acquires — subscriptions, listeners (each with its one PyProxy) —
belongs to ``ctx.scope`` and is released by ``mount(...).unmount()``::

    from app.reactive import writable
    from app.ui import BrowserDom, Ctx, Row, mount

    items = writable([...])

    def row(ctx: Ctx, item) -> Row:
        label = ctx.dom.text(item.name)
        return Row(ctx.el("li", None, label), update=lambda new: ctx.dom.set_data(label, new.name))

    def view(ctx: Ctx):
        ul = ctx.el("ul")
        ctx.each(ul, items, key=lambda it: it.id, render=row)  # keyed: one change, one row
        return ul

    handle = mount(BrowserDom(), root, view)
    handle.unmount()

The app is ``start(root, state)``: the shell, the hash router and the pages of the
screen table ``app.ui.screens.SCREENS`` over ``app.state``'s ``AppState`` (seen through
the ``UiState`` protocol). A screen is ``render(ctx, page)`` in its own module under
``app.ui.screens``, imported when its route is first opened (``app/ui/README.md``).

``plan_keyed`` (the reconciliation plan) and ``match``/``href`` (routing) are pure and
tested in CPython; ``MemoryDom`` implements the same ``Dom`` protocol as ``BrowserDom``
so components are tested in CPython too, and again on the real DOM in Chromium.
Async event handlers run as tasks; wrap them in ``prevent_default`` when the event's
default action must be cancelled (form submits).
"""

from typing import TYPE_CHECKING

from app._lazy import lazy_names

from ._app import App, start
from ._browser_dom import BrowserDom
from ._context import AttrValue, Child, Ctx, is_store
from ._dom import Dom, Event, Handler, Node, Storage, Unlisten
from ._handlers import prevent_default
from ._keyed_list import FocusLost, KeyedList, Row
from ._mount import Component, Mounted, mount
from ._not_found import NOT_FOUND_TITLE, not_found
from ._opening import Opening, Opens, enter, opens_record
from ._outlet import APP_NAME, Outlet, Phase, Render, page_title
from ._page import Page
from ._reconcile import Plan, Step, apply_plan, longest_increasing_subsequence, plan_keyed
from ._route import NOT_FOUND, Match, Route, href, match, split_hash
from ._router import Router
from ._scope import Scope
from ._screen import Screen, Title, check_table
from ._search import fold, matches
from ._shell import SKIP_LINK
from ._state import CharacterRecord, ChatRecord, SyncControls, UiState
from ._tasks import Tasks

__all__ = [
    "APP_NAME",
    "NOT_FOUND",
    "NOT_FOUND_TITLE",
    "SKIP_LINK",
    "App",
    "AttrValue",
    "BrowserDom",
    "CharacterRecord",
    "ChatRecord",
    "Child",
    "Component",
    "Ctx",
    "Dom",
    "Event",
    "FocusLost",
    "Handler",
    "KeyedList",
    "Match",
    "MemoryDom",
    "MemoryEvent",
    "MemoryNode",
    "MemoryStorage",
    "Mounted",
    "Mutation",
    "Node",
    "Opening",
    "Opens",
    "Outlet",
    "Page",
    "Phase",
    "Plan",
    "Render",
    "Route",
    "Router",
    "Row",
    "Scope",
    "Screen",
    "Step",
    "Storage",
    "SyncControls",
    "Tasks",
    "Title",
    "UiState",
    "Unlisten",
    "apply_plan",
    "check_table",
    "enter",
    "fold",
    "href",
    "is_store",
    "longest_increasing_subsequence",
    "match",
    "matches",
    "mount",
    "not_found",
    "opens_record",
    "page_title",
    "plan_keyed",
    "prevent_default",
    "split_hash",
    "start",
]


#: The in-memory DOM (tests, tools): loaded when first named, never at boot.
__getattr__ = lazy_names(
    __name__,
    {
        **dict.fromkeys(("MemoryDom", "MemoryEvent", "MemoryStorage", "Mutation"), "._memory_dom"),
        "MemoryNode": "._memory_node",
    },
)

if TYPE_CHECKING:
    from ._memory_dom import MemoryDom, MemoryEvent, MemoryStorage, Mutation
    from ._memory_node import MemoryNode
