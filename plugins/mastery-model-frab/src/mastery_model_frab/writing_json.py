"""Writes the C3VOC JSON schedule (``schedule.json``) that the C3VOC JSON Schema accepts.

The same schedule as the XML writer's (``writing``: the same sessions, rooms, ids, guids and
numbers), in pretalx's and frab's layout: ``conference.days[].rooms`` naming every room, each a list
of its events. What the schema requires and the model may lack is written so that the reader
knows it again: an acronym of the conference (``derived_acronym`` of its title, where it has none
the schema's pattern takes), an empty ``url`` and ``type``.
"""

from __future__ import annotations

import re
import uuid
import warnings
from datetime import date, datetime
from typing import IO, Any

import orjson

from mastery_model import Catalogue, Document, Event, ExportWarning, Options, Person, Session
from mastery_model_frab.reading import ACRONYM, SCHEME, derived_acronym
from mastery_model_frab.writing import (
    DISTRIBUTION,
    _as_text,
    _date_time,
    _guid,
    _slug,
    _Timed,
    _Writer,
    generator_version,
)

SCHEMA = "https://c3voc.de/schedule/schema.json"
#: The acronyms the C3VOC JSON Schema takes.
JSON_ACRONYM = re.compile(r"[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?\Z")


def write(catalogue: Catalogue, stream: IO[bytes], options: Options) -> None:
    writer = _JsonWriter(catalogue, options)
    document = writer.json_document_of()
    stream.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
    if writer.without_url:
        message = (
            f"schedule-json leaves out {writer.without_url:,} document{'s' if writer.without_url != 1 else ''} "
            "without an address: the C3VOC JSON Schema requires the url of every link and attachment"
        )
        warnings.warn(ExportWarning(message), stacklevel=2)
    acronym = document["schedule"]["conference"]["acronym"]
    if writer.acronym is not None and acronym != writer.acronym:
        message = (
            f"schedule-json writes the conference's acronym {writer.acronym!r} as {acronym!r}: "
            "the C3VOC JSON Schema's pattern takes no other"
        )
        warnings.warn(ExportWarning(message), stacklevel=2)


def acronym_of(acronym: str | None, title: str) -> str:
    """The acronym written: the conference's own where the schema takes it; one with ``_`` for
    its ``-`` where only those keep it from the pattern (``fosdem-2025`` is ``fosdem_2025``); else
    the one derived from the title, which the reader knows again as not the schedule's."""
    if acronym and JSON_ACRONYM.match(acronym):
        return acronym
    if acronym and ACRONYM.match(acronym):
        fitted = acronym[0] + acronym[1:].replace("-", "_")
        if JSON_ACRONYM.match(fitted):
            return fitted
    return derived_acronym(title)


class _JsonWriter(_Writer):
    FORMAT = "schedule-json"
    without_url = 0  # documents left out: the schema requires an address
    acronym: str | None = None  # the conference's own, where it has one

    def json_document_of(self) -> dict[str, Any]:
        event = self.catalogue.events[0]
        by_day: dict[date, list[_Timed]] = {}
        for entry in self.timed:
            by_day.setdefault(_date_time(entry[1].start).date(), []).append(entry)
        rooms = self.rooms()
        schedule: dict[str, Any] = {"version": "" if event.revision is None else str(event.revision)}
        if event.url:
            schedule["base_url"] = event.url
        schedule["conference"] = self.json_conference(event, by_day, rooms)
        return {
            "$schema": SCHEMA,
            "generator": {"name": DISTRIBUTION, "version": generator_version()},
            "schedule": schedule,
        }

    def json_conference(self, event: Event, by_day: dict[date, list[_Timed]], rooms: list[str]) -> dict[str, Any]:
        title = self.text(event.name)
        acronym = self.acronym = next((i.value for i in event.external_ids if i.scheme == SCHEME), None)
        first = min(_date_time(session.start) for _e, session, _r in self.timed)
        last = max(_date_time(session.end) for _e, session, _r in self.timed)
        start = event.start if isinstance(event.start, date) and not isinstance(event.start, datetime) else first.date()
        end = event.end if isinstance(event.end, date) and not isinstance(event.end, datetime) else last.date()
        conference: dict[str, Any] = {
            "acronym": acronym_of(acronym, title),
            "title": title,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "daysCount": len(by_day),
            "timeslot_duration": "00:05",
        }
        zones = [session.time_zone for _e, session, _r in self.timed if session.time_zone]
        if zones:
            conference["time_zone_name"] = zones[0]
        if event.topics:
            conference["tracks"] = [{"name": _as_text(topic)} for topic in event.topics]
        conference["rooms"] = [
            {"name": room, "guid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{title} {room}"))} for room in rooms
        ]
        conference["days"] = [
            self.json_day(index, day, by_day[day], rooms) for index, day in enumerate(sorted(by_day), start=1)
        ]
        return conference

    def json_day(self, index: int, day: date, sessions: list[_Timed], rooms: list[str]) -> dict[str, Any]:
        by_room: dict[str, list[dict[str, Any]]] = {room: [] for room in rooms}
        for event, session, room in sessions:
            by_room[room].append(self.json_event(event, session, room))
        return {
            "index": index,
            "date": day.isoformat(),
            "day_start": min(_date_time(s.start) for _e, s, _r in sessions).isoformat(),
            "day_end": max(_date_time(s.end) for _e, s, _r in sessions).isoformat(),
            "rooms": by_room,
        }

    def json_event(self, event: Event, session: Session, room: str) -> dict[str, Any]:
        start, end = _date_time(session.start), _date_time(session.end)
        number = self.session_numbers[session.id]
        title = self.text(session.name)
        minutes = int((end - start).total_seconds() // 60)
        documents = [document for document in session.documents if document.url]
        self.without_url += len(session.documents) - len(documents)
        return {
            "id": number,
            "guid": _guid(session.id),
            "date": start.isoformat(),
            "start": start.strftime("%H:%M"),
            "duration": f"{minutes // 60:02d}:{minutes % 60:02d}",
            "room": room,
            "slug": self.json_slug(event, number, title),
            "url": session.url or "",
            "title": title,
            "subtitle": None,
            "track": _as_text(session.topics[0]) if session.topics else None,
            "type": session.kind.value if session.kind else "",
            "language": session.language,
            "abstract": self.text(session.description) if session.description is not None else None,
            "persons": [
                self.json_person(self.people[c.contributor])
                for c in session.contributions
                if c.contributor in self.people
            ],
            "links": [self.json_document(document) for document in documents if not document.media_type],
            "attachments": [self.json_document(document) for document in documents if document.media_type],
        }

    def json_slug(self, event: Event, number: int, title: str) -> str:
        """``<conference>-<id>-<title>``, lower case, ending in a letter or digit: the schema's pattern."""
        acronym = next((i.value for i in event.external_ids if i.scheme == SCHEME), None)
        prefix = (_slug(acronym or str(event.name)) or "event").replace("_", "")[:24]
        return f"{prefix}-{number}-{_slug(title)[:60]}".rstrip("-_")

    def json_person(self, person: Person) -> dict[str, Any]:
        # frab's person (an id and a public_name): the schema's one of a frab or a pretalx person
        return {"id": self.person_numbers[person.id], "public_name": _as_text(person.name)}

    def json_document(self, document: Document) -> dict[str, Any]:
        assert document.url is not None
        return {"url": document.url, "title": self.text(document.name)}
