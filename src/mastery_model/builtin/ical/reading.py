"""Reads iCalendar files (RFC 5545, RFC 7986) as calendar apps, conference systems and feeds write them.

A calendar becomes an event and its ``VEVENT``\\ s its sessions (nested as ``RELATED-TO;RELTYPE=PARENT``
nests them); a calendar of a single top-level ``VEVENT`` is that event, as the library's own export
writes one. With the option ``events=each``, every top-level ``VEVENT`` is an event of its own.
icalendar parses the content lines; this module first decodes the bytes and unfolds the lines
itself, so that every problem is said at its line, and repairs what feeds get wrong (folds without
their space, bytes that are not UTF-8), saying so. Zones are resolved from each ``TZID`` as named
in the file (IANA names, Windows names through icalendar's table of the CLDR's mapping, the
file's own ``VTIMEZONE``), never from a zone another file defined. Recurring events are expanded by
recurring-ical-events, loaded only for a calendar that has one.
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import icalendar

from mastery_model.builtin.ical import DEFAULT_LANGUAGE, DEFAULT_TIME_ZONE, FALLBACK_ENCODING
from mastery_model.html_text import holds_html, plain_text
from mastery_model.identity import mint
from mastery_model.model import MAX_SESSION_DEPTH, Catalogue, moment_error
from mastery_model.plugins.records import Options, language_tag
from mastery_model.problems import InvalidDocument, Problem, ReadWarning, Report, left_unread
from mastery_model.published import CONTEXT_IRI
from mastery_model.reading import Origin, Origins, read_document
from mastery_model.zones import names as zone_names
from mastery_model.zones import zone

#: Files larger than this are refused unread: real calendars and feeds are a few megabytes.
MAX_BYTES = 64 * 1024 * 1024
#: Calendars with more VEVENTs than this (or whose recurring events expand to more occurrences)
#: are refused unread.
MAX_VEVENTS = 100_000
SCHEME = "ical"
#: How many line numbers a warning names (it counts them all).
_NAMED = 5

_NAME = re.compile(r"[A-Za-z0-9-]+[;:]")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_UUID = re.compile(r"(?:urn:uuid:)?([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})\Z")
# an absolute IRI, as the model's ids are (schemas/v1/common.schema.json)
_IRI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+\Z"
)
_URL = re.compile(r"https?://[^\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+\Z")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_KINDS = frozenset(("keynote", "talk", "panel", "discussion", "breakout", "workshop", "plenary", "other"))
_STATUSES = {"CONFIRMED": "scheduled", "CANCELLED": "cancelled"}
#: Properties of a calendar and of an event that say how the file is made, not what it holds.
_STRUCTURAL = frozenset(("VERSION", "PRODID", "CALSCALE", "METHOD", "DTSTAMP"))
_CALENDAR_READ = frozenset(("NAME", "X-WR-CALNAME", "X-WR-CALDESC", "DESCRIPTION", "X-WR-TIMEZONE"))
_EVENT_READ = frozenset(
    (
        *("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "CATEGORIES", "DTSTART", "DTEND", "DURATION"),
        *("STATUS", "ORGANIZER", "ATTENDEE", "RELATED-TO", "SEQUENCE", "LAST-MODIFIED", "CONFERENCE"),
        *("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"),
    )
)
_ROLES = {"CHAIR": "moderator", "REQ-PARTICIPANT": "speaker"}


def read(data: bytes, options: Options) -> Catalogue:
    if len(data) > MAX_BYTES:
        message = f"the file has {len(data):,} bytes; calendars of more than {MAX_BYTES:,} bytes are refused"
        raise InvalidDocument(Report((Problem("", message),)))
    said: list[str] = []
    text = _decoded(data, options.get("encoding", FALLBACK_ENCODING), "encoding" in options, said)
    lines = _unfolded(text, said)
    vevents = sum(1 for _line, content in lines if content[:12].upper() == "BEGIN:VEVENT")
    if vevents > MAX_VEVENTS:
        message = f"the calendar has {vevents:,} VEVENTs; calendars of more than {MAX_VEVENTS:,} are refused"
        raise InvalidDocument(Report((Problem("", message),)))
    spans = _spans(lines)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # what icalendar guesses is not used: zones are resolved here
            components = icalendar.Component.from_ical("\r\n".join(content for _line, content in lines), multiple=True)
    except Exception as error:  # icalendar raises ValueError and others on a line it cannot parse
        raise InvalidDocument(Report((_unparsed(lines, error),))) from None
    reader = _Reader(components, spans, lines, options, said)
    document = reader.document()
    if reader.problems:
        raise InvalidDocument(Report(tuple(reader.problems)))
    for message in reader.warnings():
        warnings.warn(ReadWarning(f"ical: {message}"), stacklevel=2)
    unread = left_unread("ical", reader.unread)
    if unread is not None:
        warnings.warn(unread, stacklevel=2)
    return read_document(document, origins=reader.origins)


# -- bytes, lines and components -------------------------------------------------------------------


def _lines_named(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:_NAMED])
    return shown + (f" and {len(numbers) - _NAMED} more" if len(numbers) > _NAMED else "")


def _decoded(data: bytes, fallback: str, chosen: bool, said: list[str]) -> str:
    """The text of the file: UTF-8 (a byte order mark allowed, UTF-16 with its mark), each line that
    is not UTF-8 decoded with the fallback encoding, and said."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidDocument(Report((Problem("", "the file begins as UTF-16 but is not UTF-16"),))) from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    decoded, others = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                decoded.append(line.decode(fallback))
            except UnicodeDecodeError:
                message = f"the line is neither UTF-8 nor {fallback}; give the option encoding (encoding=latin-1)"
                raise InvalidDocument(Report((Problem("", message, None, None, number),))) from None
            others.append(number)
    how = "as the option encoding says" if chosen else "the fallback; give the option encoding to read them otherwise"
    said.append(f"{len(others)} lines are not UTF-8 (lines {_lines_named(others)}): decoded as {fallback} ({how})")
    return "\n".join(decoded)


