"""Hand-written CSV tables: the same rows as the library's ``csv`` exporter (the same bytes,
asserted in the benchmark), built straight from the model table by table, neutralised the same
way, and written with the standard library's csv writer. No metadata file: rows only."""

from __future__ import annotations

import csv
import decimal
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mastery_model.model import Catalogue, CredentialOffer, Event, Place, Session, Text, VirtualLocation

_FIRST = frozenset("=+-@\t\r'")
_RUNS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str | None) -> str:
    if not value:
        return ""
    if value[0] in _FIRST and value.lstrip("'")[:1] in _RUNS:
        return "'" + value
    return value


def _moment(moment: date | None) -> tuple[str, str]:
    if moment is None:
        return "", ""
    if isinstance(moment, datetime):
        text = moment.isoformat()
        return "", text[:-6] + "Z" if text.endswith("+00:00") else text
    return moment.isoformat(), ""


def _timing(entity: Event | Session) -> list[str]:
    start_date, start_time = _moment(entity.start)
    end_date, end_time = _moment(entity.end)
    return [start_date, end_date, start_time, end_time, entity.time_zone or ""]


def _stamp(moment: datetime | None) -> str:
    return _moment(moment)[1] if moment else ""


def _value(value: Any) -> str:
    return "" if value is None else str(value)


def _sessions(event: Event) -> Iterator[tuple[str | None, Session]]:
    stack: list[tuple[str | None, Session]] = [(None, session) for session in reversed(event.sessions)]
    while stack:
        parent, session = stack.pop()
        yield parent, session
        stack.extend((session.id, child) for child in reversed(session.sessions))


