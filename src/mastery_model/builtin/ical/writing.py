"""The ``ical`` format: an iCalendar (RFC 5545, RFC 7986) calendar of the event and its sessions.

The event and each session with a date are a ``VEVENT``; a nested session names its parent with
``RELATED-TO``. A session with no date is not given one: it is listed in its parent's description;
a catalogue with no date at all is refused (``MissingData``), never given an invented one.
``UID`` is the entity's id, the same as in every other format. ``DTSTAMP`` is the data's last
modification (UTC) and, where the data has none, 1970-01-01T00:00:00Z: never the time of export, so
that the same data gives the same bytes. Times with an IANA zone are written with ``TZID`` and a
``VTIMEZONE`` built by icalendar from the pinned zone database; times with an offset only, in UTC.

The writer is purpose-built: it escapes TEXT values and folds lines at 75 octets without splitting
a UTF-8 sequence; icalendar builds the ``VTIMEZONE`` blocks and checks the output in the tests.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from typing import BinaryIO

from mastery_model.model import (
    Catalogue,
    Event,
    Place,
    Session,
    Status,
    Text,
    VirtualLocation,
    walk_sessions,
)
from mastery_model.plugins.records import Options
from mastery_model.problems import ExportWarning, MissingData
from mastery_model.zones import zone

PRODID = f"-//mastery-model//mastery-model {version('mastery-model')}//EN"
#: ``DTSTAMP`` where the data gives no modification time: a fixed instant, never the clock.
UNKNOWN_STAMP = "19700101T000000Z"
STATUSES = {
    Status.SCHEDULED: "CONFIRMED",
    Status.RESCHEDULED: "CONFIRMED",
    Status.MOVED_ONLINE: "CONFIRMED",
    Status.POSTPONED: "TENTATIVE",
    Status.CANCELLED: "CANCELLED",
}
# The C0 controls but TAB, DEL and the C1 controls may not stand in a content line (RFC 5545, 3.1)
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


# What RFC 3986 leaves out of a URI that an IRI may hold (RFC 3987, 2.2): every character beyond ASCII.
_BEYOND_ASCII = re.compile("[^\x00-\x7f]+")


def _percent_encoded(found: re.Match[str]) -> str:
    return "".join(f"%{octet:02X}" for octet in found.group().encode("utf-8"))


def uri(iri: str) -> str:
    """A URI value (RFC 5545, 3.3.13: the syntax of RFC 3986) of a link that is an IRI: each
    character beyond ASCII percent-encoded as its UTF-8 octets (RFC 3987, 3.1), everything else as
    it is. A link that is a URI already (ASCII) is written byte for byte: a URI value is not TEXT,
    and its ``;`` and ``,`` are not escaped."""
    return _BEYOND_ASCII.sub(_percent_encoded, iri) if not iri.isascii() else iri


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped, other controls dropped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    if "\n" in text or "\r" in text:
        text = text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def fold(line: str) -> bytes:
    """A content line as octets: CRLF-ended, folded so that no physical line passes 75 octets and
    no fold falls inside a UTF-8 sequence."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    pieces = []
    start, limit = 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation octet: cut before its sequence
            cut -= 1
        pieces.append(data[start:cut])
        start, limit = cut, 74  # a continuation line starts with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


