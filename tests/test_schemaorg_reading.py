"""Reading schema.org markup as the web writes it: schema.org's own context and classes (release
30.0), generator-style markup, HTML in texts, HTML pages, the one warning of what is left out, the
zone rule, and schema.org's 35 Event examples."""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonld import shipped_contexts_only
from pyld import jsonld as pyld
from schemaorg_release import module_text
from strategies import catalogues
from support import ROOT, fixture_path, unavailable

import mastery_model
from mastery_model import Catalogue, ExportWarning, InvalidDocument, ReadWarning, vocabulary
from mastery_model.builtin.schemaorg import mapping, reading, release
from mastery_model.importing import choose_importer
from mastery_model.importing import read as read_bytes
from mastery_model.model import Text, walk_sessions

PACKAGE = ROOT / "src" / "mastery_model" / "builtin" / "schemaorg"
CONTEXT_FILE = PACKAGE / reading.SCHEMA_ORG_CONTEXT_FILE
ZONE = {"time-zone": "America/New_York"}


def read(document: Any, **options: str) -> Catalogue:
    return read_bytes(orjson.dumps(document), format="schemaorg", **options)


def read_warned(data: bytes, **options: str) -> tuple[Catalogue, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        catalogue = read_bytes(data, format="schemaorg", **options)
    return catalogue, [str(warning.message) for warning in caught if issubclass(warning.category, ReadWarning)]


def markup_of(catalogue: Catalogue, **options: str) -> bytes:
    stream = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        mastery_model.export(catalogue, "schemaorg", stream, **options)
    return stream.getvalue()


# what the package ships of schema.org 30.0


def test_the_shipped_context_is_schema_org_s_30_0_context_byte_for_byte():
    assert CONTEXT_FILE.read_bytes() == fixture_path("schemaorg/schemaorgcontext.jsonld").read_bytes()


def test_the_classes_module_is_what_the_30_0_vocabulary_gives():
    vocabulary_file = fixture_path("schemaorg/schemaorg-current-https.jsonld")
    assert (PACKAGE / "release.py").read_text(encoding="utf-8") == module_text(vocabulary_file, "30.0")


def test_every_kind_of_event_is_an_event_and_an_instantaneous_event_is_none():
    assert {"Event", "EducationEvent", "BusinessEvent", "ConferenceEvent", "PerformingArtsEvent"} <= release.EVENT_TYPES
    assert {"UserInteraction", "UserComments", "UserLikes", "CourseInstance"} <= release.EVENT_TYPES
    assert "InstantaneousEvent" not in release.EVENT_TYPES
    assert len(release.EVENT_TYPES) == 36
    assert release.ORGANISATION_TYPES["CollegeOrUniversity"] == "EducationalOrganization"
    assert release.ORGANISATION_TYPES["ResearchProject"] == "Project"
    document = {"@context": "https://schema.org", "@type": "InstantaneousEvent", "name": "x", "startDate": "2025-11-11"}
    with pytest.raises(InvalidDocument, match="no event in the document"):
        read(document)
    (event,) = read({**document, "@type": "ConferenceEvent"}).events
    assert str(event.name) == "x"


@pytest.mark.parametrize("iri", sorted(reading.SCHEMA_ORG_CONTEXT_IRIS))
def test_each_address_of_schema_org_s_context_is_served_offline(iri):
    document = {"@context": iri, "type": "Event", "id": "https://example.org/e", "name": "x", "startDate": "2024-10-15"}
    (event,) = read(document).events
    assert event.id == "https://example.org/e"


def test_schema_org_s_aliases_prefix_and_typed_terms_are_understood():
    document = {
        "@context": "https://schema.org",
        "id": "https://example.org/e",
        "type": "schema:EducationEvent",
        "schema:name": "Opening",
        "startDate": "2024-10-15T10:00:00+02:00",
        "url": "https://example.org/opening",
        "organizer": {"type": "Organization", "id": "https://example.org/o", "name": "Org"},
    }
    catalogue = read(document)
    (event,) = catalogue.events
    assert (event.id, str(event.name), event.url) == ("https://example.org/e", "Opening", "https://example.org/opening")
    assert event.start.isoformat() == "2024-10-15T10:00:00+02:00"
    assert [str(o.name) for o in catalogue.organisations] == ["Org"]


# markup in the shapes other tools give it


@functools.cache
def shape_seeds() -> tuple[bytes, ...]:
    """Markup of the sample and of a generated catalogue (with times, places, people, documents)."""
    from benchmarks.catalogue import generate

    generated = mastery_model.loads(orjson.dumps(generate(30, events=2)))
    return markup_of(mastery_model.sample()), markup_of(generated)


def canonical(data: bytes | Any) -> bytes:
    catalogue = read_bytes(data if isinstance(data, bytes) else orjson.dumps(data), format="schemaorg")
    return mastery_model.dumps(catalogue)


def test_markup_compacted_flattened_and_expanded_by_pyld_reads_the_same():
    options = {"documentLoader": reading._document_loader}
    for seed in shape_seeds():
        original = canonical(seed)
        document = orjson.loads(seed)
        shapes = {
            "compacted": pyld.compact(document, "https://schema.org", options),
            "flattened": pyld.flatten(document, None, options),
            "flattened and compacted": pyld.flatten(document, "https://schema.org", options),
            "expanded": pyld.expand(document, options),
        }
        for name, shape in shapes.items():
            assert canonical(shape) == original, name


NODE_FOLDER = ROOT / "tests" / "node"


def _jsonld_js(documents: list[Any]) -> list[dict[str, Any]]:
    """The shapes jsonld.js gives each document, in one run of Node (tests/node/shapes.js)."""
    node = shutil.which("node")
    if node is None or not (NODE_FOLDER / "node_modules" / "jsonld").is_dir():
        unavailable("Node and jsonld.js (make test installs them: npm ci in tests/node)")
    result = subprocess.run(
        [node, str(NODE_FOLDER / "shapes.js"), str(CONTEXT_FILE)],
        input=orjson.dumps({"documents": documents}),
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    shapes: list[dict[str, Any]] = json.loads(result.stdout)
    return shapes


def test_markup_in_the_shapes_jsonld_js_gives_it_reads_the_same():
    seeds = shape_seeds()
    generator_style = orjson.dumps(GENERATOR_STYLE)
    documents = [orjson.loads(seed) for seed in (*seeds, generator_style)]
    all_shapes = _jsonld_js(documents)
    for seed, shapes in zip((*seeds, generator_style), all_shapes, strict=True):
        original = (
            canonical(seed) if seed is not generator_style else mastery_model.dumps(read(GENERATOR_STYLE, **ZONE))
        )
        assert set(shapes) == {"compacted", "flattened", "flattenedCompacted", "expanded"}
        for name, shape in shapes.items():
            if seed is generator_style:
                got = mastery_model.dumps(read_bytes(orjson.dumps(shape), format="schemaorg", **ZONE))
            else:
                got = canonical(shape)
            assert got == original, name
    # the compacted shape names schema.org's aliases and context: what failed before it was served
    assert all_shapes[0]["compacted"]["type"] == "EducationEvent"


def test_the_flattened_canonical_document_still_reads_to_the_same_model():
    sample = orjson.loads(mastery_model.dumps(mastery_model.sample()))
    flat = pyld.flatten(sample, None, {"documentLoader": shipped_contexts_only})
    assert read(flat).events == mastery_model.sample().events


# generator-style markup (as WordPress event plugins write it)

GENERATOR_STYLE: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "Event",
    "name": "Green skills in VET",
    "description": "<p>An afternoon on <strong>green skills</strong>.</p>",
    "startDate": "2025-03-04T14:00",
    "endDate": "2025-03-04T17:00",
    "eventStatus": "https://schema.org/EventScheduled",
    "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
    "organizer": "VET Network Berlin",
    "performer": {"@type": "Person", "name": "Ada Lovelace", "affiliation": "Analytical Society"},
    "location": {"@type": "Place", "name": "Haus der Kulturen", "address": "John-Foster-Dulles-Allee 10, Berlin"},
    "offers": {"@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": "https://example.org/tickets"},
    "image": ["https://example.org/poster.jpg"],
}


def test_generator_style_markup_loads_with_its_zone_given():
    catalogue, said = read_warned(orjson.dumps(GENERATOR_STYLE), **{"time-zone": "Europe/Berlin"})
    (event,) = catalogue.events
    assert event.start.isoformat() == "2025-03-04T14:00:00+01:00"
    assert event.time_zone == "Europe/Berlin"
    assert str(event.description) == "An afternoon on green skills."
    (place,) = event.locations
    assert (str(place.name), place.address.street) == ("Haus der Kulturen", "John-Foster-Dulles-Allee 10, Berlin")
    (organiser,) = (o for o in catalogue.organisations if o.id in event.organisers)
    assert str(organiser.name) == "VET Network Berlin"
    # the event's performer is kept, as a person affiliated to the organisation named by text, and
    # is the event's contributor: a speaker (markup gives no role)
    (person,) = catalogue.people
    assert person.name == "Ada Lovelace"
    assert event.contributions == (mastery_model.Contribution(person.id, mastery_model.Role.SPEAKER),)
    assert event.image == "https://example.org/poster.jpg"
    (affiliation,) = (o for o in catalogue.organisations if o.id in person.affiliations)
    assert str(affiliation.name) == "Analytical Society"
    assert said == [
        "schemaorg: leaves out what the model has no place for (how many): offers (1)",
        "schemaorg: 1 text held HTML, read as plain text "
        "(paragraphs and list items on lines of their own, each link followed by its address)",
        "schemaorg: 2 date-times without a UTC offset or a timeZone read as Europe/Berlin time, "
        "the zone of the option time-zone",
    ]


def test_the_same_name_given_as_text_twice_is_one_organisation():
    document = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Event", "name": "A", "startDate": "2025-03-04", "organizer": "Org"},
            {"@type": "Event", "name": "B", "startDate": "2025-03-05", "organizer": ["Org", "Other"]},
        ],
    }
    catalogue = read(document)
    assert sorted(str(o.name) for o in catalogue.organisations) == ["Org", "Other"]


