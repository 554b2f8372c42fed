"""Formats recognised by their first bytes that no installed importer reads, so that refusing
them names what they are and what to do, rather than reporting them as broken JSON-LD."""

from __future__ import annotations

import re
from collections.abc import Callable

from attrs import frozen

_BLANK_START = b"\xef\xbb\xbf \t\r\n"


@frozen
class KnownFormat:
    what: str  # what the input is, as the message says it
    looks_like: Callable[[bytes], bool]  # from the first bytes of the input
    advice: str  # what the user can install or do instead


# a calendar or an event is the ical importer's: these are the components that hold no event
_ICALENDAR = re.compile(rb"BEGIN:V(TODO|JOURNAL|FREEBUSY|TIMEZONE|ALARM)\r?\n", re.IGNORECASE)


def _is_icalendar(head: bytes) -> bool:
    # one of a calendar's components saved alone, of a kind that is no event
    return _ICALENDAR.match(head.lstrip(_BLANK_START)) is not None


#: The ``$schema`` of a C3VOC JSON schedule: the schema's address, or a path to its file (as the
#: examples of the C3VOC validator name ``../schema.json`` and ``../schema2.json``).
_C3VOC_SCHEMA = re.compile(rb'"\$schema"\s*:\s*"(?:[^"\\]*c3voc\.de/schedule|[^"\\]*schema2?\.json")')
_SCHEDULE_KEY = re.compile(rb'"schedule"\s*:\s*\{')


def is_c3voc_schedule_json(head: bytes) -> bool:
    """pretalx, frab and the C3VOC hub: ``{"$schema": ..., "schedule": {"version": ..., "conference": ...}}``,
    recognised from the first bytes by the object's ``schedule`` and its C3VOC ``$schema``."""
    return (
        head.lstrip(_BLANK_START)[:1] == b"{"
        and _SCHEDULE_KEY.search(head) is not None
        and _C3VOC_SCHEMA.search(head) is not None
    )


def _is_frab_xml(head: bytes) -> bool:
    return b"<schedule" in head and b"<conference" in head


def _is_html(head: bytes) -> bool:
    start = head.lstrip(_BLANK_START)[:15].lower()
    return start.startswith((b"<!doctype html", b"<html"))


KNOWN_FORMATS = (
    KnownFormat(
        "an iCalendar component that holds no event (a to-do, journal, free/busy time, zone or alarm saved alone)",
        _is_icalendar,
        "the ical importer reads calendars (BEGIN:VCALENDAR) and the events (BEGIN:VEVENT) in them",
    ),
    KnownFormat(
        "a C3VOC JSON schedule (schedule.json, as pretalx, frab and the C3VOC hub publish it)",
        is_c3voc_schedule_json,
        "install the frab plugin, which reads it (the format schedule-json), and the same schedule as XML "
        "(schedule.xml): pip install mastery-model-frab",
    ),
    KnownFormat("a frab schedule (XML)", _is_frab_xml, "install the frab plugin: pip install mastery-model-frab"),
    KnownFormat(
        "an HTML page",
        _is_html,
        'the built-in schemaorg importer reads the JSON-LD of its <script type="application/ld+json"> elements: '
        "let it load (it is not in $MASTERY_MODEL_PLUGINS)",
    ),
)


def refusal(head: bytes) -> str | None:
    """Why no installed importer reads a document of a recognised format, or None."""
    found = next((known for known in KNOWN_FORMATS if known.looks_like(head)), None)
    if found is None:
        return None
    return f"this is {found.what}, which no installed importer reads: {found.advice}"
