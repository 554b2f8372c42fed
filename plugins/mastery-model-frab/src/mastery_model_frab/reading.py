"""Reads schedule XML as conference systems publish it (frab, Pentabarf, pretalx, wafer).

The conference becomes an event, each ``<event>`` a session of it; rooms become places (the
conference's, in the order they first appear, and each session's own), tracks topics, persons
people (speakers), links and attachments documents. Schedule ids are kept as external ids
(``frab``), and a session's ``guid`` as its id, so that writing the schedule again gives the same
ids. What the file gets wrong is reported, every problem with its line.
"""

from __future__ import annotations

import functools
import re
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import attrs
from lxml import etree

from mastery_model import (
    Catalogue,
    InvalidDocument,
    Options,
    Origin,
    Origins,
    Problem,
    ReadWarning,
    Report,
    language_tag,
    left_unread,
    mint,
    read_document,
)
from mastery_model.html_text import holds_html, plain_text
from mastery_model.model import moment_error
from mastery_model.schemas import CONTEXT_IRI, definition_validator
from mastery_model.zones import zone
from mastery_model_frab import DEFAULT_LANGUAGE, DEFAULT_TIME_ZONE

#: Files larger than this are refused unread: real schedules are a few megabytes.
MAX_BYTES = 64 * 1024 * 1024
#: The largest id a schedule carries: frab's and apps' ids are 32-bit integers (well inside JSON's
#: safe integers too); the writer writes no larger one.
LARGEST_ID = 2**31 - 1
SCHEME = "frab"

#: frab's event types, as session kinds; a type that is a kind's own name is that kind.
KINDS = {
    "keynote": "keynote",
    "talk": "talk",
    "lecture": "talk",
    "lightningtalk": "talk",
    "lightning talk": "talk",
    "maintrack": "talk",
    "panel": "panel",
    "podium": "panel",
    "discussion": "discussion",
    "bof": "discussion",
    "meeting": "discussion",
    "breakout": "breakout",
    "workshop": "workshop",
    "plenary": "plenary",
}
#: The media types of attachments and links, by the extension of their address.
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".key": "application/vnd.apple.keynote",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".ogg": "video/ogg",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".zip": "application/zip",
    ".html": "text/html",
}
#: What the reader reads of a schedule: each element (``conference/title``) and attribute
#: (``event/@id``) by its path below ``<schedule>`` (an ``<event>`` is ``event`` whether it is under a
#: ``<room>`` or its ``<day>``), with what it becomes. Everything else a file holds is read past, and
#: said in one warning with how many held a value (``left_unread``): this table is the only list.
#: The text of an element read is all of it, the elements inside included (HTML written as XML).
READS = {
    "conference": "the event",
    "conference/title": "Event.name",
    "conference/acronym": "Event.external_ids (frab), and the key of the ids minted for the schedule",
    "conference/start": "Event.start",
    "conference/end": "Event.end",
    "conference/day_change": "when a conference day ends: a <start> before it is on the next calendar day",
    "conference/base_url": "Event.url, and what relative links are resolved against",
    "conference/time_zone_name": "the zone of the times (Session.time_zone)",
    "conference/track": "Event.topics",
    "conference/track/@name": "Event.topics",
    "tracks": "Event.topics",
    "tracks/track": "Event.topics",
    "day": "the day of its events",
    "day/@date": "the date of its events' <start>",
    "day/room": "the room of its events",
    "day/room/@name": "Event.locations (rooms without events too)",
    "event": "a Session of the event",
    "event/@id": "Session.external_ids (frab)",
    "event/@guid": "Session.id (urn:uuid:)",
    "event/date": "Session.start",
    "event/start": "Session.start, on the day's date",
    "event/duration": "Session.end",
    "event/room": "Session.locations, and Event.locations",
    "event/title": "Session.name",
    "event/subtitle": "Session.description (first, then the abstract and the description)",
    "event/abstract": "Session.description",
    "event/description": "Session.description",
    "event/type": "Session.kind",
    "event/language": "Session.language, and the language of its texts",
    "event/url": "Session.url",
    "event/track": "Session.topics, and Event.topics",
    "event/persons": "the session's speakers",
    "event/persons/person": "a Person (Person.name), speaker of the session",
    "event/persons/person/@id": "Person.external_ids (frab)",
    "event/links": "the session's documents",
    "event/links/link": "Document.name",
    "event/links/link/@href": "Document.url",
    "event/attachments": "the session's documents",
    "event/attachments/attachment": "Document.name",
    "event/attachments/attachment/@href": "Document.url, and Document.media_type by its extension",
}
#: Where an ``<event>`` is: its path is ``event`` under either.
_HOLDS_EVENTS = ("day", "day/room")
#: The elements read whole (their text and all inside them): those of the table that hold no other
#: element of it.
_READ_WHOLE = frozenset(
    path
    for path in READS
    if "@" not in path
    and path not in _HOLDS_EVENTS
    and not any(other.startswith(f"{path}/") and "@" not in other[len(path) :] for other in READS)
)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\Z")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
_HTTP = re.compile(r"https?://")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# What an IRI holds (RFC 3987) outside its host, as the model takes it: unreserved and
# sub-delimiting ASCII, ":@/?", percent-escapes, and the characters of other scripts (``ucschar``)
# but the spaces among them, which the model's URLs refuse; private-use characters in a query only.
_UCS = (
    "\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff\u3001-\ud7ff"
    "\uf900-\ufdcf\ufdf0-\ufefe\uff00-\uffef"
    + "".join(f"\\U{plane:08x}-\\U{plane + 0xFFFD:08x}" for plane in range(0x10000, 0xE0000, 0x10000))
    + "\U000e1000-\U000efffd"
)
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_IRI_CHARACTER = re.compile(rf"[A-Za-z0-9\-._~!$&'()*+,;=:@/?{_UCS}]|%[0-9A-Fa-f]{{2}}")
_QUERY_CHARACTER = re.compile(rf"[A-Za-z0-9\-._~!$&'()*+,;=:@/?{_UCS}{_PRIVATE}]|%[0-9A-Fa-f]{{2}}")
_AUTHORITY_END = re.compile(r"[/?#]")
_IS_URL = definition_validator("url").is_valid
ACRONYM = re.compile(r"[a-z0-9_-]{4,}\Z")
#: How many shared person ids a warning names (it counts them all).
_NAMED = 5
_UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\Z")


