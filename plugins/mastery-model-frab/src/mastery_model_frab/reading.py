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
from collections.abc import Iterator
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


def read(data: bytes, options: Options) -> Catalogue:
    if len(data) > MAX_BYTES:
        message = f"the file has {len(data):,} bytes; schedules of more than {MAX_BYTES:,} bytes are refused"
        raise InvalidDocument(Report((Problem("", message),)))
    root = _parse(data)
    schedule = _Schedule(root, options)
    document = schedule.document()  # the events' problems are found while reading them
    if schedule.problems:
        raise InvalidDocument(Report(tuple(schedule.problems)))
    for said in schedule.warnings():
        warnings.warn(ReadWarning(said if said.startswith("frab: ") else f"frab: {said}"), stacklevel=2)
    if left_out := left_unread("frab", unread(root)):
        warnings.warn(left_out, stacklevel=2)
    # what only the model checks is said at the XML element it came from; what belongs to no
    # element of its own (the whole document), at the conference
    try:
        return read_document(document, origins=schedule.origins)
    except InvalidDocument as error:
        conference = schedule.conference.sourceline or root.sourceline
        located = tuple(p if p.line is not None else attrs.evolve(p, line=conference) for p in error.report)
        raise InvalidDocument(Report(located)) from None


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


class _Schedule:
    def __init__(self, root: Any, options: Options) -> None:
        self.root = root
        self.problems: list[Problem] = []
        conference = root.find("conference")
        if conference is None:
            self.problem(root, "the schedule has no <conference>")
            conference = etree.Element("conference")
        self.conference = conference
        self.title = _text(conference, "title")
        self.acronym = _text(conference, "acronym").strip()
        self.key = self.title  # what ids minted for this schedule are made from: written back as read
        self.language = options.get("language", DEFAULT_LANGUAGE)
        self.language_given = "language" in options
        self.untagged = 0  # events whose texts took the default language
        self.base_url = _text(conference, "base_url").strip()
        if options.get("base-url"):
            self.base_url = options["base-url"]
        self.assumed: list[str] = []  # what the schedule does not say and the reader took, for a warning
        zone_name = _text(conference, "time_zone_name").strip() or options.get("time-zone", "")
        if not zone_name:
            zone_name = DEFAULT_TIME_ZONE
            self.assumed.append(
                f"the schedule names no time zone (no <time_zone_name>): its times are read as {DEFAULT_TIME_ZONE}; "
                "if they are another zone's, give the option time-zone (--input-option time-zone=Europe/Brussels)"
            )
        self.zone_name = zone_name
        try:
            self.zone: ZoneInfo = zone(zone_name)
        except KeyError:
            self.problem(conference, "the <time_zone_name> is not an IANA zone name (Europe/Brussels)", zone_name)
            self.zone = zone("UTC")
        self.day_change = _clock(_text(conference, "day_change"))
        self.repair = options.get("repair", "yes") == "yes"
        self.html = 0  # texts that held HTML, read as plain text
        self.joined = 0  # events with more than one of <subtitle>, <abstract>, <description>
        self.links_encoded = 0  # addresses whose characters an IRI cannot hold were percent-encoded
        self.links_dropped: list[int] = []  # the lines of addresses that are no http(s) address even so
        self.bad_languages: list[tuple[int, str]] = []  # (line, value) of <language>s read as none
        self.guid_lines: dict[str, list[int]] = {}  # each guid (lower case) -> the lines of its events
        self.id_lines: dict[str, list[int]] = {}  # each event id -> the lines of its events
        self.session_ids: set[str] = set()
        self.people: dict[tuple[str, str], dict[str, Any]] = {}  # (person id, name) or ("", name) -> node
        self.names_of_id: dict[str, list[str]] = {}  # each person id -> the names it is given, as first written
        self.rooms: dict[str, None] = {}
        self.tracks: dict[str, None] = {}
        self.origins = Origins()  # each node of the document built, at the line of its element

    def problem(self, element: Any, message: str, value: Any = None) -> None:
        # an element the schedule lacks (made up in its place) is said at the root
        line = getattr(element, "sourceline", None) or self.root.sourceline
        self.problems.append(Problem("", message, value, None, line))

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
        for track in self.root.iterfind("tracks/track"):
            self.track("".join(track.itertext()))
        for track in self.conference.iterfind("track"):
            self.track(track.get("name") or "".join(track.itertext()))
        sessions = self.sessions()
        event: dict[str, Any] = {"@type": "EducationEvent", "name": self.texts(self.title, None)}
        if not self.title.strip():
            self.problem(self.conference, "the conference has no <title>")
        start, end = self.conference_day("start"), self.conference_day("end")
        days = [_day(day.get("date", "")) for day in self.root.iterfind("day")]
        known_days = [day for day in days if day is not None and not moment_error(day)]  # the others reported
        start = start or (min(known_days) if known_days else None)
        end = end or (max(known_days) if known_days else None)
        last = max((datetime.fromisoformat(s["endTime"]).date() for s in sessions if "endTime" in s), default=None)
        if end is not None and last is not None and last > end:  # a session past midnight on the last day
            end = last
        if start is not None:
            event["startDate"] = start.isoformat()
        if end is not None:
            event["endDate"] = end.isoformat()
        base_url = self.conference.find("base_url")
        if url := self.url(self.base_url, None if base_url is None else base_url.sourceline):
            event["url"] = url
        if self.rooms:
            event["location"] = [self.place(room) for room in self.rooms]
        if self.tracks:
            event["about"] = list(self.tracks)
        if ACRONYM.match(self.acronym):  # one the schema takes, so that it is written back as it is
            event["identifier"] = [{"propertyID": SCHEME, "value": self.acronym}]
        if sessions:
            event["subEvent"] = sessions
        conference = Origin(line=self.conference.sourceline or self.root.sourceline)
        self.origins.mark(event, conference)
        return self.origins.mark({"@context": CONTEXT_IRI, "@graph": [event, *self.people.values()]}, conference)

    def conference_day(self, name: str) -> date | None:
        """The conference's ``<start>`` or ``<end>``; None, reported, for a day the model cannot hold."""
        day = _day(_text(self.conference, name))
        if day is not None and (error := moment_error(day)):
            self.problem(
                self.conference.find(name), f"the conference's <{name}> cannot be held: {error}", day.isoformat()
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

    def url(self, href: str, line: int | None = None) -> str | None:
        """An absolute http(s) address as the model takes it: relative ones resolved against the
        conference's; a valid IRI as it is, character for character, and in others each character
        an IRI cannot hold percent-encoded (counted); None for what is still not one (``ftp:``, a
        misspelt scheme, a port that is not a number), its line kept for a warning."""
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
        if line is not None:
            self.links_dropped.append(line)
        return None

    def sessions(self) -> list[dict[str, Any]]:
        """The sessions in programme order (by start, then room, then id) whatever the order the
        file lists them in, so that a schedule written again reads back the same."""
        found = []
        for day in self.root.iterfind("day"):
            day_date = _day(day.get("date", ""))
            if day_date is not None and (error := moment_error(day_date)):
                self.problem(day, f"the <day> date cannot be held: {error}", day.get("date"))
            for element in day.iter("room", "event"):  # in document order: rooms in the order they appear
                if element.tag == "room":
                    self.room(element.get("name") or "")
                    continue
                timing = self.timing(element, day_date)
                identity = self.identity(element, timing)
                if identity is not None:
                    room = self.plain_quietly(_text(element, "room"))  # counted as the session is read
                    if room.strip():
                        self.rooms.setdefault(room, None)
                    found.append((element, timing, identity))
        rooms = {room: index for index, room in enumerate(self.rooms)}

        def programme_order(entry: tuple[Any, dict[str, str], tuple[str, bool]]) -> tuple[float, int, float, str]:
            """By start, room, the event id kept (sessions without one last), then id: what a
            schedule written again gives the same."""
            element, timing, (identifier, keeps_id) = entry
            start = datetime.fromisoformat(timing["startTime"]).timestamp() if timing else float("inf")
            frab_id = element.get("id", "").strip()
            kept = keeps_id and _own(frab_id) and frab_id != str(derived_number(identifier))
            room = rooms.get(self.plain_quietly(_text(element, "room")), -1)
            return start, room, int(frab_id) if kept else float("inf"), identifier

        ordered = sorted(found, key=programme_order)
        return [
            self.origins.mark(self.session(element, timing, *identity), Origin(line=element.sourceline))
            for element, timing, identity in ordered
        ]

    def plain_quietly(self, text: str) -> str:
        return plain_text(text) if holds_html(text) else text

    def identity(self, element: Any, timing: dict[str, str]) -> tuple[str, bool] | None:
        """The session's id, and whether it keeps its event id as its external id; None for an
        event that is not read (one without id, or, with ``repair=no``, a repeated id or guid,
        reported at its line naming the first's).

        Repairs (the default): the first event of an id or a guid keeps them; a later event of
        the same guid gets the id ``urn:uuid:`` + UUIDv5(the guid, its start), a later event of the
        same id without a guid of its own the id minted from the conference, the event id and its
        start, and keeps no external id (it is written back with the number derived from its id).
        Two events of one start and guid (or id) are told apart by their place among them."""
        frab_id = element.get("id", "").strip()
        line = element.sourceline
        if not frab_id:
            self.problem(element, "an <event> has no id")
            return None
        if _too_large(frab_id):
            self.problem(element, f"the event id is larger than {LARGEST_ID}, the largest a schedule carries", frab_id)
        guid = element.get("guid", "").strip().lower()
        guid = guid if _UUID.match(guid) else ""
        id_lines = self.id_lines.setdefault(frab_id, [])
        guid_lines = self.guid_lines.setdefault(guid, []) if guid else []
        repeated_id, repeated_guid = bool(id_lines), bool(guid_lines)
        if not self.repair and (repeated_id or repeated_guid):
            for repeated, lines, what in ((repeated_id, id_lines, "event id"), (repeated_guid, guid_lines, "guid")):
                if repeated:
                    self.problem(
                        element,
                        f"the {what} is the {what} of the event on line {lines[0]} already "
                        "(the option repair=yes reads both, the later with an id of its own)",
                        frab_id if what == "event id" else guid,
                    )
            return None
        id_lines.append(line)
        guid_lines.append(line)
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

    def session(self, element: Any, timing: dict[str, str], identifier: str, keeps_id: bool) -> dict[str, Any]:
        frab_id = element.get("id", "").strip()
        language = _text(element, "language").strip()
        if language and language_tag(language) is not None:
            if self.repair:
                self.bad_languages.append((element.find("language").sourceline, language))
            else:
                self.problem(
                    element.find("language"),
                    "the <language> is not a BCP 47 language tag (en, pt-BR); "
                    "the option repair=yes reads the event's texts as of the schedule's language",
                    language,
                )
            language = ""
        self.untagged += not language
        title = _text(element, "title")
        if not title.strip():
            self.problem(element, "an <event> has no <title>", frab_id)
        node: dict[str, Any] = {"@type": "EducationEvent", "@id": identifier, "name": self.texts(title, language)}
        described = [_text(element, name) for name in ("subtitle", "abstract", "description")]
        described = [text for text in described if text.strip()]
        self.joined += len(described) > 1
        if described:
            node["description"] = {language or self.language: "\n\n".join(self.plain(text) for text in described)}
        kind = _text(element, "type").strip()
        if kind:
            node["sessionKind"] = KINDS.get(kind.casefold(), "other")
        node.update(timing)
        if language:
            node["inLanguage"] = language
        if room := self.room(_text(element, "room")):
            node["location"] = [self.place(room)]
        url_element = element.find("url")
        if url := self.url(_text(element, "url"), None if url_element is None else url_element.sourceline):
            node["url"] = url
        if track := self.track(_text(element, "track")):
            node["about"] = [track]
        if keeps_id and _own(frab_id) and frab_id != str(derived_number(node["@id"])):
            node["identifier"] = [{"propertyID": SCHEME, "value": frab_id}]
        performers = [self.person(person) for person in element.iterfind("persons/person")]
        if performers:
            node["performer"] = [{"performer": person, "roleName": "speaker"} for person in dict.fromkeys(performers)]
        documents = list(self.documents(element, node["@id"], language))
        if documents:
            node["workFeatured"] = documents
        return node

    def timing(self, element: Any, day_date: date | None) -> dict[str, str]:
        clock, length = _clock(_text(element, "start")), _length(_text(element, "duration"))
        stated = _text(element, "date").strip()
        start: datetime | None = None
        if stated and "T" in stated:
            try:
                parsed = datetime.fromisoformat(stated)
            except ValueError:
                self.problem(element, "the <date> is not a date and time with an offset", stated)
            else:
                # checked before any arithmetic, which overflows near the years 1 and 9999
                if error := moment_error(parsed.date()):
                    self.problem(element, f"the <date> cannot be held: {error}", stated)
                    return {}
                # without an offset, the time is the conference's wall clock, not this machine's
                start = parsed.replace(tzinfo=self.zone) if parsed.tzinfo is None else parsed.astimezone(self.zone)
        if start is None and clock is not None and day_date is not None:
            if moment_error(day_date):
                return {}  # the day is reported
            day = day_date + timedelta(days=1) if self.day_change and clock < self.day_change else day_date
            start = datetime.combine(day, clock, tzinfo=self.zone)
        if start is None:
            self.problem(element, "the event has no start: a <date>, or a <start> in a <day date=...>")
            return {}
        if length is None:
            self.problem(element, "the <duration> is not H:MM, HH:MM or HH:MM:SS", _text(element, "duration"))
            return {}
        end = (start.astimezone(ZoneInfo("UTC")) + length).astimezone(self.zone)  # across a clock change
        for which, moment in (("start", start), ("end", end)):
            if error := moment_error(moment):
                self.problem(element, f"the event's {which} cannot be held: {error}", moment.isoformat())
                return {}
        return {"startTime": start.isoformat(), "endTime": end.isoformat(), "timeZone": self.zone_name}

    @functools.cached_property
    def shared_person_ids(self) -> frozenset[str]:
        """The person ids that the schedule gives people of more than one name."""
        names: dict[str, set[str]] = {}
        for element in self.root.iterfind("day//event/persons/person"):
            name = self.plain_quietly("".join(element.itertext()))
            person_id = element.get("id", "").strip()
            if person_id and person_id != str(derived_number(mint("frab-person", self.key, "", name))):
                names.setdefault(person_id, set()).add(" ".join(name.split()).casefold())
        return frozenset(person_id for person_id, them in names.items() if len(them) > 1)

    def person(self, element: Any) -> str:
        """The id of the person a ``<person>`` is: one per id *and* name, since merged schedules
        reuse ids for different people (names compared without case or spacing); one per name
        where the schedule gives no id."""
        name = self.plain("".join(element.itertext()))
        person_id = element.get("id", "").strip()
        if person_id == str(derived_number(mint("frab-person", self.key, "", name))):
            person_id = ""  # a number written for a person the schedule gave none: not the schedule's own
        same_name = " ".join(name.split()).casefold()
        key = (person_id, same_name) if person_id else ("", name)
        node = self.people.get(key)
        if node is None:
            if not name.strip():
                self.problem(element, "a <person> has no name", person_id)
            if _too_large(person_id):
                self.problem(
                    element, f"the person id is larger than {LARGEST_ID}, the largest a schedule carries", person_id
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
            self.people[key] = self.origins.mark(node, Origin(line=element.sourceline))
        identifier: str = node["@id"]
        return identifier

    def warnings(self) -> Iterator[str]:
        """What the reader had to assume or tell apart, each said once with its count."""
        yield from self.assumed
        if self.untagged and not self.language_given:
            yield (
                f"{self.untagged} of the schedule's events name no <language>: their texts are tagged "
                f"{self.language!r}; give the option language (--input-option language=en) if it is known"
            )
        if said := self.shared_ids_warning():
            yield said
        for what, lines_of in (("event id", self.id_lines), ("guid", self.guid_lines)):
            if said := self.repeated_warning(what, lines_of):
                yield said
        if self.bad_languages:
            yield (
                f"frab: {len(self.bad_languages)} events' <language> is no BCP 47 language tag: their texts are "
                f"read as of the schedule's language ({self.language!r}), the event as of none: "
                + _lines_named(
                    (f"line {line}: {value!r}" for line, value in sorted(self.bad_languages)), len(self.bad_languages)
                )
                + "; give the option repair=no to refuse such a file"
            )
        if self.joined:
            yield (
                f"frab: {self.joined} events have more than one of <subtitle>, <abstract> and <description>: "
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
                + _lines_named((f"line {line}" for line in sorted(self.links_dropped)), len(self.links_dropped))
            )

    def repeated_warning(self, what: str, lines_of: dict[str, list[int]]) -> str | None:
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
        shown = (f"{what} {value} (lines {', '.join(map(str, lines))})" for value, lines in repeated.items())
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

    def documents(self, element: Any, session_id: str, language: str) -> Iterator[dict[str, Any]]:
        """Links, then attachments. An attachment is a file: it gets the media type of its
        address's extension (``application/octet-stream`` where none is known), a link none."""
        seen: set[str] = set()
        for link in [*element.iterfind("links/link"), *element.iterfind("attachments/attachment")]:
            href, label = link.get("href", ""), "".join(link.itertext())
            if not label.strip() and not href.strip():
                continue
            url = self.url(href, link.sourceline)
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
            if link.tag == "attachment":
                document["encodingFormat"] = _media_type(url or href) or "application/octet-stream"
            yield self.origins.mark(document, Origin(line=link.sourceline))


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
