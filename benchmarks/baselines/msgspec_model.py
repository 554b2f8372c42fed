"""The fastest typed decoder a user could pick: msgspec Structs of the same documents, with the
schemas' constraints (patterns, lengths, ranges, enumerations, no unknown properties, date-times
with an offset), decoded straight from the bytes by a cached decoder.

Schema-level only, as msgspec is: it checks no meaning across objects (references, zones,
positions, times within their parents), and it does not mint ids.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, Union

import msgspec
from msgspec import Meta, Struct, field

from benchmarks.baselines import pydantic_model

Id = Annotated[str, Meta(pattern=r"^(_:[^\s]+|[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+)$")]
Language = Annotated[str, Meta(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")]
Country = Annotated[str, Meta(pattern=r"^[A-Z]{2}$")]
Url = Annotated[str, Meta(pattern=r"^https?://[^\s]+$")]
NonEmpty = Annotated[str, Meta(min_length=1)]
Text = Annotated[dict[Language, NonEmpty], Meta(min_length=1)]
Moment = Annotated[datetime, Meta(tz=True)]
Scope = Annotated[str, Meta(pattern=r"^([A-Z]{2}|europe)$")]  # msgspec takes no union of two strings
Position = Annotated[int, Meta(ge=1)]
Count = Annotated[int, Meta(ge=0)]
# the enumerations are pydantic_model's, stated once
Status = pydantic_model.Status
AudienceName = pydantic_model.AudienceName


class Node(Struct, forbid_unknown_fields=True, frozen=True, omit_defaults=True):
    pass


class ExternalId(Node):
    propertyID: NonEmpty
    value: NonEmpty


class Address(Node):
    streetAddress: NonEmpty | None = None
    addressLocality: NonEmpty | None = None
    addressRegion: NonEmpty | None = None
    postalCode: NonEmpty | None = None
    addressCountry: Country | None = None


class VirtualLocation(Node, tag_field="@type", tag="VirtualLocation"):
    url: Url
    platform: NonEmpty | None = None


class Place(Node, tag_field="@type", tag="Place"):
    name: Text | None = None
    address: Address | None = None


class Contribution(Node):
    performer: Id
    roleName: Literal["speaker", "panellist", "moderator", "facilitator", "rapporteur", "host"]


class Document(Node):
    name: Text
    type: Literal["PresentationDigitalDocument"] | None = field(default=None, name="@type")
    id: Id | None = field(default=None, name="@id")
    url: Url | None = None
    encodingFormat: str | None = None
    inLanguage: Language | None = None
    author: list[Id] = []
    license: Url | None = None


class Recommendation(Node):
    text: Text
    type: Literal["Recommendation"] | None = field(default=None, name="@type")
    id: Id | None = field(default=None, name="@id")
    position: Position | None = None
    about: list[NonEmpty] = []
    scope: Scope | None = None
    audience: list[AudienceName] = []


class Session(Node):
    name: Text
    type: Literal["EducationEvent"] | None = field(default=None, name="@type")
    id: Id | None = field(default=None, name="@id")
    description: Text | None = None
    startDate: date | None = None
    endDate: date | None = None
    startTime: Moment | None = None
    endTime: Moment | None = None
    timeZone: str | None = None
    sessionKind: (
        Literal["keynote", "talk", "panel", "discussion", "breakout", "workshop", "plenary", "other"] | None
    ) = None
    position: Position | None = None
    eventStatus: Status | None = None
    location: list[VirtualLocation | Place] = []
    url: Url | None = None
    about: list[NonEmpty] = []
    inLanguage: Language | None = None
    identifier: list[ExternalId] = []
    dateModified: Moment | None = None
    revision: Count | None = None
    performer: list[Contribution] = []
    workFeatured: list[Document] = []
    recommendation: list[Recommendation] = []
    country: Country | None = None
    subEvent: list[Session] = []


class Attendance(Node):
    count: Count
    qualifier: Literal["exactly", "at-least", "more-than", "approximately"] = "exactly"


class Event(Node, tag_field="@type", tag="EducationEvent"):
    name: Text
    id: Id | None = field(default=None, name="@id")
    description: Text | None = None
    startDate: date | None = None
    endDate: date | None = None
    startTime: Moment | None = None
    endTime: Moment | None = None
    timeZone: str | None = None
    eventAttendanceMode: Literal["online", "in-person", "mixed"] | None = None
    eventStatus: Status | None = None
    location: list[VirtualLocation | Place] = []
    organizer: list[Id] = []
    funder: list[Id] = []
    superEvent: Id | None = None
    audience: list[AudienceName] = []
    about: list[NonEmpty] = []
    keywords: list[NonEmpty] = []
    inLanguage: list[Language] = []
    url: Url | None = None
    identifier: list[ExternalId] = []
    attendance: Attendance | None = None
    dateModified: Moment | None = None
    revision: Count | None = None
    subEvent: list[Session] = []


class Person(Node, tag_field="@type", tag="Person"):
    name: NonEmpty
    id: Id | None = field(default=None, name="@id")
    givenName: NonEmpty | None = None
    familyName: NonEmpty | None = None
    jobTitle: Text | None = None
    affiliation: list[Id] = []
    country: Country | None = None
    identifier: list[ExternalId] = []


class Organisation(Node, tag_field="@type"):
    name: Text
    id: Id | None = field(default=None, name="@id")
    alternateName: NonEmpty | None = None
    country: Country | None = None
    url: Url | None = None
    parentOrganization: Id | None = None
    identifier: list[ExternalId] = []


#: msgspec tells the members of a union apart by one tag each: an organisation's kinds are its types.
ORGANISATIONS: tuple[Any, ...] = tuple(
    msgspec.defstruct(kind, [], bases=(Organisation,), tag=kind, tag_field="@type")
    for kind in (
        "Organization",
        "GovernmentOrganization",
        "EducationalOrganization",
        "ResearchOrganization",
        "NGO",
        "Project",
        "Consortium",
        "Corporation",
    )
)


class Campaign(Node, tag_field="@type", tag="EventSeries"):
    name: Text
    id: Id | None = field(default=None, name="@id")
    url: Url | None = None
    startDate: date | None = None
    endDate: date | None = None


GraphNode = Union[(Event, Person, Campaign, *ORGANISATIONS)]  # the classes made above: no | to join them


class Catalogue(Node):
    context: Literal["https://w3id.org/mastery-model/v1/context.jsonld"] = field(name="@context")
    graph: Annotated[list[GraphNode], Meta(min_length=1)] = field(name="@graph")  # type: ignore[valid-type]


_DECODER = msgspec.json.Decoder(Catalogue)


def decode(data: bytes) -> Catalogue:
    """The catalogue in a document's bytes; ``msgspec.ValidationError`` when it breaks a constraint."""
    return _DECODER.decode(data)
