"""View layer: stores in, DOM patches out; keyed lists; hash router; app screens."""

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
