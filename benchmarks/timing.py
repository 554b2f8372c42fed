"""Timing contenders against each other in one run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_seconds(contenders: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Each contender ``repeat`` times, interleaved so that drift on the machine hits all alike."""
    for run in contenders.values():  # warm up: compiled validators, model classes
        run()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, run in contenders.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}
