"""View layer: stores in, DOM patches out; keyed lists; hash router; app screens."""

from ._browser_dom import BrowserDom
from ._context import AttrValue, Child, Ctx, Readable, is_store
from ._dom import Dom, Handler, Node, Unlisten
from ._keyed_list import KeyedList, Row
from ._memory_dom import MemoryDom, MemoryEvent, MemoryNode, Mutation
from ._mount import Component, Mounted, mount
from ._reconcile import Plan, Step, apply_plan, longest_increasing_subsequence, plan_keyed
from ._router import DEFAULT_PATH, NOT_FOUND, ROUTES, Match, Route, Router, href, match, split_hash
from ._scope import Scope

__all__ = [
    "DEFAULT_PATH",
    "NOT_FOUND",
    "ROUTES",
    "AttrValue",
    "BrowserDom",
    "Child",
    "Component",
    "Ctx",
    "Dom",
    "Handler",
    "KeyedList",
    "Match",
    "MemoryDom",
    "MemoryEvent",
    "MemoryNode",
    "Mounted",
    "Mutation",
    "Node",
    "Plan",
    "Readable",
    "Route",
    "Router",
    "Row",
    "Scope",
    "Step",
    "Unlisten",
    "apply_plan",
    "href",
    "is_store",
    "longest_increasing_subsequence",
    "match",
    "mount",
    "plan_keyed",
    "split_hash",
]
