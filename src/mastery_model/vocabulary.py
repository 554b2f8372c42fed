"""The vocabulary: for every field of the model, the key that carries it in the canonical documents
and what its values refer to. The converter's names, the pointers of problems, the reference
checks and the tables of the formats are derived from this one table; the enumerations' IRIs are
those of the published context (``schemas/v1/context.jsonld``).

A format states what it leaves out by naming fields as ``Class.field`` (see
:attr:`mastery_model.plugins.records.Exporter.leaves_out`); :func:`field_named` resolves those names.
"""

from __future__ import annotations

import functools
import operator
import typing
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from attrs import frozen

from mastery_model import model, schemas
from mastery_model.model import (
    Address,
    Attendance,
    Campaign,
    Catalogue,
    Contribution,
    CredentialOffer,
    Document,
    Event,
    ExternalId,
    Organisation,
    Person,
    Place,
    Recommendation,
    Session,
    VirtualLocation,
)

#: The kinds of entity a catalogue holds, by the name of its collection, as references name them.
EVENTS, SESSIONS, PEOPLE, ORGANISATIONS, CAMPAIGNS = "events", "sessions", "people", "organisations", "campaigns"
PARTIES = (PEOPLE, ORGANISATIONS)
#: What problems call an entity of each kind that references name.
KIND_NAMES = {PEOPLE: "person", ORGANISATIONS: "organisation", CAMPAIGNS: "campaign (EventSeries)"}


@frozen
class Term:
    """One field of a model class and how the canonical document carries it."""

    field: str
    #: The document's key (a JSON-LD term of the context). For a start or an end: the key of a date
    #: alone; ``time_key`` is that of a date and time.
    key: str
    #: The collections whose ids the field's values are (empty: the value is no reference).
    refers_to: tuple[str, ...] = ()
    time_key: str | None = None


def _timing() -> tuple[Term, ...]:
    return (
        Term("start", "startDate", time_key="startTime"),
        Term("end", "endDate", time_key="endTime"),
        Term("time_zone", "timeZone"),
    )


def _same(*fields: str) -> tuple[Term, ...]:
    """Fields whose key is their name."""
    return tuple(Term(name, name) for name in fields)


#: Every field of every model class, in the order the canonical document writes them.
TERMS: dict[type, tuple[Term, ...]] = {
    Catalogue: _same(EVENTS, PEOPLE, ORGANISATIONS, CAMPAIGNS),
    ExternalId: (Term("scheme", "propertyID"), Term("value", "value")),
    Attendance: _same("count", "qualifier"),
    VirtualLocation: _same("url", "platform"),
    Address: (
        Term("street", "streetAddress"),
        Term("locality", "addressLocality"),
        Term("region", "addressRegion"),
        Term("postal_code", "postalCode"),
        Term("country", "addressCountry"),
    ),
    Place: _same("name", "address"),
    Person: (
        Term("id", "@id"),
        Term("name", "name"),
        Term("given_name", "givenName"),
        Term("family_name", "familyName"),
        Term("job_title", "jobTitle"),
        Term("affiliations", "affiliation", (ORGANISATIONS,)),
        Term("country", "country"),
        Term("external_ids", "identifier"),
    ),
    Organisation: (
        Term("id", "@id"),
        Term("name", "name"),
        Term("acronym", "alternateName"),
        Term("kind", "@type"),  # the node's type: Organization, GovernmentOrganization, ...
        Term("country", "country"),
        Term("url", "url"),
        Term("parent", "parentOrganization", (ORGANISATIONS,)),
        Term("external_ids", "identifier"),
    ),
    Campaign: (Term("id", "@id"), *_same("name", "url"), Term("start", "startDate"), Term("end", "endDate")),
    Contribution: (Term("contributor", "performer", PARTIES), Term("role", "roleName")),
    Document: (
        Term("id", "@id"),
        *_same("name", "url"),
        Term("media_type", "encodingFormat"),
        Term("language", "inLanguage"),
        Term("authors", "author", PARTIES),
        Term("license", "license"),
    ),
    Recommendation: (
        Term("id", "@id"),
        *_same("text", "position"),
        Term("topics", "about"),
        *_same("scope", "audience"),
    ),
    Session: (
        Term("id", "@id"),
        *_same("name", "description"),
        Term("kind", "sessionKind"),
        *_timing(),
        Term("position", "position"),
        Term("status", "eventStatus"),
        Term("locations", "location"),
        Term("url", "url"),
        Term("topics", "about"),
        Term("language", "inLanguage"),
        Term("external_ids", "identifier"),
        Term("modified", "dateModified"),
        Term("revision", "revision"),
        Term("contributions", "performer"),
        Term("documents", "workFeatured"),
        Term("recommendations", "recommendation"),
        Term("country", "country"),
        Term("sessions", "subEvent"),
    ),
    Event: (
        Term("id", "@id"),
        *_same("name", "description"),
        *_timing(),
        Term("attendance_mode", "eventAttendanceMode"),
        Term("status", "eventStatus"),
        Term("locations", "location"),
        Term("organisers", "organizer", PARTIES),
        Term("funders", "funder", PARTIES),
        Term("campaign", "superEvent", (CAMPAIGNS,)),
        *_same("audience"),
        Term("topics", "about"),
        Term("keywords", "keywords"),
        Term("languages", "inLanguage"),
        Term("url", "url"),
        Term("external_ids", "identifier"),
        Term("attendance", "attendance"),
        Term("modified", "dateModified"),
        Term("revision", "revision"),
        Term("contributions", "performer"),
        Term("image", "image"),
        Term("credential_offer", "credentialOffer"),
        Term("sessions", "subEvent"),
    ),
    CredentialOffer: (
        Term("learning_outcomes", "learningOutcomes"),
        Term("workload_hours", "workloadHours"),
        Term("eqf_level", "eqfLevel"),
        Term("ects_credits", "ectsCredits"),
        Term("assessment", "assessment"),
        Term("quality_assurance", "qualityAssurance"),
    ),
}