def derived_number(identifier: str) -> int:
    """The number written as the frab id of an entity that has none of its own: the same for the
    same id on every export, and recognised when read back (it is not the schedule's own then)."""
    return int(uuid.uuid5(uuid.NAMESPACE_URL, identifier).hex[:7], 16) + 1_000_000


def derived_acronym(title: str) -> str:
    """The acronym written for a conference that has none (schedule JSON requires one, in the
    C3VOC schema's pattern), recognised when read back: it is not the schedule's own."""
    return "s" + uuid.uuid5(uuid.NAMESPACE_URL, f"frab-acronym {title}").hex[:11]


# The neutral schedule: what the front ends (XML here, JSON in ``reading_json``) read of a file, as
# text, each part with where it is; the core (``_Schedule``) makes the document of it, with the same
# rules whatever the file's syntax.


@attrs.frozen
class At:
    """Where a part of the file is: its line (XML), or its JSON pointer."""

    line: int | None = None
    pointer: str = ""

    def said(self) -> str:
        return f"line {self.line}" if self.line is not None else f"at {self.pointer or '/'}"

    def key(self) -> tuple[int, str]:
        return (self.line or 0, self.pointer)


@attrs.define(slots=True)
class SPerson:
    id: str
    name: str
    at: At


@attrs.define(slots=True)
class SLink:
    href: str
    label: str
    attachment: bool
    at: At


@attrs.define(slots=True)
class SEvent:
    """An event as the file gives it: each field its text, empty where it has none."""

    at: At
    id: str = ""
    guid: str = ""
    date: str = ""  # the start as a date and time
    start: str = ""  # the clock time, on the day's date
    duration: str = ""
    end: str = ""  # the end as a date and time, where there is no duration
    room: str = ""
    title: str = ""
    subtitle: str = ""
    abstract: str = ""
    description: str = ""
    type: str = ""
    language: str = ""
    url: str = ""
    track: str = ""
    persons: list[SPerson] = attrs.Factory(list)
    links: list[SLink] = attrs.Factory(list)
    #: where a field is, where it is said apart from the event (its language, its url)
    field_at: dict[str, At] = attrs.Factory(dict)


@attrs.define(slots=True)
class SDay:
    at: At
    date: str
    #: its rooms (by name) and events, in the order of the file
    items: list[str | SEvent] = attrs.Factory(list)


@attrs.define(slots=True)
class SSchedule:
    """A schedule as the file gives it, with how its parts are named in messages (``tag``)."""

    format_name: str
    at: At  # the root
    conference_at: At | None  # None: the schedule has no conference
    tag: Callable[[str], str]
    title: str = ""
    acronym: str = ""
    base_url: str = ""
    base_url_at: At | None = None
    time_zone_name: str = ""
    day_change: str = ""
    start: str = ""
    end: str = ""
    #: where the conference's start and end are
    field_at: dict[str, At] = attrs.Factory(dict)
    tracks: list[str] = attrs.Factory(list)
    days: list[SDay] = attrs.Factory(list)
    #: events of no day, their dates their own (the hub's)
    events: list[SEvent] = attrs.Factory(list)
    problems: list[Problem] = attrs.Factory(list)  # what the front end found wrong
    #: an event needs an id (schedule XML); else an id or a guid
    needs_id: bool = True

    def all_events(self) -> Iterator[SEvent]:
        for day in self.days:
            yield from (item for item in day.items if isinstance(item, SEvent))
        yield from self.events


def read(data: bytes, options: Options) -> Catalogue:
    if len(data) > MAX_BYTES:
        message = f"the file has {len(data):,} bytes; schedules of more than {MAX_BYTES:,} bytes are refused"
        raise InvalidDocument(Report((Problem("", message),)))
    root = _parse(data)
    return read_schedule(xml_schedule(root), options, lambda: unread(root))


def read_schedule(neutral: SSchedule, options: Options, unread_counts: Callable[[], dict[str, int]]) -> Catalogue:
    """The catalogue of a schedule read by a front end: the rules of ids, people, zones and
    repairs, the same for every syntax."""
    schedule = _Schedule(neutral, options)
    document = schedule.document()  # the events' problems are found while reading them
    if schedule.problems:
        raise InvalidDocument(Report(tuple(schedule.problems)))
    prefix = f"{neutral.format_name}: "
    for said in schedule.warnings():
        said = said.removeprefix("frab: ")
        warnings.warn(ReadWarning(f"{prefix}{said}"), stacklevel=3)
    if left_out := left_unread(neutral.format_name, unread_counts()):
        warnings.warn(left_out, stacklevel=3)
    # what only the model checks is said at the element it came from; what belongs to no
    # element of its own (the whole document), at the conference
    try:
        return read_document(document, origins=schedule.origins)
    except InvalidDocument as error:
        conference = neutral.conference_at or neutral.at
        located = tuple(
            p if p.line is not None or p.pointer.startswith("/schedule") else _at(p, conference) for p in error.report
        )
        raise InvalidDocument(Report(located)) from None


