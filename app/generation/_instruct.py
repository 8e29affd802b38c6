"""Instruct templates: how text-completion mode turns chat messages into one prompt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["INSTRUCT_TEMPLATES", "InstructTemplate", "render_prompt"]


@dataclass(frozen=True)
class InstructTemplate:
    """`{content}` in each role's pattern is the message text."""

    name: str
    label: str
    roles: dict[str, str]
    #: Where the model's reply starts (appended after the last message).
    reply_start: str
    stop: tuple[str, ...] = ()
    begin: str = ""
    #: Suffix each role pattern ends with after `{content}` (cut when continuing a reply).
    suffixes: dict[str, str] = field(default_factory=dict)

    def wrap(self, role: str, content: str) -> str:
        return self.roles.get(role, self.roles["user"]).replace("{content}", content)


def _template(name: str, label: str, roles: dict[str, str], **kw: Any) -> InstructTemplate:
    suffixes = {r: p.split("{content}", 1)[1] for r, p in roles.items()}
    return InstructTemplate(name, label, roles, suffixes=suffixes, **kw)


INSTRUCT_TEMPLATES: dict[str, InstructTemplate] = {
    t.name: t
    for t in (
        _template(
            "chatml",
            "ChatML (Qwen, Hermes, many fine-tunes)",
            {r: f"<|im_start|>{r}\n{{content}}<|im_end|>\n" for r in ("system", "user", "assistant")},
            reply_start="<|im_start|>assistant\n",
            stop=("<|im_end|>", "<|im_start|>"),
        ),
        _template(
            "llama3",
            "Llama 3",
            {
                r: f"<|start_header_id|>{r}<|end_header_id|>\n\n{{content}}<|eot_id|>"
                for r in ("system", "user", "assistant")
            },
            reply_start="<|start_header_id|>assistant<|end_header_id|>\n\n",
            stop=("<|eot_id|>", "<|start_header_id|>"),
            begin="<|begin_of_text|>",
        ),
        _template(
            "mistral",
            "Mistral",
            {
                "system": "[INST] {content} [/INST]",
                "user": "[INST] {content} [/INST]",
                "assistant": "{content}</s>",
            },
            reply_start="",
            stop=("</s>", "[INST]"),
        ),
        _template(
            "alpaca",
            "Alpaca",
            {
                "system": "{content}\n\n",
                "user": "### Instruction:\n{content}\n\n",
                "assistant": "### Response:\n{content}\n\n",
            },
            reply_start="### Response:\n",
            stop=("### Instruction:",),
        ),
        _template(
            "plain",
            "Plain text (no template)",
            {"system": "{content}\n\n", "user": "{content}\n\n", "assistant": "{content}\n\n"},
            reply_start="",
        ),
    )
}


def render_prompt(
    messages: Sequence[Any], template: str = "chatml", *, continue_last: bool = False
) -> tuple[str, list[str]]:
    """The prompt text and the template's stop strings. With `continue_last`, the last
    (assistant) message is left open so the model carries on writing it."""
    t = INSTRUCT_TEMPLATES.get(template)
    if t is None:
        known = ", ".join(INSTRUCT_TEMPLATES)
        raise KeyError(f"no instruct template {template!r} (known: {known})")
    parts = [t.begin]
    items = list(messages)
    open_last = continue_last and bool(items) and items[-1].role == "assistant"
    for i, m in enumerate(items):
        text = t.wrap(m.role, m.content)
        if open_last and i == len(items) - 1:
            suffix = t.suffixes.get("assistant", "")
            if suffix and text.endswith(suffix):
                text = text[: len(text) - len(suffix)]
        parts.append(text)
    if not open_last:
        parts.append(t.reply_start)
    return "".join(parts), list(t.stop)
