"""Reading JSON-LD from other tools: any shape of the same graph loads to the same model."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from jsonld import expand, shipped_contexts_only
from pyld import jsonld as pyld
from strategies import catalogues
from support import fixture_path

import mastery_model
from mastery_model import ExportWarning, InvalidDocument
from mastery_model.importing import choose_importer
from mastery_model.model import walk_sessions
from mastery_model.selection import trimmed


def read(document, **options) -> mastery_model.Catalogue:
    return mastery_model.importing.read(orjson.dumps(document), format="schemaorg", **options)


def by_id(entities):
    return sorted(entities, key=lambda entity: entity.id)


def same_graph(first: mastery_model.Catalogue, second: mastery_model.Catalogue) -> None:
    """Equal but for what RDF does not keep: the order of top-level entities and of a text's
    languages (so which is the default). Compared as canonical documents, where a text is a map."""

    def graph(catalogue):
        return sorted(orjson.loads(mastery_model.dumps(catalogue))["@graph"], key=lambda node: node["@id"])

    assert graph(first) == graph(second)


@settings(max_examples=20)
@given(catalogues(max_events=2))
def test_the_expanded_form_of_a_canonical_document_loads_to_the_same_model(catalogue):
    same_graph(read(expand(orjson.loads(mastery_model.dumps(catalogue)))), catalogue)


@settings(max_examples=10)
@given(catalogues(max_events=1))
def test_the_flattened_form_loads_to_the_same_model(catalogue):
    flat = pyld.flatten(orjson.loads(mastery_model.dumps(catalogue)), None, {"documentLoader": shipped_contexts_only})
    same_graph(read(flat), catalogue)


def _projection(catalogue: mastery_model.Catalogue):
    """What schema.org can say of a catalogue: what its events refer to (the exporter embeds it)."""
    catalogue = trimmed(catalogue)

    def sessions(parent):
        return [
            (
                s.id,
                s.name.get(),
                s.start,
                s.end,
                s.url,
                tuple(dict.fromkeys(c.contributor for c in s.contributions)),
                tuple((d.id, d.name.get(), d.url, d.authors) for d in s.documents),
                sessions(s),
            )
            for s in parent.sessions
        ]

    return [
        (
            e.id,
            e.name.get(),
            e.start,
            e.end,
            e.attendance_mode,
            e.status,
            e.url,
            e.organisers,
            e.funders,
            e.campaign,
            sessions(e),
        )
        for e in by_id(catalogue.events)
    ], [(p.id, p.name, p.job_title.get() if p.job_title else None, p.affiliations) for p in by_id(catalogue.people)]


@settings(max_examples=20)
@given(catalogues(max_events=1))
def test_canonical_to_schemaorg_and_back_keeps_all_that_schema_org_can_say(catalogue):
    if any(e.time_zone or any(s.time_zone for s in walk_sessions(e.sessions)) for e in catalogue.events):
        return  # schema.org keeps the UTC offset, not the zone: compared below without zones
    stream = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        mastery_model.export(catalogue, "schemaorg", stream)
    back = mastery_model.importing.read(stream.getvalue())
    assert _projection(back) == _projection(catalogue)


def test_the_sample_through_schemaorg_keeps_its_speakers_documents_and_campaign():
    stream = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        mastery_model.export(mastery_model.sample(), "schemaorg", stream)
    assert _projection(mastery_model.importing.read(stream.getvalue())) == _projection(mastery_model.sample())


EXAMPLES = sorted(
    Path("examples-events").joinpath(name).as_posix()
    for name in [
        "eg-0009.jsonld",
        "eg-0012.jsonld",
        "eg-0014.jsonld",
        "eg-0166.jsonld",
        "eg-0167.jsonld",
        "eg-0170.jsonld",
        "eg-0171.jsonld",
        "eg-0172.jsonld",
        "eg-0173.jsonld",
        "eg-0174.jsonld",
        "eg-0189.jsonld",
        "eg-0190.jsonld",
        "eg-0191.jsonld",
        "eg-0201.jsonld",
        "eg-0202.jsonld",
        "eg-0228.jsonld",
        "eg-0240.jsonld",
        "eg-0241.jsonld",
        "eg-0242.jsonld",
        "eg-0243.jsonld",
        "eg-0244.jsonld",
        "eg-0303.jsonld",
        "eg-0313.jsonld",
        "eg-0349.jsonld",
        "eg-0391.jsonld",
        "eg-0419.jsonld",
        "eg-0426.jsonld",
        "eg-0436.jsonld",
        "eg-0444.jsonld",
        "eg-0445.jsonld",
        "eg-0461.jsonld",
        "eg-4468.jsonld",
        "eg-4495.jsonld",
        "eg-4527.jsonld",
        "eg-4540.jsonld",
    ]
)


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_schema_org_event_examples_load_or_name_what_the_model_lacks(name):
    path = fixture_path(f"schemaorg/{name}")
    assert choose_importer(path.read_bytes(), path.suffix, None).name == "schemaorg"
    zone = {"time-zone": "America/New_York"}
    report = mastery_model.validate(path, **zone)
    if report.ok:
        assert mastery_model.load(path, **zone).events
    for problem in report:  # what the model lacks, named, in this file
        assert problem.source == str(path)
        assert problem.message


def test_an_example_with_a_time_and_no_offset_loads_once_its_zone_is_given():
    path = fixture_path("schemaorg/examples-events/eg-0012.jsonld")
    with pytest.raises(InvalidDocument, match="UTC offset"):
        mastery_model.load(path)
    (event,) = mastery_model.load(path, **{"time-zone": "America/Denver"}).events
    assert event.start.isoformat() == "2013-09-14T21:30:00-06:00"
    assert event.time_zone == "America/Denver"
    assert str(event.locations[0].name) == "The Hi-Dive"


def test_a_remote_context_is_refused_with_a_clear_problem():
    with pytest.raises(InvalidDocument) as raised:
        read({"@context": "https://example.org/context.jsonld", "@type": "Event", "name": "x"})
    (problem,) = raised.value.report.problems
    assert "remote context" in problem.message
    assert problem.value == "https://example.org/context.jsonld"


def test_the_canonical_reader_keeps_canonical_documents():
    data = mastery_model.embedded.sample_bytes()
    assert choose_importer(data, ".jsonld", None).name == "jsonld"
