"""The domain model of educational events: frozen attrs classes and their local invariants.

The model knows nothing of JSON, files or identifiers' minting. Rules that span more than one
object (ids unique, references resolve, sessions inside their event) are checked by
:mod:`mastery_model.validation`; the rules here are the ones a single object can keep itself.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any, TypeAlias

import attrs
from attrs import field, frozen

#: How deep sessions may nest below an event (a session directly in an event is at depth 1).
MAX_SESSION_DEPTH = 16

#: A start or an end: a date-time with its UTC offset, or a date alone when only the day is
#: known. A date-time's IANA zone, when known, is kept beside it (``time_zone``), as in JSON-LD.
Moment: TypeAlias = datetime | date


class AttendanceMode(enum.Enum):
    ONLINE = "online"
    IN_PERSON = "in-person"
    MIXED = "mixed"


class Status(enum.Enum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    RESCHEDULED = "rescheduled"
    MOVED_ONLINE = "moved-online"


class SessionKind(enum.Enum):
    KEYNOTE = "keynote"
    TALK = "talk"
    PANEL = "panel"
    DISCUSSION = "discussion"
    BREAKOUT = "breakout"
    WORKSHOP = "workshop"
    PLENARY = "plenary"
    OTHER = "other"


class Role(enum.Enum):
    SPEAKER = "speaker"
    PANELLIST = "panellist"
    MODERATOR = "moderator"
    FACILITATOR = "facilitator"
    RAPPORTEUR = "rapporteur"
    HOST = "host"


class OrganisationKind(enum.Enum):
    ORGANISATION = "organisation"
    GOVERNMENT = "government"
    EDUCATIONAL = "educational"
    RESEARCH = "research"
    NGO = "ngo"
    PROJECT = "project"
    CONSORTIUM = "consortium"
    CORPORATION = "corporation"


class Qualifier(enum.Enum):
    """How a reported number relates to the real one ("over 70" is MORE_THAN 70)."""

    EXACTLY = "exactly"
    AT_LEAST = "at-least"
    MORE_THAN = "more-than"
    APPROXIMATELY = "approximately"


class Audience(enum.Enum):
    """Who a recommendation addresses, or whom an event is for."""

    POLICYMAKERS = "policymakers"
    PUBLIC_AUTHORITIES = "public-authorities"
    EDUCATION_PROVIDERS = "education-providers"
    VET_PROVIDERS = "vet-providers"
    HIGHER_EDUCATION = "higher-education"
    EMPLOYERS = "employers"
    SOCIAL_PARTNERS = "social-partners"
    LEARNERS = "learners"
    WORKERS = "workers"
    RESEARCHERS = "researchers"
    GENERAL_PUBLIC = "general-public"


#: The scope of a recommendation that speaks for Europe as a whole rather than one country.
EUROPE = "europe"


def _as_translations(value: Mapping[str, str] | tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    if type(value) is tuple:  # the common case first: isinstance against an ABC is slow
        return value
    return tuple(value.items()) if isinstance(value, Mapping) else tuple(value)


def _check_translations(_: object, __: attrs.Attribute[Any], value: tuple[tuple[str, str], ...]) -> None:
    if len(value) == 1:
        return
    if not value:
        raise ValueError("a text needs at least one language")
    languages = [language for language, _text in value]
    if len(set(languages)) != len(languages):
        raise ValueError(f"a text has one entry per language, got {languages}")


@frozen
class Text:
    """Text in one or more languages (BCP 47 tag to text). The first language is the default."""

    translations: tuple[tuple[str, str], ...] = field(converter=_as_translations, validator=_check_translations)

    @classmethod
    def of(cls, text: str, language: str) -> Text:
        return cls(((language, text),))

    @property
    def language(self) -> str:
        """The default language."""
        return self.translations[0][0]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(language for language, _text in self.translations)

    def get(self, language: str | None = None) -> str:
        """The text in ``language`` if there is one, else in the default language."""
        for tag, text in self.translations:
            if tag == language:
                return text
        return self.translations[0][1]

    def __str__(self) -> str:
        return self.translations[0][1]


def moment_error(moment: Moment) -> str | None:
    """Why ``moment`` cannot be a start or an end, or None when it can."""
    if isinstance(moment, datetime):
        offset = moment.utcoffset()
        if offset is None:
            return "a date-time needs a UTC offset"
        if offset.seconds % 60 or offset.microseconds:
            return "a UTC offset is a whole number of minutes"
    if not 1000 <= moment.year <= 2999:
        return "a date is in the years 1000 to 2999"
    return None


def timing_error(start: Moment | None, end: Moment | None, time_zone: str | None) -> str | None:
    """Why a start, an end and a zone cannot stand together, or None when they can."""
    if time_zone is not None and not (isinstance(start, datetime) or isinstance(end, datetime)):
        return "a time zone goes with a date-time, not with a date alone"
    if start is None or end is None:
        return None
    if isinstance(start, datetime) != isinstance(end, datetime):
        return "start and end are both date-times or both dates alone"
    if end < start:  # both of one kind, checked above
        return "the end is before the start"
    return None


@frozen
class ExternalId:
    """An identifier given by another system: ``orcid``, ``wikidata``, ``frab``, ..."""

    scheme: str
    value: str


@frozen
class Attendance:
    """How many took part, as reported: a number and how it relates to the real one."""

    count: int = field(validator=attrs.validators.ge(0))
    qualifier: Qualifier = Qualifier.EXACTLY


@frozen
class VirtualLocation:
    url: str
    platform: str | None = None


@frozen
class Address:
    street: str | None = None
    locality: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2


@frozen
class Place:
    name: Text | None = None
    address: Address | None = None


Location: TypeAlias = VirtualLocation | Place


@frozen
class Person:
    id: str
    name: str
    given_name: str | None = None
    family_name: str | None = None
    job_title: Text | None = None
    affiliations: tuple[str, ...] = ()  # organisation ids
    country: str | None = None  # ISO 3166-1 alpha-2
    external_ids: tuple[ExternalId, ...] = ()


@frozen
class Organisation:
    id: str
    name: Text
    acronym: str | None = None
    kind: OrganisationKind = OrganisationKind.ORGANISATION
    country: str | None = None  # ISO 3166-1 alpha-2
    url: str | None = None
    parent: str | None = None  # organisation id
    external_ids: tuple[ExternalId, ...] = ()


@frozen
class Campaign:
    """A larger series an event belongs to, such as a day or a week of events."""

    id: str
    name: Text
    url: str | None = None
    start: date | None = None
    end: date | None = None


@frozen
class Contribution:
    """A person or an organisation taking part in an event or a session in a role."""

    contributor: str  # person or organisation id
    role: Role


@frozen
class Document:
    """A document shown in a session, such as a slide deck."""

    id: str
    name: Text
    url: str | None = None
    media_type: str | None = None
    language: str | None = None
    authors: tuple[str, ...] = ()  # person or organisation ids
    license: str | None = None  # a URL


@frozen
class Recommendation:
    id: str
    text: Text
    position: int | None = None
    topics: tuple[str, ...] = ()
    scope: str | None = None  # ISO 3166-1 alpha-2, or EUROPE
    audience: tuple[Audience, ...] = ()


def _finite_at_least_zero(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not 0 <= value < math.inf:  # NaN fails the comparison too
        raise ValueError(f"{attribute.name} is a finite number, 0 or more, got {value!r}")


def _eqf_level(_: object, __: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and not (type(value) is int and 1 <= value <= 8):
        raise ValueError(f"an EQF level is a whole number from 1 to 8, got {value!r}")


@frozen
class CredentialOffer:
    """What an event offers to those who complete it, as the EU Council Recommendation on
    micro-credentials (2022/C 243/02, Annex I) asks a micro-credential to state. The form of
    participation (online, onsite, blended) is the event's ``attendance_mode``. An offer states
    at least one of its fields."""

    learning_outcomes: Text | None = None
    workload_hours: float | None = field(default=None, validator=_finite_at_least_zero)  # notional workload
    eqf_level: int | None = field(default=None, validator=_eqf_level)  # European Qualifications Framework, 1-8
    ects_credits: float | None = field(default=None, validator=_finite_at_least_zero)
    assessment: Text | None = None  # the type of assessment
    quality_assurance: Text | None = None  # the quality assurance of the offer

    def __attrs_post_init__(self) -> None:
        if all(getattr(self, name) is None for name in attrs.fields_dict(CredentialOffer)):
            raise ValueError("a credential offer states at least one of its fields")


@frozen
class Session:
    id: str
    name: Text
    description: Text | None = None
    kind: SessionKind | None = None
    start: Moment | None = None
    end: Moment | None = None
    time_zone: str | None = None  # IANA name; start and end carry its UTC offset
    position: int | None = None  # order in the programme when times are not known
    status: Status | None = None
    locations: tuple[Location, ...] = ()
    url: str | None = None
    topics: tuple[str, ...] = ()
    language: str | None = None
    external_ids: tuple[ExternalId, ...] = ()
    modified: datetime | None = None
    revision: int | None = None
    contributions: tuple[Contribution, ...] = ()
    documents: tuple[Document, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    country: str | None = None  # the country a national group speaks for
    sessions: tuple[Session, ...] = ()


@frozen
class Event:
    id: str
    name: Text
    description: Text | None = None
    start: Moment | None = None
    end: Moment | None = None
    time_zone: str | None = None  # IANA name; start and end carry its UTC offset
    attendance_mode: AttendanceMode | None = None
    status: Status | None = None
    locations: tuple[Location, ...] = ()
    organisers: tuple[str, ...] = ()  # person or organisation ids
    funders: tuple[str, ...] = ()  # person or organisation ids
    campaign: str | None = None  # campaign id
    audience: tuple[Audience, ...] = ()
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    url: str | None = None
    external_ids: tuple[ExternalId, ...] = ()
    attendance: Attendance | None = None
    modified: datetime | None = None
    revision: int | None = None
    contributions: tuple[Contribution, ...] = ()  # who takes part in the event as a whole
    image: str | None = None  # a URL
    credential_offer: CredentialOffer | None = None
    sessions: tuple[Session, ...] = ()


@frozen
class Catalogue:
    """Events with the people, organisations and campaigns they refer to."""

    events: tuple[Event, ...] = ()
    people: tuple[Person, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    campaigns: tuple[Campaign, ...] = ()


def walk_sessions(sessions: tuple[Session, ...]) -> Iterator[Session]:
    """These sessions and all nested in them, depth first in programme order."""
    stack = list(reversed(sessions))
    while stack:
        session = stack.pop()
        yield session
        stack.extend(reversed(session.sessions))
