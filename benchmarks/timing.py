"""Timing contenders against each other in one run, under the same conditions.

Times are CPU time of this process (``time.process_time``): what other work on a shared machine
adds to the wall clock is not counted. Every run starts from a collected heap (``gc.collect()``),
and the cyclic garbage collector is, for every contender alike, either paused for the run or left
as a user has it (the library pauses it inside its own reading and writing: that is part of what
it does "as run").
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from typing import Any

PAUSED, AS_RUN = "collector paused", "collector as run"
CONDITIONS = (PAUSED, AS_RUN)

#: A timed run calls a contender as many times as it takes to last about this long, so that work
#: of microseconds is not timed by a clock tick; the time reported is that of one call.
_RUN_SECONDS = 0.05


def median_seconds(contenders: dict[str, Callable[[], Any]], repeat: int, collector: str = AS_RUN) -> dict[str, float]:
    """Each contender ``repeat`` times, interleaved so that drift on the machine hits all alike:
    the median CPU time of one call, under ``collector`` (:data:`PAUSED` or :data:`AS_RUN`)."""
    calls = {name: _calls_per_run(run) for name, run in contenders.items()}  # warms each up too
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, run in contenders.items():
            times[name].append(_timed(run, calls[name], collector) / calls[name])
    return {name: statistics.median(values) for name, values in times.items()}


def _calls_per_run(run: Callable[[], Any]) -> int:
    """How many calls last about :data:`_RUN_SECONDS`, measured on a second call: the first pays for
    what loads on first use, and would leave a small job too few calls to hide a run's own start."""
    run()
    started = time.process_time()
    run()
    took = time.process_time() - started
    return 1 if took >= _RUN_SECONDS else min(10_000, math.ceil(_RUN_SECONDS / max(took, 1e-6)))


def _timed(run: Callable[[], Any], calls: int, collector: str) -> float:
    gc.collect()
    paused = collector == PAUSED
    if paused:
        gc.disable()
    try:
        started = time.process_time()
        for _ in range(calls):
            run()
        return time.process_time() - started
    finally:
        if paused:
            gc.enable()
