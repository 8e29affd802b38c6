"""HTTP failures become errors a person can act on."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from app.generation import (
    KNOWN_SERVERS,
    AuthError,
    RateLimitError,
    RequestError,
    ServerError,
    cors_hint,
    guess_server,
)
from app.generation._errors import error_for_status, parse_retry_after, server_message

RUN_IN_BROWSER = True


@pytest.mark.parametrize(
    ("headers", "message", "seconds"),
    [
        ({"retry-after": "20"}, "", 20.0),
        ({"retry-after-ms": "1500"}, "", 1.5),
        ({}, "Rate limit reached. Please try again in 6.5s.", 6.5),
        ({}, "Please retry in 250ms", 0.25),
        ({}, "slow down", None),
        ({"retry-after": "soon"}, "", None),
    ],
)
def test_retry_after_from_headers_or_the_message(headers: dict[str, str], message: str, seconds: float | None) -> None:
    assert parse_retry_after(headers, message) == seconds


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(datetime(2026, 1, 1, 12, 1, 30, tzinfo=UTC), usegmt=True)
    assert parse_retry_after({"retry-after": later}, now=now.timestamp()) == 90


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (401, AuthError, "refused the API key"),
        (403, AuthError, "refused the API key"),
        (429, RateLimitError, "Try again in 30 seconds"),
        (529, RateLimitError, "overloaded"),
        (500, ServerError, "server error (500)"),
        (503, ServerError, "server error (503)"),
        (404, RequestError, "Check the base URL and the model name"),
        (400, RequestError, "rejected the request (400)"),
    ],
)
def test_statuses_map_to_words(status: int, kind: type, words: str) -> None:
    error = error_for_status(status, {"retry-after": "30"}, '{"error": {"message": "nope"}}', service="Ollama")
    assert isinstance(error, kind)
    assert words in str(error)
    assert "The server said: nope" in str(error)
    assert str(error).startswith("Ollama")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ('{"error": {"message": "bad model"}}', "bad model"),
        ('{"type": "error", "error": {"type": "x", "message": "Overloaded"}}', "Overloaded"),
        ('{"error": "model \\"x\\" not found"}', 'model "x" not found'),
        ('{"detail": "Not Found"}', "Not Found"),
        ("<html>Bad  gateway</html>", "<html>Bad gateway</html>"),
    ],
)
def test_server_messages_in_their_usual_shapes(body: str, said: str) -> None:
    assert server_message(body) == said


@pytest.mark.parametrize(
    ("url", "name", "fix"),
    [
        ("http://localhost:11434/v1", "Ollama", "OLLAMA_ORIGINS=http://127.0.0.1:8000"),
        ("http://127.0.0.1:1234/v1", "LM Studio", "Enable CORS"),
        ("http://localhost:8000/v1", "vLLM", "--allowed-origins"),
        ("http://localhost:5001/v1", "KoboldCpp", "allows every origin"),
        ("http://localhost:8080", "llama.cpp", "allows every origin"),
    ],
)
def test_cors_hints_name_the_fix_for_each_local_server(url: str, name: str, fix: str) -> None:
    server = guess_server(url)
    assert server is not None and server.name == name
    assert fix in cors_hint(url, "http://127.0.0.1:8000")


def test_an_unknown_server_gets_every_fix_and_a_named_server_wins_over_the_port() -> None:
    hint = cors_hint("http://192.0.2.7:9999/v1", "http://127.0.0.1:8000")
    assert "OLLAMA_ORIGINS" in hint and "Enable CORS" in hint
    assert "Enable CORS" in cors_hint("http://host:11434/v1", "o", "LM Studio")
    assert guess_server("https://openrouter.ai/api/v1") is KNOWN_SERVERS["OpenRouter"]


@pytest.mark.parametrize(
    ("page", "url", "blocked"),
    [
        ("https:", "http://192.168.1.20:11434/v1", True),
        ("https:", "http://localhost:11434/v1", False),
        ("https:", "http://127.0.0.1:1234/v1", False),
        ("https:", "https://api.openai.com/v1", False),
        ("http:", "http://192.168.1.20:11434/v1", False),
    ],
)
def test_mixed_content_is_recognised_before_any_probe(page: str, url: str, blocked: bool) -> None:
    from app.generation._fetch import mixed_content

    assert mixed_content(page, url) is blocked