@functools.cache
def terms(cls: type) -> dict[str, Term]:
    """The terms of a model class, by field name."""
    return {term.field: term for term in TERMS[cls]}


@functools.cache  # called for every check of every node: a cached call costs no Python frame
def key(cls: type, field: str) -> str:
    """The document key of a field of a model class."""
    return terms(cls)[field].key


def moment_key(cls: type, field: str, moment: object) -> str:
    """The key of a start or an end: that of a date and time, or of a date alone."""
    term = terms(cls)[field]
    return term.time_key if isinstance(moment, datetime) and term.time_key else term.key


def renamed(cls: type) -> dict[str, str]:
    """The fields of a class whose document key is not their name: field -> key."""
    return {term.field: term.key for term in TERMS[cls] if term.key != term.field}


@functools.cache
def references(cls: type) -> tuple[Term, ...]:
    """The fields of a class whose values are ids of other entities."""
    return tuple(term for term in TERMS[cls] if term.refers_to)


def reference_keys(listed: bool) -> frozenset[str]:
    """The document keys that hold ids of other entities: lists of them, or (``listed=False``) one."""
    return frozenset(term.key for cls in TERMS for term in references(cls) if is_listed(cls, term.field) == listed)


@functools.cache
def _annotations(cls: type) -> dict[str, Any]:
    """A model class's field types, resolved once: the model's annotations are strings."""
    return typing.get_type_hints(cls, vars(model))


@functools.cache
def value_type(cls: type, field: str) -> Any:
    """The type of one value of a field: what a tuple holds, ``X | None`` as ``X`` (a union of
    several types, such as a start's date or date and time, stays a union)."""
    annotation = _annotations(cls)[field]
    if typing.get_origin(annotation) is tuple:
        return typing.get_args(annotation)[0]
    kinds = [kind for kind in typing.get_args(annotation) if kind is not type(None)]
    return functools.reduce(operator.or_, kinds) if kinds else annotation


@functools.cache
def is_listed(cls: type, field: str) -> bool:
    """Whether a field holds a tuple of values rather than one."""
    return typing.get_origin(_annotations(cls)[field]) is tuple


def field_named(name: str) -> tuple[type, str]:
    """The model class and field a name such as ``Session.recommendations`` stands for;
    ``KeyError`` for one the model does not have."""
    class_name, _dot, field = name.partition(".")
    for cls in TERMS:
        if cls.__name__ == class_name and field in terms(cls):
            return cls, field
    raise KeyError(name)


def left_out(carried: Iterable[str]) -> tuple[str, ...]:
    """The fields, as ``Class.field``, that a format writing only the ``carried`` fields leaves
    out: those of an event, and of what its carried fields hold or refer to, in the order they are
    reached. A format that states what it writes this way leaves out (and warns of) every field
    the model gains, until it writes it."""
    writes = set(carried)
    reached: list[type] = []
    waiting: list[type] = [Event]
    while waiting:
        cls = waiting.pop(0)
        if cls in reached:
            continue
        reached.append(cls)
        for term in TERMS[cls]:
            if f"{cls.__name__}.{term.field}" in writes:
                waiting.extend(held(cls, term.field))
                waiting.extend(next(iter(held(Catalogue, kind))) for kind in term.refers_to)
    return tuple(
        name for cls in reached for term in TERMS[cls] if (name := f"{cls.__name__}.{term.field}") not in writes
    )


