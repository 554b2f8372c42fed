"""The ``schemaorg`` exporter: Event markup for web pages, every term real, safe in HTML."""

from __future__ import annotations

import functools
import io
import json
import warnings
from datetime import UTC, datetime

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import catalogues, unicode_text
from support import fixture_path

import mastery_model
from mastery_model import AttendanceMode, ExportWarning, Text, VirtualLocation, plugins
from mastery_model.html_text import as_html
from mastery_model.model import Contribution, Role

SAMPLE = mastery_model.sample()
KEYWORDS = {"@context", "@type", "@id", "@graph"}


@functools.cache
def vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """schema.org's types and properties, by local name (release 30.0, from the shared fixtures)."""
    graph = json.loads(fixture_path("schemaorg/schemaorg-current-https.jsonld").read_text(encoding="utf-8"))["@graph"]
    types, properties = set(), set()
    for node in graph:
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        name = node["@id"].removeprefix("schema:")
        (properties if "rdf:Property" in kinds else types).add(name)
    return frozenset(types), frozenset(properties)


@functools.cache
def properties_of() -> dict[str, frozenset[str]]:
    """For each schema.org type, the properties schema.org defines for it or a type it is a kind of."""
    graph = json.loads(fixture_path("schemaorg/schemaorg-current-https.jsonld").read_text(encoding="utf-8"))["@graph"]

    def ids(node, key):
        values = node.get(key, [])
        return [value["@id"].removeprefix("schema:") for value in (values if isinstance(values, list) else [values])]

    parents = {node["@id"].removeprefix("schema:"): ids(node, "rdfs:subClassOf") for node in graph}
    direct: dict[str, set[str]] = {}
    for node in graph:
        for domain in ids(node, "schema:domainIncludes"):
            direct.setdefault(domain, set()).add(node["@id"].removeprefix("schema:"))

    @functools.cache
    def inherited(kind):
        return frozenset(direct.get(kind, set())).union(*(inherited(parent) for parent in parents.get(kind, [])))

    return {kind: inherited(kind) for kind in parents}


def misplaced(node, found=None):
    """The properties written on a node of a type that schema.org does not define them for."""
    found = found if found is not None else set()
    if isinstance(node, dict):
        kinds = node.get("@type", [])
        listed = [kinds] if isinstance(kinds, str) else kinds
        allowed = set().union(*(properties_of().get(kind, ()) for kind in listed))
        for key, value in node.items():
            if kinds and key not in KEYWORDS and key not in allowed:
                found.add(f"{kinds}.{key}")
            misplaced(value, found)
    elif isinstance(node, list):
        for item in node:
            misplaced(item, found)
    return found


def export(catalogue, **options) -> bytes:
    stream = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        mastery_model.export(catalogue, "schemaorg", stream, **options)
    return stream.getvalue()


def terms(node, found=None):
    found = found if found is not None else (set(), set())
    if isinstance(node, dict):
        types = node.get("@type", [])
        found[0].update(types if isinstance(types, list) else [types])
        for key, value in node.items():
            if key not in KEYWORDS:
                found[1].add(key)
            terms(value, found)
    elif isinstance(node, list):
        for item in node:
            terms(item, found)
    return found