class _Calendar:
    def __init__(self, catalogue: Catalogue, options: Options) -> None:
        self.catalogue = catalogue
        self.language = options.get("language")
        self.options = options
        self.people = {person.id: person for person in catalogue.people}
        self.organisations = {organisation.id: organisation for organisation in catalogue.organisations}
        self.encoded = 0  # the links written percent-encoded (see uri)

    def link(self, iri: str) -> str:
        if not iri.isascii():
            self.encoded += 1
        return uri(iri)

    def text(self, text: Text) -> tuple[str, str]:
        """The text in the chosen language (else the default), and the ``LANGUAGE`` parameter."""
        return _chosen(text, self.language)

    def lines(self) -> Iterator[str]:
        for event in self.catalogue.events:
            if event.start is not None:
                yield from self.vevent(event, event, None)
            for parent, session in _with_parents(event):
                if session.start is not None:
                    yield from self.vevent(session, event, parent)

    def vevent(self, entity: Event | Session, event: Event, parent: Event | Session | None) -> Iterator[str]:
        yield "BEGIN:VEVENT"
        yield f"UID:{escape(entity.id)}"
        stamp = entity.modified or event.modified
        yield f"DTSTAMP:{_utc(stamp) if stamp else UNKNOWN_STAMP}"
        yield from self.timing(entity)
        if entity.revision is not None:
            yield f"SEQUENCE:{entity.revision}"
        if entity.modified is not None:
            yield f"LAST-MODIFIED:{_utc(entity.modified)}"
        if entity.status is not None:
            yield f"STATUS:{STATUSES[entity.status]}"
        summary, language = self.text(entity.name)
        yield f"SUMMARY{language}:{escape(summary)}"
        description = self.description(entity)
        if description:
            yield f"DESCRIPTION{language}:{escape(description)}"
        places = [self.place(location) for location in entity.locations if isinstance(location, Place)]
        if places:
            yield f"LOCATION{language}:{escape('; '.join(places))}"
        if entity.url:
            yield f"URL:{self.link(entity.url)}"
        for location in entity.locations:
            if isinstance(location, VirtualLocation):
                label = f";LABEL={_parameter(location.platform)}" if location.platform else ""
                yield f"CONFERENCE;VALUE=URI;FEATURE=VIDEO{label}:{self.link(location.url)}"
        categories = ([entity.kind.value] if isinstance(entity, Session) and entity.kind else []) + list(entity.topics)
        if categories:
            yield f"CATEGORIES:{','.join(escape(category) for category in categories)}"
        if parent is not None:
            yield f"RELATED-TO;RELTYPE=PARENT:{escape(parent.id)}"
        yield "END:VEVENT"

    def timing(self, entity: Event | Session) -> Iterator[str]:
        start, end = entity.start, entity.end
        if start is None:
            return
        if not isinstance(start, datetime):  # a day: VALUE=DATE, the end exclusive
            last = end if end is not None and not isinstance(end, datetime) else start
            yield f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}"
            yield f"DTEND;VALUE=DATE:{(last + timedelta(days=1)).strftime('%Y%m%d')}"
            return
        yield f"DTSTART{self.moment(start, entity.time_zone)}"
        if isinstance(end, datetime) and end.replace(microsecond=0) > start.replace(microsecond=0):
            yield f"DTEND{self.moment(end, entity.time_zone)}"

    def moment(self, moment: datetime, zone_name: str | None) -> str:
        """``;TZID=zone:local`` with a zone, else ``:UTC``; to the second, as iCalendar counts."""
        if zone_name is None:
            return f":{_utc(moment)}"
        local = moment.astimezone(zone(zone_name))
        return f";TZID={zone_name}:{local.strftime('%Y%m%dT%H%M%S')}"

    def description(self, entity: Event | Session) -> str:
        parts = [self.text(entity.description)[0]] if entity.description else []
        if isinstance(entity, Session):
            for contribution in entity.contributions:
                parts.append(f"{contribution.role.value.capitalize()}: {self.contributor(contribution.contributor)}")
            for document in entity.documents:
                parts.append(
                    f"Document: {self.text(document.name)[0]}" + (f" <{document.url}>" if document.url else "")
                )
            for recommendation in entity.recommendations:
                parts.append(f"Recommendation: {self.text(recommendation.text)[0]}")
        undated = [session for session in entity.sessions if session.start is None]
        if undated:
            parts.append("Programme (no times known):")
            parts += self.programme(undated, "")
        return "\n".join(parts)

    def programme(self, sessions: Sequence[Session], prefix: str) -> Iterator[str]:
        """Sessions without a date, as lines of the description: title, who takes part, and what
        is nested in them."""
        for number, session in enumerate(sessions, start=1):
            label = f"{prefix}{session.position or number}"
            people = "; ".join(f"{c.role.value}: {self.contributor(c.contributor)}" for c in session.contributions)
            yield f"{label}. {self.text(session.name)[0]}" + (f" ({people})" if people else "")
            yield from self.programme([s for s in session.sessions if s.start is None], f"{label}.")

    def contributor(self, identifier: str) -> str:
        if identifier in self.people:
            person = self.people[identifier]
            names = [self.text(self.organisations[o].name)[0] for o in person.affiliations if o in self.organisations]
            return f"{person.name} ({', '.join(names)})" if names else person.name
        if identifier in self.organisations:
            return self.text(self.organisations[identifier].name)[0]
        return identifier

    def place(self, place: Place) -> str:
        parts = [self.text(place.name)[0]] if place.name else []
        if place.address is not None:
            address = place.address
            parts += [
                part
                for part in (address.street, address.postal_code, address.locality, address.region, address.country)
                if part
            ]
        return ", ".join(parts)