class _Languages:
    """The language columns of each multilingual column, in the order languages first appear."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.found: dict[str, dict[str, None]] = {}
        self.reordered: set[str] = set()
        for campaign in catalogue.campaigns:
            self.add("campaigns.name", campaign.name)
        for organisation in catalogue.organisations:
            self.add("organisations.name", organisation.name)
        for person in catalogue.people:
            self.add("people.jobTitle", person.job_title)
        for event in catalogue.events:
            self.add("events.name", event.name)
            self.add("events.description", event.description)
            offer = event.credential_offer
            for column, text in _offer_texts(offer):
                self.add(column, text)
            for location in event.locations:
                if isinstance(location, Place):
                    self.add("locations.name", location.name)
            for _parent, session in _sessions(event):
                self.add("sessions.name", session.name)
                self.add("sessions.description", session.description)
                for location in session.locations:
                    if isinstance(location, Place):
                        self.add("locations.name", location.name)
                for document in session.documents:
                    self.add("documents.name", document.name)
                for recommendation in session.recommendations:
                    self.add("recommendations.text", recommendation.text)

    def add(self, column: str, text: Text | None) -> None:
        if text is None:
            return
        known = self.found.setdefault(column, {})
        for language, _text in text.translations:
            known.setdefault(language, None)
        if len(text.translations) > 1:
            order = list(known)
            positions = [order.index(language) for language, _text in text.translations]
            if positions != sorted(positions):
                self.reordered.add(column)

    def header(self, column: str) -> list[str]:
        name = column.split(".")[1]
        titles = [f"{name}@{language}" for language in self.found.get(column, {"en": None})]
        return titles + ([f"{name}@languages"] if column in self.reordered else [])

    def cells(self, column: str, text: Text | None) -> list[str]:
        languages = list(self.found.get(column, {"en": None}))
        reordered = column in self.reordered
        if text is None:
            return [""] * (len(languages) + reordered)
        found = dict(text.translations)
        cells = [_safe(found.get(language)) for language in languages]
        if reordered:
            own = [language for language, _text in text.translations]
            cells.append("" if own == [language for language in languages if language in found] else " ".join(own))
        return cells


def write(catalogue: Catalogue, folder: Path) -> None:
    texts = _Languages(catalogue)
    files = {
        name: (folder / f"{name}.csv").open("w", encoding="utf-8", newline="")
        for name in (
            "campaigns",
            "organisations",
            "people",
            "events",
            "sessions",
            "locations",
            "identifiers",
            "topics",
            "keywords",
            "contributions",
            "documents",
            "recommendations",
        )
    }
    try:
        out = {name: csv.writer(stream, lineterminator="\r\n") for name, stream in files.items()}
        out["campaigns"].writerow(["id", *texts.header("campaigns.name"), "url", "startDate", "endDate"])
        out["organisations"].writerow(
            ["id", "type", *texts.header("organisations.name"), "alternateName", "country", "url", "parentOrganization"]
        )
        out["people"].writerow(
            ["id", "name", "givenName", "familyName", *texts.header("people.jobTitle"), "affiliation", "country"]
        )
        out["events"].writerow(
            [
                "id",
                *texts.header("events.name"),
                *texts.header("events.description"),
                "startDate",
                "endDate",
                "startTime",
                "endTime",
                "timeZone",
                "eventAttendanceMode",
                "eventStatus",
                "superEvent",
                "organizer",
                "funder",
                "audience",
                "inLanguage",
                "url",
                "attendance",
                "attendanceQualifier",
                "dateModified",
                "revision",
                "image",
                *texts.header("events.learningOutcomes"),
                "workloadHours",
                "eqfLevel",
                "ectsCredits",
                *texts.header("events.assessment"),
                *texts.header("events.qualityAssurance"),
            ]
        )
        out["sessions"].writerow(
            [
                "id",
                "event",
                "superEvent",
                *texts.header("sessions.name"),
                *texts.header("sessions.description"),
                "sessionKind",
                "startDate",
                "endDate",
                "startTime",
                "endTime",
                "timeZone",
                "position",
                "eventStatus",
                "url",
                "inLanguage",
                "country",
                "dateModified",
                "revision",
            ]
        )
        out["locations"].writerow(
            [
                "subject",
                "type",
                "url",
                "platform",
                *texts.header("locations.name"),
                "streetAddress",
                "addressLocality",
                "addressRegion",
                "postalCode",
                "addressCountry",
            ]
        )
        out["identifiers"].writerow(["subject", "propertyID", "value"])
        out["topics"].writerow(["subject", "about"])
        out["keywords"].writerow(["event", "keywords"])
        out["contributions"].writerow(["session", "event", "performer", "roleName"])
        out["documents"].writerow(
            [
                "id",
                "session",
                *texts.header("documents.name"),
                "url",
                "encodingFormat",
                "inLanguage",
                "author",
                "license",
            ]
        )
        out["recommendations"].writerow(
            ["id", "session", "position", "scope", "audience", *texts.header("recommendations.text")]
        )
        for campaign in catalogue.campaigns:
            out["campaigns"].writerow(
                [
                    campaign.id,
                    *texts.cells("campaigns.name", campaign.name),
                    _safe(campaign.url),
                    _value(campaign.start),
                    _value(campaign.end),
                ]
            )
        for organisation in catalogue.organisations:
            out["organisations"].writerow(
                [
                    organisation.id,
                    organisation.kind.value,
                    *texts.cells("organisations.name", organisation.name),
                    _safe(organisation.acronym),
                    _value(organisation.country),
                    _safe(organisation.url),
                    _value(organisation.parent),
                ]
            )
            for external_id in organisation.external_ids:
                out["identifiers"].writerow([organisation.id, _safe(external_id.scheme), _safe(external_id.value)])
        for person in catalogue.people:
            out["people"].writerow(
                [
                    person.id,
                    _safe(person.name),
                    _safe(person.given_name),
                    _safe(person.family_name),
                    *texts.cells("people.jobTitle", person.job_title),
                    " ".join(person.affiliations),
                    _value(person.country),
                ]
            )
            for external_id in person.external_ids:
                out["identifiers"].writerow([person.id, _safe(external_id.scheme), _safe(external_id.value)])
        for event in catalogue.events:
            _event(event, out, texts)
    finally:
        for stream in files.values():
            stream.close()


def _offer_texts(offer: CredentialOffer | None) -> list[tuple[str, Text | None]]:
    if offer is None:
        return []
    return [
        ("events.learningOutcomes", offer.learning_outcomes),
        ("events.assessment", offer.assessment),
        ("events.qualityAssurance", offer.quality_assurance),
    ]


def _decimal(number: float) -> str:
    """Digits and a point, no exponent, as CSVW's decimal (a whole number without the point)."""
    number = float(number)
    return str(int(number)) if number.is_integer() else format(decimal.Decimal(repr(number)), "f")


