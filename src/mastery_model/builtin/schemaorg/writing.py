"""The ``schemaorg`` format: JSON-LD for web pages, as search engines read Event markup.

One ``EducationEvent`` per event with its sessions as ``subEvent``, and the people, organisations,
campaign and documents embedded where pages need them. Where the data cannot meet a search
engine's requirement (a start, a location), the output says nothing false and a warning names what
is missing. Recommendations are left out: schema.org has no property that links an event to what
it produced.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO

import orjson

from mastery_model import vocabulary
from mastery_model.conversion import ORGANISATION_TYPES
from mastery_model.model import (
    Address,
    AttendanceMode,
    Catalogue,
    Document,
    Event,
    ExternalId,
    Location,
    Moment,
    Place,
    Session,
    Status,
    Text,
    VirtualLocation,
)
from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.plugins.records import Exporter, Option, Options, language_tag
from mastery_model.problems import ExportWarning
from mastery_model.reading import collection_paused

SCHEMA = "https://schema.org/"
MODES = {AttendanceMode(value): name for value, name in vocabulary.members("eventAttendanceMode").items()}
STATUSES = {Status(value): name for value, name in vocabulary.members("eventStatus").items()}
#: What Event markup has no property for. Times keep their UTC offsets, not their zone's name;
#: schema.org has no property that links an event to what it produced (its recommendations).
LEAVES_OUT = (
    *(f"Event.{field}" for field in ("time_zone", "attendance", "modified", "revision")),
    *(f"Session.{field}" for field in ("kind", "time_zone", "position", "modified", "revision")),
    *(f"Session.{field}" for field in ("recommendations", "country")),
    "Contribution.role",
    "Person.country",
)
# Inside <script>, these would end the element or start markup; JSON may write them escaped.
_HTML_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


class _Builder:
    def __init__(self, catalogue: Catalogue, language: str | None) -> None:
        self.language = language
        self.people = {person.id: person for person in catalogue.people}
        self.organisations = {organisation.id: organisation for organisation in catalogue.organisations}
        self.campaigns = {campaign.id: campaign for campaign in catalogue.campaigns}

    def text(self, text: Text | None) -> str | None:
        return None if text is None else text.get(self.language)

    def event(self, event: Event) -> dict[str, Any]:
        node = self.common(event)
        if event.attendance_mode is not None:
            node["eventAttendanceMode"] = SCHEMA + MODES[event.attendance_mode]
        node.update(
            _present(
                organizer=[self.agent(identifier) for identifier in event.organisers],
                funder=[self.agent(identifier) for identifier in event.funders],
                superEvent=self.campaign(event.campaign),
                audience=[{"@type": "Audience", "audienceType": member.value} for member in event.audience],
                keywords=list(dict.fromkeys(event.topics + event.keywords)),
                inLanguage=list(event.languages) or None,
                subEvent=[self.session(session) for session in event.sessions],
            )
        )
        self.require(event, node)
        return node

    def session(self, session: Session) -> dict[str, Any]:
        node = self.common(session)
        node.update(
            _present(
                keywords=list(session.topics),
                inLanguage=session.language,
                performer=[self.agent(contribution.contributor) for contribution in session.contributions],
                workFeatured=[self.document(document) for document in session.documents],
                subEvent=[self.session(nested) for nested in session.sessions],
            )
        )
        return node

    def common(self, entity: Event | Session) -> dict[str, Any]:
        """What events and sessions say alike."""
        node: dict[str, Any] = {"@type": "EducationEvent", "@id": entity.id, "name": self.text(entity.name)}
        node.update(
            _present(
                description=self.text(entity.description),
                startDate=_moment(entity.start),
                endDate=_moment(entity.end),
                eventStatus=SCHEMA + STATUSES[entity.status] if entity.status else None,
                location=[_location(location, self.text) for location in entity.locations],
                url=entity.url,
                identifier=[_identifier(external) for external in entity.external_ids],
            )
        )
        return node

    def agent(self, identifier: str) -> dict[str, Any]:
        if identifier in self.people:
            person = self.people[identifier]
            return {
                "@type": "Person",
                "@id": person.id,
                "name": person.name,
                **_present(
                    givenName=person.given_name,
                    familyName=person.family_name,
                    jobTitle=self.text(person.job_title),
                    affiliation=[self.organisation(organisation) for organisation in person.affiliations],
                    identifier=[_identifier(external) for external in person.external_ids],
                ),
            }
        return self.organisation(identifier)

    def organisation(self, identifier: str) -> dict[str, Any]:
        organisation = self.organisations[identifier]
        return {
            "@type": ORGANISATION_TYPES[organisation.kind],
            "@id": organisation.id,
            "name": self.text(organisation.name),
            **_present(
                alternateName=organisation.acronym,
                url=organisation.url,
                address={"@type": "PostalAddress", "addressCountry": organisation.country}
                if organisation.country
                else None,
                parentOrganization=self.organisation(organisation.parent) if organisation.parent else None,
                identifier=[_identifier(external) for external in organisation.external_ids],
            ),
        }

    def campaign(self, identifier: str | None) -> dict[str, Any] | None:
        if identifier is None:
            return None
        campaign = self.campaigns[identifier]
        return {
            "@type": "EventSeries",
            "@id": campaign.id,
            "name": self.text(campaign.name),
            **_present(url=campaign.url, startDate=_moment(campaign.start), endDate=_moment(campaign.end)),
        }

    def document(self, document: Document) -> dict[str, Any]:
        return {
            "@type": "PresentationDigitalDocument",
            "@id": document.id,
            "name": self.text(document.name),
            **_present(
                url=document.url,
                encodingFormat=document.media_type,
                inLanguage=document.language,
                author=[self.agent(author) for author in document.authors],
                license=document.license,
            ),
        }

    def require(self, event: Event, node: dict[str, Any]) -> None:
        """Warn of what search engines require of an event and the data cannot give."""
        name = f"the event {node['name']!r}"
        if event.start is None:
            warnings.warn(ExportWarning(f"{name} has no start (startDate is required)"), stacklevel=2)
        if not event.locations:
            what = (
                "the URL where it is followed online" if event.attendance_mode is AttendanceMode.ONLINE else "a place"
            )
            warnings.warn(ExportWarning(f"{name} has no location (required): the data lacks {what}"), stacklevel=2)


def _present(**values: Any) -> dict[str, Any]:
    """The values that say something: no None, no empty list."""
    return {key: value for key, value in values.items() if value is not None and value != []}


def _moment(moment: Moment | None) -> str | None:
    return None if moment is None else moment.isoformat()  # a date-time with its UTC offset


def _identifier(external: ExternalId) -> dict[str, str]:
    return {"@type": "PropertyValue", "propertyID": external.scheme, "value": external.value}


def _location(location: Location, text: Any) -> dict[str, Any]:
    if isinstance(location, VirtualLocation):
        return {"@type": "VirtualLocation", "url": location.url, **_present(name=location.platform)}
    assert isinstance(location, Place)
    return {"@type": "Place", **_present(name=text(location.name), address=_address(location.address))}


def _address(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {
        "@type": "PostalAddress",
        **_present(
            streetAddress=address.street,
            addressLocality=address.locality,
            addressRegion=address.region,
            postalCode=address.postal_code,
            addressCountry=address.country,
        ),
    }


def write(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    write_parts(lambda: iter((catalogue,)), stream, options)


def write_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    """The markup of a catalogue given in parts, an event at a time: the markup of one event alone
    when there is one, else a ``@graph`` of them."""
    html = options.get("html") == "yes"
    if html:
        stream.write(b'<script type="application/ld+json">\n')
    with collection_paused():  # markup is trees of dictionaries: no cycles for the collector to find
        for chunk in _chunks(_event_nodes(parts, options.get("language"))):
            if html:  # each escape is of one character, so chunks escape as the whole would
                for raw, escaped in _HTML_ESCAPES:
                    chunk = chunk.replace(raw, escaped)
            stream.write(chunk)
    stream.write(b"\n</script>\n" if html else b"\n")


def _chunks(events: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    first = list(itertools.islice(events, 2))
    if len(first) == 2:
        yield from _graph(itertools.chain(first, events))
    else:  # one event, or none: the whole markup at once
        whole = (
            {"@context": "https://schema.org", **first[0]}
            if first
            else {"@context": "https://schema.org", "@graph": []}
        )
        yield orjson.dumps(whole, option=orjson.OPT_INDENT_2)


def _event_nodes(parts: Callable[[], Iterator[Catalogue]], language: str | None) -> Iterator[dict[str, Any]]:
    for part in parts():
        builder = _Builder(part, language)  # once a part: it indexes the part's people and organisations
        for event in part.events:
            yield builder.event(event)


def _graph(events: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    """``{"@context": ..., "@graph": [...]}`` as ``orjson`` indents it, an event at a time."""
    yield b'{\n  "@context": "https://schema.org",\n  "@graph": ['
    separator = b"\n    "
    for event in events:
        yield separator + orjson.dumps(event, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")
        separator = b",\n    "
    yield b"\n  ]\n}"


@hookimpl
def mastery_model_exporters() -> Sequence[Exporter]:
    return [
        Exporter(
            "schemaorg",
            "schema.org JSON-LD for web pages (Event markup)",
            "application/ld+json",
            ".schema.jsonld",
            write=write,
            write_parts=write_parts,
            leaves_out=LEAVES_OUT,
            options=(
                Option(
                    "language", "the language of the texts (a BCP 47 tag); else each text's default", check=language_tag
                ),
                Option(
                    "html", 'yes: a <script type="application/ld+json"> element, escaped for HTML', "no", ("yes", "no")
                ),
            ),
        )
    ]