def _chosen(text: Text, language: str | None) -> tuple[str, str]:
    for tag, value in text.translations:
        if tag == language:
            return value, f";LANGUAGE={tag}"
    tag, value = text.translations[0]
    return value, f";LANGUAGE={tag}"


def _timezones(zones: dict[str, tuple[int, int]]) -> Iterator[bytes]:
    from icalendar import Timezone  # builds VTIMEZONE from the zone's rules

    for name in sorted(zones):
        first, last = zones[name]
        yield Timezone.from_tzinfo(zone(name), name, date(first - 1, 1, 1), date(last + 1, 12, 31)).to_ical()


def _parameter(value: str) -> str:
    """A parameter value: quoted, without the characters a quoted value cannot hold."""
    return '"' + _CONTROLS.sub("", value).replace('"', "'") + '"'


def _timed(event: Event) -> Iterator[Event | Session]:
    yield event
    yield from walk_sessions(event.sessions)


def _zone_years(catalogue: Catalogue) -> dict[str, tuple[int, int]]:
    """Each zone the calendar uses, with the first and last year it is used in: its VTIMEZONE
    comes before the events, and covers those years."""
    years: dict[str, tuple[int, int]] = {}
    for event in catalogue.events:
        for timed in _timed(event):
            for moment in (timed.start, timed.end):
                if timed.time_zone and isinstance(moment, datetime):
                    first, last = years.get(timed.time_zone, (moment.year, moment.year))
                    years[timed.time_zone] = (min(first, moment.year), max(last, moment.year))
    return years


def _with_parents(event: Event) -> Iterator[tuple[Event | Session, Session]]:
    stack: list[tuple[Event | Session, Session]] = [(event, session) for session in reversed(event.sessions)]
    while stack:
        parent, session = stack.pop()
        yield parent, session
        stack.extend((session, child) for child in reversed(session.sessions))


def write(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    write_parts(lambda: iter((catalogue,)), stream, options)


def write_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    """The calendar of a catalogue given in parts: a first pass finds the zones (their VTIMEZONE
    blocks come first) and the calendar's name, a second writes the events, a part at a time."""
    zones: dict[str, tuple[int, int]] = {}
    name, dated, undated = options.get("name"), False, []
    for part in parts():
        for zone_name, (first, last) in _zone_years(part).items():
            known = zones.get(zone_name, (first, last))
            zones[zone_name] = (min(known[0], first), max(known[1], last))
        for event in part.events:
            name = name or _chosen(event.name, options.get("language"))[0]
            dated = dated or any(entity.start is not None for entity in _timed(event))
            undated.append(f"the event {str(event.name)!r} has no start")
    if not dated:  # a calendar needs a date; none is invented
        raise MissingData("ical", undated or ["the catalogue has no event"])
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        head += [f"NAME:{escape(name)}", f"X-WR-CALNAME:{escape(name)}"]
    if options.get("refresh"):
        head.append(f"REFRESH-INTERVAL;VALUE=DURATION:{options['refresh']}")
    if options.get("source"):
        head.append(f"SOURCE;VALUE=URI:{options['source']}")
    for text in head:
        stream.write(fold(text))
    for block in _timezones(zones):
        stream.write(block)
    encoded = 0
    for part in parts():
        calendar = _Calendar(part, options)
        for line in calendar.lines():  # streamed: a line at a time
            stream.write(fold(line))
        encoded += calendar.encoded
    stream.write(b"END:VCALENDAR\r\n")
    if encoded:
        warnings.warn(
            ExportWarning(
                f"ical writes {encoded:,} link{'s' if encoded != 1 else ''} holding characters beyond ASCII"
                " percent-encoded: iCalendar takes URIs (RFC 5545, RFC 3986), not IRIs; the same address, spelt"
                " as a URI (RFC 3987, 3.1)"
            ),
            stacklevel=2,
        )
