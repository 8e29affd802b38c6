"""A fake LLM server on 127.0.0.1 speaking OpenAI-compatible chat/text completions and
Anthropic Messages, for the tests (CPython and in-browser) and the benchmark.

Each test picks a scenario and a fresh run id through the base URL:
``http://127.0.0.1:PORT/<scenario>/<run>/v1`` — the run's log (requests seen, whether
the client closed the connection before the reply ended) is at ``/__runs/<run>``.

Scenarios: ``ok`` (a reply in small chunks with delays), ``utf8`` (multi-byte characters
split across chunks, CRLF line ends, comments, a BOM), ``reasoning``, ``401``, ``429``
(Retry-After: 7), ``500``, ``hang`` (a first chunk, then nothing), ``hang-headers`` (no
response at all), ``long`` (a chunk every 20 ms until the client leaves), ``nocors`` (no
CORS headers, like Ollama without OLLAMA_ORIGINS), ``midstream-error``, ``truncated``
(the body ends without a finish), ``no-final-blank`` (last event without its blank line),
``json`` (ignores ``stream`` and answers in one JSON body), ``think`` (the reply opens
with a ``<think>`` block). Any other scenario is ``ok``.
A wrong API key gets 401 whatever the scenario (the body echoes the key, as some servers
do, so tests can check that we mask it).
"""

from __future__ import annotations

import atexit
import http.server
import json
import select
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GOOD_KEY", "REPLY", "UTF8_REPLY", "FakeLLMServer", "RunLog", "shared_fake_llm"]

GOOD_KEY = "sk-test-good-0123456789"
REPLY = "Hello there, traveller. The road is long."
UTF8_REPLY = "Grüße, 世界! 🐉 café — naïve ✓"
REASONING = "The user greets me; I greet back."
MODELS = [
    {"id": "fake-large", "display_name": "Fake Large", "type": "model", "context_length": 32768},
    {"id": "fake-small", "display_name": "Fake Small", "type": "model", "context_length": 8192},
]
HANG_LIMIT = 30.0


@dataclass
class RunLog:
    requests: list[dict[str, Any]] = field(default_factory=list)
    closed_early: bool = False
    completed: bool = False
    chunks_sent: int = 0
    ended: threading.Event = field(default_factory=threading.Event)

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "closed_early": self.closed_early,
            "completed": self.completed,
            "chunks_sent": self.chunks_sent,
            "ended": self.ended.is_set(),
        }


class _ClientGone(Exception):
    pass


