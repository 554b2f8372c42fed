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

import attrs
from attrs import frozen

from mastery_model import vocabulary
from mastery_model.builtin.csv import METADATA as METADATA  # the tables' metadata, kept with the format's name
from mastery_model.conversion import ORGANISATION_TYPES
from mastery_model.model import (
    Campaign,
    Catalogue,
    Contribution,
    Document,
    Event,
    ExternalId,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    Recommendation,
    Session,
    Text,
    VirtualLocation,
)
from mastery_model.schemas import context

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
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?\Z")
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


def _checked(parse: Callable[[str], Any]) -> Callable[[str], str]:
    """The text of a cell that ``parse`` takes (ValueError otherwise), as the document holds it."""

    def check(cell: str) -> str:
        parse(cell)
        return cell

    return check


def codes(enumeration: type[enum.Enum], what: str) -> Datatype:
    """The values of an enumeration, read as its members."""
    return choice([member.value for member in enumeration], what)


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
DATE = Datatype("date", "a date, YYYY-MM-DD", _matching(_DATE, _checked(date.fromisoformat)))
DATE_TIME = Datatype(
    "dateTimeStamp",
    "a date and time with its UTC offset, YYYY-MM-DDThh:mm:ss+hh:mm or ...Z",
    _matching(_DATE_TIME, _checked(datetime.fromisoformat)),
)
INTEGER = Datatype("nonNegativeInteger", "a whole number, 0 or more", _matching(_INTEGER, int))
DECIMAL = Datatype("decimal", "a number, 0 or more, such as 2.5 (a point, no exponent)", _matching(_DECIMAL, float))
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
    #: The model fields from the object a row holds to the value (empty: a column of the tables'
    #: structure, such as the parent a row belongs to), and the document's keys to it.
    fields: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    #: For a start or an end: which form of it the column takes, ``date`` alone or ``time``.
    form: str | None = None


