"""The test session's summary: how many tests of each test folder ran and how they ended, so that
the output shows every folder counted (the plugins' included), however the tests were spread
over worker processes."""

from __future__ import annotations

from collections import Counter
from typing import Any

OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    counts: dict[str, Counter[str]] = {}
    for outcome in OUTCOMES:
        for report in terminalreporter.stats.get(outcome, []):  # one report a test and outcome
            path = report.nodeid.split("::", 1)[0]
            folder = path.rsplit("/", 1)[0] if "/" in path else "."
            counts.setdefault(folder, Counter())[outcome] += 1
    terminalreporter.section("tests by folder")
    for folder, counted in sorted(counts.items()):
        terminalreporter.line(f"{folder}: " + ", ".join(f"{counted[o]} {o}" for o in OUTCOMES if counted[o]))