def entities(catalogue: Catalogue) -> Iterator[object]:
    """Every model object a catalogue holds, its own included, parents before children."""
    return _reached([catalogue], frozenset(TERMS))


def _reached(roots: Iterable[object], targets: frozenset[type], seen: set[str] | None = None) -> Iterator[object]:
    """The roots and the objects they hold on the way to objects of the ``targets`` classes (only
    those paths are walked). A person, organisation or campaign whose id is in ``seen`` is passed
    over, with what it holds; those met are added to it."""
    paths = _paths(targets)
    stack = list(roots)
    while stack:
        item = stack.pop()
        if seen is not None and isinstance(item, _SHARED):
            if item.id in seen:
                continue
            seen.add(item.id)
        yield item
        for field in paths[type(item)]:
            value = getattr(item, field)
            if type(value) is tuple:
                stack.extend(value)
            elif value is not None:
                stack.append(value)


@functools.cache
def held(cls: type, field: str) -> frozenset[type]:
    """The model classes a field's values may be (through tuples and ``| None``)."""
    found: set[type] = set()
    stack = [_annotations(cls)[field]]
    while stack:
        annotation = stack.pop()
        if annotation in TERMS:
            found.add(annotation)
        stack.extend(typing.get_args(annotation))
    return frozenset(found)


@functools.cache
def _referring() -> frozenset[type]:
    """The classes with reference fields."""
    return frozenset(cls for cls in TERMS if references(cls))


def referred_ids(roots: Iterable[object]) -> Iterator[str]:
    """The ids that the reference fields of ``roots``, and of what they hold, give (repeats included)."""
    for item in _reached(roots, _referring()):
        cls: type = type(item)
        for term in references(cls):
            value = getattr(item, term.field)
            if isinstance(value, tuple):
                yield from value
            elif value is not None:
                yield value


def count_set(catalogues: Iterable[Catalogue], names: Iterable[str], seen: set[str] | None = None) -> dict[str, int]:
    """For each field named ``Class.field``, how many objects of the catalogues set it (hold a
    value, or a non-empty tuple); only the paths that lead to those classes are walked. A person,
    organisation or campaign whose id is in ``seen`` is not counted again (parts of a catalogue
    share them), and those counted are added to it."""
    wanted: dict[type, list[tuple[str, str]]] = {}
    for name in names:
        named, field = field_named(name)
        wanted.setdefault(named, []).append((name, field))
    counts = dict.fromkeys((name for fields in wanted.values() for name, _field in fields), 0)
    for item in _reached(catalogues, frozenset(wanted), set() if seen is None else seen):
        for name, field in wanted.get(type(item), ()):
            value = getattr(item, field)
            if value is not None and value != ():
                counts[name] += 1
    return counts


#: The entities that several parts of a catalogue carry (JSON Lines: each line has those it refers to).
_SHARED = (Person, Organisation, Campaign)


@functools.cache
def _paths(targets: frozenset[type]) -> dict[type, tuple[str, ...]]:
    """For each class, the fields through which objects of the ``targets`` classes are reached."""
    return {cls: _leading_to(cls, targets) for cls in TERMS}


@functools.cache
def _leading_to(cls: type, targets: frozenset[type]) -> tuple[str, ...]:
    """The fields of a class through which objects of the ``targets`` classes are reached."""
    return tuple(term.field for term in TERMS[cls] if any(_reaches(kind, targets) for kind in held(cls, term.field)))


@functools.cache
def _reaches(cls: type, targets: frozenset[type], _seen: frozenset[type] = frozenset()) -> bool:
    if cls in targets:
        return True
    inside = _seen | {cls}
    return any(
        _reaches(kind, targets, inside) for term in TERMS[cls] for kind in held(cls, term.field) if kind not in inside
    )


def members(term: str) -> dict[str, str]:
    """The values of the enumeration a context term takes, each with the local name of its IRI
    (``online`` -> ``OnlineEventAttendanceMode``), as the published context maps them."""
    scoped: dict[str, str] = schemas.context()["@context"][term]["@context"]
    return {value: iri.partition(":")[2] for value, iri in scoped.items()}
