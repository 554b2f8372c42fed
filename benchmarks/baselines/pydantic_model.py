"""What a user would pick instead: an idiomatic pydantic v2 model of the same documents.

The same fields, types and constraints as the JSON Schemas (patterns, enumerations, ranges,
no unknown properties), with pydantic's own JSON parser (``model_validate_json``). It checks no
meaning across objects (references, zones, ordering): pydantic users would write that by hand.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Id = Annotated[str, Field(pattern=r"^(_:[^\s]+|[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+)$")]
Language = Annotated[str, Field(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Url = Annotated[str, Field(pattern=r"^https?://[^\s]+$")]
NonEmpty = Annotated[str, Field(min_length=1)]
Text = Annotated[dict[Language, NonEmpty], Field(min_length=1)]
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


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExternalId(Node):
    propertyID: NonEmpty
    value: NonEmpty


class Address(Node):
    streetAddress: NonEmpty | None = None
    addressLocality: NonEmpty | None = None
    addressRegion: NonEmpty | None = None
    postalCode: NonEmpty | None = None
    addressCountry: Country | None = None


class VirtualLocation(Node):
    type: Literal["VirtualLocation"] = Field(alias="@type")
    url: Url
    platform: NonEmpty | None = None


class Place(Node):
    type: Literal["Place"] = Field(alias="@type")
    name: Text | None = None
    address: Address | None = None


Location = Annotated[VirtualLocation | Place, Field(discriminator="type")]


class Timed(Node):
    startDate: date | None = None
    endDate: date | None = None
    startTime: datetime | None = None
    endTime: datetime | None = None
    timeZone: str | None = None


class Contribution(Node):
    performer: Id
    roleName: Literal["speaker", "panellist", "moderator", "facilitator", "rapporteur", "host"]


class Document(Node):
    type: Literal["PresentationDigitalDocument"] | None = Field(None, alias="@type")
    id: Id | None = Field(None, alias="@id")
    name: Text
    url: Url | None = None
    encodingFormat: str | None = None
    inLanguage: Language | None = None
    author: list[Id] = []
    license: Url | None = None


class Recommendation(Node):
    type: Literal["Recommendation"] | None = Field(None, alias="@type")
    id: Id | None = Field(None, alias="@id")
    text: Text
    position: Annotated[int, Field(ge=1)] | None = None
    about: list[NonEmpty] = []
    scope: Country | Literal["europe"] | None = None
    audience: list[AudienceName] = []


class Session(Timed):
    type: Literal["EducationEvent"] | None = Field(None, alias="@type")
    id: Id | None = Field(None, alias="@id")
    name: Text
    description: Text | None = None
    sessionKind: (
        Literal["keynote", "talk", "panel", "discussion", "breakout", "workshop", "plenary", "other"] | None
    ) = None
    position: Annotated[int, Field(ge=1)] | None = None
    eventStatus: Status | None = None
    location: list[Location] = []
    url: Url | None = None
    about: list[NonEmpty] = []
    inLanguage: Language | None = None
    identifier: list[ExternalId] = []
    dateModified: datetime | None = None
    revision: Annotated[int, Field(ge=0)] | None = None
    performer: list[Contribution] = []
    workFeatured: list[Document] = []
    recommendation: list[Recommendation] = []
    country: Country | None = None
    subEvent: list[Session] = []


class Attendance(Node):
    count: Annotated[int, Field(ge=0)]
    qualifier: Literal["exactly", "at-least", "more-than", "approximately"] = "exactly"


class CredentialOffer(Node):
    learningOutcomes: Text | None = None
    workloadHours: Annotated[float, Field(ge=0)] | None = None
    eqfLevel: Annotated[int, Field(ge=1, le=8)] | None = None
    ectsCredits: Annotated[float, Field(ge=0)] | None = None
    assessment: Text | None = None
    qualityAssurance: Text | None = None


class Event(Timed):
    type: Literal["EducationEvent"] = Field(alias="@type")
    id: Id | None = Field(None, alias="@id")
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
    dateModified: datetime | None = None
    revision: Annotated[int, Field(ge=0)] | None = None
    performer: list[Contribution] = []
    image: Url | None = None
    credentialOffer: CredentialOffer | None = None
    subEvent: list[Session] = []


class Person(Node):
    type: Literal["Person"] = Field(alias="@type")
    id: Id | None = Field(None, alias="@id")
    name: NonEmpty
    givenName: NonEmpty | None = None
    familyName: NonEmpty | None = None
    jobTitle: Text | None = None
    affiliation: list[Id] = []
    country: Country | None = None
    identifier: list[ExternalId] = []


class Organisation(Node):
    type: Literal[
        "Organization",
        "GovernmentOrganization",
        "EducationalOrganization",
        "ResearchOrganization",
        "NGO",
        "Project",
        "Consortium",
        "Corporation",
    ] = Field(alias="@type")
    id: Id | None = Field(None, alias="@id")
    name: Text
    alternateName: NonEmpty | None = None
    country: Country | None = None
    url: Url | None = None
    parentOrganization: Id | None = None
    identifier: list[ExternalId] = []


class Campaign(Node):
    type: Literal["EventSeries"] = Field(alias="@type")
    id: Id | None = Field(None, alias="@id")
    name: Text
    url: Url | None = None
    startDate: date | None = None
    endDate: date | None = None


GraphNode = Annotated[Event | Person | Organisation | Campaign, Field(discriminator="type")]


class Catalogue(Node):
    context: Literal["https://w3id.org/mastery-model/v1/context.jsonld"] = Field(alias="@context")
    graph: list[GraphNode] = Field(alias="@graph", min_length=1)