def _at(problem: Problem, at: At) -> Problem:
    if at.line is not None:
        return attrs.evolve(problem, line=at.line)
    return attrs.evolve(problem, pointer=at.pointer)


def _parse(data: bytes) -> Any:
    # No DTD is loaded and no entity resolved: a schedule needs neither, and both are attacks.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        raise InvalidDocument(Report((Problem("", f"not well-formed XML: {error.msg}", None, None, line),))) from None
    if root.getroottree().docinfo.internalDTD is not None:
        message = "the file declares a DTD (entities); a schedule has none, and they are refused"
        raise InvalidDocument(Report((Problem("", message, None, None, 1),)))
    if root.tag != "schedule":
        raise InvalidDocument(Report((Problem("", f"expected a <schedule> root, found <{root.tag}>", None, None, 1),)))
    return root


def _text(element: Any, name: str) -> str:
    """The text of a child element; empty when it is absent or empty."""
    child = element.find(name)
    return "" if child is None else "".join(child.itertext())


def _line(element: Any) -> At:
    return At(line=element.sourceline)


def xml_schedule(root: Any) -> SSchedule:
    """The XML front end: the schedule as ``READS`` declares it read."""
    conference = root.find("conference")
    schedule = SSchedule(
        "frab", _line(root), None if conference is None else _line(conference), lambda name: f"<{name}>"
    )
    if conference is not None:
        schedule.title = _text(conference, "title")
        schedule.acronym = _text(conference, "acronym")
        schedule.base_url = _text(conference, "base_url")
        if (base_url := conference.find("base_url")) is not None:
            schedule.base_url_at = _line(base_url)
        schedule.time_zone_name = _text(conference, "time_zone_name")
        schedule.day_change = _text(conference, "day_change")
        schedule.start = _text(conference, "start")
        schedule.end = _text(conference, "end")
        for name in ("start", "end"):
            if (element := conference.find(name)) is not None:
                schedule.field_at[name] = _line(element)
    schedule.tracks = ["".join(track.itertext()) for track in root.iterfind("tracks/track")]
    if conference is not None:
        schedule.tracks += [track.get("name") or "".join(track.itertext()) for track in conference.iterfind("track")]
    for day in root.iterfind("day"):
        neutral = SDay(_line(day), day.get("date", ""))
        for element in day.iter("room", "event"):  # in document order: rooms in the order they appear
            neutral.items.append(element.get("name") or "" if element.tag == "room" else _xml_event(element))
        schedule.days.append(neutral)
    return schedule


_EVENT_FIELDS = (
    "date",
    "start",
    "duration",
    "room",
    "title",
    "subtitle",
    "abstract",
    "description",
    "type",
    "language",
    "url",
    "track",
)


def _xml_event(element: Any) -> SEvent:
    event = SEvent(_line(element), id=element.get("id", ""), guid=element.get("guid", ""))
    for child in element:
        tag = child.tag
        if tag in _EVENT_FIELDS and tag not in event.field_at:  # the first, as find() gives
            setattr(event, tag, "".join(child.itertext()))
            event.field_at[tag] = _line(child)
    event.persons = [
        SPerson(person.get("id", ""), "".join(person.itertext()), _line(person))
        for person in element.iterfind("persons/person")
    ]
    event.links = [
        SLink(link.get("href", ""), "".join(link.itertext()), link.tag == "attachment", _line(link))
        for link in [*element.iterfind("links/link"), *element.iterfind("attachments/attachment")]
    ]
    return event


