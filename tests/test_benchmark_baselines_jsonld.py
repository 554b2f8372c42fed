"""The hand-written JSON-LD builder the benchmarks measure the export against writes the library's
bytes: else the comparison would time two different jobs."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from strategies import catalogues

import mastery_model
from mastery_model.model import Catalogue

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks live beside the tests
from benchmarks import catalogue as generated
from benchmarks.baselines import jsonld_builder


def _exported(catalogue: Catalogue) -> bytes:
    stream = io.BytesIO()
    mastery_model.export(catalogue, "jsonld", stream)
    return stream.getvalue()


@pytest.mark.parametrize("sessions", [10, 100])
def test_the_builder_writes_the_bytes_of_the_export_for_the_generated_catalogues(sessions: int) -> None:
    catalogue = mastery_model.loads(orjson.dumps(generated.generate(sessions)))
    written = jsonld_builder.dumps(catalogue)
    assert written == mastery_model.dumps(catalogue) == _exported(catalogue)
    assert written.count(b'"@type": "EducationEvent"') > sessions  # the sessions are in it, and the events


def test_the_builder_writes_the_bytes_of_the_export_for_the_sample() -> None:
    sample = mastery_model.sample()
    assert jsonld_builder.dumps(sample) == mastery_model.dumps(sample) == _exported(sample)


@settings(max_examples=60)
@given(catalogues())
def test_the_builder_writes_the_bytes_of_the_library_for_every_field(catalogue: Catalogue) -> None:
    """The generated benchmark catalogues set a few fields only; these set every one (tests/test_fields.py)."""
    assert jsonld_builder.dumps(catalogue) == mastery_model.dumps(catalogue)


def test_the_builder_writes_an_empty_catalogue_as_the_library_does() -> None:
    assert jsonld_builder.dumps(Catalogue()) == mastery_model.dumps(Catalogue())