@frozen
class Table:
    name: str
    holds: tuple[type, ...]  # the model classes a row is one of (a location: virtual or a place)
    description: str
    key: str | None = "id"
    #: The columns naming what a row belongs to: after the key, before the fields' columns.
    parents: tuple[Column, ...] = ()
    #: The lists of the model whose items the rows are: ``(Class, field)``.
    within: tuple[tuple[type, str], ...] = ()
    #: Columns named otherwise than their key: by the fields' path (``attendance.count``).
    names: tuple[tuple[str, str], ...] = ()
    #: Columns placed after another rather than in the vocabulary's order (the order the tables
    #: have always had): the column, and the one it follows.
    follows: tuple[tuple[str, str], ...] = ()
    #: Whether the parent columns are alternatives: a row names exactly one of them, the list of the
    #: class its table holds (else a row names the first, and the others add to it).
    alternatives: bool = False
    columns: tuple[Column, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column | None:
        return next((column for column in self.columns if column.name == name), None)


def _parent(name: str, *tables: str) -> Column:
    return Column(name, ID, None, required=True, references=tables)


_LOCATION_TYPE = Column("type", choice(LOCATION_TYPES, "a kind of location"), None, required=True, keys=("@type",))


def _article(words: str) -> str:
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _what(enumeration: type) -> str:
    """What a problem calls a value of an enumeration: ``SessionKind`` is a kind of session."""
    words = re.sub(r"(?<!^)([A-Z])", r" \1", enumeration.__name__).lower()
    if words.endswith(" kind"):
        words = "kind of " + words.removesuffix(" kind")
    return _article(words)


def _datatype(annotation: Any, term: vocabulary.Term) -> Datatype:
    """The datatype of a model field's values, from its type hint."""
    if term.refers_to or term.field == "id":
        return ID
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        if annotation is OrganisationKind:  # the node's @type: the code for the type's name
            return choice([kind.value for kind in OrganisationKind], _what(annotation), _organisation_type)
        return codes(annotation, _what(annotation))
    if annotation is int:
        return INTEGER
    if annotation is float:
        return DECIMAL
    if annotation is datetime:
        return DATE_TIME
    if annotation is date:
        return DATE
    return STRING


def _organisation_type(code: str) -> str:
    return ORGANISATION_TYPES[OrganisationKind(code)]


def _field_columns(
    cls: type,
    carried: set[tuple[type, str]],
    names: dict[str, str],
    path: tuple[str, ...] = (),
    keys: tuple[str, ...] = (),
) -> list[Column]:
    """The columns of a class's fields in the vocabulary's order, those of an object it holds
    (an attendance, an address) among them; a start and an end give their dates, then their times."""
    required = {field.name for field in attrs.fields(cls) if field.default is attrs.NOTHING} if not path else set()
    columns: list[Column] = []
    times: list[Column] = []
    for term in vocabulary.TERMS[cls]:
        if (cls, term.field) in carried:
            continue
        annotation, listed = vocabulary.value_type(cls, term.field), vocabulary.is_listed(cls, term.field)
        fields, at = (*path, term.field), (*keys, term.key)
        dotted = ".".join(fields)
        if term.time_key is None and times:
            columns += times
            times = []
        if attrs.has(annotation) and annotation is not Text:
            columns += _field_columns(annotation, carried, names, fields, at)
            continue
        text = annotation is Text
        column = Column(
            names.get(dotted, "id" if term.key == "@id" else term.key),
            STRING if text else _datatype(annotation, term),
            None if term.key.startswith("@") else term.key,
            required=term.field in required,
            text=text,
            listed=listed,
            references=term.refers_to,
            fields=fields,
            keys=at,
        )
        if term.time_key is None:
            columns.append(column)
            continue
        columns.append(attrs.evolve(column, datatype=DATE, form="date"))
        time_keys = (*keys, term.time_key)
        times.append(
            attrs.evolve(
                column, name=term.time_key, datatype=DATE_TIME, term=term.time_key, keys=time_keys, form="time"
            )
        )
    return columns + times


def _table(
    name: str,
    holds: type | tuple[type, ...],
    description: str,
    *,
    key: str | None = "id",
    parents: tuple[Column, ...] = (),
    within: tuple[tuple[type, str], ...] = (),
    names: dict[str, str] | None = None,
    follows: dict[str, str] | None = None,
    alternatives: bool = False,
) -> Table:
    classes = holds if isinstance(holds, tuple) else (holds,)
    return Table(
        name,
        classes,
        description,
        key,
        parents,
        within,
        tuple((names or {}).items()),
        tuple((follows or {}).items()),
        alternatives,
    )


def _values(name: str, key: str) -> Column:
    """The column of a table of free text that comes in lists: a value a row."""
    return Column(key, STRING, key, required=True, keys=(key,))


#: What each table holds, keyed how, and which lists of the model have tables of their own; the
#: columns follow from the vocabulary (:func:`_with_columns`).
_DECLARED: tuple[Table, ...] = (
    _table(
        "events",
        Event,
        "the events: the webinars, conferences and workshops",
        within=((Catalogue, "events"),),
        names={"attendance.count": "attendance", "attendance.qualifier": "attendanceQualifier"},
        follows={"superEvent": "eventStatus"},
    ),
    _table(
        "sessions",
        Session,
        "the sessions of the events, in programme order; superEvent names the session a session is "
        "part of, and is empty for a session directly in its event",
        parents=(
            _parent("event", "events"),
            attrs.evolve(_parent("superEvent", "sessions"), required=False, term="superEvent"),
        ),
        within=((Event, "sessions"), (Session, "sessions")),
        follows={"country": "inLanguage"},
    ),
    _table("people", Person, "the people who take part", within=((Catalogue, "people"),)),
    _table(
        "organisations",
        Organisation,
        "the organisations",
        within=((Catalogue, "organisations"),),
        names={"kind": "type"},
        follows={"type": "id"},
    ),
    _table("campaigns", Campaign, "the series that events belong to", within=((Catalogue, "campaigns"),)),
    _table(
        "contributions",
        Contribution,
        "who takes part in which session, or in which event as a whole (a row names one of the two), and in what role",
        key=None,
        parents=(
            attrs.evolve(_parent("session", "sessions"), required=False),
            attrs.evolve(_parent("event", "events"), required=False),
        ),
        within=((Session, "contributions"), (Event, "contributions")),
        alternatives=True,
    ),
    _table(
        "documents",
        Document,
        "the documents shown in sessions",
        parents=(_parent("session", "sessions"),),
        within=((Session, "documents"),),
    ),
    _table(
        "recommendations",
        Recommendation,
        "the recommendations the sessions produce; scope is a country (ISO 3166-1) or europe",
        parents=(_parent("session", "sessions"),),
        within=((Session, "recommendations"),),
        follows={"text": "audience"},
    ),
    _table(
        "locations",
        (VirtualLocation, Place),
        "where events and sessions take place: a VirtualLocation (url, platform) or a Place (name, address)",
        key=None,
        parents=(_parent("subject", "events", "sessions"), _LOCATION_TYPE),
        within=((Event, "locations"), (Session, "locations")),
    ),
    _table(
        "identifiers",
        ExternalId,
        "identifiers given by other systems (orcid, wikidata, frab, ...)",
        key=None,
        parents=(_parent("subject", "events", "sessions", "people", "organisations"),),
        within=(
            (Event, "external_ids"),
            (Session, "external_ids"),
            (Person, "external_ids"),
            (Organisation, "external_ids"),
        ),
    ),
    _table(
        "topics",
        str,
        "the topics of events, sessions and recommendations, a row each, in order",
        key=None,
        parents=(_parent("subject", "events", "sessions", "recommendations"),),
        within=((Event, "topics"), (Session, "topics"), (Recommendation, "topics")),
    ),
    _table(
        "keywords",
        str,
        "the keywords of events, a row each, in order",
        key=None,
        parents=(_parent("event", "events"),),
        within=((Event, "keywords"),),
    ),
)


def _with_columns(table: Table, carried: set[tuple[type, str]]) -> Table:
    names = dict(table.names)
    if table.holds == (str,):
        (cls, field), *_others = table.within
        fields = [_values(table.name, vocabulary.terms(cls)[field].key)]
    else:
        fields = [column for cls in table.holds for column in _field_columns(cls, carried, names)]
        if len(table.holds) > 1:  # a row is one of several classes: none of their columns is required
            fields = [attrs.evolve(column, required=False) for column in fields]
    for moved, after in table.follows:
        column = next(column for column in fields if column.name == moved)
        fields.remove(column)
        fields.insert(next(i for i, c in enumerate(fields) if c.name == after) + 1, column)
    keyed = [column for column in fields if column.name == table.key]
    rest = [column for column in fields if column.name != table.key]
    return attrs.evolve(table, columns=(*keyed, *table.parents, *rest))


_CARRIED = {place for table in _DECLARED for place in table.within}
TABLES: tuple[Table, ...] = tuple(_with_columns(table, _CARRIED) for table in _DECLARED)
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
