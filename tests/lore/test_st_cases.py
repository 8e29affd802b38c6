"""SillyTavern's behaviour on its own files: every case of `fixtures/st_cases.py`, run
through our importer and both scans (the synchronous one, and the asynchronous one that
runs regex keys in a Web Worker in the browser)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.lore import Matcher, MatchOptions, ScanContext, ScanResult, formats
from tests.lore.fixtures.st_cases import CASES, Case

RUN_IN_BROWSER = True

#: SillyTavern's default settings (`world_info_depth` 2, whole words off, recursion off).
DEFAULTS: dict[str, Any] = {
    "scan_depth": 2,
    "match_whole_words": False,
    "recursive": False,
    "seed": 7,
}


def _words(text: str) -> int:
    return len(text.split())


def _matcher(case: Case) -> Matcher:
    book = formats.load_json(copy.deepcopy(case.book))
    options = {**DEFAULTS, **case.options}
    if options.get("count_tokens") == "words":
        options["count_tokens"] = _words
    return Matcher(book.entries, MatchOptions(**options))


def _check(case: Case, result: ScanResult) -> None:
    names = [e.name for e in result.entries]
    if case.unordered:
        assert sorted(names) == sorted(case.expect), case.decided_by
    else:
        assert names == case.expect, case.decided_by
    if case.outlets is not None:
        got = {k: [e.name for e in v] for k, v in result.outlets.items()}
        assert got == case.outlets


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_sillytavern_case(case: Case) -> None:
    result = _matcher(case).scan(case.scan, context=ScanContext(**case.context))
    _check(case, result)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_sillytavern_case_async(case: Case) -> None:
    result = await _matcher(case).scan_async(case.scan, context=ScanContext(**case.context))
    _check(case, result)


def test_every_deliberate_difference_says_what_sillytavern_does() -> None:
    differing = [c for c in CASES if c.sillytavern is not None]
    assert differing
    for case in differing:
        assert case.sillytavern != case.expect, case.name