def test_a_session_performer_given_as_text_is_a_speaker():
    document = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "A",
        "startDate": "2025-03-04",
        "subEvent": {"@type": "Event", "name": "Talk", "startDate": "2025-03-04", "performer": "Grace Hopper"},
    }
    catalogue = read(document)
    (session,) = catalogue.events[0].sessions
    (contribution,) = session.contributions
    assert [p.name for p in catalogue.people if p.id == contribution.contributor] == ["Grace Hopper"]
    assert contribution.role.value == "speaker"


# the zone rule: a time without an offset is placed by the markup's timeZone or the option, never guessed


def test_a_time_without_offset_and_no_zone_is_refused_naming_the_option():
    with pytest.raises(InvalidDocument) as raised:
        read(GENERATOR_STYLE)
    found = [problem.message for problem in raised.value.report]
    assert len(found) == 2  # the start and the end
    assert all("no UTC offset" in message or "without a UTC offset" in message for message in found)
    assert all("--input-option time-zone=" in message for message in found)


def test_the_zone_option_is_for_times_without_offset_only():
    document = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "x",
        "startDate": "2024-07-01T10:00:00-07:00",
    }
    (event,) = read(document, **ZONE).events
    assert event.start.isoformat() == "2024-07-01T10:00:00-07:00"
    assert event.time_zone is None


