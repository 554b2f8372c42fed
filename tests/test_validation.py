"""Invalid documents: mutations of valid ones, hostile bytes, and the rules of meaning."""

from __future__ import annotations

import copy
import time
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import catalogues

import mastery_model
from mastery_model import InvalidDocument, schemas
from mastery_model.model import MAX_SESSION_DEPTH

SAMPLE = orjson.loads(mastery_model.embedded.sample_bytes())
UNKNOWN_ID = "urn:uuid:00000000-0000-4000-8000-ffffffffffff"


def report_of(document: Any) -> mastery_model.Report:
    return mastery_model.validate(orjson.dumps(document))


def pointers(report: mastery_model.Report) -> list[str]:
    return [problem.pointer for problem in report]


def leaves(node: Any, pointer: str = "") -> list[tuple[str, Any]]:
    """Every position in a document with its JSON pointer."""
    found = [(pointer, node)]
    if isinstance(node, dict):
        for key, value in node.items():
            found += leaves(value, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += leaves(value, f"{pointer}/{index}")
    return found


def replaced(document: Any, pointer: str, value: Any) -> Any:
    mutated = copy.deepcopy(document)
    parts = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
    target = mutated
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return mutated


def related(first: str, second: str) -> bool:
    return first == second or first.startswith(second + "/") or second.startswith(first + "/")


def _wrong_type(value: Any) -> Any:
    if isinstance(value, str):
        return 12345
    if isinstance(value, bool | int | float):
        return "not a number"
    if isinstance(value, list):
        return "not a list"
    return ["not an object"]


# -- mutations of valid documents ----------------------------------------------------------------


@given(catalogues(), st.data())
def test_a_value_of_the_wrong_type_is_reported_where_it_is(catalogue, data):
    document = orjson.loads(mastery_model.dumps(catalogue))
    positions = [(pointer, value) for pointer, value in leaves(document) if pointer]
    pointer, value = data.draw(st.sampled_from(positions))
    mutated = replaced(document, pointer, _wrong_type(value))
    report = report_of(mutated)
    assert not report.ok
    assert any(related(found, pointer) for found in pointers(report)), (pointer, str(report))
    # the compiled validator and python-jsonschema agree
    assert schemas.fast_validator().is_valid(mutated) is False
    assert list(schemas.precise_validator().iter_errors(mutated))


@given(catalogues(), st.data())
def test_an_unknown_property_is_reported_on_its_object(catalogue, data):
    document = orjson.loads(mastery_model.dumps(catalogue))
    objects = [
        (pointer, value)
        for pointer, value in leaves(document)
        if isinstance(value, dict) and "@type" in value and pointer
    ]
    pointer, _value = data.draw(st.sampled_from(objects))
    node = copy.deepcopy(document)
    target = node
    for part in pointer.split("/")[1:]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target["nmae"] = "typo"
    report = report_of(node)
    assert [problem.pointer for problem in report if "'nmae'" in problem.message] == [pointer]
    assert not schemas.fast_validator().is_valid(node)


@given(catalogues())
def test_the_two_schema_validators_agree_on_valid_documents(catalogue):
    document = orjson.loads(mastery_model.dumps(catalogue))
    assert schemas.fast_validator().is_valid(document)
    assert not list(schemas.precise_validator().iter_errors(document))


@given(catalogues(), st.data())
def test_a_dangling_reference_is_reported_where_it_is(catalogue, data):
    document = orjson.loads(mastery_model.dumps(catalogue))
    references = [
        pointer
        for pointer, value in leaves(document)
        if isinstance(value, str) and value.startswith("urn:uuid:") and not pointer.endswith("/@id")
    ]
    if not references:
        return
    pointer = data.draw(st.sampled_from(references))
    report = report_of(replaced(document, pointer, UNKNOWN_ID))
    assert [problem.pointer for problem in report] == [pointer]
    assert "has this id" in report.problems[0].message
    assert report.problems[0].value == UNKNOWN_ID


def test_every_problem_is_reported_not_only_the_first():
    document = copy.deepcopy(SAMPLE)
    event = document["@graph"][0]
    event["organizer"] = [UNKNOWN_ID]
    event["subEvent"][0]["performer"][0]["performer"] = UNKNOWN_ID
    event["subEvent"][4]["subEvent"][0]["country"] = "EL"
    event["inLanguage"] = ["xq"]
    report = report_of(document)
    assert sorted(pointers(report)) == sorted(
        [
            "/@graph/0/organizer/0",
            "/@graph/0/subEvent/0/performer/0/performer",
            "/@graph/0/subEvent/4/subEvent/0/country",
            "/@graph/0/inLanguage/0",
        ]
    )
    assert "GR" in next(problem.message for problem in report if problem.value == "EL")


def test_every_schema_problem_is_reported_not_only_the_first():
    document = copy.deepcopy(SAMPLE)
    event = document["@graph"][0]
    event["startDate"] = "2024-02-30"
    event["attendance"]["count"] = -1
    event["subEvent"][1]["sessionKind"] = "lecture"
    event["subEvent"][2]["name"] = {}
    report = report_of(document)
    assert sorted(pointers(report)) == [
        "/@graph/0/attendance/count",
        "/@graph/0/startDate",
        "/@graph/0/subEvent/1/sessionKind",
        "/@graph/0/subEvent/2/name",
    ]
    kind = next(problem for problem in report if problem.pointer.endswith("sessionKind"))
    assert "keynote" in kind.message
    assert kind.value == "lecture"


# -- rules of meaning ------------------------------------------------------------------------------


def _timed_event(**fields: Any) -> dict[str, Any]:
    event = {"@type": "EducationEvent", "@id": "urn:x-test:event", "name": {"en": "E"}}
    event.update(fields)
    return {"@context": schemas.CONTEXT_IRI, "@graph": [event]}


@pytest.mark.parametrize(
    ("fields", "pointer", "words"),
    [
        ({"startDate": "2024-10-16", "endDate": "2024-10-15"}, "/@graph/0/endDate", "before the start"),
        (
            {"startTime": "2024-10-15T10:00:00Z", "endTime": "2024-10-15T09:59:59Z"},
            "/@graph/0/endTime",
            "before the start",
        ),
        ({"startDate": "2024-10-15", "endTime": "2024-10-15T10:00:00Z"}, "/@graph/0/endTime", "both"),
        ({"startTime": "2024-10-15T10:00:00+02:00", "timeZone": "Europe/Atlantis"}, "/@graph/0/timeZone", "IANA"),
        (
            {"startTime": "2024-10-15T10:00:00+01:00", "timeZone": "Europe/Madrid"},
            "/@graph/0/startTime",
            "Europe/Madrid",
        ),
        # 02:30 on 31 March 2024 never happened in Madrid (the clocks went from 02:00 to 03:00)
        (
            {"startTime": "2024-03-31T02:30:00+01:00", "timeZone": "Europe/Madrid"},
            "/@graph/0/startTime",
            "the wall-clock time 02:30:00 does not exist there that day",
        ),
        ({"inLanguage": ["en", "qq-ZZ-invalid1"]}, "/@graph/0/inLanguage/1", "BCP 47"),
        ({"name": {"en": "E", "xx-yy-zz-qq": "?"}}, "/@graph/0/name/xx-yy-zz-qq", "BCP 47"),
        (
            {"credentialOffer": {"eqfLevel": 4, "assessment": {"en": "a test", "xx-yy-zz-qq": "?"}}},
            "/@graph/0/credentialOffer/assessment/xx-yy-zz-qq",
            "BCP 47",
        ),
        (
            {"credentialOffer": {"learningOutcomes": {"xx-yy-zz-qq": "?"}}},
            "/@graph/0/credentialOffer/learningOutcomes/xx-yy-zz-qq",
            "BCP 47",
        ),
        (
            {"performer": [{"performer": UNKNOWN_ID, "roleName": "host"}]},
            "/@graph/0/performer/0/performer",
            "no person or organisation in the document has this id",
        ),
        (
            {"location": [{"@type": "Place", "address": {"addressCountry": "UK"}}]},
            "/@graph/0/location/0/address/addressCountry",
            "GB",
        ),
    ],
)
def test_rules_of_meaning_are_reported_with_their_pointer(fields, pointer, words):
    report = report_of(_timed_event(**fields))
    assert pointers(report) == [pointer], str(report)
    assert words in report.problems[0].message


def test_an_offset_not_its_zones_offers_both_readings():
    # 14:00 written with winter's offset in summer: meant as an instant, it is 15:00 there; meant
    # as the local time, it is 14:00 at the summer offset. Neither reading is chosen for the user.
    report = report_of(_timed_event(startTime="2024-10-15T14:00:00+01:00", timeZone="Europe/Madrid"))
    assert [problem.message for problem in report.problems] == [
        "Europe/Madrid is not at this UTC offset at this time: the same instant there is "
        "2024-10-15T15:00:00+02:00; the same wall-clock time there is 2024-10-15T14:00:00+02:00"
    ]


def test_both_times_of_an_ambiguous_hour_are_accepted_by_their_offset():
    # 02:30 on 27 October 2024 happened twice in Madrid: at +02:00, then at +01:00
    for offset in ("+02:00", "+01:00"):
        assert report_of(_timed_event(startTime=f"2024-10-27T02:30:00{offset}", timeZone="Europe/Madrid")).ok


def test_a_session_outside_its_event_is_reported():
    document = _timed_event(
        startTime="2024-10-15T10:00:00+02:00",
        endTime="2024-10-15T12:00:00+02:00",
        timeZone="Europe/Madrid",
        subEvent=[
            {"@type": "EducationEvent", "name": {"en": "early"}, "startTime": "2024-10-15T09:00:00+02:00"},
            {
                "@type": "EducationEvent",
                "name": {"en": "late"},
                "startTime": "2024-10-15T11:00:00+02:00",
                "endTime": "2024-10-15T12:30:00+02:00",
            },
            {"@type": "EducationEvent", "name": {"en": "other day"}, "startDate": "2024-10-16"},
            {"@type": "EducationEvent", "name": {"en": "fits"}, "startTime": "2024-10-15T09:00:00+01:00"},
        ],
    )
    report = report_of(document)
    assert pointers(report) == [
        "/@graph/0/subEvent/0/startTime",
        "/@graph/0/subEvent/1/endTime",
        "/@graph/0/subEvent/2/startDate",
    ]


def test_ids_are_unique_across_the_document():
    document = copy.deepcopy(SAMPLE)
    graph = document["@graph"]
    graph[0]["subEvent"][1]["@id"] = graph[0]["subEvent"][0]["@id"]
    report = report_of(document)
    assert pointers(report) == ["/@graph/0/subEvent/1/@id"]
    assert "/@graph/0/subEvent/0" in report.problems[0].message


def test_an_id_given_twice_is_reported_at_its_later_place_whatever_the_order_of_the_graph():
    document = copy.deepcopy(SAMPLE)
    graph = document["@graph"]
    session_id = graph[0]["subEvent"][0]["@id"]
    # people before the event, as other tools may write them, and after it, with the session's id
    graph.insert(0, {"@type": "Person", "@id": session_id, "name": "Someone"})
    graph.append({"@type": "Person", "@id": session_id, "name": "Someone else"})
    report = report_of(document)
    assert pointers(report) == ["/@graph/1/subEvent/0/@id", f"/@graph/{len(graph) - 1}/@id"]
    assert {problem.message for problem in report} == {"this id is already the id of /@graph/0"}


def test_an_organisation_cannot_be_its_own_ancestor():
    organisations = [
        {"@type": "Organization", "@id": "urn:x-test:a", "name": {"en": "A"}, "parentOrganization": "urn:x-test:b"},
        {"@type": "Organization", "@id": "urn:x-test:b", "name": {"en": "B"}, "parentOrganization": "urn:x-test:a"},
    ]
    document = _timed_event()
    document["@graph"] += organisations
    assert pointers(report_of(document)) == ["/@graph/1/parentOrganization", "/@graph/2/parentOrganization"]


def test_positions_of_siblings_are_distinct():
    document = _timed_event(
        subEvent=[
            {"@type": "EducationEvent", "name": {"en": "a"}, "position": 1},
            {"@type": "EducationEvent", "name": {"en": "b"}, "position": 1},
        ]
    )
    assert pointers(report_of(document)) == ["/@graph/0/subEvent/1/position"]


def _nested(depth: int) -> dict[str, Any]:
    session: dict[str, Any] = {"@type": "EducationEvent", "name": {"en": f"level {depth}"}}
    for level in range(depth - 1, 0, -1):
        session = {"@type": "EducationEvent", "name": {"en": f"level {level}"}, "subEvent": [session]}
    return _timed_event(subEvent=[session])


def test_sessions_nest_as_deep_as_the_documented_limit():
    assert report_of(_nested(MAX_SESSION_DEPTH)).ok
    too_deep = report_of(_nested(MAX_SESSION_DEPTH + 1))
    assert len(too_deep) == 1
    assert str(MAX_SESSION_DEPTH) in too_deep.problems[0].message


def test_very_deep_sessions_give_a_report_not_a_recursion_error():
    depth = 400  # 800 levels of JSON: below the parser's limit, far beyond the precise validator's stack
    session = b'{"@type": "EducationEvent", "name": {"en": "s"}, "subEvent": ['
    event = b'{"@type": "EducationEvent", "name": {"en": "e"}, "subEvent": ['
    data = (
        b'{"@context": "'
        + schemas.CONTEXT_IRI.encode()
        + b'", "@graph": ['
        + event
        + session * depth
        + b'{"@type": "EducationEvent", "name": {"en": "leaf"}}'
        + b"]}" * (depth + 1)
        + b"]}"
    )
    report = mastery_model.validate(data)
    assert len(report) == 1
    assert "nest" in report.problems[0].message


# -- hostile bytes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"@context": ', "not valid JSON"),
        (b"\xff\xfe{\x00}\x00", "UTF-8"),
        (b'{"a": "\xc3\x28"}', "UTF-8"),
        (b"[" * 10_000 + b"]" * 10_000, "nests too deeply"),
        (b'{"@graph": [{"position": 1}]}', "no event in the document"),
        (b"[]", "expected"),
        (b"null", "expected"),
    ],
)
def test_hostile_bytes_give_a_clear_problem(data, words):
    report = mastery_model.validate(data)
    assert not report.ok
    assert words in str(report)
    with pytest.raises(InvalidDocument) as raised:
        mastery_model.loads(data)  # the canonical reader, whatever the bytes look like
    assert raised.value.report == mastery_model.validate(data, format="jsonld")