class _Schedule:
    def __init__(self, schedule: SSchedule, options: Options) -> None:
        self.schedule = schedule
        self.tag = schedule.tag
        self.problems: list[Problem] = list(schedule.problems)
        if schedule.conference_at is None:
            self.problem(schedule.at, f"the schedule has no {self.tag('conference')}")
        self.conference_at = schedule.conference_at or schedule.at
        self.title = schedule.title
        self.acronym = schedule.acronym.strip()
        self.key = self.title  # what ids minted for this schedule are made from: written back as read
        self.language = options.get("language", DEFAULT_LANGUAGE)
        self.language_given = "language" in options
        self.untagged = 0  # events whose texts took the default language
        self.base_url = schedule.base_url.strip()
        if options.get("base-url"):
            self.base_url = options["base-url"]
        self.assumed: list[str] = []  # what the schedule does not say and the reader took, for a warning
        zone_name = schedule.time_zone_name.strip() or options.get("time-zone", "")
        if not zone_name:
            zone_name = DEFAULT_TIME_ZONE
            self.assumed.append(
                f"the schedule names no time zone (no {self.tag('time_zone_name')}): its times are read as "
                f"{DEFAULT_TIME_ZONE}; if they are another zone's, give the option time-zone "
                "(--input-option time-zone=Europe/Brussels)"
            )
        self.zone_name = zone_name
        try:
            self.zone: ZoneInfo = zone(zone_name)
        except KeyError:
            self.problem(
                self.conference_at,
                f"the {self.tag('time_zone_name')} is not an IANA zone name (Europe/Brussels)",
                zone_name,
            )
            self.zone = zone("UTC")
        self.day_change = _clock(schedule.day_change)
        self.repair = options.get("repair", "yes") == "yes"
        self.html = 0  # texts that held HTML, read as plain text
        self.joined = 0  # events with more than one of <subtitle>, <abstract>, <description>
        self.links_encoded = 0  # addresses whose characters an IRI cannot hold were percent-encoded
        self.links_dropped: list[At] = []  # where addresses are that are no http(s) address even so
        self.bad_languages: list[tuple[At, str]] = []  # (where, value) of <language>s read as none
        self.guid_lines: dict[str, list[At]] = {}  # each guid (lower case) -> where its events are
        self.id_lines: dict[str, list[At]] = {}  # each event id -> where its events are
        self.session_ids: set[str] = set()
        self.people: dict[tuple[str, str], dict[str, Any]] = {}  # (person id, name) or ("", name) -> node
        self.names_of_id: dict[str, list[str]] = {}  # each person id -> the names it is given, as first written
        self.rooms: dict[str, None] = {}
        self.tracks: dict[str, None] = {}
        self.origins = Located()  # each node of the document built, where its part of the file is

    def problem(self, at: At | None, message: str, value: Any = None) -> None:
        # a part the schedule lacks is said at the root
        at = at if at is not None and (at.line is not None or at.pointer) else self.schedule.at
        self.problems.append(Problem(at.pointer, message, value, None, at.line))

    def mark(self, node: dict[str, Any], at: At) -> dict[str, Any]:
        return self.origins.mark_at(node, at)

    def texts(self, value: str, language: str | None) -> dict[str, str]:
        return {language or self.language: self.plain(value)}

    def plain(self, text: str) -> str:
        """The text as the model holds it: HTML (an abstract written as HTML, a ``&amp;`` in a
        title) as the plain text a browser shows, counted for a warning."""
        if holds_html(text):
            self.html += 1
            return plain_text(text)
        return text

    def document(self) -> dict[str, Any]:
        for track in self.schedule.tracks:
            self.track(track)
        sessions = self.sessions()
        event: dict[str, Any] = {"@type": "EducationEvent", "name": self.texts(self.title, None)}
        if not self.title.strip():
            self.problem(self.conference_at, f"the conference has no {self.tag('title')}")
        start, end = self.conference_day("start"), self.conference_day("end")
        days = [_day(day.date) for day in self.schedule.days]
        known_days = [day for day in days if day is not None and not moment_error(day)]  # the others reported
        start = start or (min(known_days) if known_days else None)
        end = end or (max(known_days) if known_days else None)
        last = max((datetime.fromisoformat(s["endTime"]).date() for s in sessions if "endTime" in s), default=None)
        if not self.schedule.days:  # a schedule of no days (the hub's): its sessions' dates
            first = (datetime.fromisoformat(s["startTime"]).date() for s in sessions if "startTime" in s)
            start, end = start or min(first, default=None), end or last
        if end is not None and last is not None and last > end:  # a session past midnight on the last day
            end = last
        if start is not None:
            event["startDate"] = start.isoformat()
        if end is not None:
            event["endDate"] = end.isoformat()
        if url := self.url(self.base_url, self.schedule.base_url_at):
            event["url"] = url
        if self.rooms:
            event["location"] = [self.place(room) for room in self.rooms]
        if self.tracks:
            event["about"] = list(self.tracks)
        if ACRONYM.match(self.acronym) and self.acronym != derived_acronym(self.key):
            # one the schema takes, so that it is written back as it is
            event["identifier"] = [{"propertyID": SCHEME, "value": self.acronym}]
        if sessions:
            event["subEvent"] = sessions
        self.mark(event, self.conference_at)
        return self.mark({"@context": CONTEXT_IRI, "@graph": [event, *self.people.values()]}, self.conference_at)

    def conference_day(self, name: str) -> date | None:
        """The conference's start or end; None, reported, for a day the model cannot hold."""
        day = _day(getattr(self.schedule, name))
        if day is not None and (error := moment_error(day)):
            self.problem(
                self.schedule.field_at.get(name),
                f"the conference's {self.tag(name)} cannot be held: {error}",
                day.isoformat(),
            )
            return None
        return day

    def track(self, name: str) -> str:
        """The track's name as a topic (HTML in it read as plain text); empty for none."""
        name = self.plain(name) if name.strip() else ""
        if name.strip():
            self.tracks.setdefault(name, None)
        return name if name.strip() else ""

    def room(self, name: str) -> str:
        """The room's name (HTML in it read as plain text), a place of the event; empty for none."""
        name = self.plain(name) if name.strip() else ""
        if name.strip():
            self.rooms.setdefault(name, None)
        return name if name.strip() else ""

    def place(self, room: str) -> dict[str, Any]:
        return {"@type": "Place", "name": {self.language: room}}  # the name read as plain text already

    def url(self, href: str, at: At | None = None) -> str | None:
        """An absolute http(s) address as the model takes it: relative ones resolved against the
        conference's; a valid IRI as it is, character for character, and in others each character
        an IRI cannot hold percent-encoded (counted); None for what is still not one (``ftp:``, a
        misspelt scheme, a port that is not a number), where it is kept for a warning."""
        href = href.strip()
        if not href:
            return None
        if self.base_url and not _HTTP.match(href) and not _SCHEME.match(href):
            try:
                href = urljoin(self.base_url, href)
            except ValueError:  # a broken address (``http://[``), the link's or the conference's
                href = ""
        if _HTTP.match(href) and _IS_URL(href):
            return href
        encoded = as_iri(href) if _HTTP.match(href) else ""
        if encoded and _IS_URL(encoded):
            self.links_encoded += 1
            return encoded
        if at is not None:
            self.links_dropped.append(at)
        return None

    def sessions(self) -> list[dict[str, Any]]:
        """The sessions in programme order (by start, then room, then id) whatever the order the
        file lists them in, so that a schedule written again reads back the same."""
        found = []

        def add(element: SEvent, day_date: date | None) -> None:
            timing = self.timing(element, day_date)
            identity = self.identity(element, timing)
            if identity is not None:
                room = self.plain_quietly(element.room)  # counted as the session is read
                if room.strip():
                    self.rooms.setdefault(room, None)
                found.append((element, timing, identity))

        for day in self.schedule.days:
            day_date = _day(day.date)
            if day_date is not None and (error := moment_error(day_date)):
                self.problem(day.at, f"the {self.tag('day')} date cannot be held: {error}", day.date)
            for item in day.items:
                if isinstance(item, str):
                    self.room(item)
                else:
                    add(item, day_date)
        for element in self.schedule.events:
            add(element, None)
        rooms = {room: index for index, room in enumerate(self.rooms)}

        def programme_order(entry: tuple[SEvent, dict[str, str], tuple[str, bool]]) -> tuple[float, int, float, str]:
            """By start, room, the event id kept (sessions without one last), then id: what a
            schedule written again gives the same."""
            element, timing, (identifier, keeps_id) = entry
            start = datetime.fromisoformat(timing["startTime"]).timestamp() if timing else float("inf")
            frab_id = element.id.strip()
            kept = keeps_id and _own(frab_id) and frab_id != str(derived_number(identifier))
            room = rooms.get(self.plain_quietly(element.room), -1)
            return start, room, int(frab_id) if kept else float("inf"), identifier

        ordered = sorted(found, key=programme_order)
        return [
            self.mark(self.session(element, timing, *identity), element.at) for element, timing, identity in ordered
        ]

    def plain_quietly(self, text: str) -> str:
        return plain_text(text) if holds_html(text) else text

    def identity(self, element: SEvent, timing: dict[str, str]) -> tuple[str, bool] | None:
        """The session's id, and whether it keeps its event id as its external id; None for an
        event that is not read (one without id, or, with ``repair=no``, a repeated id or guid,
        reported where it is, naming where the first is).

        Repairs (the default): the first event of an id or a guid keeps them; a later event of
        the same guid gets the id ``urn:uuid:`` + UUIDv5(the guid, its start), a later event of the
        same id without a guid of its own the id minted from the conference, the event id and its
        start, and keeps no external id (it is written back with the number derived from its id).
        Two events of one start and guid (or id) are told apart by their place among them."""
        frab_id = element.id.strip()
        at = element.at
        guid = element.guid.strip().lower()
        guid = guid if _UUID.match(guid) else ""
        if not frab_id and (self.schedule.needs_id or not guid):
            self.problem(at, f"an {self.tag('event')} has no id" + ("" if self.schedule.needs_id else " and no guid"))
            return None
        if _too_large(frab_id):
            self.problem(at, f"the event id is larger than {LARGEST_ID}, the largest a schedule carries", frab_id)
        id_lines = self.id_lines.setdefault(frab_id, []) if frab_id else []
        guid_lines = self.guid_lines.setdefault(guid, []) if guid else []
        repeated_id, repeated_guid = bool(id_lines), bool(guid_lines)
        if not self.repair and (repeated_id or repeated_guid):
            for repeated, lines, what in ((repeated_id, id_lines, "event id"), (repeated_guid, guid_lines, "guid")):
                if repeated:
                    first = lines[0]
                    where = f"on line {first.line}" if first.line is not None else f"at {first.pointer}"
                    self.problem(
                        at,
                        f"the {what} is the {what} of the event {where} already "
                        "(the option repair=yes reads both, the later with an id of its own)",
                        frab_id if what == "event id" else guid,
                    )
            return None
        id_lines.append(at)
        guid_lines.append(at)
        start = timing.get("startTime", "")
        if guid and not repeated_guid:
            identifier = f"urn:uuid:{guid}"
        elif guid:
            identifier = f"urn:uuid:{uuid.uuid5(uuid.UUID(guid), start)}"
        elif not repeated_id:
            identifier = mint("frab-event", self.key, frab_id)
        else:
            identifier = mint("frab-event", self.key, frab_id, start)
        place = 1
        while identifier in self.session_ids:  # the same start too: told apart by their place
            place += 1
            identifier = (
                f"urn:uuid:{uuid.uuid5(uuid.UUID(guid), f'{start} {place}')}"
                if guid
                else mint("frab-event", self.key, frab_id, start, str(place))
            )
        self.session_ids.add(identifier)
        return identifier, not repeated_id

    def session(self, element: SEvent, timing: dict[str, str], identifier: str, keeps_id: bool) -> dict[str, Any]:
        frab_id = element.id.strip()
        language = element.language.strip()
        if language and language_tag(language) is not None:
            at = element.field_at.get("language", element.at)
            if self.repair:
                self.bad_languages.append((at, language))
            else:
                self.problem(
                    at,
                    f"the {self.tag('language')} is not a BCP 47 language tag (en, pt-BR); "
                    "the option repair=yes reads the event's texts as of the schedule's language",
                    language,
                )
            language = ""
        self.untagged += not language
        title = element.title
        if not title.strip():
            self.problem(element.at, f"an {self.tag('event')} has no {self.tag('title')}", frab_id)
        node: dict[str, Any] = {"@type": "EducationEvent", "@id": identifier, "name": self.texts(title, language)}
        described = [element.subtitle, element.abstract, element.description]
        described = [text for text in described if text.strip()]
        self.joined += len(described) > 1
        if described:
            node["description"] = {language or self.language: "\n\n".join(self.plain(text) for text in described)}
        kind = element.type.strip()
        if kind:
            node["sessionKind"] = KINDS.get(kind.casefold(), "other")
        node.update(timing)
        if language:
            node["inLanguage"] = language
        if room := self.room(element.room):
            node["location"] = [self.place(room)]
        if url := self.url(element.url, element.field_at.get("url")):
            node["url"] = url
        if track := self.track(element.track):
            node["about"] = [track]
        if keeps_id and _own(frab_id) and frab_id != str(derived_number(node["@id"])):
            node["identifier"] = [{"propertyID": SCHEME, "value": frab_id}]
        performers = [self.person(person) for person in element.persons]
        if performers:
            node["performer"] = [{"performer": person, "roleName": "speaker"} for person in dict.fromkeys(performers)]
        documents = list(self.documents(element, node["@id"], language))
        if documents:
            node["workFeatured"] = documents
        return node

    def timing(self, element: SEvent, day_date: date | None) -> dict[str, str]:
        clock, length = _clock(element.start), _length(element.duration)
        stated = element.date.strip()
        start: datetime | None = None
        date_tag = self.tag("date")
        if stated and "T" in stated:
            try:
                parsed = datetime.fromisoformat(stated)
            except ValueError:
                self.problem(element.at, f"the {date_tag} is not a date and time with an offset", stated)
            else:
                # checked before any arithmetic, which overflows near the years 1 and 9999
                if error := moment_error(parsed.date()):
                    self.problem(element.at, f"the {date_tag} cannot be held: {error}", stated)
                    return {}
                # without an offset, the time is the conference's wall clock, not this machine's
                start = parsed.replace(tzinfo=self.zone) if parsed.tzinfo is None else parsed.astimezone(self.zone)
        if start is None and clock is not None and day_date is not None:
            if moment_error(day_date):
                return {}  # the day is reported
            day = day_date + timedelta(days=1) if self.day_change and clock < self.day_change else day_date
            start = datetime.combine(day, clock, tzinfo=self.zone)
        if start is None:
            self.problem(
                element.at,
                f"the event has no start: a {date_tag}, or a {self.tag('start')} in a {self.tag('day date=...')}",
            )
            return {}
        if length is None and element.end.strip() and not element.duration.strip():
            length = self.length_to(element, start)
            if length is None:
                return {}
        if length is None:
            self.problem(element.at, f"the {self.tag('duration')} is not H:MM, HH:MM or HH:MM:SS", element.duration)
            return {}
        end = (start.astimezone(ZoneInfo("UTC")) + length).astimezone(self.zone)  # across a clock change
        for which, moment in (("start", start), ("end", end)):
            if error := moment_error(moment):
                self.problem(element.at, f"the event's {which} cannot be held: {error}", moment.isoformat())
                return {}
        return {"startTime": start.isoformat(), "endTime": end.isoformat(), "timeZone": self.zone_name}

    def length_to(self, element: SEvent, start: datetime) -> timedelta | None:
        """The length up to an event's stated end (the hub's, which gives no duration)."""
        stated = element.end.strip()
        try:
            parsed = datetime.fromisoformat(stated)
        except ValueError:
            parsed = None
        if parsed is None or moment_error(parsed.date()):
            self.problem(element.at, f"the {self.tag('end')} is not a date and time with an offset", stated)
            return None
        end = parsed.replace(tzinfo=self.zone) if parsed.tzinfo is None else parsed
        if end < start:
            self.problem(element.at, f"the event's {self.tag('end')} is before its start", stated)
            return None
        return end - start

    @functools.cached_property
    def shared_person_ids(self) -> frozenset[str]:
        """The person ids that the schedule gives people of more than one name."""
        names: dict[str, set[str]] = {}
        for event in self.schedule.all_events():
            for element in event.persons:
                name = self.plain_quietly(element.name)
                person_id = element.id.strip()
                if person_id and person_id != str(derived_number(mint("frab-person", self.key, "", name))):
                    names.setdefault(person_id, set()).add(" ".join(name.split()).casefold())
        return frozenset(person_id for person_id, them in names.items() if len(them) > 1)

    def person(self, element: SPerson) -> str:
        """The id of the person a ``<person>`` is: one per id *and* name, since merged schedules
        reuse ids for different people (names compared without case or spacing); one per name
        where the schedule gives no id."""
        name = self.plain(element.name)
        person_id = element.id.strip()
        if person_id == str(derived_number(mint("frab-person", self.key, "", name))):
            person_id = ""  # a number written for a person the schedule gave none: not the schedule's own
        same_name = " ".join(name.split()).casefold()
        key = (person_id, same_name) if person_id else ("", name)
        node = self.people.get(key)
        if node is None:
            if not name.strip():
                self.problem(element.at, f"a {self.tag('person')} has no name", person_id)
            if _too_large(person_id):
                self.problem(
                    element.at, f"the person id is larger than {LARGEST_ID}, the largest a schedule carries", person_id
                )
            names = self.names_of_id.setdefault(person_id, []) if person_id else []
            names.append(name)
            if not person_id:
                minted = mint("frab-person", self.key, "", name)
            elif person_id not in self.shared_person_ids:
                minted = mint("frab-person", self.key, person_id)
            else:  # one of the people of an id several share: told apart by the name, in any order
                minted = mint("frab-person", self.key, person_id, same_name)
            node = {"@type": "Person", "@id": minted, "name": name or person_id}
            if _own(person_id):
                node["identifier"] = [{"propertyID": SCHEME, "value": person_id}]
            self.people[key] = self.mark(node, element.at)
        identifier: str = node["@id"]
        return identifier

    def warnings(self) -> Iterator[str]:
        """What the reader had to assume or tell apart, each said once with its count."""
        yield from self.assumed
        if self.untagged and not self.language_given:
            yield (
                f"{self.untagged} of the schedule's events name no {self.tag('language')}: their texts are tagged "
                f"{self.language!r}; give the option language (--input-option language=en) if it is known"
            )
        if said := self.shared_ids_warning():
            yield said
        for what, lines_of in (("event id", self.id_lines), ("guid", self.guid_lines)):
            if said := self.repeated_warning(what, lines_of):
                yield said
        if self.bad_languages:
            yield (
                f"frab: {len(self.bad_languages)} events' {self.tag('language')} is no BCP 47 language tag: "
                f"their texts are read as of the schedule's language ({self.language!r}), the event as of none: "
                + _lines_named(
                    (f"{at.said()}: {value!r}" for at, value in sorted(self.bad_languages, key=_by_place)),
                    len(self.bad_languages),
                )
                + "; give the option repair=no to refuse such a file"
            )
        if self.joined:
            yield (
                f"frab: {self.joined} events have more than one of {self.tag('subtitle')}, {self.tag('abstract')} and "
                f"{self.tag('description')}: "
                "the model has one description, and they are joined in it, in that order, a blank line apart"
            )
        if self.html:
            yield f"frab: {self.html} texts held HTML, read as plain text"
        if self.links_encoded:
            yield (
                f"frab: {self.links_encoded} addresses held characters an IRI cannot (spaces, controls, brackets "
                "outside a host, a second #): they are kept with those characters percent-encoded"
            )
        if self.links_dropped:
            yield (
                f"frab: {len(self.links_dropped)} addresses are no absolute http(s) address, even resolved against "
                "the base_url (ftp:, a misspelt scheme, relative with no base: the option base-url gives one): "
                "their links keep their text, "
                "without the address: "
                + _lines_named((at.said() for at in sorted(self.links_dropped, key=At.key)), len(self.links_dropped))
            )

    def repeated_warning(self, what: str, lines_of: dict[str, list[At]]) -> str | None:
        """What is said of event ids (or guids) held by more than one event, each read as a session."""
        repeated = {value: lines for value, lines in lines_of.items() if len(lines) > 1}
        if not repeated:
            return None
        others = sum(len(lines) - 1 for lines in repeated.values())
        becomes = (
            "keep no event id of their own: they are written back with a number derived from their id"
            if what == "event id"
            else "get an id of their own, a UUIDv5 of the guid and their start"
        )
        shown = (f"{what} {value} ({_places(lines)})" for value, lines in repeated.items())
        return (
            f"frab: {len(repeated)} {what}s are held by more than one <event>: each is read, the first keeping it, "
            f"and the {others} later ones {becomes}: {_lines_named(shown, len(repeated))}; "
            "give the option repair=no to refuse such a file"
        )

    def shared_ids_warning(self) -> str | None:
        """What is said of person ids that carry several names, each read as a person of its own."""
        shared = {person_id: names for person_id, names in self.names_of_id.items() if len(names) > 1}
        if not shared:
            return None
        shown = "; ".join(
            f"id {person_id}: {', '.join(repr(name) for name in names)}"
            for person_id, names in list(shared.items())[:_NAMED]
        )
        more = f"; and {len(shared) - _NAMED} more" if len(shared) > _NAMED else ""
        people = sum(len(names) for names in shared.values())
        return (
            f"frab: {len(shared)} person ids carry more than one name (as merged schedules reuse them); "
            f"each name is read as a person of its own, {people} people in all: {shown}{more}"
        )

    def documents(self, element: SEvent, session_id: str, language: str) -> Iterator[dict[str, Any]]:
        """Links, then attachments. An attachment is a file: it gets the media type of its
        address's extension (``application/octet-stream`` where none is known), a link none."""
        seen: set[str] = set()
        for link in element.links:
            href, label = link.href, link.label
            if not label.strip() and not href.strip():
                continue
            url = self.url(href, link.at)
            identifier = mint("frab-document", session_id, url or "", label)
            if identifier in seen:  # the same link twice: once is enough
                continue
            seen.add(identifier)
            document: dict[str, Any] = {
                "@type": "PresentationDigitalDocument",
                "@id": identifier,
                "name": self.texts(label if label.strip() else href, language),
            }
            if url:
                document["url"] = url
            if link.attachment:
                document["encodingFormat"] = _media_type(url or href) or "application/octet-stream"
            yield self.mark(document, link.at)


