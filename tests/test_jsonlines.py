"""JSON Lines: one complete document per event, each with the entities it refers to."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given, settings
from strategies import catalogues

import mastery_model
from mastery_model import InvalidDocument


def _same_catalogue(first: mastery_model.Catalogue, second: mastery_model.Catalogue) -> bool:
    return first.events == second.events and all(
        sorted(getattr(first, kind), key=lambda entity: entity.id) == sorted(getattr(second, kind), key=lambda e: e.id)
        for kind in ("people", "organisations", "campaigns")
    )


@settings(max_examples=30)
@given(catalogues(max_events=3))
def test_each_line_is_a_whole_valid_document_and_the_lines_load_back(catalogue):
    data = mastery_model.dumps(catalogue, lines=True)
    lines = data.splitlines()
    assert len(lines) == len(catalogue.events)
    for line in lines:
        assert mastery_model.validate(line).ok
        assert len(orjson.loads(line)["@graph"]) >= 1
    loaded = mastery_model.loads(data, lines=True)
    assert loaded.events == catalogue.events
    used = {entity.id for kind in ("people", "organisations", "campaigns") for entity in getattr(loaded, kind)}
    everything = {entity.id for kind in ("people", "organisations", "campaigns") for entity in getattr(catalogue, kind)}
    assert used <= everything
    assert mastery_model.dumps(loaded, lines=True) == data


def test_dump_and_load_choose_json_lines_by_the_file_name(tmp_path):
    catalogue = mastery_model.sample()
    path = tmp_path / "events.jsonl"
    mastery_model.dump(catalogue, path)
    assert path.read_bytes().count(b"\n") == 1
    assert _same_catalogue(mastery_model.load(path), catalogue)


def test_an_entity_that_differs_between_lines_is_reported_with_both_lines():
    line = mastery_model.dumps(mastery_model.sample(), lines=True)
    person = next(node for node in orjson.loads(line)["@graph"] if node["@type"] == "Person")
    renamed = {**{k: v for k, v in person.items() if k != "affiliation"}, "name": person["name"] + " (renamed)"}
    event = {"@type": "EducationEvent", "name": {"en": "Another webinar"}, "organizer": [person["@id"]]}
    second = {"@context": mastery_model.schemas.CONTEXT_IRI, "@graph": [event, renamed]}
    with pytest.raises(InvalidDocument) as raised:
        mastery_model.loads(line + orjson.dumps(second) + b"\n", lines=True)
    (problem,) = raised.value.report.problems
    assert (problem.line, problem.pointer) == (2, "/@graph/1")
    assert "line 1" in problem.message


def test_problems_say_their_line():
    good = mastery_model.dumps(mastery_model.sample(), lines=True)
    report = mastery_model.validate(good + b"\n" + b'{"@context": 1}\n' + b"{oops\n", format="jsonl")
    assert sorted({problem.line for problem in report}) == [3, 4]


def test_an_empty_json_lines_input_is_an_error():
    assert "no document" in str(mastery_model.validate(b"\n\n", format="jsonl"))


def test_an_id_used_on_two_lines_is_reported():
    line = mastery_model.dumps(mastery_model.sample(), lines=True)
    report = mastery_model.validate(line + line, format="jsonl")
    assert {(problem.line, problem.pointer) for problem in report} == {(2, "/@graph/0")}
    assert "line 1" in report.problems[0].message
