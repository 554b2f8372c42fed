"""A minimal hand-written iCalendar serialiser: the same properties, escaped and folded correctly,
with nothing else (no zone blocks, no lookups of contributors). The fastest idiomatic code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mastery_model.model import Catalogue, Event, Session


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str) -> bytes:
    data = line.encode()
    if len(data) <= 75:
        return data + b"\r\n"
    out, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        out.append(data[start:cut])
        start, limit = cut, 74
    out.append(data[start:])
    return b"\r\n ".join(out) + b"\r\n"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _vevent(entity: Event | Session, parent: str | None, lines: list[str]) -> None:
    start, end = entity.start, entity.end
    lines.append("BEGIN:VEVENT")
    lines.append(f"UID:{entity.id}")
    lines.append("DTSTAMP:19700101T000000Z")
    if isinstance(start, datetime):
        lines.append(f"DTSTART:{_when(start)}")
        if isinstance(end, datetime) and end > start:
            lines.append(f"DTEND:{_when(end)}")
    elif start is not None:
        lines.append(f"DTSTART;VALUE=DATE:{start:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{((end or start) + timedelta(days=1)):%Y%m%d}")
    lines.append(f"SUMMARY:{_escape(str(entity.name))}")
    if entity.description:
        lines.append(f"DESCRIPTION:{_escape(str(entity.description))}")
    if entity.url:
        lines.append(f"URL:{entity.url}")
    if entity.topics:
        lines.append("CATEGORIES:" + ",".join(_escape(topic) for topic in entity.topics))
    if parent:
        lines.append(f"RELATED-TO;RELTYPE=PARENT:{parent}")
    lines.append("END:VEVENT")


def dumps(catalogue: Catalogue) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//baseline//EN"]
    for event in catalogue.events:
        _vevent(event, None, lines)
        stack = [(event.id, session) for session in event.sessions]
        while stack:
            parent, session = stack.pop()
            if session.start is not None:
                _vevent(session, parent, lines)
            stack.extend((session.id, child) for child in session.sessions)
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)