def _by_place(pair: tuple[At, str]) -> tuple[tuple[int, str], str]:
    return pair[0].key(), pair[1]


def _places(places: list[At]) -> str:
    """Where the parts are: ``lines 3, 7``, or ``at /a, /b``."""
    if all(at.line is not None for at in places):
        return f"lines {', '.join(str(at.line) for at in places)}"
    return f"at {', '.join(at.pointer for at in places)}"


class Located(Origins):
    """Origins of nodes at lines (XML), or at JSON pointers of the input: a problem the model finds
    is said at the pointer of the innermost node marked on its path."""

    def __init__(self) -> None:
        super().__init__()
        self._pointers: dict[int, str] = {}

    def mark_at(self, node: dict[str, Any], at: At) -> dict[str, Any]:
        if at.line is not None or not at.pointer:
            return self.mark(node, Origin(line=at.line))
        self._pointers[id(node)] = at.pointer
        return node

    def said_there(self, problem: Problem, document: Any) -> Problem:
        if not self._pointers:
            return super().said_there(problem, document)
        node, found = document, None
        for part in problem.pointer.split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(part)] if isinstance(node, list) else node[part]
            except (KeyError, IndexError, ValueError, TypeError):
                break
            found = self._pointers.get(id(node), found)
        return problem if found is None else attrs.evolve(problem, pointer=found)


