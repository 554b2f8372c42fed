"""Shared test set-up: hypothesis profiles, the shared real-world fixtures, and the plugin loaded.

The plugin's tests run in the same pytest session as the library's, whose conftest limits
``MASTERY_MODEL_PLUGINS`` to the built-in formats: here every installed plugin loads, and the
registry is loaded afresh before and after each module, so that neither suite sees the other's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from mastery_model.plugins import ENVIRONMENT_VARIABLE, installed

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))


@pytest.fixture(scope="module", autouse=True)
def _every_installed_plugin() -> Iterator[None]:
    """The plugin is found through its entry point, whatever the library's suite set."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENVIRONMENT_VARIABLE, raising=False)
        installed.cache_clear()
        yield
    installed.cache_clear()
