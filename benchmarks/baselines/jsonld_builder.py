"""The canonical JSON-LD written by hand, as fast as idiomatic Python writes it: each node a dict
literal with its optional keys added by inline checks, lists built by comprehensions, the values
the writer transforms (texts, enumerations, dates and times) converted in place, then the whole
document serialised by orjson with the library's options. The same bytes as
``mastery_model.dumps`` for a valid catalogue; the yardstick of the library's export.

What it leaves out: validation (a catalogue the library loaded is known valid, and the library's
export checks the depth of nested sessions before it writes). Everything the writer does that
shapes the output is here: keys in the canonical order, optional values left out when unset, a
start or an end keyed as a date or a date and time, UTC written as ``Z``, an organisation's kind
as its ``@type``, an attendance's qualifier always written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from mastery_model.conversion import ORGANISATION_TYPES
from mastery_model.model import Catalogue, CredentialOffer, Event, Place, Session
from mastery_model.published import CONTEXT_IRI

_HEAD = b'{\n  "@context": ' + orjson.dumps(CONTEXT_IRI) + b',\n  "@graph": ['

# Enumeration members are written as ``member._value_``: ``.value`` is a property, several times slower.


def _locations(locations: tuple[Any, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for location in locations:
        if type(location) is Place:
            node: dict[str, Any] = {"@type": "Place"}
            name = location.name
            if name is not None:
                node["name"] = dict(name.translations)
            address = location.address
            if address is not None:
                parts: dict[str, str] = {}
                if address.street is not None:
                    parts["streetAddress"] = address.street
                if address.locality is not None:
                    parts["addressLocality"] = address.locality
                if address.region is not None:
                    parts["addressRegion"] = address.region
                if address.postal_code is not None:
                    parts["postalCode"] = address.postal_code
                if address.country is not None:
                    parts["addressCountry"] = address.country
                node["address"] = parts
        else:
            node = {"@type": "VirtualLocation", "url": location.url}
            if location.platform is not None:
                node["platform"] = location.platform
        out.append(node)
    return out


def _session(session: Session) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "EducationEvent", "@id": session.id, "name": dict(session.name.translations)}
    value: Any = session.description
    if value is not None:
        node["description"] = dict(value.translations)
    value = session.start
    if value is not None:
        if isinstance(value, datetime):
            text = value.isoformat()
            node["startTime"] = text[:-6] + "Z" if text.endswith("+00:00") else text
        else:
            node["startDate"] = value.isoformat()
    value = session.end
    if value is not None:
        if isinstance(value, datetime):
            text = value.isoformat()
            node["endTime"] = text[:-6] + "Z" if text.endswith("+00:00") else text
        else:
            node["endDate"] = value.isoformat()
    if session.time_zone is not None:
        node["timeZone"] = session.time_zone
    if session.kind is not None:
        node["sessionKind"] = session.kind._value_
    if session.position is not None:
        node["position"] = session.position
    if session.status is not None:
        node["eventStatus"] = session.status._value_
    if session.locations:
        node["location"] = _locations(session.locations)
    if session.url is not None:
        node["url"] = session.url
    if session.topics:
        node["about"] = list(session.topics)
    if session.language is not None:
        node["inLanguage"] = session.language
    if session.external_ids:
        node["identifier"] = [{"propertyID": e.scheme, "value": e.value} for e in session.external_ids]
    value = session.modified
    if value is not None:
        text = value.isoformat()
        node["dateModified"] = text[:-6] + "Z" if text.endswith("+00:00") else text
    if session.revision is not None:
        node["revision"] = session.revision
    if session.contributions:
        node["performer"] = [{"performer": c.contributor, "roleName": c.role._value_} for c in session.contributions]
    if session.documents:
        documents = []
        for document in session.documents:
            item: dict[str, Any] = {
                "@type": "PresentationDigitalDocument",
                "@id": document.id,
                "name": dict(document.name.translations),
            }
            if document.url is not None:
                item["url"] = document.url
            if document.media_type is not None:
                item["encodingFormat"] = document.media_type
            if document.language is not None:
                item["inLanguage"] = document.language
            if document.authors:
                item["author"] = list(document.authors)
            if document.license is not None:
                item["license"] = document.license
            documents.append(item)
        node["workFeatured"] = documents
    if session.recommendations:
        recommendations = []
        for recommendation in session.recommendations:
            item = {"@type": "Recommendation", "@id": recommendation.id, "text": dict(recommendation.text.translations)}
            if recommendation.position is not None:
                item["position"] = recommendation.position
            if recommendation.topics:
                item["about"] = list(recommendation.topics)
            if recommendation.scope is not None:
                item["scope"] = recommendation.scope
            if recommendation.audience:
                item["audience"] = [a._value_ for a in recommendation.audience]
            recommendations.append(item)
        node["recommendation"] = recommendations
    if session.country is not None:
        node["country"] = session.country
    if session.sessions:
        node["subEvent"] = [_session(s) for s in session.sessions]
    return node


def _event(event: Event) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "EducationEvent", "@id": event.id, "name": dict(event.name.translations)}
    value: Any = event.description
    if value is not None:
        node["description"] = dict(value.translations)
    value = event.start
    if value is not None:
        if isinstance(value, datetime):
            text = value.isoformat()
            node["startTime"] = text[:-6] + "Z" if text.endswith("+00:00") else text
        else:
            node["startDate"] = value.isoformat()
    value = event.end
    if value is not None:
        if isinstance(value, datetime):
            text = value.isoformat()
            node["endTime"] = text[:-6] + "Z" if text.endswith("+00:00") else text
        else:
            node["endDate"] = value.isoformat()
    if event.time_zone is not None:
        node["timeZone"] = event.time_zone
    if event.attendance_mode is not None:
        node["eventAttendanceMode"] = event.attendance_mode._value_
    if event.status is not None:
        node["eventStatus"] = event.status._value_
    if event.locations:
        node["location"] = _locations(event.locations)
    if event.organisers:
        node["organizer"] = list(event.organisers)
    if event.funders:
        node["funder"] = list(event.funders)
    if event.campaign is not None:
        node["superEvent"] = event.campaign
    if event.audience:
        node["audience"] = [a._value_ for a in event.audience]
    if event.topics:
        node["about"] = list(event.topics)
    if event.keywords:
        node["keywords"] = list(event.keywords)
    if event.languages:
        node["inLanguage"] = list(event.languages)
    if event.url is not None:
        node["url"] = event.url
    if event.external_ids:
        node["identifier"] = [{"propertyID": e.scheme, "value": e.value} for e in event.external_ids]
    value = event.attendance
    if value is not None:
        node["attendance"] = {"count": value.count, "qualifier": value.qualifier._value_}
    value = event.modified
    if value is not None:
        text = value.isoformat()
        node["dateModified"] = text[:-6] + "Z" if text.endswith("+00:00") else text
    if event.revision is not None:
        node["revision"] = event.revision
    if event.contributions:
        node["performer"] = [{"performer": c.contributor, "roleName": c.role._value_} for c in event.contributions]
    if event.image is not None:
        node["image"] = event.image
    offer = event.credential_offer
    if offer is not None:
        node["credentialOffer"] = _offer(offer)
    if event.sessions:
        node["subEvent"] = [_session(s) for s in event.sessions]
    return node


def _offer(offer: CredentialOffer) -> dict[str, Any]:
    node: dict[str, Any] = {}
    if offer.learning_outcomes is not None:
        node["learningOutcomes"] = dict(offer.learning_outcomes.translations)
    if offer.workload_hours is not None:
        node["workloadHours"] = offer.workload_hours
    if offer.eqf_level is not None:
        node["eqfLevel"] = offer.eqf_level
    if offer.ects_credits is not None:
        node["ectsCredits"] = offer.ects_credits
    if offer.assessment is not None:
        node["assessment"] = dict(offer.assessment.translations)
    if offer.quality_assurance is not None:
        node["qualityAssurance"] = dict(offer.quality_assurance.translations)
    return node


def dumps(catalogue: Catalogue) -> bytes:
    """The canonical document of a valid catalogue: events, then campaigns, organisations, people."""
    nodes: list[memoryview] = []
    add = nodes.append
    json = orjson.dumps
    indented = orjson.OPT_INDENT_2
    # A node alone in a list in a list is indented as in the @graph: [\n  [\n    {...}\n  ]\n]
    for event in catalogue.events:
        add(memoryview(json([[_event(event)]], option=indented))[10:-6])
    for campaign in catalogue.campaigns:
        node: dict[str, Any] = {"@type": "EventSeries", "@id": campaign.id, "name": dict(campaign.name.translations)}
        if campaign.url is not None:
            node["url"] = campaign.url
        if campaign.start is not None:
            node["startDate"] = campaign.start.isoformat()
        if campaign.end is not None:
            node["endDate"] = campaign.end.isoformat()
        add(memoryview(json([[node]], option=indented))[10:-6])
    types = ORGANISATION_TYPES
    for organisation in catalogue.organisations:
        node = {"@type": types[organisation.kind], "@id": organisation.id, "name": dict(organisation.name.translations)}
        if organisation.acronym is not None:
            node["alternateName"] = organisation.acronym
        if organisation.country is not None:
            node["country"] = organisation.country
        if organisation.url is not None:
            node["url"] = organisation.url
        if organisation.parent is not None:
            node["parentOrganization"] = organisation.parent
        if organisation.external_ids:
            node["identifier"] = [{"propertyID": e.scheme, "value": e.value} for e in organisation.external_ids]
        add(memoryview(json([[node]], option=indented))[10:-6])
    for person in catalogue.people:
        node = {"@type": "Person", "@id": person.id, "name": person.name}
        if person.given_name is not None:
            node["givenName"] = person.given_name
        if person.family_name is not None:
            node["familyName"] = person.family_name
        if person.job_title is not None:
            node["jobTitle"] = dict(person.job_title.translations)
        if person.affiliations:
            node["affiliation"] = list(person.affiliations)
        if person.country is not None:
            node["country"] = person.country
        if person.external_ids:
            node["identifier"] = [{"propertyID": e.scheme, "value": e.value} for e in person.external_ids]
        add(memoryview(json([[node]], option=indented))[10:-6])
    if not nodes:
        return _HEAD + b"]\n}\n"
    return b"".join((_HEAD, b"\n    ", b",\n    ".join(nodes), b"\n  ]\n}\n"))