def _chunks(text: str, size: int = 6) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    # -- plumbing -------------------------------------------------------------------------
    def _route(self) -> tuple[str, str, str]:
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        if len(parts) >= 3:
            return parts[0], parts[1], "/".join(parts[2:])
        return "", "", "/".join(parts)

    def _cors(self, scenario: str) -> None:
        if scenario == "nocors":
            return
        origin = self.headers.get("Origin")
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Expose-Headers", "*")
            self.send_header("Vary", "Origin")

    def _json(self, status: int, payload: Any, scenario: str, extra: dict[str, str] | None = None) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self._cors(scenario)
        self.end_headers()
        self.wfile.write(body)

    def _gone(self) -> bool:
        """True when the client has closed its side of the connection."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if readable:
                return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True
        return False

    def _wait(self, seconds: float) -> None:
        """Sleep `seconds`, but notice at once if the client leaves."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if self._gone():
                raise _ClientGone
            if left <= 0:
                return
            time.sleep(min(0.005, left))

    def _send(self, data: bytes, log: RunLog) -> None:
        if self._gone():
            raise _ClientGone
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            raise _ClientGone from None
        log.chunks_sent += 1

    # -- verbs ----------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:
        scenario, _, _ = self._route()
        if scenario == "nocors":
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(204)
        self._cors(scenario)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header(
            "Access-Control-Allow-Headers",
            self.headers.get("Access-Control-Request-Headers", "*") or "*",
        )
        self.send_header("Access-Control-Max-Age", "0")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        scenario, run, path = self._route()
        if self.path.startswith("/__runs/"):
            log = self.server.log(self.path.split("/")[2])
            self._json(200, log.as_json(), "ok")
            return
        if path.endswith("models"):
            log = self.server.log(run)
            log.requests.append({"path": path, "headers": dict(self.headers.items())})
            if self._auth_failed(scenario, path):
                return
            if scenario in ("401", "429", "500"):
                self._error(scenario, int(scenario), "messages" in path)
                return
            self._json(200, {"object": "list", "data": MODELS, "has_more": False}, scenario)
            log.completed = True
            log.ended.set()
            return
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _auth_failed(self, scenario: str, path: str) -> bool:
        anthropic = path.endswith("messages") or self.headers.get("anthropic-version") is not None
        if anthropic:
            if self.headers.get("Origin") and self.headers.get(
                "anthropic-dangerous-direct-browser-access"
            ) != "true":
                self._json(401, {"type": "error", "error": {"type": "authentication_error",
                           "message": "CORS requests must set 'anthropic-dangerous-direct-browser-access' header"}},
                           "nocors")
                return True
            key = self.headers.get("x-api-key", "")
            if key != GOOD_KEY:
                self._json(401, {"type": "error", "error": {"type": "authentication_error",
                           "message": f"invalid x-api-key {key}"}}, scenario)
                return True
            return False
        auth = self.headers.get("Authorization", "")
        if auth != f"Bearer {GOOD_KEY}":
            key = auth.removeprefix("Bearer ")
            self._json(401, {"error": {"message": f"Incorrect API key provided: {key}.",
                       "type": "invalid_request_error", "code": "invalid_api_key"}}, scenario)
            return True
        return False

    def _error(self, scenario: str, status: int, anthropic: bool) -> None:
        extra = {"Retry-After": "7"} if status == 429 else {}
        message = {401: "Unauthorized", 429: "Rate limit reached for requests",
                   500: "The server had an error while processing your request"}[status]
        if anthropic:
            kind = {401: "authentication_error", 429: "rate_limit_error", 500: "api_error"}[status]
            payload: Any = {"type": "error", "error": {"type": kind, "message": message}}
        else:
            payload = {"error": {"message": message, "type": "server_error"}}
        self._json(status, payload, scenario, extra)

    def do_POST(self) -> None:
        scenario, run, path = self._route()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        log = self.server.log(run)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        log.requests.append({"path": path, "headers": dict(self.headers.items()), "body": body})
        try:
            if self._auth_failed(scenario, path):
                return
            anthropic = path.endswith("messages")
            if scenario in ("401", "429", "500"):
                self._error(scenario, int(scenario), anthropic)
                return
            if scenario == "hang-headers":
                self._wait(HANG_LIMIT)
                return
            if scenario == "json":
                self._whole(path, anthropic, scenario)
                log.completed = True
                return
            self._stream(scenario, path, anthropic, log)
            log.completed = True
        except _ClientGone:
            log.closed_early = True
        finally:
            log.ended.set()

    def _whole(self, path: str, anthropic: bool, scenario: str) -> None:
        if anthropic:
            payload: Any = {"type": "message", "model": "fake-large", "stop_reason": "end_turn",
                            "content": [{"type": "text", "text": REPLY}],
                            "usage": {"input_tokens": 10, "output_tokens": 9}}
        elif path.endswith("chat/completions"):
            payload = {"model": "fake-large", "choices": [{"index": 0, "finish_reason": "stop",
                       "message": {"role": "assistant", "content": REPLY}}]}
        else:
            payload = {"model": "fake-large", "choices": [{"index": 0, "finish_reason": "stop",
                       "text": REPLY}]}
        self._json(200, payload, scenario)

    # -- streams --------------------------------------------------------------------------
    def _stream(self, scenario: str, path: str, anthropic: bool, log: RunLog) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self._cors(scenario)
        self.end_headers()
        self.wfile.flush()
        line_end = b"\r\n" if scenario == "utf8" else b"\n"
        text_mode = path.endswith("/completions") and not path.endswith("chat/completions")
        events = self._events(scenario, anthropic, text_mode)
        raw = b""
        if scenario == "utf8":
            raw += "\ufeff".encode()
        for name, data in events:
            if data is None:  # a comment, a pause or a hang
                if name == "hang":
                    self._wait(HANG_LIMIT)
                    return
                if name == "long":
                    for i in range(1000):
                        self._send(self._one_event(anthropic, text_mode, f"tick {i} ", line_end), log)
                        self._wait(0.02)
                    return
                raw += b": keep-alive" + line_end + line_end
                continue
            piece = b""
            if name:
                piece += b"event: " + name.encode() + line_end
            for line in data.split("\n"):
                piece += b"data: " + line.encode() + line_end
            piece += line_end
            raw += piece
            if scenario == "utf8":
                # send byte by byte in uneven splits so characters break across chunks
                for i in range(0, len(raw), 3):
                    self._send(raw[i : i + 3], log)
                raw = b""
            else:
                self._send(raw, log)
                raw = b""
                self._wait(0.005)
        if raw:
            self._send(raw, log)
        if scenario == "no-final-blank":
            self._send(b"data: [DONE]", log)

    def _one_event(self, anthropic: bool, text_mode: bool, text: str, line_end: bytes) -> bytes:
        if anthropic:
            data = {"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": text}}
            return b"event: content_block_delta" + line_end + b"data: " + json.dumps(data).encode() + line_end + line_end
        if text_mode:
            data = {"choices": [{"index": 0, "text": text, "finish_reason": None}]}
        else:
            data = {"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
        return b"data: " + json.dumps(data).encode() + line_end + line_end

    def _events(self, scenario: str, anthropic: bool, text_mode: bool) -> list[tuple[str, Any]]:
        reply = UTF8_REPLY if scenario == "utf8" else REPLY
        if scenario == "think":  # a reasoning model without a reasoning parser
            reply = f"<think>{REASONING}</think>\n{REPLY}"
        pieces = _chunks(reply)
        reasoning = _chunks(REASONING, 8) if scenario == "reasoning" else []
        if scenario in ("hang", "long"):
            pieces = pieces[:1]
        if anthropic:
            return self._anthropic_events(scenario, pieces, reasoning)
        out: list[tuple[str, Any]] = []

        def chunk(**delta: Any) -> str:
            if text_mode:
                return json.dumps({"model": "fake-large", "choices": [
                    {"index": 0, "text": delta.get("content", ""), "finish_reason": delta.get("finish")}]})
            finish = delta.pop("finish", None)
            return json.dumps({"model": "fake-large", "choices": [
                {"index": 0, "delta": delta, "finish_reason": finish}]})

        if scenario == "utf8":
            out.append(("", None))  # a comment line
        for r in reasoning:
            out.append(("", chunk(reasoning_content=r)))
        for p in pieces:
            out.append(("", chunk(content=p)))
        if scenario == "hang":
            out.append(("hang", None))
            return out
        if scenario == "long":
            out.append(("long", None))
            return out
        if scenario == "midstream-error":
            out.append(("", json.dumps({"error": {"message": "The model crashed mid-reply"}})))
            return out
        if scenario == "truncated":
            return out
        out.append(("", chunk(finish="stop")))
        out.append(("", json.dumps({"choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 9}})))
        if scenario != "no-final-blank":
            out.append(("", "[DONE]"))
        return out

    def _anthropic_events(self, scenario: str, pieces: list[str], reasoning: list[str]) -> list[tuple[str, Any]]:
        def ev(kind: str, **data: Any) -> tuple[str, str]:
            return kind, json.dumps({"type": kind, **data})

        out = [ev("message_start", message={"id": "msg_1", "type": "message", "role": "assistant",
                                            "model": "fake-large", "content": [],
                                            "usage": {"input_tokens": 12, "output_tokens": 1}})]
        out.append(ev("ping"))
        index = 0
        if reasoning:
            out.append(ev("content_block_start", index=0, content_block={"type": "thinking", "thinking": ""}))
            for r in reasoning:
                out.append(ev("content_block_delta", index=0, delta={"type": "thinking_delta", "thinking": r}))
            out.append(ev("content_block_stop", index=0))
            index = 1
        out.append(ev("content_block_start", index=index, content_block={"type": "text", "text": ""}))
        for p in pieces:
            out.append(ev("content_block_delta", index=index, delta={"type": "text_delta", "text": p}))
        if scenario in ("hang", "long"):
            out.append((scenario, None))
            return out
        if scenario == "midstream-error":
            out.append(ev("error", error={"type": "overloaded_error", "message": "Overloaded"}))
            return out
        if scenario == "truncated":
            return out
        out.append(ev("content_block_stop", index=index))
        out.append(ev("message_delta", delta={"stop_reason": "end_turn", "stop_sequence": None},
                      usage={"output_tokens": 9}))
        out.append(ev("message_stop"))
        return out


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.runs: dict[str, RunLog] = {}
        self.lock = threading.Lock()

    def log(self, run: str) -> RunLog:
        with self.lock:
            return self.runs.setdefault(run, RunLog())

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class FakeLLMServer:
    """The fake server in a background thread."""

    def __init__(self) -> None:
        self._server = _Server()
        self.port = self._server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    def start(self) -> FakeLLMServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def base_url(self, scenario: str = "ok", run: str | None = None) -> tuple[str, str]:
        """A fresh ``(base_url, run_id)`` for one test."""
        run = run or uuid.uuid4().hex[:12]
        return f"{self.origin}/{scenario}/{run}/v1", run

    def run(self, run: str) -> RunLog:
        return self._server.log(run)


_SHARED: list[FakeLLMServer] = []


def shared_fake_llm() -> FakeLLMServer:
    """This process's fake server, started on first use and stopped at exit."""
    if not _SHARED:
        _SHARED.append(FakeLLMServer().start())
        atexit.register(_SHARED[0].stop)
    return _SHARED[0]