def test_a_syntax_error_says_its_line():
    report = mastery_model.validate(b'{\n  "@context": "x",\n  "@graph": [,]\n}')
    assert report.problems[0].line == 3


def test_a_bom_is_accepted():
    assert mastery_model.validate(b"\xef\xbb\xbf" + mastery_model.embedded.sample_bytes()).ok


@pytest.mark.parametrize("where", ["name", "startDate", "@id", "unknown"])
def test_a_50_megabyte_string_gives_a_short_report_or_loads(where):
    huge = "x" * 50_000_000
    document = copy.deepcopy(SAMPLE)
    event = document["@graph"][0]
    if where == "name":
        event["name"] = {"en": huge}
    else:
        event[where] = huge
    started = time.perf_counter()
    report = report_of(document)
    if where == "name":
        assert report.ok
    else:
        assert not report.ok
        assert len(str(report)) < 2_000  # the value is shown shortened, not repeated whole
    assert time.perf_counter() - started < 60  # loose: guards against a quadratic path, not a benchmark


def test_the_report_of_loads_is_the_one_validate_gives():
    document = copy.deepcopy(SAMPLE)
    document["@graph"][0]["organizer"] = [UNKNOWN_ID]
    data = orjson.dumps(document)
    with pytest.raises(InvalidDocument) as raised:
        mastery_model.loads(data)
    assert raised.value.report == mastery_model.validate(data, format="jsonld")
    assert "/@graph/0/organizer/0" in str(raised.value)


