"""Reads the C3VOC JSON schedule (``schedule.json``) as pretalx, frab and the C3VOC hub write it.

This is the JSON front end of the schedule reader: it gives the neutral schedule of ``reading``
(whose core holds the rules of ids, people, zones and repairs, the same as for the XML), each part
at its JSON pointer. The two layouts: pretalx's and frab's (``conference.days[].rooms`` naming
rooms, each a list of events) and the hub's (``schedule.events``, with room and track objects,
``participants``, and ``start``/``end`` as dates and times).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson

from mastery_model import Catalogue, InvalidDocument, Options, Problem, Report
from mastery_model_frab.reading import MAX_BYTES, At, SDay, SEvent, SLink, SPerson, SSchedule, read_schedule

FORMAT = "schedule-json"
#: What the reader reads of a schedule JSON: each member by its path (``schedule/conference/title``;
#: the items of a list are at the list's path; a day, ``schedule/conference/days``, is ``day``, an
#: event, in a day's room or in the hub's ``schedule/events``, is ``event``), with what it becomes.
#: Everything else is read past, and said in one warning with how many held a value.
READS = {
    "$schema": "what the file is recognised by",
    "schedule": "the schedule",
    "schedule/base_url": "Event.url, and what relative links are resolved against",
    "schedule/conference": "the event",
    "schedule/conference/title": "Event.name",
    "schedule/conference/acronym": "Event.external_ids (frab), but for the one written for a conference of none",
    "schedule/conference/start": "Event.start",
    "schedule/conference/end": "Event.end",
    "schedule/conference/time_zone_name": "the zone of the times (Session.time_zone)",
    "schedule/conference/url": "Event.url where there is no base_url",
    "schedule/conference/tracks": "Event.topics",
    "schedule/conference/tracks/name": "Event.topics",
    "schedule/conference/tracks/slug": "what the hub's events name their track by",
    "schedule/conference/rooms": "Event.locations",
    "schedule/conference/rooms/name": "Event.locations (rooms without events too)",
    "day": "the day of its events",
    "day/date": "the date of its events' start",
    "day/rooms": "its rooms, by name (Event.locations), and their events",
    "event": "a Session of the event",
    "event/id": "Session.external_ids (frab)",
    "event/guid": "Session.id (urn:uuid:)",
    "event/date": "Session.start",
    "event/start": "Session.start: on the day's date, or the hub's date and time",
    "event/duration": "Session.end",
    "event/end": "Session.end, where there is no duration (the hub's)",
    "event/room": "Session.locations, and Event.locations",
    "event/room/name": "Session.locations, and Event.locations",
    "event/title": "Session.name",
    "event/subtitle": "Session.description (first, then the abstract and the description)",
    "event/abstract": "Session.description",
    "event/description": "Session.description",
    "event/type": "Session.kind",
    "event/language": "Session.language, and the language of its texts",
    "event/url": "Session.url",
    "event/track": "Session.topics, and Event.topics",
    "event/track/name": "Session.topics, and Event.topics",
    "event/track/slug": "Session.topics (the conference's track of that slug)",
    "event/persons": "the session's speakers",
    "event/persons/id": "Person.external_ids (frab), and who the person is",
    "event/persons/public_name": "Person.name",
    "event/persons/name": "Person.name (where there is no public_name)",
    "event/persons/guid": "who the person is, where there is no id",
    "event/participants": "the session's speakers (the hub's)",
    "event/participants/name": "Person.name",
    "event/participants/guid": "who the person is",
    "event/links": "the session's documents",
    "event/links/url": "Document.url",
    "event/links/title": "Document.name",
    "event/attachments": "the session's documents",
    "event/attachments/url": "Document.url, and Document.media_type by its extension",
    "event/attachments/title": "Document.name",
}
#: Paths that are named otherwise: days, and the events under a day's rooms or the hub's list.
_ALIASES = {"schedule/conference/days": "day", "day/rooms/*": "event", "schedule/events": "event"}
_READ_WHOLE = frozenset(path for path in READS if not any(other.startswith(f"{path}/") for other in READS))


def _tag(name: str) -> str:
    return name if name in ("event", "conference", "day", "person") else f'"{name}"'


def read(data: bytes, options: Options) -> Catalogue:
    if len(data) > MAX_BYTES:
        message = f"the file has {len(data):,} bytes; schedules of more than {MAX_BYTES:,} bytes are refused"
        raise InvalidDocument(Report((Problem("", message),)))
    try:
        top = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        line = getattr(error, "lineno", None) or None
        raise InvalidDocument(Report((Problem("", f"not valid JSON: {error}", None, None, line),))) from None
    if not isinstance(top, dict) or not isinstance(top.get("schedule"), dict):
        message = 'a schedule JSON is an object with a "schedule" object'
        raise InvalidDocument(Report((Problem("", message, None),)))
    return read_schedule(_Front(top).schedule, options, lambda: unread(top))


class _Front:
    """The neutral schedule of a JSON one, with the problems of its shape."""

    def __init__(self, top: dict[str, Any]) -> None:
        data = top["schedule"]
        conference = data.get("conference")
        at = At(pointer="/schedule")
        self.schedule = schedule = SSchedule(
            FORMAT,
            at,
            At(pointer="/schedule/conference") if isinstance(conference, dict) else None,
            _tag,
            needs_id=False,
        )
        if not isinstance(conference, dict):
            conference = {}
        here = "/schedule/conference"
        schedule.title = self.text(conference, "title", here)
        schedule.acronym = self.text(conference, "acronym", here)
        schedule.base_url = self.text(data, "base_url", "/schedule") or self.text(conference, "url", here)
        schedule.base_url_at = At(pointer="/schedule/base_url" if data.get("base_url") else f"{here}/url")
        schedule.time_zone_name = self.text(conference, "time_zone_name", here)
        schedule.start = self.text(conference, "start", here)
        schedule.end = self.text(conference, "end", here)
        schedule.field_at = {name: At(pointer=f"{here}/{name}") for name in ("start", "end")}
        self.track_names: dict[str, str] = {}
        for index, track in self.items(conference, "tracks", here):
            name = self.text(track, "name", f"{here}/tracks/{index}")
            schedule.tracks.append(name)
            if slug := self.text(track, "slug", f"{here}/tracks/{index}"):
                self.track_names.setdefault(slug, name)
        rooms = [
            self.text(room, "name", f"{here}/rooms/{index}") for index, room in self.items(conference, "rooms", here)
        ]
        for index, day in self.items(conference, "days", here):
            pointer = f"{here}/days/{index}"
            neutral = SDay(At(pointer=pointer), self.text(day, "date", pointer))
            if index == 0:
                neutral.items.extend(rooms)  # the conference's rooms first, in their order
                rooms = []
            by_room = day.get("rooms")
            if isinstance(by_room, dict):
                for room, events in by_room.items():
                    neutral.items.append(room)
                    room_at = f"{pointer}/rooms/{_escaped(room)}"
                    if not isinstance(events, list):
                        self.problem(room_at, "a room of a day is a list of events", type(events).__name__)
                        continue
                    neutral.items.extend(
                        self.event(event, f"{room_at}/{number}") for number, event in enumerate(events)
                    )
            elif by_room is not None:
                self.problem(f"{pointer}/rooms", "a day's rooms are an object of lists of events")
            schedule.days.append(neutral)
        if rooms:  # a schedule of no days (the hub's): the conference's rooms, then its events'
            schedule.days.append(SDay(at, "", list(rooms)))
        schedule.events = [self.event(event, f"/schedule/events/{n}") for n, event in self.items(data, "events", "")]

    def problem(self, pointer: str, message: str, value: Any = None) -> None:
        self.schedule.problems.append(Problem(pointer, message, value))

    def text(self, holder: Any, key: str, pointer: str) -> str:
        """A member as text: a string as it is, a number written out; empty for none (``null``),
        reported for anything else."""
        if not isinstance(holder, dict):
            return ""
        value = holder.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.problem(f"{pointer}/{_escaped(key)}", f'"{key}" is not a string', type(value).__name__)
        return ""

    def items(self, holder: Any, key: str, pointer: str) -> list[tuple[int, Any]]:
        """The objects of a list member; the list and its items reported where they are no such thing."""
        value = holder.get(key) if isinstance(holder, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(f"{pointer}/{key}", f'"{key}" is not a list', type(value).__name__)
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((index, item))
            else:
                self.problem(f"{pointer}/{key}/{index}", f'an item of "{key}" is not an object', type(item).__name__)
        return found

    def named(self, holder: dict[str, Any], key: str, pointer: str) -> str:
        """A room or track: its name, or an object with one (the hub's, whose tracks are named by slug)."""
        value = holder.get(key)
        if isinstance(value, dict):
            name = self.text(value, "name", f"{pointer}/{key}")
            if not name and key == "track":
                slug = self.text(value, "slug", f"{pointer}/{key}")
                name = self.track_names.get(slug, slug)
            return name
        return self.text(holder, key, pointer)

    def event(self, data: Any, pointer: str) -> SEvent:
        event = SEvent(At(pointer=pointer))
        if not isinstance(data, dict):
            self.problem(pointer, "an event is not an object", type(data).__name__)
            return event
        for name in ("id", "guid", "date", "start", "duration", "end", "title", "subtitle", "abstract"):
            setattr(event, name, self.text(data, name, pointer))
        for name in ("description", "type", "language", "url"):
            setattr(event, name, self.text(data, name, pointer))
        if "T" in event.start:  # the hub's: a date and time
            event.date, event.start = event.date or event.start, ""
        event.room, event.track = self.named(data, "room", pointer), self.named(data, "track", pointer)
        event.field_at = {name: At(pointer=f"{pointer}/{name}") for name in ("language", "url")}
        for key in ("persons", "participants"):
            for index, person in self.items(data, key, pointer):
                at = f"{pointer}/{key}/{index}"
                name = self.text(person, "public_name", at) or self.text(person, "name", at)
                identity = self.text(person, "id", at) or self.text(person, "guid", at)
                event.persons.append(SPerson(identity, name, At(pointer=at)))
        for key in ("links", "attachments"):
            for index, link in self.items(data, key, pointer):
                at = f"{pointer}/{key}/{index}"
                event.links.append(
                    SLink(
                        self.text(link, "url", at), self.text(link, "title", at), key == "attachments", At(pointer=at)
                    )
                )
        return event


def _escaped(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def unread(top: dict[str, Any]) -> dict[str, int]:
    """Each member of the file that ``READS`` does not name, with how many held a value (not
    ``null``, nor an empty string, list or object), in the order they first appear."""
    counts: Counter[str] = Counter()
    stack: list[tuple[Any, str]] = [(top, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            children = []
            for key, child in value.items():
                child_path = "day/rooms/*" if path == "day/rooms" else f"{path}/{key}".lstrip("/")
                child_path = _ALIASES.get(child_path, child_path)
                if child_path in _READ_WHOLE:
                    continue
                children.append((child, child_path))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend((item, path) for item in reversed(value))
        elif value is not None and value != "" and path not in READS:
            counts[path] += 1
        elif path not in READS:
            counts.setdefault(path, 0)
    return {path: count for path, count in counts.items() if count}
