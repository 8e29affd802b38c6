"""API keys never show: not in reprs, f-strings, logs, errors or tracebacks."""

from __future__ import annotations

import io
import logging
import pickle
import traceback

import pytest

from app.generation import (
    AuthError,
    CompletionRequest,
    Endpoint,
    GenerationError,
    Secret,
    get_provider,
    scrub,
)
from app.generation._errors import error_for_status

RUN_IN_BROWSER = True
KEY = "sk-live-abcdefghijklmnop-9876"


def test_every_way_of_printing_a_secret_masks_it() -> None:
    s = Secret(KEY)
    for shown in (repr(s), str(s), f"{s}", f"{s!r}", format(s), repr([s]), repr({"k": s})):
        assert KEY not in shown
    assert s.masked() == "••••••••9876"
    assert Secret("short").masked() == "••••••••"
    assert s.reveal() == KEY and Secret(s) == s and len(s) == len(KEY)


def test_a_secret_cannot_be_pickled_or_changed() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret(KEY))
    with pytest.raises(AttributeError):
        Secret(KEY)._value = "x"  # type: ignore[misc]


def test_endpoints_requests_and_headers_do_not_show_the_key() -> None:
    endpoint = Endpoint("openai", "http://127.0.0.1:1/v1", "m", Secret(KEY))
    request = get_provider("openai").build_request(endpoint, CompletionRequest())
    for provider in ("openai", "openai-text", "anthropic"):
        built = get_provider(provider).build_request(endpoint, CompletionRequest())
        assert KEY not in repr(built) and KEY not in repr(endpoint)
        assert KEY not in str(built.json_body) and KEY.encode() not in (built.body or b"")
        assert KEY in "".join(built.revealed_headers().values())  # only the wire has it
    assert request.revealed_headers()["Authorization"] == f"Bearer {KEY}"


def test_keys_echoed_by_a_server_are_masked_in_the_error() -> None:
    body = f'{{"error": {{"message": "Incorrect API key provided: {KEY}."}}}}'
    error = error_for_status(401, {}, body, service="OpenAI", secret=Secret(KEY))
    assert isinstance(error, AuthError)
    logged = io.StringIO()
    logger = logging.getLogger("lk.test.secret")
    handler = logging.StreamHandler(logged)
    logger.addHandler(handler)
    try:
        raise error
    except GenerationError:
        logger.exception("generation failed")
        trace = traceback.format_exc()
    finally:
        logger.removeHandler(handler)
    assert "generation failed" in logged.getvalue()
    for text in (str(error), repr(error), error.detail, trace, logged.getvalue()):
        assert KEY not in text
    assert "••••••••9876" in error.detail


def test_scrub_replaces_every_occurrence() -> None:
    assert scrub(f"{KEY} and {KEY}", Secret(KEY), None) == "••••••••9876 and ••••••••9876"
    assert scrub("nothing here", Secret(KEY)) == "nothing here"
