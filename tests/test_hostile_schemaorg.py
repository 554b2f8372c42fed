"""Hostile schema.org markup: any input reads to a catalogue or to problems, never to a crash."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import signal
import warnings
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import fixture_path, fuzz_budget, written_everywhere

import mastery_model
from mastery_model import MAX_SESSION_DEPTH, Catalogue, ExportWarning, InvalidDocument
from mastery_model.importing import read as read_bytes

CONTEXT = "https://schema.org"
EVENT = {"@type": "Event", "name": "Opening", "startDate": "2024-10-15T10:00:00+02:00"}


def read(document: Any, **options: str) -> Catalogue:
    return read_bytes(orjson.dumps(document), format="schemaorg", **options)


def problems(document: Any, **options: str) -> list[str]:
    """The problems read in a document that must not load, as text."""
    with pytest.raises(InvalidDocument) as raised:
        read(document, **options)
    found = [str(problem) for problem in raised.value.report]
    assert found
    return found


def chain(length: int, link: str = "subEvent") -> dict[str, Any]:
    """A document of ``length + 1`` events, each the session of the one before, linked by id."""
    graph: list[dict[str, Any]] = [
        {"@id": f"_:e{index}", "@type": "Event", "name": f"Event {index}", "startDate": "2024-10-15"}
        for index in range(length + 1)
    ]
    for index in range(length):
        if link == "subEvent":
            graph[index]["subEvent"] = {"@id": f"_:e{index + 1}"}
        else:
            graph[index + 1]["superEvent"] = {"@id": f"_:e{index}"}
    return {"@context": CONTEXT, "@graph": graph}


@contextlib.contextmanager
def at_most(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, when the block takes longer (where the platform has SIGALRM)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    if not hasattr(signal, "SIGALRM"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# the findings, each on its own


@pytest.mark.parametrize("zone", ["Nowhere/City", "europe/madrid", 5, 1.5, True, 0, {"@value": 3}])
def test_a_time_zone_that_is_no_iana_name_is_a_problem(zone):
    (problem,) = problems({"@context": CONTEXT, **EVENT, "timeZone": zone})
    assert "timeZone: expected an IANA time zone name" in problem
    assert "Opening" in problem


def test_a_known_time_zone_still_places_a_time_without_offset():
    event = {**EVENT, "startDate": "2024-10-15T10:00:00", "timeZone": "Europe/Madrid"}
    (read_event,) = read({"@context": CONTEXT, **event}).events
    assert read_event.start.isoformat() == "2024-10-15T10:00:00+02:00"
    assert read_event.time_zone == "Europe/Madrid"


def test_a_person_affiliated_to_itself_is_a_problem():
    """Found by validation, as in any document: the reader checks nothing validation checks."""
    person = {"@id": "_:ada", "@type": "Person", "name": "Ada", "affiliation": {"@id": "_:ada"}}
    (problem,) = problems({"@context": CONTEXT, **EVENT, "organizer": person})
    assert "/affiliation/0: expected the id of an organisation, found that of a person" in problem


def test_a_cycle_of_parent_organisations_is_named_at_each_of_them():
    first = {"@id": "https://example.org/a", "@type": "Organization", "name": "A"}
    second = {"@id": "https://example.org/b", "@type": "Organization", "name": "B"}
    first["parentOrganization"] = {"@id": second["@id"]}
    second["parentOrganization"] = {"@id": first["@id"]}
    document = {"@context": CONTEXT, "@graph": [{**EVENT, "organizer": {"@id": first["@id"]}}, first, second]}
    found = problems(document)
    assert len(found) == 2
    assert all("/parentOrganization: organisations cannot be their own ancestors" in problem for problem in found)
    assert {"found 'https://example.org/a'", "found 'https://example.org/b'"} == {
        problem[problem.index("found") :].rstrip(")") for problem in found
    }


def test_an_organisation_that_is_its_own_parent_is_a_problem():
    organisation = {"@id": "https://example.org/a", "@type": "Organization", "name": "A"}
    organisation["parentOrganization"] = {"@id": organisation["@id"]}
    (problem,) = problems({"@context": CONTEXT, **EVENT, "organizer": organisation})
    assert "/parentOrganization: organisations cannot be their own ancestors" in problem


@pytest.mark.parametrize("link", ["subEvent", "superEvent"])
def test_a_long_chain_of_sessions_is_one_problem_and_no_recursion(link):
    with at_most(10):
        (problem,) = problems(chain(1200, link))
    assert f"(Event {MAX_SESSION_DEPTH + 1})" in problem
    assert f"nests more than {MAX_SESSION_DEPTH} deep" in problem


def test_sessions_as_deep_as_the_model_allows_load():
    catalogue = read(chain(MAX_SESSION_DEPTH))
    (event,) = catalogue.events
    depth, sessions = 0, event.sessions
    while sessions:
        depth, sessions = depth + 1, sessions[0].sessions
    assert depth == MAX_SESSION_DEPTH
    assert "nests more than" in problems(chain(MAX_SESSION_DEPTH + 1))[0]


def test_an_event_that_is_its_own_session_is_a_problem():
    document = {"@context": CONTEXT, "@graph": [{**EVENT, "@id": "_:self", "subEvent": {"@id": "_:self"}}]}
    (problem,) = problems(document)
    assert "Opening" in problem
    assert "is its own session (subEvent) through itself" in problem


def test_a_cycle_of_sessions_is_named_whether_or_not_an_event_leads_to_it():
    graph = chain(3)["@graph"]
    graph[3]["subEvent"] = {"@id": "_:e1"}  # 1 -> 2 -> 3 -> 1, below the top event 0
    (problem,) = problems({"@context": CONTEXT, "@graph": graph})
    assert "is its own session (subEvent) through" in problem
    alone = chain(1)["@graph"]
    alone[1]["subEvent"] = {"@id": "_:e0"}  # 0 -> 1 -> 0, and no top event at all
    (problem,) = problems({"@context": CONTEXT, "@graph": alone})
    assert "is its own session (subEvent) through" in problem


def test_a_session_in_two_events_is_a_problem_and_a_lattice_of_them_takes_no_time():
    width, levels = 8, MAX_SESSION_DEPTH + 4
    graph: list[dict[str, Any]] = [
        {"@id": f"_:n{level}-{index}", "@type": "Event", "name": "x", "startDate": "2024-10-15"}
        for level in range(levels)
        for index in range(width)
    ]
    for node in graph:
        level = int(node["@id"][3:].split("-")[0])
        if level + 1 < levels:  # every event holds every event of the next level: width ** levels paths
            node["subEvent"] = [{"@id": f"_:n{level + 1}-{index}"} for index in range(width)]
    with at_most(10):
        found = problems({"@context": CONTEXT, "@graph": graph})
    assert any("a session has one place" in problem for problem in found)


def test_json_nested_deeper_than_any_document_is_a_problem():
    nested = '{"@value": "x"}'
    for _ in range(900):
        nested = '{"name": ' + nested + "}"
    data = ('{"@context": "https://schema.org", "@type": "Event", "about": ' + nested + "}").encode()
    with pytest.raises(InvalidDocument) as raised:
        read_bytes(data, format="schemaorg")
    (problem,) = raised.value.report
    assert "nests more than" in problem.message
    assert problem.pointer.startswith("/about/name/name")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"@included": False}, "values of @included must expand to node objects"),
        ({"@id": 5}, '"@id" value must be a string'),
        ({"@context": {"@vocab": 5}}, '"@vocab"'),
    ],
)
def test_what_json_ld_expansion_trips_over_is_a_problem(body, expected):
    (problem,) = problems({"@context": CONTEXT, **EVENT, **body})
    assert "not valid JSON-LD" in problem
    assert expected in problem


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"@context": CONTEXT, **EVENT, "timeZone": 5}, "timeZone: expected an IANA time zone name"),
        (chain(1200), "nests more than"),
        (
            {
                "@context": CONTEXT,
                **EVENT,
                "organizer": {"@id": "_:p", "@type": "Person", "name": "P", "affiliation": {"@id": "_:p"}},
            },
            "found that of a person",
        ),
    ],
)
def test_validate_names_the_findings_in_its_report(document, expected):
    report = mastery_model.validate(orjson.dumps(document), format="schemaorg", source="event.jsonld")
    (problem,) = report
    assert expected in problem.message
    assert problem.source == "event.jsonld"


# mutations of valid markup


@functools.cache
def seeds() -> tuple[bytes, ...]:
    """The schema.org Event examples, and the library's own markup of its sample."""
    folder = fixture_path("schemaorg/examples-events")
    examples = [path.read_bytes() for path in sorted(folder.glob("*.jsonld"))]
    stream = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        mastery_model.export(mastery_model.sample(), "schemaorg", stream)
    return (*examples, stream.getvalue())


