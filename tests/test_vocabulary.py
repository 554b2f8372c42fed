"""The JSON-LD context: the schema.org terms it maps to exist, and it is a protected JSON-LD 1.1 context.

The schema.org vocabulary is the shared fixture ``schemaorg/schemaorg-current-https.jsonld`` (a
release of schema.org's own data file); nothing is fetched from the network.
"""

from __future__ import annotations

import functools
import json
from typing import Any, NamedTuple

import pytest
from pyld import jsonld
from support import fixture_path

from mastery_model import schemas

SCHEMA_ORG = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
CONTEXT = schemas.context()["@context"]


class Mapping(NamedTuple):
    """One schema.org IRI the context maps a term to."""

    where: str  # the term, or "property/value" for a value of an enumeration
    iri: str  # compact, as the vocabulary file names its nodes: "schema:Event"
    role: str  # "class", "property" or "member" (of an enumeration)
    property: str | None  # for a member: the compact IRI of the property it is a value of


def expand(value: str, context: dict[str, Any]) -> str:
    """A term's IRI, with a prefix the context defines expanded."""
    prefix, colon, suffix = value.partition(":")
    if colon and not suffix.startswith("//") and isinstance(context.get(prefix), str):
        return context[prefix] + suffix
    return value


def compact(iri: str) -> str | None:
    """``schema:X`` for a schema.org IRI, else None."""
    return "schema:" + iri.removeprefix(SCHEMA_ORG) if iri.startswith(SCHEMA_ORG) else None


def is_prefix(term: str, value: Any) -> bool:
    return isinstance(value, str) and value.endswith(("/", "#")) and ":" not in term


def schema_org_mappings(context: dict[str, Any]) -> list[Mapping]:
    found: list[Mapping] = []
    for term, value in context.items():
        if term.startswith("@") or is_prefix(term, value):
            continue
        definition = {"@id": value} if isinstance(value, str) else value
        iri = compact(expand(definition.get("@id", ""), context))
        if iri is not None:
            found.append(Mapping(term, iri, "class" if term[:1].isupper() else "property", None))
        for name, member in definition.get("@context", {}).items():
            if name.startswith("@"):
                continue
            member_iri = compact(expand(member if isinstance(member, str) else member.get("@id", ""), context))
            if member_iri is not None:
                found.append(Mapping(f"{term}/{name}", member_iri, "member", iri))
    return found


MAPPINGS = schema_org_mappings(CONTEXT)
MAPPING_PARAMS = [pytest.param(mapping, id=mapping.where) for mapping in MAPPINGS]


@functools.cache
def vocabulary_file() -> dict[str, Any]:
    path = fixture_path("schemaorg/schemaorg-current-https.jsonld")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def vocabulary() -> dict[str, dict[str, Any]]:
    """schema.org's nodes by their compact id (``schema:Event``)."""
    data = vocabulary_file()
    assert data["@context"]["schema"] == SCHEMA_ORG  # so "schema:X" in the file is https://schema.org/X
    return {node["@id"]: node for node in data["@graph"]}


def ids(value: Any) -> set[str]:
    """The ids in a vocabulary value: "x", {"@id": "x"} or a list of them."""
    items = value if isinstance(value, list) else [value]
    return {item["@id"] if isinstance(item, dict) else item for item in items if item is not None}


# -- which terms are collected -----------------------------------------------------------------


def test_the_collection_finds_classes_properties_and_enumeration_values() -> None:
    found = {(mapping.where, mapping.iri) for mapping in MAPPINGS}
    assert ("EducationEvent", "schema:EducationEvent") in found
    assert ("name", "schema:name") in found
    assert ("startTime", "schema:startDate") in found
    assert ("eventStatus/cancelled", "schema:EventCancelled") in found
    assert ("eventAttendanceMode/in-person", "schema:OfflineEventAttendanceMode") in found
    assert len(MAPPINGS) >= 60


def test_the_collection_expands_full_iris_and_prefixes() -> None:
    context = {
        "schema": SCHEMA_ORG,
        "s": SCHEMA_ORG,
        "mm": "https://w3id.org/mastery-model/vocab#",
        "A": "https://schema.org/Thing",
        "b": {"@id": "s:about"},
        "c": "mm:c",
        "d": {"@id": "mm:d", "@type": "@vocab", "@context": {"x": "https://schema.org/X", "y": "mm:Y"}},
    }
    assert schema_org_mappings(context) == [
        Mapping("A", "schema:Thing", "class", None),
        Mapping("b", "schema:about", "property", None),
        Mapping("d/x", "schema:X", "member", None),
    ]


def test_no_term_maps_to_http_schema_org() -> None:
    """The context and the vocabulary file both use https://schema.org/; http would be another IRI."""
    text = json.dumps(CONTEXT)
    assert "http://schema.org" not in text
    assert CONTEXT["schema"] == SCHEMA_ORG


