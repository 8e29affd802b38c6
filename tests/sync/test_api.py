"""The client's view of the wire: SSE parsing, the events stream, pull pages checked."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from app.sync._api import ApiError, HttpResponse, SyncApi, decode_pull
from app.sync._sse import SseParser

RUN_IN_BROWSER = True
H = "001764950000000-00000-node"


def test_sse_events_are_named_and_split_anywhere() -> None:
    parser = SseParser()
    stream = "retry: 2000\n: connected\n\nevent: poke\ndata:\n\n: ping\n\nevent: po" \
             "ke\r\ndata:\r\n\r\ndata: hello\n\n"
    seen: list[str] = []
    for n in range(0, len(stream), 3):
        seen += parser.feed(stream[n:n + 3])
    assert seen == ["poke", "poke", "message"]


class Streaming:
    def __init__(self, chunks: list[str]) -> None:
        self.chunks = chunks

    async def request(self, method: str, url: str, headers: Mapping[str, str],
                      body: bytes | None) -> HttpResponse:
        raise AssertionError("not used")

    async def stream(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[str]:
        assert headers["Authorization"] == "Bearer t"
        for chunk in self.chunks:
            yield chunk


async def test_the_event_stream_says_when_it_is_open_then_names_pokes() -> None:
    api = SyncApi(Streaming([": connected\n\n", "event: poke\ndata:\n\n"]), "http://s", "t")
    assert [name async for name in api.events()] == ["open", "poke"]


def page(**fields: Any) -> bytes:
    body = {"changes": [], "cursor": 3, "has_more": False, "server_time_ms": 1}
    body.update(fields)
    return json.dumps(body).encode()


def test_a_pull_page_is_read_as_plain_changes() -> None:
    change = {"table": "notes", "id": "n", "fields": {"t": ["x", H]}}
    read = decode_pull(page(changes=[change], has_more=True), end=9)
    assert read.changes == [change] and read.cursor == 3 and read.has_more and read.end == 9


@pytest.mark.parametrize("body", [
    b"nope", b"[]", page(cursor="3"), page(has_more=1), page(changes={}),
    page(changes=[{"table": "notes", "id": 5, "fields": {}}]),
    page(changes=[{"table": "notes", "id": "n", "fields": {"t": ["x"]}}]),
    page(changes=[{"table": "notes", "id": "n", "fields": {"t": ["x", 5]}}]),
])
def test_a_page_the_app_cannot_read_is_a_server_error_to_retry(body: bytes) -> None:
    with pytest.raises(ApiError) as caught:
        decode_pull(body)
    assert caught.value.code == "bad_response" and caught.value.transient


def test_error_bodies_and_retry_after_are_read() -> None:
    error = ApiError.from_response(HttpResponse(
        409, {"retry-after": "7"},
        b'{"error": {"code": "sequence_gap", "message": "gap", "expected_seq": 4}}'))
    assert (error.code, error.message, error.info, error.retry_after) == (
        "sequence_gap", "gap", {"expected_seq": 4}, 7.0)
    odd = ApiError.from_response(HttpResponse(502, {}, b"<html>bad gateway</html>"))
    assert odd.code == "http_error" and odd.transient