HUGE = "\x00huge-number\x00"  # replaced, in the JSON text, by a number no 64-bit type holds
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**64 - 1),
    st.sampled_from([0, -1, 2**63 - 1, 2**64 - 1, -(2**63)]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["", "\x00", "\u2028\x1b[2J", "\ud7ff\ufffe", "x" * 100_000, "Nowhere/City", "Europe/Madrid"]),
    st.sampled_from(["2024-10-15", "2024-10-15T10:00:00", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["@value", "@id", "@type", "@language", "name"]), inner, max_size=3)
    ),
    max_leaves=6,
)
PROPERTIES = [
    "@id", "@type", "@context", "@graph", "@value", "@language", "@list", "@reverse", "@included", "name", "startDate",
    "endDate", "timeZone", "subEvent", "superEvent", "organizer", "performer", "affiliation", "worksFor",
    "parentOrganization", "location", "address", "identifier", "attendance", "workFeatured", "recommendation",
    "eventAttendanceMode", "eventStatus", "inLanguage", "position", "roleName", "url",
]  # fmt: skip


def containers(document: Any) -> list[Any]:
    """Every object and list in the document (walked without recursion)."""
    found, stack = [], [document]
    while stack:
        value = stack.pop()
        if isinstance(value, (dict, list)):
            found.append(value)
            stack.extend(value.values() if isinstance(value, dict) else value)
    return found