def test_an_event_outside_its_campaign_is_reported():
    document = _timed_event(startDate="2024-03-01", endDate="2024-03-01", superEvent="urn:x-test:days")
    document["@graph"].append(
        {
            "@type": "EventSeries",
            "@id": "urn:x-test:days",
            "name": {"en": "Erasmus Days"},
            "startDate": "2024-10-10",
            "endDate": "2024-10-15",
        }
    )
    (problem,) = report_of(document).problems
    assert problem.pointer == "/@graph/0/startDate"
    assert "event starts before" in problem.message


def test_problems_come_in_document_order():
    document = _timed_event(inLanguage=["xq"])
    people = [{"@type": "Person", "@id": f"urn:x-test:p{index}", "name": "P", "country": "UK"} for index in range(11)]
    document["@graph"] += people
    found = pointers(report_of(document))
    assert found == ["/@graph/0/inLanguage/0", *[f"/@graph/{index}/country" for index in range(1, 12)]]


@settings(max_examples=300)
@given(
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8).map(lambda text: f"urn:x:{text}")
    | st.text(st.sampled_from("a\x1f\x85\ufeff\u00a0\u2028 \t\n\u3000é漢/"), min_size=1, max_size=6).map(
        lambda text: f"https://example.org/{text}"
    )
)
def test_the_two_schema_validators_agree_on_any_identifier_or_url(text):
    person = {"@type": "Person", "@id": text, "name": "P"}
    organisation = {"@type": "Organization", "@id": "urn:x:o", "name": {"en": "O"}, "url": text}
    for node in (person, organisation):
        document = {"@context": schemas.CONTEXT_IRI, "@graph": [node]}
        fast = schemas.fast_validator().is_valid(document)
        precise = not list(schemas.precise_validator().iter_errors(document))
        assert fast == precise


