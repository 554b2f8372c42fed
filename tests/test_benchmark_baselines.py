"""The load benchmark's baselines: they accept what the library accepts, and the checked pydantic
model refuses every invalid document the library refuses; the schema-level models refuse the
documents that break the schemas."""

from __future__ import annotations

import functools

import orjson
import pydantic
import pytest

import mastery_model
from benchmarks import invalid_documents as invalid
from benchmarks.baselines import msgspec_model, pydantic_checked, pydantic_model
from benchmarks.catalogue import generate
from mastery_model.model import walk_sessions


@functools.cache
def documents() -> dict[str, bytes]:
    return invalid.invalid_documents()


@pytest.mark.parametrize("sessions", [10, 100])
def test_generated_catalogues_load_alike(sessions: int) -> None:
    data = orjson.dumps(generate(sessions))
    catalogue = mastery_model.loads(data)
    checked = pydantic_checked.Catalogue.model_validate_json(data)
    decoded = msgspec_model.decode(data)
    counted = sum(1 for event in catalogue.events for _session in walk_sessions(event.sessions))
    assert counted == sessions
    assert len(checked.graph) == len(decoded.graph) == len(orjson.loads(data)["@graph"])
    assert [node.id for node in checked.graph] == [node.id for node in decoded.graph]


def test_the_embedded_sample_loads_alike() -> None:
    data = mastery_model.sample_bytes()
    catalogue = mastery_model.loads(data)
    checked = pydantic_checked.Catalogue.model_validate_json(data)
    decoded = msgspec_model.decode(data)
    people = [node.id for node in checked.graph if isinstance(node, pydantic_model.Person)]
    assert people == [person.id for person in catalogue.people]
    assert [node.id for node in decoded.graph if isinstance(node, msgspec_model.Person)] == people


def test_every_kind_of_check_has_its_document() -> None:
    names = set(documents())
    assert names > invalid.SCHEMA_LEVEL
    assert len(names - invalid.SCHEMA_LEVEL) >= 20
    assert len(set(documents().values())) == len(names)  # each breaks something of its own


@pytest.mark.parametrize("name", sorted(invalid.BREAKAGES))
def test_the_library_refuses_each_invalid_document(name: str) -> None:
    with pytest.raises(mastery_model.InvalidDocument):
        mastery_model.loads(documents()[name])


@pytest.mark.parametrize("name", sorted(invalid.BREAKAGES))
def test_the_checked_pydantic_model_refuses_each_invalid_document(name: str) -> None:
    with pytest.raises(pydantic.ValidationError):
        pydantic_checked.Catalogue.model_validate_json(documents()[name])


def test_the_schema_level_models_refuse_the_schema_level_documents() -> None:
    schema_level = {name: data for name, data in documents().items() if name in invalid.SCHEMA_LEVEL}
    accepted = invalid.accepted_invalid({"msgspec": msgspec_model.decode}, schema_level)
    assert accepted == {"msgspec": []}


def test_what_each_contender_accepts() -> None:
    accepted = invalid.accepted_invalid(
        {
            "library": mastery_model.loads,
            "pydantic checked": pydantic_checked.Catalogue.model_validate_json,
            "pydantic": pydantic_model.Catalogue.model_validate_json,
            "msgspec": msgspec_model.decode,
        },
        documents(),
    )
    assert accepted["library"] == accepted["pydantic checked"] == []
    meaning = sorted(set(documents()) - invalid.SCHEMA_LEVEL)
    assert sorted(accepted["msgspec"]) == meaning  # schema-level: it checks no meaning
    # pydantic's datetime takes one without an offset as well
    assert sorted(accepted["pydantic"]) == sorted([*meaning, "date-time-without-offset"])


def test_a_failure_other_than_a_refusal_is_not_counted_as_one() -> None:
    def broken(_data: bytes) -> object:
        raise TypeError("not a refusal")

    with pytest.raises(TypeError):
        invalid.accepted_invalid({"broken": broken}, {"any": b"{}"})


def test_the_checked_model_refuses_what_it_cannot_look_up() -> None:
    document = generate(10)
    talk = document["@graph"][0]["subEvent"][0]["subEvent"][0]
    for zone in ("", "../../etc/passwd", "Europe", "Europe/Madrid\n"):
        talk["timeZone"] = zone
        with pytest.raises(pydantic.ValidationError, match="IANA"):
            pydantic_checked.Catalogue.model_validate_json(orjson.dumps(document))
