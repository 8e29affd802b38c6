"""A stored prompt report as the chat keeps it (`BuiltPrompt.to_dict()` + result + request)."""

from __future__ import annotations

from typing import Any

HOSTILE = '<img src=x onerror="alert(1)">'


def sample_report() -> dict[str, Any]:
    return {
        "prompt": {
            "mode": "chat",
            "messages": [
                {"role": "system", "content": "You are Aria, a dragon scholar.", "name": None},
                {"role": "user", "content": f"Tell me about dragons {HOSTILE}", "name": None},
                {"role": "assistant", "content": "Dragons sleep on gold.", "name": None},
            ],
            "message_tokens": [12, 1200, 22],
            "parts": [
                {
                    "kind": "system_prompt",
                    "label": "System prompt",
                    "role": "system",
                    "text": "You are",
                    "tokens": 5,
                    "message": 0,
                    "reason": "",
                    "source_id": None,
                },
                {
                    "kind": "lore",
                    "label": "Lore: Dragon (global)",
                    "role": "system",
                    "text": "Dragons…",
                    "tokens": 7,
                    "message": 0,
                    "reason": "",
                    "source_id": "e1",
                },
                {
                    "kind": "history",
                    "label": "Message 1 (user)",
                    "role": "user",
                    "text": "old",
                    "tokens": 40,
                    "message": None,
                    "reason": "budget",
                    "source_id": "m0",
                },
            ],
            "budget": {"context_size": 8192, "reply_tokens": 512, "available": 7680, "used": 1234},
            "history": {"total": 12, "kept": 2, "dropped": 9, "not_sent": 1, "first_kept_id": "m9"},
            "lore": {
                "entries": [
                    {
                        "entry_id": "e1",
                        "name": "Dragon",
                        "level": "global",
                        "scope_id": None,
                        "included": True,
                        "reason": "matched",
                        "explanation": "a primary key matched",
                        "tokens": 7,
                        "step": 0,
                        "constant": False,
                        "placement": "after the character",
                        "hits": [
                            {
                                "key": "dragon",
                                "kind": "primary",
                                "where": "message",
                                "start": 14,
                                "end": 20,
                                "excerpt": "about dragons",
                                "message_id": "m11",
                                "message_index": 2,
                                "from_entry_id": None,
                                "from_entry_name": None,
                            }
                        ],
                    },
                    {
                        "entry_id": "e2",
                        "name": "Hoard",
                        "level": "character",
                        "scope_id": "c1",
                        "included": False,
                        "reason": "budget",
                        "explanation": "did not fit in the remaining token budget",
                        "tokens": 900,
                        "step": 1,
                        "constant": False,
                        "placement": "",
                        "hits": [
                            {
                                "key": "gold",
                                "kind": "primary",
                                "where": "recursion",
                                "start": 0,
                                "end": 4,
                                "excerpt": "gold",
                                "message_id": None,
                                "message_index": None,
                                "from_entry_id": "e1",
                                "from_entry_name": "Dragon",
                            }
                        ],
                    },
                    {
                        "entry_id": "e3",
                        "name": "Night",
                        "level": "chat",
                        "scope_id": "chat1",
                        "included": False,
                        "reason": "secondary_logic",
                        "explanation": "secondary keys did not satisfy the entry's logic",
                        "tokens": None,
                        "step": None,
                        "constant": False,
                        "placement": "",
                        "hits": [],
                    },
                ],
                "in_scope": 5000,
                "considered": 3,
                "scan_depth": 2,
                "scanned_message_ids": ["m10", "m11"],
                "token_budget": 1920,
                "tokens_used": 7,
                "recursion_steps": 1,
                "seed": "42",
                "warnings": ["Constant lore went over its budget"],
            },
            "tokenizer": {
                "encoding": "cl100k_base",
                "exact": False,
                "factor": 1.25,
                "label": "estimated (cl100k_base ×1.25)",
            },
            "sampling": {"temperature": 0.8, "max_tokens": 512},
            "text": None,
            "stop": [],
            "continue_last": False,
            "warnings": [],
            "total_tokens": 1234,
        },
        "result": {"status": "stopped", "model": "llama3.1:8b"},
        "request": {"model": "llama3.1:8b", "temperature": 0.8, "stream": True, "messages": ["…"]},
    }
