"""The benchmarks' timer: how many calls a timed run makes is measured after a first call."""

from __future__ import annotations

import time

from benchmarks import timing


def test_a_slow_first_call_does_not_decide_how_many_calls_a_run_makes() -> None:
    calls = 0

    def run() -> None:  # pays once for what loads on first use, as a library's first call does
        nonlocal calls
        calls += 1
        if calls == 1:
            started = time.process_time()
            while time.process_time() - started < 2 * timing._RUN_SECONDS:
                pass

    assert timing._calls_per_run(run) > 1
    assert calls == 2


def test_a_run_as_long_as_a_timed_run_is_called_once() -> None:
    def run() -> None:
        started = time.process_time()
        while time.process_time() - started < timing._RUN_SECONDS:
            pass

    assert timing._calls_per_run(run) == 1
