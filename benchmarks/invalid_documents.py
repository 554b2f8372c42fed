"""Invalid documents that every checked loader must refuse: the generated catalogue of ten
sessions with one thing broken each, one for each rule of meaning the library checks beyond the
schemas, and a few that break the schemas themselves. The benchmark proves with them that the
pydantic baseline with checks does the library's work (and counts what the others let through).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import orjson

from benchmarks.catalogue import generate

Document = dict[str, Any]


def _first(document: Document, kind: str) -> Document:
    return next(node for node in document["@graph"] if node["@type"] == kind)


def _event(document: Document) -> Document:
    return _first(document, "EducationEvent")


def _session(document: Document) -> Document:
    """A session with a time of its own, inside the event's."""
    stack = list(_event(document)["subEvent"])
    while stack:
        session = stack.pop(0)
        if "startTime" in session:
            return session
        stack.extend(session.get("subEvent", []))
    raise LookupError("no timed session")


def _person(document: Document) -> Document:
    return _first(document, "Person")


def _organisation(document: Document) -> Document:
    return next(node for node in document["@graph"] if node["@type"] not in ("EducationEvent", "Person"))


def _dangling_performer(document: Document) -> None:
    _session(document)["performer"] = [
        {"performer": "urn:uuid:00000000-0000-4000-9999-000000000000", "roleName": "host"}
    ]


def _performer_is_an_event(document: Document) -> None:
    _session(document)["performer"] = [{"performer": _event(document)["@id"], "roleName": "host"}]


def _affiliated_to_a_person(document: Document) -> None:
    _person(document)["affiliation"] = [_person(document)["@id"]]


def _duplicate_id(document: Document) -> None:
    _session(document)["@id"] = _event(document)["@id"]


def _unknown_campaign(document: Document) -> None:
    _event(document)["superEvent"] = "urn:uuid:00000000-0000-4000-9999-000000000001"


def _own_ancestor(document: Document) -> None:
    organisation = _organisation(document)
    organisation["parentOrganization"] = organisation["@id"]


def _invalid_language(document: Document) -> None:
    _event(document)["inLanguage"] = ["en", "qq-ZZ-invalid1"]


def _invalid_text_language(document: Document) -> None:
    _session(document)["name"] = {"xx-yy-zz-qq": "?"}


def _unknown_country(document: Document) -> None:
    _person(document)["country"] = "XX"


def _unknown_zone(document: Document) -> None:
    _session(document)["timeZone"] = "Europe/Atlantis"


def _offset_not_the_zones(document: Document) -> None:
    session = _session(document)
    session["startTime"] = session["startTime"][:-6] + "+05:00"


def _end_before_start(document: Document) -> None:
    session = _session(document)
    session["endTime"] = "2024-10-14T08:00:00+02:00"
    session["startTime"] = "2024-10-14T08:30:00+02:00"


def _outside_its_event(document: Document) -> None:
    session = _event(document)["subEvent"][0]  # a part of the event itself, timed a week later
    session["startTime"], session["endTime"] = "2024-10-20T09:00:00+02:00", "2024-10-20T10:00:00+02:00"


def _date_against_date_time(document: Document) -> None:
    session = _session(document)
    del session["endTime"]
    session["endDate"] = "2024-10-14"


def _zone_with_dates(document: Document) -> None:
    event = _event(document)
    for bound in ("start", "end"):
        event[f"{bound}Date"] = event.pop(f"{bound}Time")[:10]
    del event["subEvent"]


def _duplicate_positions(document: Document) -> None:
    first, second = _session(document)["recommendation"][:2]
    second["position"] = first["position"]


def _nested_too_deep(document: Document) -> None:
    node = _session(document)
    for depth in range(17):
        child = {"@type": "EducationEvent", "name": {"en": f"level {depth}"}}
        node["subEvent"] = [child]
        node = child


def _unknown_property(document: Document) -> None:
    _event(document)["colour"] = "green"


def _unknown_status(document: Document) -> None:
    _event(document)["eventStatus"] = "maybe"


def _id_not_an_iri(document: Document) -> None:
    _person(document)["@id"] = "not an iri"


def _negative_attendance(document: Document) -> None:
    _event(document)["attendance"] = {"count": -1}


#: Each rule of meaning, then the schema-level breaks (``SCHEMA_LEVEL``).
BREAKS: dict[str, Callable[[Document], None]] = {
    "a performer that is no one": _dangling_performer,
    "a performer that is an event": _performer_is_an_event,
    "an affiliation to a person": _affiliated_to_a_person,
    "an id given twice": _duplicate_id,
    "a campaign that is not there": _unknown_campaign,
    "an organisation its own parent": _own_ancestor,
    "an invalid language tag": _invalid_language,
    "an invalid language of a text": _invalid_text_language,
    "an unknown country": _unknown_country,
    "an unknown time zone": _unknown_zone,
    "an offset not the zone's": _offset_not_the_zones,
    "an end before the start": _end_before_start,
    "a session outside its event": _outside_its_event,
    "a date-time ending at a date": _date_against_date_time,
    "a zone with dates alone": _zone_with_dates,
    "two recommendations at one position": _duplicate_positions,
    "sessions nested 18 deep": _nested_too_deep,
    "an unknown property": _unknown_property,
    "an unknown status": _unknown_status,
    "an id that is no IRI": _id_not_an_iri,
    "a negative attendance": _negative_attendance,
}
SCHEMA_LEVEL = frozenset({"an unknown property", "an unknown status", "an id that is no IRI", "a negative attendance"})


def invalid_documents() -> dict[str, bytes]:
    """Each invalid document's bytes, by what is broken in it."""
    valid = generate(10)
    documents = {}
    for name, breaking in BREAKS.items():
        document = copy.deepcopy(valid)
        breaking(document)
        documents[name] = orjson.dumps(document)
    return documents


def accepted_by(loaders: dict[str, Callable[[bytes], object]]) -> dict[str, list[str]]:
    """For each loader, the invalid documents it took without raising."""
    documents = invalid_documents()
    accepted: dict[str, list[str]] = {name: [] for name in loaders}
    for what, data in documents.items():
        for name, load in loaders.items():
            try:
                load(data)
            except Exception:  # each loader refuses in its own way: that it refuses is what counts
                continue
            accepted[name].append(what)
    return accepted
