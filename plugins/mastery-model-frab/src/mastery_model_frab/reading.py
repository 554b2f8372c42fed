"""Reads schedule XML as conference systems publish it (frab, Pentabarf, pretalx, wafer).

The conference becomes an event, each ``<event>`` a session of it; rooms become places (the
conference's, in the order they first appear, and each session's own), tracks topics, persons
people (speakers), links and attachments documents. Schedule ids are kept as external ids
(``frab``), and a session's ``guid`` as its id, so that writing the schedule again gives the same
ids. What the file gets wrong is reported, every problem with its line.
"""

from __future__ import annotations

import re
import uuid
import warnings
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote, urljoin
from zoneinfo import ZoneInfo

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
    mint,
    read_document,
)
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
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\Z")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
_URL = re.compile(r"https?://[^\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+\Z")
_URL_SAFE = ":/?#@!$&'()*+,;=%~-._"
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
    # what only the model checks is said at the XML element it came from
    return read_document(document, origins=schedule.origins)


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
        self.people: dict[tuple[str, str], dict[str, Any]] = {}  # (person id, name) or ("", name) -> node
        self.names_of_id: dict[str, list[str]] = {}  # each person id -> the names it is given, as first written
        self.rooms: dict[str, None] = {}
        self.tracks: dict[str, None] = {}
        self.seen_ids: dict[str, int] = {}
        self.origins = Origins()  # each node of the document built, at the line of its element

    def problem(self, element: Any, message: str, value: Any = None) -> None:
        # an element the schedule lacks (made up in its place) is said at the root
        line = getattr(element, "sourceline", None) or self.root.sourceline
        self.problems.append(Problem("", message, value, None, line))

    def texts(self, value: str, language: str | None) -> dict[str, str]:
        return {language or self.language: value}

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
        if url := self.url(self.base_url):
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

    def track(self, name: str) -> None:
        if name.strip():
            self.tracks.setdefault(name, None)

    def place(self, room: str) -> dict[str, Any]:
        return {"@type": "Place", "name": self.texts(room, None)}

    def url(self, href: str) -> str | None:
        """An absolute http(s) address as the model takes it: relative ones resolved against the
        conference's, characters an IRI cannot hold (``[]``, a second ``#``) percent-encoded; None
        for what is still not one (``ftp:``, a misspelt scheme, a port that is not a number)."""
        href = href.strip()
        if href and self.base_url and not _URL.match(href):
            try:
                href = urljoin(self.base_url, href)
            except ValueError:  # a broken address (``http://[``), the link's or the conference's
                return None
        if not _URL.match(href):
            return None
        if _IS_URL(href):
            return href
        address, hash_sign, fragment = href.partition("#")
        encoded = quote(address, safe=_URL_SAFE) + hash_sign + quote(fragment, safe=_URL_SAFE.replace("#", ""))
        return encoded if _IS_URL(encoded) else None

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
                    if element.get("name"):
                        self.rooms.setdefault(element.get("name"), None)
                    continue
                if self.first_of_its_id(element):
                    room = _text(element, "room")
                    if room.strip():
                        self.rooms.setdefault(room, None)
                    found.append((element, self.timing(element, day_date)))
        rooms = {room: index for index, room in enumerate(self.rooms)}

        def programme_order(entry: tuple[Any, dict[str, str]]) -> tuple[float, int, int, str]:
            element, timing = entry
            start = datetime.fromisoformat(timing["startTime"]).timestamp() if timing else float("inf")
            frab_id = element.get("id", "").strip()
            number = _number(frab_id)
            return start, rooms.get(_text(element, "room"), -1), -1 if number is None else number, frab_id

        ordered = sorted(found, key=programme_order)
        return [
            self.origins.mark(self.session(element, timing), Origin(line=element.sourceline))
            for element, timing in ordered
        ]

    def first_of_its_id(self, element: Any) -> bool:
        """Whether the event's id is new; an id seen before is reported (the event is not read)."""
        frab_id = element.get("id", "").strip()
        if not frab_id:
            self.problem(element, "an <event> has no id")
        elif frab_id in self.seen_ids:
            first = self.seen_ids[frab_id]
            self.problem(element, f"the event id {frab_id} is the id of the event on line {first} already", frab_id)
            return False
        else:
            self.seen_ids[frab_id] = element.sourceline
            if _too_large(frab_id):
                self.problem(
                    element, f"the event id is larger than {LARGEST_ID}, the largest a schedule carries", frab_id
                )
        return True

    def session(self, element: Any, timing: dict[str, str]) -> dict[str, Any]:
        frab_id = element.get("id", "").strip()
        language = _text(element, "language").strip()
        language = language if _LANGUAGE.match(language) else ""
        self.untagged += not language
        title = _text(element, "title")
        if not title.strip():
            self.problem(element, "an <event> has no <title>", frab_id)
        guid = element.get("guid", "").strip()
        node: dict[str, Any] = {
            "@type": "EducationEvent",
            "@id": f"urn:uuid:{guid.lower()}" if _UUID.match(guid) else mint("frab-event", self.key, frab_id),
            "name": self.texts(title, language),
        }
        described = (_text(element, name) for name in ("subtitle", "abstract", "description"))
        description = "\n\n".join(part for part in described if part.strip())
        if description:
            node["description"] = self.texts(description, language)
        kind = _text(element, "type").strip()
        if kind:
            node["sessionKind"] = KINDS.get(kind.casefold(), "other")
        node.update(timing)
        if language:
            node["inLanguage"] = language
        room = _text(element, "room")
        if room.strip():
            self.rooms.setdefault(room, None)
            node["location"] = [self.place(room)]
        if url := self.url(_text(element, "url")):
            node["url"] = url
        track = _text(element, "track")
        if track.strip():
            self.track(track)
            node["about"] = [track]
        if _own(frab_id) and frab_id != str(derived_number(node["@id"])):
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

    def person(self, element: Any) -> str:
        """The id of the person a ``<person>`` is: one per id *and* name, since merged schedules
        reuse ids for different people (names compared without case or spacing); one per name
        where the schedule gives no id."""
        name = "".join(element.itertext())
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
            elif len(names) == 1:
                minted = mint("frab-person", self.key, person_id)
            else:  # another person under an id already taken: told apart by the name
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
            url = self.url(href)
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
            yield document


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
