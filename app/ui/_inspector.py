"""The prompt inspector: a dialog showing exactly what a generation request sent.

It reads the plain JSON a reply keeps (``app.generation.BuiltPrompt.to_dict()`` under
``"prompt"``, plus how the request went under ``"result"`` and the request's settings
under ``"request"``) and shows, as text only:

- the totals against the budget, the tokenizer (exact, or a labelled estimate);
- every message sent, one section each, headed by its position, role and token count;
- what went into the prompt (each part with its tokens, or why it was left out) and how
  much of the history was kept;
- the lore trace: every entry considered, its scope, whether it went in and why, which
  key matched where (which message, or recursion from which entry), its tokens and
  where it was placed — filterable to the entries that went in or stayed out.

The chat reuses it for replies and the writing workspace for "Continue writing"::

    inspector = PromptInspector(ctx)             # owns a <dialog>; put inspector.node anywhere
    parent.append(inspector.node)
    inspector.open(report, opener=button)        # focus returns to `button` on close
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._context import Ctx
from ._dom import Node

__all__ = [
    "INSPECTOR_TITLE",
    "LEVEL_NAMES",
    "REASON_LABELS",
    "PromptInspector",
    "ScopeNamer",
    "prompt_report",
    "report_view",
]

if TYPE_CHECKING:
    from app.generation import BuiltPrompt, GenerationResult

INSPECTOR_TITLE = "Prompt inspector"

LEVEL_NAMES: Mapping[str, str] = {
    "global": "Global",
    "series": "Series",
    "story": "Story",
    "character": "Character",
    "chat": "Chat",
    "module": "Module",
}

#: Short words for why a lore entry went in or stayed out (the report's `explanation`
#: says the rest); reasons not listed are shown as their code, spaced.
REASON_LABELS: Mapping[str, str] = {
    "constant": "Constant",
    "matched": "Key matched",
    "budget": "Over budget",
    "secondary_logic": "Secondary keys",
    "probability": "Probability",
    "recursion_limit": "Recursion limit",
    "exclude_recursion": "Excludes recursion",
    "delay_until_recursion": "Delayed to recursion",
    "scan_depth": "Outside scan depth",
    "disabled": "Disabled",
    "group": "Inclusion group",
    "sticky": "Sticky",
    "cooldown": "Cooldown",
    "delay": "Delayed",
}

ScopeNamer = Callable[[str, str | None], str]
"""``(level, scope_id) -> words`` naming a lore entry's scope ("Character: Aria")."""

_SHOW = (("all", "All entries"), ("in", "Included"), ("out", "Left out"))


def _n(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "–"


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, (list, tuple)) else ()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _reason(code: str) -> str:
    return REASON_LABELS.get(code) or code.replace("_", " ").capitalize()


def default_scope_name(level: str, scope_id: str | None) -> str:
    return LEVEL_NAMES.get(level, level.capitalize())


def prompt_report(
    built: BuiltPrompt,
    result: GenerationResult | None = None,
    *,
    provider: str = "",
    keep_text: bool = True,
) -> dict[str, Any]:
    """The plain-JSON report this inspector shows: the prompt (``keep_text=False`` drops
    the parts' text where the caller keeps it elsewhere, as a chat's messages do), how the
    request ended (none yet: a preview) and its settings (the body without the messages;
    never the key)."""
    prompt = built.to_dict()
    if not keep_text:
        prompt["parts"] = [{k: v for k, v in p.items() if k != "text"} for p in prompt["parts"]]
    report: dict[str, Any] = {"prompt": prompt}
    if result is not None:
        body = result.request_body if isinstance(result.request_body, Mapping) else {}
        error = result.error
        report["result"] = {
            "status": result.status,
            "model": result.model or "",
            "requested_model": str(body.get("model") or ""),
            "provider": provider,
            "finish_reason": result.finish_reason,
            "seconds": round(result.seconds, 3),
            "usage": None
            if result.usage is None
            else {
                "prompt_tokens": result.usage.prompt_tokens,
                "completion_tokens": result.usage.completion_tokens,
            },
            "error": "" if error is None else str(error),
        }
        report["request"] = {
            k: v for k, v in body.items() if k not in ("messages", "prompt", "system")
        }
    plain: dict[str, Any] = json.loads(json.dumps(report, ensure_ascii=False, default=str))
    return plain  # tuples become lists: stored as JSON


def report_view(ctx: Ctx, report: Mapping[str, Any], scope_name: ScopeNamer | None = None) -> Node:
    """The inspector's content for one stored report (no dialog around it)."""
    prompt = _dict(report.get("prompt"))
    namer = scope_name or default_scope_name
    return ctx.el(
        "div",
        {"class": "inspector-body"},
        _summary(ctx, prompt, _dict(report.get("result"))),
        _warnings(
            ctx, [*_list(prompt.get("warnings")), *_list(_dict(prompt.get("lore")).get("warnings"))]
        ),
        _messages(ctx, prompt),
        _parts(ctx, prompt),
        _lore(ctx, _dict(prompt.get("lore")), namer),
        _request(ctx, report.get("request")),
    )