LINKS = ["subEvent", "superEvent", "affiliation", "parentOrganization", "performer", "organizer"]
ZONES = st.sampled_from(["Europe/Madrid", "UTC", "Nowhere/City", "", "Europe/Madrid\x00", "../../etc/passwd"]) | VALUES


def node_id(node: dict[str, Any], fallback: str) -> str | None:
    """The node's id, given one when it has none (None when it has one that is no string)."""
    own = node.setdefault("@id", fallback)
    return own if isinstance(own, str) else None


def mutate(data: st.DataObject, document: Any) -> Any:
    """The document with one hostile change, in place where it can be (the result to use)."""
    places = containers(document)
    if not places:
        return data.draw(VALUES)
    place = data.draw(st.sampled_from(places))
    nodes = [value for value in places if isinstance(value, dict) and ("@type" in value or "name" in value)]
    ids = [node["@id"] for node in nodes if isinstance(node.get("@id"), str)]
    keys = list(place) if isinstance(place, dict) else list(range(len(place)))
    # weighted towards what keeps the document JSON-LD, so that more of them reach the model
    actions = ["replace", "delete", "add", "huge", "same-id", "link", "link", "self", "self", "zone", "zone"]
    actions += ["nest", "id-chain", "wrap"]
    action = data.draw(st.sampled_from(actions))
    if action == "replace" and keys:
        place[data.draw(st.sampled_from(keys))] = data.draw(VALUES)
    elif action == "huge" and keys:
        place[data.draw(st.sampled_from(keys))] = HUGE
    elif action == "delete" and keys:
        del place[data.draw(st.sampled_from(keys))]
    elif action == "add" and isinstance(place, dict):
        place[data.draw(st.sampled_from(PROPERTIES))] = data.draw(VALUES)
    elif action == "same-id" and nodes and ids:
        data.draw(st.sampled_from(nodes))["@id"] = data.draw(st.sampled_from(ids))
    elif action in ("link", "self") and nodes:  # to itself, or to another: cycles of any kind
        source = data.draw(st.sampled_from(nodes))
        target = source if action == "self" else data.draw(st.sampled_from(nodes))
        target_id = node_id(target, f"_:m{len(places)}")
        if target_id is not None:
            source[data.draw(st.sampled_from(LINKS))] = {"@id": target_id}
    elif action == "zone" and nodes:
        node = data.draw(st.sampled_from([node for node in nodes if "Event" in str(node.get("@type"))] or nodes))
        node["timeZone"] = data.draw(ZONES)
        if data.draw(st.booleans()):  # a time the zone must place
            node["startDate"] = "2024-10-15T10:00:00"
    elif action == "nest" and isinstance(place, dict):  # embedded, as deep as the JSON goes
        link = data.draw(st.sampled_from([*LINKS, "location", "name"]))
        kind = data.draw(st.sampled_from(["Event", "Organization", "Person", "Place"]))
        tail: Any = {"@type": kind, "name": "end"}
        for _ in range(data.draw(st.integers(1, 160))):
            tail = {"@type": kind, "name": "x", link: tail}
        place[link] = tail
    elif action == "id-chain" and isinstance(document, dict) and nodes:  # linked by id, as long as it likes
        link = data.draw(st.sampled_from(LINKS))
        kind = data.draw(st.sampled_from(["Event", "Organization", "Person"]))
        length = data.draw(st.integers(1, 400))
        chained = [
            {"@id": f"_:c{index}", "@type": kind, "name": "x", link: {"@id": f"_:c{index + 1}"}}
            for index in range(length)
        ]
        data.draw(st.sampled_from(nodes))[link] = {"@id": "_:c0"}
        context = document.pop("@context", CONTEXT)
        document = {"@context": context, "@graph": [document, *chained]}
    elif action == "wrap" and keys:
        key = data.draw(st.sampled_from(keys))
        place[key] = data.draw(st.sampled_from([[place[key]], {"@value": place[key]}, {"@list": [place[key]]}]))
    return document


