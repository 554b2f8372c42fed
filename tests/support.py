"""What the tests share besides fixtures: the checkout, and the shared real-world data files.

(Kept out of ``conftest.py``: the plugins' tests run in the same session, with a conftest of their own.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def fixtures_dir() -> Path:
    """The shared fixtures: $MASTERY_FIXTURES, else ../shared/fixtures beside the checkout."""
    configured = os.environ.get("MASTERY_FIXTURES")
    return Path(configured) if configured else ROOT.parent / "shared" / "fixtures"


def fixture_path(relative: str) -> Path:
    """A shared fixture file; skips the test when it is absent, except in CI, where it fails."""
    path = fixtures_dir() / relative
    if not path.exists():
        message = f"the shared fixture {relative} is absent (looked in {fixtures_dir()}; set MASTERY_FIXTURES)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