# -- summary ----------------------------------------------------------------------------------
def _summary(ctx: Ctx, prompt: Mapping[str, Any], result: Mapping[str, Any]) -> Node:
    budget = _dict(prompt.get("budget"))
    tokenizer = _dict(prompt.get("tokenizer"))
    used, available = budget.get("used"), budget.get("available")
    share = ""
    if isinstance(used, int) and isinstance(available, int) and available > 0:
        share = f" ({round(100 * used / available)} %)"
    counted = "exact" if tokenizer.get("exact") else "estimate"
    label = _text(tokenizer.get("label")) or _text(tokenizer.get("encoding"))
    rows: list[tuple[str, str]] = [
        ("Prompt", f"{_n(used)} of {_n(available)} tokens{share}"),
        (
            "Context",
            f"{_n(budget.get('context_size'))} tokens, {_n(budget.get('reply_tokens'))} kept for the reply",
        ),
        ("Tokens counted", f"{label} ({counted})" if label else counted),
    ]
    if result:
        model = _text(result.get("model")) or _text(result.get("requested_model"))
        if model:
            rows.append(("Model", model))
        status = _text(result.get("status"))
        if status:
            words = {"done": "Complete", "stopped": "Stopped by you", "error": "Failed"}
            rows.append(("Reply", words.get(status, status)))
        if _text(result.get("error")):
            rows.append(("Error", _text(result.get("error"))))
    if prompt.get("continue_last"):
        rows.append(("Kind", "Continue the last reply"))
    history = _dict(prompt.get("history"))
    if history:
        rows.append(("History", _history_words(history)))
    dl = ctx.el("dl", {"class": "inspector-summary"})
    for term, value in rows:
        ctx.dom.insert(dl, ctx.el("dt", None, term))
        ctx.dom.insert(dl, ctx.el("dd", None, value))
    return dl


def _history_words(history: Mapping[str, Any]) -> str:
    total, kept = history.get("total", 0), history.get("kept", 0)
    words = f"{_n(kept)} of {_n(total)} messages sent"
    dropped, not_sent = history.get("dropped", 0), history.get("not_sent", 0)
    if dropped:
        words += f"; {_n(dropped)} older left out for the budget"
    if not_sent:
        words += f"; {_n(not_sent)} notes never sent"
    return words


def _warnings(ctx: Ctx, warnings: Sequence[Any]) -> Node | None:
    texts = [w for w in dict.fromkeys(warnings) if isinstance(w, str) and w]
    if not texts:
        return None
    return ctx.el(
        "section",
        {"class": "inspector-warnings", "aria-label": "Warnings"},
        ctx.el("h3", None, "Warnings"),
        ctx.el("ul", None, *(ctx.el("li", None, t) for t in texts)),
    )


# -- messages ---------------------------------------------------------------------------------
def _messages(ctx: Ctx, prompt: Mapping[str, Any]) -> Node:
    messages = _list(prompt.get("messages"))
    tokens = _list(prompt.get("message_tokens"))
    heading = f"Messages sent ({len(messages)})"
    section = ctx.el("section", {"class": "inspector-messages", "aria-label": heading})
    ctx.dom.insert(section, ctx.el("h3", None, heading))
    text = prompt.get("text")
    if isinstance(text, str):  # text completion: the prompt as one string
        ctx.dom.insert(
            section,
            ctx.el(
                "section",
                {"class": "inspector-message", "aria-label": "Prompt text as sent"},
                ctx.el(
                    "h4",
                    None,
                    f"Prompt text as sent — {_n(_dict(prompt.get('budget')).get('used'))} tokens",
                ),
                ctx.el("pre", {"class": "inspector-text"}, text),
            ),
        )
    for index, message in enumerate(messages, start=1):
        message = _dict(message)
        role = _text(message.get("role")) or "?"
        count = tokens[index - 1] if index - 1 < len(tokens) else None
        name = _text(message.get("name"))
        heading = f"{index}. {role}{f' ({name})' if name else ''} — {_n(count)} tokens"
        ctx.dom.insert(
            section,
            ctx.el(
                "section",
                {
                    "class": f"inspector-message role-{role}",
                    "aria-label": f"Message {index}, {role}",
                },
                ctx.el("h4", None, heading),
                ctx.el("pre", {"class": "inspector-text"}, _text(message.get("content"))),
            ),
        )
    return section


