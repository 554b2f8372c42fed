"""The fastest typed decoder a user could pick: msgspec Structs of the same documents.

The same fields, types and schema-level constraints as :mod:`pydantic_model` (patterns, lengths,
ranges, enumerations as ``Literal``, no unknown properties, date-times with their UTC offset),
the graph's nodes and the locations told apart by ``@type`` as tagged unions. Schema-level only:
it checks no meaning across objects (references, ids unique, zones, languages, countries,
ordering, times within times) and so accepts documents ``mastery_model.loads`` refuses.

    decode(data)
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

# msgspec matches with Python's re.search, where "$" also matches before a final newline: the
# patterns end in "\Z" so that "ES\n" is no country code, as in JSON Schema and in pydantic.
Id = Annotated[str, msgspec.Meta(pattern=r"^(_:[^\s]+|[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+)\Z")]
Language = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")]
Country = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}\Z")]
#: A country or Europe: msgspec takes no union of a constrained string and a literal one.
Scope = Annotated[str, msgspec.Meta(pattern=r"^([A-Z]{2}|europe)\Z")]
Url = Annotated[str, msgspec.Meta(pattern=r"^https?://[^\s]+\Z")]
NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]
Text = Annotated[dict[Language, NonEmpty], msgspec.Meta(min_length=1)]
Moment = Annotated[datetime, msgspec.Meta(tz=True)]
Position = Annotated[int, msgspec.Meta(ge=1)]
NonNegative = Annotated[int, msgspec.Meta(ge=0)]
Status = Literal["scheduled", "cancelled", "postponed", "rescheduled", "moved-online"]
AudienceName = Literal[
    "policymakers",
    "public-authorities",
    "education-providers",
    "vet-providers",
    "higher-education",
    "employers",
    "social-partners",
    "learners",
    "workers",
    "researchers",
    "general-public",
]


class Node(msgspec.Struct, forbid_unknown_fields=True):
    """Unknown properties refused. ``kw_only``, which subclasses do not inherit, lets a class list a
    required field after optional ones."""


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


Location = VirtualLocation | Place


class Timed(Node):
    startDate: date | None = None
    endDate: date | None = None
    startTime: Moment | None = None
    endTime: Moment | None = None
    timeZone: str | None = None


class Contribution(Node):
    performer: Id
    roleName: Literal["speaker", "panellist", "moderator", "facilitator", "rapporteur", "host"]


class Document(Node, kw_only=True):
    type: Literal["PresentationDigitalDocument"] | None = msgspec.field(default=None, name="@type")
    id: Id | None = msgspec.field(default=None, name="@id")
    name: Text
    url: Url | None = None
    encodingFormat: str | None = None
    inLanguage: Language | None = None
    author: list[Id] = []
    license: Url | None = None


class Recommendation(Node, kw_only=True):
    type: Literal["Recommendation"] | None = msgspec.field(default=None, name="@type")
    id: Id | None = msgspec.field(default=None, name="@id")
    text: Text
    position: Position | None = None
    about: list[NonEmpty] = []
    scope: Scope | None = None
    audience: list[AudienceName] = []


class Session(Timed, kw_only=True):
    type: Literal["EducationEvent"] | None = msgspec.field(default=None, name="@type")
    id: Id | None = msgspec.field(default=None, name="@id")
    name: Text
    description: Text | None = None
    sessionKind: (
        Literal["keynote", "talk", "panel", "discussion", "breakout", "workshop", "plenary", "other"] | None
    ) = None
    position: Position | None = None
    eventStatus: Status | None = None
    location: list[Location] = []
    url: Url | None = None
    about: list[NonEmpty] = []
    inLanguage: Language | None = None
    identifier: list[ExternalId] = []
    dateModified: Moment | None = None
    revision: NonNegative | None = None
    performer: list[Contribution] = []
    workFeatured: list[Document] = []
    recommendation: list[Recommendation] = []
    country: Country | None = None
    subEvent: list[Session] = []


class Attendance(Node):
    count: NonNegative
    qualifier: Literal["exactly", "at-least", "more-than", "approximately"] = "exactly"


class CredentialOffer(Node):
    learningOutcomes: Text | None = None
    workloadHours: Annotated[float, msgspec.Meta(ge=0)] | None = None
    eqfLevel: Annotated[int, msgspec.Meta(ge=1, le=8)] | None = None
    ectsCredits: Annotated[float, msgspec.Meta(ge=0)] | None = None
    assessment: Text | None = None
    qualityAssurance: Text | None = None


class Event(Timed, kw_only=True, tag_field="@type", tag="EducationEvent"):
    id: Id | None = msgspec.field(default=None, name="@id")
    name: Text
    description: Text | None = None
    eventAttendanceMode: Literal["online", "in-person", "mixed"] | None = None
    eventStatus: Status | None = None
    location: list[Location] = []
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
    revision: NonNegative | None = None
    performer: list[Contribution] = []
    image: Url | None = None
    credentialOffer: CredentialOffer | None = None
    subEvent: list[Session] = []


class Person(Node, kw_only=True, tag_field="@type", tag="Person"):
    id: Id | None = msgspec.field(default=None, name="@id")
    name: NonEmpty
    givenName: NonEmpty | None = None
    familyName: NonEmpty | None = None
    jobTitle: Text | None = None
    affiliation: list[Id] = []
    country: Country | None = None
    identifier: list[ExternalId] = []


class Organisation(Node, kw_only=True, tag_field="@type"):
    """An organisation of any kind: a tagged union takes one tag per class, so one subclass each."""

    id: Id | None = msgspec.field(default=None, name="@id")
    name: Text
    alternateName: NonEmpty | None = None
    country: Country | None = None
    url: Url | None = None
    parentOrganization: Id | None = None
    identifier: list[ExternalId] = []


class Organization(Organisation, tag="Organization"):
    pass


class GovernmentOrganization(Organisation, tag="GovernmentOrganization"):
    pass


class EducationalOrganization(Organisation, tag="EducationalOrganization"):
    pass


class ResearchOrganization(Organisation, tag="ResearchOrganization"):
    pass


class NGO(Organisation, tag="NGO"):
    pass


class Project(Organisation, tag="Project"):
    pass


class Consortium(Organisation, tag="Consortium"):
    pass


class Corporation(Organisation, tag="Corporation"):
    pass


class Campaign(Node, kw_only=True, tag_field="@type", tag="EventSeries"):
    id: Id | None = msgspec.field(default=None, name="@id")
    name: Text
    url: Url | None = None
    startDate: date | None = None
    endDate: date | None = None


GraphNode = (
    Event
    | Person
    | Organization
    | GovernmentOrganization
    | EducationalOrganization
    | ResearchOrganization
    | NGO
    | Project
    | Consortium
    | Corporation
    | Campaign
)


class Catalogue(Node):
    context: Literal["https://w3id.org/mastery-model/v1/context.jsonld"] = msgspec.field(name="@context")
    graph: Annotated[list[GraphNode], msgspec.Meta(min_length=1)] = msgspec.field(name="@graph")


_decoder = msgspec.json.Decoder(Catalogue)


def decode(data: bytes) -> Catalogue:
    """The catalogue in ``data``; ``msgspec.ValidationError`` (a ``msgspec.DecodeError``) when it
    breaks the constraints above, ``msgspec.DecodeError`` when it is not JSON."""
    return _decoder.decode(data)
