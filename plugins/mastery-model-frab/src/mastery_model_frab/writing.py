"""Writes schedule XML that the C3VOC schema accepts and conference apps read.

Every session with a date and time is an ``<event>`` (sessions that only group others are not:
the groups they hold are); each needs a room (its own place, its parent's, or the event's only
one) and an end, or the catalogue is refused, naming what lacks. What apps rely on: integer
``id``s for events and persons (the ``frab`` external id an imported schedule gave, else a number
derived from the entity's id, the same on every export), ``guid`` (the id's UUID, or a UUIDv5 of
the id), ``HH:MM`` start and duration, ``day`` with ``start`` and ``end`` carrying offsets.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Any

from lxml import etree

from mastery_model import (
    Catalogue,
    Document,
    Event,
    ExternalId,
    MissingData,
    Options,
    Person,
    Place,
    Session,
    Text,
)
from mastery_model.html_text import as_html
from mastery_model_frab.reading import SCHEME, derived_number

# XML 1.0 cannot hold these characters at all; they are left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SLUG = re.compile(r"[^a-z0-9]+")
#: The distribution that writes the schedules: the ``<generator>`` they name, with its own version.
DISTRIBUTION = "mastery-model-frab"
_GUID = re.compile(r"urn:uuid:([0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})\Z")
_LARGEST = 2**31 - 1  # what apps' 32-bit integers hold
#: A session written, with its event and its room.
_Timed = tuple[Event, Session, str]


def write(catalogue: Catalogue, stream: IO[bytes], options: Options) -> None:
    root = _Writer(catalogue, options).schedule()
    stream.write(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


def _date_time(moment: Any) -> datetime:
    """A start or end of a session written: a date-time with its offset (checked when collected)."""
    assert isinstance(moment, datetime)
    return moment


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _as_text(text: str) -> str:
    """A text as XML can hold it, and as the reader reads it back (see ``as_html``)."""
    return as_html(_clean(text))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _SLUG.sub("_", ascii_text).strip("_")


def _guid(identifier: str) -> str:
    found = _GUID.match(identifier)
    return found[1].lower() if found else str(uuid.uuid5(uuid.NAMESPACE_URL, identifier))


def _own_number(external_ids: tuple[ExternalId, ...]) -> int | None:
    for external_id in external_ids:
        value = external_id.value
        # ASCII digits, few enough to convert quickly (Python refuses ints of thousands of digits)
        if external_id.scheme == SCHEME and value.isascii() and value.isdecimal() and len(value) <= 18:
            number = int(value)
            if 0 < number <= _LARGEST:
                return number
    return None


def _numbers(entities: Iterable[tuple[str, tuple[ExternalId, ...]]]) -> dict[str, int]:
    """An integer for each id: its own frab id where it has one (and no one before took it), else
    one derived from the id, stepping past those taken. The same data gives the same numbers."""
    entities = list(entities)
    numbers: dict[str, int] = {}
    taken: set[int] = set()
    for identifier, external_ids in entities:
        own = _own_number(external_ids)
        if own is not None and own not in taken:
            numbers[identifier] = own
            taken.add(own)
    for identifier, _external_ids in entities:
        if identifier in numbers:
            continue
        number = derived_number(identifier)
        while number in taken:
            number += 1
        numbers[identifier] = number
        taken.add(number)
    return numbers


def _person_numbers(people: list[Person]) -> dict[str, int]:
    """As ``_numbers``, but people of different names may share their own number, as they did in the
    schedule they were read from (merged schedules reuse person ids): the reader tells them apart by
    their names. Only people of one number and one name need numbers of their own."""
    names: dict[int, set[str]] = {}
    shared = []
    for person in people:
        own = _own_number(person.external_ids)
        same_name = " ".join(person.name.split()).casefold()
        if own is not None and same_name not in names.setdefault(own, set()):
            names[own].add(same_name)
            shared.append(person.id)
    numbers = _numbers((person.id, person.external_ids if person.id in shared else ()) for person in people)
    for person in people:
        if person.id in shared:
            own = _own_number(person.external_ids)
            assert own is not None
            numbers[person.id] = own
    return numbers


class _Writer:
    FORMAT = "frab"  # the format named when the catalogue lacks what it needs

    def __init__(self, catalogue: Catalogue, options: Options) -> None:
        self.catalogue = catalogue
        self.language = options.get("language")
        self.people = {person.id: person for person in catalogue.people}
        self.organisations = {organisation.id: organisation for organisation in catalogue.organisations}
        self.timed: list[_Timed] = []  # each session written, in programme order
        missing: list[str] = []
        for event in catalogue.events:
            missing += self.collect(event, event.sessions, self.only_room(event))
        if missing or not self.timed:
            raise MissingData(self.FORMAT, missing or ["no session has a date and time: frab events need them"])
        self.session_numbers = _numbers((session.id, session.external_ids) for _event, session, _room in self.timed)
        speakers = {
            c.contributor: None for _e, s, _r in self.timed for c in s.contributions if c.contributor in self.people
        }
        self.person_numbers = _person_numbers([self.people[pid] for pid in speakers])

    def text(self, text: Text | None) -> str:
        return "" if text is None else _as_text(text.get(self.language))

    def only_room(self, event: Event) -> str | None:
        places = [place for place in event.locations if isinstance(place, Place) and place.name is not None]
        return self.text(places[0].name) if len(places) == 1 else None

    def collect(self, event: Event, sessions: tuple[Session, ...], room: str | None) -> list[str]:
        """The sessions to write, in programme order, each with its room; what is missing."""
        missing = []
        for session in sessions:
            own = next((p for p in session.locations if isinstance(p, Place) and p.name is not None), None)
            here = self.text(own.name) if own is not None and own.name is not None else room
            if isinstance(session.start, datetime):
                name = str(session.name)
                if not isinstance(session.end, datetime):
                    missing.append(f"the session {name!r} has no end time (frab needs a duration)")
                elif not here:
                    missing.append(f"the session {name!r} has no room (a place with a name)")
                else:
                    self.timed.append((event, session, here))
            elif not session.sessions:
                missing.append(f"the session {str(session.name)!r} has no date and time")
            missing += self.collect(event, session.sessions, here)
        return missing

    def schedule(self) -> Any:
        root = etree.Element("schedule")
        etree.SubElement(root, "generator", name=DISTRIBUTION, version=generator_version())
        event = self.catalogue.events[0]
        etree.SubElement(root, "version").text = "" if event.revision is None else str(event.revision)
        by_day: dict[date, list[_Timed]] = {}
        for entry in self.timed:
            by_day.setdefault(_date_time(entry[1].start).date(), []).append(entry)
        self.conference(etree.SubElement(root, "conference"), event, len(by_day))
        rooms = self.rooms()
        for index, day in enumerate(sorted(by_day), start=1):
            self.day(root, index, day, by_day[day], rooms)
        return root

    def conference(self, element: Any, event: Event, days: int) -> None:
        acronym = next((i.value for i in event.external_ids if i.scheme == SCHEME), None)
        if acronym:
            etree.SubElement(element, "acronym").text = _clean(acronym)
        etree.SubElement(element, "title").text = self.text(event.name)
        first = min(_date_time(session.start) for _e, session, _r in self.timed)
        last = max(_date_time(session.end) for _e, session, _r in self.timed)
        start = event.start if isinstance(event.start, date) and not isinstance(event.start, datetime) else first.date()
        end = event.end if isinstance(event.end, date) and not isinstance(event.end, datetime) else last.date()
        etree.SubElement(element, "start").text = start.isoformat()
        etree.SubElement(element, "end").text = end.isoformat()
        etree.SubElement(element, "days").text = str(days)
        if event.url:  # the model's URLs are absolute http(s) ones, as the schema wants
            etree.SubElement(element, "base_url").text = event.url
        zones = [session.time_zone for _e, session, _r in self.timed if session.time_zone]
        if zones:
            etree.SubElement(element, "time_zone_name").text = zones[0]
        for topic in event.topics:
            etree.SubElement(element, "track", name=_as_text(topic))

    def rooms(self) -> list[str]:
        """The rooms: the events' places first (empty rooms included), then the sessions' others."""
        names: dict[str, None] = {}
        for event in self.catalogue.events:
            for place in event.locations:
                if isinstance(place, Place) and place.name is not None:
                    names.setdefault(self.text(place.name), None)
        for _event, _session, room in self.timed:
            names.setdefault(room, None)
        return list(names)

    def day(
        self, root: Any, index: int, day: date, sessions: list[tuple[Event, Session, str]], rooms: list[str]
    ) -> None:
        start = min(_date_time(s.start) for _e, s, _r in sessions)
        end = max(_date_time(s.end) for _e, s, _r in sessions)
        element = etree.SubElement(
            root, "day", index=str(index), date=day.isoformat(), start=start.isoformat(), end=end.isoformat()
        )
        by_room: dict[str, list[tuple[Event, Session]]] = {}
        for event, session, room in sessions:
            by_room.setdefault(room, []).append((event, session))
        for room in rooms:
            room_element = etree.SubElement(element, "room", name=room)
            for event, session in by_room.get(room, ()):
                self.event(room_element, event, session, room)

    def event(self, parent: Any, event: Event, session: Session, room: str) -> None:
        start, end = _date_time(session.start), _date_time(session.end)
        number = self.session_numbers[session.id]
        element = etree.SubElement(parent, "event", id=str(number), guid=_guid(session.id))
        title = self.text(session.name)
        minutes = int((end - start).total_seconds() // 60)
        fields = [
            ("date", start.isoformat()),
            ("start", start.strftime("%H:%M")),
            ("duration", f"{minutes // 60:02d}:{minutes % 60:02d}"),
            ("room", room),
            ("slug", self.slug(event, number, title)),
            ("url", session.url),
            ("title", title),
            ("track", _as_text(session.topics[0]) if session.topics else ""),
            ("type", session.kind.value if session.kind else ""),
            ("language", session.language),
            ("abstract", self.text(session.description)),
        ]
        for name, value in fields:
            if value is not None:
                etree.SubElement(element, name).text = value
        persons = etree.SubElement(element, "persons")
        for contribution in session.contributions:
            person = self.people.get(contribution.contributor)
            if person is not None:
                self.person(persons, person)
        links, attachments = etree.SubElement(element, "links"), etree.SubElement(element, "attachments")
        for document in session.documents:
            self.document(attachments if document.media_type else links, document)

    def slug(self, event: Event, number: int, title: str) -> str:
        """``<conference>-<id>-<title>``, lower case: the pattern the schema asks for."""
        acronym = next((i.value for i in event.external_ids if i.scheme == SCHEME), None)
        prefix = (_slug(acronym or str(event.name)) or "event").replace("_", "")[:24].ljust(4, "0")
        rest = f"{number}-{_slug(title)[:60]}".rstrip("-_").ljust(4, "_")  # the schema wants 4 or more
        return f"{prefix}-{rest}"

    def person(self, persons: Any, person: Person) -> None:
        etree.SubElement(persons, "person", id=str(self.person_numbers[person.id])).text = _as_text(person.name)

    def document(self, parent: Any, document: Document) -> None:
        tag = "attachment" if parent.tag == "attachments" else "link"
        attributes = {"href": document.url} if document.url else {}
        etree.SubElement(parent, tag, **attributes).text = self.text(document.name)


@functools.cache
def generator_version() -> str:
    """This plugin's version, not the library's: the ``<generator>`` is the plugin."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # its sources imported without the distribution installed
        return "unknown"