def _parts(ctx: Ctx, prompt: Mapping[str, Any]) -> Node | None:
    parts = [_dict(p) for p in _list(prompt.get("parts"))]
    if not parts:
        return None
    body = ctx.el("tbody")
    for part in parts:
        where = part.get("message")
        placed = f"message {where + 1}" if isinstance(where, int) else _left_out(part)
        ctx.dom.insert(
            body,
            ctx.el(
                "tr",
                None,
                ctx.el("th", {"scope": "row"}, _text(part.get("label")) or _text(part.get("kind"))),
                ctx.el("td", None, _text(part.get("role"))),
                ctx.el("td", {"class": "num"}, _n(part.get("tokens"))),
                ctx.el("td", None, placed),
            ),
        )
    return ctx.el(
        "section",
        {"class": "inspector-parts", "aria-label": "What went in"},
        ctx.el("h3", None, "What went in"),
        ctx.el(
            "table",
            None,
            ctx.el(
                "thead",
                None,
                ctx.el(
                    "tr",
                    None,
                    *(
                        ctx.el("th", {"scope": "col"}, h)
                        for h in ("Part", "Role", "Tokens", "Where")
                    ),
                ),
            ),
            body,
        ),
    )


def _left_out(part: Mapping[str, Any]) -> str:
    reason = _text(part.get("reason"))
    return (
        "left out: over budget"
        if reason == "budget"
        else f"left out{': ' + reason if reason else ''}"
    )


# -- lore -------------------------------------------------------------------------------------
def _lore(ctx: Ctx, lore: Mapping[str, Any], scope_name: ScopeNamer) -> Node:
    entries = [_dict(e) for e in _list(lore.get("entries"))]
    included = sum(1 for e in entries if e.get("included"))
    section = ctx.el("section", {"class": "inspector-lore", "aria-label": "Lore"})
    ctx.dom.insert(section, ctx.el("h3", None, "Lore"))
    budget = lore.get("token_budget")
    facts = [
        f"{_n(lore.get('in_scope', 0))} entries in scope, {_n(lore.get('considered', len(entries)))} considered, {included} included.",
        f"Scanned the last {_n(lore.get('scan_depth', 0))} messages; "
        f"{_n(lore.get('tokens_used', 0))} of {_n(budget) if budget is not None else 'unlimited'} lore tokens used; "
        f"{_n(lore.get('recursion_steps', 0))} recursion steps.",
    ]
    if _text(lore.get("seed")):
        facts.append(f"Probability seed: {lore.get('seed')}.")
    for fact in facts:
        ctx.dom.insert(section, ctx.el("p", None, fact))
    if not entries:
        ctx.dom.insert(
            section, ctx.el("p", None, "No lorebook entry was considered for this prompt.")
        )
        return section
    rows: list[tuple[Node, bool]] = []
    body = ctx.el("tbody")
    for entry in entries:
        row = _lore_row(ctx, entry, scope_name)
        rows.append((row, bool(entry.get("included"))))
        ctx.dom.insert(body, row)

    def show(event: Any) -> None:
        wanted = str(ctx.dom.get_prop(select, "value"))
        for row, is_in in rows:
            hidden = (wanted == "in" and not is_in) or (wanted == "out" and is_in)
            ctx.dom.set_attr(row, "hidden", hidden)

    select = ctx.el(
        "select",
        None,
        *(ctx.el("option", {"value": value}, label) for value, label in _SHOW),
        on={"change": show},
    )
    ctx.dom.insert(
        section,
        ctx.el(
            "p",
            {"class": "inspector-filter"},
            ctx.el("label", None, "Show lore entries ", select),
        ),
    )
    headings = ("Entry", "Scope", "Result", "Why", "Keys matched", "Tokens", "Placed")
    ctx.dom.insert(
        section,
        ctx.el(
            "table",
            {"aria-label": "Lore entries considered"},
            ctx.el(
                "thead",
                None,
                ctx.el("tr", None, *(ctx.el("th", {"scope": "col"}, h) for h in headings)),
            ),
            body,
        ),
    )
    return section


