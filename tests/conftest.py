"""Shared test set-up: hypothesis profiles, and the formats the library's tests see."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from mastery_model.plugins import BUILTIN_PLUGINS

# Bounded in CI so the whole suite stays within minutes on two cores; `HYPOTHESIS_PROFILE=thorough`
# explores more on demand.
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))

# The library's own tests see its built-in formats only, whatever plugins are installed beside it
# (each plugin's package tests itself); subprocesses started by the tests inherit this.
os.environ.setdefault("MASTERY_MODEL_PLUGINS", ",".join(BUILTIN_PLUGINS))