def _event(event: Event, out: dict[str, Any], texts: _Languages) -> None:
    attendance = event.attendance
    offer = event.credential_offer
    out["events"].writerow(
        [
            event.id,
            *texts.cells("events.name", event.name),
            *texts.cells("events.description", event.description),
            *_timing(event),
            event.attendance_mode.value if event.attendance_mode else "",
            event.status.value if event.status else "",
            _value(event.campaign),
            " ".join(event.organisers),
            " ".join(event.funders),
            " ".join(audience.value for audience in event.audience),
            " ".join(event.languages),
            _safe(event.url),
            _value(attendance.count) if attendance else "",
            attendance.qualifier.value if attendance else "",
            _stamp(event.modified),
            _value(event.revision),
            _safe(event.image),
            *texts.cells("events.learningOutcomes", offer.learning_outcomes if offer else None),
            _decimal(offer.workload_hours) if offer and offer.workload_hours is not None else "",
            _value(offer.eqf_level) if offer else "",
            _decimal(offer.ects_credits) if offer and offer.ects_credits is not None else "",
            *texts.cells("events.assessment", offer.assessment if offer else None),
            *texts.cells("events.qualityAssurance", offer.quality_assurance if offer else None),
        ]
    )
    for contribution in event.contributions:
        out["contributions"].writerow(["", event.id, contribution.contributor, contribution.role.value])
    _locations(event.id, event, out, texts)
    for external_id in event.external_ids:
        out["identifiers"].writerow([event.id, _safe(external_id.scheme), _safe(external_id.value)])
    for topic in event.topics:
        out["topics"].writerow([event.id, _safe(topic)])
    for keyword in event.keywords:
        out["keywords"].writerow([event.id, _safe(keyword)])
    for parent, session in _sessions(event):
        out["sessions"].writerow(
            [
                session.id,
                event.id,
                _value(parent),
                *texts.cells("sessions.name", session.name),
                *texts.cells("sessions.description", session.description),
                session.kind.value if session.kind else "",
                *_timing(session),
                _value(session.position),
                session.status.value if session.status else "",
                _safe(session.url),
                _value(session.language),
                _value(session.country),
                _stamp(session.modified),
                _value(session.revision),
            ]
        )
        _locations(session.id, session, out, texts)
        for external_id in session.external_ids:
            out["identifiers"].writerow([session.id, _safe(external_id.scheme), _safe(external_id.value)])
        for topic in session.topics:
            out["topics"].writerow([session.id, _safe(topic)])
        for contribution in session.contributions:
            out["contributions"].writerow([session.id, "", contribution.contributor, contribution.role.value])
        for document in session.documents:
            out["documents"].writerow(
                [
                    document.id,
                    session.id,
                    *texts.cells("documents.name", document.name),
                    _safe(document.url),
                    _safe(document.media_type),
                    _value(document.language),
                    " ".join(document.authors),
                    _safe(document.license),
                ]
            )
        for recommendation in session.recommendations:
            out["recommendations"].writerow(
                [
                    recommendation.id,
                    session.id,
                    _value(recommendation.position),
                    _safe(recommendation.scope),
                    " ".join(audience.value for audience in recommendation.audience),
                    *texts.cells("recommendations.text", recommendation.text),
                ]
            )
            for topic in recommendation.topics:
                out["topics"].writerow([recommendation.id, _safe(topic)])


def _locations(subject: str, entity: Event | Session, out: dict[str, Any], texts: _Languages) -> None:
    for location in entity.locations:
        if isinstance(location, VirtualLocation):
            out["locations"].writerow(
                [
                    subject,
                    "VirtualLocation",
                    _safe(location.url),
                    _safe(location.platform),
                    *texts.cells("locations.name", None),
                ]
                + [""] * 5
            )
        else:
            address = location.address
            parts = (
                [address.street, address.locality, address.region, address.postal_code, address.country]
                if address
                else [None] * 5
            )
            out["locations"].writerow(
                [subject, "Place", "", "", *texts.cells("locations.name", location.name)]
                + [_safe(part) for part in parts]
            )