def _unfolded(text: str, said: list[str]) -> list[tuple[int, str]]:
    """The content lines, each with the line of the file it begins on. A line that begins with a
    space or a tab continues the one before (RFC 5545, 3.1); so does, repaired and said, a content
    line that is none (no name before ``:`` or ``;``), as writers that fold without the space give."""
    folded: list[tuple[int, list[str]]] = []
    for number, physical in enumerate(_LINE_BREAK.split(text), start=1):
        if not physical:
            continue
        if physical[0] in " \t" and folded:
            folded[-1][1].append(physical[1:])
        else:
            folded.append((number, [physical]))
    lines: list[tuple[int, str]] = []
    broken: list[int] = []
    for number, pieces in folded:
        content = "".join(pieces)
        if lines and not _NAME.match(content):
            broken.append(number)
            lines[-1] = (lines[-1][0], lines[-1][1] + content)
        else:
            lines.append((number, content))
    if broken:
        said.append(
            f"{len(broken)} lines continue the line before without the space that folds a line "
            f"(lines {_lines_named(broken)}): joined to it"
        )
    return lines


class _Span:
    """Where a component is in the file: its BEGIN line and its content lines."""

    def __init__(self, name: str, line: int, first: int) -> None:
        self.name = name
        self.line = line
        self.first = first  # the index of its BEGIN among the content lines
        self.last = first


def _spans(lines: list[tuple[int, str]]) -> list[_Span]:
    """The components in the order they begin (as icalendar builds them); a component not ended, or
    an END with no BEGIN, is a problem here, where icalendar would drop the component unsaid."""
    spans: list[_Span] = []
    stack: list[_Span] = []
    for index, (line, content) in enumerate(lines):
        head = content[:6].upper()
        if head.startswith("BEGIN:"):
            span = _Span(content[6:].strip().upper(), line, index)
            spans.append(span)
            stack.append(span)
        elif head.startswith("END:"):
            if not stack:
                problem = Problem("", f"{content} ends a component that was not begun", None, None, line)
                raise InvalidDocument(Report((problem,)))
            stack.pop().last = index
    if stack:
        problem = Problem("", f"the {stack[-1].name} begun here is not ended (no END:{stack[-1].name})")
        raise InvalidDocument(Report((Problem("", problem.message, None, None, stack[-1].line),)))
    if not spans:
        raise InvalidDocument(
            Report((Problem("", "the file holds no iCalendar component (BEGIN:VCALENDAR)", None, None, 1),))
        )
    return spans


def _unparsed(lines: list[tuple[int, str]], error: Exception) -> Problem:
    """The problem of a file icalendar cannot parse, at the first line it cannot parse."""
    for line, content in lines:
        if line < 0:
            continue
        try:
            icalendar.parser.Contentline(content).parts()  # type: ignore[no-untyped-call]
        except ValueError as found:
            return Problem("", f"not an iCalendar content line (NAME;PARAMETER=VALUE:value): {found}", None, None, line)
    return Problem("", f"not an iCalendar file: {error}")


def _values(component: Any, name: str) -> list[Any]:
    """Every value of a property (a property given more than once is a list in icalendar)."""
    value = component.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _walk(components: list[Any]) -> Iterator[Any]:
    """The components in the order they begin in the file."""
    stack = list(reversed(components))
    while stack:
        component = stack.pop()
        yield component
        stack.extend(reversed(component.subcomponents))


# -- the reader -------------------------------------------------------------------------------------


