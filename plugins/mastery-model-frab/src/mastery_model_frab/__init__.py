"""Conference schedule XML (frab, Pentabarf, pretalx, wafer) for mastery-model.

This module registers the format and recognises its files; ``reading`` and ``writing`` (and lxml
with them) load on the first read or write, so that a command that uses another format never
pays for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from mastery_model import Exporter, Importer, Option, absolute_url, hookimpl, language_tag, left_out, time_zone
from mastery_model.recognised import is_c3voc_schedule_json

if TYPE_CHECKING:
    from mastery_model import Catalogue, Options

DEFAULT_TIME_ZONE = "UTC"
DEFAULT_LANGUAGE = "und"

#: What schedule XML writes of the model: every other field is left out (and warned of), a field the
#: model gains included. A session keeps its first topic (its track) and the people among its
#: contributors, without their roles; documents keep their title, link and type.
WRITES = (
    *(f"Event.{field}" for field in ("id", "name", "start", "end", "time_zone", "locations", "topics", "url")),
    *(f"Event.{field}" for field in ("external_ids", "revision", "sessions")),
    *(f"Session.{field}" for field in ("id", "name", "description", "kind", "start", "end", "time_zone")),
    *(f"Session.{field}" for field in ("locations", "url", "topics", "language", "external_ids", "contributions")),
    *(f"Session.{field}" for field in ("documents", "sessions")),
    *(f"VirtualLocation.{field}" for field in ("url", "platform")),
    *(f"Place.{field}" for field in ("name", "address")),
    *(f"Address.{field}" for field in ("street", "locality", "region", "postal_code", "country")),
    *(f"ExternalId.{field}" for field in ("scheme", "value")),
    "Contribution.contributor",
    *(f"Document.{field}" for field in ("id", "name", "url", "media_type")),
    *(f"Person.{field}" for field in ("id", "name", "external_ids")),
)
LEAVES_OUT = left_out(WRITES)
TITLE = "frab schedule XML, for conference apps (Giggity, ConfClerk, EventFahrplan, FOSDEM Companion)"


def is_schedule(head: bytes) -> bool:
    """What conference apps look for in the first kilobyte (Giggity: ``<schedule``, ``<conference``)."""
    return b"<schedule" in head and b"<conference" in head


JSON_TITLE = "C3VOC JSON schedule (schedule.json, as pretalx, frab and the C3VOC hub publish it)"


def is_schedule_json(head: bytes) -> bool:
    """A JSON object with a ``schedule`` and the C3VOC ``$schema``, in its first bytes."""
    return is_c3voc_schedule_json(head)


def read_json(data: bytes, options: Options) -> Catalogue:
    from mastery_model_frab import reading_json

    return reading_json.read(data, options)


def write_json(catalogue: Catalogue, stream: IO[bytes], options: Options) -> None:
    from mastery_model_frab import writing_json

    writing_json.write(catalogue, stream, options)


def read(data: bytes, options: Options) -> Catalogue:
    from mastery_model_frab import reading

    return reading.read(data, options)


def write(catalogue: Catalogue, stream: IO[bytes], options: Options) -> None:
    from mastery_model_frab import writing

    writing.write(catalogue, stream, options)


@hookimpl
def mastery_model_exporters() -> Sequence[Exporter]:
    language = Option(
        "language", "the language of the texts (a BCP 47 tag); else each text's default", check=language_tag
    )
    return [
        Exporter(
            "frab",
            TITLE,
            "application/xml",
            ".xml",
            write=write,
            leaves_out=LEAVES_OUT,
            max_events=1,
            options=(language,),
        ),
        Exporter(
            "schedule-json",
            JSON_TITLE,
            "application/json",
            ".json",
            write=write_json,
            leaves_out=LEAVES_OUT,
            max_events=1,
            options=(language,),
        ),
    ]


@hookimpl
def mastery_model_importers() -> Sequence[Importer]:
    options = (
        Option(
            "time-zone",
            # no default given here: the reader warns when it takes its own
            f"the zone of times in files that name none (older frab files), an IANA name ({DEFAULT_TIME_ZONE})",
            check=time_zone,
        ),
        Option(
            "language",
            f"the language of the texts, a BCP 47 tag ({DEFAULT_LANGUAGE}: unknown)",
            check=language_tag,
        ),
        Option(
            "base-url",
            "the address relative links are resolved against; else the conference's base_url",
            check=absolute_url,
        ),
        Option(
            "repair",
            "event ids and guids held by more than one event, languages that are no tags: read, "
            "repaired as the README says, with a warning (yes); refused where they are (no)",
            default="yes",
            choices=("yes", "no"),
        ),
    )
    return [
        Importer(
            "frab",
            TITLE,
            ("application/xml", "text/xml"),
            (".xml",),
            sniff=is_schedule,
            read=read,
            options=options,
        ),
        Importer(
            "schedule-json",
            JSON_TITLE,
            ("application/json",),
            (".json",),
            sniff=is_schedule_json,
            read=read_json,
            options=options,
        ),
    ]
