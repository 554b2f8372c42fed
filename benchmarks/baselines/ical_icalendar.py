"""The same calendar built with icalendar's object API (what most Python code would pick)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from mastery_model.model import Catalogue, Event, Session


def _vevent(entity: Event | Session, parent: str | None) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", entity.id)
    vevent.add("dtstamp", datetime(1970, 1, 1, tzinfo=UTC))
    start, end = entity.start, entity.end
    if start is not None:
        vevent.add("dtstart", start)
        if isinstance(start, datetime):
            if isinstance(end, datetime) and end > start:
                vevent.add("dtend", end)
        else:
            vevent.add("dtend", (end or start) + timedelta(days=1))
    vevent.add("summary", str(entity.name))
    if entity.description:
        vevent.add("description", str(entity.description))
    if entity.url:
        vevent.add("url", entity.url)
    if entity.topics:
        vevent.add("categories", list(entity.topics))
    if parent:
        vevent.add("related-to", parent, parameters={"RELTYPE": "PARENT"})
    return vevent


def dumps(catalogue: Catalogue) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//baseline//EN")
    for event in catalogue.events:
        calendar.add_component(_vevent(event, None))
        stack = [(event.id, session) for session in event.sessions]
        while stack:
            parent, session = stack.pop()
            if session.start is not None:
                calendar.add_component(_vevent(session, parent))
            stack.extend((session.id, child) for child in session.sessions)
    data: bytes = calendar.to_ical()
    return data
