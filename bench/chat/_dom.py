"""The chat screen's DOM rows, run in a page with Pyodide (the app's stylesheet loaded).

* ``chunk_to_dom``: a 2,000-message chat is open and a reply streams in; each chunk is
  handed to the generation as the network would (SSE bytes through a transport), and the
  time runs until the page's text node holds it (a MutationObserver notes the moment) and
  until the next frame is painted. p95 over the chunks (target ≤ 16 ms).
* ``open_10k``: from navigating to a 10,000-message chat to its last messages painted
  (the chat level opens on its newest messages, the virtual list renders what shows;
  the rest of the chat is read right after, outside the timing).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from datetime import UTC, datetime
from typing import Any

import js
from pyodide.ffi import create_once_callable, to_js

from app.domain import Message, format_utc, new_id
from app.startup import open_library

__all__ = ["run_dom_case"]

_WATCH_JS = """
(node) => new Promise((resolve) => {
  const observer = new MutationObserver(() => {
    const changed = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => resolve([changed, performance.now()]));
  });
  observer.observe(node, { subtree: true, characterData: true, childList: true });
})
"""

_CSS_JS = """
() => new Promise((resolve) => {
  if (document.querySelector('link[data-bench]')) return resolve(true);
  const link = document.createElement('link');
  link.rel = 'stylesheet'; link.href = '/static/css/app.css'; link.dataset.bench = '1';
  link.onload = () => resolve(true); link.onerror = () => resolve(false);
  document.head.appendChild(link);
})
"""


def _frame() -> Any:
    future = asyncio.get_running_loop().create_future()
    js.requestAnimationFrame(create_once_callable(lambda t: future.set_result(t)))
    return future


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class _QueueResponse:
    """A streamed response whose chunks the benchmark hands over one by one."""

    def __init__(self) -> None:
        self.status = 200
        self.headers = {"content-type": "text/event-stream"}
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def chunks(self) -> Any:
        while (chunk := await self.queue.get()) is not None:
            yield chunk

    async def read(self) -> bytes:
        return b""

    async def close(self) -> None:
        self.queue.put_nowait(None)


class _QueueTransport:
    def __init__(self) -> None:
        self.response = _QueueResponse()
        self.opened = asyncio.Event()

    async def open(self, request: Any, signal: Any) -> _QueueResponse:
        self.opened.set()
        return self.response


def _sse(text: str) -> bytes:
    data = {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
    return f"data: {json.dumps(data)}\n\n".encode()


async def _library(messages: int) -> tuple[Any, str]:
    """A library with a provider and a chat of ``messages`` messages (~300 characters)."""
    library = await open_library(f"chat-bench-{new_id()}")
    domain = library.domain
    aria = await domain.characters.create({"name": "Aria", "description": "A dragon scholar."})
    config = await domain.providers.save(
        {
            "name": "Bench",
            "type": "openai",
            "base_url": "http://127.0.0.1:9/v1",
            "default_model": "gpt-4o",
        }
    )
    await domain.settings.set("default_provider_config_id", config.id)
    chat = await domain.chats.create({"character_id": aria.id})
    start = time.time() - messages
    body = ("The lanterns sway as the ship turns north; " * 7).strip()
    records = []
    for i in range(messages):
        at = format_utc(datetime.fromtimestamp(start + i, UTC))
        role = "user" if i % 2 else "assistant"
        message = Message(
            chat_id=chat.id, role=role, content=f"{i}: {body}", created_at=at, updated_at=at
        )
        records.append(message.to_record())
    store = domain.store
    async with store.transaction("rw", "messages", "chats"):
        await store.table("messages").bulk_add(records)
    from app.domain.messages import refresh_chat_summary

    await refresh_chat_summary(store, chat.id)
    return library, chat.id


async def _app(library: Any, hash: str) -> tuple[Any, Any]:
    from app.ui import start

    await js.eval(_CSS_JS)()
    root = js.document.getElementById("app")
    root.textContent = ""
    js.window.history.replaceState(None, "", hash)
    app = await start(root, library.app_state())
    await app.settle()
    return app, root


async def case_chunk_to_dom(runs: int) -> dict[str, Any]:
    import app.generation._generation as generation

    library, chat_id = await _library(2000)
    app, root = await _app(library, f"#/chats/{chat_id}")
    await app.state.loaded()  # the chat opened on its newest messages; the rest is in now
    transport = _QueueTransport()
    original = generation.default_transport
    generation.default_transport = lambda: transport  # type: ignore[assignment]
    watch = js.eval(_WATCH_JS)
    try:
        composer = js.document.getElementById("composer")
        composer.value = "Tell me more."
        form = composer.closest("form")
        options = to_js({"cancelable": True}, dict_converter=js.Object.fromEntries)
        form.dispatchEvent(js.Event.new("submit", options))
        await asyncio.wait_for(transport.opened.wait(), 60)
        pending = root.querySelector("article.pending .message-text")
        script, painted = [], []
        chunks = max(200, runs * 25)
        for i in range(chunks):
            seen = watch(pending)
            t0 = js.performance.now()
            transport.response.queue.put_nowait(_sse(f"w{i} "))
            changed, frame = await seen
            script.append(changed - t0)
            painted.append(frame - t0)
        articles = len(root.querySelectorAll("article"))
        transport.response.queue.put_nowait(b"data: [DONE]\n\n")
        transport.response.queue.put_nowait(None)
        await app.settle()
        await asyncio.sleep(0.2)
    finally:
        generation.default_transport = original
        app.stop()
        library.domain.store.close()
        await library.domain.store.db.delete()
    return {
        "ms": _percentile(script, 0.95),
        "min": min(script),
        "median": statistics.median(script),
        "painted_p95": _percentile(painted, 0.95),
        "painted_median": statistics.median(painted),
        "runs": chunks,
        "articles_in_dom": articles,
    }


async def case_open_10k(runs: int) -> dict[str, Any]:
    library, chat_id = await _library(10_000)
    app, root = await _app(library, "#/characters")
    times, articles = [], 0
    try:
        for _ in range(max(3, runs)):
            app.router.navigate("/characters")
            await app.settle()
            await _frame()
            t0 = js.performance.now()
            app.router.navigate(f"/chats/{chat_id}")
            await app.settle()
            await _frame()
            times.append(js.performance.now() - t0)
            await app.state.loaded()  # the rest of the chat, read after the first paint
            articles = len(root.querySelectorAll("article"))
            last = root.querySelector(".virtual-rows article:last-of-type")
            assert last is not None and "9999:" in str(last.textContent), "the newest messages show"
    finally:
        app.stop()
        library.domain.store.close()
        await library.domain.store.db.delete()
    return {
        "ms": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "runs": len(times),
        "articles_in_dom": articles,
    }


async def run_dom_case(key: str, runs: int) -> dict[str, Any]:
    result: dict[str, Any] = await globals()[f"case_{key}"](runs)
    return result
