"""The tables of the ``csv`` format: their columns, datatypes and keys, shared by its exporter and
its importer, and described to other tools as CSV on the Web (CSVW) metadata.

A column is named after the JSON-LD term it holds, so that its property IRI is the one the
canonical documents use. Multilingual text has a column per language (``name@en``). Lists of
codes or ids share one cell, separated by a space (none of them can hold one); free text that
comes in lists (topics, keywords) has a table of its own, so that no separator can be misread.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from attrs import frozen

from mastery_model import vocabulary
from mastery_model.model import (
    AttendanceMode,
    Audience,
    Contribution,
    Document,
    Event,
    Organisation,
    OrganisationKind,
    Person,
    Qualifier,
    Role,
    SessionKind,
    Status,
)
from mastery_model.schemas import context

METADATA = "csv-metadata.json"
#: Separates the values of a list in one cell (codes and ids, which never hold a space).
SEPARATOR = " "
#: What spreadsheets run as a formula when a cell starts with it (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The first characters of the cells that may need an apostrophe.
FIRST = frozenset("=+-@\t\r'")
#: The suffix of the column holding a text's languages in order, where they differ from the columns'.
ORDER = "languages"

_DATE = re.compile(r"[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\Z")
_DATE_TIME = re.compile(
    r"[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])\Z"
)
_INTEGER = re.compile(r"(0|[1-9][0-9]*)\Z")
_ID = re.compile(r"(_:|[A-Za-z][A-Za-z0-9+.\-]*:)[^\s\x00-\x20\x7f-\x9f]+\Z")


@frozen
class Datatype:
    """A CSVW datatype, and how a cell of it is checked and turned into its JSON value."""

    base: str  # the CSVW (XML Schema) datatype
    expected: str  # what a cell must be, for messages
    parse: Callable[[str], Any]  # raises ValueError
    format: str | None = None  # a CSVW format: the regular expression a string matches


def _matching(pattern: re.Pattern[str], convert: Callable[[str], Any] = str) -> Callable[[str], Any]:
    def parse(cell: str) -> Any:
        if not pattern.match(cell):
            raise ValueError(cell)
        return convert(cell)

    return parse


def codes(enumeration: type[enum.Enum], what: str) -> Datatype:
    """The values of an enumeration, read as its members."""
    return choice([member.value for member in enumeration], what, enumeration)


def choice(values: Sequence[str], what: str, convert: Callable[[str], Any] = str) -> Datatype:
    allowed = frozenset(values)

    def parse(cell: str) -> Any:
        if cell not in allowed:
            raise ValueError(cell)
        return convert(cell)

    return Datatype(
        "string",
        f"{what}: one of {', '.join(values)}",
        parse,
        "^(" + "|".join(re.escape(value) for value in values) + ")$",
    )


STRING = Datatype("string", "text", str)
ID = Datatype("string", "an id: an IRI such as urn:uuid:..., or _:name", _matching(_ID))
DATE = Datatype("date", "a date, YYYY-MM-DD", _matching(_DATE, date.fromisoformat))
DATE_TIME = Datatype(
    "dateTimeStamp",
    "a date and time with its UTC offset, YYYY-MM-DDThh:mm:ss+hh:mm or ...Z",
    _matching(_DATE_TIME, datetime.fromisoformat),
)
INTEGER = Datatype("nonNegativeInteger", "a whole number, 0 or more", _matching(_INTEGER, int))
ORGANISATION_KINDS = codes(OrganisationKind, "a kind of organisation")
LOCATION_TYPES = ("VirtualLocation", "Place")


@frozen
class Column:
    name: str
    datatype: Datatype = STRING
    term: str | None = None  # the JSON-LD term whose IRI the column holds; None: no property of its own
    required: bool = False
    text: bool = False  # multilingual: a column per language, ``name@tag``
    listed: bool = False  # several values, separated by SEPARATOR
    references: tuple[str, ...] = ()  # the tables whose ids the values are


@frozen
class Table:
    name: str
    columns: tuple[Column, ...]
    description: str
    key: str | None = "id"

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column | None:
        return next((column for column in self.columns if column.name == name), None)


def _timing() -> tuple[Column, ...]:
    return (
        Column("startDate", DATE, "startDate"),
        Column("endDate", DATE, "endDate"),
        Column("startTime", DATE_TIME, "startTime"),
        Column("endTime", DATE_TIME, "endTime"),
        Column("timeZone", STRING, "timeZone"),
    )


def _reference(cls: type, field: str, *, required: bool = False) -> Column:
    """The column of a model field that holds ids, named and linked as the vocabulary says."""
    term = vocabulary.terms(cls)[field]
    listed = vocabulary.is_listed(cls, field)
    return Column(term.key, ID, term.key, required=required, listed=listed, references=term.refers_to)


_ID_COLUMN = Column("id", ID, None, required=True)

TABLES: tuple[Table, ...] = (
    Table(
        "events",
        (
            _ID_COLUMN,
            Column("name", term="name", required=True, text=True),
            Column("description", term="description", text=True),
            *_timing(),
            Column("eventAttendanceMode", codes(AttendanceMode, "an attendance mode"), "eventAttendanceMode"),
            Column("eventStatus", codes(Status, "a status"), "eventStatus"),
            _reference(Event, "campaign"),
            _reference(Event, "organisers"),
            _reference(Event, "funders"),
            Column("audience", codes(Audience, "an audience"), "audience", listed=True),
            Column("inLanguage", STRING, "inLanguage", listed=True),
            Column("url", term="url"),
            Column("attendance", INTEGER, "count"),
            Column("attendanceQualifier", codes(Qualifier, "a qualifier of a number"), "qualifier"),
            Column("dateModified", DATE_TIME, "dateModified"),
            Column("revision", INTEGER, "revision"),
        ),
        "the events: the webinars, conferences and workshops",
    ),
    Table(
        "sessions",
        (
            _ID_COLUMN,
            Column("event", ID, None, required=True, references=("events",)),
            Column("superEvent", ID, "superEvent", references=("sessions",)),
            Column("name", term="name", required=True, text=True),
            Column("description", term="description", text=True),
            Column("sessionKind", codes(SessionKind, "a kind of session"), "sessionKind"),
            *_timing(),
            Column("position", INTEGER, "position"),
            Column("eventStatus", codes(Status, "a status"), "eventStatus"),
            Column("url", term="url"),
            Column("inLanguage", STRING, "inLanguage"),
            Column("country", STRING, "country"),
            Column("dateModified", DATE_TIME, "dateModified"),
            Column("revision", INTEGER, "revision"),
        ),
        "the sessions of the events, in programme order; superEvent names the session a session is "
        "part of, and is empty for a session directly in its event",
    ),
    Table(
        "people",
        (
            _ID_COLUMN,
            Column("name", term=None, required=True),
            Column("givenName", term="givenName"),
            Column("familyName", term="familyName"),
            Column("jobTitle", term="jobTitle", text=True),
            _reference(Person, "affiliations"),
            Column("country", STRING, "country"),
        ),
        "the people who take part",
    ),
    Table(
        "organisations",
        (
            _ID_COLUMN,
            Column("type", ORGANISATION_KINDS, None),
            Column("name", term="name", required=True, text=True),
            Column("alternateName", term="alternateName"),
            Column("country", STRING, "country"),
            Column("url", term="url"),
            _reference(Organisation, "parent"),
        ),
        "the organisations",
    ),
    Table(
        "campaigns",
        (
            _ID_COLUMN,
            Column("name", term="name", required=True, text=True),
            Column("url", term="url"),
            Column("startDate", DATE, "startDate"),
            Column("endDate", DATE, "endDate"),
        ),
        "the series that events belong to",
    ),
    Table(
        "contributions",
        (
            Column("session", ID, None, required=True, references=("sessions",)),
            _reference(Contribution, "contributor", required=True),
            Column("roleName", codes(Role, "a role"), "roleName", required=True),
        ),
        "who takes part in which session, and in what role",
        key=None,
    ),
    Table(
        "documents",
        (
            _ID_COLUMN,
            Column("session", ID, None, required=True, references=("sessions",)),
            Column("name", term="name", required=True, text=True),
            Column("url", term="url"),
            Column("encodingFormat", term="encodingFormat"),
            Column("inLanguage", STRING, "inLanguage"),
            _reference(Document, "authors"),
            Column("license", term="license"),
        ),
        "the documents shown in sessions",
    ),
    Table(
        "recommendations",
        (
            _ID_COLUMN,
            Column("session", ID, None, required=True, references=("sessions",)),
            Column("position", INTEGER, "position"),
            Column("scope", STRING, "scope"),
            Column("audience", codes(Audience, "an audience"), "audience", listed=True),
            Column("text", term="text", required=True, text=True),
        ),
        "the recommendations the sessions produce; scope is a country (ISO 3166-1) or europe",
    ),
    Table(
        "locations",
        (
            Column("subject", ID, None, required=True, references=("events", "sessions")),
            Column("type", choice(LOCATION_TYPES, "a kind of location"), None, required=True),
            Column("url", term="url"),
            Column("platform", term="platform"),
            Column("name", term="name", text=True),
            Column("streetAddress", term="streetAddress"),
            Column("addressLocality", term="addressLocality"),
            Column("addressRegion", term="addressRegion"),
            Column("postalCode", term="postalCode"),
            Column("addressCountry", term="addressCountry"),
        ),
        "where events and sessions take place: a VirtualLocation (url, platform) or a Place (name, address)",
        key=None,
    ),
    Table(
        "identifiers",
        (
            Column("subject", ID, None, required=True, references=("events", "sessions", "people", "organisations")),
            Column("propertyID", term="propertyID", required=True),
            Column("value", term="value", required=True),
        ),
        "identifiers given by other systems (orcid, wikidata, frab, ...)",
        key=None,
    ),
    Table(
        "topics",
        (
            Column("subject", ID, None, required=True, references=("events", "sessions", "recommendations")),
            Column("about", term="about", required=True),
        ),
        "the topics of events, sessions and recommendations, a row each, in order",
        key=None,
    ),
    Table(
        "keywords",
        (
            Column("event", ID, None, required=True, references=("events",)),
            Column("keywords", term="keywords", required=True),
        ),
        "the keywords of events, a row each, in order",
        key=None,
    ),
)
BY_NAME = {table.name: table for table in TABLES}


def neutralised(cell: str) -> str:
    """The cell as a spreadsheet shows it rather than runs it: one apostrophe before a cell that
    starts, after any apostrophes of its own, with ``=``, ``+``, ``-``, ``@``, tab or carriage
    return (so that :func:`restored` can tell an added apostrophe from one in the data)."""
    return "'" + cell if cell and cell[0] in FIRST and _runs(cell) else cell


def restored(cell: str) -> str:
    """The value :func:`neutralised` was given."""
    return cell[1:] if cell[:1] == "'" and _runs(cell) else cell


def _runs(cell: str) -> bool:
    return cell.lstrip("'")[:1] in FORMULA_STARTS


def language_column(name: str, language: str) -> str:
    return f"{name}@{language}"


def order_column(name: str) -> str:
    return f"{name}@{ORDER}"


def property_iri(term: str) -> str:
    """The IRI a JSON-LD term of the canonical context stands for."""
    definitions = context()["@context"]
    definition = definitions[term]
    compact = definition if isinstance(definition, str) else definition["@id"]
    prefix, _colon, local = compact.partition(":")
    namespace = definitions.get(prefix)
    return namespace + local if isinstance(namespace, str) else compact
