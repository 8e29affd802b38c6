"""Generation errors in words a person can act on.

Every error has `message` (what happened) and `hint` (what to do); `str(error)` is both.
`detail` keeps the server's own words (with any API key masked). Keys never appear in an
error: messages are built from the status and the server's text, scrubbed of secrets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from ._secret import Secret, scrub

__all__ = [
    "KNOWN_SERVERS",
    "AuthError",
    "CorsError",
    "GenerationError",
    "KnownServer",
    "NetworkError",
    "RateLimitError",
    "RequestError",
    "ServerError",
    "StreamError",
    "cors_hint",
    "error_for_status",
    "guess_server",
    "parse_retry_after",
    "server_message",
]


class GenerationError(Exception):
    """Base class. `kind` names the family for the UI ("auth", "rate_limit", ...)."""

    kind = "error"

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        status: int | None = None,
        detail: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.status = status
        self.detail = detail
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class AuthError(GenerationError):
    """401/403: the key is wrong, missing, revoked or lacks access."""

    kind = "auth"


class RateLimitError(GenerationError):
    """429 (and Anthropic's 529 overload): `retry_after` says how many seconds to wait."""

    kind = "rate_limit"


class ServerError(GenerationError):
    """5xx: the server failed."""

    kind = "server"


class RequestError(GenerationError):
    """4xx other than auth and rate limits: the request was refused (unknown model,
    prompt too long for the model, bad parameter)."""

    kind = "request"


class NetworkError(GenerationError):
    """No connection: offline, wrong address, server not running."""

    kind = "network"


class CorsError(GenerationError):
    """The browser blocked the response (the server is there but does not allow this
    page's origin). The hint names the fix for the server in use."""

    kind = "cors"
    #: The page's origin (what the server must allow).
    origin = ""


class StreamError(GenerationError):
    """The reply stream broke off or made no sense, or the server sent an error in it."""

    kind = "stream"

    @classmethod
    def cut_off(cls, service: str) -> StreamError:
        """The body ended before the reply was complete."""
        return cls(
            f"The reply from {service} ended before it was complete.",
            "The partial reply was kept; try again or continue it.",
        )

    @classmethod
    def bad_chunk(cls, service: str, detail: str = "") -> StreamError:
        """A piece of the stream that is not JSON."""
        return cls(
            f"{service} sent a piece of the reply that is not JSON.",
            "The partial reply was kept.",
            detail=detail,
        )

    @classmethod
    def reported(cls, service: str, said: str) -> StreamError:
        """The server sent an error inside the stream, after the reply had begun."""
        return cls(
            f"{service} reported an error during the reply.",
            f"The partial reply was kept. The server said: {said}",
        )


@dataclass(frozen=True)
class KnownServer:
    """A common OpenAI-compatible server: how to recognise it and how to let a page in."""

    name: str
    default_url: str
    ports: tuple[int, ...]
    cors_fix: str


KNOWN_SERVERS: dict[str, KnownServer] = {
    s.name: s
    for s in (
        KnownServer(
            "Ollama",
            "http://localhost:11434/v1",
            (11434,),
            "Ollama only answers pages served from localhost unless told otherwise: set the "
            "environment variable OLLAMA_ORIGINS={origin} for the Ollama server (or "
            "OLLAMA_ORIGINS=* to allow every page) and restart it.",
        ),
        KnownServer(
            "LM Studio",
            "http://localhost:1234/v1",
            (1234,),
            'Turn on "Enable CORS" in LM Studio\'s server settings (Developer tab), or start '
            "the server with `lms server start --cors`.",
        ),
        KnownServer(
            "llama.cpp",
            "http://localhost:8080/v1",
            (8080,),
            "llama.cpp's server allows every origin by itself: check that it is running at "
            "this address, and that no proxy in front of it drops the CORS headers.",
        ),
        KnownServer(
            "KoboldCpp",
            "http://localhost:5001/v1",
            (5001,),
            "KoboldCpp allows every origin by itself: check that it is running at this "
            "address, and that no proxy in front of it drops the CORS headers.",
        ),
        KnownServer(
            "vLLM",
            "http://localhost:8000/v1",
            (8000,),
            "vLLM allows every origin unless started with --allowed-origins: add this page, "
            "e.g. --allowed-origins '[\"{origin}\"]'.",
        ),
        KnownServer("OpenAI", "https://api.openai.com/v1", (), ""),
        KnownServer("OpenRouter", "https://openrouter.ai/api/v1", (), ""),
        KnownServer("Anthropic", "https://api.anthropic.com/v1", (), ""),
    )
}


def guess_server(base_url: str, named: str | None = None) -> KnownServer | None:
    """The known server `named` (a provider config option), else the one whose default
    port or host `base_url` uses."""
    if named and named in KNOWN_SERVERS:
        return KNOWN_SERVERS[named]
    try:
        parts = urlsplit(base_url)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    for server in KNOWN_SERVERS.values():
        default_host = urlsplit(server.default_url).hostname or ""
        if server.ports and port in server.ports:
            return server
        if not server.ports and host == default_host:
            return server
    return None


def cors_hint(base_url: str, origin: str, named: str | None = None) -> str:
    """What to do when the browser blocked a response from `base_url`."""
    server = guess_server(base_url, named)
    if server is not None and server.cors_fix:
        return server.cors_fix.replace("{origin}", origin or "this page's address")
    fixes = " ".join(
        f"{s.name}: {s.cors_fix.replace('{origin}', origin or 'this page')}"
        for s in KNOWN_SERVERS.values()
        if s.cors_fix and "allows every origin" not in s.cors_fix
    )
    return (
        "The server must allow requests from this page (CORS). For the common local "
        f"servers: {fixes}"
    )


def parse_retry_after(headers: dict[str, str], message: str = "", now: float | None = None) -> float | None:
    """Seconds to wait, from `Retry-After` (seconds or an HTTP date), `retry-after-ms`,
    or a "try again in 20s" in the server's message."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after", "").strip()
    if value:
        if re.fullmatch(r"\d+(\.\d+)?", value):
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            import time

            current = time.time() if now is None else now
            return max(0.0, when.timestamp() - current)
    found = re.search(r"(?:try again|retry) in (\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?)\b", message, re.I)
    if found:
        amount = float(found.group(1))
        return amount / 1000 if found.group(2).lower() == "ms" else amount
    return None


def server_message(body: bytes | str) -> str:
    """The human part of an error body (OpenAI, Anthropic, Ollama and plain text shapes)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        data: Any = json.loads(text)
    except ValueError:
        return " ".join(text.split())[:500]
    if isinstance(data, dict):
        error = data.get("error", data)
        if isinstance(error, dict):
            message = error.get("message") or error.get("detail") or error.get("type")
            if message:
                return str(message)[:500]
        elif isinstance(error, str):
            return error[:500]
        for key in ("message", "detail"):
            if isinstance(data.get(key), str):
                return str(data[key])[:500]
    return " ".join(text.split())[:500]


def _wait_words(seconds: float | None) -> str:
    if seconds is None:
        return "Wait a moment and try again."
    if seconds < 1.5:
        return "Try again in a second."
    if seconds < 90:
        return f"Try again in {round(seconds)} seconds."
    return f"Try again in about {round(seconds / 60)} minutes."


def error_for_status(
    status: int,
    headers: dict[str, str],
    body: bytes | str,
    *,
    service: str,
    secret: Secret | None = None,
) -> GenerationError:
    """The error for an HTTP error response from `service` (a name people recognise)."""
    detail = scrub(server_message(body), secret)
    said = f" The server said: {detail}" if detail else ""
    if status in (401, 403):
        return AuthError(
            f"{service} refused the API key ({status}).",
            "Check the key in Settings → Providers: it may be mistyped, revoked, or without "
            f"access to this model.{said}",
            status=status,
            detail=detail,
        )
    if status == 429 or status == 529:
        wait = parse_retry_after(headers, detail)
        what = "is overloaded" if status == 529 else "is limiting how fast you can send"
        return RateLimitError(
            f"{service} {what} (rate limit, {status}).",
            f"{_wait_words(wait)}{said}",
            status=status,
            detail=detail,
            retry_after=wait,
        )
    if status >= 500:
        return ServerError(
            f"{service} had a server error ({status}).",
            f"This is on the server's side; try again, or pick another model.{said}",
            status=status,
            detail=detail,
        )
    if status == 404:
        hint = "Check the base URL and the model name (pick one from the model list)."
    elif status == 413:
        hint = "The prompt is too large for the server: lower the context size in the preset."
    else:
        hint = "Check the model and the preset's settings."
    return RequestError(
        f"{service} rejected the request ({status}).",
        f"{hint}{said}",
        status=status,
        detail=detail,
    )
