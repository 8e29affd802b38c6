"""View layer: stores in, DOM patches out; keyed lists; hash router; app screens."""

from ._browser_dom import BrowserDom
from ._context import AttrValue, Child, Ctx, Readable, is_store
from ._dom import Dom, Handler, Node, Unlisten
from ._keyed_list import KeyedList, Row
from ._memory_dom import MemoryDom, MemoryEvent, MemoryNode, Mutation
from ._mount import Component, Mounted, mount
from ._reconcile import Plan, Step, apply_plan, longest_increasing_subsequence, plan_keyed
from ._scope import Scope

__all__ = [
    "AttrValue",
    "BrowserDom",
    "Child",
    "Component",
    "Ctx",
    "Dom",
    "Handler",
    "KeyedList",
    "MemoryDom",
    "MemoryEvent",
    "MemoryNode",
    "Mounted",
    "Mutation",
    "Node",
    "Plan",
    "Readable",
    "Row",
    "Scope",
    "Step",
    "Unlisten",
    "apply_plan",
    "is_store",
    "longest_increasing_subsequence",
    "mount",
    "plan_keyed",
]