def _lines_named(named: Iterator[str], count: int) -> str:
    """The first few of what a warning counts, and how many more."""
    shown = "; ".join(next(named) for _ in range(min(count, _NAMED)))
    return shown + (f"; and {count - _NAMED} more" if count > _NAMED else "")


def _number(text: str) -> int | None:
    """The number an id written in ASCII digits is; None for other ids. Only up to 18 digits are
    converted (a number of thousands of digits takes long, and Python refuses it): a longer one is
    taken as 2**63, larger than any id."""
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdecimal()):
        return None
    return int(digits or "0") if len(digits) <= 18 else 2**63


def _too_large(frab_id: str) -> bool:
    number = _number(frab_id)
    return number is not None and number > LARGEST_ID


def _own(frab_id: str) -> bool:
    """Whether an id can be written back as it is: schedules' ids are positive 32-bit integers,
    written without leading zeros."""
    number = _number(frab_id)
    return number is not None and 0 < number <= LARGEST_ID and str(number) == frab_id


def _clock(text: str) -> time | None:
    found = _CLOCK.match(text.strip())
    if not found or int(found[1]) > 23 or int(found[2]) > 59 or int(found[3] or 0) > 59:
        return None
    return time(int(found[1]), int(found[2]), int(found[3] or 0))


def _length(text: str) -> timedelta | None:
    found = _CLOCK.match(text.strip())
    if not found or int(found[2]) > 59:
        return None
    return timedelta(hours=int(found[1]), minutes=int(found[2]), seconds=int(found[3] or 0))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _media_type(url: str) -> str | None:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return next((media for extension, media in MEDIA_TYPES.items() if path.endswith(extension)), None)