def enumeration_values(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("eventAttendanceMode", "eventStatus"):
                yield value
            yield from enumeration_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from enumeration_values(item)


def test_the_sample_uses_only_schema_org_terms():
    markup = orjson.loads(export(SAMPLE))
    assert markup["@context"] == "https://schema.org"
    types, properties = terms(markup)
    known_types, known_properties = vocabulary()
    assert types <= known_types
    assert properties <= known_properties
    assert markup["@type"] == "EducationEvent"
    assert markup["startDate"] == "2024-10-15"
    assert markup["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert [organizer["name"] for organizer in markup["organizer"]] == ["MASTERY"]
    assert markup["superEvent"]["name"] == "Erasmus Days"
    assert len(markup["subEvent"]) == 5


@given(catalogues())
def test_every_type_and_property_written_exists_in_schema_org(catalogue):
    markup = orjson.loads(export(catalogue))
    types, properties = terms(markup)
    known_types, known_properties = vocabulary()
    assert types <= known_types
    assert properties <= known_properties
    for value in enumeration_values(markup):
        assert value.removeprefix("https://schema.org/") in known_types
    assert misplaced(markup) == set()


def test_a_property_on_a_type_schema_org_does_not_define_it_for_is_found():
    assert misplaced({"@type": "EducationEvent", "dateModified": "2024-01-01", "name": "x"}) == {
        "EducationEvent.dateModified"
    }


def test_a_missing_location_is_named_in_a_warning_and_never_invented():
    with pytest.warns(ExportWarning, match="no location"):
        mastery_model.export(SAMPLE, "schemaorg", io.BytesIO())
    assert "location" not in orjson.loads(export(SAMPLE))


def test_a_timed_online_event_with_its_url_meets_the_requirements():
    madrid = datetime(2024, 10, 15, 8, tzinfo=UTC)
    event = attrs.evolve(
        SAMPLE.events[0],
        start=madrid,
        end=madrid.replace(hour=10),
        time_zone=None,
        locations=(VirtualLocation("https://meet.example.org/webinar", "Zoom"),),
        attendance_mode=AttendanceMode.ONLINE,
    )
    catalogue = attrs.evolve(SAMPLE, events=(event,))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExportWarning)
        markup = orjson.loads(export(catalogue))
    assert markup["startDate"] == "2024-10-15T08:00:00+00:00"  # with its UTC offset
    assert markup["location"] == [
        {"@type": "VirtualLocation", "url": "https://meet.example.org/webinar", "name": "Zoom"}
    ]


@given(
    st.lists(
        unicode_text | st.sampled_from(["</script>", "<!--", "-->", "</SCRIPT >", "&amp;", "\u2028"]),
        min_size=1,
        max_size=4,
    ).map("".join)
)
def test_the_html_snippet_is_safe_whatever_the_text(hostile):
    event = attrs.evolve(SAMPLE.events[0], name=Text.of(hostile, "en"), description=Text.of(hostile + "<b>", "en"))
    snippet = export(attrs.evolve(SAMPLE, events=(event,)), html="yes").decode()
    assert snippet.startswith('<script type="application/ld+json">\n')
    assert snippet.endswith("\n</script>\n")
    inner = snippet.removeprefix('<script type="application/ld+json">\n').removesuffix("\n</script>\n")
    assert "<" not in inner
    assert ">" not in inner
    assert "&" not in inner
    assert orjson.loads(inner)["name"] == as_html(hostile)  # text that reads as HTML is escaped


def test_the_language_option_picks_the_text():
    event = attrs.evolve(SAMPLE.events[0], name=Text({"en": "Greening", "es": "Enverdecer"}))
    catalogue = attrs.evolve(SAMPLE, events=(event,))
    assert orjson.loads(export(catalogue, language="es"))["name"] == "Enverdecer"
    assert orjson.loads(export(catalogue))["name"] == "Greening"


def test_the_jsonld_exporter_writes_the_canonical_document_and_it_loads_back():
    stream = io.BytesIO()
    mastery_model.export(SAMPLE, "jsonld", stream)
    assert stream.getvalue() == mastery_model.dumps(SAMPLE)
    assert mastery_model.loads(stream.getvalue()) == SAMPLE


@given(catalogues())
def test_both_canonical_exporters_round_trip(catalogue):
    document, lines = io.BytesIO(), io.BytesIO()
    mastery_model.export(catalogue, "jsonld", document)
    mastery_model.export(catalogue, "jsonl", lines)
    assert mastery_model.loads(document.getvalue()) == catalogue
    assert mastery_model.loads(lines.getvalue(), lines=True).events == catalogue.events


@given(catalogues())
def test_the_html_snippet_of_any_catalogue_hides_no_markup_and_says_the_same(catalogue):
    snippet = export(catalogue, html="yes").decode()
    inner = snippet.removeprefix('<script type="application/ld+json">\n').removesuffix("\n</script>\n")
    assert not {"<", ">", "&"} & set(inner)
    assert orjson.loads(inner) == orjson.loads(export(catalogue))


def _as_markup_carries(catalogue: mastery_model.Catalogue) -> mastery_model.Catalogue:
    """The catalogue as markup carries it: each field the format leaves out at its default, a
    contribution's role as the reader takes a performer's (speaker, each performer once), texts in their default
    language only (markup writes one; the reader takes a text without a language as undetermined),
    and only the people, organisations and campaigns the events lead to."""
    leaves_out = set(plugins.installed().exporter("schemaorg").leaves_out)

    def carried(value):
        if isinstance(value, Text):
            return Text.of(value.get(None), "und")
        if isinstance(value, tuple):  # a performer named twice (in two roles) is one performer
            return tuple(dict.fromkeys(carried(item) for item in value))
        if not attrs.has(type(value)):
            return value
        changes = {}
        for field in attrs.fields(type(value)):
            if f"{type(value).__name__}.{field.name}" in leaves_out:
                changes[field.name] = Role.SPEAKER if isinstance(value, Contribution) else field.default
            else:
                changes[field.name] = carried(getattr(value, field.name))
        return type(value)(**changes)

    entities = {entity.id: entity for entity in (*catalogue.people, *catalogue.organisations, *catalogue.campaigns)}
    reached, waiting = set(), set(mastery_model.vocabulary.referred_ids(catalogue.events))
    while waiting:
        reached |= waiting
        waiting = set(mastery_model.vocabulary.referred_ids(entities[i] for i in waiting)) - reached
    return carried(
        attrs.evolve(
            catalogue,
            people=tuple(p for p in catalogue.people if p.id in reached),
            organisations=tuple(o for o in catalogue.organisations if o.id in reached),
            campaigns=tuple(c for c in catalogue.campaigns if c.id in reached),
        )
    )


@settings(max_examples=15, deadline=None)
@given(catalogues())
def test_markup_reads_back_as_what_it_carries(catalogue):
    """The writer and the reader follow one mapping: what markup carries comes back, each field
    where it was (topics as topics, an organisation's country from its address, an audience from
    its Audience node)."""
    read = mastery_model.importing.read(export(catalogue), format="schemaorg")
    expected = _as_markup_carries(catalogue)
    assert read.events == expected.events
    for collection in ("people", "organisations", "campaigns"):
        assert sorted(getattr(read, collection), key=lambda e: e.id) == sorted(
            getattr(expected, collection), key=lambda e: e.id
        ), collection
