"""The ``ical`` format: iCalendar, the event and its sessions for calendar apps, written and read.

This module registers the format, recognises its files and checks its options; ``writing`` loads
on the first write, ``reading`` (and with it icalendar's parser) on the first read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, BinaryIO

from mastery_model import vocabulary
from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.plugins.records import (
    Exporter,
    Importer,
    Option,
    Options,
    absolute_url,
    language_tag,
    single_line,
    time_zone,
)

if TYPE_CHECKING:
    from mastery_model.model import Catalogue

#: What a calendar writes of the model: every other field is left out (and warned of), a field the
#: model gains included. Contributions, documents and recommendations go into DESCRIPTION.
WRITES = (
    *(f"Event.{field}" for field in ("id", "name", "description", "start", "end", "time_zone", "status")),
    *(f"Event.{field}" for field in ("locations", "topics", "url", "modified", "revision", "sessions")),
    *(f"Session.{field}" for field in ("id", "name", "description", "kind", "start", "end", "time_zone", "status")),
    *(f"Session.{field}" for field in ("locations", "url", "topics", "modified", "revision", "contributions")),
    *(f"Session.{field}" for field in ("documents", "recommendations", "sessions")),
    *(f"VirtualLocation.{field}" for field in ("url", "platform")),
    *(f"Place.{field}" for field in ("name", "address")),
    *(f"Address.{field}" for field in ("street", "locality", "region", "postal_code", "country")),
    *(f"Contribution.{field}" for field in ("contributor", "role")),
    *(f"Document.{field}" for field in ("id", "name", "url")),
    *(f"Recommendation.{field}" for field in ("id", "text")),
    *(f"Person.{field}" for field in ("id", "name", "affiliations")),
    *(f"Organisation.{field}" for field in ("id", "name", "kind")),
)
LEAVES_OUT = vocabulary.left_out(WRITES)
DEFAULT_LANGUAGE = "und"
DEFAULT_TIME_ZONE = "UTC"
#: How lines that are not UTF-8 are decoded unless the option encoding says otherwise: what
#: Outlook and other Windows programs write.
FALLBACK_ENCODING = "windows-1252"
TITLE = "iCalendar: the event and its sessions, for calendar apps"
_BEGIN = re.compile(rb"BEGIN:V(CALENDAR|EVENT)\r?\n", re.IGNORECASE)


def sniff(head: bytes) -> bool:
    """A calendar, or an event saved alone, from its first line."""
    return _BEGIN.match(head.lstrip(b"\xef\xbb\xbf \t\r\n")) is not None


def read(data: bytes, options: Options) -> Catalogue:
    from mastery_model.builtin.ical import reading

    return reading.read(data, options)


def write(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.ical import writing

    writing.write(catalogue, stream, options)


def write_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.ical import writing

    writing.write_parts(parts, stream, options)


# A DURATION value (RFC 5545, 3.3.6): weeks; or days, then perhaps a time; or a time alone, whose
# hours, minutes and seconds come in that order, none skipped in between.
_TIME = "T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S)"
_DURATION = re.compile(f"P(?:[0-9]+W|[0-9]+D(?:{_TIME})?|{_TIME})")
_PART = re.compile("([0-9]+)([WDHMS])")
_UNITS = {"W": "weeks", "D": "days", "H": "hours", "M": "minutes", "S": "seconds"}


def _encoding(value: str) -> str | None:
    import codecs

    try:
        codecs.lookup(value).decode(b"")
    except (LookupError, TypeError, AttributeError):
        return "the name of a text encoding Python knows (windows-1252, latin-1, cp850)"
    return None


def _day(value: str) -> str | None:
    from datetime import date

    try:
        day = date.fromisoformat(value)
    except ValueError:
        return "a day, YYYY-MM-DD"
    return None if 1000 <= day.year <= 2999 and len(value) == 10 else "a day, YYYY-MM-DD, in the years 1000 to 2999"


def _refresh_interval(value: str) -> str | None:
    """A positive duration as iCalendar writes it (RFC 7986 asks REFRESH-INTERVAL for one), of a
    size a reader can hold."""
    expected = "a positive ISO 8601 duration as iCalendar writes it, such as PT12H, PT30M, P1D or P1W"
    if not _DURATION.fullmatch(value):
        return expected
    try:
        length = timedelta(**{_UNITS[unit]: int(number) for number, unit in _PART.findall(value)})
    except (OverflowError, ValueError):  # past what a reader's clock arithmetic holds
        return f"{expected}, and less than {timedelta.max.days} days"
    return None if length > timedelta(0) else expected


@hookimpl
def mastery_model_exporters() -> Sequence[Exporter]:
    return [
        Exporter(
            "ical",
            TITLE,
            "text/calendar",
            ".ics",
            write=write,
            write_parts=write_parts,
            leaves_out=LEAVES_OUT,
            options=(
                Option(
                    "language", "the language of the texts (a BCP 47 tag); else each text's default", check=language_tag
                ),
                Option("name", "the calendar's name (NAME, X-WR-CALNAME); else the first event's", check=single_line),
                Option(
                    "refresh",
                    "how often a subscribed feed is fetched again, as an ISO 8601 duration (PT12H)",
                    check=_refresh_interval,
                ),
                Option("source", "the URL the feed is fetched from (SOURCE), absolute", check=absolute_url),
            ),
        )
    ]


@hookimpl
def mastery_model_importers() -> Sequence[Importer]:
    return [
        Importer(
            "ical",
            TITLE,
            ("text/calendar",),
            (".ics", ".ical", ".ifb"),
            sniff=sniff,
            read=read,
            options=(
                Option(
                    "events",
                    "one: the calendar is an event, its VEVENTs its sessions; each: every top-level VEVENT an event",
                    "one",
                    ("one", "each"),
                ),
                Option(
                    "time-zone",
                    # no default given here: the reader warns when it takes its own
                    f"the IANA zone of floating times (no TZID, no Z); else X-WR-TIMEZONE, else {DEFAULT_TIME_ZONE}",
                    check=time_zone,
                ),
                Option(
                    "language",
                    f"the language of texts without LANGUAGE, a BCP 47 tag ({DEFAULT_LANGUAGE}: unknown)",
                    check=language_tag,
                ),
                Option("name", "the event's name when the calendar has none (NAME, X-WR-CALNAME)", check=single_line),
                Option(
                    "until",
                    "the last day (YYYY-MM-DD) an endless recurring event is expanded to; else the calendar's last",
                    check=_day,
                ),
                Option(
                    "encoding",
                    f"how lines that are not UTF-8 are decoded ({FALLBACK_ENCODING})",
                    check=_encoding,
                ),
            ),
        )
    ]