def unread(root: Any) -> dict[str, int]:
    """Each element and attribute of the schedule that ``READS`` does not name, with how many held a
    value (some text, or an attribute's), in the order they first appear."""
    counts: Counter[str] = Counter()
    stack = [(child, "") for child in reversed(root)]
    while stack:
        element, parent = stack.pop()
        if not isinstance(element.tag, str):  # a comment or a processing instruction
            continue
        tag = element.tag.rpartition("}")[2]
        path = "event" if tag == "event" and parent in _HOLDS_EVENTS else f"{parent}/{tag}".lstrip("/")
        for name, value in element.attrib.items():
            if f"{path}/@{name}" not in READS and value.strip():
                counts[f"{path}/@{name}"] += 1
        if path in READS:
            if path in _READ_WHOLE:
                continue
        elif (element.text or "").strip():
            counts[path] += 1
        else:
            counts.setdefault(path, 0)  # in the order of the file, whatever holds a value first
        stack.extend((child, path) for child in reversed(element))
    return {path: count for path, count in counts.items() if count}


def as_iri(address: str) -> str:
    """``address`` (an absolute http(s) one) with each character an IRI cannot hold where it stands
    percent-encoded (as UTF-8): spaces and controls, brackets outside a host, a second ``#``, a
    ``%`` that begins no escape, private-use characters outside the query. A valid IRI is returned
    as it is, character for character."""
    scheme, _slashes, rest = address.partition("://")
    end = _AUTHORITY_END.search(rest)
    authority, rest = (rest[: end.start()], rest[end.start() :]) if end else (rest, "")
    path_query, hash_sign, fragment = rest.partition("#")
    path, question, query = path_query.partition("?")
    return (
        f"{scheme}://{_encoded(authority, _IRI_CHARACTER, keep='[]')}{_encoded(path, _IRI_CHARACTER)}{question}"
        f"{_encoded(query, _QUERY_CHARACTER)}{hash_sign}{_encoded(fragment, _IRI_CHARACTER)}"
    )


def _encoded(part: str, allowed: re.Pattern[str], keep: str = "") -> str:
    out, at = [], 0
    while at < len(part):
        found = allowed.match(part, at)
        if found:
            out.append(found.group())
            at = found.end()
            continue
        character = part[at]
        out.append(character if character in keep else "".join(f"%{byte:02X}" for byte in character.encode()))
        at += 1
    return "".join(out)