def test_a_model_built_in_code_cannot_keep_a_blank_node_id():
    catalogue = mastery_model.sample()
    person = catalogue.people[0]
    renamed = attrs.evolve(catalogue, people=(attrs.evolve(person, id="_:someone"), *catalogue.people[1:]))
    report = mastery_model.validate(renamed)
    assert any(problem.value == "_:someone" and "blank node" in problem.message for problem in report)


@pytest.mark.parametrize(
    ("offer", "pointer", "words"),
    [
        ({"eqfLevel": 9}, "/@graph/0/credentialOffer/eqfLevel", "8"),
        ({"eqfLevel": 0}, "/@graph/0/credentialOffer/eqfLevel", "1"),
        ({"ectsCredits": -0.5}, "/@graph/0/credentialOffer/ectsCredits", "0"),
        ({"workloadHours": -1}, "/@graph/0/credentialOffer/workloadHours", "0"),
        ({}, "/@graph/0/credentialOffer", ""),
    ],
)
def test_a_credential_offer_out_of_its_ranges_is_refused_by_the_schema(offer, pointer, words):
    report = report_of(_timed_event(credentialOffer=offer))
    assert pointers(report) == [pointer], str(report)
    assert words in report.problems[0].message


@pytest.mark.parametrize(
    "fields",
    [{}, {"eqf_level": 9}, {"eqf_level": 0}, {"ects_credits": -1.0}, {"workload_hours": float("nan")}],
)
def test_the_model_refuses_a_credential_offer_the_schema_refuses(fields):
    with pytest.raises(ValueError, match=r"credential offer|EQF level|finite number"):
        mastery_model.CredentialOffer(**fields)