# -- each IRI exists in schema.org, with the right kind ----------------------------------------


@pytest.mark.parametrize("mapping", MAPPING_PARAMS)
def test_the_iri_exists_in_schema_org(mapping: Mapping, vocabulary: dict[str, dict[str, Any]]) -> None:
    assert mapping.iri in vocabulary, f"{mapping.where} maps to {mapping.iri}, which schema.org does not define"


@pytest.mark.parametrize("mapping", MAPPING_PARAMS)
def test_the_iri_is_not_superseded(mapping: Mapping, vocabulary: dict[str, dict[str, Any]]) -> None:
    node = vocabulary.get(mapping.iri, {})
    assert "schema:supersededBy" not in node, f"{mapping.iri} is superseded by {node.get('schema:supersededBy')}"


@pytest.mark.parametrize("mapping", MAPPING_PARAMS)
def test_the_iri_is_of_the_right_kind(mapping: Mapping, vocabulary: dict[str, dict[str, Any]]) -> None:
    node = vocabulary.get(mapping.iri)
    assert node is not None, mapping.iri
    types = ids(node.get("@type"))
    if mapping.role == "class":
        assert "rdfs:Class" in types, f"{mapping.where} is used as a @type but {mapping.iri} is not a class"
    elif mapping.role == "property":
        assert "rdf:Property" in types, f"{mapping.where} is used as a property but {mapping.iri} is not one"
    else:
        assert mapping.property is not None
        ranges = ids(vocabulary[mapping.property].get("schema:rangeIncludes"))
        assert types & ranges, f"{mapping.iri} ({types}) is not a value {mapping.property} takes ({ranges})"


# -- the context itself ------------------------------------------------------------------------


def test_the_context_is_protected_json_ld_1_1() -> None:
    assert CONTEXT["@protected"] is True
    assert CONTEXT["@version"] == 1.1
    assert isinstance(CONTEXT["@version"], float)  # JSON-LD wants the number 1.1, not a string


@pytest.mark.parametrize(
    ("term", "iri", "datatype"),
    [
        ("startDate", "schema:startDate", "xsd:date"),
        ("endDate", "schema:endDate", "xsd:date"),
        ("startTime", "schema:startDate", "xsd:dateTime"),
        ("endTime", "schema:endDate", "xsd:dateTime"),
    ],
)
def test_dates_and_date_times_map_to_the_same_property_with_their_own_type(term: str, iri: str, datatype: str) -> None:
    assert CONTEXT[term]["@id"] == iri
    assert CONTEXT[term]["@type"] == datatype
    assert CONTEXT["xsd"] == XSD


# -- what a JSON-LD processor makes of it (pyld, offline) --------------------------------------


def load_only_our_context(url: str, options: Any = None) -> dict[str, Any]:
    if url != schemas.CONTEXT_IRI:
        raise AssertionError(f"the test tried to load {url}")
    return {"contextUrl": None, "documentUrl": url, "document": schemas.context()}


def expanded(document: dict[str, Any]) -> dict[str, Any]:
    result: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": load_only_our_context})
    assert len(result) == 1
    return result[0]


def test_a_processor_types_dates_and_date_times() -> None:
    node = expanded(
        {
            "@context": schemas.CONTEXT_IRI,
            "@type": "EducationEvent",
            "name": {"en": "Greening the Future"},
            "startDate": "2024-10-15",
            "endTime": "2024-10-15T12:00:00Z",
        }
    )
    assert node["@type"] == [SCHEMA_ORG + "EducationEvent"]
    assert node[SCHEMA_ORG + "startDate"] == [{"@type": XSD + "date", "@value": "2024-10-15"}]
    assert node[SCHEMA_ORG + "endDate"] == [{"@type": XSD + "dateTime", "@value": "2024-10-15T12:00:00Z"}]
    assert node[SCHEMA_ORG + "name"] == [{"@language": "en", "@value": "Greening the Future"}]


def test_a_processor_maps_enumeration_values_to_schema_org() -> None:
    node = expanded(
        {
            "@context": schemas.CONTEXT_IRI,
            "@type": "EducationEvent",
            "eventStatus": "moved-online",
            "eventAttendanceMode": "mixed",
        }
    )
    assert node[SCHEMA_ORG + "eventStatus"] == [{"@id": SCHEMA_ORG + "EventMovedOnline"}]
    assert node[SCHEMA_ORG + "eventAttendanceMode"] == [{"@id": SCHEMA_ORG + "MixedEventAttendanceMode"}]


def test_a_processor_refuses_to_redefine_a_protected_term() -> None:
    document = {
        "@context": [schemas.CONTEXT_IRI, {"name": "https://example.org/name"}],
        "@type": "EducationEvent",
        "name": "Greening the Future",
    }
    with pytest.raises(jsonld.JsonLdError) as caught:
        jsonld.expand(document, {"documentLoader": load_only_our_context})
    assert "protected term redefinition" in str(caught.value)
