"""Invalid documents, to show what each contender of the load benchmark refuses: the generated
catalogue of 10 sessions with one thing broken, one document per kind of check the library makes
(those of meaning, which a schema-level model cannot express, and a few of the schemas').

    accepted_invalid({"msgspec": msgspec_model.decode})  # {"msgspec": ["dangling-performer", ...]}
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import msgspec
import orjson
import pydantic

import mastery_model
from benchmarks.catalogue import generate

#: The documents that break what the schemas say: schema-level models refuse them too.
SCHEMA_LEVEL = frozenset(
    {
        "unknown-property",
        "wrong-enumeration-value",
        "bad-id-pattern",
        "missing-name",
        "unknown-node-type",
        "date-time-without-offset",
    }
)
#: What a refusal is, for each contender; any other exception is a failure, not a refusal.
REFUSALS: tuple[type[Exception], ...] = (
    mastery_model.InvalidDocument,
    pydantic.ValidationError,
    msgspec.ValidationError,
)

Document = dict[str, Any]
_UNKNOWN_ID = "urn:uuid:00000000-0000-4000-8000-999999999999"


def _parts(document: Document) -> tuple[Document, Document, Document, list[Document], list[Document]]:
    """The event, its first session (a group without times), the group's first session (a talk
    with times), the organisations and the people of a generated catalogue."""
    graph = document["@graph"]
    event = graph[0]
    group = event["subEvent"][0]
    talk = group["subEvent"][0]
    organisations = [node for node in graph if node["@type"] not in ("EducationEvent", "Person")]
    people = [node for node in graph if node["@type"] == "Person"]
    return event, group, talk, organisations, people


#: Each kind of breakage, by name: a change made in place to a generated catalogue.
BREAKAGES: dict[str, Callable[[Document], None]] = {}


def _breakage(name: str) -> Callable[[Callable[[Document], None]], Callable[[Document], None]]:
    def register(change: Callable[[Document], None]) -> Callable[[Document], None]:
        BREAKAGES[name] = change
        return change

    return register


# references and ids


@_breakage("dangling-performer")
def dangling_performer(document: Document) -> None:
    _parts(document)[2]["performer"][0]["performer"] = _UNKNOWN_ID


@_breakage("dangling-organizer")
def dangling_organizer(document: Document) -> None:
    _parts(document)[0]["organizer"] = [_UNKNOWN_ID]


@_breakage("affiliation-to-a-person")
def affiliation_to_a_person(document: Document) -> None:
    people = _parts(document)[4]
    people[0]["affiliation"] = [people[1]["@id"]]


@_breakage("campaign-reference-to-a-person")
def campaign_reference_to_a_person(document: Document) -> None:
    event, _group, _talk, _organisations, people = _parts(document)
    event["superEvent"] = people[0]["@id"]


@_breakage("duplicate-session-id")
def duplicate_session_id(document: Document) -> None:
    group = _parts(document)[1]
    group["subEvent"][1]["@id"] = group["subEvent"][0]["@id"]


@_breakage("recommendation-with-a-person-id")
def recommendation_with_a_person_id(document: Document) -> None:
    _event, _group, talk, _organisations, people = _parts(document)
    talk["recommendation"][0]["@id"] = people[0]["@id"]


@_breakage("duplicate-blank-node-id")
def duplicate_blank_node_id(document: Document) -> None:
    document["@graph"] += [{"@type": "Person", "@id": "_:twin", "name": name} for name in ("Ann", "Bea")]


@_breakage("organisation-parent-cycle")
def organisation_parent_cycle(document: Document) -> None:
    first, second = _parts(document)[3][:2]
    first["parentOrganization"], second["parentOrganization"] = second["@id"], first["@id"]


@_breakage("organisation-its-own-parent")
def organisation_its_own_parent(document: Document) -> None:
    organisation = _parts(document)[3][0]
    organisation["parentOrganization"] = organisation["@id"]


# ordering and nesting


@_breakage("duplicate-session-positions")
def duplicate_session_positions(document: Document) -> None:
    sessions = _parts(document)[1]["subEvent"]
    sessions[1]["position"] = sessions[0]["position"]


@_breakage("duplicate-recommendation-positions")
def duplicate_recommendation_positions(document: Document) -> None:
    recommendations = _parts(document)[2]["recommendation"]
    recommendations[1]["position"] = recommendations[0]["position"]


@_breakage("sessions-nested-too-deep")
def sessions_nested_too_deep(document: Document) -> None:
    inner = _parts(document)[2]  # at depth 2: the chain below takes it to 18
    for level in range(16):
        nested = {"@id": f"urn:uuid:00000000-0000-4000-e000-{level:012d}", "name": {"en": f"Level {level}"}}
        inner["subEvent"] = [nested]
        inner = nested


# languages, countries, zones


@_breakage("invalid-language-tag-in-text")
def invalid_language_tag_in_text(document: Document) -> None:
    _parts(document)[2]["name"] = {"xx-ZZ": "A tag of the right shape but of no language"}


@_breakage("invalid-session-language")
def invalid_session_language(document: Document) -> None:
    _parts(document)[2]["inLanguage"] = "qq"


@_breakage("unknown-country")
def unknown_country(document: Document) -> None:
    _parts(document)[4][0]["country"] = "XX"


@_breakage("unknown-recommendation-scope")
def unknown_recommendation_scope(document: Document) -> None:
    _parts(document)[2]["recommendation"][0]["scope"] = "UK"  # the United Kingdom is GB


@_breakage("unknown-time-zone")
def unknown_time_zone(document: Document) -> None:
    _parts(document)[2]["timeZone"] = "Europe/Atlantis"


@_breakage("offset-not-of-the-zone")
def offset_not_of_the_zone(document: Document) -> None:
    talk = _parts(document)[2]
    assert talk["timeZone"] == "Europe/Madrid"
    assert talk["startTime"].endswith("+02:00")
    talk["timeZone"] = "Europe/Lisbon"  # +01:00 in October


# times


@_breakage("end-before-start")
def end_before_start(document: Document) -> None:
    talk = _parts(document)[2]
    talk["endTime"] = talk["startTime"].replace(":00+", ":00+").replace("T09:", "T08:")


@_breakage("date-start-with-date-time-end")
def date_start_with_date_time_end(document: Document) -> None:
    talk = _parts(document)[2]
    talk["startDate"] = talk.pop("startTime")[:10]


@_breakage("time-zone-with-dates-alone")
def time_zone_with_dates_alone(document: Document) -> None:
    talk = _parts(document)[2]
    talk["startDate"], talk["endDate"] = talk.pop("startTime")[:10], talk.pop("endTime")[:10]


@_breakage("session-outside-its-event")
def session_outside_its_event(document: Document) -> None:
    event, group = _parts(document)[:2]
    day = event["startTime"][:10]
    group.update(startTime=f"{day}T08:00:00+02:00", endTime=f"{day}T12:00:00+02:00", timeZone="Europe/Madrid")


@_breakage("event-outside-its-campaign")
def event_outside_its_campaign(document: Document) -> None:
    campaign = {
        "@type": "EventSeries",
        "@id": "urn:uuid:00000000-0000-4000-d000-000000000000",
        "name": {"en": "European Vocational Skills Week"},
        "startDate": "2024-11-04",
        "endDate": "2024-11-08",
    }
    document["@graph"].append(campaign)
    _parts(document)[0]["superEvent"] = campaign["@id"]


# the schemas


@_breakage("unknown-property")
def unknown_property(document: Document) -> None:
    _parts(document)[4][0]["nickname"] = "Pat"


@_breakage("wrong-enumeration-value")
def wrong_enumeration_value(document: Document) -> None:
    _parts(document)[2]["sessionKind"] = "lecture"


@_breakage("bad-id-pattern")
def bad_id_pattern(document: Document) -> None:
    _parts(document)[2]["@id"] = "session 2"


@_breakage("missing-name")
def missing_name(document: Document) -> None:
    del _parts(document)[0]["name"]


@_breakage("unknown-node-type")
def unknown_node_type(document: Document) -> None:
    _parts(document)[3][0]["@type"] = "Company"


@_breakage("date-time-without-offset")
def date_time_without_offset(document: Document) -> None:
    talk = _parts(document)[2]
    talk["startTime"] = talk["startTime"][:19]


def invalid_documents() -> dict[str, bytes]:
    """Each invalid document, by the name of what is broken in it."""
    base = generate(10)
    documents = {}
    for name, breakage in BREAKAGES.items():
        document = copy.deepcopy(base)
        breakage(document)
        documents[name] = orjson.dumps(document)
    return documents


def accepted_invalid(
    contenders: Mapping[str, Callable[[bytes], object]],
    documents: Mapping[str, bytes] | None = None,
    refusals: tuple[type[BaseException], ...] = REFUSALS,
) -> dict[str, list[str]]:
    """For each contender, the names of the invalid documents it accepted: an empty list when it
    refused them all. A contender that fails otherwise than by one of the ``refusals`` raises."""
    documents = invalid_documents() if documents is None else documents
    accepted: dict[str, list[str]] = {}
    for contender, load in contenders.items():
        accepted[contender] = []
        for name, data in documents.items():
            try:
                load(data)
            except refusals:
                continue
            accepted[contender].append(name)
    return accepted
