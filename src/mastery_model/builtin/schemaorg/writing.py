"""The ``schemaorg`` format: JSON-LD for web pages, as search engines read Event markup.

One ``EducationEvent`` per event with its sessions as ``subEvent``, and the people, organisations,
campaign and documents embedded where pages need them. Where the data cannot meet a search
engine's requirement (a start, a location), the output says nothing false and a warning names what
is missing. Recommendations are left out: schema.org has no property that links an event to what
it produced.
"""

from __future__ import annotations

import enum
import functools
import itertools
import operator
import warnings
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any, BinaryIO

import orjson

from mastery_model import vocabulary
from mastery_model.builtin.schemaorg import mapping
from mastery_model.conversion import NODE_TYPES, ORGANISATION_TYPES
from mastery_model.html_text import as_html
from mastery_model.model import (
    Address,
    AttendanceMode,
    Campaign,
    Catalogue,
    Event,
    ExternalId,
    Moment,
    Organisation,
    Person,
    Text,
)
from mastery_model.plugins.records import Options
from mastery_model.problems import ExportWarning
from mastery_model.reading import collection_paused

#: The ``@type`` of the nodes of each class (an organisation's: by its kind; a contribution has none).
NODE_TYPES_IN_MARKUP: dict[type, str] = {**NODE_TYPES, Address: "PostalAddress", ExternalId: "PropertyValue"}

# Inside <script>, these would end the element or start markup; JSON may write them escaped.
_HTML_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))

Convert = Callable[["_Builder", Any], Any]


class _Builder:
    """The markup of the objects of one part of a catalogue, each class's fields as the mapping carries them."""

    def __init__(self, catalogue: Catalogue, language: str | None) -> None:
        self.language = language
        self.entities: dict[str, Person | Organisation | Campaign] = {
            **{person.id: person for person in catalogue.people},
            **{organisation.id: organisation for organisation in catalogue.organisations},
            **{campaign.id: campaign for campaign in catalogue.campaigns},
        }
        self.built: dict[str, Any] = {}

    def event(self, event: Event) -> dict[str, Any]:
        node: dict[str, Any] = self.node(event)
        self.require(event, node)
        return node

    def node(self, item: Any) -> Any:
        """The markup of a model object: a node, with each field the mapping carries that holds a value."""
        cls: type = type(item)
        kind = NODE_TYPES_IN_MARKUP.get(cls)
        node: dict[str, Any] = {} if kind is None else {"@type": kind}
        for key, inside, get, convert, listed in _plan(cls):
            value = get(item)
            if value is None or value == ():
                continue
            if convert is not None:
                value = [convert(self, each) for each in value] if listed else convert(self, value)
            elif listed:
                value = list(value)
            if not key:  # the value stands for the object itself
                return value
            if inside is not None:
                holder, inner = inside
                value = (
                    [{"@type": holder, inner: each} for each in value] if listed else {"@type": holder, inner: value}
                )
            node[key] = value
        return node

    def text(self, text: Text) -> str:
        return as_html(text.get(self.language))  # the reader takes texts that hold markup as HTML

    def entity(self, identifier: str) -> Any:
        """The node of a person, organisation or campaign, built once and embedded wherever it is named."""
        node = self.built.get(identifier)
        if node is None:
            node = self.built[identifier] = self.node(self.entities[identifier])
        return node

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


Step = tuple[str, tuple[str, str] | None, Callable[[Any], Any], Convert | None, bool]


@functools.cache
def _plan(cls: type) -> tuple[Step, ...]:
    """For each field of a class that markup carries: its key, the node it goes inside, how its
    value is taken from an object, how each of its values becomes markup (``None``: as it is), and
    whether it holds a tuple of them."""
    return tuple(
        (
            carriage.key,
            carriage.inside,
            operator.attrgetter(field),
            _converter(cls, field, carriage),
            vocabulary.is_listed(cls, field),
        )
        for field, carriage in mapping.carried(cls)
    )


def _converter(cls: type, field: str, carriage: mapping.Carriage) -> Convert | None:
    """How one value of a field becomes markup, by what the field holds; ``None``: as it is."""
    term = vocabulary.terms(cls)[field]
    hint = vocabulary.value_type(cls, field)
    if term.refers_to:
        return _Builder.entity
    if vocabulary.held(cls, field):
        return _Builder.node
    if hint is Text:
        return _Builder.text
    if cls is Organisation and field == "kind":
        return lambda _builder, kind: ORGANISATION_TYPES[kind]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        if carriage.inside is not None:  # a text inside a node of its own: the value itself
            return lambda _builder, member: member.value
        names = vocabulary.members(term.key)
        return lambda _builder, member: mapping.SCHEMA + names[member.value]
    if hint in (datetime, date) or hint == Moment:
        return lambda _builder, moment: moment.isoformat()  # a date-time with its UTC offset
    return None


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
