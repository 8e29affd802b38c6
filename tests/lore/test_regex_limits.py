"""Catastrophic regex keys cannot take the page down: a key gives up after the time limit
(in the browser a Web Worker runs it and is terminated; in CPython an interval timer
interrupts `re`), the rest of the scan goes on, and the key is reported in the trace, in
the warnings and by lint."""

from __future__ import annotations

import asyncio
import sys

from app.lore import KEY_TIME_LIMIT, Matcher, MatchOptions, lint
from tests.lore._factory import entry

RUN_IN_BROWSER = True
IN_BROWSER = sys.platform == "emscripten"

#: The three keys of issue 11, each with a text it backtracks on for many seconds.
CATASTROPHIC = [
    ("/(a+)+$/", "a" * 28 + "!"),
    ("/(a|aa)*c/", "a" * 45),
    ("/((a*)*)*b/", "a" * 32),
]


def hostile_entries():
    bad = [entry(key, id=f"bad{i}", name=f"Bad {i}") for i, (key, _) in enumerate(CATASTROPHIC)]
    return [*bad, entry("dragon", id="dragon"), entry("/wyrm(s)?/i", id="wyrm")]


def hostile_text():
    return " ".join(text for _, text in CATASTROPHIC) + " a dragon and WYRMS"


async def _ticks_while(awaitable):
    """Run `awaitable`, counting the event loop's turns (and in the browser, the page's
    timer ticks) meanwhile: evidence that the page stayed responsive."""
    counter = {"turns": 0}
    done = False

    async def ticker():
        while not done:
            counter["turns"] += 1
            await asyncio.sleep(0.01)

    task = asyncio.ensure_future(ticker())
    page_ticks = None
    if IN_BROWSER:
        import js

        js.eval(
            "globalThis.__loreTicks = 0; globalThis.__loreTimer = setInterval(() => { __loreTicks++; }, 10)"
        )
    try:
        result = await awaitable
    finally:
        done = True
        await task
        if IN_BROWSER:
            js.eval("clearInterval(globalThis.__loreTimer)")
            page_ticks = int(js.eval("globalThis.__loreTicks"))
    return result, counter["turns"], page_ticks


async def test_catastrophic_keys_give_up_and_the_scan_goes_on():
    m = Matcher(hostile_entries(), MatchOptions(recursive=False))
    result, turns, page_ticks = await _ticks_while(m.scan_async(hostile_text()))
    assert sorted(result.ids) == ["dragon", "wyrm"]
    for i, (key, _) in enumerate(CATASTROPHIC):
        item = result.item(f"bad{i}")
        assert item is not None and not item.included
        assert item.reason == "key_problem"
        assert [(p.key, p.problem) for p in item.key_problems] == [(key, "timeout")]
        assert f"{KEY_TIME_LIMIT * 1000:.0f} ms" in item.key_problems[0].detail
    assert sum("gave up" in w for w in result.warnings) == 3
    # the page (or the event loop) kept running while the keys were tried
    assert turns >= 1
    if IN_BROWSER:
        # three keys each stopped after the limit: the page's 10 ms timer fired all along
        assert page_ticks is not None and page_ticks >= 10
    # a worker was terminated: the next scan still runs regex keys
    again = await m.scan_async("two wyrms")
    assert again.ids == ["wyrm"]


def test_the_synchronous_scan_never_hangs_either():
    m = Matcher(hostile_entries(), MatchOptions(recursive=False))
    result = m.scan(hostile_text())
    assert sorted(result.ids) == ["dragon", "wyrm"]
    problems = {p.problem for i in range(3) for p in result.item(f"bad{i}").key_problems}
    # in the browser the synchronous scan cannot stop a key, so it does not run the ones
    # that may backtrack catastrophically (scan_async does); CPython interrupts them
    assert problems == ({"not_run"} if IN_BROWSER else {"timeout"})


def test_a_key_that_gave_up_is_not_retried_in_later_steps():
    bad = entry("/(a+)+$/", id="bad")
    teller = entry("dragon", id="teller", content="a dragon again")
    other = entry("again", id="other")
    text = "a" * 28 + "! dragon"
    result = Matcher([bad, teller, other]).scan(text)
    assert sorted(result.ids) == ["other", "teller"]
    assert len(result.item("bad").key_problems) == 1  # one attempt, not one per step


def test_lint_reports_catastrophic_keys():
    entries = hostile_entries()
    issues = [i for i in lint(entries) if i.kind == "slow_regex"]
    assert sorted(i.key for i in issues) == sorted(key for key, _ in CATASTROPHIC)
    assert all("very long time" in i.message for i in issues)


def test_lint_reports_keys_that_gave_up_in_a_scan():
    # a pattern our static check does not flag, made slow by a huge text
    polynomial = entry("/[\\s\\S]*x[\\s\\S]*y[\\s\\S]*z/", id="poly")
    assert not [i for i in lint([polynomial]) if i.kind == "slow_regex"]
    from app.lore import KeyProblem, ScanResult, TraceItem

    gave_up = TraceItem(
        "poly",
        "poly",
        "global",
        None,
        False,
        "key_problem",
        key_problems=[KeyProblem(polynomial.keys[0], "timeout", "gave up after 250 ms")],
    )
    issues = lint([polynomial], scans=[ScanResult([], [gave_up])])
    assert [(i.kind, i.entry_ids) for i in issues if i.kind == "slow_regex"] == [
        ("slow_regex", ["poly"])
    ]
