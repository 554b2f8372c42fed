"""The load benchmark's baselines do the same job as the library: valid documents load with each,
and the pydantic baseline with checks refuses every invalid document the library refuses (the
benchmark proves it again before it times them). The schema-level decoders refuse what breaks the
schemas, and let the meaning-level breaks through: what the checks cost is what they add."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest

import mastery_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks live beside the tests
from benchmarks import invalid_documents
from benchmarks.baselines import msgspec_model, pydantic_checked, pydantic_model
from benchmarks.catalogue import generate

LOADERS = {
    "mastery-model": mastery_model.loads,
    "pydantic with checks": pydantic_checked.Catalogue.model_validate_json,
    "pydantic": pydantic_model.Catalogue.model_validate_json,
    "msgspec": msgspec_model.decode,
}


@pytest.mark.parametrize(
    "data", [orjson.dumps(generate(10)), orjson.dumps(generate(100)), mastery_model.sample_bytes()]
)
def test_every_loader_takes_the_valid_documents(data: bytes) -> None:
    graph = orjson.loads(data)["@graph"]
    for name, load in LOADERS.items():
        loaded = load(data)
        nodes = len(getattr(loaded, "graph", ())) or sum(
            len(getattr(loaded, kind)) for kind in ("events", "people", "organisations", "campaigns")
        )
        assert nodes == len(graph), name


def test_the_checked_baseline_refuses_every_invalid_document_the_library_refuses() -> None:
    accepted = invalid_documents.accepted_by(LOADERS)
    names = list(invalid_documents.BREAKS)
    assert accepted["mastery-model"] == []
    assert accepted["pydantic with checks"] == []
    meaning_level = [name for name in names if name not in invalid_documents.SCHEMA_LEVEL]
    # the schema-level decoders refuse what breaks the schemas, and nothing else
    assert accepted["pydantic"] == accepted["msgspec"] == meaning_level