def test_the_zone_option_reaches_the_reader_from_the_command_line(tmp_path):
    from mastery_model.cli import main

    path = tmp_path / "event.jsonld"
    path.write_bytes(orjson.dumps(GENERATOR_STYLE))
    assert main(["validate", str(path), "--input-option", "time-zone=Europe/Berlin"]) == 0
    assert main(["validate", str(path)]) == 1


# what is left out: one warning, counted, from the mapping's declaration of what the reader reads


def test_what_the_model_has_no_place_for_is_one_warning_with_counts():
    events = [
        {**GENERATOR_STYLE, "@id": f"https://example.org/e{index}", "startDate": "2025-03-04T14:00:00+01:00"}
        for index in range(3)
    ]
    for event in events:
        del event["endDate"]
    document = {"@context": "https://schema.org", "@graph": events}
    _catalogue, said = read_warned(orjson.dumps(document))
    (left_out,) = [message for message in said if "leaves out" in message]
    assert left_out == ("schemaorg: leaves out what the model has no place for (how many): offers (3)")


def test_the_library_s_own_markup_reads_with_nothing_left_out():
    for seed in shape_seeds():
        _catalogue, said = read_warned(seed)
        assert said == []


def test_what_the_reader_reads_is_the_mapping_s_declaration():
    read_for_events = mapping.read_properties(mastery_model.Event)
    assert {"name", "startDate", "location", "organizer", "subEvent", "superEvent", "about", "keywords"} <= (
        read_for_events
    )
    assert {"performer", "image"} <= read_for_events  # an event's contributions and its image
    assert "offers" not in read_for_events
    assert "superEvent" in mapping.read_properties(mastery_model.Session)


# HTML in every text the reader fills

HTML = "<p>A &amp; <b>B</b></p>"
PLAIN = "A & B"


