"""Shared test set-up: hypothesis profiles and the shared real-world fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Bounded in CI so the whole suite stays within minutes on two cores; `HYPOTHESIS_PROFILE=thorough`
# explores more on demand.
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))

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
