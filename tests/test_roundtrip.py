"""Round trips: model -> canonical JSON-LD -> model, and what the JSON-LD means as RDF."""

from __future__ import annotations

from datetime import date, datetime

import orjson
import pytest
from hypothesis import given, settings
from jsonld import RemoteContextRefused, expand, triples
from pyld.jsonld import JsonLdError
from strategies import catalogues

import mastery_model
from mastery_model import conversion, schemas
from mastery_model.model import walk_sessions

SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


@given(catalogues())
def test_every_model_dumps_to_a_document_the_schemas_accept_and_loads_back_equal(catalogue):
    data = mastery_model.dumps(catalogue)
    document = orjson.loads(data)
    assert schemas.fast_validator().is_valid(document)
    assert list(schemas.precise_validator().iter_errors(document)) == []
    assert mastery_model.validate(catalogue).ok
    assert mastery_model.loads(data) == catalogue


@given(catalogues())
def test_the_streamed_document_is_the_whole_document_indented(catalogue):
    whole = orjson.dumps(conversion.unstructure_document(catalogue), option=orjson.OPT_INDENT_2) + b"\n"
    assert mastery_model.dumps(catalogue) == whole
    empty = mastery_model.Catalogue()
    assert (
        mastery_model.dumps(empty)
        == orjson.dumps(conversion.unstructure_document(empty), option=orjson.OPT_INDENT_2) + b"\n"
    )


@given(catalogues())
def test_dumping_twice_gives_the_same_bytes(catalogue):
    first = mastery_model.dumps(catalogue)
    assert mastery_model.dumps(catalogue) == first
    assert mastery_model.dumps(mastery_model.loads(first)) == first


@given(catalogues())
def test_time_zones_and_offsets_survive_exactly(catalogue):
    loaded = mastery_model.loads(mastery_model.dumps(catalogue))
    for before, after in zip(_timed(catalogue), _timed(loaded), strict=True):
        assert (type(before.start), type(before.end)) == (type(after.start), type(after.end))
        assert before.time_zone == after.time_zone
        for a, b in ((before.start, after.start), (before.end, after.end)):
            if isinstance(a, datetime):
                assert (a.utcoffset(), a.replace(tzinfo=None)) == (b.utcoffset(), b.replace(tzinfo=None))


def _timed(catalogue):
    for event in catalogue.events:
        yield event
        yield from walk_sessions(event.sessions)


@settings(max_examples=15)
@given(catalogues(max_events=1))
def test_the_rdf_is_the_same_before_and_after_a_round_trip(catalogue):
    document = orjson.loads(mastery_model.dumps(catalogue))
    again = orjson.loads(mastery_model.dumps(mastery_model.loads(orjson.dumps(document))))
    assert triples(document) == triples(again)


@settings(max_examples=15)
@given(catalogues(max_events=1))
def test_dates_expand_to_xsd_date_and_date_times_to_xsd_date_time(catalogue):
    expanded = expand(orjson.loads(mastery_model.dumps(catalogue)))
    events = [node for node in expanded if f"{SCHEMA}EducationEvent" in node.get("@type", [])]
    expected = list(catalogue.events)
    assert len(events) == len(expected)
    for node, event in zip(events, expected, strict=True):
        _check_dates(node, event)


def _check_dates(node, entity):
    for key, moment in ((f"{SCHEMA}startDate", entity.start), (f"{SCHEMA}endDate", entity.end)):
        if moment is None:
            assert key not in node
            continue
        (literal,) = node[key]
        assert literal["@type"] == (f"{XSD}dateTime" if isinstance(moment, datetime) else f"{XSD}date")
        parsed = (
            datetime.fromisoformat(literal["@value"])
            if isinstance(moment, datetime)
            else date.fromisoformat(literal["@value"])
        )
        assert parsed == moment
    for child_node, child in zip(node.get(f"{SCHEMA}subEvent", []), entity.sessions, strict=True):
        _check_dates(child_node, child)


def test_the_sample_expands_to_schema_org_terms_with_typed_values():
    expanded = expand(orjson.loads(mastery_model.embedded.sample_bytes()))
    (event,) = [node for node in expanded if f"{SCHEMA}EducationEvent" in node["@type"]]
    assert event[f"{SCHEMA}startDate"] == [{"@type": f"{XSD}date", "@value": "2024-10-15"}]
    assert event[f"{SCHEMA}eventAttendanceMode"] == [{"@id": f"{SCHEMA}OnlineEventAttendanceMode"}]
    assert event[f"{SCHEMA}name"][0]["@language"] == "en"
    vocab = "https://w3id.org/mastery-model/vocab#"
    attendance = event[f"{vocab}attendance"][0]
    assert attendance[f"{vocab}count"] == [{"@type": f"{XSD}integer", "@value": 70}]
    assert attendance[f"{vocab}qualifier"] == [{"@id": f"{vocab}MoreThan"}]


@pytest.mark.parametrize("url", ["https://schema.org/", "https://example.org/context.jsonld"])
def test_expansion_in_these_tests_never_fetches_another_context(url):
    with pytest.raises(JsonLdError) as raised:
        expand({"@context": url, "name": "x"})
    assert isinstance(raised.value.__cause__, RemoteContextRefused)