def _html_everywhere() -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "EducationEvent",
        "@id": "https://example.org/e",
        "name": HTML,
        "description": HTML,
        "keywords": HTML,
        "startDate": "2024-10-15",
        "location": [
            {
                "@type": "Place",
                "name": HTML,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": HTML,
                    "addressLocality": HTML,
                    "addressRegion": HTML,
                },
            },
            {"@type": "VirtualLocation", "url": "https://meet.example.org/x", "name": HTML},
        ],
        "organizer": {"@type": "Organization", "@id": "https://example.org/o", "name": HTML, "alternateName": HTML},
        "superEvent": {"@type": "EventSeries", "@id": "https://example.org/c", "name": HTML},
        "subEvent": {
            "@type": "EducationEvent",
            "@id": "https://example.org/s",
            "name": HTML,
            "description": HTML,
            "startDate": "2024-10-15",
            "performer": {
                "@type": "Person",
                "@id": "https://example.org/p",
                "name": HTML,
                "givenName": HTML,
                "familyName": HTML,
                "jobTitle": HTML,
            },
            "workFeatured": {"@type": "PresentationDigitalDocument", "@id": "https://example.org/d", "name": HTML},
            "https://w3id.org/mastery-model/vocab#recommendation": {
                "@id": "https://example.org/r",
                "text": HTML,
                "position": 1,
            },
        },
    }


def _text_fields() -> set[str]:
    """Every field of prose the reader fills from markup (a text, or a plain string that is no code)."""
    found = set()
    for cls, terms in vocabulary.TERMS.items():
        if cls is Catalogue:
            continue
        for term in terms:
            kind = vocabulary.value_type(cls, term.field)
            if mapping.carriage(cls, term.field) is None:
                continue
            if kind is Text or (kind is str and not term.refers_to and term.field not in reading._CODED):
                found.add(f"{cls.__name__}.{term.field}")
    return found


def test_html_in_every_text_the_reader_fills_becomes_plain_text():
    catalogue, said = read_warned(orjson.dumps(_html_everywhere()))
    (event,) = catalogue.events
    (session,) = event.sessions
    place, online = event.locations
    (person,) = catalogue.people
    (organisation,) = catalogue.organisations
    (campaign,) = catalogue.campaigns
    (document,) = session.documents
    (recommendation,) = session.recommendations
    values = {
        "Event.name": event.name,
        "Event.description": event.description,
        "Event.keywords": event.keywords[0],
        "Session.name": session.name,
        "Session.description": session.description,
        "Place.name": place.name,
        "Address.street": place.address.street,
        "Address.locality": place.address.locality,
        "Address.region": place.address.region,
        "VirtualLocation.platform": online.platform,
        "Organisation.name": organisation.name,
        "Organisation.acronym": organisation.acronym,
        "Campaign.name": campaign.name,
        "Person.name": person.name,
        "Person.given_name": person.given_name,
        "Person.family_name": person.family_name,
        "Person.job_title": person.job_title,
        "Document.name": document.name,
        "Recommendation.text": recommendation.text,
    }
    assert set(values) == _text_fields()
    assert {name: str(value) for name, value in values.items()} == dict.fromkeys(values, PLAIN)
    assert f"schemaorg: {len(values)} texts held HTML, read as plain text" in said[-1]


def test_a_text_that_is_only_markup_is_no_text():
    document = {"@context": "https://schema.org", "@type": "Event", "name": "x", "description": "<p></p>"}
    (event,) = read({**document, "startDate": "2024-10-15"}).events
    assert event.description is None


# HTML pages


def test_the_html_snippet_and_a_full_page_holding_it_read_back_as_the_markup():
    for seed, catalogue in zip(shape_seeds(), (mastery_model.sample(), None), strict=False):
        if catalogue is None:
            continue
        snippet = markup_of(catalogue, html="yes")
        page = (
            b"<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Webinar</title>\n"
            b"<script>var closing = '</div>';</script>\n" + snippet + b"</head>\n<body><p>Welcome</p></body></html>\n"
        )
        assert choose_importer(snippet, ".html", None).name == "schemaorg"
        assert choose_importer(page, ".html", None).name == "schemaorg"
        assert canonical(snippet) == canonical(seed) == canonical(page)