class _Reader:
    def __init__(
        self, components: list[Any], spans: list[_Span], lines: list[tuple[int, str]], options: Options, said: list[str]
    ) -> None:
        self.components = components
        self.lines = lines
        self.span_of = {id(component): span for component, span in zip(_walk(components), spans, strict=False)}
        self.options = options
        self.each = options.get("events", "one") == "each"
        self.language = options.get("language", DEFAULT_LANGUAGE)
        self.problems: list[Problem] = []
        self.said = said
        self.unread: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self.named: dict[str, list[int]] = {}  # what a warning names the lines of
        self.origins = Origins()
        self.people: dict[str, dict[str, Any]] = {}  # by id
        self.addresses: dict[str, list[str]] = {}  # each name -> the addresses of the people so named
        self.ids: dict[str, str] = {}  # each UID read -> the id it became (its first VEVENT's)
        self.zone_notes: dict[str, str] = {}  # each TZID not an IANA name -> how it was read

    # where things are

    def line(self, component: Any, name: str | None = None) -> int | None:
        span = self.span_of.get(id(component))
        if span is None:
            return None
        if name is None:
            return span.line
        depth, wanted = 0, name.upper()
        for line, content in self.lines[span.first + 1 : span.last]:
            head = content[: len(wanted) + 1].upper()
            if head.startswith("BEGIN:"):
                depth += 1
            elif head.startswith("END:"):
                depth -= 1
            elif depth == 0 and head in (f"{wanted}:", f"{wanted};"):
                return line
        return span.line

    def lines_of(self, component: Any) -> list[tuple[int, str]]:
        span = self.span_of.get(id(component))
        return [] if span is None else self.lines[span.first : span.last + 1]

    def problem(self, component: Any, message: str, value: Any = None, name: str | None = None) -> None:
        self.problems.append(Problem("", message, value, None, self.line(component, name)))

    def note(self, what: str, component: Any) -> None:
        """Something assumed or repaired, counted for its warning with the line it was at."""
        self.counts[what] += 1
        line = self.line(component)
        lines = self.named.setdefault(what, [])
        if line is not None and line not in lines[-1:]:
            lines.append(line)

    # the document

    def document(self) -> dict[str, Any]:
        events: list[dict[str, Any]] = []
        calendars = []
        for component in self.components:
            if component.name == "VCALENDAR":
                calendars.append(component)
            elif component.name == "VEVENT":  # a component saved alone, as some tools export one
                self.note("alone", component)
                calendars.append(component)
            else:
                self.unread[component.name] += 1
        for calendar in calendars:
            events += self.calendar(calendar)
        if not events and not self.problems:
            found = ", ".join(sorted({c.name for c in _walk(self.components)} - {"VCALENDAR"})) or "nothing"
            self.problems.append(
                Problem("", f"the file holds no VEVENT, so no event to read (it holds {found})", None, None, 1)
            )
        document = {"@context": CONTEXT_IRI, "@graph": [*events, *self.people.values()]}
        return self.origins.mark(document, Origin(line=1))

    def calendar(self, calendar: Any) -> list[dict[str, Any]]:
        alone = calendar.name == "VEVENT"
        vevents = [calendar] if alone else [c for c in calendar.subcomponents if c.name == "VEVENT"]
        if not alone:
            for component in calendar.subcomponents:
                if component.name not in ("VEVENT", "VTIMEZONE"):
                    self.unread[component.name] += 1
            for name in calendar:
                if name not in _STRUCTURAL and name not in _CALENDAR_READ:
                    self.unread[_unread_name(name)] += 1
        if not vevents:
            return []
        self.timezones = {str(c.get("TZID", "")): c for c in calendar.subcomponents if c.name == "VTIMEZONE"}
        self.floating_zone = self.floating(calendar)
        self.last_day = _last_day(vevents)
        nodes = self.vevents(vevents)
        if self.problems:
            return []
        roots = self.nest(nodes)
        if self.each:
            return [self.as_event(node) for node in roots]
        if len(roots) == 1:
            return [self.as_event(roots[0])]
        return [self.calendar_event(calendar, roots)]

    def floating(self, calendar: Any) -> tuple[str | None, tzinfo]:
        """The zone of floating times: the option's, else the calendar's X-WR-TIMEZONE, else UTC."""
        if "time-zone" in self.options:
            return self.options["time-zone"], zone(self.options["time-zone"])
        declared = str(calendar.get("X-WR-TIMEZONE", "")).strip()
        iana = self.iana(declared) if declared else None
        if iana is not None:
            self.floating_said = f"the calendar's X-WR-TIMEZONE, {iana}"
            return iana, zone(iana)
        self.floating_said = DEFAULT_TIME_ZONE
        return DEFAULT_TIME_ZONE, zone(DEFAULT_TIME_ZONE)

    def calendar_event(self, calendar: Any, roots: list[dict[str, Any]]) -> dict[str, Any]:
        """The event a calendar of several top-level VEVENTs is: named as the calendar is, dated
        from the first day of its sessions to the last."""
        names = [
            str(value) for key in ("NAME", "X-WR-CALNAME") for value in _values(calendar, key) if str(value).strip()
        ]
        if "name" in self.options:
            name = self.options["name"]
        elif names:
            name = names[0]
        else:
            name = "Calendar"
            self.note("unnamed calendar", calendar)
        uids = sorted(node["@id"] for node in roots)
        event: dict[str, Any] = {"@type": "EducationEvent", "@id": mint("ical-calendar", name, uids[0])}
        event["name"] = {self.language: name}
        described = [
            str(v) for key in ("DESCRIPTION", "X-WR-CALDESC") for v in _values(calendar, key) if str(v).strip()
        ]
        if described:
            event["description"] = {self.language: self.plain(described[0], calendar)}
        timed = [node for node in roots if "startTime" in node or "startDate" in node]
        days = [_day(node.get("startTime") or node["startDate"]) for node in timed]
        ends = [
            _day(node.get("endTime") or node.get("endDate") or node.get("startTime") or node["startDate"])
            for node in timed
        ]
        if days:
            event["startDate"], event["endDate"] = min(days).isoformat(), max(ends).isoformat()
        event["subEvent"] = roots
        return self.origins.mark(event, Origin(line=self.line(calendar)))

    def as_event(self, node: dict[str, Any]) -> dict[str, Any]:
        """A VEVENT read as an event: its hosts its organisers, what only sessions have left out."""
        hosts = [role["performer"] for role in node.pop("performer", []) if role["roleName"] == "host"]
        if hosts:
            node["organizer"] = list(dict.fromkeys(hosts))
        kind = node.pop("sessionKind", None)
        if kind is not None:  # an event has no kind: the category is a topic again
            node["about"] = [kind, *node.get("about", [])]
        return node

    def nest(self, nodes: list[tuple[dict[str, Any], str | None, Any]]) -> list[dict[str, Any]]:
        """The nodes nested as RELATED-TO names their parents; those whose parent the calendar does
        not hold (or that would nest in themselves, or deeper than the model holds) at the top."""
        by_uid: dict[str, dict[str, Any]] = {}
        for node, _parent, _component in nodes:
            by_uid.setdefault(node["@uid"], node)
        parents: dict[int, dict[str, Any]] = {}
        for node, parent_uid, component in nodes:
            if parent_uid is None:
                continue
            parent = by_uid.get(parent_uid)
            if parent is None:
                self.note("parent missing", component)
                continue
            # no cycle: the parent may not be below the node
            above: dict[str, Any] | None = parent
            depth = 1
            while above is not None and above is not node and depth <= MAX_SESSION_DEPTH + 1:
                above, depth = parents.get(id(above)), depth + 1
            if above is node or depth > MAX_SESSION_DEPTH:
                self.note("parent cycle", component)
                continue
            parents[id(node)] = parent
        roots = []
        for node, _parent, _component in nodes:
            node.pop("@uid")
            parent = parents.get(id(node))
            if parent is None:
                roots.append(node)
            else:
                parent.setdefault("subEvent", []).append(node)
        return roots

    def vevents(self, vevents: list[Any]) -> list[tuple[dict[str, Any], str | None, Any]]:
        """Each VEVENT as a node (its UID kept under ``@uid`` until nesting), with its parent's UID;
        a recurring one as a node per occurrence."""
        masters: dict[str, Any] = {}
        overrides: dict[str, list[Any]] = {}
        for vevent in vevents:
            uid = str(vevent.get("UID", ""))
            if vevent.get("RECURRENCE-ID") is not None and uid:
                overrides.setdefault(uid, []).append(vevent)
            elif uid and ("RRULE" in vevent or "RDATE" in vevent):
                masters.setdefault(uid, vevent)
        nodes = []
        seen: dict[str, dict[str, Any]] = {}
        for vevent in vevents:
            errors = [(name, message) for name, message in vevent.errors if name in _EVENT_READ or name is None]
            for name, message in errors:
                if name is None:
                    self.problems.append(_unparsed(self.lines_of(vevent), ValueError(message)))
                else:
                    self.problem(vevent, f"the {name} cannot be read: {message}", None, name)
            if errors:
                continue
            uid = str(vevent.get("UID", ""))
            if uid in masters and (vevent is masters[uid] or vevent.get("RECURRENCE-ID") is not None):
                if vevent is masters[uid]:
                    nodes += self.occurrences(vevent, overrides.get(uid, []))
                continue
            if any(c.name == "VEVENT" for c in vevent.subcomponents):
                self.problem(vevent, "a VEVENT holds another VEVENT, which iCalendar never nests")
                continue
            node = self.vevent(vevent, None)
            if node is None:
                continue
            key = node["@uid"]
            if key in seen:
                if _same_content(seen[key], node):
                    self.note("same twice", vevent)
                    continue
                self.note("uid twice", vevent)
                node["@id"] = mint(
                    "ical-event", uid, node.get("startTime") or node.get("startDate") or "", str(node["name"])
                )
            seen.setdefault(key, node)
            nodes.append((node, self.parent(vevent), vevent))
        if len(nodes) > MAX_VEVENTS:
            self.problems.append(
                Problem("", f"the calendar's recurring events expand to more than {MAX_VEVENTS:,} sessions")
            )
        return nodes

    def parent(self, vevent: Any) -> str | None:
        for related in _values(vevent, "RELATED-TO"):
            if str(getattr(related, "params", {}).get("RELTYPE", "PARENT")).upper() == "PARENT":
                return str(related)
            self.unread["RELATED-TO (other than PARENT)"] += 1
        return None

    def vevent(self, vevent: Any, occurrence: tuple[Any, Any] | None) -> dict[str, Any] | None:
        """The node of a VEVENT (or of one occurrence of it: its start and end given); None when it
        cannot be read (the problems said)."""
        problems = len(self.problems)
        uid = str(vevent.get("UID", "")).strip()
        node: dict[str, Any] = {"@type": "EducationEvent"}
        node.update(self.identity(vevent, uid, occurrence))
        node["name"] = self.texts(vevent, "SUMMARY") or {self.language: "(untitled)"}
        if "SUMMARY" not in vevent or not node["name"]:
            self.note("untitled", vevent)
        if description := self.texts(vevent, "DESCRIPTION"):
            node["description"] = description
        categories = self.categories(vevent)
        if categories and categories[0] in _KINDS:
            node["sessionKind"] = categories.pop(0)
        node.update(self.timing(vevent, occurrence))
        status = str(vevent.get("STATUS", "")).upper()
        if status in _STATUSES:
            node["eventStatus"] = _STATUSES[status]
        elif status:
            self.unread[f"STATUS:{status}"] += 1
        locations = [{"@type": "Place", "name": place} for place in [self.texts(vevent, "LOCATION")] if place]
        for conference in _values(vevent, "CONFERENCE"):
            address = str(conference).strip()
            if _URL.match(address):
                located: dict[str, Any] = {"@type": "VirtualLocation", "url": address}
                label = _CONTROLS.sub("", str(conference.params.get("LABEL", ""))).strip()
                if label:
                    located["platform"] = label
                locations.append(located)
            else:
                self.unread["CONFERENCE (not an http or https address)"] += 1
        if locations:
            node["location"] = locations
        for url in _values(vevent, "URL"):
            if "url" not in node and _URL.match(str(url).strip()):
                node["url"] = str(url).strip()
            else:
                self.unread["URL (not an http or https address, or a second one)"] += 1
        if categories:
            node["about"] = categories
        sequence = vevent.get("SEQUENCE")
        if sequence is not None:
            try:
                revision = int(sequence)
            except (TypeError, ValueError):
                revision = -1
            if 0 <= revision <= 2**53 - 1:
                node["revision"] = revision
            else:
                self.problem(vevent, "the SEQUENCE is not a whole number from 0 to 2^53 - 1", str(sequence), "SEQUENCE")
        modified = vevent.get("LAST-MODIFIED")
        if modified is not None:
            moment = _dt(modified)
            if isinstance(moment, datetime):
                moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
                if moment_error(moment) is None:
                    node["dateModified"] = moment.astimezone(UTC).isoformat()
        performers = self.performers(vevent)
        if performers:
            node["performer"] = performers
        for name in vevent:
            if name not in _EVENT_READ and name not in _STRUCTURAL:
                self.unread[_unread_name(name)] += 1
        for component in vevent.subcomponents:
            self.unread[component.name] += 1
        if len(self.problems) > problems:
            return None
        node["@uid"] = uid or node["@id"]
        return self.origins.mark(node, Origin(line=self.line(vevent)))

    def identity(self, vevent: Any, uid: str, occurrence: tuple[Any, Any] | None) -> dict[str, Any]:
        """The node's id: the UID where it is an IRI or a UUID, else one minted from it (the UID
        kept as an external id); one of each occurrence, minted from the UID and its start."""
        if not uid:
            self.note("no uid", vevent)
            start = vevent.get("DTSTART")
            return {"@id": mint("ical-event", "", str(_dt(start) or ""), str(vevent.get("SUMMARY", "")))}
        external = {"identifier": [{"propertyID": SCHEME, "value": uid}]}
        if occurrence is not None:
            return {"@id": mint("ical-occurrence", uid, occurrence[0].isoformat()), **external}
        found = _UUID.match(uid)
        if found:
            return {"@id": f"urn:uuid:{found[1].lower()}"}
        if _IRI.match(uid):
            return {"@id": uid}
        return {"@id": mint("ical-event", uid), **external}

    def texts(self, component: Any, name: str) -> dict[str, str]:
        """A text property by language (RFC 7986 lets one be given once per language)."""
        texts: dict[str, str] = {}
        for value in _values(component, name):
            text = self.plain(_CONTROLS.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n")), component)
            if not text.strip():
                continue
            tag = str(getattr(value, "params", {}).get("LANGUAGE", "")).strip()
            if not tag or language_tag(tag) is not None:
                tag = self.language
                self.counts["untagged"] += 1
            if tag in texts:
                self.unread[f"{name} (a second in one language)"] += 1
                continue
            texts[tag] = text
        return texts

    def plain(self, text: str, component: Any) -> str:
        if holds_html(text):
            self.note("html", component)
            return plain_text(text)
        return text

    def categories(self, vevent: Any) -> list[str]:
        found: dict[str, None] = {}
        for value in _values(vevent, "CATEGORIES"):
            for category in getattr(value, "cats", [value]):
                category = _CONTROLS.sub("", str(category)).strip()
                if category:
                    found.setdefault(category, None)
        return list(found)

    # time

    def timing(self, vevent: Any, occurrence: tuple[Any, Any] | None) -> dict[str, str]:
        start_property = vevent.get("DTSTART")
        if start_property is None:
            self.problem(vevent, "the VEVENT has no DTSTART (a calendar's sessions need their start)")
            return {}
        start, zone_name = self.moment(vevent, "DTSTART", occurrence[0] if occurrence else None)
        if start is None:
            return {}
        end: date | None = None
        end_property = vevent.get("DTEND")
        if occurrence is not None and occurrence[1] is not None:
            end, _zone = self.moment(vevent, "DTEND" if end_property is not None else "DTSTART", occurrence[1])
        elif end_property is not None:
            end, end_zone = self.moment(vevent, "DTEND", None)
            if isinstance(end, datetime) and isinstance(start, datetime) and end_zone != zone_name:
                if zone_name is not None:
                    end = end.astimezone(zone(zone_name))
                self.note("two zones", vevent)
        elif vevent.get("DURATION") is not None:
            length = _dt(vevent["DURATION"])
            if not isinstance(length, timedelta) or length < timedelta(0):
                self.problem(
                    vevent, "the DURATION is not a positive length of time", str(vevent["DURATION"]), "DURATION"
                )
                return {}
            try:
                end = _after(start, length)
            except OverflowError:
                self.problem(vevent, "the DURATION ends past the years a calendar holds", None, "DURATION")
                return {}
        else:
            self.note("no end", vevent)
        if end is not None and isinstance(start, datetime) != isinstance(end, datetime):
            self.note("mixed end", vevent)
            end = None
        if end is not None and not isinstance(start, datetime):
            if end <= start:  # an all-day item of no day: read as the day it starts
                self.note("empty day", vevent)
                end = start
            else:
                end = end - timedelta(days=1)  # the end of a VALUE=DATE item is exclusive
        timing: dict[str, str] = {}
        for which, moment in (("start", start), ("end", end)):
            if moment is None:
                continue
            if error := moment_error(moment):
                self.problem(
                    vevent,
                    f"the VEVENT's {which} cannot be held: {error}",
                    moment.isoformat(),
                    "DTSTART" if which == "start" else "DTEND",
                )
                return {}
            key = f"{which}Time" if isinstance(moment, datetime) else f"{which}Date"
            timing[key] = moment.isoformat()
        if zone_name is not None and isinstance(start, datetime):
            timing["timeZone"] = zone_name
        return timing

    def moment(self, vevent: Any, name: str, given: Any) -> tuple[Any, str | None]:
        """A date, or an aware date-time with its IANA zone (None for UTC and bare offsets)."""
        prop = vevent[name]
        value = given if given is not None else _dt(prop)
        if isinstance(value, datetime):
            pass
        elif isinstance(value, date):
            return value, None
        else:
            self.problem(vevent, f"the {name} is not a date or a date-time", str(prop), name)
            return None, None
        tzid = str(prop.params.get("TZID", "")).strip() if hasattr(prop, "params") else ""
        if tzid:
            zone_name, zone_info = self.tzid(tzid, vevent)
            wall = value.replace(tzinfo=None)
        elif value.tzinfo is not None:
            return value.astimezone(UTC), None
        else:
            self.note("floating", vevent)
            zone_name, zone_info = self.floating_zone
            wall = value
        try:
            aware = wall.replace(tzinfo=zone_info)
            aware.utcoffset()  # a zone's rules may fail at the edges of the years
        except (OverflowError, ValueError):
            self.problem(vevent, f"the {name} is past the years a calendar holds", str(value), name)
            return None, None
        return aware, zone_name

    def iana(self, name: str) -> str | None:
        """The IANA zone a zone name is: itself, a Windows name's, or a globally unique TZID's
        (``/vendor/.../Europe/Berlin``)."""
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        known = zone_names()
        if name in known:
            return name
        if name in WINDOWS_TO_OLSON and WINDOWS_TO_OLSON[name] in known:
            return WINDOWS_TO_OLSON[name]
        parts = name.strip("/").split("/")
        for cut in range(1, len(parts)):
            if "/".join(parts[cut:]) in known:
                return "/".join(parts[cut:])
        return None

    def tzid(self, tzid: str, vevent: Any) -> tuple[str | None, tzinfo]:
        iana = self.iana(tzid)
        if iana == tzid:
            return iana, zone(iana)
        if iana is not None:
            self.zone_notes.setdefault(tzid, f"read as {iana}")
            self.note(f"zone {tzid}", vevent)
            return iana, zone(iana)
        definition = self.timezones.get(tzid)
        if definition is not None:
            try:
                own = definition.to_tz(lookup_tzid=False)
            except Exception:  # a VTIMEZONE icalendar cannot turn into rules
                own = None
            if own is not None:
                self.zone_notes.setdefault(
                    tzid, "no IANA name: read with the UTC offsets of its VTIMEZONE, no zone kept"
                )
                self.note(f"zone {tzid}", vevent)
                return None, own
        self.zone_notes.setdefault(
            tzid, f"no IANA or Windows name and no VTIMEZONE: read as a floating time, in {self.floating_zone[0]}"
        )
        self.note(f"zone {tzid}", vevent)
        return self.floating_zone

    # people

    def performers(self, vevent: Any) -> list[dict[str, str]]:
        roles: dict[tuple[str, str], None] = {}
        for name, values in (("ORGANIZER", _values(vevent, "ORGANIZER")), ("ATTENDEE", _values(vevent, "ATTENDEE"))):
            for value in values:
                params = getattr(value, "params", {})
                person = _CONTROLS.sub("", str(params.get("CN", ""))).strip()
                if name == "ORGANIZER":
                    role = "host"
                else:
                    role = _ROLES.get(str(params.get("ROLE", "REQ-PARTICIPANT")).upper(), "")
                    kind = str(params.get("CUTYPE", "INDIVIDUAL")).upper()
                    if not role or kind not in ("INDIVIDUAL", "UNKNOWN"):
                        self.unread["ATTENDEE (optional, non-participant, a group, room or resource)"] += 1
                        continue
                if not person:
                    self.unread[f"{name} (without a name, CN)"] += 1
                    continue
                roles.setdefault((self.person(person, str(value), vevent), role), None)
        return [{"performer": person, "roleName": role} for person, role in roles]

    def person(self, name: str, address: str, vevent: Any) -> str:
        """The id of the person a CN names: one per name and address, the id minted from the name
        (never from the address, which is private); a second address of a name is another person."""
        addresses = self.addresses.setdefault(name, [])
        if address not in addresses:
            addresses.append(address)
        index = addresses.index(address)
        identifier = mint("ical-person", name) if index == 0 else mint("ical-person", name, str(index + 1))
        if identifier not in self.people:
            node = {"@type": "Person", "@id": identifier, "name": name}
            self.people[identifier] = self.origins.mark(node, Origin(line=self.line(vevent)))
            if index > 0:
                self.counts["shared name"] += 1
        return identifier

    # recurrence

    def occurrences(self, master: Any, overrides: list[Any]) -> list[tuple[dict[str, Any], str | None, Any]]:
        """A node per occurrence of a recurring VEVENT, its overrides (RECURRENCE-ID) applied, up
        to its own end or, for a rule without one, the calendar's last day (or the option until)."""
        import recurring_ical_events

        if not isinstance(_dt(master.get("DTSTART")), date):
            self.problem(master, "the VEVENT has no DTSTART (a calendar's sessions need their start)")
            return []
        calendar = icalendar.Calendar()
        for definition in self.timezones.values():
            calendar.add_component(definition)
        calendar.add_component(master)
        for override in overrides:
            calendar.add_component(override)
        rules = _values(master, "RRULE")
        open_ended = any("COUNT" not in rule and "UNTIL" not in rule for rule in rules)
        until = self.until(master) if open_ended else None
        nodes: list[tuple[dict[str, Any], str | None, Any]] = []
        try:
            query = recurring_ical_events.of(calendar)
            for occurrence in query.after(_day_of(_dt(master["DTSTART"]))):
                start = _dt(occurrence["DTSTART"])
                if until is not None and _day_of(start) > until:
                    break
                if len(nodes) >= MAX_VEVENTS:
                    self.problem(master, f"the recurring VEVENT has more than {MAX_VEVENTS:,} occurrences")
                    return []
                end = _dt(occurrence["DTEND"]) if "DTEND" in occurrence else None
                node = self.vevent(occurrence, (start, end))
                if node is not None:
                    nodes.append((node, self.parent(master), master))
        except Exception as error:  # recurring-ical-events raises its own errors for broken rules
            self.problem(master, f"the recurrence cannot be expanded: {error}", None, "RRULE")
            return []
        self.counts["recurring"] += 1
        self.counts["occurrences"] += len(nodes)
        if open_ended:
            self.note("open-ended", master)
            self.open_until = until
        return nodes

    def until(self, master: Any) -> date:
        """The last day an open-ended rule is expanded to: the option until, else the calendar's
        last day (of its VEVENTs' starts and ends, RDATEs and rules' UNTILs)."""
        if "until" in self.options:
            return date.fromisoformat(self.options["until"])
        return max(_day_of(_dt(master["DTSTART"])), self.last_day)

    # warnings

    def warnings(self) -> Iterator[str]:
        yield from self.said
        counts, named = self.counts, self.named

        def at(what: str) -> str:
            lines = named.get(what, [])
            return f" (lines {_lines_named(lines)})" if lines else ""

        if counts["alone"]:
            yield (
                f"{counts['alone']} VEVENTs stand alone, without a VCALENDAR: each read as a calendar of its own"
                f"{at('alone')}"
            )
        if counts["unnamed calendar"]:
            yield (
                f"{counts['unnamed calendar']} calendars have no NAME or X-WR-CALNAME: the event is named 'Calendar'; "
                "give the option name (--input-option name=...)"
            )
        if counts["untagged"] and "language" not in self.options:
            yield (
                f"{counts['untagged']} texts name no LANGUAGE: tagged {self.language!r}; "
                "give the option language (--input-option language=en) if it is known"
            )
        if counts["floating"]:
            how = self.floating_said if "time-zone" not in self.options else None
            if how is not None:
                yield (
                    f"{counts['floating']} times are floating (no TZID, no Z){at('floating')}: read in {how}; "
                    "give the option time-zone (--input-option time-zone=Europe/Brussels) if they are another zone's"
                )
        for tzid, how in self.zone_notes.items():
            what = f"zone {tzid}"
            yield f"{counts[what]} times name the TZID {tzid!r}, {how}{at(what)}"
        for what, said in _REPAIRS_SAID.items():
            if counts[what]:
                yield f"{counts[what]} {said}{at(what)}"
        if counts["shared name"]:
            yield (
                f"{counts['shared name']} names are given to people of different addresses: each read as a person "
                "of its own (the addresses are not kept)"
            )
        if counts["recurring"]:
            yield (
                f"{counts['recurring']} recurring VEVENTs (RRULE, RDATE) are read as {counts['occurrences']} sessions, "
                "one per occurrence"
            )
        if counts["open-ended"]:
            how = (
                "as the option until says"
                if "until" in self.options
                else "the calendar's last day; give the option until (--input-option until=2026-12-31) to read further"
            )
            yield (
                f"{counts['open-ended']} recurring VEVENTs have no end (an RRULE without COUNT or UNTIL): expanded up "
                f"to {self.open_until}, {how}{at('open-ended')}"
            )


#: What the reader repaired, by the name it counts it under: said with the count and the lines.
_REPAIRS_SAID = {
    "no end": "VEVENTs have no DTEND or DURATION: read without an end",
    "empty day": "all-day VEVENTs end as they start: read as lasting their day",
    "mixed end": "VEVENTs end with a date-time but start with a date (or the other way): read without an end",
    "two zones": "VEVENTs end in another zone than they start: their ends are given in the start's",
    "untitled": "VEVENTs have no SUMMARY: named '(untitled)'",
    "no uid": "VEVENTs have no UID: given ids minted from their start and summary",
    "same twice": "VEVENTs repeat an earlier one (UID and all): read once",
    "uid twice": (
        "VEVENTs have the UID of an earlier, different one: each read as a session of its own, with an id "
        "minted from the UID, start and summary"
    ),
    "parent missing": "VEVENTs name a parent (RELATED-TO) the calendar does not hold: read at the top",
    "parent cycle": "VEVENTs name a parent that is below them, or too deep: read at the top",
    "html": "texts hold HTML: read as plain text",
}


def _unread_name(name: str) -> str:
    return "X- properties" if name.startswith("X-") else name


def _same_content(first: dict[str, Any], second: dict[str, Any]) -> bool:
    return {k: v for k, v in first.items() if k != "@uid"} == {k: v for k, v in second.items() if k != "@uid"}


def _after(start: Any, length: timedelta) -> Any:
    """The end of what starts at ``start`` and lasts ``length``: days on the calendar (a day is a
    day across a clock change), the rest in exact time (RFC 5545, 3.3.6)."""
    if not isinstance(start, datetime):
        return start + timedelta(days=length.days)
    days = start + timedelta(days=length.days)
    rest = timedelta(seconds=length.seconds, microseconds=length.microseconds)
    return (days.astimezone(UTC) + rest).astimezone(start.tzinfo) if rest else days


def _last_day(vevents: list[Any]) -> date:
    """The last day a calendar's VEVENTs name without their rules expanded."""
    days = []
    for vevent in vevents:
        for name in ("DTSTART", "DTEND", "RDATE"):
            for value in _values(vevent, name):
                for moment in [
                    _dt(value),
                    *(_dt(d) for d in _dts(value)),
                ]:
                    if isinstance(moment, date):
                        days.append(_day_of(moment))
        for rule in _values(vevent, "RRULE"):
            for moment in rule.get("UNTIL", []) if hasattr(rule, "get") else []:
                if isinstance(moment, date):
                    days.append(_day_of(moment))
    return max(days, default=date(1970, 1, 1))


def _dt(value: Any) -> Any:
    """The date, date-time or length a property holds; None for a value icalendar could not parse
    (its error is said where the property is read)."""
    try:
        return getattr(value, "dt", None)
    except icalendar.error.BrokenCalendarProperty:
        return None


def _dts(value: Any) -> list[Any]:
    """The values of a list property (RDATE, EXDATE); none for one icalendar could not parse."""
    try:
        return list(getattr(value, "dts", []))
    except icalendar.error.BrokenCalendarProperty:
        return []


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _day_of(moment: Any) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
