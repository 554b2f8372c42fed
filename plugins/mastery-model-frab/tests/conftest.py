"""Shared test set-up: hypothesis profiles, the shared real-world fixtures, and the plugin loaded.

The plugin's tests run in the same pytest session as the library's, whose conftest limits
``MASTERY_MODEL_PLUGINS`` to the built-in formats: here every installed plugin loads, and the
registry is loaded afresh before and after each module, so that neither suite sees the other's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from lxml import etree

from mastery_model.plugins import ENVIRONMENT_VARIABLE, installed

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))

#: The library's checkout: the plugin lives in its plugins/ folder.
ROOT = Path(__file__).resolve().parents[3]
XSD = "c3voc-schedule/xsd/schedule.xml.xsd"


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


@pytest.fixture(scope="module", autouse=True)
def _every_installed_plugin() -> Iterator[None]:
    """The plugin is found through its entry point, whatever the library's suite set."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENVIRONMENT_VARIABLE, raising=False)
        installed.cache_clear()
        yield
    installed.cache_clear()


@pytest.fixture(scope="session")
def shared_fixture() -> Callable[[str], Path]:
    """``shared_fixture("frab/debconf23.xml")``: the path, or the test skips (fails in CI)."""
    return fixture_path


@pytest.fixture(scope="session")
def schedule_schema() -> etree.XMLSchema:
    """The C3VOC schema of schedule XML, which conference apps' schedules are checked against."""
    return etree.XMLSchema(etree.parse(str(fixture_path(XSD))))