def test_the_html_snippet_of_any_catalogue_reads_back_as_its_markup():
    @settings(max_examples=10, deadline=None)
    @given(catalogues(max_events=1))
    def check(catalogue):
        if any(e.time_zone or any(s.time_zone for s in walk_sessions(e.sessions)) for e in catalogue.events):
            return  # markup keeps offsets, not zones: the times then need the option, tested elsewhere
        assert canonical(markup_of(catalogue, html="yes")) == canonical(markup_of(catalogue))

    check()


def test_several_blocks_of_a_page_are_one_graph_each_with_its_own_blank_nodes():
    first = {"@context": "https://schema.org", "@type": "Event", "name": "A", "startDate": "2025-03-04"}
    second = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Site"},
            {"@type": "Event", "name": "B", "startDate": "2025-03-05", "organizer": {"@id": "https://example.org/o"}},
        ],
    }
    third = [{"@context": "https://schema.org", "@id": "https://example.org/o", "@type": "NGO", "name": "Org"}]
    blocks = "".join(
        f'<script type="application/ld+json">{json.dumps(block)}</script>\n' for block in (first, second, third)
    )
    page = f"<!doctype html><html><head>{blocks}</head><body></body></html>".encode()
    catalogue = read_bytes(page, format="schemaorg")
    assert sorted(str(event.name) for event in catalogue.events) == ["A", "B"]
    assert [(str(o.name), o.kind.value) for o in catalogue.organisations] == [("Org", "ngo")]


def test_a_block_that_is_no_json_is_named_with_its_line():
    page = b'<!doctype html>\n<html>\n<head>\n<script type="application/ld+json">\n{"@type": "Event",\n</script>'
    with pytest.raises(InvalidDocument) as raised:
        read_bytes(page, format="schemaorg")
    (problem,) = raised.value.report
    assert problem.message.startswith('the <script type="application/ld+json"> element 1 (line 4 of the page): ')


def test_a_page_without_json_ld_is_a_problem_naming_what_it_lacks():
    with pytest.raises(InvalidDocument, match="holds no JSON-LD"):
        read_bytes(b"<!doctype html><html><script>var x = 1;</script></html>", format="schemaorg")


# schema.org's own Event examples

EXAMPLES = "schemaorg/examples-events"
#: The examples that describe no event the model can take, and why.
WITHOUT_AN_EVENT = {
    "eg-0172.jsonld": "no event in the document",  # a Place and an Offer: the event is in the page's microdata
    "eg-4527.jsonld": "no event in the document",  # an InstantaneousEvent, which is no Event in 30.0
}
WITHOUT_A_NAME = {  # events (broadcasts, releases, concerts, a series' part) that have no name
    "eg-0009.jsonld": 2,
    "eg-0166.jsonld": 2,
    "eg-0167.jsonld": 2,
    "eg-0313.jsonld": 1,
    "eg-0391.jsonld": 2,
}
#: The examples that load only once the zone of their times (written without an offset) is given.
NEED_A_ZONE = {
    "eg-0012.jsonld",
    "eg-0171.jsonld",
    "eg-0173.jsonld",
    "eg-0174.jsonld",
    "eg-0189.jsonld",
    "eg-0190.jsonld",
    "eg-0201.jsonld",
    "eg-0202.jsonld",
    "eg-0426.jsonld",
    "eg-0444.jsonld",
    "eg-0461.jsonld",
}


def test_schema_org_s_event_examples_load_or_name_what_the_model_lacks():
    folder = fixture_path(EXAMPLES)
    paths = sorted(folder.glob("*.jsonld"))
    assert len(paths) == 35
    loaded, refused = set(), {}
    for path in paths:
        assert choose_importer(path.read_bytes(), path.suffix, None).name == "schemaorg"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ReadWarning)
            report = mastery_model.validate(path, **ZONE)
            if report.ok:
                assert mastery_model.load(path, **ZONE).events
                loaded.add(path.name)
            else:
                refused[path.name] = [problem.message for problem in report]
    assert (len(loaded), len(refused)) == (28, 7)
    assert set(refused) == set(WITHOUT_AN_EVENT) | set(WITHOUT_A_NAME)
    for name, why in WITHOUT_AN_EVENT.items():
        assert [why in message for message in refused[name]] == [True]
    for name, count in WITHOUT_A_NAME.items():
        assert len(refused[name]) == count
        assert all("it has no name, and the model requires one" in message for message in refused[name])


