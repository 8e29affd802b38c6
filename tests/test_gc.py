"""`app._gc.gc_paused`: no cyclic collection inside, the collector as it was after."""

from __future__ import annotations

import asyncio
import gc

from app._gc import gc_paused

RUN_IN_BROWSER = True


def test_the_collector_pauses_and_resumes():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "an inner block does not resume it early"
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_it_resumes_after_an_error():
    try:
        with gc_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


async def test_overlapping_tasks_resume_it_when_the_last_ends():
    first_in, second_in, first_out = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def first() -> None:
        with gc_paused():
            first_in.set()
            await second_in.wait()
        first_out.set()

    async def second() -> None:
        await first_in.wait()
        with gc_paused():
            second_in.set()
            await first_out.wait()
            assert not gc.isenabled(), "the first task's end does not resume it"

    await asyncio.gather(first(), second())
    assert gc.isenabled()
