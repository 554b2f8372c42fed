"""The ``ical`` format: iCalendar, the event and its sessions for calendar apps.

This module registers the format and checks its options; ``writing`` loads on the first write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, BinaryIO

from mastery_model import vocabulary
from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.plugins.records import Exporter, Option, Options, absolute_url, language_tag, single_line

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
            "iCalendar: the event and its sessions, for calendar apps",
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