def test_the_examples_without_offsets_name_the_option_when_no_zone_is_given():
    folder = fixture_path(EXAMPLES)
    needing = set()
    for path in sorted(folder.glob("*.jsonld")):
        if path.name in WITHOUT_AN_EVENT or path.name in WITHOUT_A_NAME:
            continue
        report = mastery_model.validate(path)
        if not report.ok:
            assert all("--input-option time-zone=" in problem.message for problem in report), path.name
            needing.add(path.name)
    assert needing == NEED_A_ZONE
    assert 28 - len(NEED_A_ZONE) == 17


# hostile pages

PAGE_PARTS = st.sampled_from(
    [
        "<!doctype html>",
        "<html>",
        "<head>",
        '<script type="application/ld+json">',
        '<script type="Application/LD+JSON; charset=utf-8">',
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        '{"@context": "https://schema.org", "@type": "Event", "name": "x", "startDate": "2024-10-15"}',
        '{"@context": "https://example.org/remote"}',
        "[",
        "]",
        "{",
        "&amp;",
        "\x00",
        "\ud7ff",
        "</SCRIPT >",
    ]
)


@settings(max_examples=int(os.environ.get("MASTERY_FUZZ_EXAMPLES", "60")), deadline=None)
@given(st.lists(PAGE_PARTS | st.text(max_size=10), max_size=12).map("".join), st.binary(max_size=8))
def test_any_page_reads_to_a_catalogue_or_to_problems(body, tail):
    data = b"<!DOCTYPE html>" + body.encode("utf-8", errors="surrogatepass") + tail
    try:
        catalogue = read_bytes(data, format="schemaorg")
    except InvalidDocument as error:
        report = error.report
    else:
        assert isinstance(catalogue, Catalogue)
        return
    assert report.problems
    assert all(problem.message for problem in report)


def test_a_page_too_large_to_hold_in_a_head_still_goes_to_the_reader():
    page = b"<!DOCTYPE html>\n<html><head>" + b"<meta name=x content=y>" * 500
    page += b'<script type="application/ld+json">' + orjson.dumps({**GENERATOR_STYLE, **ZONE_FREE}) + b"</script>"
    assert len(page) > 4096
    assert choose_importer(page, ".html", None).name == "schemaorg"
    assert read_bytes(page).events


ZONE_FREE = {"startDate": "2025-03-04T14:00:00+01:00", "endDate": "2025-03-04T17:00:00+01:00"}


def test_reading_a_page_needs_no_file_of_the_checkout():
    assert Path(reading.__file__).parent.joinpath(reading.SCHEMA_ORG_CONTEXT_FILE).is_file()


def test_an_event_s_performers_are_its_contributions_in_their_roles():
    document = {
        "@context": "https://schema.org",
        "@type": "EducationEvent",
        "@id": "https://example.org/e",
        "name": "Skills day",
        "startDate": "2025-03-04",
        "performer": [
            {"@type": "Person", "@id": "https://example.org/ada", "name": "Ada"},
            {"@type": "Role", "roleName": "moderator", "performer": {"@type": "Organization", "name": "Cedefop"}},
        ],
    }
    catalogue, said = read_warned(orjson.dumps(document))
    (event,) = catalogue.events
    (organisation,) = catalogue.organisations
    assert event.contributions == (
        mastery_model.Contribution("https://example.org/ada", mastery_model.Role.SPEAKER),
        mastery_model.Contribution(organisation.id, mastery_model.Role.MODERATOR),
    )
    assert said == []


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("https://example.org/a.png", "https://example.org/a.png"),
        (
            {"@type": "ImageObject", "contentUrl": "https://example.org/b.png", "url": "https://example.org/b"},
            "https://example.org/b.png",
        ),
        ({"@type": "ImageObject", "url": "https://example.org/c.png"}, "https://example.org/c.png"),
        (["data:image/png;base64,AAAA", "https://example.org/d.png"], "https://example.org/d.png"),
    ],
)
def test_an_event_s_image_is_a_url_or_an_image_object_s(image, expected):
    document = {"@context": "https://schema.org", "@type": "Event", "name": "x", "startDate": "2025-03-04"}
    catalogue, said = read_warned(orjson.dumps({**document, "image": image}))
    assert catalogue.events[0].image == expected
    assert said == []


def test_an_image_that_is_no_web_url_is_left_out_and_counted():
    document = {"@context": "https://schema.org", "@type": "Event", "name": "x", "startDate": "2025-03-04"}
    catalogue, said = read_warned(orjson.dumps({**document, "image": "data:image/png;base64,AAAA"}))
    assert catalogue.events[0].image is None
    assert said == ["schemaorg: leaves out what the model has no place for (how many): image (1)"]
