"""View layer: stores in, DOM patches out; keyed lists; hash router; app screens.

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

``plan_keyed`` (the reconciliation plan) and ``match``/``href`` (routing) are pure and
tested in CPython; ``MemoryDom`` implements the same ``Dom`` protocol as ``BrowserDom``
so components are tested in CPython too, and again on the real DOM in Chromium.
Async event handlers run as tasks; wrap them in ``prevent_default`` when the event's
default action must be cancelled (form submits).

``start(root)`` is the app: the shell, the hash router and the screens, over
``app.state``'s ``AppState`` on the library the boot opened.
"""

from ._app import App, current_app, start
from ._browser_dom import BrowserDom
from ._characters import (
    CharacterActions,
    CharacterLike,
    CharacterRepository,
    RepositoryCharacters,
    StateCharacters,
)
from ._context import AttrValue, Child, Ctx, Readable, is_store
from ._dom import Dom, Handler, Node, Unlisten, prevent_default
from ._keyed_list import KeyedList, Row
from ._live_list import LiveList, Observable, Source
from ._memory_dom import MemoryDom, MemoryEvent, MemoryNode, Mutation
from ._mount import Component, Mounted, mount
from ._reconcile import Plan, Step, apply_plan, longest_increasing_subsequence, plan_keyed
from ._router import DEFAULT_PATH, NOT_FOUND, ROUTES, Match, Route, Router, href, match, split_hash
from ._scope import Scope

__all__ = [
    "DEFAULT_PATH",
    "NOT_FOUND",
    "ROUTES",
    "App",
    "AttrValue",
    "BrowserDom",
    "CharacterActions",
    "CharacterLike",
    "CharacterRepository",
    "Child",
    "Component",
    "Ctx",
    "Dom",
    "Handler",
    "KeyedList",
    "LiveList",
    "Match",
    "MemoryDom",
    "MemoryEvent",
    "MemoryNode",
    "Mounted",
    "Mutation",
    "Node",
    "Observable",
    "Plan",
    "Readable",
    "RepositoryCharacters",
    "Route",
    "Router",
    "Row",
    "Scope",
    "Source",
    "StateCharacters",
    "Step",
    "Unlisten",
    "apply_plan",
    "current_app",
    "href",
    "is_store",
    "longest_increasing_subsequence",
    "match",
    "mount",
    "plan_keyed",
    "prevent_default",
    "split_hash",
    "start",
]
