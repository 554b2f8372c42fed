"""The fastest idiomatic way to write the canonical JSON-LD by hand: build the document's dicts
straight from the model, then serialise them with orjson. The same bytes as the library's."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson

from mastery_model.conversion import ORGANISATION_TYPES
from mastery_model.model import (
    Catalogue,
    Document,
    Event,
    ExternalId,
    Organisation,
    Person,
    Place,
    Recommendation,
    Session,
    Text,
)


def _text(text: Text) -> dict[str, str]:
    return dict(text.translations)


def _when(moment: date | datetime) -> str:
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _put(node: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != ():
        node[key] = value


def _timed(node: dict[str, Any], entity: Event | Session) -> None:
    for moment, day, time in ((entity.start, "startDate", "startTime"), (entity.end, "endDate", "endTime")):
        if moment is not None:
            node[time if isinstance(moment, datetime) else day] = _when(moment)
    _put(node, "timeZone", entity.time_zone)


def _ids(external: tuple[ExternalId, ...]) -> list[dict[str, str]] | None:
    return [{"propertyID": e.scheme, "value": e.value} for e in external] or None


def _locations(locations: tuple[Any, ...]) -> list[dict[str, Any]] | None:
    out = []
    for location in locations:
        if isinstance(location, Place):
            node: dict[str, Any] = {"@type": "Place"}
            if location.name:
                node["name"] = _text(location.name)
            if location.address:
                address = location.address
                node["address"] = {
                    k: v
                    for k, v in (
                        ("streetAddress", address.street),
                        ("addressLocality", address.locality),
                        ("addressRegion", address.region),
                        ("postalCode", address.postal_code),
                        ("addressCountry", address.country),
                    )
                    if v is not None
                }
            out.append(node)
        else:
            virtual = {"@type": "VirtualLocation", "url": location.url}
            _put(virtual, "platform", location.platform)
            out.append(virtual)
    return out or None


def _document(document: Document) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "PresentationDigitalDocument", "@id": document.id, "name": _text(document.name)}
    _put(node, "url", document.url)
    _put(node, "encodingFormat", document.media_type)
    _put(node, "inLanguage", document.language)
    _put(node, "author", list(document.authors) or None)
    _put(node, "license", document.license)
    return node


def _recommendation(recommendation: Recommendation) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Recommendation", "@id": recommendation.id, "text": _text(recommendation.text)}
    _put(node, "position", recommendation.position)
    _put(node, "about", list(recommendation.topics) or None)
    _put(node, "scope", recommendation.scope)
    _put(node, "audience", [a.value for a in recommendation.audience] or None)
    return node


def _session(session: Session) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "EducationEvent", "@id": session.id, "name": _text(session.name)}
    if session.description:
        node["description"] = _text(session.description)
    _timed(node, session)
    _put(node, "sessionKind", session.kind.value if session.kind else None)
    _put(node, "position", session.position)
    _put(node, "eventStatus", session.status.value if session.status else None)
    _put(node, "location", _locations(session.locations))
    _put(node, "url", session.url)
    _put(node, "about", list(session.topics) or None)
    _put(node, "inLanguage", session.language)
    _put(node, "identifier", _ids(session.external_ids))
    _put(node, "dateModified", _when(session.modified) if session.modified else None)
    _put(node, "revision", session.revision)
    _put(
        node,
        "performer",
        [{"performer": c.contributor, "roleName": c.role.value} for c in session.contributions] or None,
    )
    _put(node, "workFeatured", [_document(d) for d in session.documents] or None)
    _put(node, "recommendation", [_recommendation(r) for r in session.recommendations] or None)
    _put(node, "country", session.country)
    _put(node, "subEvent", [_session(s) for s in session.sessions] or None)
    return node


def _event(event: Event) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "EducationEvent", "@id": event.id, "name": _text(event.name)}
    if event.description:
        node["description"] = _text(event.description)
    _timed(node, event)
    _put(node, "eventAttendanceMode", event.attendance_mode.value if event.attendance_mode else None)
    _put(node, "eventStatus", event.status.value if event.status else None)
    _put(node, "location", _locations(event.locations))
    _put(node, "organizer", list(event.organisers) or None)
    _put(node, "funder", list(event.funders) or None)
    _put(node, "superEvent", event.campaign)
    _put(node, "audience", [a.value for a in event.audience] or None)
    _put(node, "about", list(event.topics) or None)
    _put(node, "keywords", list(event.keywords) or None)
    _put(node, "inLanguage", list(event.languages) or None)
    _put(node, "url", event.url)
    _put(node, "identifier", _ids(event.external_ids))
    if event.attendance:
        node["attendance"] = {"count": event.attendance.count, "qualifier": event.attendance.qualifier.value}
    _put(node, "dateModified", _when(event.modified) if event.modified else None)
    _put(node, "revision", event.revision)
    _put(node, "subEvent", [_session(s) for s in event.sessions] or None)
    return node


def _person(person: Person) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Person", "@id": person.id, "name": person.name}
    _put(node, "givenName", person.given_name)
    _put(node, "familyName", person.family_name)
    _put(node, "jobTitle", _text(person.job_title) if person.job_title else None)
    _put(node, "affiliation", list(person.affiliations) or None)
    _put(node, "country", person.country)
    _put(node, "identifier", _ids(person.external_ids))
    return node


def _organisation(organisation: Organisation) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": ORGANISATION_TYPES[organisation.kind],
        "@id": organisation.id,
        "name": _text(organisation.name),
    }
    _put(node, "alternateName", organisation.acronym)
    _put(node, "country", organisation.country)
    _put(node, "url", organisation.url)
    _put(node, "parentOrganization", organisation.parent)
    _put(node, "identifier", _ids(organisation.external_ids))
    return node


def dumps(catalogue: Catalogue) -> bytes:
    graph: list[dict[str, Any]] = [_event(event) for event in catalogue.events]
    for campaign in catalogue.campaigns:
        node: dict[str, Any] = {"@type": "EventSeries", "@id": campaign.id, "name": _text(campaign.name)}
        _put(node, "url", campaign.url)
        _put(node, "startDate", campaign.start.isoformat() if campaign.start else None)
        _put(node, "endDate", campaign.end.isoformat() if campaign.end else None)
        graph.append(node)
    graph += [_organisation(organisation) for organisation in catalogue.organisations]
    graph += [_person(person) for person in catalogue.people]
    document = {"@context": "https://w3id.org/mastery-model/v1/context.jsonld", "@graph": graph}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