def _lore_row(ctx: Ctx, entry: Mapping[str, Any], scope_name: ScopeNamer) -> Node:
    level = _text(entry.get("level"))
    scope_id = entry.get("scope_id") if isinstance(entry.get("scope_id"), str) else None
    included = bool(entry.get("included"))
    reason = _text(entry.get("reason"))
    explanation = _text(entry.get("explanation"))
    why = _reason(reason) + (f" — {explanation}" if explanation else "")
    if entry.get("constant") and reason != "constant":
        why += " (constant)"
    step = entry.get("step")
    if isinstance(step, int) and step > 0:
        why += f" (recursion step {step})"
    hits = [_dict(h) for h in _list(entry.get("hits"))]
    keys: Node = (
        ctx.el(
            "ul", {"class": "inspector-hits"}, *(ctx.el("li", None, _hit_words(h)) for h in hits)
        )
        if hits
        else ctx.text("–")
    )
    return ctx.el(
        "tr",
        {"class": "lore-in" if included else "lore-out"},
        ctx.el("th", {"scope": "row"}, _text(entry.get("name")) or "(untitled entry)"),
        ctx.el("td", None, scope_name(level, scope_id)),
        ctx.el("td", None, "In" if included else "Out"),
        ctx.el("td", None, why),
        ctx.el("td", None, keys),
        ctx.el("td", {"class": "num"}, _n(entry.get("tokens"))),
        ctx.el("td", None, _text(entry.get("placement")) or "–"),
    )


def _hit_words(hit: Mapping[str, Any]) -> str:
    key = _text(hit.get("key"))
    kind = "secondary key" if hit.get("kind") == "secondary" else "key"
    where = _text(hit.get("where"))
    if where == "message":
        index = hit.get("message_index")
        place = f"in message {index + 1}" if isinstance(index, int) else "in a message"
    elif where == "recursion":
        place = f"in the entry “{_text(hit.get('from_entry_name')) or 'another entry'}” (recursion)"
    else:
        place = f"in the {where}" if where else ""
    excerpt = _text(hit.get("excerpt"))
    words = f"{kind} “{key}” {place}".strip()
    return f"{words}: “{excerpt}”" if excerpt else words


# -- request ----------------------------------------------------------------------------------
def _request(ctx: Ctx, request: Any) -> Node | None:
    if not isinstance(request, Mapping) or not request:
        return None
    shown = {k: v for k, v in request.items() if k not in ("messages", "prompt")}
    return ctx.el(
        "details",
        {"class": "inspector-request"},
        ctx.el("summary", None, "Request settings as sent"),
        ctx.el("pre", {"class": "inspector-text"}, json.dumps(shown, indent=2, ensure_ascii=False)),
    )


# -- the dialog -------------------------------------------------------------------------------
class PromptInspector:
    """A modal ``dialog`` named "Prompt inspector" (or ``title``) showing one report.

    ``open(report, opener=...)`` renders the report and shows the dialog; Escape or
    "Close" closes it and focus returns to ``opener``. A ``None`` report says that no
    prompt was recorded for that reply.
    """

    def __init__(
        self, ctx: Ctx, *, title: str = INSPECTOR_TITLE, scope_name: ScopeNamer | None = None
    ) -> None:
        self._ctx = ctx
        self._scope_name = scope_name
        self._content_ctx: Ctx | None = None
        self._opener: Node | None = None
        self.is_open = False
        self._content = ctx.el("div", {"class": "inspector-content"})
        self._close = ctx.el(
            "button",
            {"type": "button", "class": "inspector-close"},
            "Close",
            on={"click": lambda e: self.close()},
        )
        self.node = ctx.el(
            "dialog",
            {"class": "inspector", "aria-label": title},
            ctx.el(
                "header",
                {"class": "inspector-header"},
                ctx.el("h2", None, title),
                self._close,
            ),
            self._content,
            on={"close": self._closed},
        )
        ctx.scope.on_dispose(self._dispose)

    def open(self, report: Mapping[str, Any] | None, *, opener: Node | None = None) -> None:
        """Show ``report`` (the JSON a reply keeps); ``opener`` gets focus back on close."""
        dom = self._ctx.dom
        self._clear()
        child = self._ctx.child()
        self._content_ctx = child
        if report:
            body = report_view(child, report, self._scope_name)
        else:
            body = child.el(
                "p",
                None,
                "No prompt was recorded for this reply: it was written or edited by hand, "
                "imported, or made on another device.",
            )
        dom.insert(self._content, body)
        self._opener = opener
        if not self.is_open:
            dom.call(self.node, "showModal")
            self.is_open = True
        dom.call(self._close, "focus")

    def close(self) -> None:
        if self.is_open:
            self._ctx.dom.call(self.node, "close")
            self._closed(None)

    def _closed(self, event: Any) -> None:
        if not self.is_open:
            return
        if event is not None and self._ctx.dom.get_prop(self.node, "open"):
            return  # the browser's late "close" event of an earlier close: open again now
        self.is_open = False
        self._clear()
        opener, self._opener = self._opener, None
        if opener is not None:
            self._ctx.dom.call(opener, "focus")

    def _clear(self) -> None:
        if self._content_ctx is not None:
            self._content_ctx.dispose()
            self._content_ctx = None
        self._ctx.dom.set_text(self._content, "")

    def _dispose(self) -> None:
        if self._content_ctx is not None:
            self._content_ctx.dispose()
            self._content_ctx = None