@settings(
    max_examples=fuzz_budget(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_mutated_markup_reads_to_a_catalogue_or_to_problems(data):
    document = orjson.loads(data.draw(st.sampled_from(seeds())))
    for _ in range(data.draw(st.integers(1, 3))):
        document = mutate(data, document)
    # the standard library's JSON writes nesting deeper than orjson's 255 levels, which readers must take
    text = json.dumps(document).encode().replace(json.dumps(HUGE).encode(), b"123456789012345678901234567890e12345")
    options = data.draw(st.sampled_from([{}, {"time-zone": "America/New_York"}, {"language": "en"}]))
    try:  # not through validate(), which turns a reader's crash into a report too
        catalogue = read_bytes(text, format="schemaorg", **options)
    except InvalidDocument as error:
        report = error.report
    else:
        assert isinstance(catalogue, Catalogue)
        written_everywhere(catalogue)
        return
    assert report.problems
    for problem in report:
        assert isinstance(problem.pointer, str)
        assert problem.message


def test_the_mutations_start_from_markup_that_loads():
    loaded = 0
    for seed in seeds():
        with contextlib.suppress(InvalidDocument):  # what the model lacks, named (see test_reading_jsonld)
            loaded += bool(read_bytes(seed, format="schemaorg", **{"time-zone": "America/New_York"}).events)
    assert read_bytes(seeds()[-1], format="schemaorg").events  # the library's own markup
    assert loaded > len(seeds()) // 2


PAGES = [
    '<!DOCTYPE html>\n<html><head><script type="application/ld+json">{0}</script></head></html>',
    '<script type="application/ld+json">\n{0}\n</script>\n',
    '<html><script type="application/ld+json"><!--{0}--></script><script type="application/ld+json">{0}',
    '<!doctype html><script type="application/ld+json">{0}</script><script type="application/ld+json">[{0}]</script>',
]


@settings(
    max_examples=fuzz_budget(30),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_mutated_markup_in_an_html_page_reads_to_a_catalogue_or_to_problems(data):
    document = mutate(data, orjson.loads(data.draw(st.sampled_from(seeds()))))
    text = json.dumps(document).replace(json.dumps(HUGE), "1e999999")
    if data.draw(st.booleans()):  # markup that ends the element early, or breaks the JSON
        cut = data.draw(st.integers(0, len(text)))
        text = text[:cut] + data.draw(st.sampled_from(["</script>", "<", "&amp;", "\x00", "</SCRIPT >"])) + text[cut:]
    page = data.draw(st.sampled_from(PAGES)).format(text).encode()
    try:
        catalogue = read_bytes(page, format="schemaorg", **{"time-zone": "UTC"})
    except InvalidDocument as error:
        report = error.report
    else:
        assert isinstance(catalogue, Catalogue)
        return
    assert report.problems
    assert all(isinstance(problem.pointer, str) and problem.message for problem in report)
